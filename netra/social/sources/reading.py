"""Reading JSON and JSON Lines files, byte by byte accountable, for the source parsers.

Every location a parser reports comes from here: line numbers count from 1, byte offsets
from the first byte of the file (a UTF-8 BOM included), so a quarantined record can be
found again with ``dd`` or an editor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import IO, Any

import pydantic_core
from django.utils.translation import gettext as _

from netra.social.sources.records import Parsed, ParseProblem, UnrecognisedFormat

BOM = b"\xef\xbb\xbf"

JsonObject = dict[str, Any]

_MALFORMED = object()
_TOO_DEEP = object()
_LONG = object()

# A JSONL file whose first lines are all unreadable is not a JSONL file of this format;
# stop after this many instead of buffering the problems of a whole binary file.
_MAX_PROBLEMS_BEFORE_FIRST_RECORD = 100

# How deep JSON may nest: pydantic-core's own limit. No platform's payload comes near it;
# a file nested deeper is hostile, and the json module would recurse until it crashes.
MAX_DEPTH = 200

# The longest JSON-Lines line read: a record per line (docs/ingest-format.md, Limits), or a
# whole API response per line (a page of 500 tweets with its users and media). A longer
# line is quarantined unread, and only its first bytes are kept.
RECORD_LINE_BYTES = 1 << 20
PAGE_LINE_BYTES = 16 << 20
_LONG_LINE_KEPT = 1 << 16


class RecordError(ValueError):
    """One record cannot be read; the message is the Indonesian reason."""


# What reading one odd record may raise. Parsers turn these into a ParseProblem for that
# record, so one shape nobody foresaw quarantines a record instead of stopping a file.
RECORD_ERRORS = (TypeError, ValueError, LookupError, AttributeError)


def reason_for(error: Exception) -> str:
    """The Indonesian reason a record was refused."""
    if isinstance(error, RecordError):
        return str(error)
    return _("bentuk data tidak terduga (%(kind)s: %(error)s)") % {
        "kind": type(error).__name__,
        "error": error,
    }


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One JSON object read from a file: where it starts, its exact bytes and its value."""

    line: int | None
    offset: int
    raw: bytes
    value: JsonObject


def to_raw(value: object) -> bytes:
    """Compact UTF-8 JSON for a record cut out of a larger document (kept as its raw payload)."""
    try:
        # pydantic-core (already a dependency) writes JSON four times faster than json.dumps.
        return pydantic_core.to_json(value)
    except pydantic_core.PydanticSerializationError:
        # A lone surrogate escaped in the source (\ud800) cannot be UTF-8; keep it escaped.
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def _fast_load(body: bytes) -> Any:
    """The value of a well-formed JSON text, _TOO_DEEP when it nests deeper than
    ``MAX_DEPTH``, or _MALFORMED for the careful path to explain."""
    try:
        value = pydantic_core.from_json(body, cache_strings="keys")
    except ValueError as error:
        return _TOO_DEEP if str(error).startswith("recursion limit exceeded") else _MALFORMED
    # Text PostgreSQL cannot store (an escaped NUL) goes now, before any parser sees it.
    return without_unstorable(value) if b"\\u0000" in body else value


def without_unstorable(value: Any) -> Any:
    """``value`` with what no database column can hold taken out of its texts and keys:
    NUL characters removed, lone surrogates (an escaped ``\\ud800`` with no pair) replaced
    by U+FFFD. ``RecursionError`` when it nests deeper than ``MAX_DEPTH`` (the json module
    reads deeper than the fast parser: one limit for both); walked without recursion."""

    def clean(text: str) -> str:
        text = text.replace("\x00", "")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A pair written as two escapes is one character again; a lone half is U+FFFD.
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return text

    if isinstance(value, str):
        return clean(value)
    root = [value]
    pending: list[tuple[Any, Any, int]] = [(root, 0, 0)]
    while pending:
        container, key, depth = pending.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = clean(item)
            continue
        if not isinstance(item, list | dict):
            continue
        if depth >= MAX_DEPTH:
            raise RecursionError(MAX_DEPTH)
        if isinstance(item, list):
            pending.extend((item, index, depth + 1) for index in range(len(item)))
            continue
        if any(isinstance(name, str) and clean(name) != name for name in item):
            item = container[key] = {clean(name): entry for name, entry in item.items()}
        pending.extend((item, name, depth + 1) for name in item)
    return root[0]


