"""Reading a roster of subjects (CSV or XLSX) into typed, checked rows.

The format is described in docs/registry-format.md. Nothing here writes; checks that
need the database (region codes, stored subjects) are made by the service.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

from netra.geo.models import CODE_REGEX
from netra.registry.models import ASN_KINDS, SECURITY_KINDS, SubjectKind

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# A 20 MB XLSX is compressed XML; past this, expanding it is an attack or a mistake.
MAX_XLSX_EXPANDED_BYTES = 400 * 1024 * 1024

# Column keys in the order errors are reported; the header is matched after _header_key().
COLUMNS = (
    "nama",
    "jenis",
    "nip",
    "nrp",
    "jabatan",
    "instansi",
    "kode_wilayah_instansi",
    "kode_wilayah_kerja",
    "catatan",
)
REQUIRED_COLUMNS = ("nama", "jenis", "kode_wilayah_kerja")
# Spreadsheet numbering columns, read and ignored.
IGNORED_COLUMNS = frozenset({"no", "nomor"})
MAX_LENGTH = {"nama": 200, "jabatan": 250, "instansi": 250}

KIND_BY_NAME = {
    "pns": SubjectKind.PNS,
    "pppk": SubjectKind.PPPK,
    "kepala desa": SubjectKind.VILLAGE_HEAD,
    "kades": SubjectKind.VILLAGE_HEAD,
    "perangkat desa": SubjectKind.VILLAGE_OFFICIAL,
    "bpd": SubjectKind.BPD,
    "anggota bpd": SubjectKind.BPD,
    "tni": SubjectKind.TNI,
    "polri": SubjectKind.POLRI,
}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Cell = str | int | float | bool | date | time | None


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (header = 1; None for the whole file), column, reason."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("baris %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class RosterImportError(Exception):
    """The roster cannot be imported; ``errors`` lists every problem, by row and column."""

    def __init__(self, path: Path, errors: list[RowError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(
            _("%(file)s tidak dapat diimpor: %(count)d kesalahan.")
            % {"file": path.name, "count": len(errors)}
        )


@dataclass(frozen=True)
class RosterRow:
    """One valid data row. Optional fields are None when the file has no such column."""

    row: int
    kind: SubjectKind
    full_name: str
    nip: str
    nrp: str
    position: str | None
    agency_name: str
    agency_region: str
    workplace: str
    notes: str | None


@dataclass(frozen=True)
class RegionRef:
    """A region code written in a row: the database must know it."""

    row: int
    column: str
    code: str


@dataclass
class ParsedRoster:
    """Rows that passed the checks made without the database, and the errors of the others."""

    sha256: str
    rows_read: int
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    regions: list[RegionRef] = field(default_factory=list)


class _FileError(Exception):
    def __init__(self, reason: str, row: int | None = None) -> None:
        super().__init__(reason)
        self.row = row


# --- reading raw rows --------------------------------------------------------------------


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _csv_rows(raw: bytes) -> Iterator[list[Cell]]:
    if raw.startswith(_ZIP_MAGIC):
        raise _FileError(
            _(
                "berkas .csv ini sebenarnya buku kerja Excel (.xlsx); ganti ekstensinya menjadi "
                ".xlsx atau simpan ulang sebagai CSV UTF-8"
            )
        )
    if raw.startswith(_OLE_MAGIC):
        raise _FileError(
            _(
                "berkas .csv ini sebenarnya buku kerja Excel lama (.xls); simpan ulang sebagai "
                "CSV UTF-8"
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileError(
            _("berkas berpengodean UTF-16 (Teks Unicode); simpan ulang sebagai CSV UTF-8")
        )
    if b"\x00" in raw:
        raise _FileError(_("berkas berisi data biner, bukan teks CSV"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _FileError(
            _(
                "berkas bukan UTF-8: byte 0x%(byte)02X pada posisi %(offset)d (baris %(line)d) "
                'tidak sah; simpan ulang dari Excel sebagai "CSV UTF-8 (dibatasi koma)"'
            )
            % {"byte": raw[exc.start], "offset": exc.start, "line": line},
            row=line,
        ) from None
    header_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with semicolons; pick what the header uses.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise _FileError(
            _("CSV tidak sah setelah baris %(row)d (tanda kutip tidak ditutup?)")
            % {"row": reader.line_num},
            row=reader.line_num,
        ) from None


def _xlsx_rows(raw: bytes) -> Iterator[list[Cell]]:
    if not raw.startswith(_ZIP_MAGIC):
        if raw.startswith(_OLE_MAGIC):
            reason = _("berkas ini buku kerja Excel lama (.xls); simpan ulang sebagai .xlsx")
        elif _looks_like_text(raw[:4096]):
            reason = _(
                "berkas .xlsx ini bukan buku kerja Excel: isinya teks (CSV?); ganti ekstensinya "
                "menjadi .csv atau simpan ulang sebagai .xlsx"
            )
        else:
            reason = _("berkas .xlsx ini bukan buku kerja Excel (bukan arsip ZIP)")
        raise _FileError(reason)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _FileError(_("berkas .xlsx ini rusak (arsip ZIP tidak utuh)")) from None
    if "xl/workbook.xml" not in names:
        raise _FileError(_("berkas .xlsx ini arsip ZIP tetapi bukan buku kerja Excel"))
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise _FileError(
            _("isi buku kerja terlalu besar setelah diekstrak (%(size)d byte)") % {"size": expanded}
        )
    # Imported here: openpyxl costs every process that loads Django ~10 MB otherwise.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) on bad files
        raise _FileError(
            _("buku kerja Excel ini tidak dapat dibaca (rusak atau tidak lengkap)")
        ) from None
    try:
        if not workbook.worksheets:
            raise _FileError(_("buku kerja tidak memiliki lembar kerja"))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                values = next(rows, None)
            except Exception:  # a damaged sheet fails while it is streamed, not when opened
                raise _FileError(
                    _("lembar kerja pertama rusak dan tidak dapat dibaca sampai habis")
                ) from None
            if values is None:
                return
            # Anything else openpyxl may give (a duration, an error code) is read as its text.
            yield [
                v if v is None or isinstance(v, (str, int, float, date, time)) else str(v)
                for v in values
            ]
    finally:
        workbook.close()


# --- cells into values ---------------------------------------------------------------------


def _header_key(value: Cell) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[\s_\-.]+", "_", text.strip().casefold()).strip("_")


def _is_blank(values: list[Cell]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class _CellError(Exception):
    pass


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _CellError(_("berisi nilai benar/salah, bukan teks"))
    if isinstance(value, (datetime, date, time)):
        raise _CellError(_("berisi tanggal atau waktu, bukan teks"))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return " ".join(str(value).split())


def _digits(value: Cell, label: str) -> str:
    if isinstance(value, float):
        # Excel keeps numbers as doubles: an 18-digit NIP typed as a number loses its last digits.
        raise _CellError(
            _(
                "%(label)s tersimpan sebagai angka sehingga digitnya bisa berubah; format kolom "
                "sebagai Teks di Excel lalu ketik ulang"
            )
            % {"label": label}
        )
    text = _text(value).replace(" ", "")
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
        raise _CellError(
            _(
                "%(label)s tertulis dalam notasi ilmiah (%(value)s); format kolom sebagai Teks "
                "di Excel lalu ketik ulang"
            )
            % {"label": label, "value": text}
        )
    return text


def _code(value: Cell) -> str:
    if isinstance(value, float):
        # 35.10 typed as a number is 35.1: the code cannot be recovered.
        raise _CellError(
            _("kode wilayah tersimpan sebagai angka; format kolom sebagai Teks di Excel")
        )
    code = _text(value)
    if code and not re.fullmatch(CODE_REGEX, code):
        raise _CellError(
            _("kode wilayah %(code)s tidak berbentuk PP, PP.KK, PP.KK.CC atau PP.KK.CC.DDDD")
            % {"code": code}
        )
    return code


def _kind(value: Cell) -> SubjectKind:
    name = re.sub(r"[\s_\-]+", " ", _text(value).casefold()).strip()
    if not name:
        raise _CellError(_("wajib diisi"))
    if name not in KIND_BY_NAME:
        raise _CellError(
            _(
                "jenis %(value)s tidak dikenal; gunakan PNS, PPPK, Kepala Desa, Perangkat Desa, "
                "BPD, TNI atau Polri"
            )
            % {"value": _text(value)}
        )
    return KIND_BY_NAME[name]


# --- the whole file ---------------------------------------------------------------------------


def _header(values: list[Cell]) -> tuple[dict[str, int], list[RowError]]:
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(values):
        key = _header_key(value)
        if not key or key in IGNORED_COLUMNS:
            continue
        if key not in COLUMNS:
            errors.append(
                RowError(
                    1,
                    str(value).strip(),
                    _("kolom tidak dikenal; kolom yang dikenal: %(known)s")
                    % {"known": ", ".join(COLUMNS)},
                )
            )
        elif key in columns:
            errors.append(RowError(1, key, _("kolom muncul lebih dari sekali")))
        else:
            columns[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            errors.append(RowError(1, key, _("kolom wajib tidak ada di baris judul")))
    return columns, errors


@dataclass(frozen=True)
class _Identity:
    """What tells one row's person apart inside the file, when those cells are readable."""

    row: int
    key: tuple[str, ...]
    column: str
    value: str


