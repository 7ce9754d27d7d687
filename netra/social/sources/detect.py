"""Which format a file is, from its first bytes and its name.

``detect`` reads no more than the head it is given (a few KB are enough) and asks the
``sniff`` of every source in registry order (registry.py); each source knows its own
files. A file none of them claims gets an ``UnrecognisedFormat`` whose Indonesian message
says what was seen, names first the formats nearest to it (the same layout, shared keys
or columns) and says where all of them are listed.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from netra.social.sources import registry
from netra.social.sources.reading import BOM, JsonObject, describe_keys
from netra.social.sources.records import FormatSpec, Head, Shape, UnrecognisedFormat, Unsupported
from netra.social.sources.tables import header_key

# How much of a file callers should pass; JSON lines longer than that are handled.
HEAD_BYTES = 64 * 1024

_LINES_TRIED = 20
# The most formats a message names as nearest to what was seen.
_NEAREST = 5
# The most keys a message names.
_KEYS_NAMED = 8
# A key as a key: a string right before a colon (inside a JSON string it would be escaped).
_KEY = re.compile(rb'"((?:[^"\\\n]|\\.){1,64})"\s*:')


@dataclass(frozen=True, slots=True)
class Seen:
    """A head no source claimed: what was recognised in it, and the formats nearest it."""

    seen: str
    nearest: list[FormatSpec]


def identify(head: bytes, filename: str) -> str | Seen:
    """The format name of a file whose first bytes are ``head``, else what was seen in it."""
    data = head.removeprefix(BOM)
    view = read_head(data, PurePath(filename).suffix.lower())
    try:
        if not data.strip():
            raise Unsupported(_("berkas kosong"))
        for manifest in registry.manifests():
            if manifest.sniff is not None:
                name = manifest.sniff(view)
                if name is not None:
                    return name
        seen = _describe(view)
    except Unsupported as error:
        seen = str(error)
    return Seen(seen, nearest_formats(view))


def detect(head: bytes, filename: str) -> str:
    """The format name of a file whose first bytes are ``head``.

    Raises ``UnrecognisedFormat`` with a message naming the file, what was recognised in
    it, the nearest formats and where the others are listed.
    """
    found = identify(head, filename)
    if isinstance(found, str):
        return found
    message = _("Format berkas '%(file)s' tidak dikenali. Yang terbaca: %(seen)s.") % {
        "file": filename,
        "seen": found.seen,
    }
    if found.nearest:
        message += " " + _("Format terdekat: %(formats)s.") % {
            "formats": "; ".join(f"{spec.name} ({spec.label})" for spec in found.nearest)
        }
    raise UnrecognisedFormat(
        message
        + " "
        + _(
            "Semua format yang didukung tercantum di netra ingest --help (pilihan --format) "
            "dan di pilihan Format pada formulir unggah."
        )
    )


def read_head(data: bytes, suffix: str) -> Head:
    """What sniffing knows of a head without its BOM (``Head``)."""
    stripped = data.lstrip()
    return Head(
        data=data,
        suffix=suffix,
        first_object=_first_object_line(stripped) if stripped[:1] == b"{" else None,
        csv_header=_csv_header(stripped),
    )


def nearest_formats(head: Head, limit: int = _NEAREST) -> list[FormatSpec]:
    """The formats nearest to a head that no source claimed, nearest first.

    A format is near when its files are laid out as this one (``Shape``) or share its
    keys or columns; the same layout counts as much as two shared keys. Formats near in
    neither way are left out, and so is every format when the head is no JSON or table.
    """
    shapes = _shapes(head)
    keys = _keys(head)
    ranked: list[tuple[int, int, int, FormatSpec]] = []
    for order, spec in enumerate(registry.FORMATS.values()):
        shaped = bool(shapes.intersection(spec.shapes))
        score = 2 * shaped + len(keys & spec.keys)
        if score:
            ranked.append((-score, not shaped, order, spec))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked[:limit]]


def _shapes(head: Head) -> set[Shape]:
    stripped = head.data.lstrip()
    if head.csv_header is not None:
        return {Shape.TABLE}
    if stripped[:1] == b"[":
        return {Shape.ARRAY}
    if stripped[:1] == b"{":
        lines = head.lines if head.first_object is not None else head.long_line
        return {Shape.LINES} if lines else {Shape.OBJECT}
    return {Shape.SCRIPT} if stripped.startswith(b"window.") else set()


def _keys(head: Head) -> set[str]:
    """The keys seen in the head: a table's columns, else every JSON key, nested ones too."""
    if head.csv_header is not None:
        return {header_key(cell) for cell in head.csv_header}
    return {key.decode("utf-8", "replace") for key in _KEY.findall(head.data)}


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
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except csv.Error:  # a bare CR in an unquoted cell (a file with old Mac line endings)
        return None
    return tuple(cell.strip() for cell in cells)


def _first_object_line(head: bytes) -> JsonObject | None:
    """The first unindented line of the head that is a whole JSON object."""
    for line in head.split(b"\n")[:_LINES_TRIED]:
        if line[:1] != b"{":
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None


def _describe(head: Head) -> str:
    """What a head that no source claimed holds, in words."""
    stripped = head.data.lstrip()
    if stripped[:1] == b"[":
        return _describe_array(head)
    if stripped[:1] == b"{":
        if head.first_object is None:
            return _("objek JSON tanpa kunci yang dikenal di awal berkas")
        where = _("JSON Lines, baris pertama") if head.lines else _("JSON")
        return _("%(where)s berisi objek dengan kunci: %(keys)s") % {
            "where": where,
            "keys": describe_keys(head.first_object),
        }
    return _describe_non_json(stripped)


def _describe_array(head: Head) -> str:
    """What a JSON array nobody claimed holds: its first entry's keys, or what it is."""
    body = head.data.decode("utf-8", "replace").lstrip()[1:].lstrip()
    if body.startswith("]"):
        return _("daftar JSON kosong")
    try:
        first, _end = json.JSONDecoder().raw_decode(body)
    except (ValueError, RecursionError):
        # The first entry goes on past the head (or is broken): name the keys seen.
        keys = list(
            dict.fromkeys(key.decode("utf-8", "replace") for key in _KEY.findall(head.data))
        )
        if not keys:
            return _("daftar JSON yang isinya tidak dikenal")
        more = ", …" if len(keys) > _KEYS_NAMED else ""
        return _("daftar JSON dengan kunci %(keys)s di awalnya") % {
            "keys": ", ".join(keys[:_KEYS_NAMED]) + more
        }
    if isinstance(first, dict):
        return _("daftar JSON berisi objek dengan kunci: %(keys)s") % {"keys": describe_keys(first)}
    kinds = {str: _("teks"), list: _("daftar"), bool: _("nilai benar/salah")}
    kind = kinds.get(type(first), _("angka") if isinstance(first, int | float) else _("null"))
    return _("daftar JSON berisi %(kind)s, bukan objek") % {"kind": kind}


def _describe_non_json(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        # netra ingest and the upload page open archives before detection: this is what a
        # collector's push, or an archive inside an archive, is told.
        return _(
            "arsip ZIP; netra ingest dan formulir unggah membuka arsip ekspor, di sini "
            "ekstrak dulu lalu muat berkas data di dalamnya"
        )
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
