"""The collection task runs polls in-process (eagerly) against the loopback replay server.

Payloads: X API v2 user timeline pages (https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings

from netra.config.celery import app
from netra.elections.models import Election
from netra.social.models import Account, CollectionCursor, Item, Watchlist
from netra.social.tasks import collect_poll
from tests.social.collect.replay import ReplayServer
from tests.social.conftest import (  # noqa: F401 - fixtures used by name
    collect_settings,
    election,
    server,
)

TIMELINE = "/2/users/1300000000000000002/tweets"


@pytest.fixture
def watchlists(election: Election, collect_settings: Any) -> dict[str, Watchlist]:  # noqa: F811
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    agus = Account.objects.create(
        platform="x", platform_id="1300000000000000002", handle="agus_setiyono_dmy"
    )
    on_x = Watchlist.objects.create(election=election, platform="x", queries=[])
    on_x.accounts.add(agus)
    idle = Watchlist.objects.create(
        election=election, platform="youtube", queries=["Hendra"], active=False
    )
    return {"x": on_x, "youtube": idle}


def test_the_task_polls_one_watchlist(
    server: ReplayServer,  # noqa: F811
    watchlists: dict[str, Watchlist],
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json", "x/timeline_page2.json")

    result = collect_poll.delay(watchlists["x"].pk).get()

    assert server.unexpected == []
    assert len(result) == 1
    assert {k: result[0][k] for k in ("watchlist", "platform", "pages", "new")} == {
        "watchlist": watchlists["x"].pk,
        "platform": "x",
        "pages": 2,
        "new": 7,
    }
    assert result[0]["targets"][0]["status"] == "done"
    assert Item.objects.count() == 4
    assert CollectionCursor.objects.get().newest_id == "1856185147192246273"


def test_without_an_id_it_polls_every_active_watchlist(
    server: ReplayServer,  # noqa: F811
    watchlists: dict[str, Watchlist],
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json", "x/timeline_page2.json")

    result = collect_poll.delay().get()

    assert [summary["platform"] for summary in result] == ["x"]
    assert all(not r.path.startswith("/youtube") for r in server.requests)
    assert len(server.requests) == 2


def test_an_inactive_or_missing_watchlist_is_skipped(
    server: ReplayServer,  # noqa: F811
    watchlists: dict[str, Watchlist],
) -> None:
    assert collect_poll.delay(watchlists["youtube"].pk).get() == []
    assert collect_poll.delay(987654).get() == []
    assert server.requests == []


def test_beat_polls_on_the_configured_schedule() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["netra.social.collect_poll"]

    assert entry == {"task": "netra.social.collect_poll", "schedule": 900.0}
    assert entry["task"] in app.tasks
    assert collect_poll.name == entry["task"]
