"""Writes of detection: aliases staff add to an election's lexicon, the classifier's
verdicts stored in bulk, staff decisions on flags, and linkage runs (proposals written
through the registry's service); each records an Event.

The lexicon itself is never written: ``netra.detection.lexicon.lexicon_for`` sees the
new alias through the content hash of what it compiles from. Flags are written by the
rules (``netra.detection.flagging``, ``netra.detection.coordination``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.locks import work_lock
from netra.detection.events import DetectionEvent
from netra.detection.linkage import (
    DEFAULT_THRESHOLD,
    Linker,
    Proposal,
    account_records,
    gazetteer,
    name_counts,
    subject_records,
)
from netra.detection.models import ContentVerdict, Flag, FlagStatus, LexiconAlias, TermKind
from netra.detection.normalise import default_normaliser
from netra.detection.verdict import ContentClass, Verdict
from netra.elections.models import Candidate, Election
from netra.geo.models import Region
from netra.registry.models import LinkStatus, Subject
from netra.registry.selectors import account_links_of
from netra.registry.services import account_link_propose
from netra.social.models import Account, AccountSnapshot
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


def _decide(
    *,
    flags: Sequence[Flag],
    actor: User,
    status: FlagStatus,
    reason: str,
    content: ContentClass | None = None,
) -> list[Flag]:
    if not flags:
        return []
    _may_decide(actor, flags)
    if status == FlagStatus.DISMISSED and not reason.strip():
        raise ValidationError({"dismiss_reason": _("Tuliskan alasan penolakan.")})
    if status == FlagStatus.CONFIRMED:
        content = ContentClass.CAMPAIGN
    elif content == ContentClass.CAMPAIGN:
        raise ValidationError(
            {"content_label": _("Tanda yang ditolak karena isinya tidak dapat berisi kampanye.")}
        )
    keys = sorted({flag.pk for flag in flags})
    now = timezone.now()
    with transaction.atomic():
        updated = Flag.objects.filter(pk__in=keys, status=FlagStatus.OPEN).update(
            status=status,
            decided_by=actor,
            decided_at=now,
            dismiss_reason=reason.strip() if status == FlagStatus.DISMISSED else "",
            content_label=content.value if content else "",
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
            if status == FlagStatus.DISMISSED and flag.content_label:
                params["content_label"] = flag.content_label
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


def flag_dismiss(
    *, flag: Flag, actor: User, reason: str, content: ContentClass | None = None
) -> Flag:
    """Dismiss an open flag with the reason staff give (required, Indonesian free text).

    ``content`` is what staff hold the content to be when that is the ground (news is
    ``political_neutral``, an everyday post ``unrelated``); such a dismissal is a labelled
    example for ``netra model train``. Same checks as ``flag_confirm``; ValidationError for
    an empty reason or a ``campaign`` content. Records ``detection.flag_dismissed``.
    """
    [decided] = _decide(
        flags=[flag], actor=actor, status=FlagStatus.DISMISSED, reason=reason, content=content
    )
    return decided


def flags_confirm(*, flags: Sequence[Flag], actor: User) -> list[Flag]:
    """Confirm several open flags at once: all of them or, on any refusal, none.

    PermissionDenied when ``actor`` may not decide one of them; FlagDecisionError when one
    is no longer open. One ``detection.flag_confirmed`` event per flag.
    """
    return _decide(flags=flags, actor=actor, status=FlagStatus.CONFIRMED, reason="")


def flags_dismiss(
    *, flags: Sequence[Flag], actor: User, reason: str, content: ContentClass | None = None
) -> list[Flag]:
    """Dismiss several open flags with one reason: all of them or none (as ``flags_confirm``)."""
    return _decide(
        flags=flags, actor=actor, status=FlagStatus.DISMISSED, reason=reason, content=content
    )


# --- linkage: proposals that an account is a subject's ---------------------------------------


class LinkageBusy(Exception):
    """Another linkage run holds the lock; this one wrote nothing."""


@dataclass(frozen=True)
class LinkageSummary:
    """What one linkage run found and did. ``proposals`` scored at or above the threshold;
    each of them was created, updated, left unchanged, or skipped (decided already, or the
    account has a confirmed owner)."""

    region: str | None
    threshold: float
    dry_run: bool
    subjects: int
    accounts: int
    pairs_scored: int
    proposals: int
    created: int
    updated: int
    unchanged: int
    skipped_decided: int
    skipped_owned: int

    def as_params(self) -> dict[str, object]:
        return asdict(self)


def _proof_text(proposal: Proposal) -> str:
    reasons = "; ".join(r.text.rstrip(".") for r in proposal.reasons if r.weight > 0)
    return _("Usulan pencocokan otomatis: %(reasons)s.") % {"reasons": reasons}


def _proof_snapshots(account_ids: Iterable[int]) -> dict[int, tuple[int, str | None]]:
    """The latest snapshot of each account, with its bio: (id, bio)."""
    latest: dict[int, tuple[int, str | None]] = {}
    rows = AccountSnapshot.objects.filter(account_id__in=sorted(set(account_ids)))
    for pk, account_id, bio in rows.order_by("account_id", "-id").values_list(
        "pk", "account_id", "bio"
    ):
        latest.setdefault(account_id, (pk, bio))
    return latest


def linkage_run(
    *,
    region: str | None = None,
    actor: User | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    dry_run: bool = False,
    batch: int = 2000,
) -> LinkageSummary:
    """Propose account links for the subjects of ``region`` (a code prefix; None: all).

    Every account is compared with the subjects that share a blocking key with it
    (``netra.detection.linkage``). A proposal at or above ``threshold`` goes through
    ``account_link_propose`` with its score, reasons, a proof text and, when a cue came
    from the bio, the account's latest snapshot as proof. Never touches a link already
    confirmed or rejected, nor proposes another owner for an account already confirmed as
    someone's; a rerun updates a proposed link only where its score or reasons changed, so
    it is idempotent. ``dry_run`` counts without writing anything. Records one
    ``detection.linkage_run`` event with the counts when it created or updated a proposal.

    A user actor needs ``detection.run_linkage`` for the region (PermissionDenied);
    None is the system. Raises ValidationError for an unknown region code, ValueError for
    a threshold outside (0, 1], LinkageBusy while another run holds the lock.
    """
    place = Region.objects.filter(code=region).first() if region is not None else None
    if region is not None and place is None:
        raise ValidationError(
            {"region": _("Kode wilayah %(code)s tidak ada dalam data wilayah.") % {"code": region}}
        )
    if actor is not None and not actor.has_perm("detection.run_linkage", place):
        raise PermissionDenied(
            _("Anda tidak berwenang menjalankan pencocokan akun untuk wilayah %(region)s.")
            % {"region": place or _("seluruh Indonesia")}
        )
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0, 1], not {threshold}")
    with work_lock("detection.linkage", 0) as taken:
        if not taken:
            raise LinkageBusy(_("Pencocokan akun sedang berjalan; coba lagi nanti."))
        return _linkage_run(region, actor, threshold, dry_run, batch)


def _linkage_run(
    region: str | None, actor: User | None, threshold: float, dry_run: bool, batch: int
) -> LinkageSummary:
    records = subject_records(region)
    # A national run counts namesakes from its own subjects; a regional one asks for all.
    namesakes = name_counts() if region is not None else None
    linker = Linker(records, gazetteer=gazetteer(), threshold=threshold, namesakes=namesakes)
    counts = dict.fromkeys(
        ("accounts", "proposals", "created", "updated", "unchanged", "decided", "owned"), 0
    )
    for accounts in account_records(batch):
        counts["accounts"] += len(accounts)
        proposals = [p for account in accounts for p in linker.propose(account)]
        counts["proposals"] += len(proposals)
        if not proposals:
            continue
        account_ids = {p.account_id for p in proposals}
        existing = {
            (link.subject_id, link.account_id): link for link in account_links_of(account_ids)
        }
        owned = {a for (_s, a), link in existing.items() if link.status == LinkStatus.CONFIRMED}
        snapshots = _proof_snapshots(account_ids)
        todo = []
        for proposal in proposals:
            link = existing.get((proposal.subject_id, proposal.account_id))
            if link is not None and link.status != LinkStatus.PROPOSED:
                counts["decided"] += 1
                continue
            if proposal.account_id in owned:
                counts["owned"] += 1
                continue
            snapshot = snapshots.get(proposal.account_id) if proposal.from_bio else None
            snapshot_id = snapshot[0] if snapshot is not None else None
            proof = _proof_text(proposal)
            reasons = [r.as_json() for r in proposal.reasons]
            if link is not None and (
                link.confidence,
                link.proof,
                link.reasons,
                link.proof_snapshot_id,
            ) == (
                Decimal(str(proposal.score)).quantize(Decimal("0.001")),
                proof,
                reasons,
                snapshot_id,
            ):
                counts["unchanged"] += 1
                continue
            counts["updated" if link is not None else "created"] += 1
            todo.append((proposal, proof, snapshot_id))
        if dry_run or not todo:
            continue
        subjects = Subject.objects.in_bulk({p.subject_id for p, _t, _s in todo})
        linked = Account.objects.in_bulk({p.account_id for p, _t, _s in todo})
        shown = AccountSnapshot.objects.in_bulk({s for _p, _t, s in todo if s is not None})
        for proposal, proof, snapshot_id in todo:
            account_link_propose(
                subject=subjects[proposal.subject_id],
                account=linked[proposal.account_id],
                confidence=proposal.score,
                proof=proof,
                reasons=proposal.reasons,
                proof_snapshot=shown.get(snapshot_id) if snapshot_id is not None else None,
                actor=actor,
            )
    summary = LinkageSummary(
        region=region,
        threshold=threshold,
        dry_run=dry_run,
        subjects=len(records),
        accounts=counts["accounts"],
        pairs_scored=linker.scored,
        proposals=counts["proposals"],
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        skipped_decided=counts["decided"],
        skipped_owned=counts["owned"],
    )
    if not dry_run and (summary.created or summary.updated):
        event_record(kind=DetectionEvent.LINKAGE_RUN, actor=actor, params=summary.as_params())
    return summary
