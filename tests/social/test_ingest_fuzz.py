"""Fuzzing every ingest parser and the push API with hostile files.

Files are made three ways: byte-level mutations of the recorded payloads under
``sources/payloads`` (flipped, deleted and inserted bytes, cuts, repeated lines, a BOM,
CRLF, UTF-16); hostile values put into those payloads' JSON or table cells (counts of
2**63, escaped NUL and lone surrogates, ids of 10,000 characters, values of the wrong
type, values nested 1,000 to 100,000 levels deep); and arbitrary bytes. Each file is
loaded through ``ingest_file`` with its format forced and with detection, on the test
database; the push API is sent fuzzed raw bodies and fuzzed JSON envelopes. A load costs
a tenth of a second on SQLite, so the two steps that need no database (detection, and
reading a file for the store: parser, then rows as the database takes them) are tried on
many more files than the whole load.

What must hold for every input: nothing but ``IngestError`` escapes a load; a summary
reconciles (read = new + updated + duplicate + quarantined); a first load's quarantined
records are on its source; reading the same file a second time stores nothing new; the
push API answers 200, 400 or 413, never 500.

The formats are taken from the registry when the tests are collected, so a format added
later is fuzzed from its recorded payloads (or from a file made of its keys) without
anyone writing its test. The regression tests at the end hold the minimal input of each
crash found.

Bounded for CI: derandomized, a fixed number of examples per test, no example database
and no shrinking. ``NETRA_FUZZ_PROFILE=long`` runs a longer, random and shrinking search
locally (``NETRA_FUZZ_EXAMPLES=N`` sets the number of examples of each test).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlencode

import hypothesis
import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st

from netra.elections.models import Election
from netra.social.batches import read_batches
from netra.social.collect.tokens import collector_token_create
from netra.social.ingest import (
    FileSummary,
    IngestError,
    LoadStopped,
    NothingLoaded,
    format_detect,
    ingest_file,
)
from netra.social.models import Item, QuarantinedRecord
from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.reading import BOM
from netra.social.sources.records import FormatSpec, ParseOptions, Shape, UnrecognisedFormat
from netra.social.sources.registry import FORMATS

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
URL = "/api/v1/ingest/batches"

# --- how long the search is ---------------------------------------------------------------

_LONG = os.environ.get("NETRA_FUZZ_PROFILE", "ci") == "long"
_EXAMPLES = int(os.environ.get("NETRA_FUZZ_EXAMPLES", "0") or 0)


def fuzz_settings(examples: int) -> hypothesis.settings:
    """Settings of one fuzz test: ``examples`` in CI, many more in the long profile."""
    return hypothesis.settings(
        max_examples=_EXAMPLES or (examples * 25 if _LONG else examples),
        deadline=None,
        database=None,
        derandomize=not _LONG,
        # Shrinking a failure costs minutes; the regression tests hold the minimal inputs.
        phases=(
            (Phase.explicit, Phase.generate, Phase.target, Phase.shrink)
            if _LONG
            else (Phase.explicit, Phase.generate)
        ),
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# --- the recorded payloads, by the format detection gives them --------------------------


@dataclass(frozen=True)
class Seed:
    """A file to start from: a recorded payload, or one made of a format's keys."""

    label: str
    name: str  # its file name: some formats read it (liked_posts.json, @user.json)
    data: bytes

    def __repr__(self) -> str:
        return f"Seed({self.label!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how Hypothesis shows it
        printer.text(repr(self))


def _recorded_seeds() -> dict[str, list[Seed]]:
    found: dict[str, list[Seed]] = {}
    for path in sorted(PAYLOADS.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            name = detect(data[:HEAD_BYTES], path.name)
        except UnrecognisedFormat:
            continue
        label = str(path.relative_to(PAYLOADS))
        found.setdefault(name, []).append(Seed(label, path.name, data))
    return found


_SUFFIXES = {
    Shape.LINES: ".jsonl",
    Shape.OBJECT: ".json",
    Shape.ARRAY: ".json",
    Shape.SCRIPT: ".js",
    Shape.TABLE: ".csv",
}


def _made_seed(spec: FormatSpec) -> Seed:
    """A file of the format's first shape whose records hold every key of the format."""
    shape = spec.shapes[0] if spec.shapes else Shape.LINES
    record = dict.fromkeys(sorted(spec.keys), "1")
    if shape is Shape.TABLE:
        keys = sorted(spec.keys)
        data = (",".join(keys) + "\n" + ",".join("1" for _key in keys) + "\n").encode()
    elif shape is Shape.LINES:
        data = (json.dumps(record) + "\n").encode() * 2
    elif shape is Shape.ARRAY:
        data = json.dumps([record]).encode()
    elif shape is Shape.SCRIPT:
        data = b"window.YTD.tweets.part0 = " + json.dumps([record]).encode()
    else:
        data = json.dumps(record).encode()
    return Seed(f"made from the keys of {spec.name}", "made" + _SUFFIXES[shape], data)


RECORDED = _recorded_seeds()
FORMAT_NAMES = list(FORMATS)
SEEDS: dict[str, list[Seed]] = {
    name: RECORDED.get(name) or [_made_seed(spec)] for name, spec in FORMATS.items()
}
ALL_SEEDS = [seed for seeds in SEEDS.values() for seed in seeds]


# --- hostile values ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A JSON text (or a table cell) to put in place of a value; shown by its label."""

    label: str
    text: str

    def __repr__(self) -> str:
        return self.label

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how Hypothesis shows it
        printer.text(self.label)


def _hostile(*texts: str) -> list[Hostile]:
    return [
        Hostile(text if len(text) <= 40 else f"{text[:12]}…({len(text)})", text) for text in texts
    ]


BIG_NUMBERS = _hostile(
    "9223372036854775808",  # 2**63
    "18446744073709551616",  # 2**64
    "-9223372036854775809",  # -2**63 - 1
    "9223372036854775807",
    "-1",
    "1.5",
    "1e400",
    "-0",
    "NaN",
    "Infinity",
    "1" * 5000,  # more digits than int() converts
)
HOSTILE_STRINGS = _hostile(
    '"\\u0000"',
    '"a\\u0000b"',
    '"\\ud800"',
    '"x\\udc00y"',
    '"' + "7" * 10_000 + '"',
    '"' + "x" * 10_000 + '"',
    '""',
    '" "',
    '"9223372036854775808"',
    '"-1"',
    '"\\r\\n"',
    '"2024-02-30T25:61:00Z"',
    '"9999-12-31T23:59:59-14:00"',
    '"0001-01-01T00:00:00+14:00"',
    '"1727745300000"',
    '"@"',
)
WRONG_TYPES = _hostile(
    "{}", "[]", "[{}]", "[[]]", "null", "true", "false", "[1]", '{"id":{}}', '{"":null}', "12345"
)
ANY_HOSTILE = BIG_NUMBERS + HOSTILE_STRINGS + WRONG_TYPES

HOSTILE_CELLS = _hostile(
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "9.223.372.036.854.775.808",
    "1" * 5000,
    "1e400",
    "NaN",
    "a\x00b",
    "\x00",
    "x" * 10_000,
    "7" * 10_000,
    "",
    " ",
    "\r\n",
    '"',
    "0001-01-01 00:00:00",
    "9999-12-31 23:59:59",
    "0001-01-01 00:00:00 WIT",
    "9999-12-31 23:59:59 -03",
    "2024-02-30 08:00",
    "99999999999",
    "1727745300.5",
    "=1+1",
    "ꦱ",
    "sep=;",
)

INTERESTING_BYTES = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",  # a surrogate written as UTF-8: no UTF-8
    b"\xc0\xaf",  # an overlong encoding
    BOM,
    b"\xff\xfe",
    b"\r\n",
    b"\r",
    b"\n",
    b"\n\n",
    b'"',
    b"'",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b";",
    b"\t",
    b":",
    b"\\u0000",
    b"\\ud800",
    b"9223372036854775808",
    b"-9223372036854775809",
    b"1e400",
    b"NaN",
    b'{"a":',
    b"[" * 64,
]


