"""The loader's hot path: one batch of parsed records into the database, in plain SQL.

A batch is a few thousand records. For each it asks the database once which of its items,
accounts and interactions already exist, decides in Python which are new, updated or
duplicate, and writes them with ``executemany``: no model instance is built per record.
The raw payloads of the batch are compressed together into one ``RawBlock``.

``BatchWriter.write`` does not open a transaction: the caller wraps each batch and its
checkpoint in one, so a batch is stored whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import zstandard
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.social.models import RawBlock, Source
from netra.social.sources.records import (
    AccountRecord,
    InteractionRecord,
    ItemRecord,
    Parsed,
    ParseProblem,
)

OUTCOMES = ("read", "new", "updated", "duplicate", "quarantined")
RECORD_TYPES = ("item", "account", "interaction", "problem")

# Bound on the id caches a long run keeps (about 100 bytes an entry).
_CACHE_LIMIT = 200_000
# Parameters per IN (...) query: SQLite allows 32,766, PostgreSQL 65,535.
_CHUNK = 900
# SQLite page cache while loading (KiB): part of the 200 MB a load may hold.
BULK_CACHE_KIB = 32 * 1024
# The tables a load grows, analysed as they grow on PostgreSQL (BatchWriter.write).
_GROWING_TABLES = (
    "social_account",
    "social_accountsnapshot",
    "social_item",
    "social_itemprovenance",
    "social_interaction",
)
# A quarantined record keeps at most this many bytes of itself.
QUARANTINE_RAW_LIMIT = 64 * 1024

_COMPRESSOR = zstandard.ZstdCompressor(level=3)
_DECOMPRESSOR = zstandard.ZstdDecompressor()


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


@contextmanager
def bulk_session() -> Iterator[None]:
    """A larger SQLite page cache while a file loads, the connection's own again after.

    Inserting into the indexes of a million-row table touches pages all over them; with
    SQLite's default 2 MiB cache each batch reads and rewrites many of them again.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _unplaceable(reason: str, raw: bytes) -> ParseProblem:
    """A record a parser let through that names nothing to store it under."""
    return ParseProblem(reason=reason, raw=raw)


