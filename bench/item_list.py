"""Benchmark: the item list of /pantau/konten/ over many items, on SQLite and PostgreSQL.

    .venv/bin/python bench/item_list.py [--items 200000] [--databases sqlite,postgresql]

Loads synthetic X API v2 items (bench/gen_x_v2.py: 5,000 fictional authors) as the file of
a Kab. Malang election, links 50 of the authors to registered subjects, then times what
one list page costs for a regency analyst and for a national admin: the first page, a
page further on, the page before it, the capped count ("lebih dari 1.000"), the authors'
marks (subjects and candidates' accounts), the registered-subjects filter and the text
search (a common word, two words, a rare pair, through the full-text index). Prints the
median of five runs of each in milliseconds. PostgreSQL: a scratch database on
127.0.0.1:5432 (user postgres, trust auth), dropped after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("NETRA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUNS = 5


def _median_ms(work: Callable[[], Any]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child(path: Path) -> None:
    """Load the file into the configured database and time the list's reads."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    django.setup()
    from datetime import UTC, datetime
    from decimal import Decimal

    from django.core.management import call_command

    from netra.elections.models import Election, ElectionType
    from netra.geo.models import Level, Region
    from netra.law.models import Regime
    from netra.monitor.pages import items_page, items_page_before, total_capped
    from netra.monitor.selectors import ItemFilters, item_rows, items_search
    from netra.registry.models import AccountLink, LinkStatus, Subject, SubjectKind
    from netra.social.ingest import ingest_file
    from netra.social.models import Account, Item
    from netra.staff.models import Office, OfficeLevel, Role, User

    call_command("migrate", verbosity=0)
    province = Region.objects.create(code="35", name="Jawa Timur", level=Level.PROVINCE)
    regency = Region.objects.create(
        code="35.07", name="Kabupaten Malang", level=Level.REGENCY, parent=province
    )
    election = Election.objects.create(
        slug="pilbup-malang-2024",
        name="Pilbup Malang 2024",
        regime=Regime.PILKADA,
        type=ElectionType.REGENT,
        region=regency,
        year=2024,
    )
    started = time.perf_counter()
    ingest_file(path, election=election)
    print(f"  loaded {Item.objects.count():,} items in {time.perf_counter() - started:.1f} s")
    for number, account in enumerate(Account.objects.order_by("pk")[:50]):
        subject = Subject.objects.create(
            kind=SubjectKind.PNS, full_name=f"Subjek Fiktif {number}", workplace=regency
        )
        AccountLink.objects.create(
            subject=subject,
            account=account,
            status=LinkStatus.CONFIRMED,
            confidence=Decimal("0.9"),
            decided_at=datetime(2024, 10, 5, tzinfo=UTC),
        )
    office = Office.objects.create(
        name="Bawaslu Kabupaten Malang", level=OfficeLevel.REGENCY, region=regency
    )
    users = {
        "regency analyst": User.objects.create(username="analis", office=office, role=Role.ANALYST),
        "national admin": User.objects.create(
            username="admin",
            office=Office.objects.create(name="Bawaslu RI", level=OfficeLevel.RI),
            role=Role.ADMIN,
            is_superuser=True,
        ),
    }
    for label, user in users.items():
        found = items_search(user, ItemFilters())
        first = items_page(found)
        # Ten pages on, then the page before it.
        cursor = first.next_cursor
        for _ in range(9):
            cursor = items_page(found, cursor).next_cursor
        later = items_page(found, cursor)
        registered = items_search(user, ItemFilters(registered=True))
        figures = {
            "first page": _median_ms(partial(items_page, found)),
            "11th page": _median_ms(partial(items_page, found, cursor)),
            "page before": _median_ms(partial(items_page_before, found, later.prev_cursor)),
            "capped count": _median_ms(partial(total_capped, found)),
            "marks of 50 rows": _median_ms(partial(item_rows, first.rows, user)),
            "registered, first page": _median_ms(partial(items_page, registered)),
            "registered, count": _median_ms(partial(total_capped, registered)),
        }
        print(f"  {label}: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in figures.items()))
        print(f"    count shown: {total_capped(found).label}")
        # The text search (the full-text index): a common word, two words, a rare pair.
        for query in ("posyandu", "posyandu bansos", "fiktif 4242"):
            searched = items_search(user, ItemFilters(text=query))
            page = _median_ms(partial(items_page, searched))
            count = _median_ms(partial(total_capped, searched))
            print(
                f"    search {query!r}: first page {page:.1f} ms, capped count {count:.1f} ms"
                f" ({total_capped(searched).label})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    path = ROOT / "var" / "bench" / f"x_v2_{args.items}.jsonl"
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
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_"))}
    base["NETRA_DEBUG"] = "0"
    for database in args.databases.split(","):
        env = {**base, "NETRA_VAR_DIR": tempfile.mkdtemp(prefix=f"netra-bench-{database}-")}
        scratch = ""
        if database == "postgresql":
            import psycopg

            scratch = f"bench_list_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{scratch}"')
            env["DATABASE_URL"] = f"{PG_SERVER}/{scratch}"
        print(f"{database}, {args.items:,} items:")
        try:
            subprocess.run(  # noqa: S603 - our own script
                [sys.executable, __file__, "--child", str(path)], env=env, cwd=ROOT, check=True
            )
        finally:
            if scratch:
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
