"""A small world for the rules: the Kab. Malang regent election of ``pilkada-detect.yaml``
(campaign 25 September to 23 November 2024), the law as packaged, fictional subjects with
confirmed accounts, and helpers to make their items, interactions and verdicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from netra.detection.models import ContentVerdict
from netra.detection.services import content_verdicts_store
from netra.detection.verdict import ContentClass, MatchedTerm, Stance, Verdict
from netra.elections.models import Candidate, Election
from netra.elections.services import elections_import
from netra.geo.models import Region
from netra.law.services import law_load
from netra.registry.models import AccountLink, Agency, CandidateRelation, LinkStatus, Subject
from netra.social.models import Account, Interaction, Item, Source, SourceKind

ELECTION_FILE = Path(__file__).parent / "data" / "pilkada-detect.yaml"
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MODEL = "uji-2024.11"
_serial = itertools.count(1)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def campaign_verdict(
    candidate: Candidate | None = None,
    *,
    score: float = 0.91,
    stance: Stance = Stance.SUPPORT,
    hashtag: str = "",
) -> Verdict:
    """A verdict as the classifier would give for a post supporting ``candidate``."""
    terms = [MatchedTerm(1, "Mas Bagus", "alias", "mas bagus", 0, 9)]
    if hashtag:
        terms.append(MatchedTerm(1, hashtag, "hashtag", hashtag, 10, 10 + len(hashtag)))
    return Verdict(
        content_class=ContentClass.CAMPAIGN,
        stance=stance,
        target=candidate.number if candidate else 1,
        target_id=candidate.pk if candidate else None,
        target_name="Bagus Santoso Wiryawan",
        score=score,
        model_version=MODEL,
        reasons=("Menyebut alias calon nomor 1 dan ajakan memilih.",),
        features=(("coblos", 1.42), ("mas bagus", 0.97)),
        terms=tuple(terms),
    )


def neutral_verdict() -> Verdict:
    return Verdict(
        content_class=ContentClass.POLITICAL_NEUTRAL,
        stance=Stance.NEUTRAL,
        target=None,
        target_id=None,
        target_name="",
        score=0.08,
        model_version=MODEL,
        reasons=("Berita jadwal debat.",),
    )


@dataclass
class World:
    election: Election
    candidates: dict[int, Candidate]
    agency: Agency
    source: Source
    subjects: dict[str, Subject] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)

    def subject(
        self,
        name: str,
        kind: str,
        *,
        workplace: str = "35.07.01.2001",
        agency: Agency | None = None,
    ) -> Subject:
        """A subject with a confirmed instagram account ``<name>.fiktif``."""
        subject = Subject.objects.create(
            kind=kind, full_name=name, agency=agency, workplace_id=workplace
        )
        handle = name.lower().replace(" ", "") + ".fiktif"
        account = Account.objects.create(platform="instagram", platform_id=handle, handle=handle)
        AccountLink.objects.create(
            subject=subject,
            account=account,
            status=LinkStatus.CONFIRMED,
            confidence=Decimal("0.950"),
            proof="Profil menyebut nama dan sekolah.",
            decided_at=timezone.now(),
        )
        self.subjects[name] = subject
        self.accounts[name] = account
        return subject

    def relate(self, name: str, number: int, relation: str) -> None:
        CandidateRelation.objects.create(
            subject=self.subjects[name], candidate=self.candidates[number], relation=relation
        )

    def item(
        self,
        author: Account | None,
        at: dt.datetime,
        *,
        kind: str = "post",
        parent: Item | None = None,
        verdict: Verdict | None = None,
    ) -> Item:
        number = next(_serial)
        item = Item.objects.create(
            platform="instagram",
            platform_id=f"ig-{number}",
            kind=kind,
            author=author,
            parent_platform_id=parent.platform_id if parent else "",
            text=f"teks uji {number}",
            created_at=at,
            raw_sha256=hashlib.sha256(str(number).encode()).hexdigest(),
        )
        if verdict is not None:
            self.judge(item, verdict)
        return item

    def judge(self, item: Item, verdict: Verdict) -> None:
        content_verdicts_store(election=self.election, pairs=[(item.pk, verdict)])

    def interaction(
        self,
        actor: Account,
        kind: str,
        *,
        item: Item | None = None,
        account: Account | None = None,
        at: dt.datetime | None = None,
        seen: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> Interaction:
        number = next(_serial)
        return Interaction.objects.create(
            key=f"uji-{number}",
            platform=item.platform if item else account.platform if account else "instagram",
            kind=kind,
            actor=actor,
            target_item_platform_id=item.platform_id if item else "",
            target_account=account,
            occurred_at=at,
            first_seen_at=seen[0] if seen else None,
            last_seen_at=seen[1] if seen else None,
            source=self.source,
        )

    def candidate_post(self, at: dt.datetime, **kwargs: object) -> Item:
        """A campaign post by the candidate's own account (author unknown to the registry)."""
        author = Account.objects.get_or_create(
            platform="instagram", platform_id="bagusratna", defaults={"handle": "bagusratna.fiktif"}
        )[0]
        verdict = kwargs.pop("verdict", None) or campaign_verdict(self.candidates[1])
        assert isinstance(verdict, Verdict)
        return self.item(author, at, verdict=verdict)


@pytest.fixture
def world(regions: dict[str, Region]) -> World:
    return make_world()


def make_world() -> World:
    """The world of the ``world`` fixture (needs the ``regions`` fixture's rows), for tests
    outside this folder (the browser tests)."""
    law_load()
    elections_import(path=ELECTION_FILE)
    election = Election.objects.get(slug="pilkada-2024-kab-malang-deteksi")
    source = Source.objects.create(
        kind=SourceKind.FILE, name="uji.jsonl", format="jsonl", sha256="0" * 64, election=election
    )
    return World(
        election=election,
        candidates={c.number: c for c in Candidate.objects.filter(election=election)},
        agency=Agency.objects.create(name="SMP Negeri 1 Donomulyo", region_id="35.07.01"),
        source=source,
    )


def verdict_rows(world: World) -> int:
    return ContentVerdict.objects.filter(election=world.election).count()


CAMPAIGN_TEXT = "Ayo coblos nomor 1, Mas Bagus pasti bawa Malang maju! 🔥"
NEWS_TEXT = (
    "KPU Kabupaten Malang menetapkan nomor urut pasangan calon bupati, Bagus Santoso "
    "nomor 1 dan Aminudin Hakim nomor 2"
)


@pytest.fixture
def scene(world: World) -> World:
    """A teacher who likes a candidate's campaign post, writes "02" support of her own and
    shares a news report; a stranger's post loaded for the election."""
    teacher = world.subject("Sri Lestari", "pns", agency=world.agency)
    post = world.candidate_post(wib(2024, 10, 10, 9))
    Item.objects.filter(pk=post.pk).update(text=CAMPAIGN_TEXT)
    world.interaction(
        world.accounts["Sri Lestari"],
        "like",
        item=post,
        seen=(wib(2024, 10, 11, 8), wib(2024, 10, 12, 20)),
    )
    own = world.item(world.accounts["Sri Lestari"], wib(2024, 10, 20, 7))
    Item.objects.filter(pk=own.pk).update(text="pokoknya 02 🔥🔥 sampai menang, Cak Amin!")
    news = world.item(world.accounts["Sri Lestari"], wib(2024, 10, 21, 7), kind="share")
    Item.objects.filter(pk=news.pk).update(text=NEWS_TEXT)
    assert teacher.pk
    return world
