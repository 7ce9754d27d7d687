"""Platform accounts, watchlists, cursors and collector tokens in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from netra.core.admin import AdminEventKinds, AdminEventsMixin
from netra.social.events import SocialEvent
from netra.social.models import Account, CollectionCursor, CollectorToken, Watchlist


@admin.register(Account)
class AccountAdmin(AdminEventsMixin[Account], admin.ModelAdmin[Account]):
    event_kinds = AdminEventKinds(
        SocialEvent.ACCOUNT_CREATED, SocialEvent.ACCOUNT_CHANGED, SocialEvent.ACCOUNT_DELETED
    )
    list_display = ["handle", "platform", "display_name", "platform_id", "updated_at"]
    list_filter = ["platform"]
    search_fields = ["handle", "display_name", "=platform_id"]
    readonly_fields = ["created_at", "updated_at"]
    ordering = ["platform", "handle"]


@admin.register(Watchlist)
class WatchlistAdmin(AdminEventsMixin[Watchlist], admin.ModelAdmin[Watchlist]):
    event_kinds = AdminEventKinds(
        SocialEvent.WATCHLIST_CREATED, SocialEvent.WATCHLIST_CHANGED, SocialEvent.WATCHLIST_DELETED
    )
    list_display = ["election", "platform", "active", "updated_at"]
    list_filter = ["platform", "active"]
    filter_horizontal = ["accounts"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(CollectionCursor)
class CollectionCursorAdmin(AdminEventsMixin[CollectionCursor], admin.ModelAdmin[CollectionCursor]):
    event_kinds = AdminEventKinds(
        SocialEvent.CURSOR_CREATED, SocialEvent.CURSOR_CHANGED, SocialEvent.CURSOR_DELETED
    )
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

    event_kinds = AdminEventKinds(
        SocialEvent.TOKEN_CREATED, SocialEvent.TOKEN_CHANGED, SocialEvent.TOKEN_DELETED
    )

    list_display = ["name", "prefix", "election", "active", "last_used_at"]
    list_filter = ["active"]
    fields = ["name", "prefix", "election", "active", "created_by", "last_used_at"]
    readonly_fields = ["name", "prefix", "election", "created_by", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
