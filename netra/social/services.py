"""Writes of the social pages: a manual entry, a file uploaded for loading, a fixed file
that resolves a quarantine.

Every record still takes the one path in: a manual entry becomes an ``ItemRecord`` written
by ``store.BatchWriter`` under an ``IngestRun`` of its own ``Source``, exactly as a line of
a file would be; an uploaded file goes through ``ingest.ingest_file``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.platforms import Platform
from netra.elections.models import Election
from netra.social.accounts import account_resolve
from netra.social.batches import prepare_batch
from netra.social.events import SocialEvent
from netra.social.ingest import FileSummary, NothingLoaded, ingest_file
from netra.social.models import (
    IngestRun,
    Item,
    QuarantinedRecord,
    RunStatus,
    Source,
    SourceKind,
)
from netra.social.quarantine import Open, parsed_records, records_held
from netra.social.sources.links import item_kind_from_url

# The URL functions live with the platforms' link rules; they stay importable from here.
from netra.social.sources.links import manual_platform_id as manual_platform_id
from netra.social.sources.links import platform_from_url as platform_from_url
from netra.social.sources.links import platform_id_from_url as platform_id_from_url
from netra.social.sources.links import url_canonical as url_canonical
from netra.social.sources.records import ItemKind, ItemRecord
from netra.social.sources.zips import ZIP_MAGIC, is_zip
from netra.social.store import OUTCOMES, BatchWriter
from netra.social.zipped import ZipSummary, ingest_zip
from netra.staff.models import Office, User

# The largest file the upload page accepts (the request is read whole before this check:
# the web server in front should refuse larger bodies too).
UPLOAD_MAX_BYTES = 200 * 1024 * 1024
SCREENSHOT_MAX_BYTES = 10 * 1024 * 1024
MANUAL_FORMAT = "manual"
# Keys per ``IN (...)`` when marking records resolved (SQLite allows 32,766 parameters).
_KEYS_PER_QUERY = 900

# --- screenshots ----------------------------------------------------------------------------


def image_type(head: bytes) -> str | None:
    """``png``, ``jpg`` or ``webp`` from a file's first bytes (never its name), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def screenshot_read(screenshot: File[Any]) -> tuple[bytes, str]:
    """The bytes of an uploaded screenshot and its type, checked by content.

    Raises ValidationError (in Indonesian) for a file over 10 MB, an empty one, or one that
    is not a PNG, JPEG or WebP image whatever its name says.
    """
    name = Path(screenshot.name or "").name
    size = screenshot.size or 0
    if size > SCREENSHOT_MAX_BYTES:
        raise ValidationError(
            _(
                "Tangkapan layar '%(name)s' berukuran %(size).1f MB; batasnya 10 MB. "
                "Perkecil gambarnya atau simpan sebagai JPEG."
            )
            % {"name": name, "size": size / 1024 / 1024},
            code="too_big",
        )
    screenshot.seek(0)
    data = screenshot.read(SCREENSHOT_MAX_BYTES + 1)
    if not isinstance(data, bytes):
        data = data.encode()
    if len(data) > SCREENSHOT_MAX_BYTES:
        raise ValidationError(
            _("Tangkapan layar '%(name)s' lebih dari 10 MB.") % {"name": name}, code="too_big"
        )
    if not data:
        raise ValidationError(
            _("Tangkapan layar '%(name)s' kosong.") % {"name": name}, code="empty"
        )
    kind = image_type(data[:16])
    if kind is None:
        raise ValidationError(
            _(
                "Berkas '%(name)s' bukan gambar PNG, JPEG atau WebP: isinya tidak cocok "
                "dengan gambar, apa pun akhiran namanya."
            )
            % {"name": name},
            code="not_image",
        )
    return data, kind


# --- manual entry ---------------------------------------------------------------------------


def _platform_checked(platform: str, url: str) -> str:
    """``platform``, or the URL's when empty; ValidationError when they disagree."""
    on = platform_from_url(url)
    if not platform:
        if on is None:
            raise ValidationError(
                _("Platform tidak dapat dikenali dari tautan ini; pilih platformnya."),
                code="platform",
            )
        return on
    if platform not in Platform.values:
        raise ValidationError(
            _("Platform '%(platform)s' tidak dikenal.") % {"platform": platform}, code="platform"
        )
    if on is not None and on != platform:
        raise ValidationError(
            _("Tautan ini dari %(on)s, bukan %(platform)s. Pilih platform yang sesuai.")
            % {"on": Platform(on).label, "platform": Platform(platform).label},
            code="platform_mismatch",
        )
    return platform


