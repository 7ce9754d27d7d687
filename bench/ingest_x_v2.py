"""Benchmark: synthetic X API v2 items through ``netra ingest`` into SQLite and PostgreSQL.

    .venv/bin/python bench/ingest_x_v2.py [--items 1000000] [--databases sqlite,postgresql]
        [--repeat N]

Writes the file with bench/gen_x_v2.py (twarc2 JSONL, 100 tweets a page, 5,000 authors,
one mention a tweet) unless it exists, then loads it into a fresh database of each kind in
a child process, and prints items per second and the child's peak memory beside the
reference points of the issue, plus a bare standard-library sqlite3 loader measured here
on the same file (decode each line, executemany in batches of 1,000, WAL) for scale.
Then it loads the same file a second time (everything duplicate: counted from the first
run without reading it) and a third time with ``--reread`` (a whole second pass), and
prints those, how much cheaper they are, and the first load's share of the bare rate.
Peak memory is the whole load's: the command and its reader child together (PSS). CPU
times are the command's with its reader's, and on PostgreSQL the server's for the load's
database besides. With ``--repeat`` the databases take turns at first loads (the wall
times of two shared cores vary from run to run) and the ranges and each round's ratio of
PostgreSQL's rate to SQLite's are printed at the end.

PostgreSQL: a scratch database on 127.0.0.1:5432 (user postgres, trust auth), dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("NETRA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REFERENCE = (
    "reference points (issue, these 2-core machines): bare sqlite3 loader ~96,000 tweets/s; "
    "twarc-csv ~15,000 tweets/s at 175 MB; goal >= 50,000 items/s into SQLite, < 200 MB"
)


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += _tree(int(child))
    except OSError:
        pass
    return found


def _memory(pid: int) -> int:
    """Proportional set size (KiB): shared pages counted once across the processes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backends(database: str) -> list[int]:
    """The server processes serving ``database`` (PostgreSQL on this machine)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return [pid for (pid,) in rows]


class _Peak(threading.Thread):
    """The peak memory of a process tree, sampled every 50 ms: the sum over its processes;
    with ``database``, also the CPU time of the PostgreSQL processes serving it."""

    def __init__(self, pid: int, database: str = "") -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.processes, self.running = pid, 0, 1, True
        self.database = database
        self.backend_cpu: dict[int, float] = {}

    def run(self) -> None:
        rounds = 0
        while self.running:
            pids = _tree(self.pid)
            self.processes = max(self.processes, len(pids))
            self.peak = max(self.peak, sum(_memory(pid) for pid in pids))
            if self.database:
                if rounds % 10 == 0:  # a new connection now and then
                    for pid in _backends(self.database):
                        self.backend_cpu.setdefault(pid, 0.0)
                for pid in self.backend_cpu:
                    self.backend_cpu[pid] = max(self.backend_cpu[pid], _cpu(pid))
            rounds += 1
            time.sleep(0.05)


@dataclass(frozen=True)
class Load:
    """One ``netra ingest`` run as measured here."""

    summary: dict[str, Any]
    seconds: float
    peak_mb: float
    processes: int
    cpu: float  # the command and its reader child, user and system
    server_cpu: float  # the PostgreSQL processes serving it (0 for SQLite)

    @property
    def items_per_second(self) -> float:
        return float(self.summary["files"][0]["by_type"]["item"]["read"] / self.seconds)


def _child(path: Path, env: dict[str, str], *extra: str) -> Load:
    """Run ``netra ingest --json`` and measure it.

    The memory is the peak of the sum over the command and its reader child (PSS), as
    both hold their share of the load. CPU times are the command's with its reader
    child's, and the PostgreSQL server processes' for its database: on two shared cores
    they vary far less than wall times.
    """
    subprocess.run(
        [sys.executable, "-m", "netra.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True
    )
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "netra.cli", "ingest", str(path), "--json", "--no-progress", *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    database = env["DATABASE_URL"].rsplit("/", 1)[1] if "DATABASE_URL" in env else ""
    peak = _Peak(child.pid, database)
    peak.start()
    output = child.stdout.read() if child.stdout else ""
    # wait4: the command's CPU time with that of the children it waited for (its reader).
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak.running = False
    peak.join()
    if child.returncode:
        raise SystemExit(f"netra ingest failed with status {child.returncode}")
    return Load(
        json.loads(output),
        seconds,
        peak.peak / 1024,
        peak.processes,
        usage.ru_utime + usage.ru_stime,
        sum(peak.backend_cpu.values()),
    )


def _report(label: str, load: Load) -> float:
    """Print one load's figures; its items per second."""
    items = load.summary["files"][0]["by_type"]["item"]
    total = load.summary["total"]
    server = f" + {load.server_cpu:.1f} s server" if load.server_cpu else ""
    print(
        f"{label}: {items['read']:,} items ({items['new']:,} new, {items['duplicate']:,} "
        f"duplicate) of {total['read']:,} records in {load.seconds:.1f} s: "
        f"{load.items_per_second:,.0f} items/s, peak memory {load.peak_mb:.0f} MB "
        f"(PSS summed over {load.processes} process{'es' if load.processes > 1 else ''}), "
        f"CPU {load.cpu:.1f} s{server}"
    )
    return load.items_per_second


