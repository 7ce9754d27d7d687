"""Kabarku's live API: ``GET /v1/search?q=…&cursor=…`` for each watchlist query.

Written as a platform folder's ``collect.py`` would be; the manifest names it, so it is
imported only when a Kabarku watchlist is polled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from netra.social.collect.base import Saved, Step, Target, Walk, newer_id
from netra.social.collect.http import ApiClient, ApiFailure, ApiRequest, ApiResponse
from netra.social.models import Watchlist
from netra.social.sources.records import ParseOptions
from tests.social.fake_platform.parse import FORMAT, PLATFORM

SEARCH = "kabarku.search"

Keep = Callable[[ApiRequest, ApiResponse], None]


class KabarkuCollector:
    platform = PLATFORM

    def resolve(self, watchlist: Watchlist, client: ApiClient, keep: Keep) -> list[str]:
        return []

    def targets(self, watchlist: Watchlist, client: ApiClient, now: datetime) -> Iterator[Target]:
        for query in watchlist.queries:
            if str(query):
                yield Target(SEARCH, str(query))

    def start(self, target: Target, newest_id: str, now: datetime) -> dict[str, str]:
        return {"since_id": newest_id} if newest_id else {}

    def request(self, target: Target, newest_id: str, walk: Walk, now: datetime) -> ApiRequest:
        params = {"q": target.target, **walk.fixed}
        if walk.token:
            params["cursor"] = walk.token
        return ApiRequest("GET", "/v1/search", params)

    def check(self, response: ApiResponse) -> None:
        if not isinstance(response.data, dict):
            raise ApiFailure(
                "jawaban Kabarku bukan objek JSON", status=response.status, not_before=None
            )

    def step(self, target: Target, newest_id: str, walk: Walk, data: Any) -> Step:
        newest = walk.newest
        for post in data.get("posts", []):
            newest = newer_id(newest, str(post.get("id", "")))
        token = data.get("next_cursor")
        if isinstance(token, str) and token:
            return Step(Walk(token=token, newest=newest, fixed=walk.fixed), newest)
        return Step(None, newest)

    def save(self, response: ApiResponse, request: ApiRequest, retrieved_at: datetime) -> Saved:
        line = json.dumps(response.data, ensure_ascii=False, separators=(",", ":")) + "\n"
        return Saved(
            line.encode("utf-8"),
            ".jsonl",
            FORMAT,
            ParseOptions(collected_at=retrieved_at, request_url=response.url),
        )
