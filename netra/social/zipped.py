"""Loading an export archive in ZIP where it lies: each member read is a source of its own.

``ingest_zip`` opens the archive within the limits of ``sources.zips``, copies each member
that detection knows out to a temporary folder, one at a time, and loads it with
``ingest_file`` under the name ``<archive>/<member>``. Each member is its own source
rather than a part of one, because everything a source is hangs on one file: its format
(one archive holds files of one format or of several), the line and byte of each
quarantined record (which must point into a file the user can open: the member), its
SHA-256 (the same member loaded alone or in its archive is the same source, and loading
the archive again stores nothing twice), a load resumed after a kill, and the
corrected-file rerun of its quarantine.

Some archives name their owner in one part only, and their other parts' records carry no
author (a format says which part with ``FormatSpec.names_owner``). When the caller names
no owner, the owner is the first account of that part, read before the rest.

The summary lists every member not read with the reason, and every member that could not
be loaded with its error; a member that gave nothing usable counts as such a failure.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from netra.elections.models import Election
from netra.social.ingest import FileSummary, IngestError, NothingLoaded, ingest_file
from netra.social.models import SourceKind
from netra.social.sources.records import AccountRecord, ParseOptions
from netra.social.sources.registry import FORMATS, parse
from netra.social.sources.zips import (
    BROKEN,
    ZIP_MAGIC,
    Member,
    ZipRefused,
    extract,
    grouped,
    is_office_document,
    is_zip,
    open_zip,
    plan,
)
from netra.social.store import Tally
from netra.staff.models import Office, User

# The most groups of members not read that a message names.
_GROUPS_NAMED = 12
# Bytes of a part enough to say whether it names the archive's owner.
_OWNER_HEAD = 4096


class MemberProgress(Protocol):
    """A progress display for one member: called as ``ingest_file``'s ``progress``."""

    def __call__(self, done: int, total: int, tally: Tally) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class MemberFailure:
    """A member read but not loaded: its name and why (``summary`` when it was read to its
    end with nothing usable)."""

    name: str
    error: str
    summary: FileSummary | None = None


@dataclass(frozen=True, slots=True)
class ZipSummary:
    """What became of an archive: members loaded, members that failed, members not read."""

    path: str
    loaded: list[FileSummary] = field(default_factory=list)
    failed: list[MemberFailure] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        """The counts of every member read, loaded or not (its records are stored or
        quarantined either way)."""
        total = Tally()
        for summary in self.loaded:
            total.merge(summary.tally)
        for failure in self.failed:
            if failure.summary is not None:
                total.merge(failure.summary.tally)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "loaded": [summary.as_dict() for summary in self.loaded],
            "failed": [
                {
                    "member": failure.name,
                    "error": failure.error,
                    **({"summary": failure.summary.as_dict()} if failure.summary else {}),
                }
                for failure in self.failed
            ],
            "not_read": [{"member": name, "reason": reason} for name, reason in self.skipped],
            **self.tally.totals(),
        }


def is_zip_file(path: Path) -> bool:
    """Whether a file is a ZIP archive, by its first bytes."""
    with path.open("rb") as stream:
        return is_zip(stream.read(len(ZIP_MAGIC)))


def not_read_lines(skipped: list[tuple[str, str]], limit: int | None = None) -> list[str]:
    """The members not read, one line per folder and reason, in Indonesian."""
    members = [Member(zipfile.ZipInfo(name), reason=reason) for name, reason in skipped]
    lines = [
        f"{what}: {reason}"
        if count == 1
        else _("%(what)s (%(count)d berkas): %(reason)s")
        % {"what": what, "count": count, "reason": reason}
        for what, count, reason in grouped(members)
    ]
    if limit is not None and len(lines) > limit:
        lines = [
            *lines[:limit],
            _("… dan %(count)d kelompok lain") % {"count": len(lines) - limit},
        ]
    return lines