def bare_sqlite(path: Path) -> float:
    """The issue's reference loader: json per line, executemany of 1,000 tweets, WAL."""
    folder = Path(tempfile.mkdtemp(prefix="netra-bare-"))
    db = sqlite3.connect(folder / "bare.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE tweet (id TEXT PRIMARY KEY, author_id TEXT, created_at TEXT, json TEXT)"
    )
    started = time.perf_counter()
    rows: list[tuple[str, str, str, str]] = []
    count = 0
    with path.open("rb") as stream:
        for line in stream:
            for tweet in json.loads(line).get("data", []):
                rows.append(
                    (tweet["id"], tweet["author_id"], tweet["created_at"], json.dumps(tweet))
                )
                if len(rows) == 1000:
                    db.executemany("INSERT OR IGNORE INTO tweet VALUES (?, ?, ?, ?)", rows)
                    db.commit()
                    count += len(rows)
                    rows = []
    db.executemany("INSERT OR IGNORE INTO tweet VALUES (?, ?, ?, ?)", rows)
    db.commit()
    count += len(rows)
    seconds = time.perf_counter() - started
    db.close()
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--file", type=Path)
    parser.add_argument(
        "--repeat", type=int, default=1, help="first loads of each database, taking turns"
    )
    args = parser.parse_args()
    path = args.file or ROOT / "var" / "bench" / f"x_v2_{args.items}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "bench" / "gen_x_v2.py"),
                "--items",
                str(args.items),
                "--seed",
                "7",
                "--out",
                str(path),
            ],
            check=True,
        )
    print(f"file: {path} ({path.stat().st_size / 1e6:,.0f} MB), {os.cpu_count()} CPUs")
    print(REFERENCE)
    bare = bare_sqlite(path)
    print(f"bare sqlite3 loader, measured here: {bare:,.0f} tweets/s")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_"))}
    base["NETRA_DEBUG"] = "0"
    databases = args.databases.split(",")
    first: dict[str, list[Load]] = {database: [] for database in databases}
    for repetition in range(args.repeat):
        # The databases take turns, so that both see the same neighbours on shared cores;
        # the reloads are measured in the first round only.
        for database in databases if repetition % 2 == 0 else databases[::-1]:
            with _database(database, base) as env:
                load = _child(path, env)
                first[database].append(load)
                rate = _report(f"{database}, first load", load)
                if repetition:
                    continue
                again = _report(f"{database}, same file again", _child(path, env))
                reread = _report(
                    f"{database}, same file read again (--reread)", _child(path, env, "--reread")
                )
                print(
                    f"{database}: the same file again costs 1/{again / rate:,.0f} of its"
                    f" first load (1/{reread / rate:.1f} read again);"
                    f" first load {rate / bare:.2f} of the bare loader's rate"
                )
    for database, loads in first.items():
        rates = sorted(load.items_per_second for load in loads)
        cpu = sorted(load.cpu + load.server_cpu for load in loads)
        print(
            f"{database}, first loads: {rates[0]:,.0f}-{rates[-1]:,.0f} items/s over"
            f" {len(loads)}, CPU {cpu[0]:.1f}-{cpu[-1]:.1f} s (with the server's),"
            f" peak memory up to {max(load.peak_mb for load in loads):.0f} MB"
        )
    if len(first.get("postgresql", [])) and len(first.get("sqlite", [])):
        ratios = sorted(
            postgresql.items_per_second / sqlite.items_per_second
            for postgresql, sqlite in zip(first["postgresql"], first["sqlite"], strict=True)
        )
        print(
            "PostgreSQL first load / SQLite first load: "
            + ", ".join(f"{ratio:.2f}" for ratio in ratios)
            + " (each round's pair)"
        )


@contextmanager
def _database(database: str, base: dict[str, str]) -> Iterator[dict[str, str]]:
    """The environment of a fresh database of the kind: a folder, a scratch PostgreSQL one."""
    env = {**base, "NETRA_VAR_DIR": tempfile.mkdtemp(prefix=f"netra-bench-{database}-")}
    if database != "postgresql":
        yield env
        return
    import psycopg

    scratch = f"bench_ingest_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield {**env, "DATABASE_URL": f"{PG_SERVER}/{scratch}"}
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
