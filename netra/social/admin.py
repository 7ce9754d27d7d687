"""Platform accounts in the admin, and the event trail every Netra admin page leaves.

The admin edits rows directly, bypassing services; ``AdminEventsMixin`` records the
Event a service would have, so that the timeline stays complete.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from netra.core.events import event_record
from netra.social.models import Account, CollectionCursor, CollectorToken, Watchlist

_M = TypeVar("_M", bound=models.Model)


def _kind(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}_{verb}"


class AdminEventsMixin(Generic[_M]):
    """Record ``<app>.<model>_created|changed|deleted`` for every admin write."""

    def save_model(self, request: HttpRequest, obj: _M, form: ModelForm[_M], change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        event_record(
            kind=_kind(obj, "changed" if change else "created"),
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
                kind=_kind(form.instance, "changed"),
                subject=form.instance,
                actor=request.user,
                params={
                    "source": "admin",
                    "part": formset.model._meta.model_name,
                    "added": added,
                    "changed": changed,
                    "deleted": deleted,
                },
            )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        event_record(
            kind=_kind(obj, "deleted"),
            subject=obj,
            actor=request.user,
            params={"source": "admin", "label": str(obj)},
        )
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[_M]) -> None:
        for obj in queryset:
            event_record(
                kind=_kind(obj, "deleted"),
                subject=obj,
                actor=request.user,
                params={"source": "admin", "label": str(obj)},
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


@admin.register(Account)
class AccountAdmin(AdminEventsMixin[Account], admin.ModelAdmin[Account]):
    list_display = ["handle", "platform", "display_name", "platform_id", "updated_at"]
    list_filter = ["platform"]
    search_fields = ["handle", "display_name", "=platform_id"]
    readonly_fields = ["created_at", "updated_at"]
    ordering = ["platform", "handle"]


@admin.register(Watchlist)
class WatchlistAdmin(AdminEventsMixin[Watchlist], admin.ModelAdmin[Watchlist]):
    list_display = ["election", "platform", "active", "updated_at"]
    list_filter = ["platform", "active"]
    filter_horizontal = ["accounts"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(CollectionCursor)
class CollectionCursorAdmin(AdminEventsMixin[CollectionCursor], admin.ModelAdmin[CollectionCursor]):
    list_display = [
        "watchlist",
        "endpoint",
        "target",
        "last_status",
        "failures",
        "not_before",
        "updated_at",
    ]
    list_filter = ["endpoint", "last_status"]
    search_fields = ["target"]
    readonly_fields = ["updated_at"]


@admin.register(CollectorToken)
class CollectorTokenAdmin(AdminEventsMixin[CollectorToken], admin.ModelAdmin[CollectorToken]):
    """Tokens are made with ``netra collect token``; here they can only be switched off."""

    list_display = ["name", "prefix", "election", "active", "last_used_at"]
    list_filter = ["active"]
    fields = ["name", "prefix", "election", "active", "created_by", "last_used_at"]
    readonly_fields = ["name", "prefix", "election", "created_by", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
