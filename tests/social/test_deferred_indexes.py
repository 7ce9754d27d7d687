"""A large load into SQLite builds the scattered indexes at its end, however it ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from netra.social.batches import PreparedBatch
from netra.social.ingest import ingest_file
from netra.social.models import Interaction, Item
from netra.social.search import items_matching
from netra.social.store import (
    DEFERRED_INDEXES,
    BatchWriter,
    Tally,
    defers_indexes,
    restore_indexes,
)

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


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def _found(word: str) -> set[str]:
    matching = items_matching(word)
    assert matching is not None
    return set(Item.objects.filter(matching).values_list("platform_id", flat=True))


def test_a_large_load_rebuilds_the_full_text_index_once_at_its_end(
    settings: object, tmp_path: Path
) -> None:
    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    # An item stored before: a load that updates its text must not leave its old words.
    before = tmp_path / "lama.jsonl"
    before.write_text(
        '{"platform": "x", "id": "99", "kind": "post", "author_handle": "lama",'
        ' "created_at": 1727745300, "collected_at": 1727745300, "text": "kalimat lama"}\n'
        '{"platform": "x", "id": "98", "kind": "post", "author_handle": "lama",'
        ' "created_at": 1727745300, "collected_at": 1727745300, "text": "sekali dua"}\n'
    )
    ingest_file(before)
    large = tmp_path / "baru.jsonl"
    lines = [
        f'{{"platform": "x", "id": "{n}", "kind": "post", "author_handle": "baru",'
        f' "created_at": 1727745300, "collected_at": 1727745400, "text": "kata{n} umum"}}'
        for n in range(1, 40)
    ]
    # The old item changed: its old words must go from the index.
    lines.append(
        '{"platform": "x", "id": "99", "kind": "post", "author_handle": "lama",'
        ' "created_at": 1727745300, "collected_at": 1727745400, "text": "kalimat baru"}'
    )
    large.write_text("\n".join(lines) + "\n")
    seen: list[set[str]] = []

    def progress(_done: int, _size: int, _tally: Tally) -> None:
        seen.append(_triggers() if connection.vendor == "sqlite" else set())

    ingest_file(large, batch_size=5, progress=progress)

    if connection.vendor == "sqlite":
        assert not any(name.startswith("social_item_search") for name in set().union(*seen[:-1]))
        assert {name for name in _triggers() if name.startswith("social_item_search")} == {
            "social_item_search_insert",
            "social_item_search_update",
            "social_item_search_delete",
        }
    assert _found("umum") == {str(n) for n in range(1, 40)}
    assert _found("kata7") == {"7"}
    assert _found("kalimat") == {"99"}
    assert _found("lama") == set()
    assert _found("sekali") == {"98"}
    # Kept in step again after the load.
    Item.objects.filter(platform_id="98").update(text="sesudahnya")
    assert _found("sesudahnya") == {"98"}


def test_a_full_text_index_a_killed_load_left_behind_is_rebuilt_by_the_next_load() -> None:
    ingest_file(TWARC2)
    if connection.vendor == "sqlite":
        # As a large load killed midway leaves it: no triggers, new items not indexed.
        with connection.cursor() as cursor:
            for name in ("social_item_search_insert", "social_item_search_update"):
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute("DELETE FROM social_item_search_docsize")
    # PostgreSQL's generated column is always in step: this holds there without repair.
    first = Item.objects.order_by("pk").first()
    assert first is not None
    Item.objects.filter(pk=first.pk).update(text="terlewat")

    restore_indexes()

    assert _found("terlewat") == {first.platform_id}
    if connection.vendor == "sqlite":
        assert "social_item_search_insert" in _triggers()
    Item.objects.filter(pk=first.pk).update(text="sesudah")
    assert _found("sesudah") == {first.platform_id}
    assert _found("terlewat") == set()