def _too_deep(raw: bytes, start: int, line: int | None) -> ParseProblem:
    return ParseProblem(
        reason=_("JSON bersarang lebih dari %(depth)d tingkat; tidak dibaca")
        % {"depth": MAX_DEPTH},
        line=line,
        offset=start,
        raw=raw,
    )


def _decode(raw: bytes, start: int, line: int | None) -> str | ParseProblem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return ParseProblem(
            reason=_("bukan teks UTF-8 yang sah (byte %(byte)s)")
            % {"byte": raw[error.start : error.start + 1].hex()},
            line=line,
            offset=start + error.start,
            raw=raw,
        )


def _json_error(message: str) -> str:
    """The json module's English message, in Indonesian when it is one of the usual ones."""
    known = {
        "Expecting value": _("nilai JSON diharapkan"),
        "Unterminated string starting at": _("teks tidak ditutup tanda kutip"),
        "Expecting ',' delimiter": _("tanda koma diharapkan"),
        "Expecting ':' delimiter": _("tanda titik dua diharapkan"),
        "Expecting property name enclosed in double quotes": _(
            "nama kolom dalam tanda kutip ganda diharapkan"
        ),
        "Extra data": _("ada data lain setelah JSON selesai"),
        "Invalid control character at": _("karakter kendali di dalam teks"),
    }
    return known.get(message, message)


def _load(text: str, raw: bytes, start: int, line: int | None) -> Any | ParseProblem:
    """The careful path: what the fast parser refused, read by the json module (which takes
    NaN and lone surrogates), or where and why it is no JSON."""
    try:
        return without_unstorable(json.loads(text))
    except RecursionError:
        return _too_deep(raw, start, line)
    except json.JSONDecodeError as error:
        return ParseProblem(
            reason=_("JSON tidak sah: %(error)s (karakter ke-%(column)d)")
            % {"error": _json_error(error.msg), "column": error.pos + 1},
            line=line,
            offset=start + len(text[: error.pos].encode("utf-8")),
            raw=raw,
        )
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (int_max_str_digits).
        return ParseProblem(
            reason=_("bilangan dengan ribuan angka; tidak dibaca"),
            line=line,
            offset=start,
            raw=raw,
        )


def read_document(stream: IO[bytes]) -> tuple[Any, bytes] | ParseProblem:
    """Read a whole single-JSON file (an API page): its value and its bytes, or why not."""
    raw = stream.read()
    start = len(BOM) if raw.startswith(BOM) else 0
    return load_document(raw[start:], start)


def load_document(body: bytes, start: int) -> tuple[Any, bytes] | ParseProblem:
    """Decode one JSON document found at byte ``start`` of its file."""
    value = _fast_load(body)
    if value is _TOO_DEEP:
        return _too_deep(body, start, None)
    if value is not _MALFORMED:
        return value, body
    text = _decode(body, start, None)
    if isinstance(text, ParseProblem):
        return text
    value = _load(text, body, start, None)
    if isinstance(value, ParseProblem):
        return value
    return value, body