def ingest_zip(
    path: Path,
    *,
    election: Election | None = None,
    actor: User | None = None,
    owner: Office | None = None,
    kind: str = SourceKind.FILE,
    options: ParseOptions | None = None,
    progress: Callable[[str], MemberProgress] | None = None,
    keep: Callable[[int, Path], None] | None = None,
    display_name: str = "",
    format_name: str | None = None,
) -> ZipSummary:
    """Load the members of an archive that Netra reads, each as its own source.

    ``progress`` makes a display for a member by its name; ``keep`` is given each loaded
    member's source id and file before the file is removed (the upload keeps it as the
    source's attachment). Raises ``IngestError`` when the archive cannot be opened, is an
    office document, is given a ``format_name`` (each member's format is its own) or holds
    no member Netra reads (the message lists what it holds).
    """
    name = display_name or path.name
    try:
        archive = open_zip(path)
    except ZipRefused as error:
        raise IngestError(
            _("Arsip '%(file)s': %(error)s.") % {"file": name, "error": error}
        ) from None
    if is_office_document(archive):
        archive.close()
        raise IngestError(
            _(
                "Berkas '%(file)s' adalah dokumen Office (spreadsheet .xlsx atau .ods), bukan "
                'arsip ekspor. Simpan sebagai "CSV UTF-8 (dibatasi koma)", lalu muat CSV-nya.'
            )
            % {"file": name}
        )
    if format_name:
        archive.close()
        raise IngestError(
            _(
                "Arsip '%(file)s': format tidak dapat dipilih untuk arsip ZIP; setiap berkas "
                "di dalamnya dikenali sendiri."
            )
            % {"file": name}
        )
    summary = ZipSummary(path=display_name or str(path))
    with archive, tempfile.TemporaryDirectory(prefix="netra-zip-") as folder:
        found = plan(archive)
        summary.skipped.extend((member.name, member.reason) for member in found.skipped)
        if not found.read:
            raise IngestError(_nothing_known(name, summary.skipped))
        options = _with_archive_owner(archive, found.read, Path(folder), options or ParseOptions())
        for index, member in enumerate(found.read):
            label = f"{name}/{member.name}"
            try:
                member_path = extract(archive, member, Path(folder), index)
            except ZipRefused as error:
                summary.failed.append(MemberFailure(label, str(error)))
                continue
            bar = progress(label) if progress is not None else None
            try:
                loaded = ingest_file(
                    member_path,
                    format_name=member.format,
                    election=election,
                    actor=actor,
                    owner=owner,
                    kind=kind,
                    options=options,
                    progress=bar,
                    display_name=label,
                )
            except NothingLoaded as error:
                summary.failed.append(MemberFailure(label, str(error), error.summary))
                if keep is not None:
                    keep(error.summary.source_id, member_path)
            except IngestError as error:
                summary.failed.append(MemberFailure(label, str(error)))
            else:
                summary.loaded.append(loaded)
                if keep is not None:
                    keep(loaded.source_id, member_path)
            finally:
                if bar is not None:
                    bar.close()
                member_path.unlink(missing_ok=True)
    return summary


def _nothing_known(name: str, skipped: list[tuple[str, str]]) -> str:
    return _(
        "Arsip '%(file)s' tidak berisi berkas yang dibaca Netra (%(count)d berkas diperiksa): "
        "%(members)s. Berkas data di dalam arsip dibaca bila formatnya salah satu yang "
        "tercantum di netra ingest --help (pilihan --format); ekspor yang dapat diminta "
        "dalam JSON atau HTML harus diminta dalam JSON."
    ) % {
        "file": name,
        "count": len(skipped),
        "members": "; ".join(not_read_lines(skipped, _GROUPS_NAMED)) or _("kosong"),
    }


def _with_archive_owner(
    archive: zipfile.ZipFile, members: list[Member], folder: Path, options: ParseOptions
) -> ParseOptions:
    """``options`` with the owner that the archive's owner part names (``names_owner``),
    when the caller named none."""
    if options.owner_id or options.owner_handle:
        return options
    for index, member in enumerate(members):
        names_owner = FORMATS[member.format].names_owner
        if names_owner is None:
            continue
        try:
            with archive.open(member.info) as stream:
                if not names_owner(stream.read(_OWNER_HEAD)):
                    continue
            account_path = extract(archive, member, folder, -1 - index)
        except (ZipRefused, *BROKEN):
            return options  # its own load says why
        try:
            with account_path.open("rb") as stream:
                for record in parse(stream, member.format, options):
                    if isinstance(record, AccountRecord):
                        return replace(
                            options, owner_id=record.platform_id, owner_handle=record.handle
                        )
        finally:
            account_path.unlink(missing_ok=True)
    return options
