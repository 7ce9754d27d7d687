"""X API v2 collection against the loopback replay server.

Payloads follow the X API v2 reference: https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id
(``GET /2/users/:id/tweets``: ``since_id``, ``pagination_token``, ``meta.next_token``),
https://docs.x.com/x-api/posts/search-recent-posts (``GET /2/tweets/search/recent``:
``query``, ``since_id``, ``next_token``), https://docs.x.com/x-api/posts/get-liking-users
and https://docs.x.com/x-api/users/user-lookup-by-usernames; rate limits:
https://docs.x.com/x-api/fundamentals/rate-limits (``x-rate-limit-reset``, epoch seconds).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netra.elections.models import Election
from netra.social.collect.base import PollContext
from netra.social.collect.services import Status, watchlist_poll
from netra.social.models import (
    Account,
    CollectionCursor,
    Interaction,
    Item,
    Source,
    SourceKind,
    Watchlist,
)
from netra.social.sources.x import collect as x
from tests.social.collect.replay import ReplayServer
from tests.social.conftest import START, X_TOKEN, FakeClock

AGUS = "1300000000000000002"
T1, T2, T3, T4 = (
    "1855751036728246273",
    "1855905806545846273",
    "1856185147192246273",
    "1856217862763446273",
)
C1 = "1855067784606646273"
S1, S2, S3 = "1855943555281846273", "1856139848709046273", "1855751036728246300"
GONE = "1855751036728246301"  # named in the errors of search_page2: a tombstone
TIMELINE = f"/2/users/{AGUS}/tweets"
SEARCH = "/2/tweets/search/recent"
QUERY = '"Hendra Kusumawardhana"'


def likers(tweet_id: str) -> str:
    return f"/2/tweets/{tweet_id}/liking_users"


@pytest.fixture
def watchlist(election: Election) -> Watchlist:
    agus = Account.objects.create(platform="x", platform_id=AGUS, handle="agus_setiyono_dmy")
    made = Watchlist.objects.create(election=election, platform="x", queries=[QUERY])
    made.accounts.add(agus)
    return made


def cursor(watchlist: Watchlist, endpoint: str, target: str) -> CollectionCursor:
    return CollectionCursor.objects.get(watchlist=watchlist, endpoint=endpoint, target=target)


def test_a_first_poll_walks_timelines_searches_and_likes_then_stores_cursors(
    collect_settings: Any, server: ReplayServer, watchlist: Watchlist, context: PollContext
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json", "x/timeline_page2.json")
    server.queue("GET", SEARCH, "x/search_page1.json", "x/search_page2.json")
    server.queue("GET", likers(T3), "x/liking_users.json")
    server.queue("GET", likers(T2), "x/empty.json")

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    assert server.left() == 0
    asked = [(r.path, r.param("pagination_token"), r.param("next_token")) for r in server.requests]
    assert asked == [
        (TIMELINE, None, None),
        (TIMELINE, "7140dibdnow9c7btw3z2vwioavpvutgzrnt7bi8yyqgd0", None),
        (SEARCH, None, None),
        (SEARCH, None, "b26v89c19zqg8o3frr3yp91qkfe5bjyqqhb8m5r2tevr1"),
        (likers(T3), None, None),
        (likers(T2), None, None),
    ]
    first = server.requests[0]
    assert first.headers["authorization"] == f"Bearer {X_TOKEN}"
    assert first.param("since_id") is None
    assert first.param("start_time") == "2024-11-05T06:00:00Z"
    assert server.requests[1].param("start_time") == "2024-11-05T06:00:00Z"
    assert first.param("max_results") == "100"
    assert first.param("tweet.fields") == x.TWEET_FIELDS
    assert first.param("expansions") == x.EXPANSIONS
    assert server.requests[2].param("query") == QUERY
    assert server.requests[2].param("since_id") is None
    assert server.requests[2].param("start_time") is None

    assert [(t.endpoint, t.target, t.status, t.pages) for t in summary.targets] == [
        (x.USER_TWEETS, AGUS, Status.DONE, 2),
        (x.SEARCH, QUERY, Status.DONE, 2),
        (x.LIKING_USERS, T3, Status.DONE, 1),
        (x.LIKING_USERS, T2, Status.DONE, 1),
    ]
    assert sorted(Item.objects.values_list("platform_id", flat=True)) == sorted(
        [T1, T2, T3, C1, S1, S2, S3, GONE]
    )
    assert Item.objects.get(platform_id=S3).withheld is True
    assert Item.objects.get(platform_id=GONE).deleted is True
    assert Item.objects.get(platform_id=T2).parent_platform_id == C1
    likes = Interaction.objects.filter(kind="like").values_list(
        "actor__handle", "target_item_platform_id"
    )
    assert sorted(likes) == [("asn_contoh", T3), ("warga_fiktif_12", T3)]

    timeline = cursor(watchlist, x.USER_TWEETS, AGUS)
    assert (timeline.cursor, timeline.newest_id, timeline.last_status) == ("", T3, 200)
    assert (timeline.failures, timeline.error) == (0, "")
    assert timeline.not_before == START + timedelta(minutes=14)
    assert cursor(watchlist, x.SEARCH, QUERY).newest_id == S2
    assert cursor(watchlist, x.LIKING_USERS, T3).newest_id == ""

    sources = Source.objects.order_by("pk")
    assert [s.kind for s in sources] == [SourceKind.API] * 6
    assert {s.format for s in sources} == {"x-v2-jsonl"}
    assert {s.election_id for s in sources} == {watchlist.election_id}


def test_saved_pages_are_twarc2_lines_with_the_url_and_no_secret(
    collect_settings: Any, server: ReplayServer, watchlist: Watchlist, context: PollContext
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_new.json")
    server.queue("GET", SEARCH, "x/empty.json")
    server.queue("GET", likers(T4), "x/empty.json")

    watchlist_poll(watchlist=watchlist, context=context)

    folder = Path(collect_settings.VAR_DIR) / "collect" / "x" / "pilbup-malang-2024" / "2024-11-12"
    files = sorted(folder.iterdir())
    assert len(files) == 3
    assert all(X_TOKEN not in f.read_text(encoding="utf-8") for f in files)
    timeline = next(f for f in files if "users_" in f.name)
    page = json.loads(timeline.read_bytes())
    assert page["data"][0]["id"] == T4
    assert page["__twarc"]["retrieved_at"] == START.isoformat()
    assert page["__twarc"]["url"].startswith(f"{server.url}{TIMELINE}?max_results=100&")
    assert Item.objects.get(platform_id=T4).collected_at == START


def test_the_next_poll_asks_only_for_what_is_newer(
    collect_settings: Any,
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    clock: FakeClock,
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json", "x/timeline_page2.json")
    server.queue("GET", SEARCH, "x/search_page1.json", "x/search_page2.json")
    server.queue("GET", likers(T3), "x/liking_users.json")
    server.queue("GET", likers(T2), "x/empty.json")
    watchlist_poll(watchlist=watchlist, context=context)
    done = len(server.requests)

    clock.advance(minutes=10)
    early = watchlist_poll(watchlist=watchlist, context=context)
    assert [t.status for t in early.targets] == [Status.WAITING] * 4
    assert len(server.requests) == done

    clock.advance(minutes=10)
    server.queue("GET", TIMELINE, "x/timeline_new.json")
    server.queue("GET", SEARCH, "x/empty.json")
    for tweet in (T4, T3, T2):
        server.queue("GET", likers(tweet), "x/empty.json")
    watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    later = server.requests[done:]
    assert [(r.path, r.param("since_id"), r.param("pagination_token")) for r in later[:2]] == [
        (TIMELINE, T3, None),
        (SEARCH, S2, None),
    ]
    assert later[0].param("start_time") is None
    assert [r.path for r in later[2:]] == [likers(T4), likers(T3), likers(T2)]
    assert cursor(watchlist, x.USER_TWEETS, AGUS).newest_id == T4
    assert cursor(watchlist, x.SEARCH, QUERY).newest_id == S2
    assert Item.objects.count() == 9


def test_handle_only_accounts_get_their_ids_before_their_timelines_are_read(
    collect_settings: Any, server: ReplayServer, election: Election, context: PollContext
) -> None:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    asn = Account.objects.create(platform="x", handle="@asn_contoh")
    missing = Account.objects.create(platform="x", handle="akun_hilang_fiktif")
    watchlist = Watchlist.objects.create(election=election, platform="x", queries=[])
    watchlist.accounts.add(asn, missing)
    server.queue("GET", "/2/users/by", "x/users_by.json")
    server.queue("GET", "/2/users/1300000000000000009/tweets", "x/empty.json")

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert server.unexpected == []
    assert server.requests[0].param("usernames") == "asn_contoh,akun_hilang_fiktif"
    asn.refresh_from_db()
    assert asn.platform_id == "1300000000000000009"
    assert Account.objects.filter(platform="x", platform_id="1300000000000000009").count() == 1
    assert asn.snapshots.get().display_name == "ASN Contoh"
    assert [(t.endpoint, t.target) for t in summary.targets] == [
        (x.USER_TWEETS, "1300000000000000009")
    ]
    assert sorted(watchlist.accounts.values_list("pk", flat=True)) == [asn.pk, missing.pk]


def test_a_handle_whose_id_is_already_known_is_replaced_in_the_watchlist(
    collect_settings: Any, server: ReplayServer, election: Election, context: PollContext
) -> None:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    known = Account.objects.create(platform="x", platform_id="1300000000000000009", handle="asn")
    typed = Account.objects.create(platform="x", handle="asn_contoh")
    watchlist = Watchlist.objects.create(election=election, platform="x", queries=[])
    watchlist.accounts.add(typed)
    server.queue("GET", "/2/users/by", "x/users_by.json")
    server.queue("GET", "/2/users/1300000000000000009/tweets", "x/empty.json")

    watchlist_poll(watchlist=watchlist, context=context)

    assert list(watchlist.accounts.values_list("pk", flat=True)) == [known.pk]
    typed.refresh_from_db()
    assert typed.platform_id == ""
    assert server.unexpected == []


def test_a_platform_without_credentials_is_not_polled(
    collect_settings: Any, server: ReplayServer, watchlist: Watchlist, context: PollContext
) -> None:
    collect_settings.NETRA_X_BEARER_TOKEN = ""

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert summary.configured is False
    assert summary.problems == [
        "Kredensial API X (Twitter) belum diatur; daftar pantau ini dilewati."
    ]
    assert server.requests == []
    assert CollectionCursor.objects.count() == 0
