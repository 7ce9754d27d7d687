"""Rules → flags: which acts of watched subjects on campaign content are suspected
violations, under which articles, how severe and how urgent, and why.

Two halves. ``decide`` is pure: from one act (who, what, on which verdict, when), the
election's regime and stages and the law rows in force on the act's date, it returns a
``Decision`` (catalogue codes and prohibitions with their legal basis and version,
severity, priority, Indonesian sentences) or None. ``flags_detect`` is the service: for
one election it finds the acts of subjects whose accounts are confirmed theirs, asks
``decide`` about each, and writes the flags in bulk, idempotently (``Flag.key``).

What the rules read of the law is data (``netra.law``): the SKB catalogue for ASN
behaviours (``ViolationType``) and the statutes per subject group and regime
(``Prohibition``). Which catalogue behaviour an act is (a like is N04, an own campaign
post N02) is the reading of SKB 2022 Lampiran II written down in ``ASN_BEHAVIOURS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.core.events import event_record
from netra.core.iterables import chunked
from netra.core.locks import work_lock
from netra.detection.events import DetectionEvent
from netra.detection.models import (
    ActKind,
    ContentVerdict,
    Flag,
    FlagKind,
    FlagStatus,
    FlagViolation,
    Severity,
)
from netra.detection.verdict import ContentClass, MatchedTerm, Stance, Verdict
from netra.elections.models import Candidate, Election, Stage, StageKind
from netra.elections.selectors import candidates_with_accounts
from netra.law.models import Prohibition, ProhibitionScope, SubjectGroup, ViolationType
from netra.law.selectors import LawRuleMissing, prohibitions_in_force, violation_types_in_force
from netra.registry.models import AccountLink, CandidateRelation, Subject, SubjectKind
from netra.registry.selectors import confirmed_account_links_within
from netra.social.accounts import handle_key
from netra.social.models import Account, Interaction, InteractionKind, Item, ItemKind
from netra.staff.models import User

SUBJECT_GROUPS: Mapping[str, SubjectGroup] = {
    SubjectKind.PNS: SubjectGroup.ASN,
    SubjectKind.PPPK: SubjectGroup.ASN,
    SubjectKind.VILLAGE_HEAD: SubjectGroup.VILLAGE,
    SubjectKind.VILLAGE_OFFICIAL: SubjectGroup.VILLAGE,
    SubjectKind.BPD: SubjectGroup.VILLAGE,
    SubjectKind.TNI: SubjectGroup.TNI,
    SubjectKind.POLRI: SubjectGroup.POLRI,
}

# SKB 2022 Lampiran II read for acts on social media: N02 is campaigning or socialising a
# candidate on social media (the subject's own campaign text, or spreading campaign
# content by sharing it); N04 is posting on, commenting on, sharing, liking, joining or
# following a candidate's campaign group or account (acting on campaign content).
OWN_CAMPAIGN = "N02"
ON_CAMPAIGN = "N04"
ASN_BEHAVIOURS: Mapping[ActKind, tuple[tuple[str, str], ...]] = {
    # act -> ((code, what must be campaign: "own", "target" or "account"), ...)
    ActKind.POST: ((OWN_CAMPAIGN, "own"),),
    ActKind.COMMENT: ((OWN_CAMPAIGN, "own"), (ON_CAMPAIGN, "target")),
    ActKind.QUOTE: ((OWN_CAMPAIGN, "own"), (OWN_CAMPAIGN, "target"), (ON_CAMPAIGN, "target")),
    ActKind.SHARE: ((OWN_CAMPAIGN, "own"), (OWN_CAMPAIGN, "target"), (ON_CAMPAIGN, "target")),
    ActKind.LIKE: ((ON_CAMPAIGN, "target"),),
    ActKind.REACTION: ((ON_CAMPAIGN, "target"),),
    ActKind.FOLLOW: ((ON_CAMPAIGN, "account"),),
    ActKind.JOIN: ((ON_CAMPAIGN, "account"),),
}

# How much an act says about the subject's partisanship, for the priority: writing one's
# own campaign post says most, a like least.
ACT_WEIGHTS: Mapping[ActKind, float] = {
    ActKind.POST: 1.0,
    ActKind.QUOTE: 0.95,
    ActKind.SHARE: 0.9,
    ActKind.COMMENT: 0.85,
    ActKind.JOIN: 0.8,
    ActKind.FOLLOW: 0.7,
    ActKind.REACTION: 0.6,
    ActKind.LIKE: 0.6,
}
SEVERITY_WEIGHTS: Mapping[Severity, float] = {
    Severity.HIGH: 1.0,
    Severity.MEDIUM: 0.75,
    Severity.LOW: 0.5,
}
# Sanction-level ranks of the catalogue (law.yaml: moral 1, light 2, medium 3, heavy 4,
# PTDH 5) at or above which an ASN act is a high or a medium severity flag.
HIGH_RANK = 4
MEDIUM_RANK = 3
# A relative of a candidate (``CandidateRelation``) is a likelier partisan: more so when
# the act favours or attacks that very candidate.
RELATION_BONUS = 0.15
RELATION_TARGET_BONUS = 0.25

_MONTHS = (
    gettext_lazy("Januari"),
    gettext_lazy("Februari"),
    gettext_lazy("Maret"),
    gettext_lazy("April"),
    gettext_lazy("Mei"),
    gettext_lazy("Juni"),
    gettext_lazy("Juli"),
    gettext_lazy("Agustus"),
    gettext_lazy("September"),
    gettext_lazy("Oktober"),
    gettext_lazy("November"),
    gettext_lazy("Desember"),
)

# What an act is called in a sentence about when it was seen.
_ACT_NOUNS: Mapping[ActKind, Any] = {
    ActKind.POST: gettext_lazy("unggahan"),
    ActKind.COMMENT: gettext_lazy("komentar"),
    ActKind.SHARE: gettext_lazy("bagikan ulang"),
    ActKind.QUOTE: gettext_lazy("kutipan"),
    ActKind.LIKE: gettext_lazy("suka"),
    ActKind.REACTION: gettext_lazy("reaksi"),
    ActKind.FOLLOW: gettext_lazy("ikuti (follow)"),
    ActKind.JOIN: gettext_lazy("keanggotaan grup"),
}
# What the subject did, completing "<subject kind> ...".
_ACT_VERBS: Mapping[ActKind, Any] = {
    ActKind.POST: gettext_lazy("mengunggah"),
    ActKind.COMMENT: gettext_lazy("berkomentar pada"),
    ActKind.SHARE: gettext_lazy("membagikan ulang"),
    ActKind.QUOTE: gettext_lazy("mengutip"),
    ActKind.LIKE: gettext_lazy("menyukai"),
    ActKind.REACTION: gettext_lazy("memberi reaksi pada"),
    ActKind.FOLLOW: gettext_lazy("mengikuti"),
    ActKind.JOIN: gettext_lazy("bergabung dengan"),
}


# --- the inputs of a decision -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageSpan:
    """One stage of the election, by kind and dates (both days inclusive, local time)."""

    kind: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True, slots=True)
class ActTime:
    """When an act happened: ``at`` when the platform says, else only when it was observed
    (``seen_from``..``seen_until``, as a like or a follow is)."""

    at: dt.datetime | None = None
    seen_from: dt.datetime | None = None
    seen_until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A known tie between the subject and a candidate of this election."""

    candidate_id: int
    candidate_number: int
    candidate_name: str
    relation: str


