"""Admin for the regulation tables: where staff correct and extend the rules as they change.

Every row shows how sure we are of it (a visible "belum terkonfirmasi" marker) and whether it
is in force today; every edit made here also lands on the Event timeline (``law.edited``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from netra.law.models import (
    Certainty,
    DeadlineRule,
    FormCode,
    InForceQuerySet,
    Prohibition,
    Recipient,
    Regulation,
    SanctionLevel,
    SanctionMeasure,
    Track,
    Versioned,
    ViolationType,
)
from netra.law.services import law_row_changed

_V = TypeVar("_V", bound=Versioned)
_M = TypeVar("_M", bound=models.Model)

VERSION_FIELDS = ("regulation", "effective_from", "effective_until", "certainty", "note")
SYSTEM_FIELDS = ("created_at", "updated_at")
SHORT_TEXT: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}
}


def unconfirmed_marker(certainty: str) -> SafeString | str:
    """The marker staff must not miss on a rule DOMAIN marks as uncertain."""
    if certainty == Certainty.UNCONFIRMED:
        return format_html(
            '<strong class="netra-unconfirmed" style="color:#b45309">⚠ {}</strong>',
            _("belum terkonfirmasi"),
        )
    return str(_("terkonfirmasi"))


class InForceFilter(admin.SimpleListFilter):
    title = _("berlaku hari ini")
    parameter_name = "berlaku"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("ya", str(_("Ya"))), ("tidak", str(_("Tidak")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() not in {"ya", "tidak"} or not isinstance(queryset, InForceQuerySet):
            return queryset
        in_force = queryset.in_force(timezone.localdate())
        if self.value() == "ya":
            return in_force
        return queryset.exclude(pk__in=in_force.values("pk"))


class EventLoggingAdmin(admin.ModelAdmin[_M]):
    """Writes one Event per add, change or delete, beside Django's own LogEntry."""

    def log_addition(self, request: HttpRequest, obj: _M, message: Any) -> Any:
        law_row_changed(row=obj, actor=_user(request), action="added", change=message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: _M, message: Any) -> Any:
        law_row_changed(row=obj, actor=_user(request), action="changed", change=message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[_M]) -> Any:
        for obj in queryset:
            law_row_changed(row=obj, actor=_user(request), action="deleted", change=[])
        return super().log_deletions(request, queryset)


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


class VersionedAdmin(EventLoggingAdmin[_V]):
    """Shared columns, filters and layout of every versioned rule table."""

    main_fields: tuple[str, ...] = ()
    list_select_related: ClassVar[bool | tuple[str, ...]] = ("regulation",)
    readonly_fields = ("certainty_marker", *SYSTEM_FIELDS)
    formfield_overrides = SHORT_TEXT
    date_hierarchy = "effective_from"

    def get_fieldsets(self, request: HttpRequest, obj: _V | None = None) -> Any:
        return [
            (None, {"fields": ("certainty_marker", *self.main_fields)}),
            (_("Versi dan dasar hukum"), {"fields": VERSION_FIELDS}),
            (_("Catatan sistem"), {"fields": SYSTEM_FIELDS, "classes": ("collapse",)}),
        ]

    @admin.display(description=_("kepastian"), ordering="certainty")
    def certainty_marker(self, obj: _V | None) -> SafeString | str:
        return "—" if obj is None or obj.pk is None else unconfirmed_marker(obj.certainty)

    @admin.display(description=_("berlaku hari ini"), boolean=True)
    def in_force_today(self, obj: _V) -> bool:
        today = timezone.localdate()
        return obj.effective_from <= today and (
            obj.effective_until is None or obj.effective_until >= today
        )


@admin.register(Regulation)
class RegulationAdmin(EventLoggingAdmin[Regulation]):
    list_display = ["slug", "title", "number", "enacted_on", "source_link"]
    search_fields = ["slug", "title", "number", "note"]
    list_filter = ["enacted_on"]
    readonly_fields = SYSTEM_FIELDS
    formfield_overrides = SHORT_TEXT

    @admin.display(description=_("sumber"))
    def source_link(self, obj: Regulation) -> SafeString | str:
        if not obj.source_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            obj.source_url,
            _("buka"),
        )


class SanctionMeasureInline(admin.TabularInline[SanctionMeasure, SanctionLevel]):
    model = SanctionMeasure
    fields = ("order", "code", "name", *VERSION_FIELDS)
    extra = 0
    show_change_link = True
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}
    }