# --- files ---------------------------------------------------------------------------------


class FuzzFile(Protocol):
    """A file to load, described by what it is made of (shown when an example fails)."""

    @property
    def name(self) -> str: ...

    def build(self) -> bytes: ...


def _at(position: int, data: bytes) -> int:
    return position % (len(data) + 1)


@dataclass(frozen=True)
class Flip:
    at: int
    mask: int

    def apply(self, data: bytes) -> bytes:
        if not data:
            return data
        at = self.at % len(data)
        return data[:at] + bytes([data[at] ^ self.mask]) + data[at + 1 :]


@dataclass(frozen=True)
class Delete:
    at: int
    length: int

    def apply(self, data: bytes) -> bytes:
        at = _at(self.at, data)
        return data[:at] + data[at + self.length :]


@dataclass(frozen=True)
class Insert:
    at: int
    data: bytes

    def apply(self, data: bytes) -> bytes:
        at = _at(self.at, data)
        return data[:at] + self.data + data[at:]


@dataclass(frozen=True)
class Truncate:
    at: int

    def apply(self, data: bytes) -> bytes:
        return data[: _at(self.at, data)]


@dataclass(frozen=True)
class RepeatLine:
    line: int
    times: int

    def apply(self, data: bytes) -> bytes:
        lines = data.split(b"\n")
        at = self.line % len(lines)
        return b"\n".join([*lines[:at], *[lines[at]] * self.times, *lines[at:]])


@dataclass(frozen=True)
class Recode:
    how: Literal["bom", "crlf", "cr", "utf-16", "cp1252", "no-newlines"]

    def apply(self, data: bytes) -> bytes:
        if self.how == "bom":
            return BOM + data
        if self.how == "crlf":
            return data.replace(b"\n", b"\r\n")
        if self.how == "cr":
            return data.replace(b"\n", b"\r")
        if self.how == "no-newlines":
            return data.replace(b"\n", b"")
        text = data.decode("utf-8", "replace")
        if self.how == "utf-16":
            return text.encode("utf-16")
        return text.encode("cp1252", "replace")


Edit = Flip | Delete | Insert | Truncate | RepeatLine | Recode


@dataclass(frozen=True)
class Mutated:
    """A recorded payload with its bytes edited, one edit after the other."""

    seed: Seed
    edits: tuple[Edit, ...]

    @property
    def name(self) -> str:
        return self.seed.name

    def build(self) -> bytes:
        data = self.seed.data
        for edit in self.edits:
            data = edit.apply(data)
        return data


# A place in a JSON file: the index of its document (a JSON Lines line), then keys and indices.
JsonPath = tuple[int | str, ...]
_MARK = "@@netra-fuzz-{}@@"


@dataclass(frozen=True)
class Verbatim:
    """A line of a JSON Lines seed that is no JSON (the payloads hold cut lines on purpose)."""

    data: bytes


@dataclass(frozen=True)
class JsonLayout:
    """A seed's JSON: what comes before it (a script's assignment), its documents."""

    prefix: bytes
    documents: tuple[Any, ...]
    lines: bool
    indent: int | None


def is_table(seed: Seed) -> bool:
    return Path(seed.name).suffix.lower() in {".csv", ".tsv"}


