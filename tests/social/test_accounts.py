"""Account identity: one resolver, one tie-break, adoption of ids, and their events.

Every path that turns a handle into an account (a file load, a manual entry, the
registry's upsert, the collectors) must pick the same row of several that share it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from netra.core.events import events_for
from netra.core.models import Event
from netra.elections.models import Election
from netra.social.accounts import (
    HANDLE_ORDER_SQL,
    HANDLE_ORDERING,
    account_for_handle,
    account_id_adopt,
    account_identify,
    account_resolve,
    account_upsert,
)
from netra.social.events import SocialEvent
from netra.social.ingest import ingest_file
from netra.social.models import Account, Item, Watchlist
from netra.social.services import item_manual_create
from netra.staff.models import User

pytestmark = pytest.mark.django_db

START = datetime(2024, 11, 1, tzinfo=UTC)


def _account(pk_order: int, handle: str, platform_id: str = "") -> Account:
    """An account whose ``updated_at`` grows with ``pk_order``, so "newest" is well defined."""
    account = Account.objects.create(platform="x", platform_id=platform_id, handle=handle)
    Account.objects.filter(pk=account.pk).update(updated_at=START + timedelta(days=pk_order))
    return account


@pytest.fixture
def shared_handle() -> dict[str, Account]:
    """Four rows of one handle. The one tie-break picks ``first_with_id``; each older rule
    picked another: the newest (registry), the newest with an id (manual entry), the
    greatest id (collector)."""
    return {
        "oldest_handle_only": _account(1, "Siti_Rahma"),
        "first_with_id": _account(2, "siti_rahma", "1300000000000000001"),
        "later_with_id": _account(3, "SITI_RAHMA", "1300000000000000009"),
        "newest_handle_only": _account(4, "siti_RAHMA"),
    }


# --- the tie-break ----------------------------------------------------------------------------


def test_the_sql_and_the_orm_tie_breaks_order_rows_alike(
    shared_handle: dict[str, Account],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM social_account ORDER BY " + HANDLE_ORDER_SQL)  # noqa: S608
        by_sql = [pk for (pk,) in cursor.fetchall()]
    by_orm = list(Account.objects.order_by(*HANDLE_ORDERING).values_list("pk", flat=True))

    expected = [
        shared_handle[name].pk
        for name in ("first_with_id", "later_with_id", "oldest_handle_only", "newest_handle_only")
    ]
    assert by_sql == expected
    assert by_orm == expected


def _by_file(tmp_path: Path, handle: str) -> int | None:
    path = tmp_path / "sebutan.jsonl"
    record = {
        "record": "item",
        "platform": "x",
        "id": "1855075334353846272",
        "author_handle": handle,
        "text": "Ayo pilih paslon 1",
        "created_at": "2024-11-20T14:30:00+07:00",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest_file(path)
    return Item.objects.get(platform="x", platform_id="1855075334353846272").author_id


def _by_manual_entry(tmp_path: Path, handle: str) -> int | None:
    item = item_manual_create(
        url="https://x.com/siti_rahma/status/1855075334353846272",
        platform="x",
        text="Ayo pilih paslon 1",
        author_handle=handle,
        created_at=None,
        screenshot=None,
        actor=None,
    )
    return item.author_id


def _by_registry_upsert(tmp_path: Path, handle: str) -> int | None:
    return account_upsert(platform="x", handle=handle).pk


def _by_collector(tmp_path: Path, handle: str) -> int | None:
    return account_for_handle(platform="x", handle=handle).pk


def _by_resolve(tmp_path: Path, handle: str) -> int | None:
    found = account_resolve(platform="x", handle=handle)
    return found.pk if found else None


@pytest.mark.parametrize(
    "path",
    [_by_file, _by_manual_entry, _by_registry_upsert, _by_collector, _by_resolve],
    ids=["file", "manual", "registry", "collector", "resolve"],
)
@pytest.mark.parametrize("handle", ["siti_rahma", "@Siti_Rahma"])
def test_every_path_picks_the_same_account_of_a_shared_handle(
    shared_handle: dict[str, Account],
    tmp_path: Path,
    settings: Any,
    path: Callable[[Path, str], int | None],
    handle: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"

    assert path(tmp_path, handle) == shared_handle["first_with_id"].pk
    assert Account.objects.count() == 4


def _adopt_by_file(tmp_path: Path, platform_id: str, handle: str) -> None:
    path = tmp_path / "profil.jsonl"
    record = {"record": "account", "platform": "x", "id": platform_id, "handle": handle}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest_file(path)


def _adopt_by_registry_upsert(tmp_path: Path, platform_id: str, handle: str) -> None:
    account_upsert(platform="x", platform_id=platform_id, handle=handle)


@pytest.mark.parametrize(
    "path", [_adopt_by_file, _adopt_by_registry_upsert], ids=["file", "registry"]
)
def test_the_oldest_handle_only_row_adopts_an_id_on_every_path_and_it_is_recorded(
    shared_handle: dict[str, Account], tmp_path: Path, path: Callable[[Path, str, str], None]
) -> None:
    oldest = shared_handle["oldest_handle_only"]

    path(tmp_path, "1300000000000000005", "SITI_rahma")
    path(tmp_path, "1300000000000000005", "SITI_rahma")

    ids = dict(Account.objects.values_list("pk", "platform_id"))
    assert ids == {
        oldest.pk: "1300000000000000005",
        shared_handle["first_with_id"].pk: "1300000000000000001",
        shared_handle["later_with_id"].pk: "1300000000000000009",
        shared_handle["newest_handle_only"].pk: "",
    }
    [adopted] = Event.objects.filter(kind="social.account_id_adopted")
    assert (adopted.subject_id, adopted.actor_id, adopted.params) == (
        str(oldest.pk),
        None,
        {"platform": "x", "platform_id": "1300000000000000005", "handle": "Siti_Rahma"},
    )


def test_with_an_id_only_a_handle_only_row_answers_to_the_handle(
    shared_handle: dict[str, Account],
) -> None:
    oldest = shared_handle["oldest_handle_only"]

    assert (
        account_resolve(platform="x", platform_id="1300000000000000009")
        == (shared_handle["later_with_id"])
    )
    assert account_resolve(platform="x", platform_id="77", handle="siti_rahma") == oldest
    Account.objects.filter(platform_id="").delete()
    assert account_resolve(platform="x", platform_id="77", handle="siti_rahma") is None
    assert account_resolve(platform="x", platform_id="77") is None
    assert account_resolve(platform="x", handle="@") is None


# --- account_upsert (moved from the registry) -------------------------------------------------


def test_it_creates_an_account_once_and_records_it(personas: dict[str, User | None]) -> None:
    analyst = personas["malang_analyst"]
    assert analyst is not None
    account = account_upsert(
        platform="x",
        platform_id="9001",
        handle="@SitiRahma",
        display_name="Siti R.",
        bio="Guru SD",
        url="https://x.com/SitiRahma",
        actor=analyst,
    )
    again = account_upsert(platform="x", platform_id="9001", handle="SitiRahma")

    assert again.pk == account.pk
    assert Account.objects.count() == 1
    assert (account.platform, account.platform_id, account.handle, account.display_name) == (
        "x",
        "9001",
        "SitiRahma",
        "Siti R.",
    )
    [created] = events_for(account)
    assert (created.kind, created.actor, created.params) == (
        "social.account_created",
        analyst,
        {"platform": "x", "platform_id": "9001", "handle": "SitiRahma"},
    )


def test_it_updates_what_changed_and_keeps_what_was_not_given() -> None:
    account = account_upsert(platform="x", platform_id="9001", handle="SitiRahma", bio="Guru SD")

    account_upsert(platform="x", platform_id="9001", handle="siti_baru", display_name="Siti")

    account.refresh_from_db()
    assert (account.handle, account.display_name, account.bio) == ("siti_baru", "Siti", "Guru SD")
    updated = Event.objects.get(kind="social.account_updated")
    assert updated.params == {"fields": ["handle", "display_name"]}


def test_an_id_found_later_is_given_to_the_account_known_by_handle() -> None:
    by_handle = account_upsert(platform="tiktok", handle="sitirahma")

    with_id = account_upsert(platform="tiktok", platform_id="6812", handle="SitiRahma")

    assert with_id.pk == by_handle.pk
    assert Account.objects.get().platform_id == "6812"
    assert [(e.kind, e.params) for e in Event.objects.order_by("pk")] == [
        (
            "social.account_created",
            {"platform": "tiktok", "platform_id": "", "handle": "sitirahma"},
        ),
        (
            "social.account_id_adopted",
            {"platform": "tiktok", "platform_id": "6812", "handle": "sitirahma"},
        ),
        ("social.account_updated", {"fields": ["handle"]}),
    ]


@pytest.mark.parametrize(
    ("platform", "handle", "messages"),
    [
        ("x", "@", ["Akun memerlukan ID platform atau nama akun."]),
        ("friendster", "siti", ["platform friendster tidak dikenal"]),
    ],
)
def test_an_account_needs_a_known_platform_and_an_id_or_a_handle(
    platform: str, handle: str, messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        account_upsert(platform=platform, handle=handle)

    assert caught.value.messages == messages
    assert (Account.objects.count(), Event.objects.count()) == (0, 0)


# --- account_for_handle and account_identify (moved from social.collect) -----------------------


def test_an_unknown_handle_becomes_a_handle_only_account_once() -> None:
    account = account_for_handle(platform="x", handle=" @Hendra_Kusuma")
    again = account_for_handle(platform="x", handle="hendra_kusuma")

    assert again.pk == account.pk
    assert (account.platform, account.platform_id, account.handle) == ("x", "", "Hendra_Kusuma")
    assert [e.kind for e in Event.objects.all()] == ["social.account_created"]


@pytest.fixture
def watchlist(election: Election) -> Watchlist:
    return Watchlist.objects.create(election=election, platform="x", queries=[])


def test_a_watched_handle_only_account_adopts_the_id_once(watchlist: Watchlist) -> None:
    typed = Account.objects.create(platform="x", handle="asn_contoh")
    watchlist.accounts.add(typed)

    first = account_identify(watchlist=watchlist, account=typed, platform_id="1300000000000000009")
    again = account_identify(watchlist=watchlist, account=typed, platform_id="1300000000000000009")

    assert (first.pk, again.pk, typed.platform_id) == (typed.pk, typed.pk, "1300000000000000009")
    assert list(watchlist.accounts.values_list("pk", flat=True)) == [typed.pk]
    assert [(e.kind, e.params) for e in events_for(typed)] == [
        (
            SocialEvent.ACCOUNT_ID_ADOPTED,
            {"platform": "x", "platform_id": "1300000000000000009", "handle": "asn_contoh"},
        )
    ]


def test_the_row_that_has_the_id_replaces_the_handle_only_one_in_the_watchlist(
    watchlist: Watchlist,
) -> None:
    known = Account.objects.create(platform="x", platform_id="1300000000000000009", handle="asn")
    typed = Account.objects.create(platform="x", handle="asn_contoh")
    watchlist.accounts.add(typed)

    first = account_identify(watchlist=watchlist, account=typed, platform_id="1300000000000000009")
    again = account_identify(watchlist=watchlist, account=typed, platform_id="1300000000000000009")

    assert (first.pk, again.pk) == (known.pk, known.pk)
    assert list(watchlist.accounts.values_list("pk", flat=True)) == [known.pk]
    typed.refresh_from_db()
    assert typed.platform_id == ""
    [replaced] = Event.objects.all()
    assert (replaced.kind, replaced.subject_id, replaced.params) == (
        "social.watchlist_account_replaced",
        str(watchlist.pk),
        {
            "platform": "x",
            "platform_id": "1300000000000000009",
            "handle": "asn_contoh",
            "replaced": typed.pk,
            "by": known.pk,
        },
    )


def test_an_account_that_has_an_id_keeps_it() -> None:
    account = Account.objects.create(platform="x", platform_id="13", handle="asn")

    held = account_id_adopt(account=account, platform_id="14")

    account.refresh_from_db()
    assert (held.pk, account.platform_id) == (account.pk, "13")
    assert Event.objects.count() == 0


def test_an_id_set_meanwhile_is_kept_and_not_recorded_twice() -> None:
    typed = Account.objects.create(platform="x", handle="asn_contoh")
    # As a concurrent poll would have: the row got its id after this copy was read.
    Account.objects.filter(pk=typed.pk).update(platform_id="1300000000000000009")

    held = account_id_adopt(account=typed, platform_id="1300000000000000009")

    assert (held.pk, held.platform_id) == (typed.pk, "1300000000000000009")
    assert Event.objects.count() == 0
