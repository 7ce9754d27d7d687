"""Netra's own CSV and JSONL format, for any other tool or spreadsheet (docs/ingest-format.md)."""

from __future__ import annotations

import csv

from django.utils.translation import gettext_lazy as _

from netra.social.sources import registry
from netra.social.sources.generic import parse
from netra.social.sources.records import FormatSpec, Head, Shape, SourceManifest
from netra.social.sources.tables import DELIMITERS, header_key


def _header(head: Head) -> tuple[str, ...] | None:
    """The header cells, past an Excel ``sep=;`` line that detection does not know."""
    lines = head.data.lstrip(b"\r\n").split(b"\n", 2)
    first = lines[0].rstrip(b"\r")
    if len(first) == 5 and first.startswith(b"sep=") and len(lines) > 1:
        delimiter = first[4:].decode("ascii", "replace")
        if delimiter in DELIMITERS:
            try:
                text = lines[1].rstrip(b"\r").decode("utf-8")
            except UnicodeDecodeError:
                return None
            try:
                return tuple(next(csv.reader([text], delimiter=delimiter)))
            except csv.Error:  # a bare CR in an unquoted cell
                return None
    return head.csv_header


def sniff(head: Head) -> str | None:
    """``netra-csv`` or ``netra-jsonl`` for a head that is unmistakably the generic format.

    A table: a ``platform`` column, a ``record`` or ``id`` column, and more of the format's
    columns than other ones (the parser then names the others). JSON Lines: a first
    object whose ``platform`` is a known platform, with a valid ``record`` key or else an
    ``id`` and only the format's keys (X, YouTube, TikTok and Meta objects have no
    ``platform`` key with such a value).
    """
    header = _header(head)
    if header is not None:
        keys = {header_key(cell) for cell in header}
        if "platform" not in keys or not keys & {"record", "id"}:
            return None
        known = [key for key in keys if parse.is_column(key)]
        others = [key for key in keys if key and not parse.is_column(key)]
        others = [key for key in others if not parse.is_ignored(key)]
        return parse.CSV_FORMAT if len(known) > len(others) else None
    value = head.first_object
    if value is None:
        return None
    platform = value.get("platform")
    if not isinstance(platform, str) or platform.casefold() not in registry.platform_names():
        return None
    record = value.get("record")
    if isinstance(record, str) and record.casefold() in parse.RECORD_NAMES:
        return parse.JSONL_FORMAT
    if record is None and "id" in value and all(parse.is_column(key) for key in value):
        return parse.JSONL_FORMAT
    return None


MANIFEST = SourceManifest(
    name="generic",
    platform="other",
    formats=(
        FormatSpec(
            parse.CSV_FORMAT,
            _("tabel CSV Netra untuk alat atau spreadsheet lain (lihat docs/ingest-format.md)"),
            parse.parse_csv,
            shapes=(Shape.TABLE,),
            # "metrics" is JSONL's: a table has one metric_<name> column per counter.
            keys=parse.ALL_COLUMNS - {"metrics"},
        ),
        FormatSpec(
            parse.JSONL_FORMAT,
            _("JSONL Netra, satu record per baris dengan kunci yang sama dengan CSV Netra"),
            parse.parse_jsonl,
            shapes=(Shape.LINES,),
            keys=parse.ALL_COLUMNS,
        ),
    ),
    sniff=sniff,
)