def _line(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return Verbatim(line)


def json_layout(seed: Seed) -> JsonLayout | None:
    """The JSON of a seed, or None for a table or a document that is no JSON."""
    if is_table(seed):
        return None
    data = seed.data.removeprefix(BOM)
    if Path(seed.name).suffix.lower() in {".jsonl", ".ndjson", ".jl"}:
        documents = [_line(line) for line in data.splitlines() if line.strip()]
        return JsonLayout(b"", tuple(documents), True, None)
    prefix = b""
    if seed.name.endswith(".js"):
        head, equals, data = data.partition(b"=")
        prefix = head + equals + b" "
    try:
        document = json.loads(data)
    except ValueError:
        return None
    return JsonLayout(prefix, (document,), False, 2 if b"\n" in data.strip() else None)


def json_paths(layout: JsonLayout) -> list[tuple[JsonPath, Any]]:
    """Every value of the layout's documents with its path, the documents themselves first."""
    found: list[tuple[JsonPath, Any]] = []

    def walk(path: JsonPath, value: Any) -> None:
        found.append((path, value))
        if isinstance(value, dict):
            for key, inner in value.items():
                walk((*path, key), inner)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk((*path, index), inner)

    for index, document in enumerate(layout.documents):
        walk((index,), document)
    return found


def render(layout: JsonLayout, splices: dict[JsonPath, str]) -> bytes:
    """The layout's file with the JSON text of each splice in place of the value at its path.

    The texts are put in as text: a value nested 100,000 levels deep, ``NaN`` or a number
    of 5,000 digits never passes through Python's json module here.
    """
    documents = [copy.deepcopy(document) for document in layout.documents]
    marks: dict[str, str] = {}
    for path, text in sorted(splices.items(), key=lambda pair: len(pair[0])):
        mark = _MARK.format(len(marks))
        index, *keys = path
        if not keys:
            documents[int(index)] = mark
        else:
            parent: Any = documents[int(index)]
            try:
                for key in keys[:-1]:
                    parent = parent[key]
                parent[keys[-1]] = mark
            except (KeyError, IndexError, TypeError):
                continue  # inside a value an earlier splice replaced
        marks[mark] = text
    texts: list[bytes] = []
    for document in documents:
        if isinstance(document, Verbatim):
            texts.append(document.data)
            continue
        text = json.dumps(document, ensure_ascii=False, indent=layout.indent)
        for mark, spliced in marks.items():
            text = text.replace(json.dumps(mark), spliced)
        texts.append(text.encode())
    if layout.lines:
        return b"".join(text + b"\n" for text in texts)
    return layout.prefix + texts[0]


@dataclass(frozen=True)
class Replaced:
    """A recorded JSON payload with hostile values in place of some of its values."""

    seed: Seed
    values: tuple[tuple[JsonPath, Hostile], ...]

    @property
    def name(self) -> str:
        return self.seed.name

    def build(self) -> bytes:
        layout = json_layout(self.seed)
        assert layout is not None
        return render(layout, {path: hostile.text for path, hostile in self.values})


Nesting = Literal["array", "object"]
NESTINGS: list[Nesting] = ["array", "object"]


def nested(depth: int, kind: Nesting) -> str:
    """A JSON value ``depth`` levels deep."""
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@dataclass(frozen=True)
class Nested:
    """A recorded JSON payload with a value nested ``depth`` levels deep: in place of the
    value at ``at``, else as the whole file (in JSON Lines, as a line after the others)."""

    seed: Seed
    depth: int
    kind: Nesting
    at: JsonPath | None

    @property
    def name(self) -> str:
        return self.seed.name

    def build(self) -> bytes:
        layout = json_layout(self.seed)
        assert layout is not None
        deep = nested(self.depth, self.kind)
        if self.at is not None:
            return render(layout, {self.at: deep})
        if layout.lines:
            return render(layout, {}) + deep.encode() + b"\n"
        return layout.prefix + deep.encode()


@dataclass(frozen=True)
class Table:
    """A table's header line (and an Excel ``sep=`` line), delimiter and rows."""

    preamble: str
    delimiter: str
    rows: list[list[str]]
    newline: str


def table_layout(seed: Seed) -> Table:
    # surrogateescape: a table of Windows-1252 bytes is written back byte for byte.
    text = seed.data.removeprefix(BOM).decode("utf-8", "surrogateescape")
    preamble = ""
    if text.lower().startswith("sep="):
        preamble, _newline, text = text.partition("\n")
        preamble += "\n"
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Table(preamble, delimiter, rows, "\r\n" if "\r\n" in text else "\n")


@dataclass(frozen=True)
class Cells:
    """A recorded table with hostile text in some of its cells (row 0 is the header)."""

    seed: Seed
    cells: tuple[tuple[int, int, Hostile], ...]

    @property
    def name(self) -> str:
        return self.seed.name

    def build(self) -> bytes:
        table = table_layout(self.seed)
        rows = [list(row) for row in table.rows]
        for row, column, hostile in self.cells:
            if row < len(rows) and column < len(rows[row]):
                rows[row][column] = hostile.text
        out = io.StringIO(newline="")
        csv.writer(out, delimiter=table.delimiter, lineterminator=table.newline).writerows(rows)
        bom = BOM if self.seed.data.startswith(BOM) else b""
        return bom + (table.preamble + out.getvalue()).encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Raw:
    """Arbitrary bytes under a file name."""

    name: str
    data: bytes

    def build(self) -> bytes:
        return self.data


# --- strategies ----------------------------------------------------------------------------

positions = st.integers(min_value=0, max_value=1 << 20)
some_bytes = st.one_of(st.sampled_from(INTERESTING_BYTES), st.binary(min_size=1, max_size=16))

edits: st.SearchStrategy[Edit] = st.one_of(
    st.builds(Flip, positions, st.integers(min_value=1, max_value=255)),
    st.builds(Delete, positions, st.integers(min_value=1, max_value=64)),
    st.builds(Insert, positions, some_bytes),
    st.builds(Truncate, positions),
    st.builds(RepeatLine, positions, st.integers(min_value=1, max_value=3)),
    st.builds(Recode, st.sampled_from(["bom", "crlf", "cr", "utf-16", "cp1252", "no-newlines"])),
)


def mutated_files(seeds: list[Seed]) -> st.SearchStrategy[FuzzFile]:
    """(a) A seed with one to six byte edits."""
    return st.builds(
        Mutated, st.sampled_from(seeds), st.lists(edits, min_size=1, max_size=6).map(tuple)
    )


_COUNT_WORDS = ("count", "metric", "like", "follow", "comment", "share", "view", "repl", "post")


@st.composite
def _replaced(draw: st.DrawFn, seed: Seed) -> FuzzFile:
    layout = json_layout(seed)
    assert layout is not None
    paths = json_paths(layout)
    numbers = [path for path, value in paths if type(value) is int]
    texts = [path for path, value in paths if type(value) is str]
    everything = [path for path, _value in paths]
    choices = [st.tuples(st.sampled_from(everything), st.sampled_from(ANY_HOSTILE))]
    if numbers:
        choices.insert(0, st.tuples(st.sampled_from(numbers), st.sampled_from(BIG_NUMBERS)))
    if texts:
        choices.insert(1, st.tuples(st.sampled_from(texts), st.sampled_from(HOSTILE_STRINGS)))
    values = draw(st.lists(st.one_of(choices), min_size=1, max_size=4))
    return Replaced(seed, tuple(values))


# 1,000 to 100,000 levels, the deepest first: Hypothesis raises the recursion limit by
# 2,000 frames while it runs a test, so that a value a thousand levels deep, which
# recursion stops in a worker or the command, may be read whole here.
DEPTHS = st.one_of(st.sampled_from([100_000, 10_000, 1_000]), st.integers(1_000, 100_000))


@st.composite
def _nested(draw: st.DrawFn, seed: Seed) -> FuzzFile:
    layout = json_layout(seed)
    assert layout is not None
    depth = draw(DEPTHS)
    kind = draw(st.sampled_from(NESTINGS))
    where = draw(st.one_of(st.none(), st.sampled_from([path for path, _v in json_paths(layout)])))
    return Nested(seed, depth, kind, where)


@st.composite
def _cells(draw: st.DrawFn, seed: Seed) -> FuzzFile:
    table = table_layout(seed)
    header = table.rows[0] if table.rows else []
    counts = [i for i, name in enumerate(header) if any(w in name.lower() for w in _COUNT_WORDS)]
    rows = st.integers(min_value=1, max_value=max(len(table.rows) - 1, 1))
    columns = st.integers(min_value=0, max_value=max(len(header) - 1, 0))
    cell = st.tuples(rows, columns, st.sampled_from(HOSTILE_CELLS))
    if counts:
        cell = st.one_of(
            st.tuples(rows, st.sampled_from(counts), st.sampled_from(BIG_NUMBERS)), cell
        )
    # A header cell too, now and then: the header decides whether the file is read at all.
    header_cell = st.tuples(st.just(0), columns, st.sampled_from(HOSTILE_CELLS))
    values = draw(st.lists(st.one_of(cell, header_cell), min_size=1, max_size=4))
    return Cells(seed, tuple(values))


def hostile_files(seeds: list[Seed]) -> st.SearchStrategy[FuzzFile]:
    """(b) A seed with hostile values in place of some of its JSON values or table cells."""
    choices: list[st.SearchStrategy[FuzzFile]] = []
    if json_seeds := [seed for seed in seeds if json_layout(seed) is not None]:
        choices.append(st.sampled_from(json_seeds).flatmap(_replaced))
    if table_seeds := [seed for seed in seeds if is_table(seed)]:
        choices.append(st.sampled_from(table_seeds).flatmap(_cells))
    return st.one_of(choices)


def nested_files(seeds: list[Seed]) -> st.SearchStrategy[FuzzFile]:
    """(b) A JSON seed with a value nested 1,000 to 100,000 levels deep."""
    return st.sampled_from([seed for seed in seeds if json_layout(seed) is not None]).flatmap(
        _nested
    )


def _prefixes(seeds: list[Seed]) -> list[bytes]:
    found = [
        b"",
        BOM,
        b"\xff\xfe",
        b"\xfe\xff",
        b"sep=;\n",
        b"{",
        b"[",
        b'{"data":[',
        b"window.YTD.tweets.part0 = ",
    ]
    for seed in seeds:
        found += [seed.data.split(b"\n", 1)[0] + b"\n", seed.data[:200]]
    return found


def raw_files(seeds: list[Seed]) -> st.SearchStrategy[FuzzFile]:
    """(c) Arbitrary bytes, after the first bytes of a seed or of a format, under a seed's name."""
    names = sorted({seed.name for seed in seeds} | {"batch.json", "batch.jsonl", "batch.csv", "x"})
    body = st.lists(
        st.one_of(st.sampled_from(INTERESTING_BYTES), st.binary(max_size=64)), max_size=32
    ).map(b"".join)
    data = st.tuples(st.sampled_from(_prefixes(seeds)), body, st.booleans()).map(
        lambda parts: (
            (parts[0] + parts[1]).replace(b"\n", b"\r\n") if parts[2] else parts[0] + parts[1]
        )
    )
    return st.builds(Raw, st.sampled_from(names), data)


# --- the checks ----------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone at its end: each example starts from the database it found."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def load(path: Path, format_name: str | None, *, reread: bool = False) -> FileSummary | None:
    """The summary of a load, also of one that gave nothing; None for a file refused whole.

    Any exception but ``IngestError`` goes on to fail the test, and so does
    ``LoadStopped``: one bad record must never stop a file.
    """
    try:
        return ingest_file(path, format_name=format_name, reread=reread)
    except NothingLoaded as refused:
        return refused.summary
    except LoadStopped:
        raise
    except IngestError:
        return None


def assert_reconciles(summary: FileSummary) -> None:
    totals = summary.tally.totals()
    assert totals["read"] == (
        totals["new"] + totals["updated"] + totals["duplicate"] + totals["quarantined"]
    ), totals
    for kind, row in summary.tally.counts.items():
        assert row["read"] == row["new"] + row["updated"] + row["duplicate"] + row["quarantined"], (
            kind,
            row,
        )


def check_load(path: Path, format_name: str | None, again_as: str | None) -> FileSummary | None:
    """Load a file twice, the second time (as ``again_as``) read again whole, and check
    what must hold of both loads."""
    first = load(path, format_name)
    if first is None:
        return None
    assert_reconciles(first)
    kept = QuarantinedRecord.objects.filter(source_id=first.source_id).count()
    assert kept >= first.tally.totals()["quarantined"], (kept, first.tally.totals())
    again = load(path, again_as, reread=True)
    assert again is not None, "the file was refused whole when read a second time"
    assert again.source_id == first.source_id
    assert_reconciles(again)
    assert again.tally.totals()["new"] == 0, again.tally.totals()
    return first


def detected(path: Path) -> str | None:
    """The format detection gives a file, None when it recognises none."""
    try:
        return format_detect(path)
    except IngestError:
        return None


def check_file(folder: Path, file: FuzzFile, format_name: str) -> None:
    """Write ``file``; load it with its format forced and with detection, from scratch.

    When detection gives the forced format, the second load of the forced one is the load
    with detection (the same reading: a load of its own would only repeat it; each load
    costs a tenth of a second on SQLite).
    """
    path = folder / file.name
    path.write_bytes(file.build())
    found = detected(path)
    with rolled_back():
        check_load(path, format_name, again_as=None if found == format_name else format_name)
    if found is None:
        with rolled_back(), pytest.raises(IngestError):
            ingest_file(path)
    elif found != format_name:
        with rolled_back():
            check_load(path, None, again_as=None)


# --- every format of the registry ----------------------------------------------------------

# Formats with a JSON file to start from: the ones a value nested deep can be put in.
NESTED_FORMATS = [name for name in FORMAT_NAMES if any(json_layout(seed) for seed in SEEDS[name])]


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_mutated_payloads_load_or_are_refused_with_a_reason(
    format_name: str, tmp_path: Path
) -> None:
    @fuzz_settings(4)
    @given(file=mutated_files(SEEDS[format_name]))
    def run(file: FuzzFile) -> None:
        check_file(tmp_path, file, format_name)

    run()


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_hostile_values_load_or_are_quarantined_with_a_reason(
    format_name: str, tmp_path: Path
) -> None:
    @fuzz_settings(5)
    @given(file=hostile_files(SEEDS[format_name]))
    def run(file: FuzzFile) -> None:
        check_file(tmp_path, file, format_name)

    run()


@pytest.mark.parametrize("format_name", NESTED_FORMATS)
def test_values_nested_deep_are_quarantined_with_a_reason(format_name: str, tmp_path: Path) -> None:
    @fuzz_settings(2)
    @given(file=nested_files(SEEDS[format_name]))
    def run(file: FuzzFile) -> None:
        check_file(tmp_path, file, format_name)

    run()


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_arbitrary_bytes_load_or_are_refused_with_a_reason(
    format_name: str, tmp_path: Path
) -> None:
    @fuzz_settings(3)
    @given(file=raw_files(SEEDS[format_name]))
    def run(file: FuzzFile) -> None:
        check_file(tmp_path, file, format_name)

    run()


def any_file(seeds: list[Seed]) -> st.SearchStrategy[FuzzFile]:
    """(a), (b) without nesting, or (c): deep values have their own tests, and the first
    failure ends a test, so that they would hide every other fault."""
    return st.one_of(mutated_files(seeds), hostile_files(seeds), raw_files(seeds))


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_reading_a_fuzzed_file_for_the_store_raises_only_unrecognised_format(
    format_name: str, tmp_path: Path
) -> None:
    """The reading and preparing of a load (parser, then the rows as the database takes
    them) without the database: what a load pays a tenth of a second for on SQLite costs
    a few milliseconds here, so many more files are tried. ``ingest_file`` turns
    ``UnrecognisedFormat`` into ``IngestError``; anything else would escape it."""
    spec = FORMATS[format_name]

    @fuzz_settings(40)
    @given(file=any_file(SEEDS[format_name]))
    def run(file: FuzzFile) -> None:
        path = tmp_path / file.name
        path.write_bytes(file.build())
        batches = read_batches(
            spec,
            path,
            ParseOptions(file_name=path.name),
            skip=0,
            batch_size=100,
            vendor=connection.vendor,
        )
        try:
            for batch in batches:
                assert batch.position >= 0
        except UnrecognisedFormat:
            pass

    run()


def test_detecting_the_format_of_a_fuzzed_file_raises_only_ingest_error(tmp_path: Path) -> None:
    """Detection is the first step of every load without a format and of every push."""

    @fuzz_settings(300)
    @given(file=any_file(ALL_SEEDS))
    def run(file: FuzzFile) -> None:
        path = tmp_path / file.name
        path.write_bytes(file.build())
        detected(path)

    run()


# --- the push API --------------------------------------------------------------------------


@pytest.fixture
def secret(election: Election, settings: Any, tmp_path: Path) -> str:
    """A collector token's secret; pushed files under tmp_path, bodies up to 1 MB."""
    settings.VAR_DIR = tmp_path
    settings.NETRA_PUSH_MAX_MB = 1
    _row, token = collector_token_create(name="kolektor-malang", election=election, actor=None)
    return token


def push(client: Client, secret: str, body: bytes, query: dict[str, str], content_type: str) -> Any:
    url = URL + ("?" + urlencode(query) if query else "")
    return client.post(
        url, data=body, content_type=content_type, headers={"Authorization": f"Bearer {secret}"}
    )


def check_answer(
    client: Client, secret: str, body: bytes, query: dict[str, str], content_type: str
) -> None:
    """The push API's answer to a body: 200, 400 or 413; a 200 twice stores nothing new."""
    with rolled_back():
        response = push(client, secret, body, query, content_type)
        assert response.status_code in {200, 400, 413}, response.content[:2000]
        if response.status_code != 200:
            assert response.json()["detail"]
            return
        first = response.json()
        assert first["read"] == (
            first["new"] + first["updated"] + first["duplicate"] + first["quarantined"]
        ), first
        again = push(client, secret, body, query, content_type)
        assert again.status_code == 200, again.content[:2000]
        assert again.json()["new"] == 0, again.json()


queries = st.fixed_dictionaries(
    {},
    optional={
        "format": st.one_of(st.sampled_from(FORMAT_NAMES), st.text(max_size=20)),
        "filename": st.one_of(
            st.sampled_from(sorted({seed.name for seed in ALL_SEEDS})), st.text(max_size=40)
        ),
    },
)
content_types = st.sampled_from(["application/octet-stream", "application/json", "text/csv"])


def test_the_push_api_answers_fuzzed_raw_bodies_with_200_400_or_413(
    client: Client, secret: str
) -> None:
    files = st.one_of(mutated_files(ALL_SEEDS), hostile_files(ALL_SEEDS), raw_files(ALL_SEEDS))

    @fuzz_settings(20)
    @given(file=files, query=queries, content_type=content_types)
    def run(file: FuzzFile, query: dict[str, str], content_type: str) -> None:
        check_answer(client, secret, file.build(), query, content_type)

    run()


@dataclass(frozen=True)
class Envelope:
    """A push envelope; each of its values a JSON text, put in as it is."""

    format: Hostile
    records: tuple[Hostile, ...] | Hostile
    filename: Hostile | None
    extra_key: bool

    def build(self) -> bytes:
        records = self.records
        if isinstance(records, tuple):
            records = Hostile("", "[" + ",".join(record.text for record in records) + "]")
        parts = [f'"format":{self.format.text}', f'"records":{records.text}']
        if self.filename is not None:
            parts.append(f'"filename":{self.filename.text}')
        if self.extra_key:
            parts.append('"zz":1')
        return ("{" + ",".join(parts) + "}").encode()


_JSON_SEEDS = [seed for seed in ALL_SEEDS if json_layout(seed) is not None]


def _seed_records() -> list[Hostile]:
    """Every document of the JSON seeds as compact JSON: the records collectors push."""
    found: list[Hostile] = []
    for seed in _JSON_SEEDS:
        layout = json_layout(seed)
        assert layout is not None
        for index, document in enumerate(layout.documents):
            if not isinstance(document, Verbatim):
                found.append(Hostile(f"{seed.label}[{index}]", json.dumps(document)))
    return found


SEED_RECORDS = _seed_records()


@st.composite
def _hostile_records(draw: st.DrawFn) -> tuple[Hostile, ...]:
    """The documents of a JSON seed, one a record, with hostile values in some of them."""
    file = draw(st.sampled_from(_JSON_SEEDS).flatmap(_replaced))
    assert isinstance(file, Replaced)
    layout = json_layout(file.seed)
    assert layout is not None
    # One record a line; the seed's lines that are no JSON become nulls.
    documents = tuple(None if isinstance(d, Verbatim) else d for d in layout.documents)
    compact = replace(layout, prefix=b"", documents=documents, lines=True, indent=None)
    lines = render(compact, {path: hostile.text for path, hostile in file.values}).splitlines()
    label = f"{file.seed.label} with {file.values!r}"
    return tuple(Hostile(f"{label}[{i}]", line.decode()) for i, line in enumerate(lines))


def _nested_record(depth: int, kind: Nesting) -> Hostile:
    return Hostile(f"nested({depth}, {kind!r})", nested(depth, kind))


json_texts = st.one_of(
    st.text(max_size=30).map(lambda text: Hostile(repr(text), json.dumps(text))),
    st.sampled_from(ANY_HOSTILE),
)


def envelopes(records: st.SearchStrategy[tuple[Hostile, ...]]) -> st.SearchStrategy[Envelope]:
    """Envelopes of one to a few groups of ``records``; their keys of the right and wrong types."""
    names = st.sampled_from(FORMAT_NAMES).map(lambda name: Hostile(repr(name), json.dumps(name)))
    filenames = st.sampled_from(sorted({seed.name for seed in ALL_SEEDS})).map(
        lambda name: Hostile(repr(name), json.dumps(name))
    )
    return st.builds(
        Envelope,
        st.one_of(names, json_texts),
        st.one_of(
            st.lists(records, max_size=3).map(lambda groups: sum(groups, ())),
            json_texts,
        ),
        st.one_of(st.none(), filenames, json_texts),
        st.booleans(),
    )


def test_the_push_api_answers_fuzzed_envelopes_with_200_400_or_413(
    client: Client, secret: str
) -> None:
    records = st.one_of(
        st.sampled_from(SEED_RECORDS).map(lambda record: (record,)),
        _hostile_records(),
        st.sampled_from(ANY_HOSTILE).map(lambda hostile: (hostile,)),
    )

    @fuzz_settings(20)
    @given(envelope=envelopes(records), query=queries)
    def run(envelope: Envelope, query: dict[str, str]) -> None:
        check_answer(client, secret, envelope.build(), query, "application/json")

    run()


def test_the_push_api_answers_bodies_nested_deep_with_200_400_or_413(
    client: Client, secret: str
) -> None:
    records = st.builds(_nested_record, DEPTHS, st.sampled_from(NESTINGS)).map(
        lambda record: (record,)
    )
    bodies: st.SearchStrategy[FuzzFile | Envelope] = st.one_of(
        nested_files(ALL_SEEDS), envelopes(records)
    )

    @fuzz_settings(4)
    @given(body=bodies, query=queries)
    def run(body: FuzzFile | Envelope, query: dict[str, str]) -> None:
        kind = "application/json" if isinstance(body, Envelope) else "application/octet-stream"
        check_answer(client, secret, body.build(), query, kind)

    run()


# --- regression tests: the smallest input of each crash the fuzzing found -----------------

# The formats of JSON documents and JSON Lines: every format but the tables.
JSON_FORMATS = [name for name, spec in FORMATS.items() if Shape.TABLE not in spec.shapes]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def one_document(folder: Path, format_name: str, body: bytes) -> Path:
    """``body`` as the one document (or line) of a file of the format's first shape."""
    shape = FORMATS[format_name].shapes[0]
    if shape is Shape.SCRIPT:
        body = b"window.YTD.tweets.part0 = " + body
    return write(folder, "fuzz" + _SUFFIXES[shape], body + b"\n")


def assert_one_record_quarantined(path: Path, format_name: str) -> None:
    """The file is read as one record, which is quarantined: the load gives nothing."""
    with pytest.raises(NothingLoaded) as refused:
        ingest_file(path, format_name=format_name)
    totals = refused.value.summary.tally.totals()
    assert (totals["read"], totals["quarantined"]) == (1, 1)
    assert QuarantinedRecord.objects.filter(source_id=refused.value.summary.source_id).count() == 1


@pytest.mark.parametrize("format_name", JSON_FORMATS)
def test_a_document_nested_100000_deep_is_quarantined_not_a_recursion_error(
    format_name: str, tmp_path: Path
) -> None:
    # pydantic-core gives up at its depth limit, and the json module's fallback recurses.
    path = one_document(tmp_path, format_name, nested(100_000, "array").encode())

    assert_one_record_quarantined(path, format_name)


@pytest.mark.parametrize("format_name", JSON_FORMATS)
def test_a_number_of_5000_digits_is_quarantined_not_a_value_error(
    format_name: str, tmp_path: Path
) -> None:
    # More digits than int() converts: json raises a ValueError that is no JSONDecodeError.
    path = one_document(tmp_path, format_name, b"[" + b"1" * 5000 + b"]")

    assert_one_record_quarantined(path, format_name)


@pytest.mark.parametrize(
    ("format_name", "name", "data"),
    [
        (
            "netra-csv",
            "angka.csv",
            b"platform,id,author_handle,metric_likes\nx,1,a," + b"1" * 5000 + b"\n",
        ),
        (
            "netra-jsonl",
            "angka.jsonl",
            b'{"platform":"x","id":"1","author_handle":"a","metrics":{"views":"'
            + b"1" * 5000
            + b'"}}\n',
        ),
    ],
    ids=["netra-csv", "netra-jsonl"],
)
def test_a_count_of_5000_digits_is_quarantined_not_a_value_error(
    format_name: str, name: str, data: bytes, tmp_path: Path
) -> None:
    # tables.parse_count's int() refuses more than 4,300 digits with a plain ValueError.
    assert_one_record_quarantined(write(tmp_path, name, data), format_name)


def test_detecting_a_first_line_nested_deep_raises_no_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, "dalam.json", nested(3_000, "object").encode() + b"\n")

    with pytest.raises(IngestError, match="tidak dikenali"):
        ingest_file(path)


@pytest.mark.parametrize(
    "data",
    [b"a,\rb\n", b"platform,id,author_handle\rx,1,a\r", b"sep=;\n\ra;b\n"],
    ids=["carriage-return-in-the-header", "carriage-return-line-endings", "after-sep"],
)
def test_detecting_a_header_holding_a_bare_carriage_return_raises_no_csv_error(
    data: bytes, tmp_path: Path
) -> None:
    # csv.reader over one line refuses a bare CR in an unquoted cell (_csv.Error); a table
    # saved with CR line endings is one such line.
    path = write(tmp_path, "tabel.csv", data)

    check_load(path, None, again_as=None)


ACCOUNT_COUNTS = {
    "netra-csv": (
        "akun.csv",
        b"record,platform,id,handle,followers\naccount,x,1,a,9223372036854775808\n",
    ),
    "netra-jsonl": (
        "akun.jsonl",
        b'{"record":"account","platform":"x","id":"1","handle":"a",'
        b'"followers":9223372036854775808}\n',
    ),
    "x-v2-json": (
        "users.json",
        b'{"data":[{"id":"1","username":"a","name":"A",'
        b'"public_metrics":{"followers_count":9223372036854775808}}]}',
    ),
    "x-v2-json-negative": (
        "users.json",
        b'{"data":[{"id":"1","username":"a","name":"A",'
        b'"public_metrics":{"followers_count":-9223372036854775809}}]}',
    ),
    "twitter-v1-jsonl": (
        "statuses.jsonl",
        b'{"id_str":"1","text":"t","created_at":"Wed Oct 10 20:19:24 +0000 2018",'
        b'"user":{"id_str":"2","screen_name":"a","followers_count":18446744073709551616}}\n',
    ),
}


