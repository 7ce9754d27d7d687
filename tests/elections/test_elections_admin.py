"""The elections admin: elections with stages and candidates, candidates with their accounts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from netra.core.events import events_for
from netra.elections.models import Candidate, Election
from netra.elections.services import elections_import
from netra.geo.models import Region
from netra.staff.models import User

ClientFor = Callable[[str], Client]
YAML_FILE = Path(__file__).parent / "data" / "pilkada-2024-malang.yaml"


@pytest.fixture
def imported(regions: dict[str, Region]) -> Election:
    elections_import(path=YAML_FILE)
    return Election.objects.get(slug="pilkada-2024-kab-malang")


def test_the_election_list_is_in_indonesian(client_for: ClientFor, imported: Election) -> None:
    everyone = client_for("ri_admin").get("/admin/elections/election/")

    assert everyone.status_code == 200
    assert "Pilih pemilihan untuk diubah" in everyone.content.decode()
    assert [e.slug for e in everyone.context["cl"].result_list] == [
        "pilkada-2024-kab-malang",
        "pilkada-2024-kota-malang",
    ]


def test_the_election_page_shows_its_stages_and_candidates(
    client_for: ClientFor, imported: Election
) -> None:
    response = client_for("ri_admin").get(f"/admin/elections/election/{imported.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Masa kampanye Pilkada 2024" in html
    assert "23-11-2024" in html  # dates shown in the Indonesian input format
    assert "Bagus Santoso Wiryawan" in html
    assert "Sulastri Wulandari" in html


def test_the_candidate_page_shows_its_official_accounts(
    client_for: ClientFor, imported: Election
) -> None:
    candidate = imported.candidates.get(number=1)

    response = client_for("ri_admin").get(f"/admin/elections/candidate/{candidate.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "bagusratna.fiktif" in html
    assert "timbagusratna_fiktif" in html


def test_adding_a_stage_in_the_admin_records_an_event_on_the_election(
    client_for: ClientFor, imported: Election, personas: dict[str, User | None]
) -> None:
    kota = Election.objects.get(slug="pilkada-2024-kota-malang")
    stages = list(kota.stages.all())
    candidates = list(kota.candidates.all())
    data: dict[str, str] = {
        "slug": kota.slug,
        "name": kota.name,
        "regime": kota.regime,
        "type": kota.type,
        "region": "35.73",
        "year": "2024",
        "stages-TOTAL_FORMS": str(len(stages) + 1),
        "stages-INITIAL_FORMS": str(len(stages)),
        "candidates-TOTAL_FORMS": str(len(candidates)),
        "candidates-INITIAL_FORMS": str(len(candidates)),
    }
    for i, stage in enumerate(stages):
        data |= {
            f"stages-{i}-id": str(stage.pk),
            f"stages-{i}-election": str(kota.pk),
            f"stages-{i}-kind": stage.kind,
            f"stages-{i}-name": stage.name,
            f"stages-{i}-starts_on": stage.starts_on.isoformat(),
            f"stages-{i}-ends_on": stage.ends_on.isoformat(),
        }
    new = len(stages)
    data |= {
        f"stages-{new}-kind": "quiet_period",
        f"stages-{new}-name": "Masa tenang",
        f"stages-{new}-starts_on": "2024-11-24",
        f"stages-{new}-ends_on": "2024-11-26",
    }
    for i, candidate in enumerate(candidates):
        data |= {
            f"candidates-{i}-id": str(candidate.pk),
            f"candidates-{i}-election": str(kota.pk),
            f"candidates-{i}-number": str(candidate.number),
            f"candidates-{i}-name": candidate.name,
            f"candidates-{i}-running_mate": candidate.running_mate,
            f"candidates-{i}-party_or_coalition": candidate.party_or_coalition,
        }

    response = client_for("ri_admin").post(f"/admin/elections/election/{kota.pk}/change/", data)

    assert response.status_code == 302
    assert kota.stages.count() == 3
    admin_events = [e for e in events_for(kota) if e.params.get("source") == "admin"]
    assert [(e.kind, e.actor, e.params) for e in admin_events] == [
        (
            "elections.election_changed",
            personas["ri_admin"],
            {"source": "admin", "part": "stage", "added": 1, "changed": 0, "deleted": 0},
        ),
        ("elections.election_changed", personas["ri_admin"], {"source": "admin", "fields": []}),
    ]
    assert Candidate.objects.filter(election=kota).count() == 2
