"""What the flag page shows of a flag the user may see (``access.access_flag_for_user``).

The content is shown in the version the user is shown of a shared item
(``netra.monitor.versions``): a regional office never reads another office's copy of it.
A flag opens its content to everyone who may see the flag, since the decision rests on
it; the link to the item's monitoring page appears only where that page is open to them
too (``netra.monitor.access``). Matched lexicon terms are marked in the text where the
stored span still holds the words, else where the words are found again (the version
shown may differ from the one judged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from netra.core.events import events_for
from netra.detection.events import DetectionEvent
from netra.detection.models import ActKind, Flag, FlagKind, FlagMember
from netra.detection.selectors import flags_for_user, platform_label
from netra.elections.models import StageKind
from netra.law.models import Certainty
from netra.monitor.access import items_for_user
from netra.monitor.selectors import safe_url
from netra.monitor.versions import accounts_as_seen, items_as_seen
from netra.registry.models import AccountLink
from netra.registry.selectors import account_links_known_to
from netra.social.models import Account, Interaction, InteractionKind, Item
from netra.staff.models import User
from netra.staff.types import AnyUser

STAGE_LABELS: Mapping[str, StrOrPromise] = dict(StageKind.choices)
EVENT_LABELS: Mapping[str, StrOrPromise] = {
    DetectionEvent.FLAG_CONFIRMED: _("Dikonfirmasi"),
    DetectionEvent.FLAG_DISMISSED: _("Ditolak"),
}
POSITION_LABELS: Mapping[str, StrOrPromise] = {
    "inside": _("dalam masa kampanye"),
    "straddles": _("melewati batas masa kampanye"),
    "before": _("sebelum masa kampanye"),
    "after": _("sesudah masa kampanye"),
    "unknown": _("tidak diketahui"),
}
SOURCE_LABELS: Mapping[str, StrOrPromise] = {
    "catalogue": _("katalog SKB"),
    "prohibition": _("larangan undang-undang"),
}
APPLIES_LABELS: Mapping[str, StrOrPromise] = {
    "certain": _("pasti"),
    "possible": _("mungkin"),
}
CERTAINTY_LABELS: Mapping[str, StrOrPromise] = dict(Certainty.choices)
# The rules' acts known from items, whose own text the subject wrote.
_AUTHORED = {ActKind.POST, ActKind.COMMENT, ActKind.SHARE, ActKind.QUOTE}


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a text, marked when it is a matched term."""

    text: str
    mark: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    surface: str
    term: str
    kind: str
    candidate_number: int | None
    support: str


def _spans(text: str, terms: Sequence[Term], spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """``text`` cut into segments, the terms marked (by span, else found again)."""
    folded = text.casefold()
    chosen: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in chosen)

    for term, (start, end) in zip(terms, spans, strict=True):
        if not term.surface:
            continue
        if 0 <= start < end <= len(text) and folded[start:end] == term.surface.casefold():
            if free(start, end):
                chosen.append((start, end))
            continue
        needle = term.surface.casefold()
        at = folded.find(needle)
        while at >= 0 and not free(at, at + len(needle)):
            at = folded.find(needle, at + 1)
        if at >= 0 and len(folded) == len(text):
            chosen.append((at, at + len(needle)))
    segments: list[Segment] = []
    position = 0
    for start, end in sorted(chosen):
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], mark=True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def judged_text(item: Item) -> str:
    """The text the classifier read of an item: its title, a line break, its text."""
    return f"{item.title}\n{item.text}" if item.title and item.text else (item.title or item.text)


@dataclass(frozen=True, slots=True)
class ShownItem:
    """An item as the flag page shows it: in the user's version, terms marked."""

    item: Item
    segments: list[Segment]
    permalink: str
    monitored: bool  # the item's monitoring page is open to the user
    marked: int  # how many terms are marked in it


