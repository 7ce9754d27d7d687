"""Writes for the registry: roster imports and subject-account links.

Platform accounts themselves are social's (``netra.social.accounts.account_upsert``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.iterables import chunked
from netra.geo.models import Region
from netra.registry.events import LINK_DECIDED, RegistryEvent
from netra.registry.importers import (
    RegionRef,
    RosterImportError,
    RosterRow,
    RowError,
    roster_parse,
    row_error_order,
)
from netra.registry.models import AccountLink, Agency, LinkReason, LinkStatus, Subject
from netra.social.models import Account, AccountSnapshot, Item
from netra.staff.access import user_covers

if TYPE_CHECKING:
    from netra.staff.models import User

__all__ = [
    "AccountLinkError",
    "RosterImportError",
    "RosterImportSummary",
    "RowError",
    "account_link_decide",
    "account_link_propose",
    "roster_import",
]


# Small enough for SQLite's 999-parameter limit in one IN (...) list.
_IN_CHUNK = 500
_SUBJECT_FIELDS = ["kind", "full_name", "nip", "nrp", "position", "agency", "workplace", "notes"]


# --- roster import ------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterImportSummary:
    """What one successful roster import did."""

    file_name: str
    sha256: str
    rows_read: int
    subjects_created: int
    subjects_updated: int
    subjects_unchanged: int
    agencies_created: int


AgencyKey = tuple[str, str]  # (region code, casefolded name)


def _agency_key(row: RosterRow) -> AgencyKey | None:
    return (row.agency_region, row.agency_name.casefold()) if row.agency_name else None


def _check_regions(refs: list[RegionRef]) -> list[RowError]:
    known: set[str] = set()
    for chunk in chunked(sorted({ref.code for ref in refs}), _IN_CHUNK):
        known.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
    message = _("kode wilayah %(code)s tidak ada dalam data wilayah")
    return [
        RowError(ref.row, ref.column, message % {"code": ref.code})
        for ref in refs
        if ref.code not in known
    ]


def _stored_agencies(rows: list[RosterRow]) -> dict[AgencyKey, Agency]:
    # Names are compared casefolded in Python, so that every database backend agrees.
    regions = sorted({r.agency_region for r in rows if r.agency_name})
    agencies: dict[AgencyKey, Agency] = {}
    for chunk in chunked(regions, _IN_CHUNK):
        for agency in Agency.objects.filter(region_id__in=chunk).order_by("pk"):
            agencies.setdefault((agency.region_id, agency.name.casefold()), agency)
    return agencies


def _stored_subjects(
    rows: list[RosterRow], agencies: dict[AgencyKey, Agency]
) -> tuple[dict[int, Subject], list[RowError]]:
    """The stored subject each row updates, by row number; rows absent here are new."""
    by_nip: dict[str, Subject] = {}
    for chunk in chunked(sorted({r.nip for r in rows if r.nip}), _IN_CHUNK):
        by_nip.update((s.nip, s) for s in Subject.objects.filter(nip__in=chunk))
    by_nrp: dict[tuple[str, str], Subject] = {}
    for chunk in chunked(sorted({r.nrp for r in rows if r.nrp}), _IN_CHUNK):
        by_nrp.update(((s.kind, s.nrp), s) for s in Subject.objects.filter(nrp__in=chunk))
    by_name: dict[tuple[str, str, int | None], list[Subject]] = {}
    names = sorted({r.full_name for r in rows if not r.nip and not r.nrp})
    for chunk in chunked(names, _IN_CHUNK):
        for s in Subject.objects.filter(nip="", nrp="", full_name__in=chunk).order_by("pk"):
            by_name.setdefault((s.kind, s.full_name, s.agency_id), []).append(s)

    matched: dict[int, Subject] = {}
    errors: list[RowError] = []
    for row in rows:
        found: Subject | None
        if row.nip:
            found = by_nip.get(row.nip)
        elif row.nrp:
            found = by_nrp.get((row.kind, row.nrp))
        else:
            key = _agency_key(row)
            agency = agencies.get(key) if key else None
            if key is not None and agency is None:
                continue  # a new agency has no subjects yet
            same = by_name.get((row.kind, row.full_name, agency.pk if agency else None), [])
            if len(same) > 1:
                errors.append(
                    RowError(
                        row.row,
                        "nama",
                        _(
                            "ada %(count)d subjek tersimpan dengan nama, jenis dan instansi ini; "
                            "tambahkan NIP atau NRP, atau gabungkan lewat admin"
                        )
                        % {"count": len(same)},
                    )
                )
                continue
            found = same[0] if same else None
        if found is not None:
            matched[row.row] = found
    return matched, errors


def _subject_values(row: RosterRow, agency: Agency | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": row.kind.value,
        "full_name": row.full_name,
        "nip": row.nip,
        "nrp": row.nrp,
        "agency_id": agency.pk if agency else None,
        "workplace_id": row.workplace,
    }
    # A column missing from the file leaves what is stored; a present, empty cell clears it.
    if row.position is not None:
        values["position"] = row.position
    if row.notes is not None:
        values["notes"] = row.notes
    return values


_COLUMN_OF_FIELD = {
    "kind": "jenis",
    "full_name": "nama",
    "nip": "nip",
    "nrp": "nrp",
    "position": "jabatan",
    "notes": "catatan",
}


def _clean(subject: Subject, row: RosterRow, path: Path) -> None:
    # Foreign keys were checked in bulk above; a per-row check would cost a query each.
    try:
        subject.clean_fields(exclude=["agency", "workplace"])
    except ValidationError as exc:
        raise RosterImportError(
            path,
            [
                RowError(row.row, _COLUMN_OF_FIELD.get(name, ""), "; ".join(messages))
                for name, messages in exc.message_dict.items()
            ],
        ) from None


def roster_import(*, path: Path, actor: User | None = None) -> RosterImportSummary:
    """Import a roster of subjects from CSV or XLSX (docs/registry-format.md).

    All or nothing: every row is checked first; on any problem nothing is written and
    ``RosterImportError`` carries every error as (row as numbered in a spreadsheet,
    column, reason). Otherwise agencies are found or created by (region, name) and
    subjects upserted by NIP, else by (kind, NRP), else by (kind, name, agency) among
    subjects without NIP or NRP, in one transaction with bulk writes. Idempotent: a
    second import of the same file creates nothing and changes nothing. Records one
    ``registry.roster_imported`` event with the counts and the file's SHA-256 when the
    import created or changed anything (a repeated import records none).
    """
    parsed = roster_parse(path)
    with transaction.atomic():
        errors = parsed.errors + _check_regions(parsed.regions)
        agencies = _stored_agencies(parsed.rows)
        matched, match_errors = _stored_subjects(parsed.rows, agencies)
        errors += match_errors
        if errors:
            errors.sort(key=row_error_order)
            raise RosterImportError(path, errors)

        new_agencies: dict[AgencyKey, Agency] = {}
        for row in parsed.rows:
            key = _agency_key(row)
            if key is not None and key not in agencies and key not in new_agencies:
                agency = Agency(name=row.agency_name, region_id=row.agency_region)
                agency.full_clean(exclude=["region"], validate_unique=False)
                new_agencies[key] = agency
        Agency.objects.bulk_create(new_agencies.values())
        if any(a.pk is None for a in new_agencies.values()):
            # Backends that cannot return ids from a bulk insert: read them back.
            for key, agency in list(new_agencies.items()):
                new_agencies[key] = Agency.objects.get(region_id=key[0], name=agency.name)
        agencies.update(new_agencies)

        now = timezone.now()
        to_create: list[Subject] = []
        to_update: list[Subject] = []
        unchanged = 0
        for row in parsed.rows:
            key = _agency_key(row)
            values = _subject_values(row, agencies[key] if key else None)
            subject = matched.get(row.row)
            if subject is None:
                subject = Subject(**values)
                _clean(subject, row, path)
                to_create.append(subject)
                continue
            changed = False
            for name, value in values.items():
                if getattr(subject, name) != value:
                    setattr(subject, name, value)
                    changed = True
            if changed:
                subject.updated_at = now
                _clean(subject, row, path)
                to_update.append(subject)
            else:
                unchanged += 1
        Subject.objects.bulk_create(to_create, batch_size=1000)
        Subject.objects.bulk_update(to_update, [*_SUBJECT_FIELDS, "updated_at"], batch_size=500)

        summary = RosterImportSummary(
            file_name=path.name,
            sha256=parsed.sha256,
            rows_read=parsed.rows_read,
            subjects_created=len(to_create),
            subjects_updated=len(to_update),
            subjects_unchanged=unchanged,
            agencies_created=len(new_agencies),
        )
        if not (to_create or to_update or new_agencies):
            # Nothing changed: a repeated import is no state change, so it leaves no event.
            return summary
        event_record(
            kind=RegistryEvent.ROSTER_IMPORTED,
            actor=actor,
            params={
                "file": summary.file_name,
                "sha256": summary.sha256,
                "rows_read": summary.rows_read,
                "subjects_created": summary.subjects_created,
                "subjects_updated": summary.subjects_updated,
                "subjects_unchanged": summary.subjects_unchanged,
                "agencies_created": summary.agencies_created,
            },
        )
    return summary


# --- subject-account links ---------------------------------------------------------------------


class AccountLinkError(Exception):
    """A link decision that cannot be made (already decided, or a second owner)."""


def _confidence(value: Decimal | float | str) -> Decimal:
    try:
        confidence = Decimal(str(value)).quantize(Decimal("0.001"))
    except InvalidOperation:
        confidence = Decimal(-1)
    if not Decimal(0) <= confidence <= Decimal(1):
        raise ValidationError(
            {
                "confidence": _("Keyakinan harus angka antara 0 dan 1, bukan %(value)s.")
                % {"value": value}
            }
        )
    return confidence


def _proof_refs_belong(
    account: Account, snapshot: AccountSnapshot | None, item: Item | None
) -> None:
    if snapshot is not None and snapshot.account_id != account.pk:
        raise ValidationError(
            {"proof_snapshot": _("Profil bukti harus profil akun yang ditautkan.")}
        )
    if item is not None and item.author_id != account.pk:
        raise ValidationError({"proof_item": _("Konten bukti harus unggahan akun yang ditautkan.")})


def account_link_propose(
    *,
    subject: Subject,
    account: Account,
    confidence: Decimal | float | str,
    proof: str,
    reasons: Sequence[LinkReason] = (),
    proof_snapshot: AccountSnapshot | None = None,
    proof_item: Item | None = None,
    actor: User | None = None,
) -> AccountLink:
    """Propose that ``account`` belongs to ``subject``, with a confidence in [0, 1] and proof.

    ``reasons`` are what a linkage run found (shown to the reviewer); ``proof_snapshot``
    and ``proof_item`` point at the profile as seen, or the post, that showed the cue, and
    must be the account's own. A new proposal records ``registry.account_link_proposed``.
    Proposing again while the link is still proposed replaces its confidence, proof,
    reasons and proof references (``registry.account_link_proposal_updated``, only if
    something differs). A link already confirmed or rejected is returned unchanged: a
    proposal never reopens a decision. Raises ``ValidationError`` for a confidence outside
    [0, 1] or a proof reference of another account.
    """
    value = _confidence(confidence)
    _proof_refs_belong(account, proof_snapshot, proof_item)
    stored_reasons = [reason.as_json() for reason in reasons]
    snapshot_id = proof_snapshot.pk if proof_snapshot is not None else None
    item_id = proof_item.pk if proof_item is not None else None
    with transaction.atomic():
        link = (
            AccountLink.objects.select_for_update().filter(subject=subject, account=account).first()
        )
        if link is None:
            link = AccountLink(
                subject=subject,
                account=account,
                confidence=value,
                proof=proof,
                reasons=stored_reasons,
                proof_snapshot_id=snapshot_id,
                proof_item_id=item_id,
            )
            link.full_clean()
            link.save()
            params: dict[str, Any] = {
                "confidence": str(value),
                "account": account.pk,
                "subject": subject.pk,
            }
            if stored_reasons:
                params["reasons"] = [r["kind"] for r in stored_reasons]
            event_record(
                kind=RegistryEvent.ACCOUNT_LINK_PROPOSED, subject=link, actor=actor, params=params
            )
            return link
        stored = (
            link.confidence,
            link.proof,
            link.reasons,
            link.proof_snapshot_id,
            link.proof_item_id,
        )
        if link.status != LinkStatus.PROPOSED or stored == (
            value,
            proof,
            stored_reasons,
            snapshot_id,
            item_id,
        ):
            return link
        updated = AccountLink.objects.filter(pk=link.pk, status=LinkStatus.PROPOSED).update(
            confidence=value,
            proof=proof,
            reasons=stored_reasons,
            proof_snapshot_id=snapshot_id,
            proof_item_id=item_id,
            updated_at=timezone.now(),
        )
        if updated:
            event_record(
                kind=RegistryEvent.ACCOUNT_LINK_PROPOSAL_UPDATED,
                subject=link,
                actor=actor,
                params={"confidence": str(value), "previous_confidence": str(link.confidence)},
            )
        link.refresh_from_db()
        return link


def account_link_decide(
    *,
    link: AccountLink,
    status: str,
    actor: User,
    proof: str | None = None,
    proof_snapshot: AccountSnapshot | None = None,
    proof_item: Item | None = None,
) -> AccountLink:
    """Confirm or reject a proposed link; the decision is final.

    Only a proposed link can be decided (a conditional update); otherwise
    ``AccountLinkError``. Confirming fails with ``AccountLinkError`` when another
    subject is already the confirmed owner of the account. A confirmed link keeps the
    proof it was proposed with (text, reasons, snapshot, item); ``proof``,
    ``proof_snapshot`` and ``proof_item``, when given with a confirmation, replace that
    part of it (``ValidationError`` for a reference of another account; ``ValueError``
    when given with a rejection). Records ``registry.account_link_confirmed`` (with the
    proof references it carries) or ``registry.account_link_rejected``.
    """
    if status not in {LinkStatus.CONFIRMED, LinkStatus.REJECTED}:
        raise ValueError(f"a decision is confirmed or rejected, not {status!r}")
    proof_given: dict[str, Any] = {}
    if proof is not None:
        proof_given["proof"] = proof
    if proof_snapshot is not None:
        proof_given["proof_snapshot_id"] = proof_snapshot.pk
    if proof_item is not None:
        proof_given["proof_item_id"] = proof_item.pk
    if proof_given and status != LinkStatus.CONFIRMED:
        raise ValueError("proof is given with a confirmation, not with a rejection")
    _proof_refs_belong(link.account, proof_snapshot, proof_item)
    owner_taken = _(
        "Akun %(account)s sudah dikonfirmasi sebagai milik %(owner)s; satu akun hanya boleh "
        "memiliki satu pemilik terkonfirmasi."
    )
    with transaction.atomic():
        if status == LinkStatus.CONFIRMED:
            other = (
                AccountLink.objects.filter(account_id=link.account_id, status=LinkStatus.CONFIRMED)
                .exclude(pk=link.pk)
                .select_related("subject", "account")
                .first()
            )
            if other is not None:
                # The owner is named only to whom may see them (the page shows no name).
                owner = other.subject if user_covers(actor, other.subject.workplace_id) else None
                raise AccountLinkError(
                    owner_taken % {"account": other.account, "owner": owner or _("subjek lain")}
                )
        now = timezone.now()
        try:
            with transaction.atomic():
                updated = AccountLink.objects.filter(pk=link.pk, status=LinkStatus.PROPOSED).update(
                    status=status, decided_by=actor, decided_at=now, updated_at=now, **proof_given
                )
        except IntegrityError:
            # Another confirmation of the same account committed between our check and update.
            raise AccountLinkError(
                owner_taken % {"account": link.account, "owner": _("subjek lain")}
            ) from None
        link.refresh_from_db()
        if not updated:
            raise AccountLinkError(
                _("Tautan %(link)s sudah diputuskan (%(status)s); keputusan tidak dapat diubah.")
                % {"link": link, "status": link.get_status_display()}
            )
        decided: dict[str, Any] = {"account": link.account_id, "subject": link.subject_id}
        if status == LinkStatus.CONFIRMED:
            decided["proof_snapshot"] = link.proof_snapshot_id
            decided["proof_item"] = link.proof_item_id
        event_record(
            kind=LINK_DECIDED[LinkStatus(status)], subject=link, actor=actor, params=decided
        )
    return link