def raw_read(block_id: int, start: int, length: int) -> bytes:
    """The raw bytes of one stored record (see ``ItemProvenance`` and ``AccountSnapshot``)."""
    block = RawBlock.objects.get(pk=block_id)
    return _DECOMPRESSOR.decompress(bytes(block.data))[start : start + length]


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class BatchWriter:
    """Writes batches of one source; keeps account ids between batches of a run."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.vendor = connection.vendor
        # (platform, "i" + platform id | "h" + handle) -> account pk
        self.account_ids: dict[tuple[str, str], int] = {}
        # account pk -> digest of its newest snapshot ("" when it has none)
        self.snapshot_digests: dict[int, str] = {}
        # When a record says nothing of when it was seen: when the source first arrived,
        # so that loading the same file again changes no time.
        self.default_seen = source.created_at
        # The placeholder of a JSON value, written "%j" in the SQL below.
        self._json = "%s::jsonb" if self.vendor == "postgresql" else "%s"
        # Times as SQLite text, for this batch: records of a page share their collection
        # time, and a mention its post's.
        self._times: dict[datetime, str] = {}
        self.batches = 0

    # --- helpers -------------------------------------------------------------------------

    def _time(self, value: datetime | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        text = self._times.get(value)
        if text is None:
            # What Django's SQLite backend stores: naive UTC in ISO form with a space.
            utc = value if value.tzinfo is UTC else value.astimezone(UTC)
            text = self._times[value] = utc.replace(tzinfo=None).isoformat(" ")
        return text

    def _select(self, sql: str, values: Sequence[Any], *params: Any) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with ``{in}`` for the IN list) over ``values`` in chunks."""
        rows: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for chunk in _chunks(values):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(sql.format(**{"in": placeholders}), [*params, *chunk])
                rows.extend(cursor.fetchall())
        return rows

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            return
        # Django's psycopg cursor binds parameters in the client, composing the SQL anew
        # for every row; psycopg's own cursor binds on the server: the statement is
        # prepared once and the rows are pipelined. Same connection, same transaction.
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    # --- the batch -----------------------------------------------------------------------

    def write(self, batch: Sequence[tuple[int, Parsed]], run_id: int) -> Tally:
        """Store one batch of ``(position, record)`` pairs; return what became of each."""
        self.batches += 1
        self._times.clear()
        if self.vendor == "postgresql" and self.batches & (self.batches - 1) == 0:
            # Batches 1, 2, 4, 8…: a table that grows from nothing within one load keeps
            # the statistics of an empty one, and PostgreSQL then answers each batch's
            # "which of these exist" by reading the whole table instead of its index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(_GROWING_TABLES))
        tally = Tally()
        items: list[tuple[int, ItemRecord]] = []
        accounts: list[AccountRecord] = []
        interactions: list[InteractionRecord] = []
        problems: list[tuple[int, ParseProblem]] = []
        for position, record in batch:
            if record.__class__ is ItemRecord:
                if record.platform_id:
                    items.append((position, record))
                else:
                    problems.append((position, _unplaceable(_("konten tanpa ID"), record.raw)))
            elif record.__class__ is InteractionRecord:
                if record.actor_id or record.actor_handle:
                    interactions.append(record)
                else:
                    problems.append((position, _unplaceable(_("interaksi tanpa pelaku"), b"")))
            elif record.__class__ is AccountRecord:
                if record.platform_id or record.handle:
                    accounts.append(record)
                else:
                    reason = _("akun tanpa ID maupun nama akun")
                    problems.append((position, _unplaceable(reason, record.raw)))
            else:
                problems.append((position, record))  # type: ignore[arg-type]
        self._resolve_accounts(accounts, items, interactions)
        raw = bytearray()
        snapshot_rows = self._accounts(accounts, tally, raw)
        provenance_rows = self._items(items, tally, raw)
        self._interactions(interactions, tally)
        self._problems(problems, run_id, tally)
        if snapshot_rows or provenance_rows:
            block = RawBlock.objects.create(size=len(raw), data=_COMPRESSOR.compress(bytes(raw)))
            self._many(
                "INSERT INTO social_accountsnapshot (account_id, source_id, seen_at, handle,"
                " display_name, bio, followers, following, posts, deleted, withheld, reason,"
                " digest, raw_start, raw_length, raw_block_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [(*row, block.pk) for row in snapshot_rows],
            )
            self._many(
                'INSERT INTO social_itemprovenance (item_id, source_id, line, "offset",'
                " raw_sha256, raw_start, raw_length, raw_block_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(*row, block.pk) for row in provenance_rows],
            )
        return tally

    # --- accounts ------------------------------------------------------------------------

    def _resolve_accounts(
        self,
        accounts: Sequence[AccountRecord],
        items: Sequence[tuple[int, ItemRecord]],
        interactions: Sequence[InteractionRecord],
    ) -> None:
        """Make sure every account the batch names exists, and cache its id."""
        wanted: dict[tuple[str, str], tuple[str, str, str]] = {}
        known = self.account_ids

        def want(platform: str, platform_id: str, handle: str) -> None:
            key = (platform, "i" + platform_id) if platform_id else (platform, "h" + handle.lower())
            if key not in known and key not in wanted and (platform_id or handle):
                wanted[key] = (platform, platform_id, handle)

        for account in accounts:
            want(account.platform, account.platform_id, account.handle)
        for _position, item in items:
            want(item.platform, item.author_id, item.author_handle)
        for interaction in interactions:
            want(interaction.platform, interaction.actor_id, interaction.actor_handle)
            if interaction.target_account_id or interaction.target_account_handle:
                want(
                    interaction.platform,
                    interaction.target_account_id,
                    interaction.target_account_handle,
                )
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
            now = timezone.now()
            self._many(
                "INSERT INTO social_account (created_at, updated_at, platform, platform_id,"
                " handle, display_name, bio, url) VALUES (%s, %s, %s, %s, %s, '', '', '')"
                " ON CONFLICT DO NOTHING",
                [
                    (self._time(now), self._time(now), platform, platform_id, handle)
                    for platform, platform_id, handle in missing
                ],
            )
            self._lookup_accounts({key: wanted[key] for key in wanted if key not in known})

    def _adopt_handle_only(self, missing: Sequence[tuple[str, str, str]]) -> None:
        """Give an account known only by its handle the platform id a record now tells.

        A supervisor enters a post by hand with the author's handle; the platform's own
        data later names the same handle with its id: that is the same account, not a new one.
        """
        by_platform: dict[str, dict[str, str]] = {}
        for platform, platform_id, handle in missing:
            if platform_id and handle:
                by_platform.setdefault(platform, {})[handle.lower()] = platform_id
        adopted: list[tuple[str, int]] = []
        for platform, ids in by_platform.items():
            for pk, handle in self._select(
                "SELECT id, handle FROM social_account WHERE platform = %s AND platform_id = ''"
                " AND lower(handle) IN ({in}) ORDER BY id",
                sorted(ids),
                platform,
            ):
                platform_id = ids.pop(handle.lower(), "")  # the oldest one, once
                if platform_id:
                    adopted.append((platform_id, pk))
                    self.account_ids.pop((platform, "h" + handle.lower()), None)
        self._many(
            "UPDATE social_account SET platform_id = %s WHERE id = %s AND platform_id = ''",
            adopted,
        )

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
                # the account that holds the handle, one with a platform id first.
                # Handles are case-insensitive on every platform Netra reads.
                for pk, handle in self._select(
                    "SELECT id, handle FROM social_account WHERE platform = %s"
                    " AND lower(handle) IN ({in})"
                    " ORDER BY CASE WHEN platform_id = '' THEN 1 ELSE 0 END DESC, id DESC",
                    handles,
                    platform,
                ):
                    found[(platform, "h" + handle.lower())] = pk
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
        if platform_id:
            return self.account_ids.get((platform, "i" + platform_id))
        if handle:
            return self.account_ids.get((platform, "h" + handle.lower()))
        return None

    def _accounts(
        self, accounts: Sequence[AccountRecord], tally: Tally, raw: bytearray
    ) -> list[tuple[Any, ...]]:
        """Profiles: a snapshot row for each version a source shows; the account follows it."""
        snapshots: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        source_id = self.source.pk
        # Versions this source already gave: loading it again adds no snapshot, whatever
        # other sources said in between.
        pks = {self.account_id(a.platform, a.platform_id, a.handle) for a in accounts}
        given = {
            (account_id, digest)
            for account_id, digest in self._select(
                "SELECT account_id, digest FROM social_accountsnapshot WHERE source_id = %s"
                " AND account_id IN ({in})",
                sorted(pk for pk in pks if pk is not None),
                source_id,
            )
        }
        for account in accounts:
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
            start = len(raw)
            raw += account.raw
            raw += b"\n"
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
                    start,
                    len(account.raw),
                )
            )
            updates.append(
                (
                    account.handle,
                    account.display_name,
                    account.bio,
                    account.url[:500],
                    self._time(timezone.now()),
                    pk,
                )
            )
        self._many(
            "UPDATE social_account SET handle = CASE WHEN %s <> '' THEN %s ELSE handle END,"
            " display_name = COALESCE(%s, display_name), bio = COALESCE(%s, bio),"
            " url = CASE WHEN %s <> '' THEN %s ELSE url END, updated_at = %s WHERE id = %s",
            [(h, h, name, bio, url, url, at, pk) for h, name, bio, url, at, pk in updates],
        )
        return snapshots

    # --- items ---------------------------------------------------------------------------

    def _items(
        self, items: Sequence[tuple[int, ItemRecord]], tally: Tally, raw: bytearray
    ) -> list[tuple[Any, ...]]:
        """Insert new items, merge changed ones; return the provenance rows to add."""
        if not items:
            return []
        existing: dict[tuple[str, str], list[Any]] = {}
        by_platform: dict[str, list[str]] = {}
        for _position, item in items:
            by_platform.setdefault(item.platform, []).append(item.platform_id)
        for platform, ids in by_platform.items():
            for pk, platform_id, sha, collected in self._select(
                "SELECT id, platform_id, raw_sha256, collected_at FROM social_item"
                " WHERE platform = %s AND platform_id IN ({in})",
                ids,
                platform,
            ):
                existing[(platform, platform_id)] = [pk, sha, self._aware(collected)]
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
        # (platform, platform_id, item pk or None, line, offset, sha, start, length)
        provenance: list[tuple[Any, ...]] = []
        pending: dict[tuple[str, str], int] = {}  # new in this batch -> index in inserts
        now = self._time(timezone.now())
        dumps = json.dumps
        for _position, item in items:
            key = (item.platform, item.platform_id)
            sha = hashlib.sha256(item.raw).hexdigest()
            found = existing.get(key)
            if found is None and key not in pending:
                row = self._item_row(item, sha, now, dumps)
                pending[key] = len(inserts)
                inserts.append(row)
                tally.add("item", "new")
            elif found is None:
                # Twice in one source (a page repeats a tweet it quotes): the first one read
                # is this source's version, as when the repeat comes in a later batch.
                tally.add("item", "duplicate")
                continue
            else:
                pk, known_sha, known_collected = found
                if known_sha == sha or pk in with_provenance:
                    # The same version, or one this source gave already: loading a file
                    # again changes nothing, whatever other files said in between.
                    tally.add("item", "duplicate")
                elif (
                    item.collected_at is None
                    or known_collected is None
                    or (item.collected_at >= known_collected)
                ):
                    updates.append(self._item_update(item, sha, now, dumps, pk))
                    found[1], found[2] = sha, item.collected_at
                    tally.add("item", "updated")
                else:
                    tally.add("item", "duplicate")  # an older copy: kept as provenance only
                if pk in with_provenance:
                    continue
                with_provenance.add(pk)
            start = len(raw)
            raw += item.raw
            raw += b"\n"
            provenance.append((key, item.line, item.offset, sha, start, len(item.raw)))
        self._many(
            "INSERT INTO social_item (platform, platform_id, kind, author_id,"
            " parent_platform_id, root_platform_id, text, title, language, media, permalink,"
            " created_at, collected_at, metrics, deleted, withheld, reason, raw_sha256,"
            " first_seen_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%j, %s, %s, %s, %j, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING".replace("%j", self._json),
            inserts,
        )
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
            " deleted = %s, withheld = %s, reason = %s, raw_sha256 = %s, updated_at = %s"
            " WHERE id = %s".replace("%j", self._json),
            updates,
        )
        if not provenance:
            return []
        item_ids = {key: value[0] for key, value in existing.items()}
        new_keys = [key for key, *_rest in provenance if key not in item_ids]
        if new_keys:
            by_platform = {}
            for platform, platform_id in new_keys:
                by_platform.setdefault(platform, []).append(platform_id)
            for platform, platform_ids in by_platform.items():
                for pk, platform_id in self._select(
                    "SELECT id, platform_id FROM social_item"
                    " WHERE platform = %s AND platform_id IN ({in})",
                    platform_ids,
                    platform,
                ):
                    item_ids[(platform, platform_id)] = pk
        source_id = self.source.pk
        return [
            (item_ids[key], source_id, line, offset, sha, start, length)
            for key, line, offset, sha, start, length in provenance
        ]

    def _item_row(self, item: ItemRecord, sha: str, now: Any, dumps: Any) -> tuple[Any, ...]:
        return (
            item.platform,
            item.platform_id,
            item.kind.value,
            self.account_id(item.platform, item.author_id, item.author_handle),
            item.parent_id,
            item.root_id,
            item.text,
            item.title[:500],
            item.language[:16],
            dumps([media._asdict() for media in item.media]),
            item.permalink[:1000],
            self._time(item.created_at),
            self._time(item.collected_at),
            dumps(dict(item.metrics)),
            item.deleted,
            item.withheld,
            item.reason[:500],
            sha,
            now,
            now,
        )

    def _item_update(
        self, item: ItemRecord, sha: str, now: Any, dumps: Any, pk: int
    ) -> tuple[Any, ...]:
        title = item.title[:500]
        language = item.language[:16]
        permalink = item.permalink[:1000]
        return (
            item.kind.value,
            self.account_id(item.platform, item.author_id, item.author_handle),
            item.parent_id,
            item.parent_id,
            item.root_id,
            item.root_id,
            item.text,
            item.text,
            title,
            title,
            language,
            language,
            bool(item.media),
            dumps([media._asdict() for media in item.media]),
            permalink,
            permalink,
            self._time(item.created_at),
            self._time(item.collected_at),
            bool(item.metrics),
            dumps(dict(item.metrics)),
            item.deleted,
            item.withheld,
            item.reason[:500],
            sha,
            now,
            pk,
        )

    # --- interactions --------------------------------------------------------------------

    def _interactions(self, interactions: Sequence[InteractionRecord], tally: Tally) -> None:
        if not interactions:
            return
        rows: dict[str, list[Any]] = {}
        for record in interactions:
            actor = self.account_id(record.platform, record.actor_id, record.actor_handle)
            target = self.account_id(
                record.platform, record.target_account_id, record.target_account_handle
            )
            if actor is None:
                raise LookupError(f"actor {record.actor_id or record.actor_handle} not stored")
            # The item it happened in or to leads the key, so a batch's new keys land
            # together in the key's index (mentions of new posts at its end) rather than
            # on thousands of its pages; the digest makes it unique.
            key = (
                (record.via_item_id or record.target_item_id)[:60]
                + ":"
                + _digest(
                    record.platform,
                    actor,
                    record.kind.value,
                    record.reaction_type,
                    record.target_item_id,
                    target,
                    record.via_item_id,
                    # With no target (an export's reaction names no post) only its time tells
                    # one from another.
                    None if record.target_item_id or target else record.occurred_at,
                )
            )
            seen = record.observed_at or record.occurred_at or self.default_seen
            row = rows.get(key)
            if row is None:
                rows[key] = [
                    record,
                    actor,
                    target,
                    seen,
                    seen,
                    record.occurred_at,
                    "new",
                ]
            else:
                row[3] = min(row[3], seen)
                row[4] = max(row[4], seen)
                tally.add("interaction", "duplicate")
        known = {
            key: (first, last, occurred)
            for key, first, last, occurred in self._select(
                "SELECT key, first_seen_at, last_seen_at, occurred_at FROM social_interaction"
                " WHERE key IN ({in})",
                list(rows),
            )
        }
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        for key, (record, actor, target, first, last, occurred, _state) in rows.items():
            stored = known.get(key)
            if stored is None:
                tally.add("interaction", "new")
                inserts.append(
                    (
                        key,
                        record.platform,
                        record.kind.value,
                        record.reaction_type,
                        actor,
                        record.target_item_id,
                        target,
                        record.via_item_id,
                        self._time(occurred),
                        self._time(first),
                        self._time(last),
                        self.source.pk,
                    )
                )
                continue
            old_first, old_last, old_occurred = (self._aware(value) for value in stored)
            new_first = min(first, old_first) if old_first else first
            new_last = max(last, old_last) if old_last else last
            new_occurred = old_occurred or occurred
            if (new_first, new_last, new_occurred) == (old_first, old_last, old_occurred):
                tally.add("interaction", "duplicate")
                continue
            tally.add("interaction", "updated")
            updates.append(
                (
                    self._time(new_first),
                    self._time(new_last),
                    self._time(new_occurred),
                    key,
                )
            )
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

    @staticmethod
    def _aware(value: Any) -> datetime | None:
        """A time read back with plain SQL: SQLite gives naive UTC (or text), PostgreSQL aware."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value  # type: ignore[no-any-return]

    # --- problems ------------------------------------------------------------------------

    def _problems(
        self, problems: Sequence[tuple[int, ParseProblem]], run_id: int, tally: Tally
    ) -> None:
        for _position, _problem in problems:
            tally.add("problem", "quarantined")
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
