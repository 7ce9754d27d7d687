"""Coordination (mobilisasi): several subjects of one agency or one regency acting on the
same campaign content, or using the same campaign hashtag, within a time window.

Reads the act flags of an election (``netra.detection.flagging``), so it runs after
``flags_detect``; dismissed and withdrawn acts do not count. Each group of at least
``min_subjects`` distinct subjects becomes one coordination flag listing its members
(``FlagMember``) and its time line. A member found later joins the open flag of its
group; a confirmed or dismissed coordination flag is never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.locks import work_lock
from netra.detection.events import DetectionEvent
from netra.detection.flagging import DETECTED_COLUMNS, DetectionBusy, WriteCounts, flags_write
from netra.detection.models import Flag, FlagKind, FlagMember, FlagStatus, Severity
from netra.elections.models import Election
from netra.geo.models import Region
from netra.registry.models import Agency
from netra.staff.models import User

DEFAULT_MIN_SUBJECTS = 3
DEFAULT_WINDOW = dt.timedelta(hours=24)
# Each member beyond the minimum raises the group's priority over its strongest act.
_BASE_BONUS = 10
_MEMBER_BONUS = 5
_SEVERITY_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}

# A coordination flag has no subject, act, item or interaction of its own: its members do.
COORDINATION_COLUMNS = [
    column
    for column in DETECTED_COLUMNS
    if column not in {"subject_id", "act", "item_id", "interaction_id"}
]


@dataclass(frozen=True, slots=True)
class MemberAct:
    """One act flag, as coordination reads it."""

    flag_id: int
    subject_id: int
    agency_id: int | None
    region_id: str
    act: str
    platform: str
    start: dt.datetime
    end: dt.datetime
    exact: bool
    severity: str
    priority: int
    stage: str
    model_version: str
    violations: tuple[Mapping[str, object], ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """Acts of one scope on one target within one window."""

    scope: str  # "agency" or "region"
    scope_id: str  # the agency key, or the regency code
    target: str
    members: tuple[MemberAct, ...]

    @property
    def subjects(self) -> frozenset[int]:
        return frozenset(m.subject_id for m in self.members)


def regency_of(code: str) -> str:
    """The regency (kabupaten/kota) code of a region code: ``35.07.01.2001`` → ``35.07``."""
    return ".".join(code.split(".")[:2])


def _member_acts(election: Election) -> list[MemberAct]:
    rows = (
        Flag.objects.filter(
            election=election,
            kind=FlagKind.ACT,
            status__in=[FlagStatus.OPEN, FlagStatus.CONFIRMED],
            subject__isnull=False,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "subject_id",
            "agency_id",
            "region_id",
            "act",
            "platform",
            "acted_at",
            "seen_from",
            "seen_until",
            "severity",
            "priority",
            "stage",
            "model_version",
            "violations",
            "target",
            "explanation",
        )
    )
    acts: list[MemberAct] = []
    for (
        pk,
        subject_id,
        agency_id,
        region_id,
        act,
        platform,
        acted_at,
        seen_from,
        seen_until,
        severity,
        priority,
        stage,
        model_version,
        violations,
        target,
        explanation,
    ) in rows:
        start = acted_at or seen_from or seen_until
        end = acted_at or seen_until or seen_from
        if start is None or end is None or subject_id is None:
            continue  # an act with no time cannot be placed in a window
        hashtags = explanation.get("hashtags", []) if isinstance(explanation, dict) else []
        targets = tuple(t for t in [target, *(f"hashtag:{tag}" for tag in hashtags)] if t)
        acts.append(
            MemberAct(
                flag_id=pk,
                subject_id=subject_id,
                agency_id=agency_id,
                region_id=region_id,
                act=act,
                platform=platform,
                start=min(start, end),
                end=max(start, end),
                exact=acted_at is not None,
                severity=severity,
                priority=priority,
                stage=stage,
                model_version=model_version,
                violations=tuple(violations or ()),
                targets=targets,
            )
        )
    return acts


def find_groups(
    acts: Sequence[MemberAct], *, min_subjects: int, window: dt.timedelta
) -> list[Group]:
    """Groups of acts of at least ``min_subjects`` distinct subjects (pure).

    Acts are grouped by scope (their agency; their regency) and target (an item, an
    account, a hashtag), then by time: a group opens at its earliest act and takes every
    act whose time (an exact time, or any part of an observation window) lies within
    ``window`` of that opening; a later act opens the next group. A regency group whose
    subjects all belong to one agency group on the same target is left out (the agency
    group says more).
    """
    buckets: dict[tuple[str, str, str], list[MemberAct]] = defaultdict(list)
    for act in acts:
        for target in act.targets:
            if act.agency_id is not None:
                buckets[("agency", str(act.agency_id), target)].append(act)
            buckets[("region", regency_of(act.region_id), target)].append(act)
    groups: list[Group] = []
    for (scope, scope_id, target), members in sorted(buckets.items()):
        members.sort(key=lambda m: (m.start, m.flag_id))
        pending = list(members)
        while pending:
            opening = pending[0].start
            closing = opening + window
            taken = [m for m in pending if m.start <= closing and m.end >= opening]
            pending = [m for m in pending if m not in taken]
            group = Group(scope, scope_id, target, tuple(taken))
            if len(group.subjects) >= min_subjects:
                groups.append(group)
    agency_groups = [g for g in groups if g.scope == "agency"]
    return [
        g
        for g in groups
        if g.scope == "agency"
        or not any(a.target == g.target and g.subjects <= a.subjects for a in agency_groups)
    ]


def _short(text: str) -> str:
    return text if len(text) <= 60 else hashlib.sha256(text.encode()).hexdigest()[:24]


def _timeline(group: Group) -> list[dict[str, object]]:
    return [
        {
            "flag": m.flag_id,
            "subject": m.subject_id,
            "act": m.act,
            "exact": m.exact,
            "from": timezone.localtime(m.start).isoformat(),
            "until": timezone.localtime(m.end).isoformat(),
        }
        for m in group.members
    ]


def _columns(
    group: Group,
    *,
    region: str,
    agency_name: str,
    min_subjects: int,
    window: dt.timedelta,
) -> dict[str, object]:
    members = group.members
    strongest = max(members, key=lambda m: (m.priority, -m.flag_id))
    severity = max((Severity(m.severity) for m in members), key=_SEVERITY_ORDER.__getitem__)
    extra = len(group.subjects) - min_subjects
    priority = min(100, strongest.priority + _BASE_BONUS + _MEMBER_BONUS * extra)
    violations: list[Mapping[str, object]] = []
    seen_codes: set[object] = set()
    for member in members:
        for violation in member.violations:
            if violation.get("code") not in seen_codes:
                seen_codes.add(violation.get("code"))
                violations.append(violation)
    start = min(m.start for m in members)
    end = max(m.end for m in members)
    hours = round(window.total_seconds() / 3600)
    if group.target.startswith("hashtag:"):
        what = _("memakai tagar kampanye %(tag)s") % {"tag": group.target.removeprefix("hashtag:")}
    elif group.target.startswith("account:"):
        what = _("mengikuti akun kampanye yang sama")
    else:
        what = _("bertindak atas konten kampanye yang sama")
    where = (
        _("dari instansi %(agency)s") % {"agency": agency_name}
        if group.scope == "agency"
        else _("yang bekerja di wilayah %(region)s") % {"region": group.scope_id}
    )
    sentences = [
        _("%(count)d subjek %(where)s %(what)s dalam %(hours)d jam.")
        % {"count": len(group.subjects), "where": where, "what": what, "hours": hours},
        _("Tindakan pertama %(start)s, terakhir %(end)s.")
        % {
            "start": f"{timezone.localtime(start):%d-%m-%Y %H.%M}",
            "end": f"{timezone.localtime(end):%d-%m-%Y %H.%M}",
        },
    ]
    if any(not m.exact for m in members):
        sentences.append(
            _(
                "Sebagian tindakan tidak memiliki waktu platform (suka, reaksi, ikuti): masa "
                "pengamatannya yang dipakai."
            )
        )
    platforms = sorted({m.platform for m in members if m.platform})
    return {
        "agency_id": int(group.scope_id) if group.scope == "agency" else None,
        "region_id": region,
        "platform": platforms[0] if len(platforms) == 1 else "",
        "target": group.target,
        "violations": violations,
        "severity": severity.value,
        "priority": priority,
        "stage": strongest.stage,
        "acted_at": start,
        "seen_from": start,
        "seen_until": end,
        "model_version": strongest.model_version,
        "explanation": {
            "rule": f"coordination.{group.scope}",
            "sentences": sentences,
            "scope": {"kind": group.scope, "id": group.scope_id},
            "target": group.target,
            "subjects": sorted(group.subjects),
            "members": _timeline(group),
            "min_subjects": min_subjects,
            "window_hours": hours,
        },
    }


@dataclass
class CoordinationSummary:
    election_id: int
    groups: int
    counts: WriteCounts

    def as_params(self) -> dict[str, int]:
        return {
            "election": self.election_id,
            "groups": self.groups,
            "created": self.counts.created,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "reopened": self.counts.reopened,
            "withdrawn": self.counts.withdrawn,
            "decided_kept": self.counts.decided_kept,
        }


def _keys(election: Election, groups: Sequence[Group]) -> dict[str, Group]:
    """A stable key per group: the key of a stored coordination flag of the same scope and
    target that shares a member, else a new one from the group's opening act."""
    stored: dict[tuple[str, str], list[tuple[str, frozenset[int]]]] = defaultdict(list)
    rows = Flag.objects.filter(election=election, kind=FlagKind.COORDINATION).values_list(
        "key", "explanation"
    )
    for key, explanation in rows:
        scope = explanation.get("scope", {}) if isinstance(explanation, dict) else {}
        members = frozenset(
            m["flag"] for m in explanation.get("members", []) if isinstance(explanation, dict)
        )
        stored[(f"{scope.get('kind')}:{scope.get('id')}", explanation.get("target", ""))].append(
            (key, members)
        )
    keyed: dict[str, Group] = {}
    for group in groups:
        flags = frozenset(m.flag_id for m in group.members)
        candidates = stored.get((f"{group.scope}:{group.scope_id}", group.target), [])
        found = next((k for k, members in candidates if members & flags and k not in keyed), None)
        if found is not None:
            key = found
        else:
            opening = group.members[0]
            key = (
                f"co:{election.pk}:{group.scope}:{group.scope_id}:{_short(group.target)}:"
                f"{opening.flag_id}"
            )
        keyed[key] = group
    return keyed


