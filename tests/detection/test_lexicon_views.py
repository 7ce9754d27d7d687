"""The lexicon pages: each candidate's terms as detection matches them, and staff adding
an alias through the UI (the service checks who may)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from netra.core.events import events_for
from netra.detection.events import DetectionEvent
from netra.detection.models import LexiconAlias
from netra.elections.models import Candidate
from tests.detection.conftest import World

ClientFor = Callable[[str], Client]
URL = "/deteksi/leksikon/"


@pytest.fixture
def page(world: World) -> str:
    return f"{URL}{world.election.pk}/"


def test_the_list_and_the_page_show_every_candidates_terms(
    client_for: ClientFor, world: World, page: str
) -> None:
    listing = client_for("malang_analyst").get(URL).content.decode()
    assert f'href="{page}"' in listing

    html = client_for("donomulyo_supervisor").get(page).content.decode()
    assert "1. Dr. H. Bagus Santoso Wiryawan, S.H." in html
    assert '<span class="term">mas bagus</span>' in html
    assert "lemah: perlu konteks" in html  # "amin" counts only with campaign context
    assert 'id="tambah-istilah"' not in html  # a field supervisor may not add


def test_an_analyst_adds_an_alias_that_detection_then_finds(
    client_for: ClientFor, world: World, page: str
) -> None:
    candidate = Candidate.objects.get(election=world.election, number=3)

    response = client_for("malang_analyst").post(
        page, {"calon": candidate.pk, "istilah": "Bu Sulas", "jenis": "alias"}, follow=True
    )

    html = response.content.decode()
    assert "Istilah ditambahkan ke leksikon pemilihan ini." in html
    alias = LexiconAlias.objects.get()
    assert (alias.candidate, alias.term, alias.kind) == (candidate, "Bu Sulas", "alias")
    assert [e.kind for e in events_for(alias)] == [DetectionEvent.ALIAS_ADDED]
    assert '<span class="term">Bu Sulas</span>' in html  # among the added ones
    assert '<span class="term">bu sulas</span>' in html  # compiled into the lexicon


def test_a_duplicate_or_a_candidate_of_another_election_is_refused(
    client_for: ClientFor, world: World, page: str
) -> None:
    candidate = Candidate.objects.get(election=world.election, number=1)
    client = client_for("malang_analyst")

    again = client.post(page, {"calon": candidate.pk, "istilah": "MAS BAGUS II", "jenis": "alias"})
    twice = client.post(page, {"calon": candidate.pk, "istilah": "mas bagus ii", "jenis": "alias"})
    foreign = client.post(page, {"calon": 999_999, "istilah": "x", "jenis": "alias"})

    assert again.status_code == 302
    assert twice.status_code == 400
    assert "Istilah ini sudah ada untuk calon tersebut." in twice.content.decode()
    assert foreign.status_code == 400
    assert "Calon itu tidak ikut dalam pemilihan ini." in foreign.content.decode()
    assert LexiconAlias.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("donomulyo_supervisor", 403), ("bkpsdm_partner", 403), ("lumajang_analyst", 404)],
)
def test_who_may_not_add_changes_nothing(
    client_for: ClientFor, world: World, page: str, persona: str, status: int
) -> None:
    candidate = Candidate.objects.get(election=world.election, number=1)

    response = client_for(persona).post(
        page, {"calon": candidate.pk, "istilah": "Gus Bagus", "jenis": "alias"}
    )

    assert response.status_code == status
    assert not LexiconAlias.objects.exists()
