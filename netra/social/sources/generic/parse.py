"""Netra's own table format, for any other tool or spreadsheet: ``netra-csv`` and ``netra-jsonl``.

One record per row (CSV) or per line (JSONL). The ``record`` column says what the row is:
``item`` (the default), ``account`` or ``interaction``; the other columns are the fields of
``ItemRecord``, ``AccountRecord`` and ``InteractionRecord`` under the same names, with
``id`` for ``platform_id``, ``metric_<name>`` for each counter and ``permalink`` also for
an account's profile URL. docs/ingest-format.md is the user's description; this module
is its implementation and must keep to it.

Rules the docs state and the tests hold:

* CSV column names are matched by ``tables.header_key`` (case, spaces, ``-`` ``_`` ``.``
  do not matter); JSONL keys are the exact names. A column or key that is neither known
  nor ignorable (``no``, ``nomor``, ``catatan``, ``keterangan``, ``notes``, names
  starting with ``#``, CSV columns without a name, JSONL keys starting with ``_``)
  refuses the CSV file (``UnrecognisedFormat`` listing them) or the JSONL line;
* every fault of a row is gathered into one ``ParseProblem`` for that row, naming the
  columns and the values;
* a time without a zone is in the row's ``timezone`` column, else WIB (+07:00);
* an account's ``display_name`` and ``bio`` are None when the column is absent (or JSON
  null), ``""`` when present and empty, so a snapshot does not clear what it never said;
* a non-empty cell in a column that does not belong to the row's record type is a fault
  (``text`` on an ``account`` row), rather than silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, tzinfo
from typing import IO, Any, TypeVar

from django.utils.translation import gettext as _

from netra.social.sources import registry
from netra.social.sources.reading import RecordError, read_json_lines
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
    metrics_from,
)
from netra.social.sources.tables import (
    WIB,
    TableRow,
    open_table,
    parse_count,
    parse_flag,
    parse_time,
    parse_zone,
)

CSV_FORMAT = "netra-csv"
JSONL_FORMAT = "netra-jsonl"
CSV_LABEL = "Netra CSV"
JSONL_LABEL = "Netra JSONL"

# Naive times in a row without a ``timezone`` cell are Western Indonesia Time.
DEFAULT_ZONE: tzinfo = WIB

ITEM = "item"
ACCOUNT = "account"
INTERACTION = "interaction"
_RECORD_ALIASES = {"konten": ITEM, "akun": ACCOUNT, "interaksi": INTERACTION}

_COMMON = frozenset({"record", "platform", "timezone"})
ITEM_COLUMNS = _COMMON | {
    "id",
    "kind",
    "author_id",
    "author_handle",
    "created_at",
    "text",
    "title",
    "parent_id",
    "root_id",
    "language",
    "media",
    "permalink",
    "metrics",  # JSONL only: {"likes": 12}
    "collected_at",
    "deleted",
    "withheld",
    "reason",
}
ACCOUNT_COLUMNS = _COMMON | {
    "id",
    "handle",
    "display_name",
    "bio",
    "permalink",
    "followers",
    "following",
    "posts",
    "seen_at",
    "deleted",
    "withheld",
    "reason",
}
INTERACTION_COLUMNS = _COMMON | {
    "kind",
    "actor_id",
    "actor_handle",
    "target_item_id",
    "target_account_id",
    "target_account_handle",
    "reaction_type",
    "via_item_id",
    "occurred_at",
    "collected_at",
}
_COLUMNS = {ITEM: ITEM_COLUMNS, ACCOUNT: ACCOUNT_COLUMNS, INTERACTION: INTERACTION_COLUMNS}
ALL_COLUMNS = ITEM_COLUMNS | ACCOUNT_COLUMNS | INTERACTION_COLUMNS

_METRIC = re.compile(r"metric_(?P<name>[a-z0-9]+(?:_[a-z0-9]+)*)")
_IGNORED = frozenset({"no", "nomor", "catatan", "keterangan", "notes"})
# Excel turns long numeric ids into floating point: 1.84467E+18 has lost its digits.
_SCIENTIFIC = re.compile(r"[0-9.,]+[eE][+-]?[0-9]+")
_SPACE = re.compile(r"\s")
_MEDIA_SPLIT = re.compile(r"[\s|]+")
_TYPED_URL = re.compile(r"(?P<type>[A-Za-z_]+):(?P<url>https?://.+)")


def is_column(key: str) -> bool:
    """Whether a column key (or JSONL key) is one of the format's fields."""
    return key in ALL_COLUMNS or _METRIC.fullmatch(key) is not None


