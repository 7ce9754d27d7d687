"""YouTube Data API v3 collection against the loopback replay server.

Payloads follow https://developers.google.com/youtube/v3/docs/search/list (``channelId``,
``q``, ``type=video``, ``order=date``, ``publishedAfter``, ``pageToken``/``nextPageToken``),
https://developers.google.com/youtube/v3/docs/commentThreads/list (``videoId``,
``order=time``; 403 ``commentsDisabled``) and
https://developers.google.com/youtube/v3/docs/channels/list (``forHandle``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netra.elections.models import Election
from netra.social.collect.base import PollContext
from netra.social.collect.services import Status, watchlist_poll
from netra.social.models import Account, CollectionCursor, Item, Source, Watchlist
from netra.social.sources.youtube import collect as youtube
from tests.social.collect.replay import ReplayServer
from tests.social.conftest import START, YOUTUBE_KEY, FakeClock

CHANNEL = "UCHendraKusumaFiktif0001"
QUERY = '"Hendra Kusumawardhana"'
SEARCH = "/youtube/v3/search"
THREADS = "/youtube/v3/commentThreads"
NEXT_THREADS = "QURTSl9pMkZpa3RpZjI="


@pytest.fixture
def watchlist(election: Election) -> Watchlist:
    hendra = Account.objects.create(platform="youtube", platform_id=CHANNEL, handle="hendrakusuma")
    made = Watchlist.objects.create(election=election, platform="youtube", queries=[QUERY])
    made.accounts.add(hendra)
    return made


def queue_first_poll(server: ReplayServer) -> None:
    server.queue(
        "GET", SEARCH, "youtube/channel_videos_page1.json", channelId=CHANNEL, pageToken=None
    )
    server.queue(
        "GET", SEARCH, "youtube/channel_videos_page2.json", channelId=CHANNEL, pageToken="CAIQAA"
    )
    server.queue("GET", SEARCH, "youtube/search_query.json", q=QUERY)
    server.queue(
        "GET", THREADS, "youtube/threads_page1.json", videoId="hKmpnPasar1", pageToken=None
    )
    server.queue(
        "GET", THREADS, "youtube/threads_page2.json", videoId="hKmpnPasar1", pageToken=NEXT_THREADS
    )
    server.queue("GET", THREADS, "youtube/comments_disabled.http.json", videoId="hKmpnDialog")
    server.queue("GET", THREADS, "youtube/threads_empty.json", videoId="hKmpnLama01")


def cursor(endpoint: str, target: str) -> CollectionCursor:
    return CollectionCursor.objects.get(endpoint=endpoint, target=target)


def test_it_walks_channels_and_searches_then_the_comments_of_watched_videos(
    collect_settings: Any, server: ReplayServer, watchlist: Watchlist, context: PollContext
) -> None:
    queue_first_poll(server)

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    assert server.left() == 0
    assert [(t.endpoint, t.target, t.status, t.pages) for t in summary.targets] == [
        (youtube.CHANNEL, CHANNEL, Status.DONE, 2),
        (youtube.SEARCH, QUERY, Status.DONE, 1),
        (youtube.COMMENTS, "hKmpnPasar1", Status.DONE, 2),
        (youtube.COMMENTS, "hKmpnDialog", Status.FAILED, 0),
        (youtube.COMMENTS, "hKmpnLama01", Status.DONE, 1),
    ]
    first = server.requests[0]
    assert first.headers["x-goog-api-key"] == YOUTUBE_KEY
    assert first.query == {
        "part": ["snippet"],
        "type": ["video"],
        "order": ["date"],
        "channelId": [CHANNEL],
        "maxResults": ["50"],
        "publishedAfter": ["2024-11-05T06:00:00Z"],
    }
    assert server.requests[1].param("publishedAfter") == "2024-11-05T06:00:00Z"
    assert server.requests[2].param("q") == QUERY
    assert server.requests[3].query == {
        "part": ["snippet,replies"],
        "videoId": ["hKmpnPasar1"],
        "order": ["time"],
        "maxResults": ["100"],
    }

    items = Item.objects.filter(platform="youtube").values_list(
        "platform_id", "kind", "parent_platform_id", "root_platform_id"
    )
    assert sorted(items) == [
        ("UgzPasarThread0000", "comment", "hKmpnPasar1", "hKmpnPasar1"),
        ("UgzPasarThread0001", "comment", "hKmpnPasar1", "hKmpnPasar1"),
        ("UgzPasarThread0002", "comment", "hKmpnPasar1", "hKmpnPasar1"),
        ("UgzPasarThread0002.AbCdEf01", "reply", "UgzPasarThread0002", "hKmpnPasar1"),
        ("hKmpnDialog", "video", "", "hKmpnDialog"),
        ("hKmpnLama01", "video", "", "hKmpnLama01"),
        ("hKmpnPasar1", "video", "", "hKmpnPasar1"),
        ("vWargaTPS01", "video", "", "vWargaTPS01"),
    ]
    assert Item.objects.get(platform_id="UgzPasarThread0002").collected_at == START

    assert cursor(youtube.CHANNEL, CHANNEL).newest_id == "2024-11-11T08:00:00Z"
    assert cursor(youtube.SEARCH, QUERY).newest_id == "2024-11-11T13:00:00Z"
    assert cursor(youtube.COMMENTS, "hKmpnPasar1").newest_id == "2024-11-11T10:15:00Z"
    disabled = cursor(youtube.COMMENTS, "hKmpnDialog")
    assert (disabled.failures, disabled.last_status) == (1, 403)
    assert disabled.error.startswith("platform menolak permintaan (HTTP 403): The video")
    assert disabled.not_before == START + timedelta(minutes=1)

    assert set(Source.objects.values_list("format", flat=True)) == {"youtube-v3-json"}
    saved = list((Path(collect_settings.VAR_DIR) / "collect" / "youtube").rglob("*.json"))
    assert len(saved) == 6
    assert all(YOUTUBE_KEY not in path.read_text(encoding="utf-8") for path in saved)


def test_a_later_poll_starts_after_the_newest_and_stops_at_comments_already_read(
    collect_settings: Any,
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    clock: FakeClock,
) -> None:
    queue_first_poll(server)
    watchlist_poll(watchlist=watchlist, context=context)
    done = len(server.requests)

    clock.advance(seconds=30)
    assert {t.status for t in watchlist_poll(watchlist=watchlist, context=context).targets} == {
        Status.WAITING
    }
    assert len(server.requests) == done

    clock.advance(hours=5)
    server.queue("GET", SEARCH, "youtube/search_empty.json", channelId=CHANNEL)
    server.queue("GET", SEARCH, "youtube/search_empty.json", q=QUERY)
    server.queue("GET", THREADS, "youtube/threads_page1.json", videoId="hKmpnPasar1")
    server.queue("GET", THREADS, "youtube/comments_disabled.http.json", videoId="hKmpnDialog")
    server.queue("GET", THREADS, "youtube/threads_empty.json", videoId="hKmpnLama01")
    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    later = server.requests[done:]
    assert [(r.param("channelId") or r.param("videoId") or r.param("q")) for r in later] == [
        CHANNEL,
        QUERY,
        "hKmpnPasar1",
        "hKmpnDialog",
        "hKmpnLama01",
    ]
    assert later[0].param("publishedAfter") == "2024-11-11T08:00:00Z"
    assert later[1].param("publishedAfter") == "2024-11-11T13:00:00Z"
    assert later[2].param("pageToken") is None
    assert [t.pages for t in summary.targets] == [1, 1, 1, 0, 1]
    disabled = cursor(youtube.COMMENTS, "hKmpnDialog")
    assert disabled.failures == 2
    assert disabled.not_before == clock.now + timedelta(minutes=2)
    assert Item.objects.filter(platform="youtube").count() == 8


def test_handle_only_channels_are_looked_up_first(
    collect_settings: Any, server: ReplayServer, election: Election, context: PollContext
) -> None:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    hendra = Account.objects.create(platform="youtube", handle="hendrakusuma")
    lost = Account.objects.create(platform="youtube", handle="@akun_hilang")
    watchlist = Watchlist.objects.create(election=election, platform="youtube", queries=[])
    watchlist.accounts.add(hendra, lost)
    server.queue("GET", "/youtube/v3/channels", "youtube/channels_for_handle.json")
    server.queue("GET", "/youtube/v3/channels", "youtube/channels_none.json")
    server.queue("GET", SEARCH, "youtube/search_empty.json", channelId=CHANNEL)

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    assert [r.param("forHandle") for r in server.requests[:2]] == ["@hendrakusuma", "@akun_hilang"]
    hendra.refresh_from_db()
    assert hendra.platform_id == CHANNEL
    assert hendra.snapshots.get().followers == 8100
    assert summary.problems == ["kanal YouTube @akun_hilang tidak ditemukan"]
    assert [(t.endpoint, t.target) for t in summary.targets] == [(youtube.CHANNEL, CHANNEL)]
