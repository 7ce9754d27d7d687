"""Prepared batches: the same from a child process as from this one; the WAL kept short."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from netra.social.batches import ReaderFailed, read_batches, read_batches_in_child
from netra.social.ingest import IngestError, ingest_file
from netra.social.models import Interaction, Item, ItemProvenance, QuarantinedRecord, RawBlock
from netra.social.sources.records import ParseOptions, UnrecognisedFormat
from netra.social.sources.registry import format_spec
from netra.social.store import WalCheckpointer, raw_read

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
TWARC2 = PAYLOADS / "x" / "twarc2_pages.jsonl"


def _batches(reader: object, path: Path, **kwargs: object) -> list[object]:
    return list(
        reader(  # type: ignore[operator]
            format_spec("x-v2-jsonl"),
            path,
            ParseOptions(),
            **{"skip": 0, "batch_size": 7, "vendor": "sqlite", **kwargs},
        )
    )


def test_a_child_process_prepares_the_very_batches_this_one_would() -> None:
    here = _batches(read_batches, TWARC2)
    there = _batches(read_batches_in_child, TWARC2)

    assert len(here) > 1
    assert there == here
    # Everything the file holds is in them: items, accounts, interactions, problems.
    assert all(b.raw_block for b in here)  # type: ignore[attr-defined]
    for kind in ("items", "accounts", "interactions", "problems"):
        assert any(getattr(b, kind) for b in here), kind
    # A resumed run skips what was stored, in the child too.
    assert _batches(read_batches_in_child, TWARC2, skip=7) == here[1:]


def test_a_child_that_cannot_read_says_why(tmp_path: Path) -> None:
    # A hundred lines of another API: not X v2 JSON Lines at all.
    youtube = tmp_path / "youtube.jsonl"
    youtube.write_bytes(b'{"kind": "youtube#videoListResponse", "items": []}\n' * 100)
    with pytest.raises(UnrecognisedFormat, match="bukan berkas format itu"):
        _batches(read_batches_in_child, youtube)
    with pytest.raises(ReaderFailed, match="FileNotFoundError"):
        _batches(read_batches_in_child, PAYLOADS / "tidak-ada.jsonl")


@pytest.mark.django_db
def test_a_large_file_is_loaded_through_the_child_with_the_same_counts(
    settings: object, tmp_path: Path
) -> None:
    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    summary = ingest_file(TWARC2, batch_size=5)

    totals = summary.tally.totals()
    assert totals["read"] == totals["new"] + totals["duplicate"] + totals["quarantined"]
    assert Item.objects.count() == summary.tally.counts["item"]["new"] > 0
    assert Interaction.objects.count() == summary.tally.counts["interaction"]["new"] > 0
    assert QuarantinedRecord.objects.count() == totals["quarantined"] > 0
    for provenance in ItemProvenance.objects.all():
        raw = raw_read(provenance.raw_block_id, provenance.raw_start, provenance.raw_length)
        assert provenance.item.platform_id.encode() in raw

    wrong = tmp_path / "videos.jsonl"
    wrong.write_bytes((PAYLOADS / "youtube" / "videos_list.json").read_bytes())
    with pytest.raises(IngestError, match=r"videos\.jsonl"):
        ingest_file(wrong, format_name="x-v2-jsonl")


@pytest.mark.django_db
def test_a_raw_block_keeps_only_the_records_stored_from_it(tmp_path: Path) -> None:
    def page(likes: int) -> str:
        tweet = {
            "id": "1855520769438646272",
            "text": "Ayo hadir 🗳️",
            "author_id": "1300000000000000002",
            "created_at": "2024-11-10T08:00:00.000Z",
            "public_metrics": {"like_count": likes},
        }
        return json.dumps({"data": [tweet]}) + "\n"

    twice = tmp_path / "dua-kali.jsonl"
    twice.write_text(page(3) + page(40), encoding="utf-8")

    summary = ingest_file(twice)

    assert (
        summary.tally.counts["item"] | {"read": 2, "new": 1, "duplicate": 1}
        == (summary.tally.counts["item"])
    )
    (provenance,) = ItemProvenance.objects.all()
    # The batch read both copies; its block keeps the one stored, not the repeat.
    block = RawBlock.objects.get()
    assert (provenance.raw_start, block.size) == (0, provenance.raw_length + 1)
    raw = raw_read(block.pk, provenance.raw_start, provenance.raw_length)
    assert json.loads(raw)["public_metrics"]["like_count"] == 3


def test_the_checkpointer_keeps_the_wal_short_while_a_writer_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "beban.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE baris (isi BLOB)")
    checkpointer = WalCheckpointer(path, limit=64)
    checkpointer.start()
    try:
        for _ in range(60):
            writer.execute("BEGIN IMMEDIATE")
            writer.executemany("INSERT INTO baris VALUES (?)", [(bytes(4000),)] * 100)
            writer.execute("COMMIT")
            checkpointer.bound()
    finally:
        checkpointer.stop()
    wal = path.with_name(path.name + "-wal").stat().st_size
    # 60 transactions of 100 pages each: 24 MB of WAL without the bound, about 1 MB with it.
    assert wal < 3_000_000
    assert writer.execute("SELECT COUNT(*) FROM baris").fetchone() == (6000,)
    writer.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def _children() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


@pytest.mark.django_db
def test_a_load_that_fails_midway_ends_its_reader_child(
    settings: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from netra.core.models import Event
    from netra.social.events import SocialEvent
    from netra.social.models import IngestRun, RunStatus
    from netra.social.store import BatchWriter

    settings.NETRA_INGEST_PARALLEL_BYTES = 0  # type: ignore[attr-defined]
    write = BatchWriter.write
    seen: list[list[int]] = []

    def failing(self: BatchWriter, batch: object, run_id: int) -> object:
        seen.append(_children())
        if len(seen) == 2:
            raise OSError("disk penuh")
        return write(self, batch, run_id)  # type: ignore[arg-type]

    monkeypatch.setattr(BatchWriter, "write", failing)
    before = _children()
    # More than a pipe holds, so that the child is still at work when the load fails.
    large = tmp_path / "besar.jsonl"
    large.write_bytes(TWARC2.read_bytes() * 100)

    with pytest.raises(OSError, match="disk penuh"):
        ingest_file(large, batch_size=3)

    assert len(set(seen[0]) - set(before)) == 1  # the reader child was there
    assert _children() == before  # and is gone, not left waiting on its pipe
    run = IngestRun.objects.get()
    assert (run.status, run.position) == (RunStatus.FAILED, 3)
    # The failure is on the source's timeline, with where the run stopped and why.
    failed = Event.objects.get(kind=SocialEvent.INGEST_FAILED)
    assert failed.subject == run.source
    assert failed.params == {"run": run.pk, "position": 3, "error": "OSError('disk penuh')"}
