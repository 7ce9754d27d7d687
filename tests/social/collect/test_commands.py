"""``netra collect token``, ``netra collect poll`` and ``netra collect watchlist``.

The poll replays X API v2 user timeline pages
(https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id) from the loopback server.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.utils import timezone

from netra.cli import _resolve
from netra.elections.models import Candidate, CandidateAccount, Election
from netra.geo.models import Region
from netra.registry.models import AccountLink, LinkStatus, Subject, SubjectKind
from netra.social.collect.tokens import token_hash
from netra.social.models import Account, CollectorToken, Watchlist
from tests.social.collect.replay import ReplayServer


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_grouped_names_reach_the_commands() -> None:
    known = set(get_commands())

    assert _resolve(["collect", "token", "kolektor"], known) == ["collect_token", "kolektor"]
    assert _resolve(["collect", "poll"], known) == ["collect_poll"]
    assert _resolve(["collect", "watchlist", "pilbup"], known) == ["collect_watchlist", "pilbup"]


def test_a_token_is_printed_once_and_only_its_hash_is_kept(election: Election) -> None:
    out, err = run("collect_token", "kolektor-malang", "--election", election.slug)

    plain = out.strip()
    row = CollectorToken.objects.get()
    assert row.token_sha256 == token_hash(plain)
    assert (row.name, row.election_id, row.active) == ("kolektor-malang", election.pk, True)
    assert f"awalan {row.prefix}" in err
    assert plain not in err


def test_a_token_for_an_unknown_election_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="Pemilihan tidak ditemukan: tidak-ada"):
        run("collect_token", "kolektor", "--election", "tidak-ada")
    assert CollectorToken.objects.count() == 0


def test_poll_reports_each_target(
    collect_settings: Any, server: ReplayServer, election: Election
) -> None:
    collect_settings.NETRA_COLLECT_RECENT_ITEMS = 0
    agus = Account.objects.create(
        platform="x", platform_id="1300000000000000002", handle="agus_setiyono_dmy"
    )
    watchlist = Watchlist.objects.create(election=election, platform="x", queries=[])
    watchlist.accounts.add(agus)
    server.queue(
        "GET",
        "/2/users/1300000000000000002/tweets",
        "x/timeline_page1.json",
        "x/timeline_page2.json",
    )

    out, _err = run("collect_poll", "--election", election.slug, "--platform", "x")

    assert out.splitlines() == [
        f"Daftar pantau {watchlist.pk} (x): 2 halaman, 10 dibaca, 7 baru, 0 diperbarui, "
        "3 duplikat, 0 dikarantina.",
        "  x.user_tweets 1300000000000000002: done, 2",
    ]


def test_poll_as_json_and_with_nothing_to_poll(
    collect_settings: Any, server: ReplayServer, election: Election
) -> None:
    watchlist = Watchlist.objects.create(election=election, platform="x", queries=[])

    out, _err = run("collect_poll", "--watchlist", str(watchlist.pk), "--json")

    assert json.loads(out)[0]["targets"] == []
    with pytest.raises(CommandError, match=r"Tidak ada daftar pantau aktif yang cocok\."):
        run("collect_poll", "--platform", "tiktok")


def _subject(name: str, region: Region, account: Account, status: str) -> None:
    subject = Subject.objects.create(kind=SubjectKind.PNS, full_name=name, workplace=region)
    AccountLink.objects.create(
        subject=subject,
        account=account,
        status=status,
        confidence=Decimal("0.9"),
        decided_at=None if status == LinkStatus.PROPOSED else timezone.now(),
    )


def test_watchlist_takes_candidates_accounts_and_confirmed_subjects_in_the_region(
    election: Election, regions: dict[str, Region]
) -> None:
    candidate = Candidate.objects.get(election=election, number=1)
    CandidateAccount.objects.create(candidate=candidate, platform="x", handle="@hendra_kusuma")
    CandidateAccount.objects.create(candidate=candidate, platform="tiktok", handle="hendra.tt")
    inside = Account.objects.create(platform="x", platform_id="13", handle="agus_setiyono_dmy")
    elsewhere = Account.objects.create(platform="x", platform_id="14", handle="asn_lumajang")
    proposed = Account.objects.create(platform="x", platform_id="15", handle="asn_contoh")
    on_tiktok = Account.objects.create(platform="tiktok", platform_id="warga_fiktif_12")
    _subject("Agus Setiyono", regions["35.07.01"], inside, LinkStatus.CONFIRMED)
    _subject("Budi Lumajang", regions["35.08"], elsewhere, LinkStatus.CONFIRMED)
    _subject("Sri Contoh", regions["35.07"], proposed, LinkStatus.PROPOSED)
    _subject("Warga Fiktif", regions["35.07"], on_tiktok, LinkStatus.CONFIRMED)

    out, _err = run("collect_watchlist", election.slug, "--platform", "x")

    watchlist = Watchlist.objects.get(election=election, platform="x")
    hendra = Account.objects.get(platform="x", handle="hendra_kusuma")
    assert hendra.platform_id == ""
    assert sorted(watchlist.accounts.values_list("handle", flat=True)) == [
        "agus_setiyono_dmy",
        "hendra_kusuma",
    ]
    lines = out.splitlines()
    assert lines[0] == (
        f"Daftar pantau {watchlist.pk} (pilbup-malang-2024, X (Twitter)): 10 kueri, 2 akun."
    )
    assert lines[1:3] == ['  "Hendra Kusumawardhana"', "  #HendraKusumawardhana"]

    run("collect_watchlist", election.slug, "--platform", "x")
    assert Account.objects.filter(platform="x", handle="hendra_kusuma").count() == 1


def test_watchlist_for_an_unknown_election_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="Pemilihan tidak ditemukan: tidak-ada"):
        run("collect_watchlist", "tidak-ada", "--platform", "x")
