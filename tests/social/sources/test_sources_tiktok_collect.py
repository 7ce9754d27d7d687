"""TikTok Research API video queries against the loopback replay server.

Payloads follow https://developers.tiktok.com/doc/research-api-specs-query-videos
(``POST /v2/research/video/query/?fields=…``; body ``query``, ``start_date``, ``end_date``,
``max_count``, ``cursor``, ``search_id``; answer ``data.videos``, ``cursor``, ``has_more``,
``search_id`` and ``error.code``) and https://developers.tiktok.com/doc/research-api-faq
(429 ``rate_limit_exceeded``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from netra.elections.models import Election
from netra.social.collect.base import PollContext, Target
from netra.social.collect.services import Status, watchlist_poll
from netra.social.models import Account, CollectionCursor, Item, Source, Watchlist
from netra.social.sources.tiktok import collect as tiktok
from tests.social.collect.replay import ReplayServer
from tests.social.conftest import START, TIKTOK_TOKEN, FakeClock, Sleeps

QUERY_PATH = "/v2/research/video/query/"
KEYWORD = '"Hendra Kusumawardhana"'


@pytest.fixture
def watchlist(election: Election) -> Watchlist:
    warga = Account.objects.create(
        platform="tiktok", platform_id="warga_fiktif_12", handle="warga_fiktif_12"
    )
    made = Watchlist.objects.create(
        election=election, platform="tiktok", queries=["#pilkada2024", KEYWORD]
    )
    made.accounts.add(warga)
    return made


def condition(field: str, value: str) -> dict[str, Any]:
    return {"operation": "EQ", "field_name": field, "field_values": [value]}


def test_it_queries_videos_by_account_and_by_query_with_cursor_and_search_id(
    collect_settings: Any,
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    sleeps: Sleeps,
) -> None:
    server.queue(
        "POST",
        QUERY_PATH,
        "tiktok/user_videos_page1.json",
        "tiktok/user_videos_page2.json",
        "tiktok/hashtag_videos.json",
        "tiktok/rate_limited.http.json",
        "tiktok/error_in_body.json",
    )

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    assert server.left() == 0
    assert [(t.endpoint, t.target, t.status, t.pages) for t in summary.targets] == [
        (tiktok.USER_VIDEOS, "warga_fiktif_12", Status.DONE, 2),
        (tiktok.SEARCH, "#pilkada2024", Status.DONE, 1),
        (tiktok.SEARCH, KEYWORD, Status.FAILED, 0),
    ]
    first = server.requests[0]
    assert first.headers["authorization"] == f"Bearer {TIKTOK_TOKEN}"
    assert first.headers["content-type"] == "application/json"
    assert first.query == {"fields": [tiktok.FIELDS]}
    window = {"start_date": "20241105", "end_date": "20241112", "max_count": 100}
    assert first.json() == {
        "query": {"and": [condition("username", "warga_fiktif_12")]},
        **window,
        "is_random": False,
    }
    assert server.requests[1].json() == {
        "query": {"and": [condition("username", "warga_fiktif_12")]},
        **window,
        "is_random": False,
        "cursor": 100,
        "search_id": "7436599000000000000",
    }
    assert server.requests[2].json()["query"] == {"and": [condition("hashtag_name", "pilkada2024")]}
    assert server.requests[3].json()["query"] == {
        "and": [condition("keyword", "Hendra Kusumawardhana")]
    }
    assert sleeps.seconds == [1.5]

    videos = Item.objects.filter(platform="tiktok").values_list("platform_id", "author__handle")
    assert sorted(videos) == [
        ("7436300000000000003", "warga_fiktif_12"),
        ("7436400000000000002", "warga_fiktif_12"),
        ("7436450000000000004", "relawan_fiktif_07"),
        ("7436521000000000001", "warga_fiktif_12"),
    ]
    walked = CollectionCursor.objects.get(endpoint=tiktok.USER_VIDEOS)
    assert (walked.cursor, walked.newest_id) == ("", "1731380400")
    refused = CollectionCursor.objects.get(endpoint=tiktok.SEARCH, target=KEYWORD)
    assert (refused.failures, refused.last_status) == (1, 200)
    assert refused.error == (
        "galat dari TikTok: invalid_params: Invalid parameters: query.and[0].field_values"
    )
    assert set(Source.objects.values_list("format", flat=True)) == {"tiktok-research-jsonl"}


def test_the_next_walk_starts_on_the_day_of_the_newest_video(
    collect_settings: Any,
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    clock: FakeClock,
) -> None:
    watchlist.queries = []
    watchlist.save()
    server.queue(
        "POST", QUERY_PATH, "tiktok/user_videos_page1.json", "tiktok/user_videos_page2.json"
    )
    watchlist_poll(watchlist=watchlist, context=context)
    walked = CollectionCursor.objects.get(endpoint=tiktok.USER_VIDEOS)
    assert walked.not_before == START + timedelta(minutes=59)

    clock.advance(days=1)
    server.queue("POST", QUERY_PATH, "tiktok/empty.json")
    watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    body = server.requests[-1].json()
    assert (body["start_date"], body["end_date"]) == ("20241112", "20241113")
    assert "cursor" not in body
    assert "search_id" not in body
    walked.refresh_from_db()
    assert walked.newest_id == "1731380400"


def test_a_date_range_never_exceeds_thirty_days() -> None:
    collector = tiktok.TikTokCollector()
    target = Target(tiktok.USER_VIDEOS, "warga_fiktif_12")

    fixed = collector.start(target, "1600000000", START)

    assert fixed == {"start_date": "20241014", "end_date": "20241112"}
