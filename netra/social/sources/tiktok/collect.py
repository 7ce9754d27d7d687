"""TikTok Research API: videos of watched accounts and videos matching the watchlist queries.

Endpoint (https://developers.tiktok.com/doc/research-api-specs-query-videos):
``POST /v2/research/video/query/?fields=…`` with a JSON body holding the query, a date
range of at most 30 days (``start_date``, ``end_date``, ``YYYYMMDD``), ``max_count``, and
for the next pages the ``cursor`` and ``search_id`` the previous page answered.

* ``tiktok.user_videos``: ``username EQ <handle>`` for each watched account (TikTok's
  Research API knows users by username alone: an account's handle, or its platform id
  when it was entered with the username as its id);
* ``tiktok.search``: ``hashtag_name EQ <tag>`` for a ``#tag`` query, else
  ``keyword EQ <words>`` (the quotes of a phrase dropped).

A walk's date range runs from the day of the newest video read before (``newest_id``,
epoch seconds) or ``NETRA_COLLECT_RECENT_DAYS`` ago, to the day the walk started (UTC);
it and the ``search_id`` stay fixed for every page of one walk. TikTok reports errors in
the body (``error.code`` other than ``ok``); such a page is a failure, not a record.
Pages are saved as one JSON line wrapping the request and the response
(``tiktok-research-jsonl``), as the parser reads them. The access token is a client
token (``NETRA_TIKTOK_ACCESS_TOKEN``), valid two hours: renew it outside Netra.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from netra.social.collect.base import Saved, Step, Target, Walk, newer_id
from netra.social.collect.http import ApiClient, ApiFailure, ApiRequest, ApiResponse
from netra.social.models import Watchlist
from netra.social.sources.records import ParseOptions

PLATFORM = "tiktok"
FORMAT = "tiktok-research-jsonl"

USER_VIDEOS = "tiktok.user_videos"
SEARCH = "tiktok.search"

PATH = "/v2/research/video/query/"
FIELDS = (
    "id,video_description,create_time,region_code,share_count,view_count,like_count,"
    "comment_count,music_id,hashtag_names,username,effect_ids,playlist_id,voice_to_text,"
    "is_stem_verified,favourites_count,video_duration,hashtag_info_list,video_mention_list,"
    "video_label"
)
PAGE_SIZE = 100
MAX_RANGE_DAYS = 30

Keep = Callable[[ApiRequest, ApiResponse], None]


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d")


def condition(target: Target) -> dict[str, Any]:
    """The Research API query condition for a target."""
    if target.endpoint == USER_VIDEOS:
        return {"operation": "EQ", "field_name": "username", "field_values": [target.target]}
    text = target.target.strip()
    if text.startswith("#"):
        return {"operation": "EQ", "field_name": "hashtag_name", "field_values": [text[1:]]}
    return {"operation": "EQ", "field_name": "keyword", "field_values": [text.strip('"')]}


class TikTokCollector:
    platform = PLATFORM

    def resolve(self, watchlist: Watchlist, client: ApiClient, keep: Keep) -> list[str]:
        """Nothing to look up: the Research API asks for a TikTok account by its username."""
        return []

    def targets(self, watchlist: Watchlist, client: ApiClient, now: datetime) -> Iterator[Target]:
        handles = sorted(
            {
                # A capture's numeric id is no username: the handle comes first.
                (a.handle or a.platform_id).lstrip("@")
                for a in watchlist.accounts.filter(platform=PLATFORM)
            }
            - {""}
        )
        for handle in handles:
            yield Target(USER_VIDEOS, handle)
        for query in watchlist.queries:
            if str(query):
                yield Target(SEARCH, str(query))

    def start(self, target: Target, newest_id: str, now: datetime) -> dict[str, str]:
        end = now
        start = now - timedelta(days=settings.NETRA_COLLECT_RECENT_DAYS)
        if newest_id.isdigit():
            start = datetime.fromtimestamp(int(newest_id), tz=UTC)
        # TikTok refuses a range longer than 30 days, the two days counted.
        start = max(start, end - timedelta(days=MAX_RANGE_DAYS - 1))
        return {"start_date": _day(start), "end_date": _day(end)}

    def request(self, target: Target, newest_id: str, walk: Walk, now: datetime) -> ApiRequest:
        body: dict[str, Any] = {
            "query": {"and": [condition(target)]},
            "start_date": walk.fixed["start_date"],
            "end_date": walk.fixed["end_date"],
            "max_count": PAGE_SIZE,
            "is_random": False,
        }
        if walk.token:
            body["cursor"] = int(walk.token) if walk.token.isdigit() else walk.token
        if walk.fixed.get("search_id"):
            body["search_id"] = walk.fixed["search_id"]
        return ApiRequest("POST", PATH, {"fields": FIELDS}, json=body)

    def check(self, response: ApiResponse) -> None:
        data = response.data
        error = data.get("error") if isinstance(data, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        if not isinstance(data, dict) or (code is not None and code != "ok"):
            message = error.get("message") if isinstance(error, dict) else None
            raise ApiFailure(
                _("galat dari TikTok: %(code)s: %(message)s")
                % {"code": code or "?", "message": message or ""},
                status=response.status,
                not_before=None,
            )

    def step(self, target: Target, newest_id: str, walk: Walk, data: Any) -> Step:
        page = data.get("data") if isinstance(data, dict) else None
        page = page if isinstance(page, dict) else {}
        videos = page.get("videos")
        newest = walk.newest
        for video in videos if isinstance(videos, list) else []:
            created = video.get("create_time") if isinstance(video, dict) else None
            if isinstance(created, int | str) and str(created).isdigit():
                newest = newer_id(newest, str(created))
        cursor = page.get("cursor")
        if page.get("has_more") is True and cursor is not None and str(cursor) != walk.token:
            fixed = dict(walk.fixed)
            if page.get("search_id"):
                fixed["search_id"] = str(page["search_id"])
            return Step(Walk(token=str(cursor), newest=newest, fixed=fixed), newest)
        return Step(None, newest)

    def save(self, response: ApiResponse, request: ApiRequest, retrieved_at: datetime) -> Saved:
        line = {
            "request": {"url": response.url, "params": request.json or {}},
            "response": response.data,
            "retrieved_at": retrieved_at.isoformat(),
        }
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
        return Saved(
            text.encode("utf-8"),
            ".jsonl",
            FORMAT,
            ParseOptions(collected_at=retrieved_at, request_url=response.url),
        )
