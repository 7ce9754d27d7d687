"""Reads of detection's own tables, flags scoped to the user asking: the triage queue with
its filters and rows, and when detection last ran."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django_stubs_ext import StrOrPromise

from netra.core.platforms import Platform
from netra.detection.models import (
    DetectionRun,
    Flag,
    FlagKind,
    FlagStatus,
    FlagViolation,
    LexiconAlias,
)
from netra.elections.models import Candidate, Election
from netra.elections.selectors import elections_for_user
from netra.geo.models import Level, Region, within_q
from netra.monitor.versions import items_as_seen
from netra.social.models import Account, Item
from netra.staff.access import NoAccess, scope_to_user, user_jurisdiction
from netra.staff.types import AnyUser


def lexicon_aliases(election: Election) -> QuerySet[LexiconAlias]:
    """The aliases staff added to ``election``'s lexicon, in the order they were added."""
    return LexiconAlias.objects.filter(election=election).order_by("candidate_id", "id")


def flags_for_user(user: AnyUser | None) -> QuerySet[Flag]:
    """Flags whose region lies in the user's jurisdiction (``netra.staff.access``), highest
    priority first; none without a jurisdiction. Subject, agency and region come joined."""
    flags = Flag.objects.select_related("subject", "agency", "region", "election")
    return scope_to_user(flags, user, "region_id").order_by("-priority", "-id")


# --- the triage queue ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagFilters:
    """What the queue asks for; empty values do not filter. ``region`` is a code within
    the user's jurisdiction (the form checks it), ``status`` empty means every status."""

    region: str = ""
    agency_id: int | None = None
    platform: str = ""
    violation: str = ""
    min_priority: int | None = None
    stage: str = ""
    status: str = FlagStatus.OPEN
    kind: str = ""


def flags_search(user: AnyUser, filters: FlagFilters) -> QuerySet[Flag]:
    """The flags ``user`` may see that match ``filters`` (unordered: the queue's pages
    order them, ``netra.detection.pages``)."""
    flags = flags_for_user(user).select_related("item", "interaction")
    if filters.region:
        flags = flags.filter(within_q("region__pk", filters.region))
    if filters.agency_id is not None:
        flags = flags.filter(agency_id=filters.agency_id)
    if filters.platform:
        flags = flags.filter(platform=filters.platform)
    if filters.violation:
        flags = flags.filter(
            pk__in=FlagViolation.objects.filter(code=filters.violation).values("flag_id")
        )
    if filters.min_priority is not None:
        flags = flags.filter(priority__gte=filters.min_priority)
    if filters.stage:
        flags = flags.filter(stage=filters.stage)
    if filters.status:
        flags = flags.filter(status=filters.status)
    if filters.kind:
        flags = flags.filter(kind=filters.kind)
    return flags


def violation_codes_for_user(user: AnyUser) -> list[str]:
    """The violation codes named by the flags ``user`` may see, in order (the filter's
    choices)."""
    return sorted(
        set(
            FlagViolation.objects.filter(flag__in=flags_for_user(user).order_by().values("pk"))
            .order_by()
            .values_list("code", flat=True)
            .distinct()
        )
    )


# How many levels below the user's own the region filter offers (a regency office: its
# districts and villages; Bawaslu RI: provinces and regencies).
_REGION_DEPTH = 2
_LEVELS = [Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE]


def regions_for_user(user: AnyUser) -> QuerySet[Region]:
    """The regions within the user's jurisdiction (the region filter accepts any of them)."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return Region.objects.none()
    return Region.objects.filter(within_q("code", jurisdiction)).order_by("code")


def region_choices_for_user(user: AnyUser) -> QuerySet[Region]:
    """The regions the region filter lists: the user's own and those down to two levels
    below it."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return Region.objects.none()
    depth = 0 if jurisdiction is None else len(jurisdiction.split("."))
    levels = _LEVELS[max(depth - 1, 0) : depth + _REGION_DEPTH]
    return regions_for_user(user).filter(level__in=levels)


_PLATFORMS: dict[str, StrOrPromise] = dict(Platform.choices)


def platform_label(code: str) -> StrOrPromise:
    """A platform's name as the pages write it; a coordination across several has none."""
    return _PLATFORMS.get(code, code)


