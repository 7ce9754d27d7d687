"""A lock one process holds while it works on a row, dropped however the process ends.

``work_lock(name, key)`` is taken before a long piece of work that must not run twice
at once (two loads of the same file) and that must be resumable after a SIGKILL: a lock
kept in a table would outlive the process that held it, these do not.

* PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on the default
  connection. Every worker on every machine sees it; the server drops it when the
  holder's connection ends.
* SQLite on a file: an exclusive ``flock`` on a file in a folder beside the database
  (``<database>-locks/``), which the kernel drops when the holder dies.
* SQLite in memory (tests): only this process sees the database, so a set in memory.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

_in_memory: set[tuple[str, int]] = set()
_in_memory_guard = threading.Lock()


def _advisory_key(name: str, key: int) -> int:
    """One signed 64-bit key for (name, key): what ``pg_try_advisory_lock(bigint)`` takes."""
    digest = hashlib.blake2b(f"{name}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _database_file() -> Path | None:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


@contextmanager
def work_lock(name: str, key: int) -> Iterator[bool]:
    """Hold the lock ``(name, key)`` for the block if nobody holds it: yields whether it
    was taken. Never waits: the caller tells its user that the work is already running."""
    if connection.vendor == "postgresql":
        advisory = _advisory_key(name, key)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory])
        return
    database = _database_file()
    if database is None:
        with _in_memory_guard:
            taken = (name, key) not in _in_memory
            _in_memory.add((name, key))
        try:
            yield taken
        finally:
            if taken:
                with _in_memory_guard:
                    _in_memory.discard((name, key))
        return
    folder = database.with_name(database.name + "-locks")
    folder.mkdir(exist_ok=True)
    descriptor = os.open(folder / f"{name}-{key}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