def coordination_detect(
    *,
    election: Election,
    min_subjects: int = DEFAULT_MIN_SUBJECTS,
    window: dt.timedelta = DEFAULT_WINDOW,
    actor: User | None = None,
) -> CoordinationSummary:
    """Bring the coordination flags of ``election`` up to date with its act flags.

    Idempotent like ``flags_detect``: a rerun on unchanged flags writes nothing; a group
    that gained a member updates its open flag (same key) and member list; decided flags
    stay as they are; an open flag whose group fell apart is withdrawn. Raises
    ``DetectionBusy`` while another run holds the election, ValueError for
    ``min_subjects`` under 2 or a window that is not positive. Records one
    ``detection.coordination_detected`` event when it wrote anything.
    """
    if min_subjects < 2 or window <= dt.timedelta(0):
        raise ValueError("a coordination needs two subjects or more and a positive window")
    with work_lock("detection.flags", election.pk) as taken:
        if not taken:
            raise DetectionBusy(
                _("Deteksi untuk %(election)s sedang berjalan.") % {"election": election}
            )
        groups = find_groups(_member_acts(election), min_subjects=min_subjects, window=window)
        keyed = _keys(election, groups)
        agency_ids = {int(g.scope_id) for g in groups if g.scope == "agency"}
        agencies = {a.pk: a for a in Agency.objects.filter(pk__in=sorted(agency_ids))}
        codes = {regency_of(m.region_id) for g in groups for m in g.members}
        known = set(Region.objects.filter(code__in=sorted(codes)).values_list("code", flat=True))
        rows: dict[str, dict[str, object]] = {}
        for key, group in keyed.items():
            regencies = {regency_of(m.region_id) for m in group.members}
            # Where the flag is handled: the regency the members work in; an agency whose
            # staff work in several regencies, at the agency's seat.
            if group.scope == "region" or len(regencies) == 1:
                region = group.scope_id if group.scope == "region" else next(iter(regencies))
                if region not in known:
                    region = group.members[0].region_id
            else:
                region = str(agencies[int(group.scope_id)].region_id)
            rows[key] = _columns(
                group,
                region=region,
                agency_name=agencies[int(group.scope_id)].name if group.scope == "agency" else "",
                min_subjects=min_subjects,
                window=window,
            )
        with transaction.atomic():
            counts, written = flags_write(
                election=election,
                kind=FlagKind.COORDINATION,
                rows=rows,
                columns=COORDINATION_COLUMNS,
            )
            for flag_id in written.values():
                FlagMember.objects.filter(coordination_id=flag_id).delete()
            FlagMember.objects.bulk_create(
                [
                    FlagMember(coordination_id=flag_id, member_id=member.flag_id)
                    for key, flag_id in written.items()
                    for member in keyed[key].members
                ],
                batch_size=500,
            )
            summary = CoordinationSummary(
                election_id=election.pk, groups=len(groups), counts=counts
            )
            if counts.created or counts.updated or counts.reopened or counts.withdrawn:
                event_record(
                    kind=DetectionEvent.COORDINATION_DETECTED,
                    subject=election,
                    actor=actor,
                    params=summary.as_params(),
                )
    return summary
