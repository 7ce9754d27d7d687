"""Coordination (mobilisasi): subjects of one agency or regency acting together."""

from __future__ import annotations

import datetime as dt

import pytest

from netra.core.models import Event
from netra.detection.coordination import MemberAct, coordination_detect, find_groups
from netra.detection.events import DetectionEvent
from netra.detection.flagging import flags_detect
from netra.detection.models import Flag, FlagKind, FlagMember, FlagStatus, Severity
from netra.detection.services import flag_dismiss
from netra.staff.models import User
from tests.detection.conftest import World, campaign_verdict, wib

TEACHERS = ["Sri Handayani", "Bambang Wijaya", "Dewi Lestari", "Agus Salim"]


@pytest.fixture
def teachers(world: World) -> World:
    for name in TEACHERS:
        world.subject(name, "pns", agency=world.agency, workplace="35.07.01.2001")
    return world


def _detect(world: World) -> Flag | None:
    flags_detect(election=world.election)
    coordination_detect(election=world.election)
    return Flag.objects.filter(kind=FlagKind.COORDINATION).first()


def test_three_teachers_of_one_agency_liking_one_post_are_one_coordination_flag(
    teachers: World,
) -> None:
    world = teachers
    post = world.candidate_post(wib(2024, 10, 1, 7))
    likes = [
        world.interaction(
            world.accounts[name],
            "like",
            item=post,
            seen=(wib(2024, 10, 1, 8 + hour), wib(2024, 10, 1, 9 + hour)),
        )
        for hour, name in enumerate(TEACHERS[:3])
    ]

    flag = _detect(world)

    assert flag is not None
    acts = {f.interaction_id: f for f in Flag.objects.filter(kind=FlagKind.ACT)}
    assert (flag.subject_id, flag.agency_id, flag.region_id, flag.status) == (
        None,
        world.agency.pk,
        "35.07",
        FlagStatus.OPEN,
    )
    assert flag.target == f"item:instagram:{post.platform_id}"
    assert sorted(
        FlagMember.objects.filter(coordination=flag).values_list("member_id", flat=True)
    ) == sorted(acts[like.pk].pk for like in likes)
    assert flag.severity == Severity.HIGH
    assert flag.priority == 55 + 10  # the strongest act plus the coordination bonus
    assert [v["code"] for v in flag.violations] == ["N04", "asn-pilkada"]
    explanation = flag.explanation
    assert explanation["rule"] == "coordination.agency"
    assert explanation["subjects"] == sorted(world.subjects[n].pk for n in TEACHERS[:3])
    assert [(m["act"], m["from"]) for m in explanation["members"]] == [
        ("like", "2024-10-01T08:00:00+07:00"),
        ("like", "2024-10-01T09:00:00+07:00"),
        ("like", "2024-10-01T10:00:00+07:00"),
    ]
    assert explanation["sentences"][0] == (
        "3 subjek dari instansi SMP Negeri 1 Donomulyo bertindak atas konten kampanye yang "
        "sama dalam 24 jam."
    )
    # The regency group of the same three teachers says no more and is left out.
    assert Flag.objects.filter(kind=FlagKind.COORDINATION).count() == 1
    [event] = Event.objects.filter(kind=DetectionEvent.COORDINATION_DETECTED)
    assert event.params["created"] == 1


def test_a_fourth_teacher_joining_later_updates_the_open_flag(teachers: World) -> None:
    world = teachers
    post = world.candidate_post(wib(2024, 10, 1, 7))
    for hour, name in enumerate(TEACHERS[:3]):
        world.interaction(world.accounts[name], "like", item=post, at=wib(2024, 10, 1, 8 + hour))
    first = _detect(world)
    assert first is not None
    events = Event.objects.count()

    rerun = coordination_detect(election=world.election)
    assert (rerun.counts.created, rerun.counts.updated, rerun.counts.unchanged) == (0, 0, 1)
    assert Event.objects.count() == events

    world.interaction(world.accounts["Agus Salim"], "like", item=post, at=wib(2024, 10, 2, 6))
    flag = _detect(world)

    assert flag is not None
    assert (flag.pk, flag.key) == (first.pk, first.key)
    assert FlagMember.objects.filter(coordination=flag).count() == 4
    assert flag.explanation["subjects"] == sorted(world.subjects[n].pk for n in TEACHERS)
    assert flag.priority == 55 + 10 + 5
    assert flag.seen_until == wib(2024, 10, 2, 6)


