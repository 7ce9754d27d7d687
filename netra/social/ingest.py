"""Loading files of social media records: detect, parse, store in batches, resume.

``ingest_file`` is the one way a file gets in, whoever asks (``netra ingest``, the upload
page, the demo, a collector's push). A file is a ``Source`` known by its SHA-256 and its
owner (the office that brought it in); each
attempt is an ``IngestRun`` whose checkpoint and counters are written in the same
transaction as each batch. So a load killed at any moment and started again goes on from
its last committed batch and ends with the counts of a load never interrupted, and the
same file loaded twice stores nothing twice.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.files import file_sha256
from netra.core.locks import work_lock
from netra.elections.models import Election
from netra.social.batches import PreparedBatch, ReaderFailed, read_batches, read_batches_in_child
from netra.social.events import SocialEvent
from netra.social.models import IngestRun, QuarantinedRecord, RunStatus, Source, SourceKind
from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.reading import BOM
from netra.social.sources.records import (
    FormatSpec,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
)
from netra.social.sources.registry import format_spec
from netra.social.store import OUTCOMES, BatchWriter, Tally, bulk_session, defers_indexes
from netra.staff.models import Office, User

Progress = Callable[[int, int, Tally], None]


class IngestError(Exception):
    """The file as a whole cannot be loaded; the message says which and why, in Indonesian."""


class LoadStopped(IngestError):
    """The load stopped midway on a fault that is not the file's: a parser that raised
    instead of quarantining a record, a reader process that died, a batch the database
    refused. What it stored before is kept and its run failed; the message says where."""


class NothingLoaded(IngestError):
    """The file was read to its end and gave nothing usable: every record it held was
    quarantined, or it held none though it is not empty (a wrong format, an empty API
    page). The load itself is done and kept, its quarantine on its source; ``summary``
    says what it read. Callers report it as a failure; a collector walking pages, for
    which an empty page is an answer like any other, takes ``summary`` and goes on."""

    def __init__(self, message: str, summary: FileSummary) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What became of one file's records: ``read = new + updated + duplicate + quarantined``."""

    path: str
    format: str
    source_id: int
    run_id: int
    resumed_from: int
    tally: Tally
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "source": self.source_id,
            "run": self.run_id,
            "resumed_from": self.resumed_from,
            **self.tally.totals(),
            "by_type": {kind: dict(row) for kind, row in self.tally.counts.items() if row["read"]},
            "seconds": round(self.seconds, 3),
        }


def format_detect(path: Path) -> str:
    """The format of the file, from its first bytes; ``IngestError`` when unknown."""
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    try:
        return detect(head, path.name)
    except UnrecognisedFormat as error:
        raise IngestError(str(error)) from None


def ingest_file(
    path: Path,
    *,
    format_name: str | None = None,
    election: Election | None = None,
    actor: User | None = None,
    owner: Office | None = None,
    kind: str = SourceKind.FILE,
    options: ParseOptions | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    reread: bool = False,
    display_name: str = "",
) -> FileSummary:
    """Load one file; resume its unfinished run if there is one. See the module docstring.

    ``owner`` is the office the source belongs to: by default the actor's office; a
    collector's push gives its token's. A file this source already loaded whole is not
    read again (its records would all be duplicates: the run says so, from the earlier
    run's counts) unless ``reread``, or ``options`` that may read it otherwise, are given.
    ``display_name`` names the file in the source, the summary and messages instead of its
    path (a member of an archive: ``x.zip/data/tweets.js``).
    """
    started = timezone.now()
    name = display_name or path.name
    if not path.is_file():
        raise IngestError(_("Berkas '%(path)s' tidak ada atau bukan berkas.") % {"path": path})
    if format_name is None:
        format_name = format_detect(path)
    try:
        spec = format_spec(format_name)
    except UnrecognisedFormat as error:
        raise IngestError(str(error)) from None
    before = path.stat()
    sha256, size = file_sha256(path), before.st_size
    source, created = _source(
        sha256=sha256,
        name=name,
        size=size,
        format_name=spec.name,
        election=election,
        owner=owner if owner is not None else (actor.office if actor is not None else None),
        kind=kind,
    )
    # One load of a source at a time: a second one would write the same records and move
    # the same checkpoint. The lock dies with its process, so a killed load resumes.
    with work_lock("social.ingest", source.pk) as taken:
        if not taken:
            raise IngestError(
                _(
                    "Berkas '%(file)s' sedang dimuat oleh proses lain. Tunggu sampai "
                    "selesai; memuatnya lagi sesudah itu tidak menyimpan apa pun dua kali."
                )
                % {"file": name}
            )
        run = _run(source, actor)
        summary = _load(
            path,
            name=name,
            display_name=display_name,
            spec=spec,
            source=source,
            created=created,
            run=run,
            before=before,
            actor=actor,
            options=options,
            progress=progress,
            batch_size=batch_size,
            reread=reread,
            started=started,
        )
    _refuse_if_nothing_loaded(path, name, summary)
    return summary


