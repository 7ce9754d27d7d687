"""Hostile input never crashes a load, and one bad record never stops its file.

Each case is one a security probe found: JSON nested past any payload's depth, counts past
a BIGINT, escaped NULs and lone surrogates, ids longer than their column, a line of 50 MB,
a forced format the file is not, a parser that raises, a file changed while it loads and
two loads of one file at once. Each runs on SQLite and on PostgreSQL (the suite's
database), where PostgreSQL refuses what SQLite would take.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from netra.core.locks import work_lock
from netra.core.models import Event
from netra.social.events import SocialEvent
from netra.social.ingest import IngestError, ingest_file
from netra.social.models import (
    Account,
    AccountSnapshot,
    IngestRun,
    Item,
    QuarantinedRecord,
    RunStatus,
    Source,
)
from netra.social.sources import registry
from netra.social.store import Tally

pytestmark = pytest.mark.django_db


def _netra(record_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "platform": "tiktok",
        "id": record_id,
        "kind": "video",
        "author_handle": "siti_contoh",
        "created_at": 1727745300,
        "text": "Kampanye damai",
        **fields,
    }


def _lines(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def _reasons(source_id: int) -> list[str]:
    return list(
        QuarantinedRecord.objects.filter(source_id=source_id)
        .order_by("position")
        .values_list("reason", flat=True)
    )


def _x_page(user: dict[str, Any], tweet_id: str) -> dict[str, Any]:
    return {
        "data": [
            {
                "id": tweet_id,
                "text": "Ayo ke TPS",
                "author_id": user["id"],
                "created_at": "2024-11-20T01:00:00.000Z",
            }
        ],
        "includes": {"users": [user]},
        "meta": {"result_count": 1},
    }


def test_json_nested_100000_levels_is_one_quarantined_record_in_every_reader(
    tmp_path: Path,
) -> None:
    deep_line = tmp_path / "dalam.jsonl"
    deep_line.write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n")
    deep_page = tmp_path / "dalam.json"
    deep_page.write_bytes(b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    for path, formats in (
        (deep_line, ("netra-jsonl", "x-v2-jsonl", "twitter-v1-jsonl", "zeeschuimer-ndjson")),
        (deep_page, ("x-v2-json", "facebook-dyi-json", "meta-graph-json")),
    ):
        for name in formats:
            with pytest.raises(IngestError) as refused:
                ingest_file(path, format_name=name)
            assert "JSON bersarang lebih dari 200 tingkat" in str(refused.value), name


def test_a_folder_goes_on_past_deep_and_crashing_files(tmp_path: Path) -> None:
    folder = tmp_path / "unduhan"
    folder.mkdir()
    (folder / "a_dalam.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (folder / "b_dalam.jsonl").write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n")
    _lines(folder / "c_baik.jsonl", _netra("7420000000000000101"))
    with pytest.raises(CommandError, match="2 berkas tidak dapat dimuat"):
        call_command("ingest", str(folder), stdout=_Sink(), stderr=_Sink())
    assert Item.objects.filter(platform_id="7420000000000000101").exists()


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_counts_past_a_bigint_quarantine_their_record_and_the_rest_loads(
    tmp_path: Path,
) -> None:
    x_file = _lines(
        tmp_path / "x.jsonl",
        _x_page(
            {"id": "10", "username": "besar", "public_metrics": {"followers_count": 2**64}},
            "1001",
        ),
        _x_page(
            {"id": "11", "username": "biasa", "public_metrics": {"followers_count": 5}}, "1002"
        ),
    )
    summary = ingest_file(x_file)
    assert summary.tally.totals()["quarantined"] == 1
    assert _reasons(summary.source_id) == [
        f"bilangan {2**64} di kolom followers di luar jangkauan (paling besar {2**63 - 1})"
    ]
    assert set(Item.objects.values_list("platform_id", flat=True)) == {"1001", "1002"}
    assert AccountSnapshot.objects.filter(followers=5).exists()

    csv_file = tmp_path / "akun.csv"
    csv_file.write_text(
        "record,platform,id,handle,followers\n"
        f"account,tiktok,6900000000000000001,besar,{2**63}\n"
        "account,tiktok,6900000000000000002,biasa,7\n"
    )
    summary = ingest_file(csv_file)
    assert summary.tally.totals() == {
        "read": 2,
        "new": 1,
        "updated": 0,
        "duplicate": 0,
        "quarantined": 1,
    }
    assert "di kolom followers di luar jangkauan" in _reasons(summary.source_id)[0]

    netra_file = _lines(
        tmp_path / "metrik.jsonl",
        _netra("7420000000000000201", metrics={"likes": 2**63}),
        _netra("7420000000000000202", metrics={"likes": -(2**63) - 1}),
        _netra("7420000000000000203", metrics={"likes": 2**63 - 1}),
    )
    summary = ingest_file(netra_file)
    assert summary.tally.totals()["quarantined"] == 2
    assert Item.objects.get(platform_id="7420000000000000203").metrics == {"likes": 2**63 - 1}


def test_ids_and_handles_longer_than_their_columns_are_quarantined_not_cut(
    tmp_path: Path,
) -> None:
    path = _lines(
        tmp_path / "panjang.jsonl",
        _netra("7" * 201),
        _netra("7420000000000000301", author_handle="s" * 201),
        _netra("7420000000000000302", parent_id="8" * 300),
        {"record": "account", "platform": "tiktok", "id": "6" * 101, "handle": "x"},
        {
            "record": "account",
            "platform": "tiktok",
            "id": "6900000000000000003",
            "handle": "nama_panjang",
            "display_name": "N" * 400,
        },
        _netra("7420000000000000303"),
    )
    summary = ingest_file(path)
    assert summary.tally.totals()["quarantined"] == 4
    assert _reasons(summary.source_id) == [
        "kolom id lebih dari 200 karakter; ini bukan ID atau nama akun",
        "kolom author_handle lebih dari 200 karakter; ini bukan ID atau nama akun",
        "kolom parent_id lebih dari 200 karakter; ini bukan ID atau nama akun",
        "kolom id lebih dari 100 karakter; ini bukan ID atau nama akun",
    ]
    # A display name is shown, not matched: cut to its column, its record kept.
    named = Account.objects.get(platform_id="6900000000000000003")
    assert named.display_name == "N" * 300
    assert Item.objects.filter(platform_id="7420000000000000303").exists()


def test_escaped_nul_and_lone_surrogates_are_stored_as_text_every_database_holds(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_bytes(
        b'{"platform": "tiktok", "id": "7420000000000000401", "kind": "video",'
        b' "author_handle": "siti\\u0000", "created_at": 1727745300,'
        b' "text": "Coblos\\u0000 nomor 2 \\ud800", "metrics": {"li\\u0000kes": 3}}\n'
    )
    summary = ingest_file(path)
    assert summary.tally.totals()["new"] == 1
    item = Item.objects.get(platform_id="7420000000000000401")
    assert item.text == "Coblos nomor 2 \ufffd"
    assert item.metrics == {"likes": 3}
    assert Account.objects.filter(handle="siti").exists()


def test_a_line_over_a_mebibyte_is_quarantined_unread_and_the_next_one_loads(
    tmp_path: Path,
) -> None:
    path = _lines(
        tmp_path / "panjang.jsonl",
        _netra("7420000000000000501", text="x" * (3 << 20)),
        _netra("7420000000000000502"),
    )
    summary = ingest_file(path, format_name="netra-jsonl")
    assert summary.tally.totals()["quarantined"] == 1
    [reason] = _reasons(summary.source_id)
    assert "lebih dari batas 1 MiB per baris" in reason
    assert not Item.objects.filter(platform_id="7420000000000000501").exists()
    assert Item.objects.filter(platform_id="7420000000000000502").exists()


def test_a_forced_format_the_file_is_not_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "tabel.csv"
    path.write_text("id,text\n1,Ayo ke TPS\n")
    with pytest.raises(IngestError, match="platform"):
        ingest_file(path, format_name="netra-csv")
    assert not Source.objects.exists()
    assert not IngestRun.objects.exists()
    assert not Event.objects.filter(kind=SocialEvent.INGEST_FAILED).exists()


def test_a_parser_that_raises_fails_its_file_only_keeping_what_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = registry.format_spec("netra-jsonl")
    honest = spec.parse

    def faulty(stream: Any, options: Any) -> Any:
        for number, record in enumerate(honest(stream, options), start=1):
            if number == 3:
                raise KeyError("kolom_hilang")
            yield record

    monkeypatch.setitem(registry._formats(), spec.name, replace(spec, parse=faulty))
    path = _lines(tmp_path / "a.jsonl", *(_netra(f"74200000000000006{n:02d}") for n in range(5)))
    with pytest.raises(IngestError) as failed:
        ingest_file(path, batch_size=2)
    assert str(failed.value) == (
        "Berkas 'a.jsonl': pembaca format netra-jsonl gagal sesudah rekaman ke-2 "
        "(KeyError('kolom_hilang')); rekaman sebelumnya tersimpan. Laporkan berkas ini ke "
        "pengelola Netra."
    )
    run = IngestRun.objects.get()
    assert (run.status, run.position, run.new) == (RunStatus.FAILED, 2, 2)
    assert Item.objects.count() == 2


def test_a_file_changed_while_it_loads_is_not_recorded_as_loaded(tmp_path: Path) -> None:
    path = _lines(
        tmp_path / "berubah.jsonl", *(_netra(f"74200000000000007{n:02d}") for n in range(4))
    )

    appended: list[int] = []

    def append_once(done: int, total: int, tally: Tally) -> None:
        if not appended:
            appended.append(done)
            with path.open("a") as out:
                out.write(json.dumps(_netra("7420000000000000799")) + "\n")

    with pytest.raises(IngestError) as failed:
        ingest_file(path, progress=append_once, batch_size=2)
    assert "berubah ketika sedang dimuat" in str(failed.value)
    run = IngestRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "berubah ketika sedang dimuat" in run.error


@contextmanager
def _held_elsewhere(source_id: int) -> Iterator[None]:
    """The source's load lock held by another thread, on a connection of its own (as another
    process would hold it: PostgreSQL's advisory locks are shared within one session)."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with work_lock("social.ingest", source_id) as held:
                assert held
                taken.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(30)
    try:
        yield
    finally:
        release.set()
        holder.join(30)


@pytest.mark.django_db(transaction=True)
def test_a_second_load_of_a_file_being_loaded_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = _lines(tmp_path / "sama.jsonl", _netra("7420000000000000801"))
    first = ingest_file(path)
    runs = list(IngestRun.objects.values_list("pk", "status", "position"))
    with _held_elsewhere(first.source_id), pytest.raises(IngestError) as refused:
        ingest_file(path, reread=True)
    assert str(refused.value) == (
        "Berkas 'sama.jsonl' sedang dimuat oleh proses lain. Tunggu sampai selesai; "
        "memuatnya lagi sesudah itu tidak menyimpan apa pun dua kali."
    )
    assert list(IngestRun.objects.values_list("pk", "status", "position")) == runs
    # Free again, it loads: every record a duplicate.
    assert ingest_file(path, reread=True).tally.totals()["duplicate"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_lock_of_one_source_leaves_other_sources_free(tmp_path: Path) -> None:
    one = _lines(tmp_path / "satu.jsonl", _netra("7420000000000000901"))
    other = _lines(tmp_path / "dua.jsonl", _netra("7420000000000000902"))
    loaded = ingest_file(one)
    with _held_elsewhere(loaded.source_id):
        assert ingest_file(other).tally.totals()["new"] == 1
