"""Batches pushed by collectors: received as a file, then loaded like any other file.

A batch arrives in one of two bodies (docs/collection.md):

* raw: the bytes of a file in any supported format, as a collector saved it; the format
  is ``?format=`` or detected from the bytes (``?filename=`` helps by its extension);
* envelope: ``Content-Type: application/json`` and a JSON object with exactly the keys
  ``format`` (a format name), ``records`` (a list of JSON values) and optionally
  ``filename``, in any order; the records are written one per line, compact, in order,
  so the file is a JSON Lines file of that format (or, with one record, a JSON
  document). The body is read as a stream of ijson events, written back as they come:
  memory stays flat whatever the size of the body or of a record.

The file is kept under ``VAR_DIR/collect/push/<token prefix>/`` by its SHA-256 and loaded
with ``ingest_file`` (``SourceKind.PUSH``, the token's election): pushing the same batch
again stores nothing twice.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import ijson
from django.conf import settings
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.files import file_sha256
from netra.social.collect.services import collect_dir
from netra.social.events import SocialEvent
from netra.social.ingest import FileSummary, IngestError, ingest_file
from netra.social.models import CollectorToken, Source, SourceKind

_ENVELOPE_KEYS = frozenset({"format", "records", "filename"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class BatchTooLarge(Exception):
    """The body is larger than ``NETRA_PUSH_MAX_MB``; the message is Indonesian."""


def push_limit() -> int:
    """The largest body accepted, in bytes."""
    return int(settings.NETRA_PUSH_MAX_MB) * 1024 * 1024


def too_large_message() -> str:
    return _("Kiriman terlalu besar: paling banyak %(mb)d MB per kiriman.") % {
        "mb": settings.NETRA_PUSH_MAX_MB
    }


@dataclass(frozen=True, slots=True)
class Received:
    """A body written to a temporary file, with its size."""

    path: Path
    size: int


def batch_receive(chunks: Iterable[bytes], *, limit: int | None = None) -> Received:
    """Write a body to a temporary file, refusing it once it passes the limit."""
    limit = push_limit() if limit is None else limit
    folder = collect_dir() / "push" / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(8)}.part"
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise BatchTooLarge(too_large_message())
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, size)


_MAX_DEPTH = 200  # levels a record may nest: the JSON Lines reader's limit for a line
_KEYS_KEPT = 4096  # short object keys whose JSON text is kept for reuse (pages repeat few)
_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})
_NOT_TEXT = object()  # a format or filename that is no string
# yajl (ijson's C backend) mangles an escaped lone surrogate: "\ud800 x" becomes "? x",
# "\ud800\u0041" one other character, and a lone "\udc00" fails as bytes that are not
# UTF-8. The pure-Python backend reads them as json.loads does, but its parser is about
# fifteen times slower, so it reads only the bodies that hold one.
_PYTHON_BACKEND = ijson.get_backend("python")
# \u and the hex of a surrogate: an escape when an even run of backslashes comes before.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_HIGH = frozenset(b"89abAB")
_SCAN_CHUNK = 1 << 20
_SCAN_CARRY_MAX = 4 << 20
_encode_text = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class Envelope:
    """An envelope body turned into a file of its records, one compact JSON value a line."""

    format: str
    filename: str
    lines: Received


class _EnvelopeReader:
    """One pass over a body's parse events (``ijson.basic_parse``) as an envelope.

    Records are written to ``out`` as they are read, one compact JSON value a line
    (``ensure_ascii=False``; a lone surrogate stays escaped): what is held at any time is
    one string or number, whatever the size of the body, the records or their nesting.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.begun = False  # an object whose first key is one of the envelope's
        self.texts: dict[str, object] = {}  # "format" and "filename": a str or _NOT_TEXT
        self.records: bool | None = None  # None: no "records" key; False: not a list
        self.written = 0
        self.too_deep = 0  # the number of the first record nested deeper than the limit
        self._keys: dict[str, str] = {}

    def read(self, events: Iterator[tuple[str, Any]]) -> bool:
        """Whether the body is an object of envelope keys only; its records are written."""
        if next(events)[0] != "start_map":
            return False
        for event, key in events:
            if event == "end_map":
                break
            if key not in _ENVELOPE_KEYS:
                return False
            self.begun = True
            event, value = next(events)
            if key == "records":
                self._restart()
                self.records = event == "start_array"
                if self.records:
                    self._copy_records(events)
                elif event in _OPENS:
                    _skip(events)
            elif event == "string":
                self.texts[key] = value
            else:
                self.texts[key] = _NOT_TEXT
                if event in _OPENS:
                    _skip(events)
        for _trailing in events:  # the parser refuses anything after the object
            pass
        return True

    def _restart(self) -> None:
        # A key given twice counts once, with its last value, as json.load reads it.
        self.out.seek(0)
        self.out.truncate()
        self.written = self.too_deep = 0

    def _copy_records(self, events: Iterator[tuple[str, Any]]) -> None:
        """Write the values of the records list, up to its end, one a line."""
        write, keys, encode = self.out.write, self._keys, _encode_text
        depth, comma = 0, False
        for event, value in events:
            if event == "map_key":
                text = keys.get(value)
                if text is None:
                    text = encode(value) + ":"
                    if len(keys) < _KEYS_KEPT and len(value) <= 64:
                        keys[value] = text
                write("," + text if comma else text)
                comma = False
                continue
            if event == "start_map" or event == "start_array":
                if comma:
                    write(",")
                depth += 1
                if depth > _MAX_DEPTH:
                    self.too_deep = self.written + 1
                    _skip(events, depth + 1)  # the rest of this record and of the list
                    break
                write("{" if event == "start_map" else "[")
                comma = False
                continue
            if event == "end_map" or event == "end_array":
                if not depth:  # the end of the records list itself
                    break
                depth -= 1
                write("}" if event == "end_map" else "]")
            else:
                if comma:
                    write(",")
                if event == "string":
                    write(encode(value))
                elif event == "number":
                    # An int or a Decimal: str() writes the number sent (1e2 as 1E+2), never
                    # one rounded through a float.
                    write(str(value))
                else:
                    write("null" if value is None else "true" if value else "false")
            if depth:
                comma = True
            else:
                write("\n")
                self.written += 1
                comma = False


