"""Which format a file is, from its first bytes and its name.

``detect`` reads no more than the head it is given (a few KB are enough): a JSON object
or array, JSON Lines, or a Twitter archive's ``window.YTD`` prefix; then the keys that mark
each API (``data``/``includes`` for X v2, ``kind: youtube#…`` for YouTube, ``id_str`` and
``user`` for Twitter v1.1). An unknown file gets an ``UnrecognisedFormat`` whose
Indonesian message says what was seen and which formats are expected.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import PurePath

from django.utils.translation import gettext as _

from netra.social.sources.reading import BOM, JsonObject, describe_keys
from netra.social.sources.records import Head, UnrecognisedFormat
from netra.social.sources.registry import MANIFESTS, expected_formats
from netra.social.sources.x.archive import ARCHIVE_PARTS, archive_part
from netra.social.sources.x.v1 import is_v1_status
from netra.social.sources.x.v2 import is_v2_page
from netra.social.sources.youtube.parse import is_v3_page

# How much of a file callers should pass; twarc2 lines are longer, and that is handled.
HEAD_BYTES = 64 * 1024

_LINE_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".jl"})
_ARCHIVE_FORMAT = "twitter-archive-js"
_LINES_TRIED = 20

_YOUTUBE_KIND = re.compile(r'"kind"\s*:\s*"(youtube#\w+)"')
_YOUTUBE_ERROR = re.compile(r'"domain"\s*:\s*"youtube')
_X_V2 = re.compile(r'"(?:__twarc|includes|result_count|resource_type)"\s*:|"data"\s*:\s*[\[{]')
_V1_SEARCH = re.compile(r'"statuses"\s*:\s*\[')
_V1_STATUS = re.compile(r'"id_str"\s*:')
_V1_USER = re.compile(r'"(?:user|screen_name)"\s*:')


class _Unknown(Exception):
    """What was seen, in words; detect turns it into the message."""


def detect(head: bytes, filename: str) -> str:
    """The format name of a file whose first bytes are ``head``.

    Raises ``UnrecognisedFormat`` with a message naming the file, what was recognised in
    it and the formats that are expected.
    """
    data = head.removeprefix(BOM)
    suffix = PurePath(filename).suffix.lower()
    try:
        return _sniffed(data, suffix) or _detect(data, suffix)
    except _Unknown as seen:
        raise UnrecognisedFormat(
            _(
                "Format berkas '%(file)s' tidak dikenali. Yang terbaca: %(seen)s. "
                "Format yang didukung: %(expected)s."
            )
            % {"file": filename, "seen": seen, "expected": expected_formats()}
        ) from None


def _detect(head: bytes, suffix: str) -> str:
    stripped = head.lstrip()
    if not stripped:
        raise _Unknown(_("berkas kosong"))
    part = archive_part(stripped)
    if part is not None:
        if part not in ARCHIVE_PARTS:
            raise _Unknown(
                _("arsip Twitter bagian '%(part)s', yang belum didukung (hanya %(parts)s)")
                % {"part": part, "parts": ", ".join(sorted(ARCHIVE_PARTS))}
            )
        return _ARCHIVE_FORMAT
    if stripped[:1] not in (b"{", b"["):
        raise _Unknown(_describe_non_json(stripped))
    text = stripped.decode("utf-8", "replace")
    if stripped[:1] == b"[":
        return _classify_array(text)
    found = _first_object_line(stripped)
    if found is not None:
        number, value = found
        more_lines = len([line for line in stripped.split(b"\n") if line.strip()]) > 1
        # A readable object after an unreadable first line is JSON Lines with a bad line;
        # a pretty-printed document has no whole object on an unindented line.
        lines = number > 0 or more_lines or suffix in _LINE_EXTENSIONS
        return _classify_object(value, lines=lines)
    # No whole object on any line: a pretty-printed document, or a line longer than the
    # head (a twarc2 page), which the JSONL reader takes as well as a document.
    lines = b"\n" not in stripped.rstrip() and suffix != ".json"
    return _sniff_object(text, lines=lines)


def _sniffed(data: bytes, suffix: str) -> str | None:
    """The format a source's own ``sniff`` claims, asked before the built-in rules."""
    sniffers = [manifest.sniff for manifest in MANIFESTS if manifest.sniff is not None]
    if not sniffers:
        return None
    stripped = data.lstrip()
    found = _first_object_line(stripped) if stripped[:1] == b"{" else None
    head = Head(
        data=data,
        suffix=suffix,
        first_object=found[1] if found else None,
        csv_header=_csv_header(stripped),
    )
    for sniff in sniffers:
        name = sniff(head)
        if name is not None:
            return name
    return None


