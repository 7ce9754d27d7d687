"""Adding lexicon aliases: who may, what is checked, the Event, and the lexicon seeing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from netra.core.events import events_for
from netra.core.models import Event
from netra.detection.events import DetectionEvent
from netra.detection.lexicon import lexicon_for
from netra.detection.models import LexiconAlias, TermKind
from netra.detection.services import lexicon_alias_add
from netra.elections.models import Candidate, Election
from netra.elections.services import elections_import
from netra.geo.models import Region
from netra.staff.models import User

ELECTION_FILE = Path(__file__).parent / "data" / "pilkada-detect.yaml"


@pytest.fixture
def candidate(regions: dict[str, Region]) -> Candidate:
    elections_import(path=ELECTION_FILE)
    election = Election.objects.get(slug="pilkada-2024-kab-malang-deteksi")
    return Candidate.objects.get(election=election, number=3)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("ri_admin", True),
        ("malang_analyst", True),
        ("donomulyo_supervisor", False),  # a field supervisor reports, does not tune detection
        ("lumajang_analyst", False),  # another regency's election
        ("bkpsdm_partner", False),
    ],
)
def test_who_may_add_an_alias(
    personas: dict[str, User | None], candidate: Candidate, persona: str, allowed: bool
) -> None:
    actor = personas[persona]
    events_before = Event.objects.count()

    if allowed:
        alias = lexicon_alias_add(
            candidate=candidate, term="  Bu  Lastri ", kind=TermKind.ALIAS, actor=actor
        )
        assert (alias.term, alias.kind, alias.election_id, alias.added_by) == (
            "Bu Lastri",
            TermKind.ALIAS,
            candidate.election_id,
            actor,
        )
        [event] = events_for(alias)
        assert (event.kind, event.actor, event.params) == (
            DetectionEvent.ALIAS_ADDED,
            actor,
            {
                "term": "Bu Lastri",
                "kind": "alias",
                "candidate": candidate.pk,
                "election": candidate.election_id,
            },
        )
    else:
        with pytest.raises(PermissionDenied):
            lexicon_alias_add(candidate=candidate, term="Bu Lastri", kind="alias", actor=actor)
        assert LexiconAlias.objects.count() == 0
        assert Event.objects.count() == events_before


def test_the_lexicon_finds_an_added_alias(candidate: Candidate) -> None:
    before = lexicon_for(candidate.election)
    assert before.scan("Lastri jos, all in!").hits == ()

    lexicon_alias_add(candidate=candidate, term="Lastri Jos", kind=TermKind.SLOGAN, actor=None)

    scan = lexicon_for(candidate.election).scan("Lastri jos, all in!")
    assert [(h.number, h.kind, h.surface) for h in scan.hits] == [
        (3, TermKind.SLOGAN, "Lastri jos")
    ]


@pytest.mark.parametrize(
    ("term", "kind", "field"),
    [
        ("3", TermKind.NUMBER, "kind"),
        ("  !!! ", TermKind.ALIAS, "term"),
        ("x" * 201, TermKind.ALIAS, "term"),
        ("Bu Las", "nickname", "kind"),
    ],
)
def test_an_invalid_alias_is_refused_in_indonesian(
    candidate: Candidate, term: str, kind: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        lexicon_alias_add(candidate=candidate, term=term, kind=kind, actor=None)

    assert field in refused.value.message_dict
    assert LexiconAlias.objects.count() == 0


def test_the_same_term_twice_is_refused_whatever_its_case(candidate: Candidate) -> None:
    lexicon_alias_add(candidate=candidate, term="Bu Lastri", kind=TermKind.ALIAS, actor=None)

    with pytest.raises(ValidationError) as refused:
        lexicon_alias_add(candidate=candidate, term="BU LASTRI", kind=TermKind.ALIAS, actor=None)

    assert "Istilah ini sudah ada untuk calon tersebut." in str(refused.value)
    assert LexiconAlias.objects.count() == 1


def test_a_candidate_of_another_election_is_refused(candidate: Candidate) -> None:
    other = Election.objects.create(
        slug="lain", name="Pemilihan lain", regime="pemilu", type="president", year=2029
    )
    alias = LexiconAlias(election=other, candidate=candidate, term="Bu Las", kind="alias")

    with pytest.raises(ValidationError) as refused:
        alias.full_clean()

    assert refused.value.message_dict == {
        "candidate": ["Calon ini tidak ikut dalam pemilihan yang dipilih."]
    }
