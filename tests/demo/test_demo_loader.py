from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from netra.core.models import Event
from netra.demo.loader import DEMO_PASSWORD, DEMO_USERS, demo_load
from netra.detection.models import ContentVerdict, Flag
from netra.elections.models import Candidate, Election, Stage
from netra.geo.models import Level, Region
from netra.law.models import ViolationType
from netra.registry.models import AccountLink, Agency, CandidateRelation, LinkStatus, Subject
from netra.social.models import (
    AccountSnapshot,
    Interaction,
    Item,
    ItemProvenance,
    ItemVersion,
    QuarantinedRecord,
    Source,
)
from netra.staff.models import Office, OfficeLevel, Role, User


@pytest.mark.django_db
def test_the_demo_loads_the_whole_scenario_and_a_second_load_changes_nothing(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    first = demo_load()
    events = Event.objects.count()
    counts = {
        model: model.objects.count()
        for model in (
            Region,
            Office,
            User,
            Agency,
            Subject,
            AccountLink,
            Candidate,
            Stage,
            ViolationType,
            Item,
            ItemProvenance,
            Interaction,
            AccountSnapshot,
            QuarantinedRecord,
            Source,
            ContentVerdict,
            Flag,
        )
    }

    second = demo_load()

    assert Event.objects.count() == events
    assert {model: model.objects.count() for model in counts} == counts
    assert first.counts == second.counts

    assert Region.objects.filter(code__startswith="35.07.", level=Level.DISTRICT).count() == 33
    assert Region.objects.filter(code__startswith="35.07.", level=Level.VILLAGE).count() == 390
    assert Agency.objects.count() >= 20
    assert Subject.objects.count() >= 500
    assert set(Subject.objects.values_list("kind", flat=True)) == {
        "pns",
        "pppk",
        "village_head",
        "village_official",
        "bpd",
        "tni",
        "polri",
    }
    assert AccountLink.objects.filter(status=LinkStatus.CONFIRMED).exists()
    assert AccountLink.objects.filter(status=LinkStatus.PROPOSED).exists()
    assert AccountLink.objects.filter(status=LinkStatus.REJECTED).count() == 1
    assert CandidateRelation.objects.count() == 3
    assert set(Office.objects.values_list("level", flat=True)) == set(OfficeLevel.values)
    assert {u.role for u in User.objects.filter(username__startswith="demo_")} == set(Role.values)
    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == [
        "demo_admin"
    ]

    # Social media activity, loaded from the files each platform really gives.
    assert set(Source.objects.values_list("format", flat=True)) == {
        "x-v2-jsonl",
        "meta-graph-jsonl",
        "tiktok-research-jsonl",
        "netra-csv",
        "netra-jsonl",
    }
    # Kab. Lumajang's copy of a campaign post keeps its own words; the post shows Malang's.
    copy = Source.objects.get(format="netra-jsonl")
    assert copy.owner == Office.objects.get(name="Bawaslu Kabupaten Lumajang")
    version = ItemVersion.objects.get(source=copy)
    assert version.text.startswith("Salinan Bawaslu Kabupaten Lumajang")
    assert version.item.shown_source == Source.objects.get(format="x-v2-jsonl")
    assert not version.item.text.startswith("Salinan")
    assert set(Item.objects.values_list("platform", flat=True)) == {
        "x",
        "facebook",
        "tiktok",
        "instagram",
    }
    assert {"like", "reaction", "mention"} <= set(
        Interaction.objects.values_list("kind", flat=True)
    )
    assert Item.objects.filter(author__subject_links__status=LinkStatus.CONFIRMED).exists()
    assert QuarantinedRecord.objects.count() == 1
    assert all(
        loaded.tally.totals()["new"] == loaded.tally.totals()["updated"] == 0
        for loaded in second.activity
    )

    # Detection: flags of every kind, with their explanations; news and notices left alone.
    assert second.detection is not None
    assert second.detection.judged == 0
    assert {(f.kind, f.act) for f in Flag.objects.all()} >= {
        ("act", "post"),
        ("act", "comment"),
        ("act", "share"),
        ("act", "like"),
        ("act", "reaction"),
        ("coordination", ""),
    }
    like = Flag.objects.filter(act="like").first()
    assert like is not None
    assert like.seen_from is not None
    assert like.acted_at is None
    assert "masa pengamatannya yang dipakai" in " ".join(like.explanation["sentences"])
    number_only = Flag.objects.filter(act="post", item__text__startswith="pokoknya 0").first()
    assert number_only is not None
    assert number_only.explanation["verdict"]["terms"][0]["kind"] == "number"
    coordination = Flag.objects.filter(kind="coordination").first()
    assert coordination is not None
    assert coordination.members.count() >= 3
    for notice in ("KPU Kabupaten Malang menetapkan", "Bawaslu Kabupaten Malang mengingatkan"):
        verdicts = ContentVerdict.objects.filter(item__text__startswith=notice)
        assert verdicts.exists()
        assert set(verdicts.values_list("content_class", flat=True)) == {"political_neutral"}
        assert not Flag.objects.filter(item__text__startswith=notice).exists()
    assert first.linkage is not None
    assert first.linkage.proposals > 0

    election = Election.objects.get(slug="pilkada-2024-kab-malang")
    assert (election.regime, election.type, election.region_id) == ("pilkada", "regent", "35.07")
    assert list(election.candidates.values_list("number", flat=True)) == [1, 2, 3]
    campaign = election.stages.get(kind="campaign")
    voting = election.stages.get(kind="voting")
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2024, 9, 25), dt.date(2024, 11, 23))
    assert voting.starts_on == dt.date(2024, 11, 27)
    assert (
        ViolationType.objects.filter(code__in=[f"N{n:02d}" for n in range(1, 14)])
        .values("code")
        .distinct()
        .count()
        == 13
    )


@pytest.mark.django_db
def test_every_demo_login_reaches_home_with_the_printed_password_and_totp(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert DEMO_PASSWORD in out
    for username, _name, role, _office in DEMO_USERS:
        assert username in out
        user = User.objects.get(username=username)
        assert user.role == role
        client = Client()
        login = client.post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD})
        assert login.status_code == 302, username
        home = client.get("/")
        if user.requires_two_factor:
            assert (home.status_code, home["Location"]) == (302, "/akun/verifikasi/?next=%2F")
            call_command("demo_totp", username)
            code = capsys.readouterr().out.strip()
            verified = client.post("/akun/verifikasi/?next=/", {"token": code})
            assert verified.status_code == 302, username
            home = client.get("/")
        assert home.status_code == 200, username


def test_the_demo_refuses_a_production_configuration_and_touches_no_database(
    tmp_path: Path,
) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NETRA_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-m", "netra.cli", "demo", "--no-serve"],
        env={
            **clean,
            "NETRA_ENV": "production",
            "NETRA_SECRET_KEY": "k" * 20 + "-production-secret-for-the-demo-refusal-0123456789",
            "NETRA_ALLOWED_HOSTS": "netra.bawaslu.example",
            "NETRA_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: Demo tidak dimuat di produksi (NETRA_ENV=production): akun demo, "
        "termasuk superuser, memakai kata sandi yang diumumkan. Jalankan demo di salinan "
        "pengembangan dengan basis data sendiri."
    )
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []
