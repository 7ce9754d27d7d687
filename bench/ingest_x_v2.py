"""Benchmark: synthetic X API v2 items through ``netra ingest`` into SQLite and PostgreSQL.

    .venv/bin/python bench/ingest_x_v2.py [--items 1000000] [--databases sqlite,postgresql]

Writes the file with bench/gen_x_v2.py (twarc2 JSONL, 100 tweets a page, 5,000 authors,
one mention a tweet) unless it exists, then loads it into a fresh database of each kind in
a child process, and prints items per second and the child's peak memory beside the
reference points of the issue, plus a bare standard-library sqlite3 loader measured here
on the same file (decode each line, executemany in batches of 1,000, WAL) for scale.
Then it loads the same file a second time (everything duplicate: counted from the first
run without reading it) and a third time with ``--reread`` (a whole second pass), and
prints those, how much cheaper they are, and the first load's share of the bare rate.
Peak memory is the whole load's: the command and its reader child together (PSS).

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


class _Peak(threading.Thread):
    """The peak memory of a process tree, sampled every 50 ms: the sum over its processes."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.processes, self.running = pid, 0, 1, True

    def run(self) -> None:
        while self.running:
            pids = _tree(self.pid)
            self.processes = max(self.processes, len(pids))
            self.peak = max(self.peak, sum(_memory(pid) for pid in pids))
            time.sleep(0.05)


def _child(
    path: Path, env: dict[str, str], *extra: str
) -> tuple[dict[str, Any], float, float, int]:
    """Run ``netra ingest --json``: its summary, wall seconds, peak memory (MB), processes.

    The memory is the peak of the sum over the command and its reader child (PSS), as
    both hold their share of the load.
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
    peak = _Peak(child.pid)
    peak.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    peak.running = False
    peak.join()
    if child.returncode:
        raise SystemExit(f"netra ingest failed with status {child.returncode}")
    return json.loads(output), seconds, peak.peak / 1024, peak.processes


def _report(
    label: str, summary: dict[str, Any], seconds: float, peak: float, processes: int
) -> float:
    """Print one load's figures; its items per second."""
    items = summary["files"][0]["by_type"]["item"]
    total = summary["total"]
    print(
        f"{label}: {items['read']:,} items ({items['new']:,} new, {items['duplicate']:,} "
        f"duplicate) of {total['read']:,} records in {seconds:.1f} s: "
        f"{items['read'] / seconds:,.0f} items/s, peak memory {peak:.0f} MB "
        f"(PSS summed over {processes} process{'es' if processes > 1 else ''})"
    )
    return float(items["read"] / seconds)


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
    first: dict[str, float] = {}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_"))}
    base["NETRA_DEBUG"] = "0"
    for database in args.databases.split(","):
        env = {**base, "NETRA_VAR_DIR": tempfile.mkdtemp(prefix=f"netra-bench-{database}-")}
        scratch = ""
        if database == "postgresql":
            import psycopg

            scratch = f"bench_ingest_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{scratch}"')
            env["DATABASE_URL"] = f"{PG_SERVER}/{scratch}"
        try:
            first[database] = _report(f"{database}, first load", *_child(path, env))
            again = _report(f"{database}, same file again", *_child(path, env))
            reread = _report(
                f"{database}, same file read again (--reread)", *_child(path, env, "--reread")
            )
            print(
                f"{database}: the same file again costs 1/{again / first[database]:,.0f} of its"
                f" first load (1/{reread / first[database]:.1f} read again);"
                f" first load {first[database] / bare:.2f} of the bare loader's rate"
            )
        finally:
            if scratch:
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    if len(first) == 2:
        ratio = first["postgresql"] / first["sqlite"]
        print(f"PostgreSQL first load / SQLite first load: {ratio:.2f}")


if __name__ == "__main__":
    main()