def test_teachers_using_one_campaign_hashtag_are_grouped_by_it(teachers: World) -> None:
    world = teachers
    for hour, name in enumerate(TEACHERS[:3]):
        world.item(
            world.accounts[name],
            wib(2024, 10, 5, 7 + hour),
            verdict=campaign_verdict(world.candidates[1], hashtag="#BagusRatna"),
        )

    flag = _detect(world)

    assert flag is not None
    assert flag.target == "hashtag:#bagusratna"
    assert flag.explanation["sentences"][0] == (
        "3 subjek dari instansi SMP Negeri 1 Donomulyo memakai tagar kampanye #bagusratna "
        "dalam 24 jam."
    )


def test_acts_too_far_apart_or_too_few_make_no_coordination(teachers: World) -> None:
    world = teachers
    post = world.candidate_post(wib(2024, 10, 1, 7))
    for day, name in enumerate(TEACHERS[:3]):
        world.interaction(world.accounts[name], "like", item=post, at=wib(2024, 10, 1 + 2 * day))
    other = world.candidate_post(wib(2024, 10, 1, 8))
    for name in TEACHERS[:2]:
        world.interaction(world.accounts[name], "like", item=other, at=wib(2024, 10, 1, 9))

    assert _detect(world) is None
    assert Flag.objects.filter(kind=FlagKind.ACT).count() == 5


def test_a_dismissed_act_leaves_the_group_and_the_open_flag_is_withdrawn(
    teachers: World, personas: dict[str, User | None]
) -> None:
    world = teachers
    post = world.candidate_post(wib(2024, 10, 1, 7))
    for hour, name in enumerate(TEACHERS[:3]):
        world.interaction(world.accounts[name], "like", item=post, at=wib(2024, 10, 1, 8 + hour))
    flag = _detect(world)
    assert flag is not None
    analyst = personas["malang_analyst"]
    assert analyst is not None
    act = Flag.objects.filter(kind=FlagKind.ACT).first()
    assert act is not None
    flag_dismiss(flag=act, actor=analyst, reason="Akun bukan milik subjek.")

    summary = coordination_detect(election=world.election)

    flag.refresh_from_db()
    assert (summary.counts.withdrawn, flag.status) == (1, FlagStatus.WITHDRAWN)


def _act(
    flag_id: int, subject: int, start: dt.datetime, end: dt.datetime | None = None
) -> MemberAct:
    return MemberAct(
        flag_id=flag_id,
        subject_id=subject,
        agency_id=7,
        region_id="35.07.01.2001",
        act="like",
        platform="instagram",
        start=start,
        end=end or start,
        exact=end is None,
        severity="high",
        priority=50,
        stage="campaign",
        model_version="uji",
        violations=(),
        targets=("item:instagram:1",),
    )


def test_an_observation_window_reaching_into_the_window_counts() -> None:
    acts = [
        _act(1, 1, wib(2024, 10, 1, 8)),
        _act(2, 2, wib(2024, 10, 2, 12)),  # 28 hours later: outside
        # Seen from the day before: its window overlaps the first act's 24 hours.
        _act(3, 3, wib(2024, 9, 30, 20), wib(2024, 10, 1, 9)),
        _act(4, 4, wib(2024, 10, 1, 20)),
    ]

    [agency, *others] = find_groups(acts, min_subjects=3, window=dt.timedelta(hours=24))

    assert others == []
    assert (agency.scope, agency.scope_id) == ("agency", "7")
    assert sorted(m.flag_id for m in agency.members) == [1, 3, 4]