@dataclass(frozen=True, slots=True)
class Act:
    """One act of a subject, as the rules see it.

    ``own`` is the verdict of the subject's own text (a post, comment or quote), ``target``
    that of the item acted on (a comment's parent, a shared or liked item); ``account`` the
    campaign account followed or group joined (its label), empty otherwise.
    """

    subject_kind: str
    act: ActKind
    time: ActTime
    own: Verdict | None = None
    target: Verdict | None = None
    account: str = ""
    account_candidate_id: int | None = None
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """A row of the SKB catalogue in force on the act's date (``law.ViolationType``)."""

    code: str
    behaviour: str
    legal_basis: str
    regulation: str
    effective_from: dt.date
    certainty: str
    discipline_rank: int | None
    discipline_level: str
    ethics_level: str


@dataclass(frozen=True, slots=True)
class ProhibitionRow:
    """A statute binding the subject's group in the regime (``law.Prohibition``)."""

    code: str
    legal_basis: str
    scope: str
    offence: str
    regulation: str
    effective_from: dt.date
    certainty: str


@dataclass(frozen=True, slots=True)
class LawInForce:
    """What the rules read of the law for one group, regime and date."""

    catalogue: Mapping[str, CatalogueRow] = field(default_factory=dict)
    prohibitions: tuple[ProhibitionRow, ...] = ()


# --- timing -------------------------------------------------------------------------------------


class Position(StrEnum):
    """Where an act lies relative to the campaign stage."""

    INSIDE = "inside"  # the exact time, or the whole observation window, within it
    STRADDLES = "straddles"  # the observation window partly within it
    BEFORE = "before"
    AFTER = "after"
    UNKNOWN = "unknown"  # no time at all, or the election has no campaign stage


TIMING_FACTORS: Mapping[Position, float] = {
    Position.INSIDE: 1.0,
    Position.BEFORE: 0.6,  # ASN must be neutral before the campaign too (Pasal 283)
    Position.AFTER: 0.6,
    Position.UNKNOWN: 0.5,
}
_STRADDLE_FLOOR = 0.6  # a straddling window scores 0.6 .. 1.0 by the share inside


@dataclass(frozen=True, slots=True)
class Timing:
    position: Position
    exact: bool
    fraction_inside: float  # of the observation window (1 or 0 for an exact time)
    stage: str  # the kind of the stage the act lies wholly in, else ""
    campaign: StageSpan | None
    sentence: str

    @property
    def factor(self) -> float:
        if self.position == Position.STRADDLES:
            return _STRADDLE_FLOOR + (1 - _STRADDLE_FLOOR) * self.fraction_inside
        return TIMING_FACTORS[self.position]

    @property
    def may_be_in_campaign(self) -> bool:
        return self.position in {Position.INSIDE, Position.STRADDLES}

    def as_json(self, time: ActTime) -> dict[str, object]:
        return {
            "position": self.position.value,
            "exact": self.exact,
            "acted_at": _iso(time.at),
            "seen_from": _iso(time.seen_from),
            "seen_until": _iso(time.seen_until),
            "fraction_inside": round(self.fraction_inside, 4),
            "stage": self.stage,
            "campaign": (
                [self.campaign.starts_on.isoformat(), self.campaign.ends_on.isoformat()]
                if self.campaign
                else None
            ),
            "sentence": self.sentence,
        }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: dt.date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _days(start: dt.date, end: dt.date) -> str:
    """'3 dan 5 November 2024', '28 Oktober dan 5 November 2024', or across years."""
    if start.year != end.year:
        return _("%(start)s dan %(end)s") % {"start": _day(start), "end": _day(end)}
    if start.month != end.month:
        return _("%(start)s dan %(end)s") % {
            "start": f"{start.day} {_MONTHS[start.month - 1]}",
            "end": _day(end),
        }
    return _("%(start)s dan %(end)s") % {"start": str(start.day), "end": _day(end)}


def _span(stage: StageSpan) -> str:
    if stage.starts_on == stage.ends_on:
        return _day(stage.starts_on)
    return f"{_day(stage.starts_on)} – {_day(stage.ends_on)}"


def campaign_span(stages: Sequence[StageSpan]) -> StageSpan | None:
    """The campaign stage (several campaign rows: from the first start to the last end)."""
    campaigns = [s for s in stages if s.kind == StageKind.CAMPAIGN]
    if not campaigns:
        return None
    return StageSpan(
        kind=StageKind.CAMPAIGN,
        name=campaigns[0].name,
        starts_on=min(s.starts_on for s in campaigns),
        ends_on=max(s.ends_on for s in campaigns),
    )


