"""Retries and back-off of the API client, and failures recorded on the cursor.

Rate-limit answers follow https://docs.x.com/x-api/fundamentals/rate-limits
(429 with ``x-rate-limit-reset``, epoch seconds) and RFC 9110 §10.2.3 (``Retry-After``:
seconds or an HTTP date); the YouTube key header follows
https://cloud.google.com/docs/authentication/api-keys-use (``X-Goog-Api-Key``).
"""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest

from netra.elections.models import Election
from netra.social.collect.base import PollContext
from netra.social.collect.http import ApiClient, ApiFailure, ApiRequest, api_config
from netra.social.collect.services import Status, watchlist_poll
from netra.social.models import Account, CollectionCursor, Item, Watchlist
from netra.social.sources.x import collect as x
from tests.social.collect.replay import Answer, ReplayServer
from tests.social.conftest import START, YOUTUBE_KEY, FakeClock, Sleeps

TIMELINE = "/2/users/1300000000000000002/tweets"
PING = ApiRequest("GET", TIMELINE, {"max_results": "100"})


@pytest.fixture
def client(collect_settings: Any, clock: FakeClock, sleeps: Sleeps) -> Any:
    made = ApiClient(api_config("x"), sleep=sleeps, clock=clock, jitter=lambda: 0.5)
    yield made
    made.close()


def test_a_429_waits_until_x_rate_limit_reset_then_asks_again(
    client: ApiClient, server: ReplayServer, sleeps: Sleeps
) -> None:
    server.queue("GET", TIMELINE, "x/rate_limited.http.json", "x/empty.json")

    response = client.send(PING)

    assert response.status == 200
    assert response.data == {"meta": {"result_count": 0}}
    assert sleeps.seconds == [30.0]
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "Tue, 12 Nov 2024 06:00:45 GMT"}, 45.0),
        ({}, 1.5),  # no time named: back-off 2 s, half of it jittered by 0.5
    ],
)
def test_a_429_honours_retry_after_or_backs_off(
    client: ApiClient,
    server: ReplayServer,
    sleeps: Sleeps,
    headers: dict[str, str],
    waited: float,
) -> None:
    server.queue("GET", TIMELINE, Answer(status=429, headers=headers, body=b"{}"), "x/empty.json")

    assert client.send(PING).status == 200
    assert sleeps.seconds == [waited]


def test_a_429_with_a_distant_reset_is_not_slept_through(
    client: ApiClient, server: ReplayServer, sleeps: Sleeps
) -> None:
    server.queue("GET", TIMELINE, "x/rate_limited_window.http.json")

    with pytest.raises(ApiFailure) as caught:
        client.send(PING)

    assert caught.value.status == 429
    assert caught.value.not_before == START + timedelta(minutes=15)
    assert str(caught.value) == "batas laju platform (HTTP 429): Too Many Requests"
    assert sleeps.seconds == []
    assert len(server.requests) == 1


def test_server_errors_and_dropped_connections_are_retried_with_growing_waits(
    client: ApiClient, server: ReplayServer, sleeps: Sleeps
) -> None:
    server.queue(
        "GET",
        TIMELINE,
        "x/internal_error.http.json",
        "x/dropped.http.json",
        "x/service_unavailable.http.json",
        "x/timeline_new.json",
    )

    assert client.send(PING).data["meta"]["newest_id"] == "1856217862763446273"
    assert sleeps.seconds == [1.5, 3.0, 6.0]
    assert len(server.requests) == 4


def test_it_gives_up_after_the_last_try(
    client: ApiClient, server: ReplayServer, sleeps: Sleeps
) -> None:
    server.queue("GET", TIMELINE, *["x/service_unavailable.http.json"] * 4)

    with pytest.raises(ApiFailure) as caught:
        client.send(PING)

    assert caught.value.status == 503
    assert caught.value.not_before is None
    assert str(caught.value) == "gagal setelah 4 percobaan (HTTP 503): Service Unavailable"
    assert sleeps.seconds == [1.5, 3.0, 6.0]
    assert server.left() == 0


def test_a_refused_request_is_not_retried(
    client: ApiClient, server: ReplayServer, sleeps: Sleeps
) -> None:
    server.queue("GET", TIMELINE, "x/unauthorized.http.json")

    with pytest.raises(ApiFailure) as caught:
        client.send(PING)

    assert caught.value.status == 401
    assert str(caught.value) == "platform menolak permintaan (HTTP 401): Unauthorized"
    assert sleeps.seconds == []


def test_an_answer_that_is_not_json_is_a_failure(client: ApiClient, server: ReplayServer) -> None:
    server.queue("GET", TIMELINE, Answer(body=b"<html>maintenance</html>"))

    with pytest.raises(ApiFailure) as caught:
        client.send(PING)

    assert str(caught.value) == "jawaban platform bukan JSON (HTTP 200)"