def _skip(events: Iterator[tuple[str, Any]], depth: int = 1) -> None:
    """Consume the events up to the end of the ``depth`` containers now open."""
    for event, _value in events:
        if event in _OPENS:
            depth += 1
        elif event in _CLOSES:
            depth -= 1
            if not depth:
                return


def _has_lone_surrogate(path: Path) -> bool:
    """Whether the body may escape a surrogate that is not half of a pair (``\\ud800``).

    Read in chunks of 1 MiB, each cut after a byte that is no backslash (a run of them and
    the escape it may begin are read whole).
    """
    pending = -1  # where a high surrogate's escape ended, awaiting its low half
    carry, base = b"", 0
    with path.open("rb") as stream:
        while True:
            data = stream.read(_SCAN_CHUNK)
            buffer = carry + data
            cut = len(buffer)
            if data:
                cut -= 16  # whole escape pairs before the cut
                while cut > 0 and buffer[cut - 1] == 0x5C:  # and whole runs of backslashes
                    cut -= 1
                if cut <= 0 and len(buffer) > _SCAN_CARRY_MAX:
                    return True  # megabytes of backslashes: let the pure-Python backend read them
                cut = max(cut, 0)
            done = cut
            for match in _SURROGATE_ESCAPE.finditer(buffer):
                start = match.start()
                if start >= cut:
                    break  # read again with the next chunk
                done = max(cut, match.end())
                before = start
                while before and buffer[before - 1] == 0x5C:
                    before -= 1
                if (start - before) % 2:
                    continue  # an escaped backslash, then text: no escape
                high = buffer[start + 3] in _HIGH
                if pending >= 0 and not high and base + start == pending:
                    pending = -1
                elif pending >= 0 or not high:
                    return True
                else:
                    pending = base + match.end()
            if not data:
                return pending >= 0
            carry, base = buffer[done:], base + done


def _unreadable_reason(error: Exception) -> str:
    """Why a body that began as an envelope could not be read further, in Indonesian."""
    causes = [error, error.__cause__, error.__context__]
    message = str(error)
    if any(isinstance(cause, UnicodeDecodeError) for cause in causes) or (
        "invalid bytes in UTF8" in message
    ):
        return _("isinya bukan teks UTF-8 yang sah")
    if "premature EOF" in message or "Incomplete JSON content" in message:
        return _("JSON-nya terpotong sebelum selesai")
    if any("integer string conversion" in str(cause) for cause in causes):
        return _("ada bilangan bulat yang lebih dari %(digits)d angka") % {
            "digits": sys.get_int_max_str_digits()
        }
    return _("isinya bukan JSON yang sah")


