"""The loader's hot path: one batch of parsed records into the database, in plain SQL.

A batch is a few thousand records. For each it asks the database once which of its items,
accounts and interactions already exist, decides in Python which are new, updated or
duplicate, and writes them with ``executemany`` on SQLite, and on PostgreSQL with binary
``COPY`` (``BatchWriter._copy``) and one ``UPDATE … FROM`` per table
(``BatchWriter._update``): no model instance is built per record.
The raw payloads of the batch are compressed together into one ``RawBlock``.

``BatchWriter.write`` does not open a transaction: the caller wraps each batch and its
checkpoint in one, so a batch is stored whole or not at all.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import psycopg
import zstandard
from django.db import connection
from django.utils import timezone
from psycopg.adapt import Dumper

from netra.social.accounts import HANDLE_ORDER_SQL, account_id_adopt
from netra.social.batches import (
    COMPRESSOR,
    AccountKey,
    PreparedBatch,
    PreparedInteraction,
    PreparedItem,
    account_key,
    db_time_function,
)
from netra.social.models import Account, Interaction, Item, RawBlock, Source
from netra.social.search import search_index_defer, search_index_restore
from netra.social.sources.records import AccountRecord, ParseProblem

OUTCOMES = ("read", "new", "updated", "duplicate", "quarantined")
RECORD_TYPES = ("item", "account", "interaction", "problem")

# Bound on the account caches a long run keeps (about 250 bytes an account: 12 MB).
_CACHE_LIMIT = 50_000
# Parameters per IN (...) query: SQLite allows 32,766, PostgreSQL 65,535.
_CHUNK = 900
# SQLite page cache while loading (KiB): part of the 200 MB a load may hold (32 MiB loads
# no faster).
BULK_CACHE_KIB = 24 * 1024
# The tables a load grows, analysed as they grow on PostgreSQL (BatchWriter.write): only
# the columns the loader looks rows up by. The planner needs those and the tables' sizes;
# the whole of social_item (its text and search vector) takes ten times as long, and
# autovacuum analyses everything once the load has changed enough.
_GROWING_TABLES = (
    "social_account (platform, platform_id, handle)",
    "social_accountsnapshot (account_id, source_id)",
    "social_item (platform, platform_id)",
    "social_itemprovenance (item_id, source_id)",
    "social_interaction (key)",
)
# Pages the WAL may grow to while loading before the loader waits for a checkpoint (128 MiB).
WAL_PAGES_LIMIT = 32_768
BOUND_WAIT_SECONDS = 30
# Secondary indexes whose entries land all over them: an item's by its author, an
# interaction's by its actor and by its target account. Each batch rewrites most of their
# pages, and more so as they grow (a third of a million-tweet load into SQLite). A large
# load that may more than double the tables drops them and builds them again at its end,
# sorted: about a second per index and million rows. The loader itself never reads them.
DEFERRED_INDEXES = (
    (Item, "item_author_created"),
    (Interaction, "interaction_actor"),
    (Interaction, "interaction_target_account"),
)
# A file may add about a row per KiB (an X API v2 page: two per KiB, tweets and mentions).
_BYTES_PER_ROW = 1024
# A quarantined record keeps at most this many bytes of itself.
QUARANTINE_RAW_LIMIT = 64 * 1024

_DECOMPRESSOR = zstandard.ZstdDecompressor()
# From this many rows an INSERT on PostgreSQL goes through COPY (BatchWriter._copy).
COPY_ROWS = 64
_INSERT = re.compile(
    r"INSERT INTO (?P<table>\w+) \((?P<columns>[^)]*)\) VALUES \((?P<values>[^)]*)\)"
    r"(?P<conflict> ON CONFLICT DO NOTHING)?$"
)

# From COPY_ROWS rows on, an UPDATE on PostgreSQL is one statement (BatchWriter._update).
_UPDATE = re.compile(r"UPDATE (?P<table>\w+) SET (?P<assignments>.*) WHERE (?P<key>\w+) = %s$")
_PLACEHOLDER = re.compile(r"%s")


@dataclass(slots=True)
class Tally:
    """Counters of one batch or run, by record type and outcome."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: dict.fromkeys(OUTCOMES, 0) for kind in RECORD_TYPES}
    )

    def add(self, kind: str, outcome: str, number: int = 1) -> None:
        row = self.counts[kind]
        row["read"] += number
        row[outcome] += number

    def merge(self, other: Tally) -> None:
        for kind, row in other.counts.items():
            mine = self.counts[kind]
            for outcome, number in row.items():
                mine[outcome] += number

    def total(self, outcome: str) -> int:
        return sum(row[outcome] for row in self.counts.values())

    def totals(self) -> dict[str, int]:
        return {outcome: self.total(outcome) for outcome in OUTCOMES}