@dataclass(frozen=True, slots=True)
class FlagRow:
    """One row of the queue: the flag, the content it is about as the user is shown it
    (``excerpt``), its codes, and whether the user may decide it."""

    flag: Flag
    excerpt: str
    codes: tuple[str, ...]
    may_decide: bool
    platform: StrOrPromise = ""
    members: int = 0

    @property
    def selectable(self) -> bool:
        return self.may_decide and self.flag.status == FlagStatus.OPEN


def _item_ref(target: str) -> tuple[str, str] | None:
    """(platform, platform id) of a target ``item:<platform>:<id>``, else None."""
    kind, _sep, rest = target.partition(":")
    platform, _sep, platform_id = rest.partition(":")
    if kind != "item" or not platform or not platform_id:
        return None
    return platform, platform_id


def coordination_targets(flags: Sequence[Flag]) -> dict[tuple[str, str], Item]:
    """The items the coordination flags among ``flags`` were about, by (platform, id)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for flag in flags:
        ref = _item_ref(flag.target) if flag.kind == FlagKind.COORDINATION else None
        if ref is not None:
            wanted[ref[0]].add(ref[1])
    found: dict[tuple[str, str], Item] = {}
    for platform, ids in wanted.items():
        for item in Item.objects.filter(platform=platform, platform_id__in=sorted(ids)):
            found[(item.platform, item.platform_id)] = item
    return found


def item_excerpt(item: Item | None) -> str:
    """The words of an item as a list shows them: its title, then its text."""
    if item is None:
        return ""
    return " — ".join(part for part in (item.title, item.text) if part)


def target_label(flag: Flag, accounts: dict[int, Account] | None = None) -> str:
    """A coordination's target in words: a hashtag as written, an account by handle."""
    kind, _sep, rest = flag.target.partition(":")
    if kind == "hashtag":
        return rest
    if kind == "account" and rest.isdigit():
        account = (accounts or {}).get(int(rest))
        return f"@{account.handle}" if account is not None and account.handle else ""
    return ""


def _subject_count(flag: Flag) -> int:
    """How many subjects a coordination flag groups (0 for an act)."""
    if flag.kind != FlagKind.COORDINATION or not isinstance(flag.explanation, dict):
        return 0
    return len(flag.explanation.get("subjects", ()))


def flag_rows(user: AnyUser, flags: Sequence[Flag]) -> list[FlagRow]:
    """The rows of a page of the queue: each flag's content in the version ``user`` is
    shown (``netra.monitor.versions``); a handful of queries whatever the page's size."""
    flags = list(flags)
    targets = coordination_targets(flags)
    account_ids = {
        int(flag.target.partition(":")[2])
        for flag in flags
        if flag.target.startswith("account:") and flag.target.partition(":")[2].isdigit()
    }
    accounts = Account.objects.in_bulk(sorted(account_ids)) if account_ids else {}
    items_as_seen(user, [*(flag.item for flag in flags), *targets.values()])
    rows = []
    for flag in flags:
        ref = _item_ref(flag.target)
        item = flag.item if flag.item_id is not None else targets.get(ref) if ref else None
        excerpt = item_excerpt(item) or target_label(flag, accounts)
        codes = tuple(
            dict.fromkeys(
                str(v.get("code", "")) for v in (flag.violations or []) if isinstance(v, dict)
            )
        )
        rows.append(
            FlagRow(
                flag=flag,
                excerpt=excerpt,
                codes=codes,
                may_decide=bool(user.has_perm("detection.decide_flag", flag)),
                platform=platform_label(flag.platform),
                members=_subject_count(flag),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class LastRun:
    """The last detection run of one election the user may see."""

    election: Election
    run: DetectionRun


def last_runs_for_user(user: AnyUser, limit: int = 10) -> list[LastRun]:
    """The last detection run of each election ``user`` may see that has one, the most
    recent first, at most ``limit`` elections."""
    latest = (
        DetectionRun.objects.filter(election=OuterRef("election"))
        .order_by("-started_at", "-id")
        .values("pk")[:1]
    )
    runs = (
        DetectionRun.objects.filter(election__in=elections_for_user(user))
        .filter(pk=Subquery(latest))
        .select_related("election")
        .order_by("-started_at", "-id")[:limit]
    )
    return [LastRun(election=run.election, run=run) for run in runs]


def candidates_of(election: Election) -> list[Candidate]:
    """``election``'s candidates by ballot number."""
    return list(Candidate.objects.filter(election=election).order_by("number"))


def lexicons_for_user(user: AnyUser) -> list[Election]:
    """The elections whose lexicons the user may read, newest first."""
    return list(elections_for_user(user).order_by("-year", "name"))
