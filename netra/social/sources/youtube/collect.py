"""YouTube Data API v3: watched channels' videos, searches, and comments on watched videos.

Endpoints (https://developers.google.com/youtube/v3/docs/search/list,
https://developers.google.com/youtube/v3/docs/commentThreads/list,
https://developers.google.com/youtube/v3/docs/channels/list):

* ``youtube.channel``: ``search.list`` with ``channelId``, ``type=video``, ``order=date``
  and ``publishedAfter`` (the cursor's ``newest_id``, a time), walked by ``pageToken``;
* ``youtube.search``: ``search.list`` with ``q`` (one watchlist query), the same way;
* ``youtube.comments``: ``commentThreads.list`` with ``videoId`` and ``order=time`` for
  the watched channels' recent videos; a walk stops at the first page reaching threads
  already read (``newest_id``), so a later reply to an old thread is seen only when the
  thread is walked again from the top;
* handle-only accounts are first looked up with ``channels.list?forHandle=``.

A search costs 100 quota units of the default 10,000 a day, a comment page 1: mind
``NETRA_YOUTUBE_POLL_MINUTES``. The first walk of a search reaches back
``NETRA_COLLECT_RECENT_DAYS``. Pages are saved exactly as answered (``youtube-v3-json``)
with the request URL (without the key) and the retrieval time as parse options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from netra.social.accounts import account_identify
from netra.social.collect.base import Saved, Step, Target, Walk, newer_id
from netra.social.collect.http import ApiClient, ApiFailure, ApiRequest, ApiResponse
from netra.social.models import Item, ItemKind, Watchlist
from netra.social.sources.records import ParseOptions

PLATFORM = "youtube"
FORMAT = "youtube-v3-json"

CHANNEL = "youtube.channel"
SEARCH = "youtube.search"
COMMENTS = "youtube.comments"

SEARCH_PAGE_SIZE = "50"
COMMENT_PAGE_SIZE = "100"

Keep = Callable[[ApiRequest, ApiResponse], None]


def rfc3339(moment: datetime) -> str:
    """A time as YouTube's parameters want it, in UTC: ``2024-11-10T03:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(value: object) -> str:
    """A ``publishedAt`` normalised to ``rfc3339`` (so strings compare as times); "" if odd."""
    if not isinstance(value, str):
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    return rfc3339(moment) if moment.tzinfo is not None else ""


def _items(data: Any) -> Iterator[dict[str, Any]]:
    items = data.get("items") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            yield item


def _snippet(item: dict[str, Any]) -> dict[str, Any]:
    snippet = item.get("snippet")
    return snippet if isinstance(snippet, dict) else {}


def _published(item: dict[str, Any], endpoint: str) -> str:
    snippet = _snippet(item)
    if endpoint == COMMENTS:
        top = snippet.get("topLevelComment")
        snippet = _snippet(top) if isinstance(top, dict) else {}
    return _time(snippet.get("publishedAt"))


class YouTubeCollector:
    platform = PLATFORM

    def resolve(self, watchlist: Watchlist, client: ApiClient, keep: Keep) -> list[str]:
        """Look up the channel ids of handle-only accounts; return the problems met."""
        problems: list[str] = []
        for account in watchlist.accounts.filter(platform=PLATFORM, platform_id="").order_by("pk"):
            handle = account.handle if account.handle.startswith("@") else f"@{account.handle}"
            request = ApiRequest(
                "GET", "/channels", {"part": "snippet,statistics", "forHandle": handle}
            )
            try:
                response = client.send(request)
            except ApiFailure as failure:
                problems.append(str(failure))
                continue
            channel = next(_items(response.data), None)
            if channel is None or not isinstance(channel.get("id"), str):
                problems.append(_("kanal YouTube %(handle)s tidak ditemukan") % {"handle": handle})
                continue
            account_identify(watchlist=watchlist, account=account, platform_id=channel["id"])
            keep(request, response)
        return problems

    def targets(self, watchlist: Watchlist, client: ApiClient, now: datetime) -> Iterator[Target]:
        accounts = watchlist.accounts.filter(platform=PLATFORM).exclude(platform_id="")
        for channel_id in accounts.order_by("platform_id").values_list("platform_id", flat=True):
            yield Target(CHANNEL, channel_id)
        for query in watchlist.queries:
            if str(query):
                yield Target(SEARCH, str(query))
        # Evaluated only now, after the channels above were walked and loaded.
        videos = (
            Item.objects.filter(
                platform=PLATFORM,
                kind=ItemKind.VIDEO,
                author__in=accounts,
                created_at__gte=now - timedelta(days=settings.NETRA_COLLECT_RECENT_DAYS),
                deleted=False,
            )
            .order_by("-created_at", "-pk")
            .values_list("platform_id", flat=True)[: settings.NETRA_COLLECT_RECENT_ITEMS]
        )
        for video_id in list(videos):
            yield Target(COMMENTS, video_id)

    def start(self, target: Target, newest_id: str, now: datetime) -> dict[str, str]:
        if target.endpoint == COMMENTS:
            return {}
        after = newest_id or rfc3339(now - timedelta(days=settings.NETRA_COLLECT_RECENT_DAYS))
        return {"publishedAfter": after}

    def request(self, target: Target, newest_id: str, walk: Walk, now: datetime) -> ApiRequest:
        if target.endpoint == COMMENTS:
            params = {
                "part": "snippet,replies",
                "videoId": target.target,
                "order": "time",
                "maxResults": COMMENT_PAGE_SIZE,
            }
            path = "/commentThreads"
        else:
            params = {"part": "snippet", "type": "video", "order": "date"}
            if target.endpoint == CHANNEL:
                params["channelId"] = target.target
            else:
                params["q"] = target.target
            params["maxResults"] = SEARCH_PAGE_SIZE
            params.update(walk.fixed)
            path = "/search"
        if walk.token:
            params["pageToken"] = walk.token
        return ApiRequest("GET", path, params)

    def check(self, response: ApiResponse) -> None:
        if not isinstance(response.data, dict):
            raise ApiFailure(
                _("jawaban YouTube bukan objek JSON"), status=response.status, not_before=None
            )

    def step(self, target: Target, newest_id: str, walk: Walk, data: Any) -> Step:
        times = [t for t in (_published(i, target.endpoint) for i in _items(data)) if t]
        newest = walk.newest
        for moment in times:
            newest = newer_id(newest, moment)
        token = data.get("nextPageToken") if isinstance(data, dict) else None
        if target.endpoint == COMMENTS and newest_id and times and min(times) <= newest_id:
            # Newest first: this page reached threads read by an earlier walk.
            return Step(None, newest)
        if isinstance(token, str) and token:
            return Step(Walk(token=token, newest=newest, fixed=walk.fixed), newest)
        return Step(None, newest)

    def save(self, response: ApiResponse, request: ApiRequest, retrieved_at: datetime) -> Saved:
        return Saved(
            response.body,
            ".json",
            FORMAT,
            ParseOptions(collected_at=retrieved_at, request_url=response.url),
        )
