"""Reading CSV tables, row by row and byte by byte accountable, for the source parsers.

``open_table`` (or the generator ``read_table``) reads a CSV/TSV export the way a
spreadsheet saves it: UTF-8 with or without a byte-order mark, comma, semicolon (Excel in an
Indonesian locale) or tab separated, CRLF or LF line endings, quoted cells that may span
lines. It reads one physical line at a time, so memory stays constant whatever the file's
size: no row may be longer than ``MAX_ROW_BYTES`` and no cell longer than the ``csv``
module's field limit (131,072 characters by default).

Every row says where it is: ``line`` is the 1-based physical line the row starts on (a
quoted cell spanning lines does not shift the rows after it out of step with an editor),
``offset`` the byte offset of its first byte (a BOM counts), and ``raw`` its exact bytes
without the final line ending, for quarantine.

What is refused, and how:

* the whole file (``UnrecognisedFormat``, raised before any row is yielded): an empty file,
  a binary file (NUL bytes in the header, ZIP, gzip, UTF-16), a header that is not UTF-8
  text or not a readable CSV line, a header missing a ``required`` column, or a file whose
  first ``MAX_PROBLEMS_BEFORE_FIRST_ROW`` rows all fail;
* one row (a ``ParseProblem`` naming its line and offset; reading goes on): a row with
  bytes that are not UTF-8 (Windows-1252/Latin-1 saved by Excel; the offset is that of the
  first bad byte), a NUL byte, more or fewer cells than the header, a row longer than
  ``MAX_ROW_BYTES``, a cell longer than the field limit, a quote left open or text after a
  closing quote.

Blank rows (nothing but separators and spaces) are skipped; they keep their line numbers.

The helpers at the end read cell values as spreadsheets write them: ``parse_time``
(ISO 8601, ``2024-10-01 08:15:00`` with a declared default zone, WIB/WITA/WIT, unix
seconds), ``parse_count`` (``1234``, ``1.234``, ``1,234``) and ``parse_flag``. They raise
``RecordError`` (from ``reading``) with an Indonesian reason, like the JSON getters.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import IO

from django.utils.translation import gettext as _

from netra.social.sources.reading import BOM, RecordError
from netra.social.sources.records import ParseProblem, UnrecognisedFormat

# A longer row is a ParseProblem, read past without being held in memory.
MAX_ROW_BYTES = 1024 * 1024

# A file whose first rows all fail is not a table of this format (or not text at all).
MAX_PROBLEMS_BEFORE_FIRST_ROW = 100

DELIMITERS = (",", ";", "\t")

# Western Indonesia Time, the zone most Indonesian exports are written in.
WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

_ZONE_NAMES: dict[str, tzinfo] = {"UTC": UTC, "GMT": UTC, "WIB": WIB, "WITA": WITA, "WIT": WIT}

_BINARY_MAGIC = {
    b"PK\x03\x04": "ZIP",
    b"\x1f\x8b": "gzip",
    b"\xd0\xcf\x11\xe0": "OLE (Excel .xls)",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"%PDF": "PDF",
}

_KEY_SEPARATORS = re.compile(r"[\s_\-.]+")


def header_key(name: str) -> str:
    """A column name as a key: trimmed, case-folded, runs of space ``_ - .`` made one ``_``.

    ``" Post Created "``, ``"post-created"`` and ``"POST_CREATED"`` all give
    ``"post_created"``. A key never starts or ends with ``_``.
    """
    return _KEY_SEPARATORS.sub("_", name.strip().casefold()).strip("_")


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row: where it starts, its exact bytes, and its cells by column key.

    ``cells`` maps every column key of the header to the row's cell, exactly as written
    (not trimmed); ``names`` maps each key to the column name as the header wrote it.
    """

    line: int
    offset: int
    raw: bytes = field(repr=False)
    cells: Mapping[str, str]
    names: Mapping[str, str] = field(repr=False)

    def get(self, key: str) -> str:
        """The cell of that column without surrounding spaces; ``""`` if the column is absent."""
        return self.cells.get(key, "").strip()

    def has(self, key: str) -> bool:
        """Whether the header has that column (the cell may still be empty)."""
        return key in self.cells

    def problem(self, reason: str, *, column: str = "") -> ParseProblem:
        """A ParseProblem for this row, located at the named column key when given."""
        path = ""
        if column:
            path = _("kolom %(column)s") % {"column": self.names.get(column, column)}
        return ParseProblem(
            reason=reason, line=self.line, offset=self.offset, path=path, raw=self.raw
        )


