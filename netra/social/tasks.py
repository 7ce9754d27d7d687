"""Tasks of social: live collection polls (thin adapters over collect.services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from netra.social.collect.services import watchlist_poll, watchlists_poll
from netra.social.models import Watchlist


@shared_task(name="netra.social.collect_poll")
def collect_poll(watchlist_id: int | None = None) -> list[dict[str, Any]]:
    """Poll one watchlist, or every active one when no id is given; answer the summaries.

    Safe to retry and to run twice at once: each target is claimed before it is walked
    and its cursor moves only after its page is loaded. A watchlist that no longer
    exists, or is inactive, is skipped.
    """
    if watchlist_id is None:
        return [summary.as_dict() for summary in watchlists_poll()]
    watchlist = (
        Watchlist.objects.filter(pk=watchlist_id, active=True).select_related("election").first()
    )
    if watchlist is None:
        return []
    return [watchlist_poll(watchlist=watchlist).as_dict()]