def _bounds(stage: StageSpan) -> tuple[dt.datetime, dt.datetime]:
    """The stage as local datetimes: from the first day's midnight to the day after the last."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(stage.starts_on, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(stage.ends_on + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def _stage_of(stages: Sequence[StageSpan], start: dt.date, end: dt.date) -> str:
    for stage in stages:
        if stage.starts_on <= start and end <= stage.ends_on:
            return stage.kind
    return ""


def assess_timing(act: ActKind, time: ActTime, stages: Sequence[StageSpan]) -> Timing:
    """Where ``time`` lies relative to the campaign stage, with the sentence that says so.

    An exact time is inside, before or after. An observation window (no platform time) is
    inside only when wholly inside; a window overlapping a stage boundary straddles it,
    with the share of the window inside (by time) saying how likely the act fell within.
    """
    campaign = campaign_span(stages)
    noun = str(_ACT_NOUNS[act])
    if time.at is not None:
        return _exact_timing(noun, time.at, campaign, stages)
    first = time.seen_from or time.seen_until
    last = time.seen_until or time.seen_from
    if first is None or last is None:
        return Timing(
            Position.UNKNOWN,
            False,
            0.0,
            "",
            campaign,
            _(
                "Waktu %(act)s tidak diketahui: platform tidak memberi waktu dan tidak ada "
                "catatan pengamatan."
            )
            % {"act": noun},
        )
    if last < first:
        first, last = last, first
    local_first, local_last = timezone.localtime(first), timezone.localtime(last)
    recorded = (
        _("%(act)s tercatat pada %(day)s") % {"act": noun, "day": _day(local_first.date())}
        if local_first.date() == local_last.date()
        else _("%(act)s tercatat antara %(days)s")
        % {"act": noun, "days": _days(local_first.date(), local_last.date())}
    )
    recorded = recorded[:1].upper() + recorded[1:]
    no_time = _("platform tidak memberi waktu %(act)s, jadi masa pengamatannya yang dipakai") % {
        "act": noun
    }
    stage = _stage_of(stages, local_first.date(), local_last.date())
    if campaign is None:
        return Timing(
            Position.UNKNOWN,
            False,
            0.0,
            stage,
            None,
            _("%(recorded)s; pemilihan ini tidak memiliki tahapan kampanye; %(no_time)s.")
            % {"recorded": recorded, "no_time": no_time},
        )
    start, end = _bounds(campaign)
    span = _span(campaign)
    if start <= first and last < end:
        return Timing(
            Position.INSIDE,
            False,
            1.0,
            stage,
            campaign,
            _("%(recorded)s, seluruhnya dalam masa kampanye (%(span)s); %(no_time)s.")
            % {"recorded": recorded, "span": span, "no_time": no_time},
        )
    if last < start:
        return Timing(
            Position.BEFORE,
            False,
            0.0,
            stage,
            campaign,
            _("%(recorded)s, seluruhnya sebelum masa kampanye (mulai %(start)s); %(no_time)s.")
            % {"recorded": recorded, "start": _day(campaign.starts_on), "no_time": no_time},
        )
    if first >= end:
        return Timing(
            Position.AFTER,
            False,
            0.0,
            stage,
            campaign,
            _("%(recorded)s, seluruhnya sesudah masa kampanye (berakhir %(end)s); %(no_time)s.")
            % {"recorded": recorded, "end": _day(campaign.ends_on), "no_time": no_time},
        )
    whole = (last - first).total_seconds()
    inside = (min(last, end) - max(first, start)).total_seconds()
    fraction = inside / whole if whole > 0 else 1.0
    boundary = (
        _("awal masa kampanye (%(day)s)") % {"day": _day(campaign.starts_on)}
        if first < start
        else _("akhir masa kampanye (%(day)s)") % {"day": _day(campaign.ends_on)}
    )
    return Timing(
        Position.STRADDLES,
        False,
        fraction,
        stage,
        campaign,
        _(
            "%(recorded)s, melewati %(boundary)s: %(percent)d%% masa pengamatan berada dalam "
            "masa kampanye, jadi %(act)s itu mungkin terjadi di luarnya; %(no_time)s."
        )
        % {
            "recorded": recorded,
            "boundary": boundary,
            "percent": round(fraction * 100),
            "act": noun,
            "no_time": no_time,
        },
    )


def _exact_timing(
    noun: str, at: dt.datetime, campaign: StageSpan | None, stages: Sequence[StageSpan]
) -> Timing:
    local = timezone.localtime(at)
    when = _("%(act)s pada %(day)s pukul %(time)s") % {
        "act": noun,
        "day": _day(local.date()),
        "time": f"{local:%H.%M} {local.tzname() or ''}".strip(),
    }
    when = when[:1].upper() + when[1:]
    stage = _stage_of(stages, local.date(), local.date())
    if campaign is None:
        return Timing(
            Position.UNKNOWN,
            True,
            0.0,
            stage,
            None,
            _("%(when)s; pemilihan ini tidak memiliki tahapan kampanye.") % {"when": when},
        )
    start, end = _bounds(campaign)
    if start <= at < end:
        position, text = Position.INSIDE, _("%(when)s, dalam masa kampanye (%(span)s).")
    elif at < start:
        position, text = Position.BEFORE, _("%(when)s, sebelum masa kampanye (%(span)s).")
    else:
        position, text = Position.AFTER, _("%(when)s, sesudah masa kampanye (%(span)s).")
    return Timing(
        position,
        True,
        1.0 if position == Position.INSIDE else 0.0,
        stage,
        campaign,
        text % {"when": when, "span": _span(campaign)},
    )


# --- the decision -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ViolationRef:
    """One code a flag names, with the legal basis and the version of the row it comes from."""

    code: str
    source: str  # "catalogue" (SKB, ViolationType) or "prohibition" (Prohibition)
    behaviour: str
    legal_basis: str
    offence: str
    regulation: str
    effective_from: dt.date
    certainty: str
    # "certain", or "possible" for a campaign-only prohibition and an act whose observation
    # window only partly lies in the campaign.
    applies: str = "certain"

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "source": self.source,
            "behaviour": self.behaviour,
            "legal_basis": self.legal_basis,
            "offence": self.offence,
            "regulation": self.regulation,
            "effective_from": self.effective_from.isoformat(),
            "certainty": self.certainty,
            "applies": self.applies,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    rule: str
    violations: tuple[ViolationRef, ...]
    severity: Severity
    priority: int
    timing: Timing
    probability: float
    sentences: tuple[str, ...]
    scoring: Mapping[str, float]


def _campaign(verdict: Verdict | None) -> bool:
    return verdict is not None and verdict.content_class == ContentClass.CAMPAIGN


def _about(verdict: Verdict) -> str:
    """'yang mendukung calon nomor 1 (Bagus Santoso)' or '' without a target."""
    if verdict.target is None:
        return ""
    name = f" ({verdict.target_name})" if verdict.target_name else ""
    if verdict.stance == Stance.OPPOSE:
        return _(" yang menyerang calon nomor %(number)d%(name)s") % {
            "number": verdict.target,
            "name": name,
        }
    return _(" yang mendukung calon nomor %(number)d%(name)s") % {
        "number": verdict.target,
        "name": name,
    }


def _terms_sentence(terms: Sequence[MatchedTerm]) -> str:
    shown = ", ".join(f"«{t.surface}» ({t.kind})" for t in terms[:8])
    return _("Istilah yang cocok: %(terms)s.") % {"terms": shown}


def _percent(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def decide(
    act: Act,
    *,
    regime: str,
    stages: Sequence[StageSpan],
    law: LawInForce,
    subject_label: str = "",
) -> Decision | None:
    """The flag ``act`` deserves, or None when it meets no rule.

    None when the act is on no campaign content (its own text and the item acted on are
    both political-neutral or unrelated, and no campaign account is followed), when the
    subject kind binds no group, or when no catalogue row or prohibition in ``law`` covers
    it (a campaign-only prohibition covers an act only if it may lie in the campaign).
    """
    group = SUBJECT_GROUPS.get(act.subject_kind)
    if group is None:
        return None
    on_account = act.act in {ActKind.FOLLOW, ActKind.JOIN} and bool(act.account)
    campaign_own, campaign_target = _campaign(act.own), _campaign(act.target)
    if not (campaign_own or campaign_target or on_account):
        return None
    timing = assess_timing(act.act, act.time, stages)
    basis = "account" if on_account else ("own" if campaign_own else "target")

    violations: list[ViolationRef] = []
    ranks: list[int] = []
    if group == SubjectGroup.ASN:
        met = {
            "own": campaign_own,
            "target": campaign_target,
            "account": on_account,
        }
        codes: list[str] = []
        for code, needs in ASN_BEHAVIOURS.get(act.act, ()):
            if met[needs] and code not in codes:
                codes.append(code)
        for code in codes:
            row = law.catalogue.get(code)
            if row is None:
                continue
            violations.append(
                ViolationRef(
                    code=row.code,
                    source="catalogue",
                    behaviour=row.behaviour,
                    legal_basis=row.legal_basis,
                    offence="",
                    regulation=row.regulation,
                    effective_from=row.effective_from,
                    certainty=row.certainty,
                )
            )
            if row.discipline_rank is not None:
                ranks.append(row.discipline_rank)
    offence_applies = False
    for prohibition in law.prohibitions:
        if prohibition.scope == ProhibitionScope.CAMPAIGN and not timing.may_be_in_campaign:
            continue
        applies = (
            "possible"
            if prohibition.scope == ProhibitionScope.CAMPAIGN
            and timing.position == Position.STRADDLES
            else "certain"
        )
        offence_applies = offence_applies or (bool(prohibition.offence) and applies == "certain")
        violations.append(
            ViolationRef(
                code=prohibition.code,
                source="prohibition",
                behaviour="",
                legal_basis=prohibition.legal_basis,
                offence=prohibition.offence,
                regulation=prohibition.regulation,
                effective_from=prohibition.effective_from,
                certainty=prohibition.certainty,
                applies=applies,
            )
        )
    if not any(v.source == "catalogue" for v in violations) and group == SubjectGroup.ASN:
        # An ASN act the catalogue does not name is not one of the SKB behaviours.
        return None
    if not violations:
        return None

    if group == SubjectGroup.ASN:
        top = max(ranks, default=0)
        severity = (
            Severity.HIGH
            if top >= HIGH_RANK
            else Severity.MEDIUM
            if top >= MEDIUM_RANK
            else Severity.LOW
        )
    else:
        severity = Severity.HIGH if offence_applies else Severity.MEDIUM

    scores = [v.score for v in (act.own, act.target) if v is not None and _campaign(v)]
    probability = 1.0 if on_account and not scores else max(scores, default=1.0)
    target_ids = {
        v.target_id for v in (act.own, act.target) if v is not None and v.target_id is not None
    }
    if act.account_candidate_id is not None:
        target_ids.add(act.account_candidate_id)
    bonus = 0.0
    for relation in act.relations:
        bonus = max(
            bonus,
            RELATION_TARGET_BONUS if relation.candidate_id in target_ids else RELATION_BONUS,
        )
    raw = SEVERITY_WEIGHTS[severity] * ACT_WEIGHTS[act.act] * probability * timing.factor
    priority = round(100 * min(1.0, raw + bonus))

    sentences = [
        _act_sentence(act, basis, subject_label, probability),
        timing.sentence,
    ]
    verdict = act.own if campaign_own else act.target if campaign_target else None
    if verdict is not None and verdict.terms:
        sentences.append(_terms_sentence(verdict.terms))
    sentences.append(
        _("Memenuhi: %(codes)s.")
        % {"codes": "; ".join(f"{v.code} ({v.legal_basis})" for v in violations)}
    )
    if any(v.applies == "possible" for v in violations):
        sentences.append(
            _("Larangan yang hanya berlaku selama masa kampanye dinilai mungkin, bukan pasti.")
        )
    for relation in act.relations:
        sentences.append(
            _(
                "Subjek memiliki hubungan dengan calon nomor %(number)d (%(name)s): "
                "%(relation)s; prioritas dinaikkan."
            )
            % {
                "number": relation.candidate_number,
                "name": relation.candidate_name,
                "relation": relation.relation,
            }
        )
    return Decision(
        rule=f"{group.value}.{act.act.value}.{basis}",
        violations=tuple(violations),
        severity=severity,
        priority=priority,
        timing=timing,
        probability=probability,
        sentences=tuple(sentences),
        scoring={
            "severity": SEVERITY_WEIGHTS[severity],
            "act": ACT_WEIGHTS[act.act],
            "probability": round(probability, 4),
            "timing": round(timing.factor, 4),
            "relation_bonus": bonus,
        },
    )


def _act_sentence(act: Act, basis: str, subject_label: str, probability: float) -> str:
    who = subject_label or str(SubjectKind(act.subject_kind).label)
    verb = str(_ACT_VERBS[act.act])
    if basis == "account":
        return _("%(who)s %(verb)s akun atau grup kampanye %(account)s.") % {
            "who": who,
            "verb": verb,
            "account": act.account,
        }
    verdict = act.own if basis == "own" else act.target
    if verdict is None:  # decide() chose the basis from a campaign verdict
        raise ValueError(f"no verdict for basis {basis!r}")
    if basis == "own":
        text = _("%(who)s %(verb)s konten kampanye%(about)s (probabilitas model %(probability)s).")
    else:
        text = _(
            "%(who)s %(verb)s konten kampanye orang lain%(about)s (probabilitas model "
            "%(probability)s)."
        )
    if act.act == ActKind.COMMENT and basis == "own":
        text = _(
            "%(who)s menulis komentar berisi kampanye%(about)s (probabilitas model "
            "%(probability)s)."
        )
    return text % {
        "who": who,
        "verb": verb,
        "about": _about(verdict),
        "probability": _percent(probability),
    }


# --- reading verdicts back ----------------------------------------------------------------------


def verdict_from_json(data: Mapping[str, Any]) -> Verdict:
    """The ``Verdict`` whose ``as_json()`` is ``data`` (a stored verdict's explanation)."""
    return Verdict(
        content_class=ContentClass(data["class"]),
        stance=Stance(data.get("stance", Stance.NEUTRAL)),
        target=data.get("target"),
        target_id=data.get("target_id"),
        target_name=data.get("target_name", ""),
        score=float(data.get("score", 0.0)),
        model_version=data.get("model_version", ""),
        reasons=tuple(data.get("reasons", ())),
        features=tuple((str(name), float(weight)) for name, weight in data.get("features", ())),
        terms=tuple(
            MatchedTerm(
                candidate_number=t["candidate_number"],
                term=t["term"],
                kind=t["kind"],
                surface=t["surface"],
                start=t["start"],
                end=t["end"],
                support=t.get("support", ""),
            )
            for t in data.get("terms", ())
        ),
    )


def hashtags_of(verdict: Verdict | None) -> list[str]:
    """The campaign hashtags a verdict matched, casefolded with their ``#``, in order."""
    if verdict is None:
        return []
    found: list[str] = []
    for term in verdict.terms:
        if term.kind == "hashtag":
            tag = "#" + term.term.lstrip("#").casefold()
            if tag not in found:
                found.append(tag)
    return found


# --- the service: acts of an election → flags ---------------------------------------------------

_CHUNK = 500

_ITEM_ACTS: Mapping[str, ActKind] = {
    ItemKind.POST: ActKind.POST,
    ItemKind.VIDEO: ActKind.POST,
    ItemKind.COMMENT: ActKind.COMMENT,
    ItemKind.REPLY: ActKind.COMMENT,
    ItemKind.SHARE: ActKind.SHARE,
    ItemKind.QUOTE: ActKind.QUOTE,
}
_INTERACTION_ACTS: Mapping[str, ActKind] = {
    InteractionKind.LIKE: ActKind.LIKE,
    InteractionKind.REACTION: ActKind.REACTION,
    InteractionKind.SHARE: ActKind.SHARE,
    InteractionKind.COMMENT: ActKind.COMMENT,
}
_ACCOUNT_ACTS: Mapping[str, ActKind] = {
    InteractionKind.FOLLOW: ActKind.FOLLOW,
    InteractionKind.JOIN: ActKind.JOIN,
}


class DetectionBusy(RuntimeError):
    """Another process is detecting flags of the same election right now."""


@dataclass(frozen=True, slots=True)
class FlagDraft:
    """A flag as this run would write it (the columns detection owns)."""

    key: str
    subject_id: int
    agency_id: int | None
    region_id: str
    platform: str
    act: ActKind
    item_id: int | None
    interaction_id: int | None
    target: str
    decision: Decision
    time: ActTime
    model_version: str
    explanation: dict[str, object]

    def columns(self) -> dict[str, object]:
        return {
            "subject_id": self.subject_id,
            "agency_id": self.agency_id,
            "region_id": self.region_id,
            "platform": self.platform,
            "act": self.act.value,
            "item_id": self.item_id,
            "interaction_id": self.interaction_id,
            "target": self.target,
            "violations": [v.as_json() for v in self.decision.violations],
            "severity": self.decision.severity.value,
            "priority": self.decision.priority,
            "stage": self.decision.timing.stage,
            "acted_at": self.time.at,
            "seen_from": self.time.seen_from,
            "seen_until": self.time.seen_until,
            "model_version": self.model_version,
            "explanation": self.explanation,
        }


# The columns a rerun rewrites on an open flag (never ``status`` of a decided one).
DETECTED_COLUMNS = [
    "subject_id",
    "agency_id",
    "region_id",
    "platform",
    "act",
    "item_id",
    "interaction_id",
    "target",
    "violations",
    "severity",
    "priority",
    "stage",
    "acted_at",
    "seen_from",
    "seen_until",
    "model_version",
    "explanation",
]


@dataclass
class FlagRunSummary:
    """What one detection run did to the flags of an election."""

    election_id: int
    acts: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    withdrawn: int = 0
    decided_kept: int = 0

    def as_params(self) -> dict[str, int]:
        return {
            "election": self.election_id,
            "acts": self.acts,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "reopened": self.reopened,
            "withdrawn": self.withdrawn,
            "decided_kept": self.decided_kept,
        }

    @property
    def wrote(self) -> bool:
        return bool(self.created or self.updated or self.reopened or self.withdrawn)


@dataclass(frozen=True, slots=True)
class _Owner:
    subject_id: int
    kind: str
    label: str
    agency_id: int | None
    workplace_id: str


def stage_spans(election: Election) -> tuple[StageSpan, ...]:
    return tuple(
        StageSpan(kind=s.kind, name=s.name, starts_on=s.starts_on, ends_on=s.ends_on)
        for s in Stage.objects.filter(election=election).order_by("starts_on", "pk")
    )


def _catalogue(on: dt.date) -> dict[str, CatalogueRow]:
    rows: dict[str, CatalogueRow] = {}
    for v in violation_types_in_force(on=on):
        rows.setdefault(
            v.code,
            CatalogueRow(
                code=v.code,
                behaviour=v.behaviour,
                legal_basis=v.legal_basis,
                regulation=v.regulation.slug,
                effective_from=v.effective_from,
                certainty=v.certainty,
                discipline_rank=v.discipline_level.rank if v.discipline_level else None,
                discipline_level=v.discipline_level.code if v.discipline_level else "",
                ethics_level=v.ethics_level.code if v.ethics_level else "",
            ),
        )
    return rows


def _prohibitions(group: SubjectGroup, regime: str, on: dt.date) -> tuple[ProhibitionRow, ...]:
    return tuple(
        ProhibitionRow(
            code=p.code,
            legal_basis=p.legal_basis,
            scope=p.scope,
            offence=p.offence,
            regulation=p.regulation.slug,
            effective_from=p.effective_from,
            certainty=p.certainty,
        )
        for p in prohibitions_in_force(group=group, regime=regime, on=on)
    )


def law_in_force(*, group: SubjectGroup, regime: str, on: dt.date) -> LawInForce:
    """What ``decide`` reads of the law for ``group`` in ``regime`` on ``on`` (two queries;
    the SKB catalogue only for ASN)."""
    return LawInForce(
        catalogue=_catalogue(on) if group == SubjectGroup.ASN else {},
        prohibitions=_prohibitions(group, regime, on),
    )


def act_date(time: ActTime) -> dt.date:
    """The local date whose law an act is judged by: its time, else when first seen."""
    moment = time.at or time.seen_from or time.seen_until or timezone.now()
    return timezone.localtime(moment).date()


class _LawCache:
    """The law rows in force per (group, date), each read once per run."""

    def __init__(self, regime: str) -> None:
        self.regime = regime
        self.catalogues: dict[dt.date, dict[str, CatalogueRow]] = {}
        self.rows: dict[tuple[str, dt.date], LawInForce] = {}

    def for_act(self, group: SubjectGroup, time: ActTime) -> LawInForce:
        on = act_date(time)
        key = (group.value, on)
        if key not in self.rows:
            if group == SubjectGroup.ASN and on not in self.catalogues:
                self.catalogues[on] = _catalogue(on)
            self.rows[key] = LawInForce(
                catalogue=self.catalogues[on] if group == SubjectGroup.ASN else {},
                prohibitions=_prohibitions(group, self.regime, on),
            )
        return self.rows[key]


def _owners(election: Election) -> tuple[QuerySet[AccountLink], dict[int, _Owner]]:
    links = confirmed_account_links_within(election.region_id)
    owners: dict[int, _Owner] = {}
    for link in links.select_related("subject"):
        subject: Subject = link.subject
        owners[link.account_id] = _Owner(
            subject_id=subject.pk,
            kind=subject.kind,
            label=str(subject.get_kind_display()),
            agency_id=subject.agency_id,
            workplace_id=subject.workplace_id,
        )
    return links, owners


def _relations(election: Election, subject_ids: Iterable[int]) -> dict[int, tuple[Relation, ...]]:
    found: dict[int, list[Relation]] = defaultdict(list)
    candidates = Candidate.objects.filter(election=election)
    for chunk in chunked(sorted(set(subject_ids)), _CHUNK):
        rows = (
            CandidateRelation.objects.filter(subject_id__in=chunk, candidate__in=candidates)
            .select_related("candidate")
            .order_by("subject_id", "candidate_id", "pk")
        )
        for row in rows:
            found[row.subject_id].append(
                Relation(
                    candidate_id=row.candidate_id,
                    candidate_number=row.candidate.number,
                    candidate_name=row.candidate.name,
                    relation=row.relation,
                )
            )
    return {subject: tuple(relations) for subject, relations in found.items()}


def _campaign_verdicts(election: Election, item_ids: Iterable[int]) -> dict[int, Verdict]:
    """The stored campaign verdicts of these items for ``election``, by item key."""
    found: dict[int, Verdict] = {}
    for chunk in chunked(sorted(set(item_ids)), _CHUNK):
        rows = ContentVerdict.objects.filter(
            election=election, content_class=ContentClass.CAMPAIGN, item_id__in=chunk
        ).values_list("item_id", "explanation")
        for item_id, explanation in rows:
            found[item_id] = verdict_from_json(explanation)
    return found


@dataclass(frozen=True, slots=True)
class _ItemRef:
    pk: int
    platform: str
    platform_id: str


def _items_by_platform_id(refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], _ItemRef]:
    by_platform: dict[str, set[str]] = defaultdict(set)
    for platform, platform_id in refs:
        if platform_id:
            by_platform[platform].add(platform_id)
    found: dict[tuple[str, str], _ItemRef] = {}
    for platform, ids in by_platform.items():
        for chunk in chunked(sorted(ids), _CHUNK):
            rows = Item.objects.filter(platform=platform, platform_id__in=chunk).values_list(
                "pk", "platform_id"
            )
            for pk, platform_id in rows:
                found[(platform, platform_id)] = _ItemRef(pk, platform, platform_id)
    return found


