"""The Event timeline in the admin (read-only, superusers only: it spans every jurisdiction),
and the event trail every Netra admin page leaves.

The admin edits rows directly, bypassing services; ``AdminEventsMixin`` records the
Event a service would have, so that the timeline stays complete. Each admin names its kinds
from its app's ``events.py`` (``event_kinds``), so the catalogue of kinds stays complete.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from netra.core.events import event_record
from netra.core.models import Event

_M = TypeVar("_M", bound=models.Model)


class AdminEventKinds(NamedTuple):
    """The kinds an admin page records, members of its app's event ``StrEnum``."""

    created: StrEnum
    changed: StrEnum
    deleted: StrEnum


class AdminEventsMixin(Generic[_M]):
    """Record ``event_kinds.created|changed|deleted`` for every admin write."""

    event_kinds: ClassVar[AdminEventKinds]

    def save_model(self, request: HttpRequest, obj: _M, form: ModelForm[_M], change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        event_record(
            kind=self.event_kinds.changed if change else self.event_kinds.created,
            subject=obj,
            actor=request.user,
            params={"source": "admin", "fields": sorted(form.changed_data)},
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm[_M], formset: Any, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        # Inline rows are parts of the parent: one event on the parent per kind of part.
        added = len(getattr(formset, "new_objects", []))
        changed = len(getattr(formset, "changed_objects", []))
        deleted = len(getattr(formset, "deleted_objects", []))
        if added or changed or deleted:
            event_record(
                kind=self.event_kinds.changed,
                subject=form.instance,
                actor=request.user,
                params={
                    "source": "admin",
                    "part": formset.model.__name__.lower(),
                    "added": added,
                    "changed": changed,
                    "deleted": deleted,
                },
            )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        event_record(
            kind=self.event_kinds.deleted,
            subject=obj,
            actor=request.user,
            params={"source": "admin", "label": str(obj)},
        )
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[_M]) -> None:
        for obj in queryset:
            event_record(
                kind=self.event_kinds.deleted,
                subject=obj,
                actor=request.user,
                params={"source": "admin", "label": str(obj)},
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["at", "kind", "actor", "subject_type", "subject_id"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["kind", "subject_id"]
    date_hierarchy = "at"
    list_select_related = ["actor", "subject_type"]
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