def _show(
    user: AnyUser,
    items: Sequence[tuple[Item | None, bool]],
    terms: Sequence[Term],
    spans: Sequence[tuple[int, int]],
) -> list[ShownItem | None]:
    """Each of ``items`` in the version ``user`` is shown, the terms marked where the flag
    (item, True) says they were found; the monitoring page's opening per item."""
    known = [item for item, _marks in items if item is not None]
    items_as_seen(user, known)
    open_keys = set(
        items_for_user(user, Item.objects.filter(pk__in=[item.pk for item in known])).values_list(
            "pk", flat=True
        )
    )
    shown: list[ShownItem | None] = []
    for item, marks in items:
        if item is None:
            shown.append(None)
            continue
        segments = _spans(judged_text(item), terms if marks else [], spans if marks else [])
        shown.append(
            ShownItem(
                item=item,
                segments=segments,
                permalink=safe_url(item.permalink),
                monitored=item.pk in open_keys,
                marked=sum(1 for s in segments if s.mark),
            )
        )
    return shown


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    weight: float


@dataclass(frozen=True, slots=True)
class ViolationRow:
    code: str
    source: StrOrPromise
    behaviour: str
    legal_basis: str
    offence: str
    regulation: str
    effective_from: dt.date | None
    certainty: StrOrPromise
    applies: StrOrPromise
    possible: bool


@dataclass(frozen=True, slots=True)
class RelationRow:
    number: int | None
    name: str
    relation: str


@dataclass(frozen=True, slots=True)
class TimingView:
    sentence: str
    position: StrOrPromise
    exact: bool
    acted_at: dt.datetime | None
    seen_from: dt.datetime | None
    seen_until: dt.datetime | None
    percent_inside: int | None
    campaign: tuple[dt.date, dt.date] | None


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One act of a coordination, in the time line: its flag when the user may see it."""

    flag_id: int
    flag: Flag | None
    act: StrOrPromise
    start: dt.datetime | None
    end: dt.datetime | None
    exact: bool


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: dt.datetime
    label: StrOrPromise
    actor: User | None  # None for detection itself
    reason: str = ""


@dataclass
class FlagDetail:
    flag: Flag
    stage: StrOrPromise
    platform: StrOrPromise
    content: ShownItem | None = None  # the subject's own item, or the item acted on
    parent: ShownItem | None = None  # what the subject's comment, share or quote was on
    interaction: Interaction | None = None
    interaction_label: StrOrPromise = ""
    account: Account | None = None  # the subject's account that acted
    target_account: Account | None = None  # an account followed, a group joined
    link: AccountLink | None = None
    rule: str = ""
    sentences: list[str] = field(default_factory=list)
    probability: float | None = None
    features: list[Feature] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    timing: TimingView | None = None
    violations: list[ViolationRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    model_version: str = ""
    account_label: str = ""
    target_label: str = ""
    members: list[MemberRow] = field(default_factory=list)
    members_hidden: int = 0
    window_hours: int | None = None
    history: list[HistoryRow] = field(default_factory=list)

    @property
    def coordination(self) -> bool:
        return self.flag.kind == FlagKind.COORDINATION


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _terms(explanation: Mapping[str, Any]) -> tuple[list[Term], list[tuple[int, int]]]:
    terms: list[Term] = []
    spans: list[tuple[int, int]] = []
    for entry in _list(explanation.get("terms")):
        if not isinstance(entry, dict):
            continue
        number = entry.get("candidate_number")
        terms.append(
            Term(
                surface=str(entry.get("surface", "")),
                term=str(entry.get("term", "")),
                kind=str(entry.get("kind", "")),
                candidate_number=number if isinstance(number, int) else None,
                support=str(entry.get("support", "")),
            )
        )
        start, end = entry.get("start"), entry.get("end")
        spans.append((start, end) if isinstance(start, int) and isinstance(end, int) else (-1, -1))
    return terms, spans


def _violations(flag: Flag) -> list[ViolationRow]:
    rows = []
    for entry in _list(flag.violations):
        if not isinstance(entry, dict):
            continue
        applies = str(entry.get("applies", "certain"))
        rows.append(
            ViolationRow(
                code=str(entry.get("code", "")),
                source=SOURCE_LABELS.get(str(entry.get("source", "")), str(entry.get("source"))),
                behaviour=str(entry.get("behaviour", "")),
                legal_basis=str(entry.get("legal_basis", "")),
                offence=str(entry.get("offence", "")),
                regulation=str(entry.get("regulation", "")),
                effective_from=_date(entry.get("effective_from")),
                certainty=CERTAINTY_LABELS.get(
                    str(entry.get("certainty", "")), str(entry.get("certainty", ""))
                ),
                applies=APPLIES_LABELS.get(applies, applies),
                possible=applies == "possible",
            )
        )
    return rows


def _timing(flag: Flag, explanation: Mapping[str, Any]) -> TimingView | None:
    timing = _dict(explanation.get("timing"))
    if not timing:
        return None
    fraction = timing.get("fraction_inside")
    campaign = _list(timing.get("campaign"))
    start, end = (_date(campaign[0]), _date(campaign[1])) if len(campaign) == 2 else (None, None)
    position = str(timing.get("position", "unknown"))
    return TimingView(
        sentence=str(timing.get("sentence", "")),
        position=POSITION_LABELS.get(position, position),
        exact=bool(timing.get("exact")),
        acted_at=flag.acted_at,
        seen_from=flag.seen_from,
        seen_until=flag.seen_until,
        percent_inside=(
            round(float(fraction) * 100)
            if position == "straddles" and isinstance(fraction, int | float)
            else None
        ),
        campaign=(start, end) if start is not None and end is not None else None,
    )


def _history(flag: Flag) -> list[HistoryRow]:
    """The flag's decisions (its Events), oldest first, after the detection that raised it."""
    rows = [HistoryRow(at=flag.created_at, label=_("Ditandai oleh deteksi"), actor=None)]
    for event in reversed(list(events_for(flag))):
        rows.append(
            HistoryRow(
                at=event.at,
                label=EVENT_LABELS.get(event.kind, event.kind),
                actor=event.actor,
                reason=str(_dict(event.params).get("reason", "")),
            )
        )
    return rows