def _campaign_accounts(election: Election) -> dict[int, tuple[str, int]]:
    """Social accounts that are official or campaign accounts of the election's candidates:
    account key -> (label, candidate key)."""
    wanted: dict[tuple[str, str], tuple[str, int]] = {}
    for candidate in candidates_with_accounts(election):
        for account in candidate.accounts.all():
            label = _("@%(handle)s (calon nomor %(number)d)") % {
                "handle": account.handle.lstrip("@"),
                "number": candidate.number,
            }
            wanted[(account.platform, handle_key(account.handle))] = (label, candidate.pk)
    found: dict[int, tuple[str, int]] = {}
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, handle in wanted:
        by_platform[platform].append(handle)
    for platform, handles in by_platform.items():
        rows = (
            Account.objects.alias(handle_lower=Lower("handle"))
            .filter(platform=platform, handle_lower__in=sorted(handles))
            .values_list("pk", "handle")
        )
        for pk, handle in rows:
            found[pk] = wanted[(platform, handle_key(handle))]
    return found


def _explanation(
    decision: Decision,
    act: Act,
    *,
    interaction: dict[str, object] | None,
    hashtags: list[str],
) -> dict[str, object]:
    verdict = act.own if _campaign(act.own) else act.target if _campaign(act.target) else None
    return {
        "rule": decision.rule,
        "sentences": list(decision.sentences),
        "verdict": act.own.as_json() if act.own is not None else None,
        "target_verdict": act.target.as_json() if act.target is not None else None,
        "terms": verdict.as_json()["terms"] if verdict is not None else [],
        "probability": round(decision.probability, 4),
        "features": verdict.as_json()["features"] if verdict is not None else [],
        "interaction": interaction,
        "account": act.account,
        "timing": decision.timing.as_json(act.time),
        "model_version": verdict.model_version if verdict is not None else "",
        "relations": [
            {
                "candidate": r.candidate_id,
                "number": r.candidate_number,
                "name": r.candidate_name,
                "relation": r.relation,
            }
            for r in act.relations
        ],
        "scoring": dict(decision.scoring),
        "hashtags": hashtags,
    }


