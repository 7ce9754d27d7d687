"""Benchmark: the full Kemendagri list (91,599 rows) into a fresh database, then again.

Usage: .venv/bin/python bench/regions_import.py [FILE]
Uses DATABASE_URL when set (PostgreSQL), else a fresh SQLite file in a temporary folder.
Prints seconds, rows per second and peak memory for the first import and the idempotent rerun.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "regions" / "kemendagri-2025.csv"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    os.environ.setdefault("NETRA_VAR_DIR", tempfile.mkdtemp(prefix="netra-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from netra.geo.models import Region
    from netra.geo.services import regions_import

    call_command("migrate", verbosity=0)
    Region.objects.all().delete()
    print(f"database: {connection.vendor}; file: {path.name}")
    for label in ("first import", "second import (no change)"):
        started = time.perf_counter()
        summary = regions_import(path=path)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{label}: {summary.read} rows, {summary.created} new, {summary.unchanged} unchanged "
            f"in {seconds:.2f} s ({summary.read / seconds:,.0f} rows/s), peak RSS {peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