@pytest.mark.parametrize("case", list(ACCOUNT_COUNTS))
def test_an_account_count_beyond_64_bits_raises_no_overflow_error(
    case: str, tmp_path: Path
) -> None:
    # SQLite: OverflowError; PostgreSQL: NumericValueOutOfRange (bigint out of range).
    name, data = ACCOUNT_COUNTS[case]
    format_name = case.removesuffix("-negative")

    check_load(write(tmp_path, name, data), format_name, again_as=format_name)


NETRA_ITEM = {"platform": "x", "id": "1", "author_handle": "a"}
NETRA_ACCOUNT = {"record": "account", "platform": "x", "id": "1", "handle": "a"}
NETRA_REACTION = {
    "record": "interaction",
    "platform": "facebook",
    "kind": "reaction",
    "reaction_type": "love",
    "actor_handle": "a",
    "target_item_id": "1",
}
# A record, a key and the JSON text of its value, put in as it is: json.dumps would write
# no lone surrogate.
NetraValue = tuple[dict[str, str], str, str]
SURROGATES: dict[str, NetraValue] = {
    "id": (NETRA_ITEM, "id", '"\\ud800"'),
    "author_handle": (NETRA_ITEM, "author_handle", '"\\ud800"'),
    "text": (NETRA_ITEM, "text", '"\\ud800"'),
    "media": (NETRA_ITEM, "media", '["https://example.com/\\ud800"]'),
    "metric-name": (NETRA_ITEM, "metrics", '{"\\ud800":1}'),
}
NULS: dict[str, NetraValue] = {
    "id": (NETRA_ITEM, "id", '"1\\u0000"'),
    "text": (NETRA_ITEM, "text", '"a\\u0000b"'),
    "media": (NETRA_ITEM, "media", '["https://example.com/\\u0000"]'),
}
LONG_TEXTS: dict[str, NetraValue] = {
    "id": (NETRA_ITEM, "id", '"' + "7" * 10_000 + '"'),
    "author_id": (NETRA_ITEM, "author_id", '"' + "7" * 10_000 + '"'),
    "author_handle": (NETRA_ITEM, "author_handle", '"' + "a" * 10_000 + '"'),
    "parent_id": (NETRA_ITEM, "parent_id", '"' + "7" * 10_000 + '"'),
    "display_name": (NETRA_ACCOUNT, "display_name", '"' + "n" * 10_000 + '"'),
    "target_item_id": (NETRA_REACTION, "target_item_id", '"' + "7" * 10_000 + '"'),
    "reaction_type": (NETRA_REACTION, "reaction_type", '"' + "r" * 10_000 + '"'),
}