def _envelope_read(path: Path, lines: Path, parse: Any) -> _EnvelopeReader | None:
    """Read ``path`` as an envelope with the backend's ``basic_parse``, records to ``lines``.

    None when the body is no JSON object of envelope keys; ``IngestError`` when it began
    as one and then stopped being JSON.
    """
    with (
        path.open("rb") as stream,
        lines.open("w", encoding="utf-8", errors="backslashreplace", newline="") as out,
    ):
        reader = _EnvelopeReader(out)
        try:
            # use_float=False: a number with a fraction comes as a Decimal of its digits.
            return reader if reader.read(parse(stream, use_float=False)) else None
        except UnicodeDecodeError as caught:
            if parse is not _PYTHON_BACKEND.basic_parse:
                raise  # the caller reads the body again with the pure-Python backend
            error: Exception = caught
        except (ijson.JSONError, ValueError) as caught:
            error = caught
        except SystemError as caught:
            # yajl2_c reports a number Python refuses (an integer of over 4,300 digits)
            # as a SystemError around the ValueError.
            if not isinstance(caught.__cause__ or caught.__context__, ValueError):
                raise
            error = caught
    if not reader.begun:
        return None
    raise IngestError(
        _("Amplop kiriman tidak dapat dibaca setelah %(count)d rekaman utuh: %(reason)s.")
        % {"count": reader.written, "reason": _unreadable_reason(error)}
    )


def _envelope(path: Path) -> Envelope | None:
    """The envelope in a body, its records written to a file beside it; None if it is none.

    A body is an envelope when it is a JSON object with the keys ``format`` and
    ``records`` and at most ``filename`` besides, in any order. Raises ``IngestError``
    (Indonesian) for an envelope that cannot be loaded: a wrong type, a record nested
    deeper than 200 levels, no records, or a body that stops being JSON once it began
    as an envelope (a body that is not JSON from its start is no envelope). The records
    file is removed unless an ``Envelope`` is returned.
    """
    lines = path.with_suffix(".lines")
    try:
        parse = _PYTHON_BACKEND.basic_parse if _has_lone_surrogate(path) else ijson.basic_parse
        try:
            reader = _envelope_read(path, lines, parse)
        except UnicodeDecodeError:
            # Bytes yajl lets through that are not UTF-8 (a surrogate written as bytes):
            # the pure-Python backend names them.
            reader = _envelope_read(path, lines, _PYTHON_BACKEND.basic_parse)
        if reader is None or "format" not in reader.texts or reader.records is None:
            lines.unlink()
            return None
        format_name = reader.texts["format"]
        if not isinstance(format_name, str) or not reader.records:
            raise IngestError(
                _("Amplop kiriman harus berisi 'format' (teks) dan 'records' (daftar).")
            )
        if reader.too_deep:
            raise IngestError(
                _(
                    "Amplop kiriman ditolak: rekaman ke-%(number)d bersarang terlalu dalam "
                    "(lebih dari %(limit)d tingkat)."
                )
                % {"number": reader.too_deep, "limit": _MAX_DEPTH}
            )
        if not reader.written:
            raise IngestError(
                _("Amplop kiriman tanpa rekaman: daftar 'records' kosong, tidak ada yang dimuat.")
            )
    except BaseException:
        lines.unlink(missing_ok=True)
        raise
    filename = reader.texts.get("filename")
    return Envelope(
        format_name,
        filename if isinstance(filename, str) else "",
        Received(lines, lines.stat().st_size),
    )


def batch_push(
    *,
    token: CollectorToken,
    received: Received,
    format_name: str | None = None,
    filename: str = "",
    json_body: bool = False,
) -> FileSummary:
    """Load a received body as a batch of the token's collector; ``IngestError`` if it cannot.

    The temporary file is always consumed (moved into place or removed).
    """
    try:
        envelope = _envelope(received.path) if json_body else None
        if envelope is not None:
            received.path.unlink()
            received = envelope.lines
            if format_name and format_name != envelope.format:
                raise IngestError(
                    _("Format di alamat (%(query)s) berbeda dengan format di amplop (%(body)s).")
                    % {"query": format_name, "body": envelope.format}
                )
            format_name = envelope.format
            filename = filename or envelope.filename or "batch.jsonl"
        path = _place(received.path, token, filename)
    except BaseException:
        received.path.unlink(missing_ok=True)
        raise
    # The source is the office's that made the token: a collector for one office writes
    # that office's versions, never another's.
    owner = token.created_by.office if token.created_by is not None else None
    try:
        summary = ingest_file(
            path,
            format_name=format_name or None,
            election=token.election,
            owner=owner,
            kind=SourceKind.PUSH,
        )
    except IngestError:
        if not Source.objects.filter(sha256=file_sha256(path)).exists():
            path.unlink(missing_ok=True)
        raise
    event_record(
        kind=SocialEvent.BATCH_PUSHED,
        subject=token,
        params={
            "source": summary.source_id,
            "run": summary.run_id,
            "format": summary.format,
            **summary.tally.totals(),
        },
    )
    return summary


def _place(temporary: Path, token: CollectorToken, filename: str) -> Path:
    """Move a received file to its place, named by its hash and the sender's file name."""
    name = _SAFE_NAME.sub("_", Path(filename).name).strip("._")[:100] or "batch"
    folder = collect_dir() / "push" / _SAFE_NAME.sub("_", token.prefix)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_sha256(temporary)[:16]}-{name}"
    temporary.replace(path)
    return path
