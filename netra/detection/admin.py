"""Detection in the admin: lexicon aliases staff add; stored verdicts and flags to read.

Verdicts and flags are written by detection and decided through the services only (the
triage pages come later): here they are read-only, scoped to the user's jurisdiction, with
one action that confirms the selected flags through ``flags_confirm``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.core.admin import AdminEventKinds, AdminEventsMixin
from netra.detection.events import DetectionEvent
from netra.detection.models import ContentVerdict, Flag, FlagMember, LexiconAlias
from netra.detection.selectors import flags_for_user
from netra.detection.services import FlagDecisionError, flags_confirm
from netra.elections.models import Candidate
from netra.elections.selectors import elections_for_user
from netra.staff.models import User


@admin.register(LexiconAlias)
class LexiconAliasAdmin(AdminEventsMixin[LexiconAlias], admin.ModelAdmin[LexiconAlias]):
    event_kinds = AdminEventKinds(
        DetectionEvent.ALIAS_ADDED,
        DetectionEvent.ALIAS_CHANGED,
        DetectionEvent.ALIAS_DELETED,
    )
    list_display = ["term", "kind", "candidate", "election", "added_by", "created_at"]
    list_filter = ["kind", "election"]
    search_fields = ["term"]
    fields = ["election", "candidate", "term", "kind", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    list_select_related = ["candidate", "election", "added_by"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[LexiconAlias]:
        return (
            super()
            .get_queryset(request)
            .filter(election__in=elections_for_user(request.user).values("pk"))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Only the elections the user works on, and their candidates.
        elections = elections_for_user(request.user)
        if db_field.name == "election":
            kwargs["queryset"] = elections
        elif db_field.name == "candidate":
            kwargs["queryset"] = Candidate.objects.filter(
                election__in=elections.values("pk")
            ).select_related("election")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: LexiconAlias, form: ModelForm[LexiconAlias], change: bool
    ) -> None:
        if not change and request.user.is_authenticated:
            obj.added_by_id = request.user.pk
        super().save_model(request, obj, form, change)


class _ReadOnly:
    """Rows written by detection and its services, never by a form."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContentVerdict)
class ContentVerdictAdmin(_ReadOnly, admin.ModelAdmin[ContentVerdict]):
    list_display = ["item", "election", "content_class", "stance", "score", "model_version"]
    list_filter = ["content_class", "stance", "model_version", "election"]
    list_select_related = ["item", "election"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[ContentVerdict]:
        return (
            super()
            .get_queryset(request)
            .filter(election__in=elections_for_user(request.user).values("pk"))
        )


class FlagMemberInline(admin.TabularInline[FlagMember, Flag]):
    model = FlagMember
    fk_name = "coordination"
    fields = ["member"]
    readonly_fields = ["member"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(_ReadOnly, admin.ModelAdmin[Flag]):
    list_display = [
        "key",
        "kind",
        "act",
        "subject",
        "region",
        "severity",
        "priority",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind", "severity", "act", "platform", "stage", "election"]
    search_fields = ["key"]
    list_select_related = ["subject", "region"]
    inlines = [FlagMemberInline]
    actions = ["confirm_selected"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Flag]:
        return flags_for_user(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("detection.view_flags", obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("detection.view_flags"))

    @admin.action(description=gettext_lazy("Konfirmasi tanda terpilih"))
    def confirm_selected(self, request: HttpRequest, queryset: models.QuerySet[Flag]) -> None:
        if not isinstance(request.user, User):
            return
        try:
            decided = flags_confirm(flags=list(queryset), actor=request.user)
        except (PermissionDenied, FlagDecisionError) as refused:
            self.message_user(request, str(refused), level=messages.ERROR)
            return
        self.message_user(request, _("%(count)d tanda dikonfirmasi.") % {"count": len(decided)})