def _load(
    path: Path,
    *,
    name: str,
    display_name: str,
    spec: FormatSpec,
    source: Source,
    created: bool,
    run: IngestRun,
    before: os.stat_result,
    actor: User | None,
    options: ParseOptions | None,
    progress: Progress | None,
    batch_size: int | None,
    reread: bool,
    started: datetime,
) -> FileSummary:
    """The load of ``ingest_file``, its source's lock held."""
    size = before.st_size
    resumed_from = run.position
    if not reread and (options is None or options == ParseOptions()) and resumed_from == 0:
        again = _loaded_before(source, run)
        if again is not None:
            return FileSummary(
                path=display_name or str(path),
                format=spec.name,
                source_id=source.pk,
                run_id=run.pk,
                resumed_from=0,
                tally=again,
                seconds=(timezone.now() - started).total_seconds(),
            )
    tally = Tally()
    _tally_from_run(run, tally)
    writer = BatchWriter(source)
    # A large file is read and prepared by a second process while this one writes, and
    # may be loaded with the scattered indexes built at its end (store.defers_indexes).
    large = size >= settings.NETRA_INGEST_PARALLEL_BYTES
    read = read_batches_in_child if large and (os.cpu_count() or 1) > 1 else read_batches
    options = options or ParseOptions()
    if not options.file_name:
        options = replace(options, file_name=path.name)
    defer_indexes = large and defers_indexes(size)
    # Reading a file allocates millions of short-lived objects and no cycles: the cyclic
    # collector would only rescan them (a third of the run's time on large files).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        batches = read(
            spec,
            path,
            options,
            skip=run.position,
            batch_size=batch_size or settings.NETRA_INGEST_BATCH_SIZE,
            vendor=connection.vendor,
        )
        # closing: a failed batch ends the reader (and its child) at once.
        with bulk_session(defer_indexes=defer_indexes) as between_batches, closing(batches):
            for batch in batches:
                _commit(batch, run, writer, tally)
                between_batches()
                if progress is not None:
                    progress(batch.offset, size, tally)
        if progress is not None:
            progress(size, size, tally)
    except UnrecognisedFormat as error:
        # Refused before a record was read (a forced format the file is not): nothing of
        # it is kept, no source and no failed run, as for a file detection refuses.
        _refused(source, created, run)
        raise IngestError(
            _("Berkas '%(file)s': %(error)s") % {"file": name, "error": error}
        ) from None
    except ReaderFailed as error:
        _run_failed(run, str(error), actor)
        raise LoadStopped(
            _("Berkas '%(file)s': %(error)s") % {"file": name, "error": error}
        ) from None
    except DatabaseError as error:
        # Nothing the readers give should be refused by the database; if something is,
        # the batch is rolled back, the file stops here and says where, and the loads
        # of other files go on.
        _run_failed(run, repr(error), actor)
        raise LoadStopped(
            _(
                "Berkas '%(file)s': basis data menolak rekaman sesudah rekaman ke-%(position)d "
                "(%(error)s). Rekaman sebelumnya tersimpan; laporkan berkas ini ke pengelola."
            )
            % {"file": name, "position": run.position, "error": error}
        ) from None
    except BaseException as error:
        _run_failed(run, repr(error), actor)
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    changed = _changed(path, before)
    if changed:
        _run_failed(run, changed, actor)
        raise IngestError(_("Berkas '%(file)s': %(error)s") % {"file": name, "error": changed})
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    totals = tally.totals()
    first_run = not source.runs.filter(status=RunStatus.DONE).exclude(pk=run.pk).exists()
    if totals["new"] or totals["updated"] or (first_run and totals["quarantined"]):
        event_record(
            kind=SocialEvent.SOURCE_INGESTED,
            subject=source,
            actor=actor,
            params={"run": run.pk, "format": spec.name, **totals},
        )
    return FileSummary(
        path=display_name or str(path),
        format=spec.name,
        source_id=source.pk,
        run_id=run.pk,
        resumed_from=resumed_from,
        tally=tally,
        seconds=(timezone.now() - started).total_seconds(),
    )