class _Oversized(Exception):
    """A row outgrew MAX_ROW_BYTES; its start and what was kept of it (bounded)."""

    def __init__(self, line: int, offset: int, size: int, raw: bytes) -> None:
        super().__init__(line, offset, size)
        self.line = line
        self.offset = offset
        self.size = size
        self.raw = raw


class _Lines:
    """The file's physical lines as text for ``csv.reader``, remembering the current row's bytes.

    ``csv.reader`` pulls exactly the lines of one record before it returns it, so after
    each row ``take()`` hands over that row's first line, offset and bytes. Undecodable
    bytes are carried through as surrogates (they are never quotes or separators, so row
    boundaries stay right) and the row is reported instead of read.

    A failed record (too long, or refused by ``csv``) is read to its end before reading
    resumes: while the count of ``"`` in its bytes is odd a quoted cell is still open, so
    the lines that follow belong to it. This keeps one bad row one problem instead of
    turning every line of a long quoted cell into a row of its own.
    """

    def __init__(self, stream: IO[bytes], max_row_bytes: int) -> None:
        self._stream = stream
        self._max = max_row_bytes
        self.number = 0
        self.offset = 0
        self._pending: list[bytes] = []
        self._size = 0
        self._quotes = 0
        self._start_line = 0
        self._start_offset = 0
        self._bad: ParseProblem | None = None
        self._pushed: bytes | None = None

    def peek(self) -> bytes:
        """The next physical line without consuming it (``b""`` at the end)."""
        if self._pushed is None:
            self._pushed = self._read()
        return self._pushed

    def skip(self) -> None:
        """Consume the peeked line without giving it to the reader (``sep=;``, blank)."""
        line = self.peek()
        self._pushed = None
        self.number += 1
        self.offset += len(line)

    def _read(self) -> bytes:
        line = self._stream.readline(self._max + 1)
        if len(line) > self._max and not line.endswith(b"\n"):
            self._overflow(line)
        return line

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._pushed is not None:
            line, self._pushed = self._pushed, None
        else:
            line = self._read()
        if not line:
            raise StopIteration
        self.number += 1
        start = self.offset
        self.offset += len(line)
        if self.number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
            start += len(BOM)
        if not self._pending:
            self._start_line = self.number
            self._start_offset = start
        self._pending.append(line)
        self._size += len(line)
        self._quotes += line.count(b'"')
        if self._size > self._max:
            self._overflow(b"")
        if self._bad is None and b"\x00" in line:
            self._bad = ParseProblem(
                reason=_("baris berisi byte NUL (data biner), bukan teks"),
                line=self.number,
                offset=start + line.index(b"\x00"),
            )
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as error:
            if self._bad is None:
                self._bad = ParseProblem(
                    reason=_not_utf8(line[error.start]),
                    line=self.number,
                    offset=start + error.start,
                )
            return line.decode("utf-8", "surrogateescape")

    def _overflow(self, partial: bytes) -> None:
        """Read past the rest of an over-long record, keeping its start only; raise _Oversized.

        ``partial`` is the start of a line not yet counted (read without its end).
        """
        if self._pending:
            start_line, start_offset = self._start_line, self._start_offset
        else:
            start_line, start_offset = self.number + 1, self.offset
        kept = (b"".join(self._pending) + partial)[: self._max]
        size = self._size + len(partial)
        self.offset += len(partial)
        self._quotes += partial.count(b'"')
        size += self._read_to_record_end(line_open=bool(partial))
        self._reset()
        raise _Oversized(start_line, start_offset, size, kept)

    def finish_record(self) -> bool:
        """After ``csv`` refused a record, read on to its end; False if a quote never closed."""
        kept = self._max - self._size
        before = self.offset
        self._read_to_record_end(line_open=False, keep=kept)
        self._size += self.offset - before
        return self._quotes % 2 == 0

    def _read_to_record_end(self, *, line_open: bool, keep: int = 0) -> int:
        """Consume lines until one ends with the quotes balanced; the bytes read.

        Up to ``keep`` of those bytes join the pending record; the rest are only counted.
        """
        size = 0
        while line_open or self._quotes % 2:
            chunk = self._stream.readline(self._max)
            if not chunk:
                if line_open:
                    self.number += 1
                break
            size += len(chunk)
            self.offset += len(chunk)
            self._quotes += chunk.count(b'"')
            if keep > 0:
                self._pending.append(chunk[:keep])
                keep -= len(chunk)
            line_open = not chunk.endswith(b"\n")
            if not line_open:
                self.number += 1
        return size

    def take(self) -> tuple[int, int, bytes, ParseProblem | None]:
        """The current row's first line, offset, bytes (final line ending cut) and its fault."""
        raw = b"".join(self._pending)
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        taken = (self._start_line, self._start_offset, raw, self._bad)
        self._reset()
        return taken

    def _reset(self) -> None:
        self._pending = []
        self._size = 0
        self._quotes = 0
        self._bad = None