def _csv_header(data: bytes) -> tuple[str, ...] | None:
    """The cells of the first line when the head looks like a table, else None."""
    if data[:1] in (b"{", b"[", b"<") or b"\x00" in data[:1024]:
        return None
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        line = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    delimiters = [d for d in (",", ";", "\t") if d in line]
    if not delimiters:
        return None
    delimiter = max(delimiters, key=line.count)
    return tuple(cell.strip() for cell in next(csv.reader([line], delimiter=delimiter)))


def _first_object_line(head: bytes) -> tuple[int, JsonObject] | None:
    """The first unindented line of the head that is a whole JSON object, and its index."""
    number = -1
    for line in head.split(b"\n")[:_LINES_TRIED]:
        if not line.strip():
            continue
        number += 1
        if line[:1] != b"{":
            continue
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return number, value
    return None


def _family(value: JsonObject) -> str | None:
    kind = value.get("kind")
    if isinstance(kind, str) and kind.startswith("youtube#"):
        if not is_v3_page(value):
            raise _Unknown(
                _("respons YouTube jenis '%(kind)s', yang belum didukung") % {"kind": kind}
            )
        return "youtube-v3"
    if is_v3_page(value):
        return "youtube-v3"
    if is_v1_status(value) or isinstance(value.get("statuses"), list):
        return "twitter-v1"
    if is_v2_page(value):
        return "x-v2"
    return None


def _classify_object(value: JsonObject, *, lines: bool) -> str:
    family = _family(value)
    if family is None:
        where = _("JSON Lines, baris pertama") if lines else _("JSON")
        raise _Unknown(
            _("%(where)s berisi objek dengan kunci: %(keys)s")
            % {"where": where, "keys": describe_keys(value)}
        )
    if family == "twitter-v1" and "statuses" in value:
        return "twitter-v1-json"
    return f"{family}-jsonl" if lines else f"{family}-json"


def _sniff_object(text: str, *, lines: bool) -> str:
    kind = _YOUTUBE_KIND.search(text)
    if kind is not None:
        if not is_v3_page({"kind": kind[1]}):
            raise _Unknown(
                _("respons YouTube jenis '%(kind)s', yang belum didukung") % {"kind": kind[1]}
            )
        family = "youtube-v3"
    elif _YOUTUBE_ERROR.search(text):
        family = "youtube-v3"
    elif _V1_SEARCH.search(text):
        return "twitter-v1-json"
    elif _X_V2.search(text):
        family = "x-v2"
    elif _V1_STATUS.search(text) and _V1_USER.search(text):
        family = "twitter-v1"
    else:
        raise _Unknown(_("objek JSON tanpa kunci yang dikenal di awal berkas"))
    return f"{family}-jsonl" if lines else f"{family}-json"


def _classify_array(text: str) -> str:
    body = text.lstrip()[1:].lstrip()
    if body.startswith("]"):
        raise _Unknown(_("daftar JSON kosong"))
    if body.startswith("{") and _V1_STATUS.search(text) and _V1_USER.search(text):
        return "twitter-v1-json"
    raise _Unknown(_("daftar JSON yang isinya bukan status Twitter v1.1"))


def _describe_non_json(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return _("arsip ZIP; ekstrak dulu, lalu impor berkas JSON di dalamnya")
    if head.startswith(b"\x1f\x8b"):
        return _("berkas terkompresi gzip; ekstrak dulu")
    if b"\x00" in head[:1024]:
        return _("berkas biner, bukan teks")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not merely a character cut at the head's end
            return _("teks yang bukan UTF-8")
        text = head[: error.start].decode("utf-8")
    first_line = text.splitlines()[0] if text else ""
    if first_line.lstrip().startswith("<"):
        return _("HTML atau XML")
    if "," in first_line or ";" in first_line or "\t" in first_line:
        return _("tabel CSV dengan baris pertama '%(line)s'") % {"line": first_line[:120]}
    return _("teks biasa yang diawali '%(line)s'") % {"line": first_line[:120]}