def _changed(path: Path, before: os.stat_result) -> str:
    """What changed in the file since the load began (its SHA-256 was taken then); ``""``
    when nothing did. Its size, its modification time and which file the name is."""
    try:
        after = path.stat()
    except OSError:
        return _("berkas hilang ketika sedang dimuat")
    if (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    ):
        return ""
    return _(
        "berkas berubah ketika sedang dimuat (ukurannya %(before)d byte, kini %(after)d "
        "byte). Yang sudah terbaca tetap tersimpan di sumber ini, tetapi pemuatan ini "
        "tidak dianggap selesai: muat lagi berkasnya setelah tidak berubah lagi."
    ) % {"before": before.st_size, "after": after.st_size}


def _refused(source: Source, created: bool, run: IngestRun) -> None:
    """Forget a run refused before it read anything, and its source if this load made it."""
    with transaction.atomic():
        IngestRun.objects.filter(pk=run.pk, position=0, read=0).delete()
        if created and not source.runs.exists():
            Source.objects.filter(pk=source.pk).delete()


def _refuse_if_nothing_loaded(path: Path, name: str, summary: FileSummary) -> None:
    """``NothingLoaded`` when every record was quarantined, or none read from a file
    holding more than white space; a load that stored or recognised anything passes."""
    totals = summary.tally.totals()
    if totals["read"] and totals["quarantined"] < totals["read"]:
        return
    if totals["read"]:
        first = (
            QuarantinedRecord.objects.filter(source_id=summary.source_id)
            .order_by("position")
            .values_list("position", "line", "offset", "path", "reason")
            .first()
        )
        position, line, offset, where, reason = (
            first if first is not None else (0, None, None, "", "")
        )
        raise NothingLoaded(
            _(
                "Berkas '%(file)s': tidak satu pun dari %(count)d rekaman dapat dipakai "
                "sebagai %(format)s; semuanya dikarantina. Rekaman pertama (%(where)s): "
                "%(reason)s. Semuanya dapat dilihat di halaman karantina sumber ini."
            )
            % {
                "file": name,
                "count": totals["read"],
                "format": summary.format,
                "where": ParseProblem(reason, line=line, offset=offset, path=where).where
                or _("rekaman ke-%(position)d") % {"position": position},
                "reason": reason,
            },
            summary,
        )
    if _holds_something(path):
        raise NothingLoaded(
            _(
                "Berkas '%(file)s' tidak kosong, tetapi tidak satu rekaman pun terbaca darinya "
                "sebagai %(format)s. Bila berkas ini respons API tanpa hasil, memang tidak "
                "ada yang dimuat; bila bukan, formatnya keliru."
            )
            % {"file": name, "format": summary.format},
            summary,
        )


def _holds_something(path: Path) -> bool:
    """Whether a file holds more than a byte-order mark and white space."""
    with path.open("rb") as stream:
        chunk = stream.read(1 << 16).removeprefix(BOM)
        while chunk:
            if chunk.strip():
                return True
            chunk = stream.read(1 << 16)
    return False


