"""Lexicon aliases in the admin: every write records an Event, the adder is recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from netra.core.events import events_for
from netra.detection.events import DetectionEvent
from netra.detection.models import LexiconAlias, TermKind
from netra.elections.models import Candidate, Election
from netra.elections.services import elections_import
from netra.geo.models import Region
from netra.staff.models import User

ClientFor = Callable[[str], Client]
ELECTION_FILE = Path(__file__).parent / "data" / "pilkada-detect.yaml"


@pytest.fixture
def candidate(regions: dict[str, Region]) -> Candidate:
    elections_import(path=ELECTION_FILE)
    election = Election.objects.get(slug="pilkada-2024-kab-malang-deteksi")
    return Candidate.objects.get(election=election, number=1)


def test_adding_an_alias_in_the_admin_records_who_and_an_event(
    client_for: ClientFor, personas: dict[str, User | None], candidate: Candidate
) -> None:
    response = client_for("ri_admin").post(
        "/admin/detection/lexiconalias/add/",
        {
            "election": candidate.election_id,
            "candidate": candidate.pk,
            "term": "Mas Wiryo",
            "kind": TermKind.ALIAS,
        },
    )

    assert response.status_code == 302
    alias = LexiconAlias.objects.get()
    assert (alias.term, alias.candidate, alias.added_by) == (
        "Mas Wiryo",
        candidate,
        personas["ri_admin"],
    )
    [event] = events_for(alias)
    assert (event.kind, event.params["source"]) == (DetectionEvent.ALIAS_ADDED, "admin")


def test_deleting_an_alias_in_the_admin_records_an_event(
    client_for: ClientFor, candidate: Candidate
) -> None:
    alias = LexiconAlias.objects.create(
        election=candidate.election, candidate=candidate, term="Mas Wiryo", kind="alias"
    )

    response = client_for("ri_admin").post(
        f"/admin/detection/lexiconalias/{alias.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not LexiconAlias.objects.exists()
    assert [e.kind for e in events_for(alias)] == [DetectionEvent.ALIAS_DELETED]


def test_the_admin_page_is_in_indonesian(client_for: ClientFor, candidate: Candidate) -> None:
    response = client_for("ri_admin").get("/admin/detection/lexiconalias/add/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "alias leksikon" in html
    assert "Jenis istilah" in html
    assert "singkatan pasangan" in html