def _not_utf8(byte: int) -> str:
    return _(
        'bukan teks UTF-8 (byte 0x%(byte)02X); simpan ulang dari Excel sebagai "CSV UTF-8"'
    ) % {"byte": byte}


def _unclosed_quote() -> str:
    return _("tanda kutip pembuka sel tidak pernah ditutup")


def _csv_reason(error: csv.Error) -> str:
    message = str(error)
    if message.startswith("field larger than field limit"):
        return _("sel lebih panjang dari %(limit)d karakter") % {"limit": csv.field_size_limit()}
    if message == "unexpected end of data":
        return _unclosed_quote()
    if message.endswith("expected after '\"'"):
        return _('ada teks setelah tanda kutip penutup sel (kutip di dalam sel harus ditulis "")')
    return _("baris CSV tidak sah: %(error)s") % {"error": message}


def _detect_delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique_keys(names: list[str], normalise: Callable[[str], str]) -> tuple[str, ...]:
    """Keys for header cells: an empty name becomes ``_<column>``, a repeat gets ``_2``, ``_3``."""
    keys: list[str] = []
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        base = normalise(name) or f"_{column}"
        key, count = base, 1
        while key in seen:
            count += 1
            key = f"{base}_{count}"
        seen.add(key)
        keys.append(key)
    return tuple(keys)


class Table:
    """A CSV file whose header has been read; iterate it for its rows.

    Built by ``open_table``. ``keys`` are the column keys in file order, ``names`` maps
    each key to the header cell as written, ``delimiter`` is the separator in use and
    ``header_line``/``header_raw`` locate the header itself. Iterating yields a
    ``TableRow`` or a ``ParseProblem`` per non-blank row, once; it may raise
    ``UnrecognisedFormat`` when the first ``MAX_PROBLEMS_BEFORE_FIRST_ROW`` rows all fail.
    """

    def __init__(
        self,
        lines: _Lines,
        *,
        delimiter: str,
        keys: tuple[str, ...],
        names: dict[str, str],
        header_line: int,
        header_raw: bytes,
        format_label: str,
    ) -> None:
        self._lines = lines
        self.delimiter = delimiter
        self.keys = keys
        self.names: Mapping[str, str] = names
        self.header_line = header_line
        self.header_raw = header_raw
        self._format_label = format_label

    def __iter__(self) -> Iterator[TableRow | ParseProblem]:
        held: list[ParseProblem] = []
        confirmed = False
        for result in self._rows():
            if isinstance(result, ParseProblem) and not confirmed:
                held.append(result)
                if len(held) >= MAX_PROBLEMS_BEFORE_FIRST_ROW:
                    raise UnrecognisedFormat(
                        _(
                            "%(count)d baris data pertama tidak terbaca; ini bukan %(format)s. "
                            "Masalah pertama (%(where)s): %(reason)s"
                        )
                        % {
                            "count": len(held),
                            "format": self._format_label,
                            "where": held[0].where,
                            "reason": held[0].reason,
                        }
                    )
                continue
            if not confirmed:
                confirmed = True
                yield from held
                held.clear()
            yield result
        yield from held

    def _rows(self) -> Iterator[TableRow | ParseProblem]:
        width = len(self.keys)
        while True:
            reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
            try:
                for cells in reader:
                    line, offset, raw, fault = self._lines.take()
                    if fault is not None:
                        yield ParseProblem(
                            reason=fault.reason, line=fault.line, offset=fault.offset, raw=raw
                        )
                    elif all(not cell.strip() for cell in cells):
                        continue
                    elif len(cells) != width:
                        yield ParseProblem(
                            reason=_(
                                "baris berisi %(count)d sel, padahal kepala tabel punya "
                                "%(width)d kolom"
                            )
                            % {"count": len(cells), "width": width},
                            line=line,
                            offset=offset,
                            raw=raw,
                        )
                    else:
                        yield TableRow(
                            line=line,
                            offset=offset,
                            raw=raw,
                            cells=dict(zip(self.keys, cells, strict=True)),
                            names=self.names,
                        )
                return
            except _Oversized as error:
                yield _oversized_problem(error)
            except csv.Error as error:
                closed = self._lines.finish_record()
                line, offset, raw, fault = self._lines.take()
                reason = _csv_reason(error) if closed else _unclosed_quote()
                yield ParseProblem(
                    reason=fault.reason if fault else reason,
                    line=fault.line if fault else line,
                    offset=fault.offset if fault else offset,
                    raw=raw,
                )