def flag_drafts(election: Election) -> list[FlagDraft]:
    """Every act flag the rules raise for ``election`` now, one per act (reads only).

    Acts are those of subjects whose account link is confirmed and who work (or whose
    agency sits) within the election's region: their own items whose verdict is campaign,
    their comments, shares and quotes of campaign items, their likes, reactions, shares and
    comments recorded as interactions on campaign items, and their follows of the
    candidates' official and campaign accounts (and joins of such groups).
    """
    links, owners = _owners(election)
    if not owners:
        return []
    relations = _relations(election, {o.subject_id for o in owners.values()})
    stages = stage_spans(election)
    law = _LawCache(election.regime)
    linked = links.values("account_id")
    drafts: list[FlagDraft] = []

    def add(
        owner: _Owner,
        act: Act,
        *,
        key: str,
        platform: str,
        item_id: int | None,
        interaction_id: int | None,
        target: str,
        interaction: dict[str, object] | None = None,
    ) -> None:
        group = SUBJECT_GROUPS.get(owner.kind)
        if group is None:
            return
        decision = decide(
            act,
            regime=election.regime,
            stages=stages,
            law=law.for_act(group, act.time),
            subject_label=owner.label,
        )
        if decision is None:
            return
        verdict = act.own if _campaign(act.own) else act.target
        hashtags = hashtags_of(act.own) if _campaign(act.own) else []
        drafts.append(
            FlagDraft(
                key=key,
                subject_id=owner.subject_id,
                agency_id=owner.agency_id,
                region_id=owner.workplace_id,
                platform=platform,
                act=act.act,
                item_id=item_id,
                interaction_id=interaction_id,
                target=target,
                decision=decision,
                time=act.time,
                model_version=verdict.model_version if verdict is not None else "",
                explanation=_explanation(decision, act, interaction=interaction, hashtags=hashtags),
            )
        )

    # Items the subjects wrote: posts, comments, shares and quotes.
    authored = list(
        Item.objects.filter(author_id__in=linked)
        .order_by("pk")
        .values_list(
            "pk", "kind", "platform", "platform_id", "parent_platform_id", "author_id", "created_at"
        )
    )
    parents = _items_by_platform_id((row[2], row[4]) for row in authored if row[4])
    verdicts = _campaign_verdicts(
        election, [row[0] for row in authored] + [ref.pk for ref in parents.values()]
    )
    for pk, kind, platform, platform_id, parent_id, author_id, created_at in authored:
        act_kind = _ITEM_ACTS.get(kind)
        owner = owners.get(author_id)
        if act_kind is None or owner is None:
            continue
        parent = parents.get((platform, parent_id)) if parent_id else None
        own = verdicts.get(pk)
        on = verdicts.get(parent.pk) if parent is not None else None
        if own is None and on is None:
            continue
        if act_kind == ActKind.POST:
            on = None
        target = (
            f"item:{platform}:{parent_id}"
            if on is not None and parent_id
            else f"item:{platform}:{platform_id}"
        )
        add(
            owner,
            Act(
                subject_kind=owner.kind,
                act=act_kind,
                time=ActTime(at=created_at),
                own=own,
                target=on,
                relations=relations.get(owner.subject_id, ()),
            ),
            key=f"act:{election.pk}:{owner.subject_id}:item:{pk}",
            platform=platform,
            item_id=pk,
            interaction_id=None,
            target=target,
        )

    # Interactions on items: likes, reactions, shares and comments known only as such.
    interactions = list(
        Interaction.objects.filter(actor_id__in=linked, kind__in=sorted(_INTERACTION_ACTS))
        .exclude(target_item_platform_id="")
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "reaction_type",
            "platform",
            "target_item_platform_id",
            "actor_id",
            "occurred_at",
            "first_seen_at",
            "last_seen_at",
        )
    )
    targets = _items_by_platform_id((row[3], row[4]) for row in interactions)
    target_verdicts = _campaign_verdicts(election, [ref.pk for ref in targets.values()])
    for pk, kind, reaction, platform, target_id, actor_id, at, first, last in interactions:
        owner = owners.get(actor_id)
        ref = targets.get((platform, target_id))
        verdict = target_verdicts.get(ref.pk) if ref is not None else None
        if owner is None or ref is None or verdict is None:
            continue
        add(
            owner,
            Act(
                subject_kind=owner.kind,
                act=_INTERACTION_ACTS[kind],
                time=ActTime(at=at, seen_from=first, seen_until=last),
                target=verdict,
                relations=relations.get(owner.subject_id, ()),
            ),
            key=f"act:{election.pk}:{owner.subject_id}:interaction:{pk}",
            platform=platform,
            item_id=ref.pk,
            interaction_id=pk,
            target=f"item:{platform}:{target_id}",
            interaction={
                "id": pk,
                "kind": kind,
                "reaction_type": reaction,
                "target": f"item:{platform}:{target_id}",
            },
        )

    # Follows of the candidates' accounts, joins of their groups.
    accounts = _campaign_accounts(election)
    if accounts:
        follows = (
            Interaction.objects.filter(
                actor_id__in=linked,
                kind__in=sorted(_ACCOUNT_ACTS),
                target_account_id__in=sorted(accounts),
            )
            .order_by("pk")
            .values_list(
                "pk",
                "kind",
                "platform",
                "target_account_id",
                "actor_id",
                "occurred_at",
                "first_seen_at",
                "last_seen_at",
            )
        )
        for pk, kind, platform, account_id, actor_id, at, first, last in follows:
            owner = owners.get(actor_id)
            if owner is None:
                continue
            label, candidate_id = accounts[account_id]
            add(
                owner,
                Act(
                    subject_kind=owner.kind,
                    act=_ACCOUNT_ACTS[kind],
                    time=ActTime(at=at, seen_from=first, seen_until=last),
                    account=label,
                    account_candidate_id=candidate_id,
                    relations=relations.get(owner.subject_id, ()),
                ),
                key=f"act:{election.pk}:{owner.subject_id}:interaction:{pk}",
                platform=platform,
                item_id=None,
                interaction_id=pk,
                target=f"account:{account_id}",
                interaction={
                    "id": pk,
                    "kind": kind,
                    "reaction_type": "",
                    "target": f"account:{account_id}",
                },
            )
    return drafts