def _source(
    *,
    sha256: str,
    name: str,
    size: int,
    format_name: str,
    election: Election | None,
    owner: Office | None,
    kind: str,
) -> tuple[Source, bool]:
    """The file's source for its owner, and whether this call made it."""
    with transaction.atomic():
        source, created = Source.objects.get_or_create(
            sha256=sha256,
            owner=owner,
            defaults={
                "kind": kind,
                "name": name[:500],
                "format": format_name,
                "size": size,
                "election": election,
            },
        )
        if source.election_id is None and election is not None:
            source.election = election
            source.save(update_fields=["election"])
    return source, created


def _run(source: Source, actor: User | None) -> IngestRun:
    """The source's unfinished run to go on with, or a new one."""
    with transaction.atomic():
        run = (
            IngestRun.objects.select_for_update()
            .filter(source=source)
            .exclude(status=RunStatus.DONE)
            .order_by("-id")
            .first()
        )
        if run is None:
            return IngestRun.objects.create(source=source, actor=actor)
        run.status = RunStatus.RUNNING
        run.error = ""
        run.save(update_fields=["status", "error"])
    return run


def _loaded_before(source: Source, run: IngestRun) -> Tally | None:
    """If ``source`` was loaded whole before, end ``run`` as a load of nothing new: every
    record it read then is a duplicate now (its quarantined ones quarantined again), as a
    second pass would count them. None, and ``run`` untouched, when it was not."""
    done = source.runs.filter(status=RunStatus.DONE).exclude(pk=run.pk).order_by("-pk").first()
    if done is None:
        return None
    earlier = Tally()
    _tally_from_run(done, earlier)
    tally = Tally()
    for kind, row in earlier.counts.items():
        if row["read"] - row["quarantined"]:
            tally.add(kind, "duplicate", row["read"] - row["quarantined"])
        if row["quarantined"]:
            tally.add(kind, "quarantined", row["quarantined"])
    ended = IngestRun.objects.filter(pk=run.pk, position=0, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        position=done.position,
        details=tally.counts,
        **tally.totals(),
    )
    return tally if ended == 1 else None


def _tally_from_run(run: IngestRun, tally: Tally) -> None:
    for kind, row in (run.details or {}).items():
        if kind in tally.counts:
            for outcome in OUTCOMES:
                tally.counts[kind][outcome] = int(row.get(outcome, 0))


def _commit(batch: PreparedBatch, run: IngestRun, writer: BatchWriter, tally: Tally) -> None:
    """Store one batch and move the run's checkpoint, all in one transaction."""
    position = batch.position
    with transaction.atomic():
        done = writer.write(batch, run.pk)
        merged = Tally()
        merged.merge(tally)
        merged.merge(done)
        totals = done.totals()
        # Conditional on the checkpoint we started from: two loads of the same file at
        # once cannot both advance it.
        moved = IngestRun.objects.filter(pk=run.pk, position=run.position).update(
            position=position,
            details=merged.counts,
            **{outcome: F(outcome) + totals[outcome] for outcome in OUTCOMES},
        )
        if moved != 1:
            raise IngestError(
                _("Berkas ini sedang dimuat oleh proses lain (proses impor %(run)d).")
                % {"run": run.pk}
            )
    run.position = position
    tally.merge(done)


def _run_failed(run: IngestRun, error: str, actor: User | None) -> None:
    """Mark the run failed and record it: a load that stopped is on the source's timeline."""
    IngestRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=error[:2000])
    event_record(
        kind=SocialEvent.INGEST_FAILED,
        subject=run.source,
        actor=actor,
        params={"run": run.pk, "position": run.position, "error": error[:500]},
    )


def ingest_paths(paths: list[Path]) -> Iterator[Path]:
    """The files named: a folder stands for its files (sorted, hidden ones left out)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(
                    part.startswith(".") for part in child.relative_to(path).parts
                ):
                    yield child
        else:
            yield path
