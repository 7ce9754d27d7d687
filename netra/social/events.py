"""The kinds of Event social writes (``netra.core.events.event_record``)."""

from __future__ import annotations

from enum import StrEnum


class SocialEvent(StrEnum):
    SOURCE_INGESTED = "social.source_ingested"
    INGEST_FAILED = "social.ingest_failed"
    ITEM_ENTERED = "social.item_entered"
    QUARANTINE_RESOLVED = "social.quarantine_resolved"
    BATCH_PUSHED = "social.batch_pushed"
    WATCHLIST_BUILT = "social.watchlist_built"
    COLLECTOR_TOKEN_CREATED = "social.collector_token_created"  # noqa: S105 (an event kind)
    COLLECTOR_TOKEN_DEACTIVATED = "social.collector_token_deactivated"  # noqa: S105
    # Admin writes (``netra.core.admin.AdminEventsMixin``).
    ACCOUNT_CREATED = "social.account_created"
    ACCOUNT_CHANGED = "social.account_changed"
    ACCOUNT_DELETED = "social.account_deleted"
    WATCHLIST_CREATED = "social.watchlist_created"
    WATCHLIST_CHANGED = "social.watchlist_changed"
    WATCHLIST_DELETED = "social.watchlist_deleted"
    CURSOR_CREATED = "social.collectioncursor_created"
    CURSOR_CHANGED = "social.collectioncursor_changed"
    CURSOR_DELETED = "social.collectioncursor_deleted"
    TOKEN_CREATED = "social.collectortoken_created"  # noqa: S105 (an event kind, not a secret)
    TOKEN_CHANGED = "social.collectortoken_changed"  # noqa: S105 (an event kind, not a secret)
    TOKEN_DELETED = "social.collectortoken_deleted"  # noqa: S105 (an event kind, not a secret)
    # Account identity (``netra.social.accounts``; ACCOUNT_CREATED above is also theirs).
    ACCOUNT_UPDATED = "social.account_updated"
    ACCOUNT_ID_ADOPTED = "social.account_id_adopted"
    # A watchlist's handle-only account swapped for the row that already had its id: no
    # rows are merged (the handle-only row keeps its items and links), so not "merged".
    WATCHLIST_ACCOUNT_REPLACED = "social.watchlist_account_replaced"