def is_ignored(key: str) -> bool:
    """Whether a column key is one the format skips: notes, row numbers, unnamed columns."""
    return key in _IGNORED or key.startswith(("#", "_"))


# --- reading one row's values, gathering every fault --------------------------------------

_T = TypeVar("_T")


class _Row:
    """One row's values by key (CSV cells or JSON values) and the faults found reading them."""

    def __init__(
        self, values: Mapping[str, Any], label: Callable[[str], str], *, crlf: bool = False
    ) -> None:
        self.values = values
        self.label = label
        # A CSV cell keeps the file's line endings; free text is stored with "\n" only.
        self.crlf = crlf
        self.faults: list[tuple[str, str]] = []
        self.zone: tzinfo = DEFAULT_ZONE

    def fault(self, key: str, reason: str) -> None:
        self.faults.append((key, reason))

    def given(self, key: str) -> bool:
        """Whether the row has a non-empty value for that key."""
        value = self.values.get(key)
        if value.__class__ is str:
            return value != "" and not value.isspace()
        return value is not None

    def _read(self, key: str, read: Callable[[Any], _T], empty: _T) -> _T:
        if not self.given(key):
            return empty
        try:
            return read(self.values[key])
        except RecordError as error:
            self.fault(key, str(error))
            return empty

    def _string(self, key: str, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise RecordError(_("kolom '%(field)s' bukan teks") % {"field": self.label(key)})

    def text(self, key: str, *, strip: bool = True) -> str:
        """A text value; ``""`` when absent or empty. Free text keeps its spaces."""

        def read(value: Any) -> str:
            text = self._string(key, value)
            if self.crlf:
                text = text.replace("\r\n", "\n")
            return text.strip() if strip else text

        return self._read(key, read, "")

    def optional_text(self, key: str) -> str | None:
        """None when the column is absent (or JSON null); else the text, possibly ``""``."""
        if self.values.get(key) is None:
            return None
        return self.text(key)

    def identifier(self, key: str) -> str:
        """An id: text without spaces; Excel's scientific notation is refused with advice."""

        def read(value: Any) -> str:
            text = self._string(key, value).strip()
            if _SCIENTIFIC.fullmatch(text):
                raise RecordError(
                    _(
                        "ID '%(value)s' di kolom '%(field)s' sudah dirusak Excel menjadi "
                        "notasi ilmiah; format kolom itu sebagai Teks sebelum mengetik atau "
                        "menempel ID"
                    )
                    % {"value": text, "field": self.label(key)}
                )
            if _SPACE.search(text):
                raise RecordError(
                    _("ID '%(value)s' di kolom '%(field)s' berisi spasi")
                    % {"value": text, "field": self.label(key)}
                )
            return text

        return self._read(key, read, "")

    def handle(self, key: str) -> str:
        """An account handle, without a leading ``@``."""
        return self.identifier(key).removeprefix("@")

    def count(self, key: str) -> int | None:
        return self._read(key, lambda value: _count(value, field=self.label(key)), None)

    def time(self, key: str) -> datetime | None:
        def read(value: Any) -> datetime:
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise RecordError(_("kolom '%(field)s' bukan teks") % {"field": self.label(key)})
            return parse_time(value, field=self.label(key), default_zone=self.zone)

        return self._read(key, read, None)

    def flag(self, key: str) -> bool:
        def read(value: Any) -> bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            if isinstance(value, str):
                return parse_flag(value, field=self.label(key))
            raise RecordError(
                _("kolom '%(field)s' harus ya/tidak (1/0, true/false), bukan '%(value)s'")
                % {"field": self.label(key), "value": value}
            )

        return self._read(key, read, False)

    def choice(self, key: str, choices: Mapping[str, str], default: str = "") -> str:
        """One of ``choices`` (keys, any case), as its value; ``default`` when empty."""

        def read(value: Any) -> str:
            text = self._string(key, value).strip()
            chosen = choices.get(text.casefold())
            if chosen is None:
                raise RecordError(
                    _("'%(value)s' di kolom '%(field)s' tidak dikenal; pilihannya: %(choices)s")
                    % {
                        "value": text,
                        "field": self.label(key),
                        "choices": ", ".join(sorted(set(choices.values()))),
                    }
                )
            return chosen

        return self._read(key, read, default)

    def metrics(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        nested = self.values.get("metrics")
        if nested is not None:
            if isinstance(nested, dict):
                for name, value in nested.items():
                    if _METRIC.fullmatch(f"metric_{name}") is None:
                        self.fault(
                            "metrics", _("nama metrik '%(name)s' tidak sah") % {"name": name}
                        )
                        continue
                    if value is None:
                        continue
                    try:
                        count = _count(value, field=f"metrics.{name}")
                    except RecordError as error:
                        self.fault("metrics", str(error))
                        continue
                    if count is not None:
                        counts[name] = count
            else:
                self.fault("metrics", _("kolom 'metrics' bukan objek"))
        for key in self.values:
            match = _METRIC.fullmatch(key)
            if match is None:
                continue
            count = self.count(key)
            if count is None:
                continue
            if match["name"] in counts:
                self.fault(
                    key,
                    _("metrik '%(name)s' tertulis dua kali (di 'metrics' dan '%(field)s')")
                    % {"name": match["name"], "field": self.label(key)},
                )
            counts[match["name"]] = count
        return counts

    def media(self) -> tuple[Media, ...]:
        value = self.values.get("media")
        if value is None or (isinstance(value, str) and not value.strip()):
            return ()
        entries: list[Any] = _MEDIA_SPLIT.split(value.strip()) if isinstance(value, str) else value
        if not isinstance(entries, list):
            self.fault("media", _("kolom 'media' bukan teks atau daftar"))
            return ()
        found: list[Media] = []
        for entry in entries:
            media = _media(entry)
            if media is None:
                self.fault(
                    "media",
                    _(
                        "media '%(value)s' bukan URL http(s), 'jenis:URL' atau "
                        '{"type": …, "url": …}'
                    )
                    % {"value": entry},
                )
                continue
            found.append(media)
        return tuple(found)


def _count(value: Any, *, field: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        return parse_count(value, field=field)
    raise RecordError(
        _("kolom '%(field)s' bukan bilangan bulat: '%(value)s'") % {"field": field, "value": value}
    )


def _media(entry: Any) -> Media | None:
    if isinstance(entry, dict):
        url, kind = entry.get("url"), entry.get("type", "")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return Media(type=kind if isinstance(kind, str) else "", url=url)
        return None
    if not isinstance(entry, str):
        return None
    typed = _TYPED_URL.fullmatch(entry)
    if typed is not None and not typed["url"].startswith("//"):
        return Media(type=typed["type"].lower(), url=typed["url"])
    if entry.startswith(("http://", "https://")):
        return Media(type="", url=entry)
    return None


_RECORD_CHOICES = {ITEM: ITEM, ACCOUNT: ACCOUNT, INTERACTION: INTERACTION} | _RECORD_ALIASES
# The values the ``record`` column takes, aliases included (for sniffing).
RECORD_NAMES = frozenset(_RECORD_CHOICES)
_ITEM_KINDS = {kind.value: kind.value for kind in ItemKind}
_INTERACTION_KINDS = {kind.value: kind.value for kind in InteractionKind}


# --- rows into records --------------------------------------------------------------------


def _record(
    row: _Row,
    options: ParseOptions,
    *,
    raw: bytes,
    line: int | None,
    offset: int,
) -> AccountRecord | ItemRecord | InteractionRecord | None:
    """The row's record, or None with ``row.faults`` saying why."""
    record = row.choice("record", _RECORD_CHOICES, ITEM)
    platform = row.choice("platform", registry.platform_names())
    if not row.given("platform"):
        row.fault("platform", _("kolom '%(field)s' kosong") % {"field": row.label("platform")})
    if row.given("timezone"):
        try:
            row.zone = parse_zone(row.text("timezone"), field=row.label("timezone"))
        except RecordError as error:
            row.fault("timezone", str(error))
    if row.faults:
        return None
    foreign = sorted(
        key
        for key in row.values
        if key not in _COLUMNS[record]
        and not (record == ITEM and _METRIC.fullmatch(key))
        and not is_ignored(key)
        and row.given(key)
    )
    for key in foreign:
        row.fault(
            key,
            _("kolom '%(field)s' tidak berlaku untuk record '%(record)s'")
            % {"field": row.label(key), "record": record},
        )
    if record == ACCOUNT:
        return _account(row, platform, options, raw)
    if record == INTERACTION:
        return _interaction(row, platform, options)
    return _item(row, platform, options, raw=raw, line=line, offset=offset)


def _item(
    row: _Row, platform: str, options: ParseOptions, *, raw: bytes, line: int | None, offset: int
) -> ItemRecord | None:
    platform_id = row.identifier("id")
    if not row.given("id"):
        row.fault("id", _("kolom '%(field)s' kosong") % {"field": row.label("id")})
    deleted, withheld = row.flag("deleted"), row.flag("withheld")
    author_id, author_handle = row.identifier("author_id"), row.handle("author_handle")
    if not (author_id or author_handle or deleted or withheld or row.faults):
        row.fault(
            "author_id",
            _("kolom '%(id)s' dan '%(handle)s' kosong; isi salah satu")
            % {"id": row.label("author_id"), "handle": row.label("author_handle")},
        )
    item = ItemRecord(
        platform=platform,
        platform_id=platform_id,
        kind=ItemKind(row.choice("kind", _ITEM_KINDS, ItemKind.POST.value)),
        author_id=author_id,
        author_handle=author_handle,
        created_at=row.time("created_at"),
        text=row.text("text", strip=False),
        title=row.text("title", strip=False),
        parent_id=row.identifier("parent_id"),
        root_id=row.identifier("root_id"),
        language=row.text("language"),
        media=row.media(),
        permalink=row.text("permalink"),
        metrics=metrics_from(row.metrics()),
        collected_at=row.time("collected_at") or options.collected_at,
        deleted=deleted,
        withheld=withheld,
        reason=row.text("reason"),
        raw=raw,
        line=line,
        offset=offset,
    )
    return None if row.faults else item


def _account(row: _Row, platform: str, options: ParseOptions, raw: bytes) -> AccountRecord | None:
    platform_id, handle = row.identifier("id"), row.handle("handle")
    if not (platform_id or handle or row.faults):
        row.fault(
            "id",
            _("kolom '%(id)s' dan '%(handle)s' kosong; isi salah satu")
            % {"id": row.label("id"), "handle": row.label("handle")},
        )
    account = AccountRecord(
        platform=platform,
        platform_id=platform_id,
        handle=handle,
        display_name=row.optional_text("display_name"),
        bio=row.optional_text("bio"),
        url=row.text("permalink"),
        followers=row.count("followers"),
        following=row.count("following"),
        posts=row.count("posts"),
        seen_at=row.time("seen_at") or options.collected_at,
        deleted=row.flag("deleted"),
        withheld=row.flag("withheld"),
        reason=row.text("reason"),
        raw=raw,
    )
    return None if row.faults else account


def _interaction(row: _Row, platform: str, options: ParseOptions) -> InteractionRecord | None:
    kind = row.choice("kind", _INTERACTION_KINDS)
    if not row.given("kind"):
        row.fault(
            "kind",
            _("kolom '%(field)s' wajib untuk interaksi; pilihannya: %(choices)s")
            % {"field": row.label("kind"), "choices": ", ".join(sorted(_INTERACTION_KINDS))},
        )
    actor_id, actor_handle = row.identifier("actor_id"), row.handle("actor_handle")
    if not (actor_id or actor_handle or row.given("actor_id") or row.given("actor_handle")):
        row.fault(
            "actor_id",
            _("kolom '%(id)s' dan '%(handle)s' kosong; isi salah satu")
            % {"id": row.label("actor_id"), "handle": row.label("actor_handle")},
        )
    targets = ("target_item_id", "target_account_id", "target_account_handle")
    if not any(row.given(key) for key in targets):
        row.fault(
            "target_item_id",
            _("sasaran interaksi kosong; isi %(columns)s")
            % {"columns": ", ".join(row.label(key) for key in targets)},
        )
    interaction = InteractionRecord(
        platform=platform,
        kind=InteractionKind(kind) if kind else InteractionKind.LIKE,
        actor_id=actor_id,
        actor_handle=actor_handle,
        target_item_id=row.identifier("target_item_id"),
        target_account_id=row.identifier("target_account_id"),
        target_account_handle=row.handle("target_account_handle"),
        reaction_type=row.text("reaction_type").lower(),
        via_item_id=row.identifier("via_item_id"),
        occurred_at=row.time("occurred_at"),
        observed_at=row.time("collected_at") or options.collected_at,
    )
    return None if row.faults else interaction


def _problem(row: _Row, *, line: int | None, offset: int, raw: bytes, path: str) -> ParseProblem:
    return ParseProblem(
        reason="; ".join(reason for _key, reason in row.faults),
        line=line,
        offset=offset,
        path=path,
        raw=raw,
    )


# --- the two formats ----------------------------------------------------------------------


def parse_csv(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Parse a ``netra-csv`` file: a header row, then one record per row.

    Raises ``UnrecognisedFormat`` when the file is not such a table: no ``platform``
    column, or a column that is neither a field nor ignorable (all of them are listed).
    """
    table = open_table(stream, format_label=CSV_LABEL, required=("platform",))
    unknown = [table.names[key] for key in table.keys if not is_column(key) and not is_ignored(key)]
    if unknown:
        raise UnrecognisedFormat(
            _(
                "Kolom %(columns)s tidak dikenal dalam %(format)s. Perbaiki namanya, hapus "
                "kolomnya, atau awali namanya dengan # agar dilewati."
            )
            % {"columns": ", ".join(f"'{name}'" for name in unknown), "format": CSV_LABEL}
        )
    if "metrics" in table.keys:
        raise UnrecognisedFormat(
            _(
                "Kolom 'metrics' hanya untuk JSONL; dalam %(format)s tulis satu kolom per "
                "metrik: metric_likes, metric_shares, …"
            )
            % {"format": CSV_LABEL}
        )
    for result in table:
        if isinstance(result, ParseProblem):
            yield result
            continue
        yield from _from_cells(result, options)


def _from_cells(cells: TableRow, options: ParseOptions) -> Iterator[Parsed]:
    row = _Row(cells.cells, lambda key: cells.names.get(key, key), crlf=True)
    record = _record(row, options, raw=cells.raw, line=cells.line, offset=cells.offset)
    if record is not None:
        yield record
        return
    columns = ", ".join(dict.fromkeys(cells.names.get(key, key) for key, _reason in row.faults))
    yield _problem(
        row,
        line=cells.line,
        offset=cells.offset,
        raw=cells.raw,
        path=_("kolom %(column)s") % {"column": columns},
    )


def _accepts(value: dict[str, Any]) -> bool:
    return "platform" in value or "record" in value


def parse_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Parse a ``netra-jsonl`` file: one JSON object per line, keys as the CSV columns.

    Raises ``UnrecognisedFormat`` when the first readable object has neither a
    ``platform`` nor a ``record`` key.
    """
    for line in read_json_lines(stream, accepts=_accepts, format_label=JSONL_LABEL):
        if isinstance(line, ParseProblem):
            yield line
            continue
        row = _Row(line.value, lambda key: key)
        unknown = [key for key in line.value if not is_column(key) and not is_ignored(key)]
        for key in unknown:
            row.fault(key, _("kunci '%(key)s' tidak dikenal") % {"key": key})
        record = (
            None
            if unknown
            else _record(row, options, raw=line.raw, line=line.line, offset=line.offset)
        )
        if record is not None:
            yield record
            continue
        paths = ", ".join(dict.fromkeys(f"$.{key}" for key, _reason in row.faults))
        yield _problem(row, line=line.line, offset=line.offset, raw=line.raw, path=paths)
