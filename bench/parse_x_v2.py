"""Time the X API v2 JSONL parser over a file and print items per second and peak memory.

    python bench/gen_x_v2.py --items 100000 --out var/bench/x_v2.jsonl
    python bench/parse_x_v2.py var/bench/x_v2.jsonl

Parsing only: no database. Peak memory is the process's maximum resident set size
(``resource.getrusage``), Django and the interpreter included.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    import django

    django.setup()  # problem messages go through gettext
    from netra.social.sources.records import ParseOptions
    from netra.social.sources.x.v2 import parse_v2_jsonl

    counts: Counter[str] = Counter()
    started, started_cpu = time.perf_counter(), time.process_time()
    with args.path.open("rb") as stream:
        for record in parse_v2_jsonl(stream, ParseOptions()):
            counts[type(record).__name__] += 1
    elapsed = time.perf_counter() - started
    # CPU seconds stay meaningful on a shared machine where wall time does not.
    cpu = time.process_time() - started_cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    items = counts["ItemRecord"]
    records = sum(counts.values())
    print(f"file            {args.path} ({args.path.stat().st_size / 1e6:,.1f} MB)")
    print(f"records         {dict(sorted(counts.items()))}")
    print(f"elapsed         {elapsed:.2f} s wall, {cpu:.2f} s CPU")
    print(f"items/s         {items / elapsed:,.0f} wall, {items / cpu:,.0f} CPU")
    print(f"records/s       {records / elapsed:,.0f} wall, {records / cpu:,.0f} CPU")
    print(f"peak RSS        {peak_kib / 1024:,.1f} MiB")
    if counts["ParseProblem"]:
        sys.exit(f"{counts['ParseProblem']} problems in a generated file")


if __name__ == "__main__":
    main()
