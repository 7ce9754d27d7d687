"""Batches of parsed records, prepared for the store, read in this process or in a second one.

Reading a record and preparing it for the database (hashing its raw bytes, writing its JSON
columns and its times as the database stores them) is pure CPU work, more than half of a
load. For a large file a child process does that work and hands each prepared batch to the
loader through a pipe, while the loader writes the batch before: both cores work. A small
file (an upload, a collector's page) is read in this process, as a child costs about a
second to start.

The pipe holds one batch at a time: the child waits while the loader is behind, so memory
stays bounded whatever the file's size. A loader killed mid-file leaves its child writing
into a closed pipe, and the child ends.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import subprocess
import sys
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

import pydantic_core
import zstandard
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from netra.social.sources.records import (
    AccountRecord,
    FormatSpec,
    InteractionRecord,
    ItemRecord,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
)
from netra.social.sources.registry import format_spec

# An account the batch names: (platform, "i" + platform id | "h" + lower-case handle).
AccountKey = tuple[str, str]


class PreparedItem(NamedTuple):
    """An item of a batch: its author's key (None for none), where its raw bytes are in the
    batch's raw block, where it is in its file, then its social_item values (``ITEM_COLUMNS``:
    all but the author, the shown source and the times the store sets), ready for the
    database the batch was prepared for (JSON as text, times as ``db_time_function`` gives
    them). The values are named as the columns are, in the order the store's INSERT lists
    them (``tests/social/test_store_sql.py`` holds them to it)."""

    author: AccountKey | None
    raw_start: int
    raw_length: int
    line: int | None
    offset: int | None
    platform: str
    platform_id: str
    kind: str
    parent_platform_id: str
    root_platform_id: str
    text: str
    title: str
    language: str
    media: str
    permalink: str
    created_at: Any
    collected_at: Any
    metrics: str
    deleted: bool
    withheld: bool
    reason: str
    raw_sha256: str


# A PreparedItem's values from ``platform`` on: ``item[5:]``.
ITEM_COLUMNS = PreparedItem._fields[5:]


class PreparedInteraction(NamedTuple):
    """An interaction of a batch, its accounts by key, its times as the database stores them."""

    actor: AccountKey
    target_account: AccountKey | None
    platform: str
    kind: str
    reaction_type: str
    target_item_id: str
    via_item_id: str
    occurred_at: Any
    observed_at: Any


COMPRESSOR = zstandard.ZstdCompressor(level=3)
# How far past the clock a record's collection time may lie (clocks differ a little); a
# later one is refused: a file cannot have been collected in the future, and a forged date
# must not make its version the newest.
CLOCK_SKEW = timedelta(minutes=5)


# What the store's columns hold (netra/social/models.py). An id or handle longer than its
# column is not the platform's (cut, it would name another record), and a count past a
# BIGINT is no count: the record is quarantined, not cut, and the rest of its file loads.
ITEM_ID_CHARS = 200
ACCOUNT_ID_CHARS = 100
HANDLE_CHARS = 200
DISPLAY_NAME_CHARS = 300
COUNT_LIMIT = 1 << 63
# A time a database column holds whatever its offset: a day inside Python's years 1 to 9999.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def _too_long(field: str, limit: int) -> str:
    return _("kolom %(field)s lebih dari %(limit)d karakter; ini bukan ID atau nama akun") % {
        "field": field,
        "limit": limit,
    }


def _out_of_range(field: str, value: int) -> str:
    return _("bilangan %(value)d di kolom %(field)s di luar jangkauan (paling besar %(limit)d)") % {
        "value": value,
        "field": field,
        "limit": COUNT_LIMIT - 1,
    }


def _time_unfit(field: str, moment: datetime | None) -> str | None:
    if moment is None or EARLIEST <= moment <= LATEST:
        return None
    return _("waktu %(time)s di kolom %(field)s di luar jangkauan") % {
        "time": moment.isoformat(),
        "field": field,
    }


def item_unfit(item: ItemRecord) -> str | None:
    """Why the store cannot hold ``item`` as it is; None when it can (nearly always)."""
    for field_name, value, limit in (
        ("id", item.platform_id, ITEM_ID_CHARS),
        ("parent_id", item.parent_id, ITEM_ID_CHARS),
        ("root_id", item.root_id, ITEM_ID_CHARS),
        ("author_id", item.author_id, ACCOUNT_ID_CHARS),
        ("author_handle", item.author_handle, HANDLE_CHARS),
    ):
        if len(value) > limit:
            return _too_long(field_name, limit)
    for name, count in item.metrics:
        if not -COUNT_LIMIT <= count < COUNT_LIMIT:
            return _out_of_range(f"metrics.{name}", count)
    return _time_unfit("created_at", item.created_at) or _time_unfit(
        "collected_at", item.collected_at
    )


def account_unfit(account: AccountRecord) -> str | None:
    """Why the store cannot hold ``account`` as it is; None when it can."""
    if len(account.platform_id) > ACCOUNT_ID_CHARS:
        return _too_long("id", ACCOUNT_ID_CHARS)
    if len(account.handle) > HANDLE_CHARS:
        return _too_long("handle", HANDLE_CHARS)
    for field_name, count in (
        ("followers", account.followers),
        ("following", account.following),
        ("posts", account.posts),
    ):
        if count is not None and not -COUNT_LIMIT <= count < COUNT_LIMIT:
            return _out_of_range(field_name, count)
    return _time_unfit("seen_at", account.seen_at)


def interaction_unfit(act: InteractionRecord) -> str | None:
    """Why the store cannot hold ``act`` as it is; None when it can."""
    for field_name, value, limit in (
        ("actor_id", act.actor_id, ACCOUNT_ID_CHARS),
        ("actor_handle", act.actor_handle, HANDLE_CHARS),
        ("target_account_id", act.target_account_id, ACCOUNT_ID_CHARS),
        ("target_account_handle", act.target_account_handle, HANDLE_CHARS),
        ("target_item_id", act.target_item_id, ITEM_ID_CHARS),
        ("via_item_id", act.via_item_id, ITEM_ID_CHARS),
        ("reaction_type", act.reaction_type, 40),
    ):
        if len(value) > limit:
            return _too_long(field_name, limit)
    return _time_unfit("occurred_at", act.occurred_at) or _time_unfit(
        "observed_at", act.observed_at
    )


def account_key(platform: str, platform_id: str, handle: str) -> AccountKey | None:
    """How the store knows an account a record names: by id, else by handle; None for neither."""
    if platform_id:
        return (platform, "i" + platform_id)
    if handle:
        return (platform, "h" + handle.lower())
    return None


@dataclass(slots=True)
class PreparedBatch:
    """Records of one batch, ready for ``BatchWriter.write``.

    ``position`` is the place of the batch's last record in the file (the checkpoint it
    moves the run to); ``offset`` how many bytes of the file were read by then.
    ``accounts_named`` holds every account a record of the batch names, once.
    ``raw_block`` is the raw bytes of its items and accounts, one after the other with a
    newline after each, compressed (zstd); ``accounts`` pairs each account with where its
    bytes are there. The store keeps the block as it is when every record of it is new.
    """

    position: int = 0
    offset: int = 0
    items: list[PreparedItem] = field(default_factory=list)
    accounts: list[tuple[AccountRecord, int, int]] = field(default_factory=list)
    interactions: list[PreparedInteraction] = field(default_factory=list)
    problems: list[tuple[int, ParseProblem]] = field(default_factory=list)
    accounts_named: dict[AccountKey, tuple[str, str, str]] = field(default_factory=dict)
    raw_block: bytes = b""
    raw_size: int = 0
    raw_count: int = 0

    # Through the pipe from the reader child the rows travel as plain tuples: unpickling a
    # NamedTuple calls its Python ``__new__`` for every row (a tenth of a large load's time);
    # ``tuple.__new__`` over ``map`` makes them NamedTuples again in C.
    def __getstate__(self) -> tuple[Any, ...]:
        return (
            self.position,
            self.offset,
            list(map(tuple, self.items)),
            self.accounts,
            list(map(tuple, self.interactions)),
            self.problems,
            self.accounts_named,
            self.raw_block,
            self.raw_size,
            self.raw_count,
        )

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (
            self.position,
            self.offset,
            items,
            self.accounts,
            interactions,
            self.problems,
            self.accounts_named,
            self.raw_block,
            self.raw_size,
            self.raw_count,
        ) = state
        self.items = list(map(_AS_ITEM, items))
        self.interactions = list(map(_AS_INTERACTION, interactions))


_AS_ITEM = partial(tuple.__new__, PreparedItem)
_AS_INTERACTION = partial(tuple.__new__, PreparedInteraction)


def db_time_function(vendor: str) -> Any:
    """A function giving a time as the database takes and returns it, so times compare.

    SQLite: the text Django's backend stores (naive UTC, ISO with a space), which sorts as
    the times do. PostgreSQL: the aware datetime itself.
    """
    if vendor != "sqlite":
        return lambda value: value
    cache: dict[datetime, str] = {}

    def sqlite_time(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = cache.get(value)
        if text is None:
            if len(cache) > 10_000:
                cache.clear()
            utc = value if value.tzinfo is UTC else value.astimezone(UTC)
            text = cache[value] = utc.replace(tzinfo=None).isoformat(" ")
        return text

    return sqlite_time


def _json(value: object) -> str:
    # pydantic-core (already a dependency) writes JSON four times faster than json.dumps.
    return pydantic_core.to_json(value).decode()


class BatchPreparer:
    """Prepares records one by one as they are read; ``finish`` hands over the batch.

    Only the prepared form is kept, not the records: a batch holds about half the memory.
    """

    def __init__(self, vendor: str) -> None:
        self.time = db_time_function(vendor)
        self.count = 0
        self.latest = datetime.now(UTC) + CLOCK_SKEW
        self._start()

    def _future(
        self, moment: datetime | None, position: int, record: ItemRecord | AccountRecord
    ) -> bool:
        """Whether ``moment`` lies in the future; if so the record goes to the quarantine."""
        if moment is None or moment <= self.latest:
            return False
        reason = _("waktu pengumpulan %(time)s ada di masa depan") % {
            "time": moment.isoformat(timespec="seconds")
        }
        line = getattr(record, "line", None)
        offset = getattr(record, "offset", None)
        self.batch.problems.append(
            (position, ParseProblem(reason, line=line, offset=offset, raw=record.raw))
        )
        return True

    def _start(self) -> None:
        self.batch = PreparedBatch()
        self.raw = bytearray()
        self.keys: dict[AccountKey, AccountKey] = {}

    def _name(self, platform: str, platform_id: str, handle: str) -> AccountKey | None:
        """The account's key, one object per account in a batch (pickled once)."""
        key = account_key(platform, platform_id, handle)
        if key is None:
            return None
        known = self.keys.get(key)
        if known is None:
            known = self.keys[key] = key
            self.batch.accounts_named[key] = (platform, platform_id, handle)
        return known

    def _keep_raw(self, data: bytes) -> int:
        """Append a record's raw bytes to the batch's block; where they start."""
        start = len(self.raw)
        self.raw += data
        self.raw += b"\n"
        return start

    def add(self, position: int, record: Parsed) -> None:
        self.count += 1
        self.batch.position = position
        time, batch = self.time, self.batch
        if record.__class__ is ItemRecord:
            item: ItemRecord = record
            if not item.platform_id:
                problem = ParseProblem(
                    _("konten tanpa ID"), line=item.line, offset=item.offset, raw=item.raw
                )
                batch.problems.append((position, problem))
                return
            if self._future(item.collected_at, position, item):
                return
            unfit = item_unfit(item)
            if unfit is not None:
                problem = ParseProblem(unfit, line=item.line, offset=item.offset, raw=item.raw)
                batch.problems.append((position, problem))
                return
            author = self._name(item.platform, item.author_id, item.author_handle)
            start = self._keep_raw(item.raw)
            prepared = PreparedItem(
                author,
                start,
                len(item.raw),
                item.line,
                item.offset,
                item.platform,
                item.platform_id,
                item.kind.value,
                item.parent_id,
                item.root_id,
                item.text,
                item.title[:500],
                item.language[:16],
                _json([media._asdict() for media in item.media]) if item.media else "[]",
                item.permalink[:1000],
                time(item.created_at),
                time(item.collected_at),
                _json(dict(item.metrics)) if item.metrics else "{}",
                item.deleted,
                item.withheld,
                item.reason[:500],
                hashlib.sha256(item.raw).hexdigest(),
            )
            batch.items.append(prepared)
        elif record.__class__ is InteractionRecord:
            act: InteractionRecord = record
            if not (act.actor_id or act.actor_handle):
                batch.problems.append((position, ParseProblem(_("interaksi tanpa pelaku"))))
                return
            unfit = interaction_unfit(act)
            if unfit is not None:
                batch.problems.append((position, ParseProblem(unfit)))
                return
            actor = self._name(act.platform, act.actor_id, act.actor_handle)
            target = self._name(act.platform, act.target_account_id, act.target_account_handle)
            batch.interactions.append(
                PreparedInteraction(
                    actor,  # type: ignore[arg-type] # not None: checked above
                    target,
                    act.platform,
                    act.kind.value,
                    act.reaction_type,
                    act.target_item_id,
                    act.via_item_id,
                    time(act.occurred_at),
                    time(act.observed_at),
                )
            )
        elif record.__class__ is AccountRecord:
            account: AccountRecord = record
            if not (account.platform_id or account.handle):
                reason = _("akun tanpa ID maupun nama akun")
                batch.problems.append((position, ParseProblem(reason, raw=account.raw)))
                return
            if self._future(account.seen_at, position, account):
                return
            unfit = account_unfit(account)
            if unfit is not None:
                batch.problems.append((position, ParseProblem(unfit, raw=account.raw)))
                return
            if account.display_name is not None and len(account.display_name) > DISPLAY_NAME_CHARS:
                # A name is shown, not matched: cut to its column, like a title or a link.
                account = replace(account, display_name=account.display_name[:DISPLAY_NAME_CHARS])
            self._name(account.platform, account.platform_id, account.handle)
            start = self._keep_raw(account.raw)
            batch.accounts.append((account, start, len(account.raw)))
        else:
            batch.problems.append((position, record))  # type: ignore[arg-type]

    def finish(self, offset: int = 0) -> PreparedBatch:
        """The batch of the records added since the last ``finish``; a new one begins."""
        batch, raw = self.batch, self.raw
        batch.offset = offset
        if raw:
            batch.raw_block = COMPRESSOR.compress(raw)
            batch.raw_size = len(raw)
            batch.raw_count = len(batch.items) + len(batch.accounts)
        self.count = 0
        self._start()
        return batch


