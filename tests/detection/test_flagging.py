"""The rules: which acts become flags, under which articles, how urgent, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from netra.core.models import Event
from netra.detection.events import DetectionEvent
from netra.detection.flagging import (
    Act,
    ActTime,
    Position,
    Relation,
    StageSpan,
    decide,
    flags_detect,
    law_in_force,
    stage_spans,
)
from netra.detection.models import ActKind, Flag, FlagStatus, FlagViolation, Severity
from netra.detection.services import flag_confirm
from netra.law.models import Prohibition, SubjectGroup, ViolationType
from netra.law.selectors import LawRuleMissing
from netra.social.models import Account
from netra.staff.models import User
from tests.detection.conftest import World, campaign_verdict, neutral_verdict, wib

CAMPAIGN = "kampanye (25 September 2024 – 23 November 2024)"


@pytest.fixture
def stages(world: World) -> tuple[StageSpan, ...]:
    return stage_spans(world.election)


def _decide(act: Act, stages: tuple[StageSpan, ...], group: SubjectGroup, on: dt.date):  # type: ignore[no-untyped-def]
    return decide(
        act, regime="pilkada", stages=stages, law=law_in_force(group=group, regime="pilkada", on=on)
    )


def test_a_pns_like_known_only_by_its_window_inside_the_campaign(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    act = Act(
        subject_kind="pns",
        act=ActKind.LIKE,
        time=ActTime(seen_from=wib(2024, 11, 3, 8), seen_until=wib(2024, 11, 5, 20)),
        target=campaign_verdict(world.candidates[1]),
    )

    decision = _decide(act, stages, SubjectGroup.ASN, dt.date(2024, 11, 3))

    assert decision is not None
    assert [(v.code, v.source, v.applies) for v in decision.violations] == [
        ("N04", "catalogue", "certain"),
        ("asn-pilkada", "prohibition", "certain"),
    ]
    assert decision.violations[0].regulation == "skb-2022"
    assert decision.violations[1].legal_basis == (
        "UU 10/2016 Pasal 70 ayat (1) dan Pasal 71 ayat (1)"
    )
    assert (decision.rule, decision.severity) == ("asn.like.target", Severity.HIGH)
    # heavy discipline (1.0) x like (0.6) x probability 0.91 x wholly inside (1.0)
    assert decision.priority == 55
    assert decision.timing.position == Position.INSIDE
    assert decision.timing.exact is False
    assert decision.timing.sentence == (
        "Suka tercatat antara 3 dan 5 November 2024, seluruhnya dalam masa kampanye "
        "(25 September 2024 – 23 November 2024); platform tidak memberi waktu suka, jadi "
        "masa pengamatannya yang dipakai."
    )
    assert decision.sentences[0] == (
        "PNS menyukai konten kampanye orang lain yang mendukung calon nomor 1 (Bagus Santoso "
        "Wiryawan) (probabilitas model 0,91)."
    )
    assert "Istilah yang cocok: «mas bagus» (alias)." in decision.sentences


def test_a_window_straddling_the_campaign_start_lowers_certainty(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    # Seen from 21 to 29 September: four of the eight days lie in the campaign.
    window = ActTime(seen_from=wib(2024, 9, 21), seen_until=wib(2024, 9, 29))
    like = Act(subject_kind="pns", act=ActKind.LIKE, time=window, target=campaign_verdict())
    village = Act(
        subject_kind="village_official",
        act=ActKind.LIKE,
        time=window,
        target=campaign_verdict(),
    )

    pns = _decide(like, stages, SubjectGroup.ASN, dt.date(2024, 9, 21))
    official = _decide(village, stages, SubjectGroup.VILLAGE, dt.date(2024, 9, 21))

    assert pns is not None
    assert official is not None
    assert (pns.timing.position, pns.timing.fraction_inside) == (Position.STRADDLES, 0.5)
    # 0.6 x 0.91 x (0.6 + 0.4 x 0.5) instead of 0.6 x 0.91 x 1.0
    assert pns.priority == 44
    assert pns.timing.sentence == (
        "Suka tercatat antara 21 dan 29 September 2024, melewati awal masa kampanye "
        "(25 September 2024): 50% masa pengamatan berada dalam masa kampanye, jadi suka itu "
        "mungkin terjadi di luarnya; platform tidak memberi waktu suka, jadi masa "
        "pengamatannya yang dipakai."
    )
    # A campaign-only prohibition is possible, not certain, and the crime article is not
    # taken as met.
    assert [(v.code, v.applies) for v in official.violations] == [
        ("desa-pilkada", "possible"),
        ("desa-uu-desa", "certain"),
    ]
    assert official.severity == Severity.MEDIUM


def test_a_village_official_post_in_the_campaign_meets_the_crime_article(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    inside = Act(
        subject_kind="village_official",
        act=ActKind.POST,
        time=ActTime(at=wib(2024, 10, 2, 9, 15)),
        own=campaign_verdict(world.candidates[1]),
    )
    before = Act(
        subject_kind="village_official",
        act=ActKind.POST,
        time=ActTime(at=wib(2024, 9, 1, 9, 15)),
        own=campaign_verdict(world.candidates[1]),
    )

    during = _decide(inside, stages, SubjectGroup.VILLAGE, dt.date(2024, 10, 2))
    earlier = _decide(before, stages, SubjectGroup.VILLAGE, dt.date(2024, 9, 1))

    assert during is not None
    assert earlier is not None
    assert [(v.code, v.offence) for v in during.violations] == [
        ("desa-pilkada", "UU 10/2016 Pasal 188 dan Pasal 189"),
        ("desa-uu-desa", ""),
    ]
    assert (during.rule, during.severity, during.priority) == (
        "village.post.own",
        Severity.HIGH,
        91,
    )
    assert during.timing.sentence == (
        f"Unggahan pada 2 Oktober 2024 pukul 09.15 WIB, dalam masa {CAMPAIGN}."
    )
    # Before the campaign only the village law binds: no crime, medium, lower priority.
    assert [v.code for v in earlier.violations] == ["desa-uu-desa"]
    assert (earlier.severity, earlier.timing.position) == (Severity.MEDIUM, Position.BEFORE)
    assert earlier.priority == 41  # 0.75 x 1.0 x 0.91 x 0.6


def test_a_polri_share_meets_the_crime_article_from_the_mk_decision_on(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    def share(on: dt.datetime) -> Act:
        return Act(
            subject_kind="polri",
            act=ActKind.SHARE,
            time=ActTime(at=on),
            target=campaign_verdict(world.candidates[2], stance="oppose"),  # type: ignore[arg-type]
        )

    before = _decide(
        share(wib(2024, 11, 10, 12)), stages, SubjectGroup.POLRI, dt.date(2024, 11, 10)
    )
    after = _decide(share(wib(2024, 11, 20, 12)), stages, SubjectGroup.POLRI, dt.date(2024, 11, 20))

    assert before is not None
    assert after is not None
    assert [(v.code, v.regulation) for v in before.violations] == [
        ("polri-pilkada", "uu-10-2016"),
        ("polri-uu-2-2002", "uu-2-2002"),
    ]
    assert before.severity == Severity.MEDIUM
    assert [(v.code, v.regulation) for v in after.violations] == [
        ("polri-pilkada", "mk-136-puu-xxii-2024"),
        ("polri-uu-2-2002", "uu-2-2002"),
    ]
    assert (after.severity, after.priority) == (Severity.HIGH, 82)  # 1.0 x 0.9 x 0.91
    assert after.sentences[0] == (
        "Polri membagikan ulang konten kampanye orang lain yang menyerang calon nomor 2 "
        "(Bagus Santoso Wiryawan) (probabilitas model 0,91)."
    )


def test_a_political_neutral_verdict_produces_nothing(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    for kind, act in [
        ("pns", ActKind.POST),
        ("tni", ActKind.LIKE),
        ("village_head", ActKind.SHARE),
    ]:
        verdicts = (
            {"own": neutral_verdict()} if act == ActKind.POST else {"target": neutral_verdict()}
        )
        decision = decide(
            Act(subject_kind=kind, act=act, time=ActTime(at=wib(2024, 10, 2)), **verdicts),  # type: ignore[arg-type]
            regime="pilkada",
            stages=stages,
            law=law_in_force(group=SubjectGroup.ASN, regime="pilkada", on=dt.date(2024, 10, 2)),
        )
        assert decision is None


def test_a_relative_of_a_candidate_raises_priority(
    world: World, stages: tuple[StageSpan, ...]
) -> None:
    def like(*relations: Relation) -> Act:
        return Act(
            subject_kind="pns",
            act=ActKind.LIKE,
            time=ActTime(seen_from=wib(2024, 11, 3), seen_until=wib(2024, 11, 5)),
            target=campaign_verdict(world.candidates[1]),
            relations=relations,
        )

    first, second = world.candidates[1], world.candidates[2]
    of_target = Relation(first.pk, 1, first.name, "adik kandung")
    of_other = Relation(second.pk, 2, second.name, "sepupu")

    plain = _decide(like(), stages, SubjectGroup.ASN, dt.date(2024, 11, 3))
    relative = _decide(like(of_target), stages, SubjectGroup.ASN, dt.date(2024, 11, 3))
    other = _decide(like(of_other), stages, SubjectGroup.ASN, dt.date(2024, 11, 3))

    assert plain is not None
    assert relative is not None
    assert other is not None
    assert (plain.priority, other.priority, relative.priority) == (55, 70, 80)
    assert relative.sentences[-1] == (
        "Subjek memiliki hubungan dengan calon nomor 1 (Dr. H. Bagus Santoso Wiryawan, S.H.): "
        "adik kandung; prioritas dinaikkan."
    )


# --- the service ---------------------------------------------------------------------------------


def test_detection_flags_the_acts_of_linked_subjects_on_campaign_content(world: World) -> None:
    teacher = world.subject("Sri Handayani", "pns", agency=world.agency)
    kades = world.subject("Slamet Riyadi", "village_head")
    world.relate("Sri Handayani", 1, "adik kandung")
    post = world.candidate_post(wib(2024, 10, 1, 7))
    like = world.interaction(
        world.accounts["Sri Handayani"],
        "like",
        item=post,
        seen=(wib(2024, 11, 3, 8), wib(2024, 11, 5, 20)),
    )
    own = world.item(
        world.accounts["Slamet Riyadi"], wib(2024, 10, 2, 9, 15), verdict=campaign_verdict()
    )
    # A neutral post of the teacher and a like of a neutral item: nothing.
    world.item(world.accounts["Sri Handayani"], wib(2024, 10, 3), verdict=neutral_verdict())
    news = world.item(None, wib(2024, 10, 3), verdict=neutral_verdict())
    world.interaction(world.accounts["Slamet Riyadi"], "like", item=news, at=wib(2024, 10, 4))

    summary = flags_detect(election=world.election)

    assert (summary.acts, summary.created) == (2, 2)
    flags = {f.subject_id: f for f in Flag.objects.all()}
    liked = flags[teacher.pk]
    assert (liked.act, liked.item_id, liked.interaction_id, liked.target) == (
        ActKind.LIKE,
        post.pk,
        like.pk,
        f"item:instagram:{post.platform_id}",
    )
    assert (liked.agency_id, liked.region_id, liked.status, liked.priority) == (
        world.agency.pk,
        "35.07.01.2001",
        FlagStatus.OPEN,
        80,
    )
    assert (liked.acted_at, liked.seen_from, liked.stage) == (
        None,
        wib(2024, 11, 3, 8),
        "campaign",
    )
    assert liked.model_version == "uji-2024.11"
    explanation = liked.explanation
    assert explanation["rule"] == "asn.like.target"
    assert explanation["probability"] == 0.91
    assert explanation["features"] == [["coblos", 1.42], ["mas bagus", 0.97]]
    assert explanation["interaction"]["kind"] == "like"
    assert explanation["timing"]["position"] == "inside"
    assert explanation["relations"][0]["relation"] == "adik kandung"
    assert sorted(FlagViolation.objects.filter(flag=liked).values_list("code", flat=True)) == [
        "N04",
        "asn-pilkada",
    ]
    posted = flags[kades.pk]
    assert (posted.act, posted.item_id, posted.severity) == (ActKind.POST, own.pk, Severity.HIGH)
    [event] = Event.objects.filter(kind=DetectionEvent.FLAGS_DETECTED)
    assert event.params["created"] == 2


def test_a_follow_of_a_campaign_account_is_flagged(world: World) -> None:
    teacher = world.subject("Rina Kartika", "pppk", agency=world.agency)
    team = Account.objects.create(platform="x", platform_id="9001", handle="TimAminSekar_Fiktif")
    follow = world.interaction(
        world.accounts["Rina Kartika"],
        "follow",
        account=team,
        seen=(wib(2024, 10, 10), wib(2024, 10, 12)),
    )
    other = Account.objects.create(platform="x", platform_id="9002", handle="warung_kopi")
    world.interaction(world.accounts["Rina Kartika"], "follow", account=other, at=wib(2024, 10, 1))

    flags_detect(election=world.election)

    [flag] = Flag.objects.all()
    assert (flag.subject_id, flag.act, flag.interaction_id, flag.target) == (
        teacher.pk,
        ActKind.FOLLOW,
        follow.pk,
        f"account:{team.pk}",
    )
    assert [v["code"] for v in flag.violations] == ["N04", "asn-pilkada"]
    assert flag.explanation["sentences"][0] == (
        "PPPK mengikuti akun atau grup kampanye @timaminsekar_fiktif (calon nomor 2)."
    )
    assert flag.priority == 70  # 1.0 x follow 0.7 x listed account 1.0 x inside 1.0


def test_a_rerun_changes_nothing_and_records_nothing(world: World) -> None:
    world.subject("Sri Handayani", "pns", agency=world.agency)
    post = world.candidate_post(wib(2024, 10, 1, 7))
    world.interaction(
        world.accounts["Sri Handayani"],
        "like",
        item=post,
        seen=(wib(2024, 10, 3), wib(2024, 10, 4)),
    )
    flags_detect(election=world.election)
    before = list(Flag.objects.values())
    events = Event.objects.count()

    again = flags_detect(election=world.election)

    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 1, 0)
    assert list(Flag.objects.values()) == before
    assert Event.objects.count() == events


def test_a_changed_verdict_updates_an_open_flag_and_a_neutral_one_withdraws_it(
    world: World,
) -> None:
    world.subject("Sri Handayani", "pns", agency=world.agency)
    post = world.candidate_post(wib(2024, 10, 1, 7))
    world.interaction(
        world.accounts["Sri Handayani"],
        "like",
        item=post,
        seen=(wib(2024, 10, 3), wib(2024, 10, 4)),
    )
    flags_detect(election=world.election)
    [flag] = Flag.objects.all()
    assert flag.priority == 55

    world.judge(post, campaign_verdict(world.candidates[1], score=0.5))
    changed = flags_detect(election=world.election)
    flag.refresh_from_db()
    assert (changed.updated, flag.pk, flag.priority, flag.status) == (1, flag.pk, 30, "open")

    world.judge(post, neutral_verdict())
    gone = flags_detect(election=world.election)
    flag.refresh_from_db()
    assert (gone.withdrawn, flag.status) == (1, FlagStatus.WITHDRAWN)

    world.judge(post, campaign_verdict(world.candidates[1]))
    back = flags_detect(election=world.election)
    flag.refresh_from_db()
    assert (back.reopened, flag.status, flag.priority, Flag.objects.count()) == (
        1,
        FlagStatus.OPEN,
        55,
        1,
    )


def test_a_decided_flag_is_not_changed_by_a_rerun(
    world: World, personas: dict[str, User | None]
) -> None:
    world.subject("Sri Handayani", "pns", agency=world.agency)
    post = world.candidate_post(wib(2024, 10, 1, 7))
    world.interaction(
        world.accounts["Sri Handayani"],
        "like",
        item=post,
        seen=(wib(2024, 10, 3), wib(2024, 10, 4)),
    )
    flags_detect(election=world.election)
    analyst = personas["malang_analyst"]
    assert analyst is not None
    flag = flag_confirm(flag=Flag.objects.get(), actor=analyst)
    decided = Flag.objects.values().get()

    world.judge(post, campaign_verdict(world.candidates[1], score=0.5))
    rerun = flags_detect(election=world.election)
    world.judge(post, neutral_verdict())
    gone = flags_detect(election=world.election)

    assert (rerun.decided_kept, rerun.updated, gone.withdrawn) == (1, 0, 0)
    assert Flag.objects.values().get() == decided
    assert flag.status == FlagStatus.CONFIRMED


def test_detection_refuses_to_run_without_the_law(world: World) -> None:
    ViolationType.objects.all().delete()
    Prohibition.objects.all().delete()

    with pytest.raises(LawRuleMissing, match="netra law load"):
        flags_detect(election=world.election)
