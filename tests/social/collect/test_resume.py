"""A collector killed between pages resumes from its stored cursor and ends with the same data.

The cursor moves only after a page is loaded, so a poll killed after loading a page but
before storing its cursor fetches that one page again, and loading it again adds nothing.
Payloads: X API v2 user timeline pages
(https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netra.elections.models import Election
from netra.social.collect import services
from netra.social.collect.base import PollContext
from netra.social.collect.services import LEASE, Status, watchlist_poll
from netra.social.ingest import FileSummary
from netra.social.ingest import ingest_file as real_ingest
from netra.social.models import (
    Account,
    AccountSnapshot,
    CollectionCursor,
    Interaction,
    Item,
    Watchlist,
)
from netra.social.sources.x import collect as x
from tests.social.collect.replay import ReplayServer
from tests.social.conftest import START, FakeClock

TIMELINE = "/2/users/1300000000000000002/tweets"
TOKEN = "7140dibdnow9c7btw3z2vwioavpvutgzrnt7bi8yyqgd0"
NEWEST = "1856185147192246273"


class Killed(RuntimeError):
    """Stands for the worker being killed."""


@pytest.fixture
def watchlist(election: Election, collect_settings: Any) -> Watchlist:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    agus = Account.objects.create(
        platform="x", platform_id="1300000000000000002", handle="agus_setiyono_dmy"
    )
    made = Watchlist.objects.create(election=election, platform="x", queries=[])
    made.accounts.add(agus)
    return made


def stored() -> dict[str, Any]:
    walk = CollectionCursor.objects.get(endpoint=x.USER_TWEETS)
    return {
        "items": sorted(Item.objects.values_list("platform_id", "kind")),
        "accounts": Account.objects.count(),
        # Each source keeps its own snapshot of a profile (provenance); the versions seen
        # are what must not change.
        "profile_versions": AccountSnapshot.objects.values("account_id", "digest")
        .distinct()
        .count(),
        "interactions": Interaction.objects.count(),
        "cursor": (walk.cursor, walk.newest_id, walk.failures, walk.error),
    }


EXPECTED = {
    "items": [
        ("1855067784606646273", "post"),
        ("1855751036728246273", "share"),
        ("1855905806545846273", "reply"),
        ("1856185147192246273", "post"),
    ],
    "accounts": 2,
    "profile_versions": 2,
    "interactions": 1,
    "cursor": ("", NEWEST, 0, ""),
}


@pytest.mark.parametrize("killed_after", [None, 1, 2])
def test_a_killed_poll_resumes_from_its_cursor_with_the_same_final_data(
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    killed_after: int | None,
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json", pagination_token=None)
    server.queue("GET", TIMELINE, "x/timeline_page2.json", pagination_token=TOKEN)
    loaded: list[int] = []

    def ingest_then_die(path: Path, **options: Any) -> FileSummary:
        # The page is loaded and committed; the worker dies before the cursor is stored.
        summary = real_ingest(path, **options)
        loaded.append(summary.source_id)
        if len(loaded) == killed_after:
            raise Killed("dimatikan")
        return summary

    monkeypatch.setattr(services, "ingest_file", ingest_then_die)

    if killed_after is None:
        watchlist_poll(watchlist=watchlist, context=context)
    else:
        with pytest.raises(Killed):
            watchlist_poll(watchlist=watchlist, context=context)
        interrupted = CollectionCursor.objects.get(endpoint=x.USER_TWEETS)
        assert interrupted.failures == 1
        assert interrupted.error == "Killed('dimatikan')"
        # The claim holds the target until it runs out, as after a real kill.
        assert interrupted.not_before == START + LEASE
        assert watchlist_poll(watchlist=watchlist, context=context).targets[0].status == (
            Status.WAITING
        )
        clock.advance(minutes=11)
        if killed_after == 1:
            server.queue("GET", TIMELINE, "x/timeline_page1.json", pagination_token=None)
        else:
            server.queue("GET", TIMELINE, "x/timeline_page2.json", pagination_token=TOKEN)
        resumed = watchlist_poll(watchlist=watchlist, context=context)
        assert resumed.targets[0].status == Status.DONE

    assert server.unexpected == []
    assert server.left() == 0
    tokens = [r.param("pagination_token") for r in server.requests]
    assert (
        tokens
        == {
            None: [None, TOKEN],
            1: [None, None, TOKEN],  # page 1 fetched again, once
            2: [None, TOKEN, TOKEN],  # page 2 fetched again, once
        }[killed_after]
    )
    assert stored() == EXPECTED


def test_a_walk_longer_than_the_page_limit_goes_on_at_the_next_poll(
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    collect_settings: Any,
) -> None:
    collect_settings.NETRA_COLLECT_MAX_PAGES = 1
    server.queue("GET", TIMELINE, "x/timeline_page1.json")

    first = watchlist_poll(watchlist=watchlist, context=context)

    assert first.targets[0].status == Status.MORE
    walk = CollectionCursor.objects.get(endpoint=x.USER_TWEETS)
    assert walk.not_before is None
    assert walk.newest_id == ""

    server.queue("GET", TIMELINE, "x/timeline_page2.json")
    second = watchlist_poll(watchlist=watchlist, context=context)

    assert second.targets[0].status == Status.DONE
    assert server.requests[1].param("pagination_token") == TOKEN
    assert stored() == EXPECTED
    walk.refresh_from_db()
    assert walk.not_before == START + timedelta(minutes=14)