@admin.register(SanctionLevel)
class SanctionLevelAdmin(VersionedAdmin[SanctionLevel]):
    main_fields = ("code", "name", "track", "rank")
    list_display = [
        "code",
        "name",
        "track",
        "rank",
        "measure_count",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["track", "certainty", InForceFilter, "regulation"]
    search_fields = ["code", "name", "note"]
    inlines = [SanctionMeasureInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SanctionLevel]:
        return super().get_queryset(request).annotate(measure_total=Count("measures"))

    @admin.display(description=_("bentuk sanksi"), ordering="measure_total")
    def measure_count(self, obj: SanctionLevel) -> int:
        return int(getattr(obj, "measure_total", 0))


@admin.register(SanctionMeasure)
class SanctionMeasureAdmin(VersionedAdmin[SanctionMeasure]):
    main_fields = ("level", "order", "code", "name")
    list_display = [
        "name",
        "code",
        "level",
        "order",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["level__track", "level", "certainty", InForceFilter, "regulation"]
    list_select_related = ("regulation", "level")
    search_fields = ["code", "name", "note"]


@admin.register(ViolationType)
class ViolationTypeAdmin(VersionedAdmin[ViolationType]):
    main_fields = (
        "code",
        "behaviour",
        "social_media",
        "ethics_level",
        "discipline_level",
        "legal_basis",
    )
    list_display = [
        "code",
        "behaviour_short",
        "social_media",
        "ethics_level",
        "discipline_level",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_display_links = ["code", "behaviour_short"]
    list_filter = ["social_media", "certainty", InForceFilter, "regulation"]
    list_select_related = ("regulation", "ethics_level", "discipline_level")
    search_fields = ["code", "behaviour", "legal_basis", "note"]

    @admin.display(description=_("perilaku"), ordering="behaviour")
    def behaviour_short(self, obj: ViolationType) -> str:
        return obj.behaviour if len(obj.behaviour) <= 90 else obj.behaviour[:87] + "…"

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        # Offer only the levels of the matching track, so the catalogue cannot cross tracks.
        tracks = {"ethics_level": Track.ETHICS, "discipline_level": Track.DISCIPLINE}
        if db_field.name in tracks:
            kwargs["queryset"] = SanctionLevel.objects.filter(track=tracks[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(VersionedAdmin[DeadlineRule]):
    main_fields = ("regime", "step", "duration", "unit", "starts_from")
    list_display = [
        "step",
        "regime",
        "duration",
        "unit",
        "starts_from",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["regime", "step", "unit", "certainty", InForceFilter, "regulation"]
    search_fields = ["starts_from", "note"]


@admin.register(Recipient)
class RecipientAdmin(VersionedAdmin[Recipient]):
    main_fields = ("outcome", "regime", "code", "body", "copy_to", "copy_to_certainty")
    list_display = [
        "outcome",
        "regime_or_both",
        "body",
        "copy_to_with_marker",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["outcome", "regime", "certainty", "copy_to_certainty", InForceFilter]
    search_fields = ["code", "body", "copy_to", "note"]

    @admin.display(description=_("rezim"), ordering="regime")
    def regime_or_both(self, obj: Recipient) -> str:
        return str(obj.get_regime_display()) if obj.regime else str(_("kedua rezim"))

    @admin.display(description=_("tembusan"), ordering="copy_to")
    def copy_to_with_marker(self, obj: Recipient) -> SafeString | str:
        if not obj.copy_to:
            return "—"
        if obj.copy_to_certainty == Certainty.UNCONFIRMED:
            return format_html("{} {}", obj.copy_to, unconfirmed_marker(obj.copy_to_certainty))
        return obj.copy_to


@admin.register(FormCode)
class FormCodeAdmin(VersionedAdmin[FormCode]):
    main_fields = ("purpose", "regime", "code", "name")
    list_display = [
        "code",
        "name",
        "purpose",
        "regime_or_both",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["purpose", "regime", "certainty", InForceFilter, "regulation"]
    search_fields = ["code", "name", "note"]

    @admin.display(description=_("rezim"), ordering="regime")
    def regime_or_both(self, obj: FormCode) -> str:
        return str(obj.get_regime_display()) if obj.regime else str(_("kedua rezim"))


@admin.register(Prohibition)
class ProhibitionAdmin(VersionedAdmin[Prohibition]):
    main_fields = ("code", "subject_group", "regime", "legal_basis", "scope", "offence")
    list_display = [
        "code",
        "subject_group",
        "regime_or_both",
        "legal_basis",
        "scope",
        "certainty_marker",
        "effective_from",
        "effective_until",
        "in_force_today",
    ]
    list_filter = ["subject_group", "regime", "scope", "certainty", InForceFilter, "regulation"]
    search_fields = ["code", "legal_basis", "offence", "note"]

    @admin.display(description=_("rezim"), ordering="regime")
    def regime_or_both(self, obj: Prohibition) -> str:
        return str(obj.get_regime_display()) if obj.regime else str(_("kedua rezim"))