def read_json_lines(
    stream: IO[bytes],
    *,
    accepts: Callable[[JsonObject], bool],
    format_label: str,
    max_line: int = RECORD_LINE_BYTES,
) -> Iterator[JsonLine | ParseProblem]:
    """Yield each non-blank line of a JSONL file as a ``JsonLine`` or a ``ParseProblem``.

    Constant memory: one line at a time; a line longer than ``max_line`` bytes is a problem,
    read past in pieces and never held whole. Until a line holds an object that ``accepts``
    takes, every line is held back as a ``ParseProblem`` (no JSON, no object, or an object
    of another shape, with its keys); they are yielded in their place once one is taken,
    and at the end of a file where none was, so that each counts as read and is
    quarantined. Only when a hundred lines are held with none taken is the file not
    JSON Lines of this format: ``UnrecognisedFormat`` is raised before anything is
    yielded, naming the first of them.
    """
    held: list[ParseProblem] = []
    confirmed = False
    offset = 0
    for number, (line, length, whole) in enumerate(_lines(stream, max_line), start=1):
        start = offset
        offset += length
        if number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
            start += len(BOM)
        body = line.rstrip(b"\r\n")
        if not body.strip():
            continue
        value: Any = _fast_load(body) if whole else _LONG
        if value is _LONG:
            value = ParseProblem(
                reason=_(
                    "baris ini %(size)d byte, lebih dari batas %(limit)d MiB per baris; "
                    "tidak dibaca, hanya awalnya yang disimpan"
                )
                % {"size": length, "limit": max_line >> 20},
                line=number,
                offset=start,
                raw=body,
            )
        elif value is _TOO_DEEP:
            value = _too_deep(body, start, number)
        elif value is _MALFORMED:
            # The slow path says where and why, or reads what the fast parser refuses
            # (an escaped lone surrogate, NaN).
            text = _decode(body, start, number)
            value = text if isinstance(text, ParseProblem) else _load(text, body, start, number)
        if not isinstance(value, ParseProblem) and not isinstance(value, dict):
            value = ParseProblem(
                reason=_("baris ini bukan objek JSON ({...})"),
                line=number,
                offset=start,
                raw=body,
            )
        if not confirmed and not isinstance(value, ParseProblem) and not accepts(value):
            value = ParseProblem(
                reason=_("baris ini bukan %(format)s; kuncinya: %(keys)s")
                % {"format": format_label, "keys": describe_keys(value)},
                line=number,
                offset=start,
                raw=body,
            )
        if isinstance(value, ParseProblem):
            if confirmed:
                yield value
                continue
            held.append(value)
            if len(held) >= _MAX_PROBLEMS_BEFORE_FIRST_RECORD:
                raise UnrecognisedFormat(
                    _(
                        "%(count)d baris pertama tidak dapat dibaca sebagai %(format)s; ini "
                        "bukan berkas format itu. Masalah pertama (%(where)s): %(reason)s"
                    )
                    % {
                        "count": len(held),
                        "format": format_label,
                        "where": held[0].where,
                        "reason": held[0].reason,
                    }
                )
            continue
        if not confirmed:
            confirmed = True
            yield from held
            held.clear()
        yield JsonLine(line=number, offset=start, raw=body, value=value)
    yield from held


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes, int, bool]]:
    """Each line of ``stream``, its length in bytes and whether it is whole: a line longer
    than ``limit`` comes as its first ``_LONG_LINE_KEPT`` bytes, the rest read and dropped
    in pieces."""
    while True:
        line = stream.readline(limit + 1)
        if len(line) <= limit or line.endswith(b"\n"):
            if not line:
                return
            yield line, len(line), True
            continue
        length = len(line)
        line = line[:_LONG_LINE_KEPT]
        while True:
            rest = stream.readline(1 << 20)
            length += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield line, length, False


def read_page(
    stream: IO[bytes], *, accepts: Callable[[JsonObject], bool], format_label: str
) -> tuple[JsonObject, bytes] | ParseProblem:
    """Read a whole file holding one API response: its object and its bytes, or why not.

    A document that is no object ``accepts`` takes is one ``ParseProblem`` (the file is
    one record, which is quarantined); ``accepts`` may raise ``UnrecognisedFormat`` with a
    closer reason, which the problem then gives.
    """
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        return document
    value, raw = document
    try:
        if isinstance(value, dict) and accepts(value):
            return value, raw
        reason = _("berkas ini bukan respons %(format)s; isinya: %(seen)s") % {
            "format": format_label,
            "seen": describe_value(value),
        }
    except UnrecognisedFormat as error:
        reason = str(error)
    return ParseProblem(reason=reason, path="$", raw=raw)