def prepare_batch(records: Sequence[tuple[int, Parsed]], vendor: str) -> PreparedBatch:
    """Prepare ``(position, record)`` pairs for the store of a ``vendor`` database."""
    preparer = BatchPreparer(vendor)
    for position, record in records:
        preparer.add(position, record)
    return preparer.finish()


def read_batches(
    spec: FormatSpec,
    path: Path,
    options: ParseOptions,
    *,
    skip: int,
    batch_size: int,
    vendor: str,
) -> Generator[PreparedBatch, None, None]:
    """The file's records after the first ``skip``, prepared in batches, in this process."""
    preparer = BatchPreparer(vendor)
    position = 0
    with path.open("rb") as stream:
        try:
            for position, record in enumerate(spec.parse(stream, options), start=1):
                if position <= skip:
                    continue
                preparer.add(position, record)
                if preparer.count >= batch_size:
                    yield preparer.finish(_offset(stream))
        except UnrecognisedFormat:
            raise
        except Exception as error:
            # A parser must turn every odd record into a ParseProblem; one that raises has
            # a bug the file found. Its file stops here (what was read before is kept and
            # the load resumes from there), other files load, and the message says where.
            raise ReaderFailed(
                _(
                    "pembaca format %(format)s gagal sesudah rekaman ke-%(position)d "
                    "(%(error)s); rekaman sebelumnya tersimpan. Laporkan berkas ini ke "
                    "pengelola Netra."
                )
                % {"format": spec.name, "position": position, "error": repr(error)[:300]}
            ) from error
        if preparer.count:
            yield preparer.finish(_offset(stream))


