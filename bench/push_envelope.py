"""Benchmark: a ~48 MiB JSON envelope of X API v2 pages pushed to the collectors' API.

    .venv/bin/python bench/push_envelope.py [--items 46000] [--steps old,envelope,push]
                                            [--databases sqlite,postgresql] [--lone-surrogate]

Writes the pages with bench/gen_x_v2.py (twarc2 JSONL, 100 tweets a page) unless they
exist and wraps them as one envelope ``{"format": "x-v2-jsonl", "filename": ...,
"records": [page, page, ...]}``, then measures each step in a fresh child process and
prints its seconds and its memory: the child's resident set once Django is set up and
its high-water mark (``ru_maxrss``) after the step, so the step's own cost is the
difference.

* ``old``: the envelope step as it was before streaming, for scale: ``json.load`` of
  the whole body, then ``json.dumps`` of each record to a JSON Lines file;
* ``envelope``: the envelope step now (``netra.social.collect.push._envelope``: ijson
  events written back record by record);
* ``push``: the whole push of the body, as the API does it (``batch_receive`` of the
  bytes, then ``batch_push``: envelope step and load), into a fresh database of each kind.

``--lone-surrogate`` escapes one lone surrogate (``\\ud800``) in the last tweet, which
sends the envelope step to ijson's pure-Python backend (yajl would mangle it).
On old code (``git stash``) run ``--steps old,push``: ``_envelope`` had another shape.

PostgreSQL: a scratch database on 127.0.0.1:5432 (user postgres, trust auth), dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("NETRA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REFERENCE = (
    "reference points (issue, before streaming): a 48 MiB envelope took the server from "
    "87 MB to 1.4 GB and 80 s before its answer"
)


def _rss_mb() -> float:
    """This process's resident set now (MB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    """This process's resident high-water mark (MB): ru_maxrss is in KiB on Linux."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(items: int, lone_surrogate: bool) -> Path:
    """The envelope file for ``items`` tweets, written once (streamed, constant memory)."""
    folder = ROOT / "var" / "bench"
    pages = folder / f"x_v2_{items}.jsonl"
    if not pages.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "bench" / "gen_x_v2.py"),
                "--items",
                str(items),
                "--seed",
                "7",
                "--out",
                str(pages),
            ],
            check=True,
        )
    suffix = "_lone" if lone_surrogate else ""
    envelope = folder / f"envelope_x_v2_{items}{suffix}.json"
    if envelope.exists():
        return envelope
    with pages.open("rb") as source, envelope.open("wb") as out:
        out.write(b'{"format": "x-v2-jsonl", "filename": "bench.jsonl", "records": [')
        previous = b""
        for line in source:
            if previous:
                out.write(previous + b",")
            previous = line.rstrip(b"\n")
        if lone_surrogate:
            page = json.loads(previous)
            page["data"][-1]["text"] += " \ud800 terpotong"
            previous = json.dumps(page, separators=(",", ":")).encode()
        out.write(previous + b"]}")
    return envelope


def _old_envelope(path: Path) -> int:
    """The envelope step before streaming: the whole body as one value, then each record."""
    with path.open("rb") as stream:
        value = json.load(stream)
    lines = path.with_suffix(".lines")
    with lines.open("wb") as out:
        for record in value["records"]:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
            out.write(b"\n")
    size = lines.stat().st_size
    lines.unlink()
    return size


def child(step: str, path: Path) -> None:
    """Run one step here (a fresh process) and print its figures as one JSON line."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    import django

    django.setup()
    from netra.social.collect import push
    from netra.social.collect.tokens import collector_token_create

    token = None
    if step == "push":
        token, _plain = collector_token_create(name="bench", election=None, actor=None)
    before = _rss_mb()
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if step == "old":
        result["bytes_written"] = _old_envelope(path)
    elif step == "envelope":
        envelope = push._envelope(path)
        assert envelope is not None  # noqa: S101 - the bench builds an envelope
        result["bytes_written"] = envelope.lines.size
        envelope.lines.path.unlink()
    else:
        assert token is not None  # noqa: S101 - made above for this step
        with path.open("rb") as body:
            received = push.batch_receive(iter(lambda: body.read(1 << 16), b""))
        summary = push.batch_push(token=token, received=received, json_body=True)
        result["totals"] = summary.tally.totals()
        result["items"] = summary.as_dict()["by_type"]["item"]["read"]
    result["seconds"] = time.perf_counter() - started
    result["rss_before_mb"] = before
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def _run(step: str, path: Path, env: dict[str, str]) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--child", step, "--file", str(path)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def _report(label: str, figures: dict[str, Any]) -> None:
    extra = ""
    if "totals" in figures:
        totals = figures["totals"]
        extra = (
            f"; {figures['items']:,} tweets, {totals['read']:,} records read, "
            f"{totals['new']:,} new, {totals['quarantined']:,} quarantined"
        )
    print(
        f"{label}: {figures['seconds']:.1f} s, memory {figures['rss_before_mb']:.0f} MB -> "
        f"peak {figures['peak_mb']:.0f} MB (+{figures['peak_mb'] - figures['rss_before_mb']:.0f}"
        f" MB){extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=46_000, help="tweets in the envelope")
    parser.add_argument("--steps", default="old,envelope,push")
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--lone-surrogate", action="store_true")
    parser.add_argument("--child", choices=("old", "envelope", "push"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file)
        return
    path = build(args.items, args.lone_surrogate)
    print(f"envelope: {path} ({path.stat().st_size / 2**20:,.1f} MiB), {os.cpu_count()} CPUs")
    print(REFERENCE)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_"))}
    base.update(NETRA_DEBUG="0", NETRA_PUSH_MAX_MB=str(max(64, path.stat().st_size >> 19)))
    steps = args.steps.split(",")
    scratch_env = {**base, "NETRA_VAR_DIR": tempfile.mkdtemp(prefix="netra-bench-envelope-")}
    # Each step reads its own copy: the push consumes its body, the others write beside it.
    for step in ("old", "envelope"):
        if step in steps:
            copy = Path(scratch_env["NETRA_VAR_DIR"]) / f"{step}.json"
            shutil.copyfile(path, copy)
            label = {
                "old": "envelope step before streaming (json.load whole, json.dumps each)",
                "envelope": "envelope step now (ijson, streamed)",
            }[step]
            _report(label, _run(step, copy, scratch_env))
            copy.unlink()
    shutil.rmtree(scratch_env["NETRA_VAR_DIR"])
    if "push" not in steps:
        return
    for database in args.databases.split(","):
        env = {**base, "NETRA_VAR_DIR": tempfile.mkdtemp(prefix=f"netra-bench-push-{database}-")}
        scratch = ""
        if database == "postgresql":
            import psycopg

            scratch = f"bench_push_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{scratch}"')
            env["DATABASE_URL"] = f"{PG_SERVER}/{scratch}"
        try:
            subprocess.run(
                [sys.executable, "-m", "netra.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True
            )
            _report(f"{database}, whole push (receive, envelope, load)", _run("push", path, env))
        finally:
            shutil.rmtree(env["NETRA_VAR_DIR"])  # the pushed file and the SQLite database
            if scratch:
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