def _differs(flag: Flag, columns: Mapping[str, object]) -> bool:
    return any(getattr(flag, name) != value for name, value in columns.items())


def _violation_rows(flag_id: int, violations: object) -> list[FlagViolation]:
    codes: list[str] = []
    for entry in violations if isinstance(violations, list) else []:
        code = str(entry["code"])
        if code not in codes:
            codes.append(code)
    return [FlagViolation(flag_id=flag_id, code=code) for code in codes]


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    withdrawn: int = 0
    decided_kept: int = 0


def flags_write(
    *,
    election: Election,
    kind: FlagKind,
    rows: Mapping[str, Mapping[str, object]],
    columns: Sequence[str],
) -> tuple[WriteCounts, dict[str, int]]:
    """Make the ``kind`` flags of ``election`` what ``rows`` (key -> columns) say, in bulk.

    A new key is created open; an open flag whose columns differ is updated; a flag this
    run withdrew earlier and finds again is reopened; a confirmed or dismissed flag is left
    as it is; an open flag whose key is not in ``rows`` is withdrawn. The rows being
    changed are locked first, so a decision made meanwhile is never overwritten. Returns
    the counts and the key of every written flag. The caller holds the transaction.
    """
    counts = WriteCounts()
    existing = {
        flag.key: flag
        for flag in Flag.objects.filter(election=election, kind=kind).only(
            "pk", "key", "status", *columns
        )
    }
    now = timezone.now()
    new: list[Flag] = []
    changed: list[Flag] = []
    for key, values in rows.items():
        flag = existing.get(key)
        if flag is None:
            new.append(
                Flag(key=key, kind=kind, election=election, status=FlagStatus.OPEN, **values)
            )
            continue
        if flag.decided:
            counts.decided_kept += 1
            continue
        if flag.status == FlagStatus.OPEN and not _differs(flag, values):
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(flag, name, value)
        changed.append(flag)

    # Lock what changes, and keep only rows still undecided once locked.
    writable: set[int] = set()
    for chunk in chunked([flag.pk for flag in changed], _CHUNK):
        writable.update(
            Flag.objects.select_for_update()
            .filter(pk__in=chunk, status__in=[FlagStatus.OPEN, FlagStatus.WITHDRAWN])
            .values_list("pk", flat=True)
        )
    reopened = [f.pk for f in changed if f.pk in writable and f.status == FlagStatus.WITHDRAWN]
    changed = [flag for flag in changed if flag.pk in writable]
    for flag in changed:
        flag.status = FlagStatus.OPEN
        flag.updated_at = now
    counts.reopened = len(reopened)
    counts.updated = len(changed) - len(reopened)

    # Field checks only: keys, references and constraints are the database's to enforce
    # (a per-row uniqueness or constraint check would cost queries per flag).
    for flag in new:
        flag.clean_fields(
            exclude=["election", "subject", "agency", "region", "item", "interaction"]
        )
    Flag.objects.bulk_create(new, batch_size=_CHUNK)
    if any(flag.pk is None for flag in new):
        ids = dict(Flag.objects.filter(key__in=[f.key for f in new]).values_list("key", "pk"))
        for flag in new:
            flag.pk = ids[flag.key]
    counts.created = len(new)
    Flag.objects.bulk_update(changed, [*columns, "status", "updated_at"], batch_size=_CHUNK)

    gone = [
        flag.pk
        for key, flag in existing.items()
        if key not in rows and flag.status == FlagStatus.OPEN
    ]
    for chunk in chunked(gone, _CHUNK):
        counts.withdrawn += Flag.objects.filter(pk__in=chunk, status=FlagStatus.OPEN).update(
            status=FlagStatus.WITHDRAWN, updated_at=now
        )

    if "violations" in columns:
        rewritten = [flag.pk for flag in changed]
        for chunk in chunked(rewritten, _CHUNK):
            FlagViolation.objects.filter(flag_id__in=chunk).delete()
        FlagViolation.objects.bulk_create(
            [row for flag in [*new, *changed] for row in _violation_rows(flag.pk, flag.violations)],
            batch_size=_CHUNK,
        )
    written = {flag.key: flag.pk for flag in [*new, *changed]}
    return counts, written


