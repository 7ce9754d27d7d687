"""Regions in the admin: a read-only view of the imported Kemendagri list.

Regions come from ``manage.py regions_import``; codes, levels and parents are never
edited by hand. A superuser may correct a name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from netra.geo.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    # "^code": a code prefix such as 35.07 lists the regency and everything below it.
    search_fields = ["^code", "name"]
    readonly_fields = ["code", "level", "parent"]
    list_select_related = ["parent"]
    ordering = ["code"]
    # Counting ~90,000 rows on every filtered page is slow on PostgreSQL; skip the total.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