def _offset(stream: IO[bytes]) -> int:
    try:
        return os.lseek(stream.fileno(), 0, os.SEEK_CUR)
    except (OSError, ValueError):
        return 0


class ReaderFailed(Exception):
    """The child reading the file stopped without finishing; the message says how."""


def read_batches_in_child(
    spec: FormatSpec,
    path: Path,
    options: ParseOptions,
    *,
    skip: int,
    batch_size: int,
    vendor: str,
) -> Generator[PreparedBatch, None, None]:
    """As ``read_batches``, the reading and preparing done by a child process.

    The child is a plain interpreter that loads the parsers and not the whole application
    (a third of the memory); it gets its task on stdin and writes pickled batches to a
    pipe of its own, read here as they come.
    """
    task = {
        "format": spec.name,
        "path": str(path),
        "options": options,
        "skip": skip,
        "batch_size": batch_size,
        "vendor": vendor,
        "language": translation.get_language(),
        "locale_paths": [str(folder) for folder in settings.LOCALE_PATHS],
    }
    reading, writing = os.pipe()
    try:
        child = subprocess.Popen(  # noqa: S603 - this interpreter, our own module
            [sys.executable, "-c", _CHILD, str(writing)],
            stdin=subprocess.PIPE,
            pass_fds=(writing,),
        )
    finally:
        os.close(writing)  # the child's end: with it closed here, a dead child reads as EOF
    with os.fdopen(reading, "rb") as stream:
        try:
            with cast(IO[bytes], child.stdin) as tasks:  # a pipe: stdin=PIPE
                pickle.dump(task, tasks)
            while True:
                try:
                    kind, value = pickle.load(stream)  # noqa: S301 - our own child
                except EOFError:
                    raise ReaderFailed(
                        _("Proses pembaca berkas berhenti tiba-tiba (kode keluar %(code)s).")
                        % {"code": child.wait()}
                    ) from None
                if kind == "batch":
                    yield value
                elif kind == "end":
                    return
                elif kind == "unrecognised":
                    raise UnrecognisedFormat(value)
                elif kind == "failed":
                    raise ReaderFailed(value)
                else:
                    raise ReaderFailed(
                        _("Proses pembaca berkas gagal: %(error)s") % {"error": value}
                    )
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()


