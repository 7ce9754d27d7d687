"""Stored verdicts in bulk, and staff decisions on flags: who may, what is recorded."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from netra.core.events import events_for
from netra.core.models import Event
from netra.detection.events import DetectionEvent
from netra.detection.flagging import flags_detect
from netra.detection.models import ContentVerdict, Flag, FlagStatus
from netra.detection.services import (
    FlagDecisionError,
    content_verdicts_store,
    flag_confirm,
    flag_dismiss,
    flags_confirm,
    flags_dismiss,
)
from netra.elections.models import Candidate, Election
from netra.social.models import Item
from netra.staff.models import Office, Role, User
from tests.conftest import client_logged_in
from tests.detection.conftest import World, campaign_verdict, neutral_verdict, wib

# --- verdicts -----------------------------------------------------------------------------------


def _items(count: int) -> list[Item]:
    return Item.objects.bulk_create(
        Item(
            platform="youtube",
            platform_id=f"yt-{n}",
            kind="comment",
            raw_sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        )
        for n in range(count)
    )


def test_verdicts_are_upserted_in_bulk_statements_not_row_by_row(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    items = _items(2500)
    first = world.candidates[1]

    # One statement per 1,000 rows on PostgreSQL; SQLite's bound-parameter limit splits
    # each into statements of 99 rows (ten columns): still no query per row.
    with django_assert_max_num_queries(40):
        summary = content_verdicts_store(
            election=world.election,
            pairs=((item.pk, campaign_verdict(first)) for item in items),
        )

    assert (summary.stored, summary.model_versions) == (2500, ("uji-2024.11",))
    assert ContentVerdict.objects.filter(election=world.election, target=first).count() == 2500

    with django_assert_max_num_queries(8):
        content_verdicts_store(
            election=world.election,
            pairs=[(items[0].pk, neutral_verdict()), (items[1].pk, campaign_verdict(None))],
        )

    assert ContentVerdict.objects.filter(election=world.election).count() == 2500
    replaced = ContentVerdict.objects.get(item=items[0], election=world.election)
    assert (replaced.content_class, replaced.stance, replaced.target_id, replaced.score) == (
        "political_neutral",
        "neutral",
        None,
        0.08,
    )
    assert replaced.explanation == neutral_verdict().as_json()
    assert list(
        Event.objects.filter(kind=DetectionEvent.VERDICTS_STORED).values_list("params", flat=True)
    ) == [
        {"stored": 2, "model_versions": ["uji-2024.11"]},
        {"stored": 2500, "model_versions": ["uji-2024.11"]},
    ]


def test_a_target_of_another_election_is_stored_as_no_target(world: World) -> None:
    [item] = _items(1)
    other = Election.objects.create(
        slug="lain", name="Pemilihan lain", regime="pemilu", type="president", year=2029
    )
    stranger = Candidate.objects.create(election=other, number=1, name="Calon Lain")

    content_verdicts_store(election=world.election, pairs=[(item.pk, campaign_verdict(stranger))])

    stored = ContentVerdict.objects.get()
    assert (stored.target_id, stored.explanation["target_id"]) == (None, stranger.pk)


# --- decisions ----------------------------------------------------------------------------------


@pytest.fixture
def flags(world: World) -> list[Flag]:
    """Two open act flags of subjects working in Tulungrejo (Donomulyo, Kab. Malang)."""
    for name in ("Sri Handayani", "Bambang Wijaya"):
        world.subject(name, "pns", agency=world.agency)
    post = world.candidate_post(wib(2024, 10, 1, 7))
    for name in ("Sri Handayani", "Bambang Wijaya"):
        world.interaction(world.accounts[name], "like", item=post, at=wib(2024, 10, 2))
    flags_detect(election=world.election)
    return list(Flag.objects.order_by("pk"))


DECIDERS = [
    ("ri_admin", True),
    ("malang_analyst", True),
    ("donomulyo_supervisor", False),  # a field supervisor sees flags, analysts decide them
    ("lumajang_analyst", False),  # another regency
    ("bkpsdm_partner", False),
]


@pytest.mark.parametrize(("persona", "allowed"), DECIDERS)
def test_who_may_confirm_a_flag(
    personas: dict[str, User | None], flags: list[Flag], persona: str, allowed: bool
) -> None:
    actor = personas[persona]
    assert actor is not None
    flag = flags[0]
    events = Event.objects.count()

    if allowed:
        decided = flag_confirm(flag=flag, actor=actor)
        assert (decided.status, decided.decided_by, decided.dismiss_reason) == (
            FlagStatus.CONFIRMED,
            actor,
            "",
        )
        assert decided.decided_at is not None
        [event] = events_for(flag)
        assert (event.kind, event.actor, event.params) == (
            DetectionEvent.FLAG_CONFIRMED,
            actor,
            {"key": flag.key, "kind": "act"},
        )
    else:
        with pytest.raises(PermissionDenied):
            flag_confirm(flag=flag, actor=actor)
        flag.refresh_from_db()
        assert (flag.status, flag.decided_by, flag.decided_at) == (FlagStatus.OPEN, None, None)
        assert Event.objects.count() == events


@pytest.mark.parametrize(("persona", "allowed"), DECIDERS)
def test_who_may_dismiss_a_flag(
    personas: dict[str, User | None], flags: list[Flag], persona: str, allowed: bool
) -> None:
    actor = personas[persona]
    assert actor is not None
    flag = flags[0]

    if allowed:
        decided = flag_dismiss(flag=flag, actor=actor, reason="  Akun milik orang lain. ")
        assert (decided.status, decided.dismiss_reason) == (
            FlagStatus.DISMISSED,
            "Akun milik orang lain.",
        )
        [event] = events_for(flag)
        assert (event.kind, event.params["reason"]) == (
            DetectionEvent.FLAG_DISMISSED,
            "Akun milik orang lain.",
        )
    else:
        with pytest.raises(PermissionDenied):
            flag_dismiss(flag=flag, actor=actor, reason="Akun milik orang lain.")
        flag.refresh_from_db()
        assert flag.status == FlagStatus.OPEN
        assert list(events_for(flag)) == []


def test_a_dismissal_needs_a_reason(personas: dict[str, User | None], flags: list[Flag]) -> None:
    actor = personas["malang_analyst"]
    assert actor is not None

    with pytest.raises(ValidationError) as refused:
        flag_dismiss(flag=flags[0], actor=actor, reason="   ")

    assert refused.value.message_dict == {"dismiss_reason": ["Tuliskan alasan penolakan."]}
    flags[0].refresh_from_db()
    assert flags[0].status == FlagStatus.OPEN


def test_a_decided_flag_cannot_be_decided_again(
    personas: dict[str, User | None], flags: list[Flag]
) -> None:
    actor = personas["malang_analyst"]
    assert actor is not None
    flag_confirm(flag=flags[0], actor=actor)

    with pytest.raises(FlagDecisionError):
        flag_dismiss(flag=flags[0], actor=actor, reason="Salah tautan.")

    flags[0].refresh_from_db()
    assert flags[0].status == FlagStatus.CONFIRMED
    assert len(events_for(flags[0])) == 1


def test_bulk_decisions_are_all_or_nothing(
    personas: dict[str, User | None], flags: list[Flag]
) -> None:
    analyst, other = personas["malang_analyst"], personas["lumajang_analyst"]
    assert analyst is not None
    assert other is not None

    with pytest.raises(PermissionDenied):
        flags_dismiss(flags=flags, actor=other, reason="Bukan kampanye.")
    flag_confirm(flag=flags[1], actor=analyst)
    with pytest.raises(FlagDecisionError):
        flags_dismiss(flags=flags, actor=analyst, reason="Bukan kampanye.")
    assert [f.status for f in Flag.objects.order_by("pk")] == ["open", "confirmed"]

    [decided] = flags_confirm(flags=[flags[0]], actor=analyst)
    assert decided.status == FlagStatus.CONFIRMED


def test_bulk_confirmation_records_one_event_per_flag(
    personas: dict[str, User | None], flags: list[Flag]
) -> None:
    analyst = personas["malang_analyst"]
    assert analyst is not None

    decided = flags_dismiss(flags=flags, actor=analyst, reason="Guru memberi like berita.")

    assert [f.status for f in decided] == ["dismissed", "dismissed"]
    assert [
        (e.kind, e.params["batch"], e.params["reason"]) for f in flags for e in events_for(f)
    ] == [
        (DetectionEvent.FLAG_DISMISSED, 2, "Guru memberi like berita."),
        (DetectionEvent.FLAG_DISMISSED, 2, "Guru memberi like berita."),
    ]


@pytest.mark.parametrize(("office", "shown"), [("malang", 2), ("lumajang", 0)])
def test_the_flag_admin_lists_flags_within_the_jurisdiction_only(
    offices: dict[str, Office], flags: list[Flag], office: str, shown: int
) -> None:
    admin = User.objects.create(
        username=f"admin_{office}", office=offices[office], role=Role.ADMIN, is_staff=True
    )
    client = client_logged_in(admin)

    response = client.get("/admin/detection/flag/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == shown
    if shown:
        assert "act:" in response.content.decode()
