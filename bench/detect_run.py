"""Benchmark: the whole detect step over stored items, on SQLite and PostgreSQL, and on
PostgreSQL with two Celery workers on Redis.

    .venv/bin/python bench/detect_run.py [--items 1000000] [--databases sqlite,postgresql]
        [--workers 2] [--broker redis://127.0.0.1:6379/14]

Loads the synthetic X API v2 file of bench/gen_x_v2.py (written unless it exists) with
``netra ingest --election`` into a fresh database of each kind, with the demo's regions,
law and election, so every item is in the election's scope. Then it runs ``netra detect run
--election`` in a child process and prints items judged per second, the child's peak
memory (PSS) and CPU (and the PostgreSQL server's). With ``--workers N`` (PostgreSQL), the
same step again as a scheduled run would do it: every item made stale by a model file of
another version, ``detect_election`` queued on Redis, N worker processes (``celery worker
-c 1`` each) judging the fanned-out key ranges, until the joined run is recorded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest_x_v2 import ROOT, _database, _Peak

ELECTION = "pilkada-2024-kab-malang"
DEMO = ROOT / "netra" / "demo" / "data"


def _netra(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "netra.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _prepare(env: dict[str, str], path: Path) -> float:
    _netra(env, "migrate", "-v0")
    _netra(env, "regions", "import", str(DEMO / "regions-kab-malang.csv"))
    _netra(env, "law", "load")
    _netra(env, "elections", "import", str(DEMO / "pilkada-2024-kab-malang.yaml"))
    started = time.perf_counter()
    _netra(env, "ingest", str(path), "--election", ELECTION, "--no-progress")
    return time.perf_counter() - started


def _measured(env: dict[str, str], command: list[str], label: str, items: int) -> None:
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
    database = env["DATABASE_URL"].rsplit("/", 1)[1] if "DATABASE_URL" in env else ""
    peak = _Peak(child.pid, database)
    peak.start()
    output = child.stdout.read() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    peak.running = False
    peak.join()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{label} failed: {output}")
    server = sum(peak.backend_cpu.values())
    print(
        f"{label}: {items:,} items in {seconds:.1f} s: {items / seconds:,.0f} items/s, peak "
        f"memory {peak.peak / 1024:.0f} MB, CPU {usage.ru_utime + usage.ru_stime:.1f} s"
        + (f" + {server:.1f} s server" if server else "")
    )
    print("   " + output.strip().splitlines()[-1] if output.strip() else "")


def _workers(env: dict[str, str], count: int, broker: str, items: int) -> None:
    """The same step fanned out to ``count`` worker processes through ``broker``."""
    model = Path(tempfile.mkdtemp(prefix="netra-bench-model-")) / "other.json.gz"
    _netra(
        env,
        "shell",
        "-c",
        "from netra.detection.classify import CampaignModel, SHIPPED_MODEL\n"
        "m = CampaignModel.read(SHIPPED_MODEL); m.meta['version'] = 'bench-other'\n"
        f"m.write(__import__('pathlib').Path({str(model)!r}))",
    )
    env = {
        **env,
        "CELERY_BROKER_URL": broker,
        "NETRA_DETECTION_MODEL": str(model),
        "NETRA_DETECTION_POLL_MINUTES": "0",
    }
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                celery,
                "-A",
                "netra.config",
                "worker",
                "-c",
                "1",
                "-n",
                f"bench{n}@%h",
                "-l",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        for n in range(count)
    ]
    try:
        time.sleep(5)  # the workers connect
        script = (
            "import time\n"
            "from netra.detection.models import DetectionRun\n"
            "from netra.detection.tasks import detect_election\n"
            "from netra.elections.models import Election\n"
            f"e = Election.objects.get(slug={ELECTION!r})\n"
            "print(detect_election.delay(e.pk).get(timeout=3600))\n"
            "while not DetectionRun.objects.filter(election=e, status='done', "
            "model_version='bench-other').exists():\n"
            "    time.sleep(0.5)\n"
            "print(DetectionRun.objects.filter(status='done').latest('started_at').summary)\n"
        )
        peaks = [_Peak(worker.pid, "") for worker in workers]
        for peak in peaks:
            peak.start()
        started = time.perf_counter()
        _netra(env, "shell", "-c", script)
        seconds = time.perf_counter() - started
        for peak in peaks:
            peak.running = False
            peak.join()
        print(
            f"PostgreSQL, {count} Celery workers on Redis: {items:,} items in {seconds:.1f} s: "
            f"{items / seconds:,.0f} items/s, peak memory per worker "
            f"{max(p.peak for p in peaks) / 1024:.0f} MB"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    path = ROOT / "var" / "bench" / f"x_v2_{args.items}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
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
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    base["DJANGO_SETTINGS_MODULE"] = "netra.config.settings"
    command = [sys.executable, "-m", "netra.cli", "detect", "run", "--election", ELECTION]
    for database in args.databases.split(","):
        with _database(database, base) as env:
            loaded = _prepare(env, path)
            print(f"{database}: {args.items:,} items loaded in {loaded:.0f} s (not measured)")
            _measured(env, command, f"{database}, netra detect run", args.items)
            _measured(env, command, f"{database}, the same again (nothing stale)", args.items)
            if database == "postgresql" and args.workers:
                _workers(env, args.workers, args.broker, args.items)


if __name__ == "__main__":
    main()
