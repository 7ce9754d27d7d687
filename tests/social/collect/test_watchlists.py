"""Watchlists built from an election's candidates, and the accounts the caller picks."""

from __future__ import annotations

import pytest

from netra.core.models import Event
from netra.elections.models import Candidate, Election
from netra.social.collect.watchlists import candidate_queries, watchlist_build
from netra.social.models import Account, Watchlist

EXPECTED = [
    '"Hendra Kusumawardhana"',
    "#HendraKusumawardhana",
    '"Ratna Sari Dewi"',
    "#RatnaSariDewi",
    '"Pak Hendra"',
    "#HendraRatna",
    "#MalangMakmur",
    '"Siti Nur\'aini"',
    "#SitiNuraini",
    '"Bu Aini"',
]


def test_it_builds_deduplicated_queries_from_names_aliases_and_hashtags(
    election: Election,
) -> None:
    watchlist = watchlist_build(election=election, platform="x", accounts=[], actor=None)

    assert watchlist.queries == EXPECTED
    assert watchlist.platform == "x"
    assert watchlist.active is True
    assert list(watchlist.accounts.all()) == []


def test_it_keeps_non_latin_scripts_and_drops_titles() -> None:
    candidate = Candidate(
        number=3,
        name="Prof. Dr. Ir. KH. Abdul Ghofur, M.Si.",
        running_mate="ꦲꦼꦤ꧀ꦢꦿ ꦱꦸꦒꦶꦃ",
        aliases=["عبد الغفور", "#Gus  Ghofur!", "Ghofur", "\u201cAbah Ghofur\u201d"],
        hashtags=["ꦒꦺꦴꦥꦸꦂ"],
    )

    assert candidate_queries(candidate) == [
        '"Abdul Ghofur"',
        "#AbdulGhofur",
        '"ꦲꦼꦤ꧀ꦢꦿ ꦱꦸꦒꦶꦃ"',
        "#ꦲꦼꦤ꧀ꦢꦿꦱꦸꦒꦶꦃ",
        '"عبد الغفور"',
        "#GusGhofur",
        "Ghofur",
        '"Abah Ghofur"',
        "#ꦒꦺꦴꦥꦸꦂ",
    ]


def test_it_watches_only_the_given_accounts_of_its_platform(election: Election) -> None:
    on_x = Account.objects.create(platform="x", platform_id="1300000000000000002", handle="a")
    other_x = Account.objects.create(platform="x", handle="asn_contoh")
    on_tiktok = Account.objects.create(platform="tiktok", platform_id="warga_fiktif_12")

    watchlist = watchlist_build(
        election=election, platform="x", accounts=[on_x, other_x, on_tiktok], actor=None
    )

    assert sorted(watchlist.accounts.values_list("pk", flat=True)) == [on_x.pk, other_x.pk]


def test_rebuilding_replaces_queries_and_accounts_but_keeps_it_inactive(
    election: Election,
) -> None:
    first = Account.objects.create(platform="x", platform_id="1", handle="warga_fiktif_1")
    second = Account.objects.create(platform="x", platform_id="2", handle="warga_fiktif_2")
    built = watchlist_build(election=election, platform="x", accounts=[first], actor=None)
    Watchlist.objects.filter(pk=built.pk).update(active=False, queries=["usang"])
    Candidate.objects.filter(election=election, number=2).delete()

    rebuilt = watchlist_build(election=election, platform="x", accounts=[second], actor=None)

    assert rebuilt.pk == built.pk
    assert rebuilt.active is False
    assert rebuilt.queries == EXPECTED[:7]
    assert list(rebuilt.accounts.values_list("pk", flat=True)) == [second.pk]
    events = Event.objects.filter(kind="social.watchlist_built").order_by("pk")
    assert [e.params for e in events] == [
        {"created": True, "queries": 10, "accounts": 1},
        {"created": False, "queries": 7, "accounts": 1},
    ]


def test_an_unknown_platform_is_refused(election: Election) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        watchlist_build(election=election, platform="friendster", accounts=[], actor=None)
    assert Watchlist.objects.count() == 0