def test_nobody_listening_is_a_connection_failure(
    collect_settings: Any, clock: FakeClock, sleeps: Sleeps
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    collect_settings.NETRA_X_API_URL = f"http://127.0.0.1:{port}"
    with (
        ApiClient(api_config("x"), sleep=sleeps, clock=clock, jitter=lambda: 0.5) as client,
        pytest.raises(ApiFailure) as caught,
    ):
        client.send(PING)

    assert caught.value.status is None
    assert str(caught.value).startswith("gagal setelah 4 percobaan (tanpa jawaban): ")
    assert "ConnectError" in str(caught.value)
    assert sleeps.seconds == [1.5, 3.0, 6.0]


def test_the_youtube_key_travels_in_a_header_and_never_in_the_url(
    collect_settings: Any, server: ReplayServer, clock: FakeClock, sleeps: Sleeps
) -> None:
    server.queue("GET", "/youtube/v3/search", "youtube/search_empty.json")
    with ApiClient(api_config("youtube"), sleep=sleeps, clock=clock) as client:
        response = client.send(ApiRequest("GET", "/search", {"q": "Hendra"}))

    seen = server.requests[0]
    assert seen.headers["x-goog-api-key"] == YOUTUBE_KEY
    assert seen.query == {"q": ["Hendra"]}
    assert response.url == f"{server.url}/youtube/v3/search?q=Hendra"


# --- failures recorded on the cursor ---------------------------------------------------------


@pytest.fixture
def watchlist(election: Election, collect_settings: Any) -> Watchlist:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    agus = Account.objects.create(
        platform="x", platform_id="1300000000000000002", handle="agus_setiyono_dmy"
    )
    made = Watchlist.objects.create(election=election, platform="x", queries=["#MalangMakmur"])
    made.accounts.add(agus)
    return made


def test_a_failed_target_keeps_its_walk_and_rests_while_others_go_on(
    server: ReplayServer,
    watchlist: Watchlist,
    context: PollContext,
    clock: FakeClock,
) -> None:
    server.queue("GET", TIMELINE, "x/timeline_page1.json")
    server.queue("GET", TIMELINE, *["x/service_unavailable.http.json"] * 4)
    server.queue("GET", "/2/tweets/search/recent", "x/empty.json")

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert [(t.endpoint, t.status, t.pages) for t in summary.targets] == [
        (x.USER_TWEETS, Status.FAILED, 1),
        (x.SEARCH, Status.DONE, 1),
    ]
    stuck = CollectionCursor.objects.get(endpoint=x.USER_TWEETS)
    assert stuck.failures == 1
    assert stuck.last_status == 503
    assert stuck.error == "gagal setelah 4 percobaan (HTTP 503): Service Unavailable"
    assert stuck.not_before == START + timedelta(minutes=1)
    assert stuck.newest_id == ""
    assert '"token":"7140dibdnow9c7btw3z2vwioavpvutgzrnt7bi8yyqgd0"' in stuck.cursor
    assert Item.objects.count() == 3

    asked = len(server.requests)
    resting = watchlist_poll(watchlist=watchlist, context=context)
    assert resting.targets[0].status == Status.WAITING
    assert len(server.requests) == asked

    clock.advance(minutes=2)
    server.queue("GET", TIMELINE, "x/timeline_page2.json")
    server.queue("GET", "/2/tweets/search/recent", "x/empty.json")
    watchlist_poll(watchlist=watchlist, context=context)

    resumed = server.requests[asked]
    assert resumed.path == TIMELINE
    assert resumed.param("pagination_token") == "7140dibdnow9c7btw3z2vwioavpvutgzrnt7bi8yyqgd0"
    stuck.refresh_from_db()
    assert (stuck.cursor, stuck.newest_id, stuck.failures, stuck.error) == (
        "",
        "1856185147192246273",
        0,
        "",
    )
    assert Item.objects.count() == 4


def test_a_rate_limit_window_is_recorded_as_not_before(
    server: ReplayServer, watchlist: Watchlist, context: PollContext
) -> None:
    server.queue("GET", TIMELINE, "x/rate_limited_window.http.json")
    server.queue("GET", "/2/tweets/search/recent", "x/empty.json")

    watchlist_poll(watchlist=watchlist, context=context)

    limited = CollectionCursor.objects.get(endpoint=x.USER_TWEETS)
    assert (limited.last_status, limited.failures) == (429, 1)
    assert limited.not_before == START + timedelta(minutes=15)
    assert limited.cursor == ""