def _oversized_problem(error: _Oversized) -> ParseProblem:
    return ParseProblem(
        reason=_(
            "baris lebih panjang dari %(limit)d byte (%(size)d byte atau lebih); "
            "mungkin ada tanda kutip yang tidak ditutup"
        )
        % {"limit": MAX_ROW_BYTES, "size": error.size},
        line=error.line,
        offset=error.offset,
        raw=error.raw[:MAX_ROW_BYTES],
    )


def open_table(
    stream: IO[bytes],
    *,
    format_label: str,
    required: Collection[str] = (),
    normalise: Callable[[str], str] = header_key,
    delimiter: str | None = None,
    max_row_bytes: int = MAX_ROW_BYTES,
) -> Table:
    """Read the header of a CSV file and return the ``Table`` to iterate for its rows.

    The header is the first non-blank row; an Excel ``sep=;`` line before it is honoured.
    Column keys are ``normalise(name)`` (``header_key`` by default; pass ``str.strip`` to
    keep names as written); an empty name gets the key ``_<column number>`` and a repeated
    one ``<key>_2``, ``<key>_3``, so no cell is lost. ``delimiter`` (default: the one of
    ``,`` ``;`` tab the header line holds most, else ``,``) fixes the separator.

    Raises ``UnrecognisedFormat``, naming ``format_label``, when the file is empty or
    binary, the header is not UTF-8 text or not a readable CSV row, or a key in
    ``required`` is not among the column keys. Reads only the header's lines.
    """
    lines = _Lines(stream, max_row_bytes)
    try:
        first = lines.peek()
        _refuse_binary(first, format_label)
        while first.strip(b" \t\r\n") in (b"", BOM):
            if not first:
                raise UnrecognisedFormat(
                    _("Berkas kosong; ini bukan %(format)s.") % {"format": format_label}
                )
            lines.skip()
            first = lines.peek()
        text = first.removeprefix(BOM).decode("utf-8", "replace").rstrip("\r\n")
        declared = re.fullmatch(r"sep=(.)", text)
        if declared and declared[1] in DELIMITERS:
            lines.skip()
            delimiter = delimiter or declared[1]
            text = lines.peek().removeprefix(BOM).decode("utf-8", "replace")
        delimiter = delimiter or _detect_delimiter(text)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        names = next(reader, None)
    except _Oversized:
        raise UnrecognisedFormat(
            _("Baris kepala tabel lebih panjang dari %(limit)d byte; ini bukan %(format)s.")
            % {"limit": max_row_bytes, "format": format_label}
        ) from None
    except csv.Error as error:
        raise UnrecognisedFormat(
            _("Baris kepala tabel tidak terbaca sebagai CSV (%(reason)s); ini bukan %(format)s.")
            % {"reason": _csv_reason(error), "format": format_label}
        ) from None
    if names is None:
        raise UnrecognisedFormat(
            _("Berkas kosong; ini bukan %(format)s.") % {"format": format_label}
        )
    header_line, _offset, header_raw, fault = lines.take()
    if fault is not None:
        raise UnrecognisedFormat(
            _("Kepala tabel (%(where)s) %(reason)s; ini bukan %(format)s.")
            % {"where": fault.where, "reason": fault.reason, "format": format_label}
        )
    keys = _unique_keys(names, normalise)
    missing = [key for key in required if key not in keys]
    if missing:
        raise UnrecognisedFormat(
            _("Kolom %(missing)s tidak ada; ini bukan %(format)s. Kolom yang ada: %(seen)s.")
            % {
                "missing": ", ".join(sorted(missing)),
                "format": format_label,
                "seen": ", ".join(name.strip() for name in names[:20])
                + (", …" if len(names) > 20 else ""),
            }
        )
    return Table(
        lines,
        delimiter=delimiter,
        keys=keys,
        names={key: name.strip() or key for key, name in zip(keys, names, strict=True)},
        header_line=header_line,
        header_raw=header_raw,
        format_label=format_label,
    )


