"""Writes for elections: importing elections, their stages and candidates from a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db import models, transaction

from netra.core.events import event_record
from netra.elections.events import ElectionsEvent
from netra.elections.importers import (
    CandidateIn,
    ElectionIn,
    ElectionsImportError,
    StageIn,
    elections_document_read,
)
from netra.elections.models import Candidate, CandidateAccount, Election, Stage

if TYPE_CHECKING:
    from netra.staff.models import User

__all__ = [
    "Counts",
    "ElectionOutcome",
    "ElectionsImportError",
    "ElectionsImportSummary",
    "elections_import",
]

Status = Literal["created", "updated", "unchanged"]
# The Event an import writes for an election it created or changed (none when unchanged).
_IMPORT_EVENTS = {
    "created": ElectionsEvent.ELECTION_CREATED,
    "updated": ElectionsEvent.ELECTION_UPDATED,
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, status: Status) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class ElectionOutcome:
    """What the import did to one election and its parts."""

    slug: str
    name: str
    status: Status
    stages: Counts = field(default_factory=Counts)
    candidates: Counts = field(default_factory=Counts)
    accounts: Counts = field(default_factory=Counts)


@dataclass
class ElectionsImportSummary:
    """The result of one successful import, in file order."""

    file_name: str
    sha256: str
    elections: list[ElectionOutcome]

    def total(self, part: Literal["stages", "candidates", "accounts"]) -> Counts:
        """Counts of one kind of part summed over every election."""
        total = Counts()
        for outcome in self.elections:
            counts: Counts = getattr(outcome, part)
            total.created += counts.created
            total.updated += counts.updated
            total.unchanged += counts.unchanged
        return total

    @property
    def election_counts(self) -> Counts:
        counts = Counts()
        for outcome in self.elections:
            counts.add(outcome.status)
        return counts


def _assign(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``obj``; the names of those that differed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, Status]:
    """Create or update one row keyed by ``lookup``, saving only when something differs."""
    obj = model._default_manager.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = _assign(obj, values)
    if not changed:
        return obj, "unchanged"
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj, "updated"


def _stage_write(election: Election, stage: StageIn) -> Status:
    _obj, status = _upsert(
        Stage,
        {"election": election, "kind": stage.kind, "name": stage.display_name},
        {"starts_on": stage.starts_on, "ends_on": stage.ends_on},
    )
    return status


def _candidate_write(election: Election, data: CandidateIn, outcome: ElectionOutcome) -> None:
    candidate, status = _upsert(
        Candidate,
        {"election": election, "number": data.number},
        {
            "name": data.name,
            "running_mate": data.running_mate,
            "party_or_coalition": data.party_or_coalition,
            "independent": data.independent,
            "aliases": data.aliases,
            "hashtags": data.hashtags,
            "slogans": data.slogans,
        },
    )
    outcome.candidates.add(status)
    for account in data.accounts:
        # Handles are case-insensitive on every platform we watch: match them so.
        existing = (
            CandidateAccount.objects.select_for_update()
            .filter(candidate=candidate, platform=account.platform, handle__iexact=account.handle)
            .first()
        )
        values: dict[str, Any] = {
            "handle": account.handle,
            "url": account.url,
            "is_campaign_team": account.campaign_team,
        }
        if existing is None:
            row = CandidateAccount(candidate=candidate, platform=account.platform, **values)
            row.full_clean()
            row.save()
            outcome.accounts.add("created")
        elif changed := _assign(existing, values):
            existing.full_clean()
            existing.save(update_fields=changed)
            outcome.accounts.add("updated")
        else:
            outcome.accounts.add("unchanged")


def _election_write(
    data: ElectionIn, *, actor: User | None, file_name: str, sha256: str
) -> ElectionOutcome:
    election, status = _upsert(
        Election,
        {"slug": data.slug},
        {
            "name": data.name,
            "regime": data.regime,
            "type": data.type,
            "region_id": data.region,
            "year": data.year,
        },
    )
    outcome = ElectionOutcome(slug=data.slug, name=data.name, status=status)
    for stage in data.stages:
        outcome.stages.add(_stage_write(election, stage))
    for candidate in data.candidates:
        _candidate_write(election, candidate, outcome)
    if status == "unchanged" and (
        outcome.stages.changed or outcome.candidates.changed or outcome.accounts.changed
    ):
        outcome.status = "updated"
    if outcome.status != "unchanged":
        event_record(
            kind=_IMPORT_EVENTS[outcome.status],
            subject=election,
            actor=actor,
            params={
                "source": "import",
                "file": file_name,
                "sha256": sha256,
                "stages": vars(outcome.stages),
                "candidates": vars(outcome.candidates),
                "accounts": vars(outcome.accounts),
            },
        )
    return outcome


def elections_import(*, path: Path, actor: User | None = None) -> ElectionsImportSummary:
    """Import every election of a YAML or JSON file (docs/elections-format.md).

    All or nothing: the whole file is checked first and, on any problem, nothing is
    written and ``ElectionsImportError`` lists every problem with its document path.
    Idempotent: elections are keyed by slug, stages by (election, kind, name),
    candidates by (election, number), official accounts by (candidate, platform,
    handle); importing the same file twice changes nothing the second time. Rows
    absent from the file are kept, never deleted. One event per election created
    (``elections.election_created``) or changed (``elections.election_updated``).
    """
    document, sha256 = elections_document_read(path)
    with transaction.atomic():
        outcomes = [
            _election_write(data, actor=actor, file_name=path.name, sha256=sha256)
            for data in document.elections
        ]
    return ElectionsImportSummary(file_name=path.name, sha256=sha256, elections=outcomes)
