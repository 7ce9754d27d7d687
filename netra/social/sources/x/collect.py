"""X API v2: watched accounts' timelines, recent search, and who liked watched posts.

Endpoints (https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id,
https://docs.x.com/x-api/posts/search-recent-posts,
https://docs.x.com/x-api/posts/get-liking-users, https://docs.x.com/x-api/users/user-lookup-by-usernames):

* ``x.user_tweets``: ``GET /2/users/:id/tweets`` with ``since_id`` (the cursor's
  ``newest_id``; on a first walk ``start_time``, ``NETRA_COLLECT_RECENT_DAYS`` ago) and
  ``pagination_token``, newest first;
* ``x.search``: ``GET /2/tweets/search/recent`` with one watchlist query, ``since_id``
  and ``next_token`` (the last seven days only, by the platform's rule);
* ``x.liking_users``: ``GET /2/tweets/:id/liking_users`` for the watched accounts'
  recent posts (``NETRA_COLLECT_RECENT_DAYS``, at most ``NETRA_COLLECT_RECENT_ITEMS``),
  walked whole each time: likes carry no time and no ``since_id`` exists;
* handle-only accounts are first looked up with ``GET /2/users/by?usernames=``.

Pages are saved as twarc2 JSON Lines (``x-v2-jsonl``): the response with a ``__twarc``
object holding the request URL and the retrieval time, as the parser reads them.
"""

from __future__ import annotations

import json
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

PLATFORM = "x"
FORMAT = "x-v2-jsonl"

USER_TWEETS = "x.user_tweets"
SEARCH = "x.search"
LIKING_USERS = "x.liking_users"

TWEET_FIELDS = (
    "attachments,author_id,conversation_id,created_at,edit_history_tweet_ids,entities,"
    "in_reply_to_user_id,lang,note_tweet,public_metrics,referenced_tweets,withheld"
)
EXPANSIONS = (
    "author_id,attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username,in_reply_to_user_id"
)
USER_FIELDS = "created_at,description,name,protected,public_metrics,url,username,verified,withheld"
MEDIA_FIELDS = "alt_text,media_key,preview_image_url,type,url"
PAGE_SIZE = "100"
USERS_BY_BATCH = 100

Keep = Callable[[ApiRequest, ApiResponse], None]


def _tweet_params() -> dict[str, str]:
    return {
        "max_results": PAGE_SIZE,
        "tweet.fields": TWEET_FIELDS,
        "expansions": EXPANSIONS,
        "user.fields": USER_FIELDS,
        "media.fields": MEDIA_FIELDS,
    }


class XCollector:
    platform = PLATFORM

    def resolve(self, watchlist: Watchlist, client: ApiClient, keep: Keep) -> list[str]:
        """Look up the ids of handle-only accounts; return the problems met (Indonesian)."""
        pending = list(watchlist.accounts.filter(platform=PLATFORM, platform_id="").order_by("pk"))
        problems: list[str] = []
        for start in range(0, len(pending), USERS_BY_BATCH):
            batch = pending[start : start + USERS_BY_BATCH]
            request = ApiRequest(
                "GET",
                "/2/users/by",
                {
                    "usernames": ",".join(a.handle.lstrip("@") for a in batch),
                    "user.fields": USER_FIELDS,
                },
            )
            try:
                response = client.send(request)
            except ApiFailure as failure:
                problems.append(str(failure))
                continue
            by_handle = {a.handle.lstrip("@").lower(): a for a in batch}
            data = response.data.get("data") if isinstance(response.data, dict) else None
            for user in data if isinstance(data, list) else []:
                if not isinstance(user, dict):
                    continue
                account = by_handle.get(str(user.get("username", "")).lower())
                if account is not None and isinstance(user.get("id"), str) and user["id"]:
                    account_identify(watchlist=watchlist, account=account, platform_id=user["id"])
            keep(request, response)
        return problems

    def targets(self, watchlist: Watchlist, client: ApiClient, now: datetime) -> Iterator[Target]:
        accounts = watchlist.accounts.filter(platform=PLATFORM).exclude(platform_id="")
        for account_id in accounts.order_by("platform_id").values_list("platform_id", flat=True):
            yield Target(USER_TWEETS, account_id)
        for query in watchlist.queries:
            if str(query):
                yield Target(SEARCH, str(query))
        # Evaluated only now, after the timelines above were walked and loaded.
        recent = (
            Item.objects.filter(
                platform=PLATFORM,
                author__in=accounts,
                kind__in=[ItemKind.POST, ItemKind.QUOTE, ItemKind.REPLY],
                created_at__gte=now - timedelta(days=settings.NETRA_COLLECT_RECENT_DAYS),
                deleted=False,
            )
            .order_by("-created_at", "-pk")
            .values_list("platform_id", flat=True)[: settings.NETRA_COLLECT_RECENT_ITEMS]
        )
        for tweet_id in list(recent):
            yield Target(LIKING_USERS, tweet_id)

    def start(self, target: Target, newest_id: str, now: datetime) -> dict[str, str]:
        # since_id and start_time must be the same on every page of a walk: fixed here.
        if target.endpoint == LIKING_USERS:
            return {}
        if newest_id:
            return {"since_id": newest_id}
        if target.endpoint == USER_TWEETS:
            # A first walk reaches back NETRA_COLLECT_RECENT_DAYS, not the 3,200 posts X
            # would page through; recent search reaches back seven days by itself.
            since = now - timedelta(days=settings.NETRA_COLLECT_RECENT_DAYS)
            return {"start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        return {}

    def request(self, target: Target, newest_id: str, walk: Walk, now: datetime) -> ApiRequest:
        if target.endpoint == LIKING_USERS:
            params = {"max_results": PAGE_SIZE, "user.fields": USER_FIELDS}
            if walk.token:
                params["pagination_token"] = walk.token
            return ApiRequest("GET", f"/2/tweets/{target.target}/liking_users", params)
        params = _tweet_params()
        params.update(walk.fixed)
        if target.endpoint == SEARCH:
            params = {"query": target.target, **params}
            if walk.token:
                params["next_token"] = walk.token
            return ApiRequest("GET", "/2/tweets/search/recent", params)
        if walk.token:
            params["pagination_token"] = walk.token
        return ApiRequest("GET", f"/2/users/{target.target}/tweets", params)

    def check(self, response: ApiResponse) -> None:
        if not isinstance(response.data, dict):
            raise ApiFailure(
                _("jawaban X bukan objek JSON"), status=response.status, not_before=None
            )

    def step(self, target: Target, newest_id: str, walk: Walk, data: Any) -> Step:
        meta = data.get("meta") if isinstance(data, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        newest = walk.newest
        if target.endpoint != LIKING_USERS:
            newest = newer_id(newest, str(meta.get("newest_id") or ""))
        token = meta.get("next_token")
        if isinstance(token, str) and token:
            return Step(Walk(token=token, newest=newest, fixed=walk.fixed), newest)
        return Step(None, newest)

    def save(self, response: ApiResponse, request: ApiRequest, retrieved_at: datetime) -> Saved:
        page = dict(response.data)
        page["__twarc"] = {
            "url": response.url,
            "version": "netra-collect",
            "retrieved_at": retrieved_at.isoformat(),
        }
        line = json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n"
        return Saved(
            line.encode("utf-8"),
            ".jsonl",
            FORMAT,
            ParseOptions(collected_at=retrieved_at, request_url=response.url),
        )