def netra_line(record: dict[str, str], key: str, text: str) -> bytes:
    """A netra-jsonl line of ``record`` with the JSON text ``text`` as the value of ``key``."""
    values = {**record, key: _MARK}
    return json.dumps(values).replace(json.dumps(_MARK), text).encode() + b"\n"


@pytest.mark.parametrize("case", list(SURROGATES))
def test_an_escaped_lone_surrogate_raises_no_unicode_error(case: str, tmp_path: Path) -> None:
    # The json module reads "\ud800" as a str no UTF-8 encoder takes: the database
    # driver (ids, handles, text) or pydantic-core (media) raises.
    path = write(tmp_path, "surrogat.jsonl", netra_line(*SURROGATES[case]))

    check_load(path, "netra-jsonl", again_as="netra-jsonl")


@pytest.mark.parametrize("case", list(NULS))
def test_an_escaped_nul_raises_no_data_error_on_either_database(case: str, tmp_path: Path) -> None:
    # PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes") and "\u0000" in
    # jsonb (UntranslatableCharacter); SQLite stores both.
    path = write(tmp_path, "nul.jsonl", netra_line(*NULS[case]))

    check_load(path, "netra-jsonl", again_as="netra-jsonl")


@pytest.mark.parametrize("case", list(LONG_TEXTS))
def test_a_text_of_10000_characters_raises_no_data_error_on_either_database(
    case: str, tmp_path: Path
) -> None:
    # The columns are varchar(40) to varchar(300): PostgreSQL refuses longer values
    # (StringDataRightTruncation); SQLite does not check lengths.
    path = write(tmp_path, "panjang.jsonl", netra_line(*LONG_TEXTS[case]))

    check_load(path, "netra-jsonl", again_as="netra-jsonl")