def read_table(
    stream: IO[bytes],
    *,
    format_label: str,
    required: Collection[str] = (),
    normalise: Callable[[str], str] = header_key,
    delimiter: str | None = None,
) -> Iterator[TableRow | ParseProblem]:
    """Yield each non-blank data row of a CSV file as a ``TableRow`` or a ``ParseProblem``.

    The generator form of ``open_table`` (same arguments and refusals; the header is read,
    and ``UnrecognisedFormat`` raised, on the first ``next()``). Use ``open_table`` when
    the parser must see the header's columns before the rows.
    """
    yield from open_table(
        stream,
        format_label=format_label,
        required=required,
        normalise=normalise,
        delimiter=delimiter,
    )


def _refuse_binary(first: bytes, format_label: str) -> None:
    for magic, kind in _BINARY_MAGIC.items():
        if first.startswith(magic):
            raise UnrecognisedFormat(
                _("Berkas %(kind)s, bukan teks CSV; ini bukan %(format)s.")
                % {"kind": kind, "format": format_label}
            )
    if b"\x00" in first:
        raise UnrecognisedFormat(
            _("Berkas biner (berisi byte NUL), bukan teks CSV; ini bukan %(format)s.")
            % {"format": format_label}
        )


# --- cell values as spreadsheets write them; each raises RecordError -----------------------

_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<clock>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
    r"\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?"
)
_UNIX_SECONDS = re.compile(r"\d{9,10}(?:\.\d{1,9})?")


def parse_time(value: str, *, field: str, default_zone: tzinfo | None = None) -> datetime:
    """A time as spreadsheets and exports write it, as an aware datetime.

    Accepted (surrounding spaces ignored):

    * ISO 8601 with ``T`` or a space and a zone: ``2024-10-01T08:15:00+07:00``,
      ``2024-10-01 01:15:00Z``, ``2024-10-01 08:15:00 +0700``, fractions of a second;
    * the same with a zone name: ``UTC``, ``GMT``, ``WIB`` (+07:00), ``WITA`` (+08:00),
      ``WIT`` (+09:00);
    * the same without a zone (``2024-10-01 08:15:00``, ``2024-10-01 08:15``) only when
      ``default_zone`` is given, which it then means;
    * unix time in seconds: 9 or 10 digits, optionally with a fraction (``1727745300``).

    Refused with ``RecordError``: a date without a time, day-first or month-first dates
    (``01/10/2024``, which Excel writes by locale and cannot be told apart), unix
    milliseconds, other zone names, impossible dates.
    """
    text = value.strip()
    if _UNIX_SECONDS.fullmatch(text):
        return datetime.fromtimestamp(float(text), tz=UTC)
    match = _TIME.fullmatch(text)
    if match is None:
        raise RecordError(
            _(
                "waktu '%(value)s' di kolom '%(field)s' tidak terbaca; tulis seperti "
                "2024-10-01 08:15:00+07:00"
            )
            % {"value": value, "field": field}
        )
    zone_text = match["zone"]
    zone = default_zone if zone_text is None else parse_zone(zone_text, field=field)
    if zone is None:
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' tidak menyebut zona waktu")
            % {"value": value, "field": field}
        )
    try:
        naive = datetime.fromisoformat(f"{match['date']}T{match['clock'].replace(',', '.')}")
    except ValueError:
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' bukan tanggal yang ada")
            % {"value": value, "field": field}
        ) from None
    return naive.replace(tzinfo=zone)