_CHILD = "from netra.social.batches import child_main; child_main()"


def child_main() -> None:
    """The child of ``read_batches_in_child``: its task from stdin, batches to its pipe."""
    task = pickle.load(sys.stdin.buffer)  # noqa: S301 - from our own parent
    # Translations are all Django is needed for: no applications, no database, no URLs
    # (django.setup() would load those, and double this process's memory).
    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE=task["language"] or "id",
        LOCALE_PATHS=task["locale_paths"],
    )
    apps.populate([])
    translation.activate(task["language"] or "id")
    gc.disable()  # see ingest_file: parsing allocates millions of objects and no cycles
    with os.fdopen(int(sys.argv[1]), "wb") as pipe:

        def send(kind: str, value: object) -> None:
            pickle.dump((kind, value), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()

        try:
            for batch in read_batches(
                format_spec(task["format"]),
                Path(task["path"]),
                task["options"],
                skip=task["skip"],
                batch_size=task["batch_size"],
                vendor=task["vendor"],
            ):
                send("batch", batch)
            send("end", None)
        except BrokenPipeError:
            return  # the loader is gone: nobody to tell
        except UnrecognisedFormat as error:
            send("unrecognised", str(error))
        except ReaderFailed as error:
            send("failed", str(error))
        except Exception as error:  # told to the loader, which raises it
            send("error", repr(error))