OUT_OF_RANGE_TIMES = {
    "year-1-in-wib": (
        "netra-csv",
        "waktu.csv",
        b"platform,id,author_handle,created_at\nx,1,a,0001-01-01 00:00:00\n",
    ),
    "year-1-at-plus-14": (
        "x-v2-json",
        "tweets.json",
        b'{"data":[{"id":"1","text":"t","author_id":"2",'
        b'"created_at":"0001-01-01T00:00:00+14:00"}]}',
    ),
    "year-9999-at-minus-14": (
        "x-v2-json",
        "tweets.json",
        b'{"data":[{"id":"1","text":"t","author_id":"2",'
        b'"created_at":"9999-12-31T23:59:59-14:00"}]}',
    ),
}


@pytest.mark.parametrize("case", list(OUT_OF_RANGE_TIMES))
def test_a_time_whose_utc_falls_outside_years_1_to_9999_raises_no_overflow_error(
    case: str, tmp_path: Path
) -> None:
    # On SQLite the time is turned to UTC text ("date value out of range").
    format_name, name, data = OUT_OF_RANGE_TIMES[case]

    check_load(write(tmp_path, name, data), format_name, again_as=format_name)


def test_a_flattened_tweet_whose_media_is_no_list_raises_no_type_error(tmp_path: Path) -> None:
    data = (
        b'{"id":"1","text":"t","author_id":"2","edit_history_tweet_ids":["1"],'
        b'"attachments":{"media":5}}\n'
    )

    check_load(write(tmp_path, "flat.jsonl", data), "x-v2-jsonl", again_as="x-v2-jsonl")