def _entry_kind(platform: str, url: str) -> ItemKind:
    return item_kind_from_url(platform, url)


def _author_id(platform: str, handle: str) -> str:
    """The platform id of the account the handle names (``accounts.account_resolve``), so
    that an entry joins the account an API load made rather than a second one known by
    handle only; "" when that account has no id, or none has the handle."""
    known = account_resolve(platform=platform, handle=handle)
    return known.platform_id if known is not None else ""


def item_manual_create(
    *,
    url: str,
    platform: str,
    text: str,
    author_handle: str,
    created_at: datetime | None,
    screenshot: File[Any] | None,
    actor: User | None,
    election: Election | None = None,
) -> Item:
    """Store one item a person saw and typed in, the way a file's record is stored.

    The entry (canonical URL, platform, id, text, author, time, screenshot digest) as
    canonical JSON is both the item's raw record and, by its SHA-256, its ``Source``
    (``kind=manual``, owned by the actor's office; the screenshot is the source's
    attachment). The same URL entered again is the same item: an identical entry counts
    as a duplicate, a different one updates the item (or, from another office, adds that
    office's version, see ``Item.shown_source``). An item already loaded from a platform
    keeps its kind, thread and deletion flags. An empty ``platform`` is the URL's. Raises
    ValidationError (Indonesian) for a bad URL, platform or screenshot; writes one Event
    ``SocialEvent.ITEM_ENTERED``.
    """
    if created_at is not None and timezone.is_naive(created_at):
        raise ValueError("created_at must be aware")
    canonical = url_canonical(url)
    platform = _platform_checked(platform, url)
    platform_id = manual_platform_id(platform, url)
    handle = author_handle.strip().lstrip("@")
    text = text.replace("\r\n", "\n")
    image: tuple[bytes, str] | None = None
    if screenshot is not None:
        image = screenshot_read(screenshot)
    entry = {
        "url": canonical,
        "platform": platform,
        "platform_id": platform_id,
        "author_handle": handle,
        "created_at": created_at.isoformat() if created_at else None,
        "text": text,
        "screenshot_sha256": hashlib.sha256(image[0]).hexdigest() if image else None,
    }
    raw = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(raw).hexdigest()
    existing = Item.objects.filter(platform=platform, platform_id=platform_id).first()
    record = ItemRecord(
        platform=platform,
        platform_id=platform_id,
        kind=ItemKind(existing.kind) if existing else _entry_kind(platform, url),
        author_id=_author_id(platform, handle),
        author_handle=handle,
        created_at=created_at,
        text=text,
        parent_id=existing.parent_platform_id if existing else "",
        root_id=existing.root_platform_id if existing else platform_id,
        permalink=canonical,
        collected_at=timezone.now(),
        deleted=existing.deleted if existing else False,
        withheld=existing.withheld if existing else False,
        reason=existing.reason if existing else "",
        raw=raw,
    )
    with transaction.atomic():
        source = _manual_source(
            digest=digest,
            raw=raw,
            canonical=canonical,
            image=image,
            election=election,
            owner=actor.office if actor is not None else None,
        )
        run = IngestRun.objects.create(source=source, actor=actor)
        tally = BatchWriter(source).write(prepare_batch([(1, record)], connection.vendor), run.pk)
        for outcome, number in tally.totals().items():
            setattr(run, outcome, number)
        run.details = tally.counts
        run.position = 1
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=[*OUTCOMES, "details", "position", "status", "finished_at"])
        item = Item.objects.get(platform=platform, platform_id=platform_id)
        outcome = next(
            (name for name in ("new", "updated", "duplicate") if tally.counts["item"][name]),
            "duplicate",
        )
        event_record(
            kind=SocialEvent.ITEM_ENTERED,
            subject=item,
            actor=actor,
            params={"source": source.pk, "run": run.pk, "outcome": outcome, "url": canonical},
        )
    return item