def _members(
    user: AnyUser, flag: Flag, explanation: Mapping[str, Any]
) -> tuple[list[MemberRow], int]:
    """The coordination's acts in time order, each with its flag where the user may see it,
    and how many the user may not."""
    keys = set(FlagMember.objects.filter(coordination=flag).values_list("member_id", flat=True))
    timeline = [entry for entry in _list(explanation.get("members")) if isinstance(entry, dict)]
    keys |= {int(e["flag"]) for e in timeline if isinstance(e.get("flag"), int)}
    visible = {f.pk: f for f in flags_for_user(user).filter(pk__in=sorted(keys))}
    acts: Mapping[str, StrOrPromise] = dict(ActKind.choices)
    rows: list[MemberRow] = []
    listed: set[int] = set()
    for entry in timeline:
        key = entry.get("flag")
        if not isinstance(key, int) or key in listed:
            continue
        listed.add(key)
        member = visible.get(key)
        act = str(entry.get("act", ""))
        rows.append(
            MemberRow(
                flag_id=key,
                flag=member,
                act=acts.get(act, act),
                start=_moment(entry.get("from")),
                end=_moment(entry.get("until")),
                exact=bool(entry.get("exact")),
            )
        )
    for key in sorted(keys - listed):
        member = visible.get(key)
        if member is None:
            continue
        rows.append(
            MemberRow(
                flag_id=key,
                flag=member,
                act=member.get_act_display(),
                start=member.acted_at or member.seen_from,
                end=member.acted_at or member.seen_until,
                exact=member.acted_at is not None,
            )
        )
    rows.sort(
        key=lambda row: (
            row.start is None,
            row.start or dt.datetime.min.replace(tzinfo=dt.UTC),
            row.flag_id,
        )
    )
    shown = [row for row in rows if row.flag is not None]
    return shown, len(rows) - len(shown)


