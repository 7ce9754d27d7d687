"""A load killed with SIGKILL midway and started again ends as if never interrupted.

The loads run as real ``netra ingest`` processes on their own database: a fresh SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TABLES = (
    "social_item",
    "social_itemprovenance",
    "social_account",
    "social_accountsnapshot",
    "social_interaction",
    "social_quarantinedrecord",
)
COUNTERS = "position, read, new, updated, duplicate, quarantined"

Query = Callable[[str], list[tuple[object, ...]]]


class Target:
    """A database of its own for one ``netra`` process, and a way to read it meanwhile."""

    def __init__(self, env: dict[str, str], query: Query) -> None:
        self.env = env
        self.query = query

    def netra(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "-m", "netra.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "netra.cli", *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def counts(self) -> dict[str, object]:
        found: dict[str, object] = {
            table: self.query(f"SELECT COUNT(*) FROM {table}")[0][0]  # noqa: S608
            for table in TABLES
        }
        found["runs"] = self.query(
            f"SELECT {COUNTERS} FROM social_ingestrun WHERE status = 'done'"  # noqa: S608
        )
        return found

    def indexes(self) -> list[object]:
        """The names of the social tables' indexes."""
        if "DATABASE_URL" in self.env:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'social_%' ORDER BY 1"
        else:
            sql = (
                "SELECT name FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name LIKE 'social_%' ORDER BY 1"
            )
        return [row[0] for row in self.query(sql)]


def _postgres_server() -> str:
    """The suite's PostgreSQL server as a URL without a database name."""
    params = settings.DATABASES["default"]
    return f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"


@pytest.fixture(params=[False, True], ids=["one-process", "reader-child"])
def make_target(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Target]]:
    created: list[str] = []
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_"))
    }
    base["NETRA_INGEST_BATCH_SIZE"] = "500"
    # The file is read by a child process from this size on (see netra.social.batches).
    base["NETRA_INGEST_PARALLEL_BYTES"] = "0" if request.param else str(2**40)
    postgres = connection.vendor == "postgresql"

    def make(name: str) -> Target:
        env = {**base, "NETRA_VAR_DIR": str(tmp_path / name)}
        (tmp_path / name).mkdir()
        if postgres:
            import psycopg

            database = f"test_resume_{uuid.uuid4().hex[:10]}_{name}"
            server = _postgres_server()
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            created.append(database)
            env["DATABASE_URL"] = f"{server}/{database}"

            def query(sql: str) -> list[tuple[object, ...]]:
                with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
                    return list(db.execute(sql).fetchall())

        else:
            path = tmp_path / name / "netra.sqlite3"

            def query(sql: str) -> list[tuple[object, ...]]:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)
                try:
                    return db.execute(sql).fetchall()
                finally:
                    db.close()

        target = Target(env, query)
        target.netra("migrate", "-v0")
        return target

    yield make
    if created:
        import psycopg

        with psycopg.connect(f"{_postgres_server()}/postgres", autocommit=True) as admin:
            for database in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.fixture(scope="module")
def activity(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty thousand synthetic tweets in 200 twarc2 pages, with a broken line inside."""
    folder = tmp_path_factory.mktemp("activity")
    path = folder / "x.jsonl"
    subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "bench" / "gen_x_v2.py"),
            "--items",
            "20000",
            "--seed",
            "3",
            "--out",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    lines = path.read_bytes().split(b"\n")
    lines.insert(120, b'{"data": [{"id": "1", "text": "terpotong')
    path.write_bytes(b"\n".join(lines))
    return path


@pytest.mark.django_db
def test_a_load_killed_midway_resumes_to_the_counts_of_an_uninterrupted_one(
    make_target: Callable[[str], Target], activity: Path
) -> None:
    whole = make_target("whole")
    summary = json.loads(whole.netra("ingest", str(activity), "--json").stdout)
    expected = whole.counts()
    assert summary["total"]["quarantined"] == 1
    assert expected["social_item"] == 20_000

    killed = make_target("killed")
    process = killed.start("ingest", str(activity))
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            rows = killed.query("SELECT position FROM social_ingestrun")
            if rows and int(rows[0][0]) > 0:  # type: ignore[call-overload]
                break
            if process.poll() is not None:
                pytest.fail("the load ended before it could be killed")
            time.sleep(0.01)
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    # A reader child, if there was one, ends with its loader.
    if killed.env["NETRA_INGEST_PARALLEL_BYTES"] == "0":
        assert len(children) == 1
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)
    partial = killed.counts()
    assert 0 < int(partial["social_item"]) < 20_000  # type: ignore[call-overload]
    if killed.env["NETRA_INGEST_PARALLEL_BYTES"] == "0" and connection.vendor == "sqlite":
        # A large load into SQLite builds the scattered indexes at its end: killed, it
        # has left them to the next load.
        assert "item_author_created" not in killed.indexes()

    again = json.loads(killed.netra("ingest", str(activity), "--json").stdout)

    assert again["files"][0]["resumed_from"] > 0
    assert killed.counts() == expected
    assert killed.indexes() == whole.indexes()
    assert "item_author_created" in whole.indexes()
    for outcome in ("read", "new", "updated", "duplicate", "quarantined"):
        assert again["total"][outcome] == summary["total"][outcome], outcome


@pytest.mark.django_db
def test_a_second_load_of_a_file_being_loaded_is_refused_and_the_first_ends_done(
    make_target: Callable[[str], Target], activity: Path
) -> None:
    target = make_target("twice")
    first = target.start("ingest", str(activity), "--json")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows = target.query("SELECT position FROM social_ingestrun")
            if rows and int(rows[0][0]) > 0:  # type: ignore[call-overload]
                break
            if first.poll() is not None:
                pytest.fail("the first load ended before the second began")
            time.sleep(0.01)
        with pytest.raises(subprocess.CalledProcessError) as refused:
            target.netra("ingest", str(activity))
        assert "sedang dimuat oleh proses lain" in refused.value.stderr
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    loaded = json.loads(out)["total"]
    assert loaded["quarantined"] == 1
    assert target.query("SELECT status, read FROM social_ingestrun") == [("done", loaded["read"])]
    assert target.counts()["social_item"] == 20_000
    again = json.loads(target.netra("ingest", str(activity), "--json").stdout)["total"]
    assert (again["new"], again["duplicate"] + again["quarantined"]) == (0, loaded["read"])
