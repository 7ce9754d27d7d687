"""A large load into SQLite builds the scattered indexes at its end, however it ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from netra.social.batches import PreparedBatch
from netra.social.ingest import ingest_file
from netra.social.models import Interaction, Item
from netra.social.store import DEFERRED_INDEXES, BatchWriter, Tally, defers_indexes

TWARC2 = Path(__file__).parent / "sources" / "payloads" / "x" / "twarc2_pages.jsonl"
DEFERRED = {name for _model, name in DEFERRED_INDEXES}

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, list[str]]:
    """The social tables' indexes: their columns by name."""
    found = {}
    with connection.cursor() as cursor:
        for table in ("social_item", "social_interaction"):
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info["index"] and not info["primary_key"]:
                    found[name] = info["columns"]
    return found


def _load_watching_indexes(batch_size: int = 5) -> list[set[str]]:
    """Load TWARC2 as a large file; the index names seen after each batch."""
    seen: list[set[str]] = []

    def progress(_done: int, _size: int, _tally: Tally) -> None:
        seen.append(set(_indexes()))

    ingest_file(TWARC2, batch_size=batch_size, progress=progress)
    return seen


def test_a_large_load_into_empty_tables_builds_the_scattered_indexes_at_its_end(
    settings: object,
) -> None:
    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    before = _indexes()
    assert set(before) >= DEFERRED

    seen = _load_watching_indexes()

    during, after = seen[:-1], _indexes()
    assert len(during) > 1
    if connection.vendor == "sqlite":
        assert all(not (DEFERRED & names) for names in during)
    else:  # PostgreSQL: never dropped
        assert all(names >= DEFERRED for names in during)
    assert after == before
    assert Item.objects.filter(author__isnull=False).exists()
    assert Interaction.objects.filter(target_account__isnull=False).exists()


def test_a_large_load_that_fails_midway_builds_them_before_it_ends(
    settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    before = _indexes()
    write, seen = BatchWriter.write, []

    def failing(self: BatchWriter, batch: PreparedBatch, run_id: int) -> Tally:
        seen.append(set(_indexes()))
        if len(seen) == 2:
            raise OSError("disk penuh")
        return write(self, batch, run_id)

    monkeypatch.setattr(BatchWriter, "write", failing)
    with pytest.raises(OSError, match="disk penuh"):
        ingest_file(TWARC2, batch_size=5)

    assert len(seen) == 2
    if connection.vendor == "sqlite":
        assert not (DEFERRED & seen[1])
    assert _indexes() == before
    assert Item.objects.exists()  # the first batch stays


def test_a_load_smaller_than_the_tables_keeps_them(settings: object) -> None:
    size = TWARC2.stat().st_size
    assert defers_indexes(size) is (connection.vendor == "sqlite")
    ingest_file(TWARC2)
    assert not defers_indexes(size)
    assert defers_indexes(1024 * 1024 * 1024) is (connection.vendor == "sqlite")

    # The same file again, as a large one: it cannot double the tables.
    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    assert all(names >= DEFERRED for names in _load_watching_indexes())


def test_an_index_a_killed_load_left_missing_is_built_by_the_next_load() -> None:
    before = _indexes()
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "interaction_actor"')
    assert "interaction_actor" not in _indexes()

    ingest_file(TWARC2)  # a small file: it defers none, and builds a missing one first

    assert _indexes() == before