@pytest.mark.parametrize(
    ("format_name", "name"), [("x-v2-jsonl", "x.jsonl"), ("x-v2-json", "x.json")]
)
def test_a_twarc2_page_whose_request_url_is_no_text_raises_no_record_error(
    format_name: str, name: str, tmp_path: Path
) -> None:
    # The RecordError of get_str(twarc, "url") is raised outside the per-record guard.
    data = b'{"data":[{"id":"1","text":"t","author_id":"2"}],"__twarc":{"url":1.5}}\n'

    check_load(write(tmp_path, name, data), format_name, again_as=format_name)


def test_a_json_lines_line_over_1_mib_is_quarantined_not_loaded_whole(tmp_path: Path) -> None:
    # docs/ingest-format.md: "A row (or JSONL line) may not exceed 1 MiB".
    good = b'{"platform":"x","id":"1","author_handle":"a"}\n'
    long = b'{"platform":"x","id":"2","author_handle":"a","text":"' + b"x" * (1 << 20) + b'"}\n'
    path = write(tmp_path, "panjang.jsonl", good + long)

    summary = ingest_file(path, format_name="netra-jsonl")

    totals = summary.tally.totals()
    assert (totals["read"], totals["new"], totals["quarantined"]) == (2, 1, 1)
    assert list(Item.objects.values_list("platform_id", flat=True)) == ["1"]
    assert list(QuarantinedRecord.objects.values_list("line", flat=True)) == [2]


def test_the_push_api_answers_a_json_body_nested_deep_with_400(client: Client, secret: str) -> None:
    # push._envelope reads an application/json body with json.load, which recurses.
    response = push(client, secret, nested(100_000, "array").encode(), {}, "application/json")

    assert response.status_code == 400


def test_the_push_api_answers_an_envelope_record_holding_a_lone_surrogate_without_an_error(
    client: Client, secret: str
) -> None:
    # push.batch_push writes each record with json.dumps(ensure_ascii=False).encode().
    body = (
        b'{"format":"netra-jsonl","records":'
        b'[{"platform":"x","id":"1","author_handle":"a","text":"\\ud800"}]}'
    )

    response = push(client, secret, body, {}, "application/json")

    assert response.status_code in {200, 400}, response.content