_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2})(?::?(?P<minutes>\d{2}))?")


def parse_zone(value: str, *, field: str) -> tzinfo:
    """A time zone written as an offset (``+07:00``, ``+0700``, ``-03``, ``Z``) or a name.

    The names are ``UTC``, ``GMT``, ``WIB`` (+07:00), ``WITA`` (+08:00) and ``WIT``
    (+09:00), in any case; others (``EST``, ``Asia/Jakarta``) raise ``RecordError``.
    """
    text = value.strip()
    if text in ("Z", "z"):
        return UTC
    offset = _OFFSET.fullmatch(text)
    if offset is not None:
        delta = timedelta(hours=int(offset["hours"]), minutes=int(offset["minutes"] or 0))
        if delta >= timedelta(hours=24) or int(offset["minutes"] or 0) >= 60:
            raise RecordError(
                _("zona waktu '%(zone)s' di kolom '%(field)s' tidak mungkin")
                % {"zone": value, "field": field}
            )
        return timezone(-delta if offset["sign"] == "-" else delta)
    zone = _ZONE_NAMES.get(text.upper())
    if zone is None:
        raise RecordError(
            _(
                "zona waktu '%(zone)s' di kolom '%(field)s' tidak dikenal; gunakan "
                "+07:00, WIB, WITA, WIT atau UTC"
            )
            % {"zone": value, "field": field}
        )
    return zone


_COUNT_CHARS = 30  # 19 digits with their thousands separators, and a tool's ".0"
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[.,\u00a0 ])[0-9]{3}(?:(?P=sep)[0-9]{3})*")


def parse_count(value: str, *, field: str) -> int | None:
    """A non-negative count; None for an empty cell.

    Accepted: plain digits (``1234``), digits grouped by thousands with one separator used
    throughout (``1.234``, ``1,234``, ``1 234``, ``12.345.678``: a count is whole, so a
    ``.`` or ``,`` followed by exactly three digits is a thousands separator, as in
    Indonesian and English), and a whole number written as a decimal by a tool
    (``1234.0``). Refused with ``RecordError``: fractions (``1,5``), abbreviations
    (``1,2K``, ``3 rb``), negative numbers, mixed separators (``1.234,00``).
    """
    text = value.strip()
    if not text:
        return None
    if len(text) > _COUNT_CHARS:
        # Past any count a BIGINT holds (19 digits, grouped or not); int() of thousands of
        # digits would be refused by Python itself.
        raise RecordError(
            _("kolom '%(field)s' bukan bilangan yang masuk akal: %(digits)d karakter")
            % {"field": field, "digits": len(text)}
        )
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[^0-9]", "", text))
    whole = re.fullmatch(r"([0-9]+)\.0+", text)
    if whole:
        return int(whole[1])
    raise RecordError(
        _("kolom '%(field)s' bukan bilangan bulat: '%(value)s'") % {"field": field, "value": value}
    )


_TRUE = frozenset({"1", "true", "ya", "yes", "y", "benar"})
_FALSE = frozenset({"", "0", "false", "tidak", "no", "n", "salah"})


def parse_flag(value: str, *, field: str) -> bool:
    """A yes/no cell: ``1 true ya yes y benar`` or ``0 false tidak no n salah`` or empty (no)."""
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RecordError(
        _("kolom '%(field)s' harus ya/tidak (1/0, true/false), bukan '%(value)s'")
        % {"field": field, "value": value}
    )
