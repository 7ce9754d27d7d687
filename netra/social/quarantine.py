"""Which quarantined records a corrected file holds, so that only those are closed.

A record in quarantine is closed by a corrected file only when that file holds the same
record, read without a fault this time. The same record means the same identity, the
platform id a record carries:

- the corrected record has a platform id of its own (an item or an account profile;
  interactions have none and are never matched), and it was stored (read, and not
  quarantined again by the load of the corrected file);
- the quarantined bytes carry that id whole, in the same field as the corrected record:
  for a JSON record, as the value of the key that holds the id in the corrected record
  (``id``, ``id_str``, …), read from the bytes even when they are no valid JSON (a line
  cut short); for a table row, in the same column as in the corrected row.

Anything else stays open: a record whose bytes show no whole id (an interaction, a line
broken before its id), or whose id the corrected file does not hold. So an unrelated file
closes nothing, and a file that corrects some of the records closes just those. The rule
is written out for staff in docs/ingest-format.md and on the quarantine page.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from netra.social.sources.records import AccountRecord, ItemRecord, Parsed, ParseOptions
from netra.social.sources.registry import parse

# Characters a platform id is made of (digits, base64url shortcodes, "manual:<sha>", ids
# with an underscore such as Graph's "<page>_<post>").
_TOKEN = re.compile(rb"[A-Za-z0-9_:.\-]+")
_DELIMITERS = (",", ";", "\t", "|")
# How deep in a corrected JSON record its own id may sit ({"tweet": {"id_str": ...}} in a
# Twitter archive).
_ID_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Open:
    """A quarantined record still open: its key and its bytes."""

    pk: int
    raw: bytes


def _json_keys(value: Any, wanted: str, depth: int = 0) -> set[str]:
    """The keys under which ``wanted`` is a value in a JSON object, ``_ID_DEPTH`` deep."""
    found: set[str] = set()
    if depth >= _ID_DEPTH or not isinstance(value, dict):
        return found
    for key, item in value.items():
        if isinstance(item, str | int) and not isinstance(item, bool) and str(item) == wanted:
            found.add(str(key))
        elif isinstance(item, dict):
            found |= _json_keys(item, wanted, depth + 1)
    return found


def _json_holds(raw: bytes, keys: set[str], wanted: str) -> bool:
    """Whether ``raw`` (JSON, maybe broken) has one of ``keys`` with the whole value
    ``wanted``: quoted and closed, or a number followed by a delimiter."""
    value = re.escape(wanted.encode())
    for key in keys:
        name = re.escape(json.dumps(key).encode())
        pattern = rb"%s\s*:\s*(?:\"%s\"|%s(?=\s*[,}\]]))" % (name, value, value)
        if re.search(pattern, raw):
            return True
    return False


def _cells(raw: bytes, delimiter: str) -> list[str]:
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        row = next(csv.reader([text.replace("\r\n", "\n")], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [cell.strip() for cell in row]


def _row_holds(corrected: bytes, raw: bytes, wanted: str) -> bool:
    """Whether the table row ``raw`` has ``wanted`` in a column where the corrected row
    ``corrected`` has it."""
    for delimiter in _DELIMITERS:
        columns = [i for i, cell in enumerate(_cells(corrected, delimiter)) if cell == wanted]
        if not columns:
            continue
        cells = _cells(raw, delimiter)
        if any(i < len(cells) and cells[i] == wanted for i in columns):
            return True
    return False


def _holds(record: ItemRecord | AccountRecord, raw: bytes) -> bool:
    """Whether the quarantined bytes ``raw`` carry ``record``'s id in the same field."""
    wanted = record.platform_id
    corrected = record.raw
    if corrected.lstrip()[:1] == b"{":
        try:
            keys = _json_keys(json.loads(corrected), wanted)
        except (ValueError, RecursionError):
            return False
        return bool(keys) and _json_holds(raw, keys, wanted)
    return _row_holds(corrected, raw, wanted)


def records_held(
    open_records: Sequence[Open], parsed: Iterable[Parsed], refused: set[int]
) -> set[int]:
    """The keys of ``open_records`` that the corrected file's ``parsed`` records hold.

    ``refused`` are the positions (from 1, as the loader counts them) of the corrected
    file's records that its own load quarantined: those hold nothing. Stops reading as
    soon as every open record is matched.
    """
    by_token: dict[str, list[Open]] = defaultdict(list)
    for waiting in open_records:
        for token in set(_TOKEN.findall(waiting.raw)):
            by_token[token.decode()].append(waiting)
    held: set[int] = set()
    for position, record in enumerate(parsed, start=1):
        if len(held) == len(open_records):
            break
        if not isinstance(record, ItemRecord | AccountRecord) or position in refused:
            continue
        if not record.platform_id or not record.raw:
            continue
        for candidate in by_token.get(record.platform_id, ()):
            if candidate.pk not in held and _holds(record, candidate.raw):
                held.add(candidate.pk)
    return held


def parsed_records(stream: IO[bytes], format_name: str, file_name: str = "") -> Iterator[Parsed]:
    """The records of a corrected file as its load read them (same format, same name)."""
    return parse(stream, format_name, ParseOptions(file_name=file_name))