def _manual_source(
    *,
    digest: str,
    raw: bytes,
    canonical: str,
    image: tuple[bytes, str] | None,
    election: Election | None,
    owner: Office | None,
) -> Source:
    """The manual source of this entry: the existing one for an identical entry by the
    same office."""
    source = Source.objects.filter(sha256=digest, owner=owner).first()
    if source is not None:
        if source.election_id is None and election is not None:
            source.election = election
            source.save(update_fields=["election"])
        return source
    source = Source(
        kind=SourceKind.MANUAL,
        name=(_("Entri manual: %(url)s") % {"url": canonical})[:500],
        format=MANUAL_FORMAT,
        sha256=digest,
        size=len(raw),
        election=election,
        owner=owner,
    )
    source.full_clean(exclude=["attachment"])
    if image is not None:
        data, kind = image
        source.attachment.save(f"{digest}.{kind}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # The same entry submitted twice at once: the other request made its source.
        if source.attachment:
            source.attachment.delete(save=False)
        return Source.objects.get(sha256=digest, owner=owner)
    return source


# --- uploads and quarantine -----------------------------------------------------------------


def _upload_name(name: str) -> str:
    try:
        return get_valid_filename(Path(name).name)[:200]
    except SuspiciousFileOperation:
        return "unggahan"


def upload_check(upload: UploadedFile[bytes]) -> None:
    """Refuse an upload over ``UPLOAD_MAX_BYTES`` or an empty one (ValidationError)."""
    size = upload.size or 0
    if size > UPLOAD_MAX_BYTES:
        raise ValidationError(
            _(
                "Berkas '%(name)s' berukuran %(size)d MB; batas unggahan %(limit)d MB. "
                "Bagi berkasnya, atau minta administrator memuatnya dengan perintah "
                "'netra ingest'."
            )
            % {
                "name": upload.name,
                "size": size // (1024 * 1024),
                "limit": UPLOAD_MAX_BYTES // (1024 * 1024),
            },
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("Berkas '%(name)s' kosong.") % {"name": upload.name}, code="empty")


def source_upload_ingest(
    *,
    upload: UploadedFile[bytes],
    format_name: str | None,
    election: Election | None,
    actor: User | None,
) -> FileSummary:
    """Load an uploaded file through ``ingest_file`` and keep it as its source's attachment.

    The upload is written to a temporary folder under its own (cleaned) name, since the
    name's extension helps format detection. Raises ValidationError for a file too large
    or empty, ``IngestError`` (Indonesian) when the file as a whole cannot be loaded.
    """
    upload_check(upload)
    with tempfile.TemporaryDirectory(prefix="netra-upload-") as folder:
        path = Path(folder) / _upload_name(upload.name or "")
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            summary = ingest_file(
                path, format_name=format_name or None, election=election, actor=actor
            )
        except NothingLoaded as error:
            # Its records are in quarantine: keep the file for the corrected-file rerun.
            _attachment_keep(error.summary.source_id, path)
            raise
        _attachment_keep(summary.source_id, path)
    return summary


def upload_is_zip(upload: UploadedFile[bytes]) -> bool:
    """Whether an uploaded file is a ZIP archive, by its first bytes."""
    upload.seek(0)
    head = upload.read(len(ZIP_MAGIC))
    upload.seek(0)
    return is_zip(head)


def archive_upload_ingest(
    *,
    upload: UploadedFile[bytes],
    format_name: str | None,
    election: Election | None,
    actor: User | None,
) -> ZipSummary:
    """Load an uploaded ZIP export, each member Netra reads as its own source
    (``netra.social.zipped``), each kept as its source's attachment.

    Raises ValidationError for an upload too large or empty, ``IngestError`` as
    ``ingest_zip`` (an archive it cannot open, an office document, a format chosen, nothing
    Netra reads).
    """
    upload_check(upload)
    with tempfile.TemporaryDirectory(prefix="netra-upload-") as folder:
        path = Path(folder) / _upload_name(upload.name or "")
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return ingest_zip(
            path,
            format_name=format_name,
            election=election,
            actor=actor,
            keep=_attachment_keep,
        )


def _attachment_keep(source_id: int, path: Path) -> None:
    """Store the loaded file as the source's attachment, unless it already has one."""
    if Source.objects.filter(pk=source_id).exclude(attachment="").exists():
        return
    source = Source.objects.get(pk=source_id)
    with path.open("rb") as stream:
        source.attachment.save(path.name, File(stream), save=False)
    kept = Source.objects.filter(pk=source_id, attachment="").update(
        attachment=source.attachment.name
    )
    if kept != 1:
        source.attachment.delete(save=False)


def _records_held(new_run: IngestRun, open_records: list[Open]) -> set[int]:
    """The open records that the corrected file of ``new_run`` holds (see ``quarantine``);
    none when its file is not kept."""
    source = new_run.source
    if not open_records or not source.attachment:
        return set()
    refused = set(
        QuarantinedRecord.objects.filter(source=source).values_list("position", flat=True)
    )
    with source.attachment.open("rb") as stream:
        parsed = parsed_records(stream, source.format, source.name)
        return records_held(open_records, parsed, refused)


def quarantine_resolve(*, old_source: Source, new_run: IngestRun, actor: User | None) -> int:
    """Mark resolved by ``new_run`` the open quarantined records of ``old_source`` that its
    corrected file holds: the same record, by the platform id it carries, now read and
    stored (``netra.social.quarantine``). The others stay open.

    ``new_run`` is the finished load of the corrected file, a different source whose file
    is kept as its attachment. Returns how many records it marked; records one Event
    ``SocialEvent.QUARANTINE_RESOLVED`` when it marked any. Raises ValidationError when the run
    is of the same file or unfinished.
    """
    if new_run.source.sha256 == old_source.sha256:
        raise ValidationError(
            _("Berkas perbaikan sama persis dengan berkas '%(name)s'; tidak ada yang diperbaiki.")
            % {"name": old_source.name},
            code="same_file",
        )
    if new_run.status != RunStatus.DONE:
        raise ValidationError(
            _("Proses impor %(run)d belum selesai.") % {"run": new_run.pk}, code="unfinished"
        )
    still_open = QuarantinedRecord.objects.filter(source=old_source, resolved_by__isnull=True)
    records = [Open(pk, bytes(raw or b"")) for pk, raw in still_open.values_list("pk", "raw")]
    held = sorted(_records_held(new_run, records))
    resolved = 0
    with transaction.atomic():
        for start in range(0, len(held), _KEYS_PER_QUERY):
            # Conditional: a record another rerun closed meanwhile keeps that run.
            resolved += still_open.filter(pk__in=held[start : start + _KEYS_PER_QUERY]).update(
                resolved_by=new_run
            )
        if resolved:
            event_record(
                kind=SocialEvent.QUARANTINE_RESOLVED,
                subject=old_source,
                actor=actor,
                params={"run": new_run.pk, "source": new_run.source_id, "records": resolved},
            )
    return resolved


@dataclass(frozen=True, slots=True)
class Rerun:
    """The load of a corrected file, how many quarantined records it resolved and how many
    of the old source's stay open (the corrected file did not hold them)."""

    summary: FileSummary
    resolved: int
    still_open: int = 0


def source_rerun(
    *,
    old_source: Source,
    upload: UploadedFile[bytes],
    format_name: str | None,
    actor: User | None,
) -> Rerun:
    """Load the corrected file of ``old_source`` and resolve its quarantined records.

    The corrected file is read in ``format_name``, else in the old source's format, and
    belongs to the same election. Raises ValidationError when the old source has nothing
    left in quarantine or the file is the same one, ``IngestError`` as ``ingest_file``.
    """
    if not QuarantinedRecord.objects.filter(source=old_source, resolved_by__isnull=True).exists():
        raise ValidationError(
            _("Sumber '%(name)s' tidak punya rekaman karantina yang belum diselesaikan.")
            % {"name": old_source.name},
            code="nothing_open",
        )
    summary = source_upload_ingest(
        upload=upload,
        format_name=format_name or old_source.format,
        election=old_source.election,
        actor=actor,
    )
    run = IngestRun.objects.select_related("source").get(pk=summary.run_id)
    resolved = quarantine_resolve(old_source=old_source, new_run=run, actor=actor)
    return Rerun(
        summary=summary,
        resolved=resolved,
        still_open=QuarantinedRecord.objects.filter(
            source=old_source, resolved_by__isnull=True
        ).count(),
    )