def defers_indexes(size: int) -> bool:
    """Whether a load of ``size`` bytes into SQLite should build DEFERRED_INDEXES at its end.

    Yes when the file may add more rows than the items and interactions tables hold: then
    building the indexes anew costs less than inserting each entry in place. Not on
    PostgreSQL, where dropping an index locks the table for other sessions.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM social_item)"
            " + (SELECT COALESCE(MAX(id), 0) FROM social_interaction)"
        )
        (rows,) = cursor.fetchone()
    return size // _BYTES_PER_ROW > int(rows)


def restore_indexes() -> None:
    """Build every deferred index that is missing, the full-text index too: after a load,
    or one killed midway."""
    search_index_restore()
    names = [name for _model, name in DEFERRED_INDEXES]
    listed = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        # A cheap look first: the introspection below parses every index's SQL.
        if connection.vendor == "sqlite":
            sql = f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ({listed})"  # noqa: S608
        else:
            sql = (
                "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()"  # noqa: S608
                f" AND indexname IN ({listed})"
            )
        cursor.execute(sql, names)
        (present,) = cursor.fetchone()
    if present == len(names):
        return
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        for model in {model for model, _name in DEFERRED_INDEXES}:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for index in model._meta.indexes:
                if (model, index.name) in DEFERRED_INDEXES and index.name not in present:
                    cursor.execute(str(index.create_sql(model, editor)))


def _drop_indexes() -> None:
    search_index_defer()
    with connection.cursor() as cursor:
        for _model, name in DEFERRED_INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


@contextmanager
def bulk_session(*, defer_indexes: bool = False) -> Iterator[Callable[[], None]]:
    """SQLite settings for loading a file, the connection's own again after.

    A larger page cache: inserting into the indexes of a million-row table touches pages
    all over them, and with SQLite's default 2 MiB cache each batch would read and rewrite
    many of them again. And, for a database file in WAL mode, the checkpoints (copying
    committed pages into the database file, and the fsyncs that make that safe) move from
    the loader's commits to a thread of their own, which writes while the loader goes on:
    the same durability, off the hot path (a tenth of a large load's time).

    With ``defer_indexes`` (see ``defers_indexes``) DEFERRED_INDEXES are dropped for the
    load and built again when it ends, however it ends; a load killed midway leaves them
    to the next load, which builds them first.

    Yields what the loader calls between its transactions (see ``WalCheckpointer.bound``).
    """
    restore_indexes()
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    if defer_indexes:
        _drop_indexes()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (autocheckpoint,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    path = Path(str(connection.settings_dict["NAME"]))
    checkpointer = None
    if journal_mode == "wal" and path.is_file():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        checkpointer = WalCheckpointer(path)
        checkpointer.start()
    try:
        yield checkpointer.bound if checkpointer else lambda: None
    finally:
        try:
            if defer_indexes:
                restore_indexes()
        finally:
            if checkpointer:
                checkpointer.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")


class WalCheckpointer(threading.Thread):
    """Checkpoints a SQLite database's WAL again and again until stopped, then once more.

    PASSIVE: it copies what is committed and never blocks the loader. SQLite lets go of
    the GIL while it works, so the loader's Python runs meanwhile. The WAL starts again
    from its beginning only when a write transaction begins with everything copied: the
    loader calls ``bound`` between its transactions, which waits for that once the WAL
    has grown past ``limit`` pages, so it stays about that size.
    """

    def __init__(self, path: Path, limit: int = WAL_PAGES_LIMIT) -> None:
        super().__init__(name="netra-wal-checkpoint", daemon=True)
        self.path = path
        self.limit = limit
        self.stopping = threading.Event()
        self.nudged = threading.Event()  # something was committed: copy it
        self.wanted = threading.Event()  # the loader waits for a whole checkpoint
        self.done = threading.Event()
        self.pages = 0  # in the WAL at the last checkpoint

    def run(self) -> None:
        database = sqlite3.connect(self.path, timeout=20, check_same_thread=False)
        try:
            while not self.stopping.is_set():
                self.nudged.wait(0.1)
                self.nudged.clear()
                wanted = self.wanted.is_set()
                try:
                    _busy, pages, copied = database.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                except sqlite3.OperationalError:  # busy: the next pass copies it
                    pages, copied = -1, -1
                if pages >= 0:
                    self.pages = pages
                if pages >= 0 and copied >= pages:
                    if wanted:
                        self.wanted.clear()
                        self.done.set()
                else:
                    # A reader still needs older pages, or the database was busy.
                    self.stopping.wait(0.01)
                    self.nudged.set()
            with suppress(sqlite3.OperationalError):
                database.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self.done.set()  # nobody waits for a thread that has ended
            database.close()

    def bound(self) -> None:
        """After a commit: have it copied; when the WAL is long, wait until it all is.

        ``pages`` is what the last pass saw, a transaction behind at most: the WAL stays
        within ``limit`` and two transactions.
        """
        self.nudged.set()
        if self.pages > self.limit and self.is_alive():
            self.done.clear()
            self.wanted.set()
            self.nudged.set()
            # A reader holding an old snapshot keeps pages from being copied; a load does
            # not wait on it for ever (the WAL then grows, as it would with autocheckpoint).
            self.done.wait(BOUND_WAIT_SECONDS)
            self.pages = 0

    def stop(self) -> None:
        self.stopping.set()
        self.nudged.set()
        self.join()


def raw_read(block_id: int, start: int, length: int) -> bytes:
    """The raw bytes of one stored record (see ``ItemProvenance`` and ``AccountSnapshot``)."""
    block = RawBlock.objects.get(pk=block_id)
    return _DECOMPRESSOR.decompress(bytes(block.data))[start : start + length]


class _JsonTextDumper(Dumper):
    """JSON the rows hold as text already (``batches`` writes it so) in jsonb's binary form,
    for a binary COPY: psycopg's own would write the text as a JSON string."""

    format = psycopg.pq.Format.BINARY
    oid = psycopg.postgres.types["jsonb"].oid

    def dump(self, obj: str) -> bytes:
        return b"\x01" + obj.encode()


def _array(values: Sequence[Any]) -> str:
    """An array of texts or numbers as PostgreSQL writes one: ``= ANY`` takes it as it is,
    where psycopg would adapt each value in Python (a tenth of the loader's own time)."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    plain = "".join(values)
    if '"' in plain or "\\" in plain:  # rare: escaped one by one
        values = [value.replace("\\", "\\\\").replace('"', '\\"') for value in values]
    joined = '","'.join(values)
    return '{"' + joined + '"}'


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _block_of(compressed: bytes, *row_lists: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """A raw block of only the records the rows name; the rows pointing into it."""
    whole = _DECOMPRESSOR.decompress(compressed)
    kept = bytearray()
    moved: list[list[tuple[Any, ...]]] = []
    for rows in row_lists:
        moved.append([])
        for *values, start, length in rows:
            moved[-1].append((*values, len(kept), length))
            kept += whole[start : start + length + 1]  # with its newline
    block = RawBlock.objects.create(size=len(kept), data=COMPRESSOR.compress(kept))
    return (block, *moved)


def _item_update(
    c: PreparedItem, author: int | None, source_id: int, now: Any, pk: int
) -> tuple[Any, ...]:
    """The values of the UPDATE in ``BatchWriter._items`` for a newer version of an item;
    a value that only replaces a known one (``CASE WHEN %s <> '' THEN %s``) goes twice."""
    return (
        c.kind,
        author,
        *(c.parent_platform_id, c.parent_platform_id),
        *(c.root_platform_id, c.root_platform_id),
        *(c.text, c.text),
        *(c.title, c.title),
        *(c.language, c.language),
        *(c.media != "[]", c.media),
        *(c.permalink, c.permalink),
        c.created_at,
        c.collected_at,
        *(c.metrics != "{}", c.metrics),
        c.deleted,
        c.withheld,
        c.reason,
        c.raw_sha256,
        source_id,
        now,
        pk,
    )


def _item_version(
    item: PreparedItem, author: int | None, source_id: int, pk: int
) -> tuple[Any, ...]:
    """The values of the INSERT of an ItemVersion in ``BatchWriter._items``."""
    return (
        pk,
        source_id,
        author,
        item.text,
        item.title,
        item.language,
        item.media,
        item.permalink,
        item.created_at,
        item.collected_at,
        item.metrics,
        item.deleted,
        item.withheld,
        item.reason,
        item.raw_sha256,
    )


class BatchWriter:
    """Writes batches of one source; keeps account ids between batches of a run."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.vendor = connection.vendor
        # (platform, "i" + platform id | "h" + handle) -> account pk
        self.account_ids: dict[tuple[str, str], int] = {}
        # account pk -> digest of its newest snapshot ("" when it has none)
        self.snapshot_digests: dict[int, str] = {}
        # Times as this database takes them (prepared batches hold them so too).
        self._time = db_time_function(self.vendor)
        # When a record says nothing of when it was seen: when the source first arrived,
        # so that loading the same file again changes no time.
        self.default_seen = self._time(source.created_at)
        # The placeholder of a JSON value, written "%j" in the SQL below.
        self._json = "%s::jsonb" if self.vendor == "postgresql" else "%s"
        self.batches = 0
        # (table, columns) -> the columns' type oids, for binary COPY (PostgreSQL)
        self._copy_types: dict[tuple[str, str], list[int]] = {}
        # table -> the sequence of its keys (PostgreSQL)
        self._sequences: dict[str, str] = {}
        # UPDATE statement -> how ``_update`` runs it (PostgreSQL)
        self._update_plans: dict[str, tuple[str, str, str, list[int]]] = {}

    # --- helpers -------------------------------------------------------------------------

    def _select(self, sql: str, values: Sequence[Any], *params: Any) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with ``{in}`` for the IN list) over ``values``: on PostgreSQL at once
        (``= ANY`` of an array), on SQLite in chunks (its limit of parameters)."""
        rows: list[tuple[Any, ...]] = []
        if not values:
            return rows
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("IN ({in})", "= ANY(%s)"), [*params, _array(values)])
                return list(cursor.fetchall())
        with connection.cursor() as cursor:
            for chunk in _chunks(values):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(sql.format(**{"in": placeholders}), [*params, *chunk])
                rows.extend(cursor.fetchall())
        return rows

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run ``sql`` for each row; how many rows it changed."""
        if not rows:
            return 0
        if self.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
                return int(cursor.rowcount)
        connection.ensure_connection()
        if len(rows) >= COPY_ROWS and (insert := _INSERT.match(sql)) is not None:
            return self._copy(insert, rows)[0]
        if len(rows) >= COPY_ROWS and (update := _UPDATE.match(sql)) is not None:
            return self._update(update, sql, rows)
        # Django's psycopg cursor binds parameters in the client, composing the SQL anew
        # for every row; psycopg's own cursor binds on the server: the statement is
        # prepared once and the rows are pipelined. Same connection, same transaction.
        with connection.connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            return int(cursor.rowcount)

    def _copy(
        self,
        insert: re.Match[str],
        rows: Sequence[Sequence[Any]],
        returning: str = "",
        *,
        with_ids: bool = False,
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """The INSERT ``insert`` of many rows on PostgreSQL, through ``COPY``; how many
        rows it inserted, and with ``returning`` (columns the rows give) what the INSERT
        would have returned. ``with_ids``: each row starts with its ``id`` (``_new_ids``).

        Where the statement's every value comes from the rows, ``COPY`` writes them into
        the table itself. With ``ON CONFLICT DO NOTHING`` that is tried under a savepoint:
        the loader asked first which rows exist, so only a load writing the same rows at
        the same moment makes it fail, and then the rows go the other way. That way, or
        where the statement gives a literal (``''``), ``COPY`` fills a temporary table of
        the same columns and one ``INSERT … SELECT`` (with the statement's ``ON CONFLICT``)
        moves them. Either way several times faster than binding row by row; the same
        rows, in the same transaction."""
        table, columns, values, conflict = insert.group("table", "columns", "values", "conflict")
        # The rows hold the placeholders' values; a literal (``''``) is the SELECT's.
        pairs = list(zip(columns.split(","), values.split(","), strict=True))
        if with_ids:
            pairs.insert(0, ("id", "%s"))
            columns = "id, " + columns
        given = ", ".join(name.strip() for name, value in pairs if "%s" in value)
        chosen = ", ".join(
            name.strip() if "%s" in value else value.strip() for name, value in pairs
        )
        names = [name.strip() for name, _value in pairs]
        wanted = [names.index(name.strip()) for name in returning.split(",")] if returning else []
        if len(wanted) == 1:
            raise ValueError("returning: two columns or more")
        with connection.connection.cursor() as cursor:
            if given == chosen:
                if conflict:
                    cursor.execute("SAVEPOINT netra_copy")
                try:
                    self._copy_rows(cursor, table, table, given, rows)
                except psycopg.errors.UniqueViolation:
                    if not conflict:
                        raise
                    cursor.execute("ROLLBACK TO SAVEPOINT netra_copy")
                else:
                    if conflict:
                        cursor.execute("RELEASE SAVEPOINT netra_copy")
                    # Every row went in: what RETURNING would give is in the rows.
                    returned = list(map(itemgetter(*wanted), rows)) if len(wanted) > 1 else []
                    return len(rows), returned
            stage = f"netra_stage_{table}"
            # Temporary: this session's only; made again after a rolled-back batch.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} AS"  # noqa: S608 - our names
                f" SELECT {given} FROM {table} WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {stage}")
            self._copy_rows(cursor, stage, table, given, rows)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {chosen} FROM {stage}{conflict or ''}"  # noqa: S608
                + (f" RETURNING {returning}" if returning else "")
            )
            return int(cursor.rowcount), list(cursor.fetchall()) if returning else []

    def _copy_rows(
        self,
        cursor: psycopg.Cursor[Any],
        into: str,
        table: str,
        given: str,
        rows: Sequence[Sequence[Any]],
        types: list[int] | None = None,
    ) -> None:
        """``COPY`` ``rows`` into ``into``, whose columns ``given`` are those of ``table``
        (or of the ``types`` given, all of its columns in order).

        In the binary format: a time or a number goes as the server keeps it, not as text
        that psycopg writes and the server parses again (half the cost of each row); the
        columns' types come from ``table`` once. JSON columns take the rows' JSON text as it is.
        """
        if types is None:
            types = self._copy_types.get((table, given))
        if types is None:
            cursor.execute(f"SELECT {given} FROM {table} LIMIT 0")  # noqa: S608 - our names
            types = self._copy_types[(table, given)] = [
                column.type_code for column in cursor.description or ()
            ]
        cursor.adapters.register_dumper(None, _JsonTextDumper)
        listed = f" ({given})" if given else ""
        with cursor.copy(f"COPY {into}{listed} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _update(self, update: re.Match[str], sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """The UPDATE ``update`` (``sql``) of many rows on PostgreSQL, in one statement:
        the rows copied into a temporary table, then ``UPDATE … FROM`` it, each ``%s`` of
        the SET clause the value of its column. How many rows it changed.

        The temporary table's columns are of the types PostgreSQL gives the statement's
        parameters (asked once, by preparing it), so each value means what it means row by
        row. A key the rows name more than once is updated once per round, the rounds in
        the rows' order: what running the statement row after row would leave.
        """
        table, assignments, key = update.group("table", "assignments", "key")
        plan = self._update_plans.get(sql)
        if plan is None:
            plan = self._update_plans[sql] = self._update_plan(table, assignments, key, sql)
        stage, create, statement, types = plan
        rounds: list[list[Sequence[Any]]] = []
        seen: dict[Any, int] = {}
        for row in rows:
            number = seen.get(row[-1], 0)
            seen[row[-1]] = number + 1
            if number == len(rounds):
                rounds.append([])
            rounds[number].append(row)
        changed = 0
        with connection.connection.cursor() as cursor:
            cursor.execute(create)
            for chunk in rounds:
                cursor.execute(f"TRUNCATE {stage}")
                self._copy_rows(cursor, stage, "", "", chunk, types=types)
                cursor.execute(statement)
                changed += int(cursor.rowcount)
        return changed

    def _update_plan(
        self, table: str, assignments: str, key: str, sql: str
    ) -> tuple[str, str, str, list[int]]:
        """For ``_update``: its temporary table, the statement making it, the UPDATE from
        it and the types of its columns (those of the parameters of ``sql``)."""
        count = sql.count("%s")
        numbers = iter(range(1, count + 1))
        prepared = _PLACEHOLDER.sub(lambda _match: f"${next(numbers)}", sql)
        with connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE netra_update_probe AS {prepared}")
            try:
                cursor.execute(
                    "SELECT parameter_types::oid[], parameter_types::text[]"
                    " FROM pg_prepared_statements WHERE name = 'netra_update_probe'"
                )
                types, names = cursor.fetchone() or ([], [])
            finally:
                cursor.execute("DEALLOCATE netra_update_probe")
        stage = f"netra_set_{table}_{_digest(sql)[:8]}"
        numbers = iter(range(1, count + 1))
        setting = _PLACEHOLDER.sub(lambda _match: f"s.p{next(numbers)}", assignments)
        columns = ", ".join(f"p{number} {name}" for number, name in enumerate(names, start=1))
        return (
            stage,
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ({columns})",
            f"UPDATE {table} SET {setting} FROM {stage} s"  # noqa: S608 - our names
            f" WHERE {table}.{key} = s.p{count}",
            list(types),
        )

    def _new_ids(self, table: str, count: int) -> list[int]:
        """``count`` keys of ``table`` taken from its sequence, for rows about to be copied
        in: each row's key is known without asking for it again."""
        with connection.connection.cursor() as cursor:
            sequence = self._sequences.get(table)
            if sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                (sequence,) = cursor.fetchone() or ("",)
                self._sequences[table] = sequence
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [pk for (pk,) in cursor.fetchall()]

    # --- the batch -----------------------------------------------------------------------

    def write(self, batch: PreparedBatch, run_id: int) -> Tally:
        """Store one prepared batch; return what became of each of its records."""
        self.batches += 1
        if self.vendor == "postgresql":
            # Each batch commits with its checkpoint: should the server itself crash, a
            # batch committed in the last moment is lost together with its checkpoint, and
            # the run does it again. So the commit need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if self.vendor == "postgresql" and self.batches & (self.batches - 1) == 0:
            # Batches 1, 2, 4, 8…: a table that grows from nothing within one load keeps
            # the statistics of an empty one, and PostgreSQL then answers each batch's
            # "which of these exist" by reading the whole table instead of its index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(_GROWING_TABLES))
        tally = Tally()
        self._resolve_accounts(batch.accounts_named)
        # Both kinds of rows end with (raw_start, raw_length) in the batch's raw block.
        snapshot_rows = self._accounts(batch.accounts, tally)
        provenance_rows = self._items(batch.items, tally)
        self._interactions(batch.interactions, tally)
        self._problems(batch.problems, run_id, tally)
        if snapshot_rows or provenance_rows:
            if len(snapshot_rows) + len(provenance_rows) == batch.raw_count:
                block = RawBlock.objects.create(size=batch.raw_size, data=batch.raw_block)
            else:
                # Some records were stored before: keep only the bytes of the others.
                block, snapshot_rows, provenance_rows = _block_of(
                    batch.raw_block, snapshot_rows, provenance_rows
                )
            block_id = block.pk
            self._many(
                "INSERT INTO social_accountsnapshot (account_id, source_id, seen_at, handle,"
                " display_name, bio, followers, following, posts, deleted, withheld, reason,"
                " digest, raw_start, raw_length, raw_block_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [(*row, block_id) for row in snapshot_rows],
            )
            self._many(
                'INSERT INTO social_itemprovenance (item_id, source_id, line, "offset",'
                " raw_sha256, raw_start, raw_length, raw_block_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(*row, block_id) for row in provenance_rows],
            )
        return tally

    # --- accounts ------------------------------------------------------------------------

    def _resolve_accounts(self, named: dict[AccountKey, tuple[str, str, str]]) -> None:
        """Make sure every account the batch names exists, and cache its id."""
        known = self.account_ids
        wanted = {key: value for key, value in named.items() if key not in known}
        if not wanted:
            return
        if len(known) > _CACHE_LIMIT:
            known.clear()
            self.snapshot_digests.clear()
        self._lookup_accounts(wanted)
        missing = [value for key, value in wanted.items() if key not in known]
        if any(platform_id and handle for _platform, platform_id, handle in missing):
            self._adopt_handle_only(missing)
            self._lookup_accounts({key: wanted[key] for key in wanted if key not in known})
            missing = [value for key, value in wanted.items() if key not in known]
        if missing:
            now = self._time(timezone.now())
            self._many(
                "INSERT INTO social_account (created_at, updated_at, platform, platform_id,"
                " handle, display_name, bio, url) VALUES (%s, %s, %s, %s, %s, '', '', '')"
                " ON CONFLICT DO NOTHING",
                [
                    (now, now, platform, platform_id, handle)
                    for platform, platform_id, handle in missing
                ],
            )
            self._lookup_accounts({key: wanted[key] for key in wanted if key not in known})

    def _adopt_handle_only(self, missing: Sequence[tuple[str, str, str]]) -> None:
        """Give an account known only by its handle the platform id a record now tells.

        A supervisor enters a post by hand with the author's handle; the platform's own
        data later names the same handle with its id: that is the same account, not a new one.
        Of several handle-only rows the first by ``HANDLE_ORDER_SQL`` (the oldest) adopts
        it, through ``accounts.account_id_adopt`` (one Event each; adoptions are rare).
        """
        by_platform: dict[str, dict[str, str]] = {}
        for platform, platform_id, handle in missing:
            if platform_id and handle:
                by_platform.setdefault(platform, {})[handle.lower()] = platform_id
        adopted: dict[int, str] = {}
        for platform, ids in by_platform.items():
            for pk, handle in self._select(
                # S608: HANDLE_ORDER_SQL is a constant; the values go as parameters.
                "SELECT id, handle FROM social_account WHERE platform = %s AND platform_id = ''"  # noqa: S608
                " AND lower(handle) IN ({in}) ORDER BY " + HANDLE_ORDER_SQL,
                sorted(ids),
                platform,
            ):
                platform_id = ids.pop(handle.lower(), "")  # the first one, once
                if platform_id:
                    adopted[pk] = platform_id
                    self.account_ids.pop((platform, "h" + handle.lower()), None)
        for pk, account in Account.objects.in_bulk(sorted(adopted)).items():
            account_id_adopt(account=account, platform_id=adopted[pk])

    def _lookup_accounts(self, wanted: dict[tuple[str, str], tuple[str, str, str]]) -> None:
        by_platform: dict[str, tuple[list[str], list[str]]] = {}
        for platform, platform_id, handle in wanted.values():
            ids, handles = by_platform.setdefault(platform, ([], []))
            if platform_id:
                ids.append(platform_id)
            else:
                handles.append(handle.lower())
        found: dict[tuple[str, str], int] = {}
        for platform, (ids, handles) in by_platform.items():
            if ids:
                for pk, platform_id in self._select(
                    "SELECT id, platform_id FROM social_account"
                    " WHERE platform = %s AND platform_id IN ({in})",
                    ids,
                    platform,
                ):
                    found[(platform, "i" + platform_id)] = pk
            if handles:
                # A reference by handle alone (manual entry, a spreadsheet, a mention):
                # of the accounts that hold the handle, the first by the one tie-break
                # (netra.social.accounts). Handles are case-insensitive on every platform
                # Netra reads.
                for pk, handle in self._select(
                    # S608: HANDLE_ORDER_SQL is a constant; the values go as parameters.
                    "SELECT id, handle FROM social_account WHERE platform = %s"  # noqa: S608
                    " AND lower(handle) IN ({in}) ORDER BY " + HANDLE_ORDER_SQL,
                    handles,
                    platform,
                ):
                    found.setdefault((platform, "h" + handle.lower()), pk)
        new_pks: list[int] = []
        for key, pk in found.items():
            self.account_ids[key] = pk
            if pk not in self.snapshot_digests:
                new_pks.append(pk)
        for pk in new_pks:
            self.snapshot_digests[pk] = ""
        if new_pks:
            for account_id, digest in self._select(
                "SELECT s.account_id, s.digest FROM social_accountsnapshot s WHERE s.id IN"
                " (SELECT MAX(id) FROM social_accountsnapshot WHERE account_id IN ({in})"
                " GROUP BY account_id)",
                new_pks,
            ):
                self.snapshot_digests[account_id] = digest

    def account_id(self, platform: str, platform_id: str, handle: str) -> int | None:
        """The key of an account the batch named (see ``batches.account_key``)."""
        key = account_key(platform, platform_id, handle)
        return None if key is None else self.account_ids.get(key)

    def _accounts(
        self, accounts: Sequence[tuple[AccountRecord, int, int]], tally: Tally
    ) -> list[tuple[Any, ...]]:
        """Profiles: a snapshot row for each version a source shows; the account follows it."""
        snapshots: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        source_id = self.source.pk
        # Versions this source already gave: loading it again adds no snapshot, whatever
        # other sources said in between.
        pks = {self.account_id(a.platform, a.platform_id, a.handle) for a, *_raw in accounts}
        given = {
            (account_id, digest)
            for account_id, digest in self._select(
                "SELECT account_id, digest FROM social_accountsnapshot WHERE source_id = %s"
                " AND account_id IN ({in})",
                sorted(pk for pk in pks if pk is not None),
                source_id,
            )
        }
        # Accounts whose row this source may bring up to date: none shown yet, or shown as
        # a source of this one's scope showed it (see ``Account.shown_source``).
        scope = self.source.scope
        ours = {
            account_id
            for account_id, shown, owner, election in self._select(
                "SELECT a.id, a.shown_source_id, s.owner_id, s.election_id FROM social_account a"
                " LEFT JOIN social_source s ON s.id = a.shown_source_id WHERE a.id IN ({in})",
                sorted(pk for pk in pks if pk is not None),
            )
            if shown is None or (owner, election) == scope
        }
        for account, raw_start, raw_length in accounts:
            pk = self.account_id(account.platform, account.platform_id, account.handle)
            if pk is None:
                raise LookupError(f"account {account.platform_id or account.handle} not stored")
            digest = _digest(
                account.handle,
                account.display_name,
                account.bio,
                account.url,
                account.followers,
                account.following,
                account.posts,
                account.deleted,
                account.withheld,
                account.reason,
            )
            if (pk, digest) in given:
                tally.add("account", "duplicate")
                continue
            # Each source keeps one snapshot per version it showed, even one already
            # known: that is where the version was seen, and a second load finds it.
            given.add((pk, digest))
            previous = self.snapshot_digests.get(pk, "")
            if previous == digest:
                tally.add("account", "duplicate")
            else:
                tally.add("account", "updated" if previous else "new")
            self.snapshot_digests[pk] = digest
            snapshots.append(
                (
                    pk,
                    source_id,
                    self._time(account.seen_at),
                    account.handle,
                    account.display_name,
                    account.bio,
                    account.followers,
                    account.following,
                    account.posts,
                    account.deleted,
                    account.withheld,
                    account.reason[:500],
                    digest,
                    raw_start,
                    raw_length,
                )
            )
            if pk in ours:
                updates.append(
                    (
                        account.handle,
                        account.display_name,
                        account.bio,
                        account.url[:500],
                        source_id,
                        self._time(timezone.now()),
                        pk,
                    )
                )
        self._many(
            "UPDATE social_account SET handle = CASE WHEN %s <> '' THEN %s ELSE handle END,"
            " display_name = COALESCE(%s, display_name), bio = COALESCE(%s, bio),"
            " url = CASE WHEN %s <> '' THEN %s ELSE url END, shown_source_id = %s,"
            " updated_at = %s WHERE id = %s",
            [
                (h, h, name, bio, url, url, shown, at, pk)
                for h, name, bio, url, shown, at, pk in updates
            ],
        )
        return snapshots

    # --- items ---------------------------------------------------------------------------

    def _items(self, items: Sequence[PreparedItem], tally: Tally) -> list[tuple[Any, ...]]:
        """Insert new items, merge changed ones; return the provenance rows to add."""
        if not items:
            return []
        # (platform, platform id) -> [pk, sha, collected_at, whether this source's scope
        # is that of the item's shown source]
        existing: dict[tuple[str, str], list[Any]] = {}
        by_platform: dict[str, list[str]] = {}
        for item in items:
            by_platform.setdefault(item.platform, []).append(item.platform_id)
        scope = self.source.scope
        for platform, ids in by_platform.items():
            for pk, platform_id, sha, collected, shown, owner, election in self._select(
                "SELECT i.id, i.platform_id, i.raw_sha256, i.collected_at, i.shown_source_id,"
                " s.owner_id, s.election_id FROM social_item i"
                " LEFT JOIN social_source s ON s.id = i.shown_source_id"
                " WHERE i.platform = %s AND i.platform_id IN ({in})",
                ids,
                platform,
            ):
                same_scope = shown is None or (owner, election) == scope
                existing[(platform, platform_id)] = [
                    pk,
                    sha,
                    self._read_time(collected),
                    same_scope,
                ]
        with_provenance: set[int] = set()
        if existing:
            with_provenance = {
                row[0]
                for row in self._select(
                    "SELECT item_id FROM social_itemprovenance WHERE source_id = %s"
                    " AND item_id IN ({in})",
                    [value[0] for value in existing.values()],
                    self.source.pk,
                )
            }
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        # (platform, platform_id), line, offset, sha, start, length
        provenance: list[tuple[Any, ...]] = []
        pending: set[tuple[str, str]] = set()  # new in this batch
        new = updated = duplicate = 0
        now = self._time(timezone.now())
        account_ids = self.account_ids
        source_id = self.source.pk
        for item in items:
            key = (item.platform, item.platform_id)
            sha = item.raw_sha256
            author_key = item.author
            found = existing.get(key)
            if found is None:
                if key in pending:
                    # Twice in one source (a page repeats a tweet it quotes): the first one
                    # read is this source's version, as when the repeat comes in a later batch.
                    duplicate += 1
                    continue
                pending.add(key)
                author = account_ids.get(author_key) if author_key else None
                inserts.append((author, *item[5:], source_id, now, now))
                new += 1
            else:
                pk, known_sha, known_collected, same_scope = found
                collected = item.collected_at
                if pk in with_provenance:
                    # A version this source gave already: loading a file again changes
                    # nothing, whatever other files said in between.
                    duplicate += 1
                    continue
                with_provenance.add(pk)
                if not same_scope:
                    # Another owner or election: this source's version is its own and the
                    # item's row stays as the sources of its scope showed it.
                    author = account_ids.get(author_key) if author_key else None
                    versions.append(_item_version(item, author, source_id, pk))
                    if known_sha == sha:
                        duplicate += 1
                    else:
                        updated += 1
                elif known_sha == sha:
                    duplicate += 1
                elif collected is None or known_collected is None or collected >= known_collected:
                    author = account_ids.get(author_key) if author_key else None
                    updates.append(_item_update(item, author, source_id, now, pk))
                    found[1], found[2] = sha, collected
                    updated += 1
                else:
                    duplicate += 1  # an older copy: kept as provenance only
            provenance.append((key, item.line, item.offset, sha, item.raw_start, item.raw_length))
        tally.add("item", "new", new)
        tally.add("item", "updated", updated)
        tally.add("item", "duplicate", duplicate)
        item_sql = (
            "INSERT INTO social_item (author_id, platform, platform_id, kind,"
            " parent_platform_id, root_platform_id, text, title, language, media, permalink,"
            " created_at, collected_at, metrics, deleted, withheld, reason, raw_sha256,"
            " shown_source_id, first_seen_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %j, %s, %s, %s, %j, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING".replace("%j", self._json)
        )
        returned: list[tuple[Any, ...]] = []
        if self.vendor == "postgresql" and (insert := _INSERT.match(item_sql)) and inserts:
            # The new rows come with their keys, taken first: no second look-up.
            inserted, returned = self._copy(
                insert,
                [
                    (pk, *row)
                    for pk, row in zip(
                        self._new_ids("social_item", len(inserts)), inserts, strict=True
                    )
                ],
                returning="id, platform, platform_id",
                with_ids=True,
            )
        else:
            inserted = self._many(item_sql, inserts)
        self._many(
            "UPDATE social_item SET kind = %s, author_id = COALESCE(%s, author_id),"
            " parent_platform_id = CASE WHEN %s <> '' THEN %s ELSE parent_platform_id END,"
            " root_platform_id = CASE WHEN %s <> '' THEN %s ELSE root_platform_id END,"
            " text = CASE WHEN %s <> '' THEN %s ELSE text END,"
            " title = CASE WHEN %s <> '' THEN %s ELSE title END,"
            " language = CASE WHEN %s <> '' THEN %s ELSE language END,"
            " media = CASE WHEN %s THEN %j ELSE media END,"
            " permalink = CASE WHEN %s <> '' THEN %s ELSE permalink END,"
            " created_at = COALESCE(%s, created_at), collected_at = COALESCE(%s, collected_at),"
            " metrics = CASE WHEN %s THEN %j ELSE metrics END,"
            " deleted = %s, withheld = %s, reason = %s, raw_sha256 = %s,"
            " shown_source_id = %s, updated_at = %s WHERE id = %s".replace("%j", self._json),
            updates,
        )
        self._many(
            "INSERT INTO social_itemversion (item_id, source_id, author_id, text, title,"
            " language, media, permalink, created_at, collected_at, metrics, deleted, withheld,"
            " reason, raw_sha256) VALUES (%s, %s, %s, %s, %s, %s, %j, %s, %s, %s, %j, %s, %s,"
            " %s, %s) ON CONFLICT DO NOTHING".replace("%j", self._json),
            versions,
        )
        if not provenance:
            return []
        item_ids = {key: value[0] for key, value in existing.items()}
        for pk, platform, platform_id in returned:
            item_ids[(platform, platform_id)] = pk
        # New rows another load inserted first (ON CONFLICT DO NOTHING) are not returned.
        missing = pending - item_ids.keys()
        if missing and self.vendor == "sqlite" and inserted == len(inserts):
            # One statement in one write transaction: SQLite numbered every row one after
            # the other (AUTOINCREMENT), the last last_insert_rowid(); no need to ask.
            with connection.cursor() as cursor:
                cursor.execute("SELECT last_insert_rowid()")
                (last,) = cursor.fetchone()
            for pk, row in enumerate(inserts, start=last - len(inserts) + 1):
                item_ids[(row[1], row[2])] = pk  # (author, platform, platform id, ...)
        elif missing:
            by_platform = {}
            for platform, platform_id in missing:
                by_platform.setdefault(platform, []).append(platform_id)
            for platform, platform_ids in by_platform.items():
                for pk, platform_id in self._select(
                    "SELECT id, platform_id FROM social_item"
                    " WHERE platform = %s AND platform_id IN ({in})",
                    platform_ids,
                    platform,
                ):
                    item_ids[(platform, platform_id)] = pk
        return [
            (item_ids[key], source_id, line, offset, sha, start, length)
            for key, line, offset, sha, start, length in provenance
        ]

    # --- interactions --------------------------------------------------------------------

    def _interactions(self, interactions: Sequence[PreparedInteraction], tally: Tally) -> None:
        if not interactions:
            return
        rows: dict[str, list[Any]] = {}
        default_seen = self.default_seen
        ids = self.account_ids
        duplicate = 0
        for interaction in interactions:
            (
                actor_key,
                target_key,
                platform,
                kind,
                reaction,
                target_item,
                via_item,
                occurred,
                observed,
            ) = interaction
            actor = ids.get(actor_key)
            if actor is None:
                raise LookupError(f"actor {actor_key} not stored")
            target = ids.get(target_key) if target_key else None
            # The item it happened in or to leads the key, so a batch's new keys land
            # together in the key's index (mentions of new posts at its end) rather than
            # on thousands of its pages; the digest makes it unique.
            key = (
                (via_item or target_item)[:60]
                + ":"
                + _digest(
                    platform,
                    actor,
                    kind,
                    reaction,
                    target_item,
                    target,
                    via_item,
                    # With no target (an export's reaction names no post) only its time
                    # tells one from another.
                    None if target_item or target else self._key_time(occurred),
                )
            )
            seen = observed or occurred or default_seen
            row = rows.get(key)
            if row is None:
                rows[key] = [interaction, actor, target, seen, seen]
            else:
                row[3] = min(row[3], seen)
                row[4] = max(row[4], seen)
                duplicate += 1
        known = {
            key: (self._read_time(first), self._read_time(last), self._read_time(occurred))
            for key, first, last, occurred in self._select(
                "SELECT key, first_seen_at, last_seen_at, occurred_at FROM social_interaction"
                " WHERE key IN ({in})",
                list(rows),
            )
        }
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        source_id = self.source.pk
        for key, (interaction, actor, target, first, last) in rows.items():
            *_accounts, platform, kind, reaction, target_item, via_item, occurred, _seen = (
                interaction
            )
            stored = known.get(key)
            if stored is None:
                inserts.append(
                    (
                        key,
                        platform,
                        kind,
                        reaction,
                        actor,
                        target_item,
                        target,
                        via_item,
                        occurred,
                        first,
                        last,
                        source_id,
                    )
                )
                continue
            old_first, old_last, old_occurred = stored
            new_first = min(first, old_first) if old_first else first
            new_last = max(last, old_last) if old_last else last
            new_occurred = old_occurred or occurred
            if (new_first, new_last, new_occurred) == stored:
                duplicate += 1
                continue
            updates.append((new_first, new_last, new_occurred, key))
        tally.add("interaction", "new", len(inserts))
        tally.add("interaction", "updated", len(updates))
        tally.add("interaction", "duplicate", duplicate)
        self._many(
            "INSERT INTO social_interaction (key, platform, kind, reaction_type, actor_id,"
            " target_item_platform_id, target_account_id, via_item_platform_id, occurred_at,"
            " first_seen_at, last_seen_at, source_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            inserts,
        )
        self._many(
            "UPDATE social_interaction SET first_seen_at = %s, last_seen_at = %s,"
            " occurred_at = %s WHERE key = %s",
            updates,
        )

    def _read_time(self, value: Any) -> Any:
        """A time read back with plain SQL, as ``db_time_function`` gives it: comparable."""
        if value is None or self.vendor != "sqlite":
            return value
        if isinstance(value, datetime):  # Django's SQLite converter: naive UTC
            return value.isoformat(" ")
        return value

    def _key_time(self, value: Any) -> datetime | None:
        """A time as an interaction's key has always spelt it: an aware UTC datetime."""
        if value is None or isinstance(value, datetime):
            return value.astimezone(UTC) if value is not None and value.tzinfo is not UTC else value
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    # --- problems ------------------------------------------------------------------------

    def _problems(
        self, problems: Sequence[tuple[int, ParseProblem]], run_id: int, tally: Tally
    ) -> None:
        tally.add("problem", "quarantined", len(problems))
        self._many(
            "INSERT INTO social_quarantinedrecord (source_id, run_id, position, line,"
            ' "offset", path, reason, raw) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)'
            " ON CONFLICT DO NOTHING",
            [
                (
                    self.source.pk,
                    run_id,
                    position,
                    problem.line,
                    problem.offset,
                    problem.path[:300],
                    problem.reason,
                    problem.raw[:QUARANTINE_RAW_LIMIT],
                )
                for position, problem in problems
            ],
        )