def _identity(
    number: int, kind: SubjectKind | None, row: dict[str, str], errors: list[RowError]
) -> _Identity | None:
    bad = {e.column for e in errors}
    if row["nip"] and "nip" not in bad:
        return _Identity(number, ("nip", row["nip"]), "nip", row["nip"])
    if kind is None or row["nip"] or "nrp" in bad:
        return None
    if row["nrp"]:
        return _Identity(number, ("nrp", kind, row["nrp"]), "nrp", row["nrp"])
    if not row["nama"] or bad & {"instansi", "kode_wilayah_instansi"}:
        return None
    key = ("name", kind, row["nama"], row["kode_wilayah_instansi"], row["instansi"].casefold())
    return _Identity(number, key, "nama", row["nama"])


@dataclass(frozen=True)
class _RowResult:
    row: RosterRow | None
    errors: list[RowError]
    identity: _Identity | None
    # Well-formed region codes of the row, valid or not, so that every error is reported.
    regions: list[RegionRef]


def _row(number: int, values: list[Cell], columns: dict[str, int]) -> _RowResult:
    errors: list[RowError] = []

    def cell(key: str) -> Cell:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def read(key: str, convert: Callable[[Cell], str]) -> str:
        try:
            return convert(cell(key))
        except _CellError as exc:
            errors.append(RowError(number, key, str(exc)))
            return ""

    name = read("nama", _text)
    if not name and not any(e.column == "nama" for e in errors):
        errors.append(RowError(number, "nama", _("wajib diisi")))
    kind: SubjectKind | None = None
    try:
        kind = _kind(cell("jenis"))
    except _CellError as exc:
        errors.append(RowError(number, "jenis", str(exc)))
    nip = read("nip", lambda v: _digits(v, "NIP"))
    nrp = read("nrp", lambda v: _digits(v, "NRP"))
    position = read("jabatan", _text)
    agency = read("instansi", _text)
    agency_region = read("kode_wilayah_instansi", _code)
    workplace = read("kode_wilayah_kerja", _code)
    notes = read("catatan", _text)

    for key, value in (("nama", name), ("jabatan", position), ("instansi", agency)):
        if len(value) > MAX_LENGTH[key]:
            errors.append(
                RowError(
                    number,
                    key,
                    _("paling banyak %(max)d karakter (tertulis %(length)d)")
                    % {"max": MAX_LENGTH[key], "length": len(value)},
                )
            )
    if nip:
        if not re.fullmatch(r"\d{18}", nip):
            errors.append(
                RowError(
                    number,
                    "nip",
                    _("NIP harus 18 digit angka (tertulis %(value)s, %(length)d karakter)")
                    % {"value": nip, "length": len(nip)},
                )
            )
        elif kind is not None and kind not in ASN_KINDS:
            errors.append(
                RowError(
                    number,
                    "nip",
                    _("NIP hanya untuk PNS dan PPPK, bukan %(kind)s") % {"kind": kind.label},
                )
            )
    if nrp:
        if not re.fullmatch(r"\d{5,20}", nrp):
            errors.append(
                RowError(
                    number,
                    "nrp",
                    _("NRP harus 5 sampai 20 digit angka (tertulis %(value)s)") % {"value": nrp},
                )
            )
        elif kind is not None and kind not in SECURITY_KINDS:
            errors.append(
                RowError(
                    number,
                    "nrp",
                    _("NRP hanya untuk TNI dan Polri, bukan %(kind)s") % {"kind": kind.label},
                )
            )
    if (
        agency
        and not agency_region
        and not any(e.column == "kode_wilayah_instansi" for e in errors)
    ):
        errors.append(
            RowError(number, "kode_wilayah_instansi", _("wajib diisi bila instansi diisi"))
        )
    if agency_region and not agency:
        errors.append(
            RowError(number, "instansi", _("wajib diisi bila kode_wilayah_instansi diisi"))
        )
    if not workplace and not any(e.column == "kode_wilayah_kerja" for e in errors):
        errors.append(RowError(number, "kode_wilayah_kerja", _("wajib diisi")))
    identity = _identity(
        number,
        kind,
        {
            "nama": name,
            "nip": nip,
            "nrp": nrp,
            "instansi": agency,
            "kode_wilayah_instansi": agency_region,
        },
        errors,
    )
    regions = [
        RegionRef(number, column, code)
        for column, code in (
            ("kode_wilayah_instansi", agency_region),
            ("kode_wilayah_kerja", workplace),
        )
        if code
    ]
    if errors or kind is None:
        return _RowResult(None, errors, identity, regions)
    valid = RosterRow(
        row=number,
        kind=kind,
        full_name=name,
        nip=nip,
        nrp=nrp,
        position=position if "jabatan" in columns else None,
        agency_name=agency,
        agency_region=agency_region,
        workplace=workplace,
        notes=notes if "catatan" in columns else None,
    )
    return _RowResult(valid, errors, identity, regions)


