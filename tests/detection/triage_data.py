"""The triage pages' world: flags of Kab. Malang subjects (Donomulyo and Pagak), a
coordination of three teachers, one Kab. Lumajang flag, and a detection run.

Fictional people in real places, built through the rules (``flags_detect``,
``coordination_detect``) rather than written by hand, except the Lumajang flag (the
election is Kab. Malang's, whose rules never reach a Lumajang subject).
"""

from __future__ import annotations

from dataclasses import dataclass

from netra.detection.coordination import coordination_detect
from netra.detection.flagging import flags_detect
from netra.detection.models import DetectionRun, DetectionRunStatus, Flag, FlagKind
from netra.registry.models import Agency, Subject
from netra.social.models import Item
from tests.detection.conftest import World, campaign_verdict, neutral_verdict, wib

OWN_TEXT = "Mas Bagus pasti menang, coblos nomor 1!"
CANDIDATE_TEXT = "Ayo dukung Mas Bagus dan Bu Ratna di pilkada Malang."
COMMENT_TEXT = "Setuju pak, semoga lancar."
TEACHERS = ["Dewi Lestari", "Agus Salim", "Rina Kusuma"]


@dataclass
class Triage:
    world: World
    post: Flag  # Sri Handayani's own campaign post (Donomulyo)
    like: Flag  # Sri Handayani's like of the candidate's post, seen in a window
    comment: Flag  # Bambang Wijaya's comment on the candidate's post (Pagak)
    coordination: Flag  # three teachers liking the candidate's post (region 35.07)
    lumajang: Flag  # a flag of Kab. Lumajang
    candidate_post: Item
    run: DetectionRun


def build_triage(world: World) -> Triage:
    sri = world.subject("Sri Handayani", "pns", agency=world.agency)
    Subject.objects.filter(pk=sri.pk).update(position="Guru IPS")
    pagak = Agency.objects.create(name="Pemerintah Desa Sumbermanjing Kulon", region_id="35.07.02")
    world.subject("Bambang Wijaya", "village_head", workplace="35.07.02.2001", agency=pagak)
    for name in TEACHERS:
        world.subject(name, "pns", agency=world.agency)

    post = world.candidate_post(wib(2024, 10, 1, 7))
    Item.objects.filter(pk=post.pk).update(
        text=CANDIDATE_TEXT, permalink="https://www.instagram.com/p/bagus1/"
    )
    own = world.item(
        world.accounts["Sri Handayani"],
        wib(2024, 10, 3, 19, 30),
        verdict=campaign_verdict(world.candidates[1], score=0.93),
    )
    Item.objects.filter(pk=own.pk).update(text=OWN_TEXT)
    world.interaction(
        world.accounts["Sri Handayani"],
        "like",
        item=post,
        seen=(wib(2024, 10, 4, 8), wib(2024, 10, 6, 8)),
    )
    world.item(
        world.accounts["Bambang Wijaya"],
        wib(2024, 10, 5, 9),
        kind="comment",
        parent=post,
        verdict=neutral_verdict(),
    )
    comment = Item.objects.get(author=world.accounts["Bambang Wijaya"])
    Item.objects.filter(pk=comment.pk).update(text=COMMENT_TEXT)
    for hour, name in enumerate(TEACHERS):
        world.interaction(world.accounts[name], "like", item=post, at=wib(2024, 10, 1, 9 + hour))
    flags_detect(election=world.election)
    coordination_detect(election=world.election)
    run = DetectionRun.objects.create(
        election=world.election,
        status=DetectionRunStatus.DONE,
        started_at=wib(2024, 10, 7, 6),
        finished_at=wib(2024, 10, 7, 6, 5),
        model_version="uji-2024.11",
    )
    acts = Flag.objects.filter(kind=FlagKind.ACT)
    lumajang_subject = Subject.objects.create(
        kind="pns", full_name="Hartono Fiktif", workplace_id="35.08.01"
    )
    lumajang = Flag.objects.create(
        key="act:uji:lumajang",
        kind=FlagKind.ACT,
        election=world.election,
        subject=lumajang_subject,
        region_id="35.08.01",
        platform="x",
        act="post",
        violations=[{"code": "N02", "legal_basis": "SKB 2022"}],
        severity="high",
        priority=99,
        acted_at=wib(2024, 10, 2, 10),
    )
    return Triage(
        world=world,
        post=acts.get(item=own),
        like=acts.get(subject=sri, interaction__isnull=False),
        comment=acts.get(subject__full_name="Bambang Wijaya"),
        coordination=Flag.objects.get(kind=FlagKind.COORDINATION),
        lumajang=lumajang,
        candidate_post=Item.objects.get(pk=post.pk),
        run=run,
    )
