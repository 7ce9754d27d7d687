"""Writes of detection: aliases staff add to an election's lexicon, the classifier's
verdicts stored in bulk, and staff decisions on flags; each records an Event.

The lexicon itself is never written: ``netra.detection.lexicon.lexicon_for`` sees the
new alias through the content hash of what it compiles from. Flags are written by the
rules (``netra.detection.flagging``, ``netra.detection.coordination``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.detection.events import DetectionEvent
from netra.detection.models import ContentVerdict, Flag, FlagStatus, LexiconAlias, TermKind
from netra.detection.normalise import default_normaliser
from netra.detection.verdict import Verdict
from netra.elections.models import Candidate, Election
from netra.staff.models import User


@transaction.atomic
def lexicon_alias_add(
    *, candidate: Candidate, term: str, kind: TermKind | str, actor: User | None
) -> LexiconAlias:
    """Add ``term`` as a ``kind`` term of ``candidate`` in its election's lexicon.

    A user actor must hold ``detection.add_alias`` on the candidate (``rules.py``),
    otherwise PermissionDenied before anything is written; None is the system. Raises
    ValidationError (Indonesian) for a ballot-number kind, a term with no letters or
    digits, or a term the candidate already has (ignoring case). Records
    ``detection.alias_added``.
    """
    if actor is not None and not actor.has_perm("detection.add_alias", candidate):
        raise PermissionDenied(
            _("Anda tidak berwenang menambah istilah untuk %(candidate)s.")
            % {"candidate": candidate}
        )
    if kind == TermKind.NUMBER:
        raise ValidationError(
            {"kind": _("Nomor urut diambil dari data calon, bukan ditambahkan sebagai alias.")}
        )
    if not default_normaliser().words(term):
        raise ValidationError({"term": _("Istilah harus memuat huruf atau angka.")})
    alias = LexiconAlias(
        election_id=candidate.election_id,
        candidate=candidate,
        term=term,
        kind=kind,
        added_by=actor,
    )
    alias.full_clean()
    alias.save()
    event_record(
        kind=DetectionEvent.ALIAS_ADDED,
        subject=alias,
        actor=actor,
        params={
            "term": alias.term,
            "kind": alias.kind,
            "candidate": candidate.pk,
            "election": candidate.election_id,
        },
    )
    return alias


# --- verdicts -----------------------------------------------------------------------------------

_VERDICT_BATCH = 1000
_VERDICT_COLUMNS = [
    "content_class",
    "stance",
    "target",
    "score",
    "model_version",
    "explanation",
    "judged_at",
]


@dataclass(frozen=True)
class VerdictStoreSummary:
    election_id: int
    stored: int
    model_versions: tuple[str, ...]


def content_verdicts_store(
    *,
    election: Election,
    pairs: Iterable[tuple[int, Verdict]],
    actor: User | None = None,
) -> VerdictStoreSummary:
    """Store the classifier's verdict of each item (key, verdict) for ``election``.

    An upsert on (item, election) in batches of a thousand rows, one statement each,
    whatever the number of items: a verdict already stored is replaced (class, stance,
    target, score, model version, explanation, time judged). A later pair of the same item
    in one call wins. A target candidate key that is not a candidate of ``election`` is
    stored as no target (the ballot number stays in the explanation). Records one
    ``detection.verdicts_stored`` event with the count and the model versions. Items must
    exist (IntegrityError otherwise, and nothing of that call is kept).
    """
    candidates = set(Candidate.objects.filter(election=election).values_list("pk", flat=True))
    now = timezone.now()
    stored = 0
    versions: set[str] = set()
    with transaction.atomic():
        batch: dict[int, ContentVerdict] = {}

        def flush() -> None:
            ContentVerdict.objects.bulk_create(
                batch.values(),
                update_conflicts=True,
                unique_fields=["item", "election"],
                update_fields=_VERDICT_COLUMNS,
            )
            batch.clear()

        for item_id, verdict in pairs:
            if item_id not in batch and len(batch) >= _VERDICT_BATCH:
                stored += len(batch)
                flush()
            versions.add(verdict.model_version)
            batch[item_id] = ContentVerdict(
                item_id=item_id,
                election=election,
                content_class=verdict.content_class.value,
                stance=verdict.stance.value,
                target_id=verdict.target_id if verdict.target_id in candidates else None,
                score=verdict.score,
                model_version=verdict.model_version,
                explanation=verdict.as_json(),
                judged_at=now,
            )
        stored += len(batch)
        if batch:
            flush()
        if stored:
            event_record(
                kind=DetectionEvent.VERDICTS_STORED,
                subject=election,
                actor=actor,
                params={"stored": stored, "model_versions": sorted(versions)},
            )
    return VerdictStoreSummary(
        election_id=election.pk, stored=stored, model_versions=tuple(sorted(versions))
    )


# --- decisions on flags -------------------------------------------------------------------------


class FlagDecisionError(Exception):
    """A flag that cannot be decided (already decided, or withdrawn by detection)."""


def _may_decide(actor: User, flags: Sequence[Flag]) -> None:
    refused = [flag for flag in flags if not actor.has_perm("detection.decide_flag", flag)]
    if refused:
        raise PermissionDenied(
            _("Anda tidak berwenang memutuskan %(count)d tanda yang dipilih.")
            % {"count": len(refused)}
        )


def _decide(*, flags: Sequence[Flag], actor: User, status: FlagStatus, reason: str) -> list[Flag]:
    if not flags:
        return []
    _may_decide(actor, flags)
    if status == FlagStatus.DISMISSED and not reason.strip():
        raise ValidationError({"dismiss_reason": _("Tuliskan alasan penolakan.")})
    keys = sorted({flag.pk for flag in flags})
    now = timezone.now()
    with transaction.atomic():
        updated = Flag.objects.filter(pk__in=keys, status=FlagStatus.OPEN).update(
            status=status,
            decided_by=actor,
            decided_at=now,
            dismiss_reason=reason.strip() if status == FlagStatus.DISMISSED else "",
            updated_at=now,
        )
        if updated != len(keys):
            # All or nothing: one flag decided meanwhile (or withdrawn) undoes the others
            # (the exception rolls the block back). Those the update did not take are the
            # ones no longer open; counting non-open rows now would count this update's too.
            raise FlagDecisionError(
                _("%(count)d tanda sudah diputuskan atau dicabut sistem; tidak ada yang diubah.")
                % {"count": len(keys) - updated}
            )
        kind = (
            DetectionEvent.FLAG_CONFIRMED
            if status == FlagStatus.CONFIRMED
            else DetectionEvent.FLAG_DISMISSED
        )
        decided = list(Flag.objects.filter(pk__in=keys).order_by("pk"))
        for flag in decided:
            params: dict[str, object] = {"key": flag.key, "kind": flag.kind}
            if status == FlagStatus.DISMISSED:
                params["reason"] = flag.dismiss_reason
            if len(keys) > 1:
                params["batch"] = len(keys)
            event_record(kind=kind, subject=flag, actor=actor, params=params)
    return decided


def flag_confirm(*, flag: Flag, actor: User) -> Flag:
    """Confirm an open flag: staff hold it a suspected violation, ready to become a case.

    Raises PermissionDenied (nothing written) unless ``actor`` holds
    ``detection.decide_flag`` on it (``rules.py``), FlagDecisionError when it is no longer
    open. Records ``detection.flag_confirmed``.
    """
    [decided] = _decide(flags=[flag], actor=actor, status=FlagStatus.CONFIRMED, reason="")
    return decided


def flag_dismiss(*, flag: Flag, actor: User, reason: str) -> Flag:
    """Dismiss an open flag with the reason staff give (required, Indonesian free text).

    Same checks as ``flag_confirm``; ValidationError for an empty reason. Records
    ``detection.flag_dismissed`` with the reason.
    """
    [decided] = _decide(flags=[flag], actor=actor, status=FlagStatus.DISMISSED, reason=reason)
    return decided


def flags_confirm(*, flags: Sequence[Flag], actor: User) -> list[Flag]:
    """Confirm several open flags at once: all of them or, on any refusal, none.

    PermissionDenied when ``actor`` may not decide one of them; FlagDecisionError when one
    is no longer open. One ``detection.flag_confirmed`` event per flag.
    """
    return _decide(flags=flags, actor=actor, status=FlagStatus.CONFIRMED, reason="")


def flags_dismiss(*, flags: Sequence[Flag], actor: User, reason: str) -> list[Flag]:
    """Dismiss several open flags with one reason: all of them or none (as ``flags_confirm``)."""
    return _decide(flags=flags, actor=actor, status=FlagStatus.DISMISSED, reason=reason)
