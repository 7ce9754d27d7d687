"""Importing the official Kemendagri region list."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.files import file_sha256
from netra.geo.events import GeoEvent
from netra.geo.models import CODE_REGEX, LEVEL_BY_PARTS, NAME_MAX_LENGTH, Level, Region

HEADER = ["code", "name", "level"]
BATCH = 5000
MAX_ERRORS = 100
_CODE = re.compile(CODE_REGEX)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("baris %(line)d, kolom %(column)s: %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }


class RegionImportError(Exception):
    """The file was refused as a whole; ``errors`` says where and why. Nothing was written."""

    def __init__(self, path: Path, errors: list[RowError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(
            _("%(file)s ditolak: %(count)d kesalahan, tidak ada yang disimpan")
            % {"file": path.name, "count": len(errors)}
        )


@dataclass
class RegionImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Codes in the database that the file no longer lists: kept, since rows may refer to them.
    not_in_file: int = 0
    sha256: str = ""
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def _decoded_lines(handle: BinaryIO, errors: list[RowError]) -> Iterator[str]:
    """Yield text lines, recording each line that is not UTF-8 (with its byte offset)."""
    offset = 0
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            offset += len(codecs.BOM_UTF8)
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                RowError(number, "-", _("bukan teks UTF-8 (byte ke-%d)") % (offset + exc.start))
            )
            yield ""  # keeps csv's line count in step with the file
        offset += len(raw)


def _rows(path: Path, errors: list[RowError]) -> Iterator[_Row]:
    with path.open("rb") as handle:
        reader = csv.reader(_decoded_lines(handle, errors))
        try:
            header = next(reader, None)
        except csv.Error as exc:
            errors.append(RowError(1, "-", _("CSV rusak: %s") % exc))
            return
        if header is None or (not header and errors):
            if not errors:
                errors.append(RowError(1, "-", _("berkas kosong")))
            return
        if [h.strip().lower() for h in header] != HEADER:
            errors.append(
                RowError(
                    1,
                    "-",
                    _("kepala kolom harus %(expected)s, ditemukan %(found)s")
                    % {"expected": ",".join(HEADER), "found": ",".join(header)},
                )
            )
            return
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                errors.append(RowError(reader.line_num, "-", _("CSV rusak: %s") % exc))
                return
            line = reader.line_num
            if not values:
                continue
            if len(values) != len(HEADER):
                errors.append(RowError(line, "-", _("harus 3 kolom, ditemukan %d") % len(values)))
                continue
            code, name, level = (v.strip() for v in values)
            if not _CODE.match(code):
                errors.append(
                    RowError(line, "code", _("kode %r tidak sesuai format PP.KK.CC.DDDD") % code)
                )
                continue
            expected = LEVEL_BY_PARTS[code.count(".") + 1]
            if level != expected:
                errors.append(
                    RowError(
                        line,
                        "level",
                        _(
                            "tingkat %(level)r tidak cocok dengan kode %(code)s "
                            "(seharusnya %(expected)s)"
                        )
                        % {"level": level, "code": code, "expected": expected.value},
                    )
                )
                continue
            if not name:
                errors.append(RowError(line, "name", _("nama kosong")))
                continue
            if len(name) > NAME_MAX_LENGTH:
                errors.append(RowError(line, "name", _("nama terlalu panjang")))
                continue
            yield _Row(line, code, name, level)


def regions_import(*, path: Path, actor: AbstractBaseUser | None = None) -> RegionImportSummary:
    """Import a ``code,name,level`` region list (kemendagri-2025.csv format).

    Idempotent: a second run of the same file changes nothing. The file is
    checked whole before anything is written; any bad row refuses the whole file
    with RegionImportError listing up to MAX_ERRORS problems by line and column.
    Regions missing from the file are kept (other rows may refer to them) and
    counted in ``not_in_file``.
    """
    summary = RegionImportSummary(sha256=file_sha256(path))
    existing: dict[str, tuple[str, str]] = {
        code: (name, level)
        for code, name, level in Region.objects.values_list("code", "name", "level")
    }
    errors: list[RowError] = []
    seen: set[str] = set()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in _rows(path, errors):
        summary.read += 1
        if row.code in seen:
            errors.append(RowError(row.line, "code", _("kode %s berulang") % row.code))
            continue
        parent = row.parent_code
        if parent is not None and parent not in seen and parent not in existing:
            errors.append(
                RowError(
                    row.line,
                    "code",
                    _("induk %s tidak ada di berkas maupun basis data") % parent,
                )
            )
            continue
        seen.add(row.code)
        summary.by_level[row.level] = summary.by_level.get(row.level, 0) + 1
        region = Region(code=row.code, name=row.name, level=row.level, parent_id=parent)
        current = existing.get(row.code)
        if current is None:
            to_create.append(region)
        elif current != (row.name, row.level):
            to_update.append(region)
        else:
            summary.unchanged += 1
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise RegionImportError(path, errors)
    if summary.read == 0:
        raise RegionImportError(path, [RowError(2, "-", _("tidak ada baris wilayah"))])

    with transaction.atomic():
        # The file is sorted so that parents precede children; bulk writes keep that order.
        to_create.sort(key=lambda r: (r.code.count("."), r.code))
        Region.objects.bulk_create(to_create, batch_size=BATCH)
        Region.objects.bulk_update(to_update, ["name", "level"], batch_size=BATCH)
        summary.created = len(to_create)
        summary.updated = len(to_update)
        summary.not_in_file = len(existing.keys() - seen)
        if summary.created or summary.updated:
            event_record(
                kind=GeoEvent.REGIONS_IMPORTED,
                actor=actor,
                params={
                    "file": path.name,
                    "sha256": summary.sha256,
                    "read": summary.read,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                },
            )
    return summary


__all__ = ["Level", "RegionImportError", "RegionImportSummary", "RowError", "regions_import"]