def _item_by_ref(platform: str, platform_id: str) -> Item | None:
    if not platform or not platform_id:
        return None
    return (
        Item.objects.filter(platform=platform, platform_id=platform_id)
        .select_related("author")
        .first()
    )


def flag_detail(user: AnyUser, flag: Flag) -> FlagDetail:
    """Everything the flag page shows of ``flag`` (which ``user`` may see)."""
    explanation = _dict(flag.explanation)
    detail = FlagDetail(
        flag=flag,
        stage=STAGE_LABELS.get(flag.stage, flag.stage),
        platform=platform_label(flag.platform),
        rule=str(explanation.get("rule", "")),
        sentences=[str(s) for s in _list(explanation.get("sentences"))],
        violations=_violations(flag),
        history=_history(flag),
        model_version=flag.model_version,
    )
    if flag.kind == FlagKind.COORDINATION:
        detail.members, detail.members_hidden = _members(user, flag, explanation)
        hours = explanation.get("window_hours")
        detail.window_hours = hours if isinstance(hours, int) else None
        kind, _sep, rest = flag.target.partition(":")
        if kind == "item":
            platform, _sep, platform_id = rest.partition(":")
            [detail.content] = _show(user, [(_item_by_ref(platform, platform_id), False)], [], [])
        elif kind == "hashtag":
            detail.target_label = rest
        elif kind == "account" and rest.isdigit():
            detail.target_account = Account.objects.filter(pk=int(rest)).first()
            accounts_as_seen(user, [detail.target_account])
        return detail

    probability = explanation.get("probability")
    detail.probability = float(probability) if isinstance(probability, int | float) else None
    detail.features = [
        Feature(str(pair[0]), float(pair[1]))
        for pair in _list(explanation.get("features"))
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], int | float)
    ]
    detail.terms, spans = _terms(explanation)
    own_campaign = _dict(explanation.get("verdict")).get("class") == "campaign"
    verdict = _dict(explanation.get("verdict" if own_campaign else "target_verdict"))
    detail.reasons = [str(r) for r in _list(verdict.get("reasons"))]
    detail.timing = _timing(flag, explanation)
    detail.relations = [
        RelationRow(
            number=r.get("number") if isinstance(r.get("number"), int) else None,
            name=str(r.get("name", "")),
            relation=str(r.get("relation", "")),
        )
        for r in _list(explanation.get("relations"))
        if isinstance(r, dict)
    ]
    detail.account_label = str(explanation.get("account", ""))
    # Whose text the matched terms are in: the subject's own when it is campaign, else the
    # item acted on (the item of an interaction, the parent of a comment or share).
    interaction = (
        Interaction.objects.filter(pk=flag.interaction_id)
        .select_related("actor", "target_account")
        .first()
        if flag.interaction_id is not None
        else None
    )
    item = (
        Item.objects.filter(pk=flag.item_id).select_related("author").first()
        if flag.item_id is not None
        else None
    )
    parent = None
    if interaction is not None:
        detail.interaction = interaction
        detail.interaction_label = _interaction_label(interaction)
        detail.account = interaction.actor
        detail.target_account = interaction.target_account
        [detail.content] = _show(user, [(item, True)], detail.terms, spans)
    elif item is not None:
        detail.account = item.author
        if item.parent_platform_id and flag.act in _AUTHORED:
            parent = _item_by_ref(item.platform, item.parent_platform_id)
        detail.content, detail.parent = _show(
            user, [(item, own_campaign), (parent, not own_campaign)], detail.terms, spans
        )
    accounts_as_seen(user, [detail.account, detail.target_account])
    if detail.account is not None and flag.subject_id is not None:
        detail.link = (
            account_links_known_to(user)
            .filter(subject_id=flag.subject_id, account_id=detail.account.pk)
            .select_related("decided_by")
            .first()
        )
    return detail


def _interaction_label(interaction: Interaction) -> StrOrPromise:
    label = interaction.get_kind_display()
    if interaction.kind == InteractionKind.REACTION and interaction.reaction_type:
        return f"{label} ({interaction.reaction_type})"
    return label
