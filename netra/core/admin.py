"""The Event timeline in the admin: read-only, and for superusers only (it spans every
jurisdiction)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from netra.core.models import Event


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