def _duplicates(identities: list[_Identity]) -> list[RowError]:
    reasons = {
        "nip": _("NIP %(value)s sudah dipakai di baris %(other)d"),
        "nrp": _("NRP %(value)s sudah dipakai di baris %(other)d"),
        "nama": _(
            "%(value)s dengan jenis dan instansi yang sama sudah ada di baris %(other)d; "
            "bedakan dengan NIP atau NRP"
        ),
    }
    errors: list[RowError] = []
    seen: dict[tuple[str, ...], int] = {}
    for identity in identities:
        if identity.key in seen:
            reason = reasons[identity.column] % {
                "value": identity.value,
                "other": seen[identity.key],
            }
            errors.append(RowError(identity.row, identity.column, reason))
        else:
            seen[identity.key] = identity.row
    return errors


def row_error_order(error: RowError) -> tuple[int, int]:
    """Sort key for errors: file-level first, then by row, then by column as documented."""
    order = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.row or 0, order)


def roster_parse(path: Path) -> ParsedRoster:
    """Read a roster file and check every row without touching the database.

    Raises ``RosterImportError`` for a file that cannot be read at all (wrong type,
    encoding, size, header). Otherwise returns the valid rows and the errors of the
    others; the caller decides (all or nothing).
    """
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise RosterImportError(
            path, [RowError(None, "", _("format .xls lama tidak didukung; simpan sebagai .xlsx"))]
        )
    if suffix not in {".csv", ".xlsx"}:
        raise RosterImportError(
            path,
            [
                RowError(
                    None,
                    "",
                    _("jenis berkas %(suffix)s tidak didukung; gunakan .csv atau .xlsx")
                    % {"suffix": suffix or _("(tanpa ekstensi)")},
                )
            ],
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _FileError(
                _("berkas berukuran %(size)d byte, melebihi batas %(limit)d byte (20 MB)")
                % {"size": size, "limit": MAX_FILE_BYTES}
            )
        raw = path.read_bytes()
    except OSError:
        raise RosterImportError(
            path, [RowError(None, "", _("berkas %(file)s tidak dapat dibaca") % {"file": path})]
        ) from None
    except _FileError as exc:
        raise RosterImportError(path, [RowError(exc.row, "", str(exc))]) from None

    parsed = ParsedRoster(sha256=hashlib.sha256(raw).hexdigest(), rows_read=0)
    rows = _csv_rows(raw) if suffix == ".csv" else _xlsx_rows(raw)
    identities: list[_Identity] = []
    try:
        header = next(rows, None)
        if header is None or _is_blank(header):
            raise _FileError(_("baris pertama harus berisi judul kolom, tetapi kosong"), row=1)
        columns, header_errors = _header(header)
        if header_errors:
            raise RosterImportError(path, header_errors)
        for number, values in enumerate(rows, start=2):
            if _is_blank(values):
                continue
            parsed.rows_read += 1
            if parsed.rows_read > MAX_ROWS:
                raise _FileError(
                    _("berkas berisi lebih dari %(max)d baris data; pecah menjadi beberapa berkas")
                    % {"max": MAX_ROWS}
                )
            extra = [v for v in values[len(header) :] if v not in (None, "")]
            if extra:
                parsed.errors.append(
                    RowError(
                        number,
                        "",
                        _("baris berisi %(cells)d sel, lebih banyak dari judul kolom (%(columns)d)")
                        % {"cells": len(values), "columns": len(header)},
                    )
                )
                continue
            result = _row(number, values, columns)
            if result.row is not None:
                parsed.rows.append(result.row)
            parsed.errors.extend(result.errors)
            parsed.regions.extend(result.regions)
            if result.identity is not None:
                identities.append(result.identity)
    except _FileError as exc:
        raise RosterImportError(path, [RowError(exc.row, "", str(exc))]) from None
    if parsed.rows_read == 0:
        raise RosterImportError(path, [RowError(None, "", _("berkas tidak berisi baris data"))])
    parsed.errors.extend(_duplicates(identities))
    parsed.errors.sort(key=row_error_order)
    return parsed