def flags_detect(*, election: Election, actor: User | None = None) -> FlagRunSummary:
    """Run the rules over ``election`` and bring its act flags up to date.

    Idempotent: a rerun on unchanged data changes nothing and records nothing; a changed
    verdict updates the open flag of its act; confirmed and dismissed flags are never
    touched; an open flag whose act no longer meets a rule is withdrawn (and reopened if it
    does again). Raises ``DetectionBusy`` when another run holds the election, and
    ``LawRuleMissing`` when the law tables are empty (every act would go unflagged).
    Records one ``detection.flags_detected`` event with the counts when it wrote anything.
    """
    if not (ViolationType.objects.exists() or Prohibition.objects.exists()):
        raise LawRuleMissing(
            _(
                "Katalog pelanggaran dan larangan belum dimuat; jalankan `netra law load` "
                "sebelum deteksi."
            )
        )
    with work_lock("detection.flags", election.pk) as taken:
        if not taken:
            raise DetectionBusy(
                _("Deteksi untuk %(election)s sedang berjalan.") % {"election": election}
            )
        drafts = flag_drafts(election)
        summary = FlagRunSummary(election_id=election.pk, acts=len(drafts))
        with transaction.atomic():
            counts, _written = flags_write(
                election=election,
                kind=FlagKind.ACT,
                rows={draft.key: draft.columns() for draft in drafts},
                columns=DETECTED_COLUMNS,
            )
            summary.created = counts.created
            summary.updated = counts.updated
            summary.unchanged = counts.unchanged
            summary.reopened = counts.reopened
            summary.withdrawn = counts.withdrawn
            summary.decided_kept = counts.decided_kept
            if summary.wrote:
                event_record(
                    kind=DetectionEvent.FLAGS_DETECTED,
                    subject=election,
                    actor=actor,
                    params=summary.as_params(),
                )
    return summary