def parse_page_lines(
    stream: IO[bytes],
    *,
    accepts: Callable[[JsonObject], bool],
    format_label: str,
    page: Callable[[JsonLine], Iterable[Parsed]],
    max_line: int = PAGE_LINE_BYTES,
) -> Iterator[Parsed]:
    """The records of a JSON Lines file holding one API response per line, in constant memory.

    Lines are read as ``read_json_lines`` reads them (its problems yielded in their place);
    ``page`` turns each line that ``accepts`` takes into records, and any other readable
    line is a ``ParseProblem`` saying it is no response of this format.
    """
    lines = read_json_lines(stream, accepts=accepts, format_label=format_label, max_line=max_line)
    for entry in lines:
        if isinstance(entry, ParseProblem):
            yield entry
        elif not accepts(entry.value):
            yield ParseProblem(
                reason=_("baris ini bukan respons %(format)s") % {"format": format_label},
                line=entry.line,
                offset=entry.offset,
                raw=entry.raw,
            )
        else:
            try:
                yield from page(entry)
            except RECORD_ERRORS as error:
                # A page of a shape its reader did not foresee (a list where an object
                # was): the rest of the line is one problem, the next line is read.
                yield ParseProblem(
                    reason=reason_for(error), line=entry.line, offset=entry.offset, raw=entry.raw
                )


def describe_value(value: object) -> str:
    """What a JSON document holds, in words: an object's first keys, a list's first entry's."""
    if isinstance(value, dict):
        return _("objek dengan kunci %(keys)s") % {"keys": describe_keys(value)}
    if isinstance(value, list):
        first = next((entry for entry in value if isinstance(entry, dict)), None)
        if not value:
            return _("daftar kosong")
        if first is None:
            return _("daftar tanpa objek")
        return _("daftar berisi objek dengan kunci %(keys)s") % {"keys": describe_keys(first)}
    return _("nilai JSON yang bukan objek maupun daftar")


def describe_keys(value: JsonObject, limit: int = 8) -> str:
    """The first keys of an object, for a message that says what was seen."""
    keys = list(value)[:limit]
    more = ", …" if len(value) > limit else ""
    return ", ".join(keys) + more if keys else _("(objek kosong)")


# --- typed access to JSON values: each raises RecordError with a reason in Indonesian ---


def get_str(obj: JsonObject, key: str, *, required: bool = False) -> str:
    """A string (or integer id) field; ``""`` when absent unless required."""
    value = obj.get(key)
    if value.__class__ is str:
        return value
    if value is None:
        if required:
            raise RecordError(_("kolom '%(key)s' tidak ada") % {"key": key})
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise RecordError(_("kolom '%(key)s' bukan teks") % {"key": key})


def get_opt_str(obj: JsonObject, key: str) -> str | None:
    """A string field that may be absent or null: None then, not ``""``."""
    return get_str(obj, key) if obj.get(key) is not None else None


def get_int(obj: JsonObject, key: str) -> int | None:
    """A count; platforms send some as strings ("12"). None when absent."""
    value = obj.get(key)
    if value.__class__ is int:
        return value
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise RecordError(_("kolom '%(key)s' bukan bilangan") % {"key": key})


def get_obj(obj: JsonObject, key: str) -> JsonObject:
    """A nested object; empty when absent."""
    value = obj.get(key)
    if value.__class__ is dict:
        return value
    if value is None:
        return {}
    raise RecordError(_("kolom '%(key)s' bukan objek") % {"key": key})


def get_list(obj: JsonObject, key: str) -> list[Any]:
    """A nested array; empty when absent."""
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise RecordError(_("kolom '%(key)s' bukan daftar") % {"key": key})


def parse_iso(value: str, *, field: str) -> datetime:
    """An ISO 8601 time with its offset ("2024-01-10T03:15:00.000Z"), as an aware datetime."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' tidak terbaca")
            % {"value": value, "field": field}
        ) from None
    if parsed.tzinfo is None:
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' tidak menyebut zona waktu")
            % {"value": value, "field": field}
        )
    return parsed


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


def parse_twitter_time(value: str, *, field: str) -> datetime:
    """Twitter v1.1 time ("Wed Oct 10 20:19:24 +0000 2018"), read without the C locale."""
    try:
        _weekday, month, day, clock, offset, year = value.split(" ")
        hour, minute, second = (int(part) for part in clock.split(":"))
        sign = -1 if offset[0] == "-" else 1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        return datetime(
            int(year),
            _MONTHS[month],
            int(day),
            hour,
            minute,
            second,
            tzinfo=UTC if not delta else timezone(sign * delta),
        )
    except (ValueError, KeyError, IndexError):
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' tidak terbaca")
            % {"value": value, "field": field}
        ) from None
