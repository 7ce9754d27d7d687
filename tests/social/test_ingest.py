"""Loading files: idempotent, reconciled, quarantined by place, one item from many sources."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from netra.core.models import Event
from netra.social.ingest import FileSummary, IngestError, NothingLoaded, ingest_file
from netra.social.models import (
    Account,
    AccountSnapshot,
    IngestRun,
    Interaction,
    Item,
    ItemProvenance,
    QuarantinedRecord,
    RunStatus,
    Source,
)
from netra.social.sources.records import ParseOptions
from netra.social.store import raw_read

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
TWARC2 = PAYLOADS / "x" / "twarc2_pages.jsonl"
SEARCH = PAYLOADS / "x" / "v2_search_recent.json"


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Account,
            AccountSnapshot,
            Item,
            ItemProvenance,
            Interaction,
            QuarantinedRecord,
        )
    }


def _reconciles(totals: dict[str, int]) -> bool:
    return totals["read"] == (
        totals["new"] + totals["updated"] + totals["duplicate"] + totals["quarantined"]
    )


def test_a_file_loads_and_its_counts_reconcile_by_record_type() -> None:
    summary = ingest_file(SEARCH)

    totals = summary.tally.totals()
    assert summary.format == "x-v2-json"
    assert totals["read"] > 0
    assert totals["new"] > 0
    assert _reconciles(totals)
    for row in summary.tally.counts.values():
        assert _reconciles(row)
    run = IngestRun.objects.get(pk=summary.run_id)
    assert run.status == RunStatus.DONE
    assert (run.read, run.new, run.updated, run.duplicate, run.quarantined) == (
        totals["read"],
        totals["new"],
        totals["updated"],
        totals["duplicate"],
        totals["quarantined"],
    )
    assert Item.objects.count() == summary.tally.counts["item"]["new"]
    assert Event.objects.filter(kind="social.source_ingested").count() == 1


def test_a_twarc2_flatten_file_loads_every_tweet_and_exits_cleanly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # twarc 2.14.0 `twarc2 flatten` output (tests/social/sources/test_sources_x_parse.py).
    flat = PAYLOADS / "x" / "twarc2_flatten.jsonl"

    call_command("ingest", str(flat))

    assert capsys.readouterr().out == (
        f"{flat} (x-v2-jsonl): 18 dibaca = 16 baru + 2 diperbarui + 0 duplikat + 0 dikarantina.\n"
    )
    assert Item.objects.count() == 7
    assert Account.objects.count() == 5
    assert Interaction.objects.count() == 4


def test_the_same_file_twice_adds_nothing() -> None:
    first = ingest_file(TWARC2)
    before = _counts()

    second = ingest_file(TWARC2)

    assert _counts() == before
    assert second.source_id == first.source_id
    assert second.run_id != first.run_id
    totals = second.tally.totals()
    assert totals["new"] == totals["updated"] == 0
    assert totals["read"] == first.tally.totals()["read"]
    assert totals["duplicate"] + totals["quarantined"] == totals["read"]
    # A run that changed nothing leaves no event.
    assert Event.objects.filter(kind="social.source_ingested").count() == 1


@pytest.mark.parametrize("path", [TWARC2, PAYLOADS / "generic" / "records.jsonl"])
def test_a_file_loaded_whole_before_is_counted_again_without_reading_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-uploading an export an office already loaded: the summary a second pass gives
    (everything duplicate, the quarantined records quarantined again), without the pass."""
    ingest_file(path)
    reread = ingest_file(path, reread=True)  # the whole second pass, as before
    before = _counts()

    def unread(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr("netra.social.ingest.read_batches", unread)
    monkeypatch.setattr("netra.social.ingest.read_batches_in_child", unread)
    again = ingest_file(path)

    assert again.tally.counts == reread.tally.counts
    assert again.tally.totals()["new"] == again.tally.totals()["updated"] == 0
    assert _counts() == before
    run = IngestRun.objects.get(pk=again.run_id)
    assert (run.status, run.read, run.duplicate) == (
        RunStatus.DONE,
        reread.tally.totals()["read"],
        reread.tally.totals()["duplicate"],
    )
    assert run.position == IngestRun.objects.get(pk=reread.run_id).position
    # What the caller knows of the file may change what it holds: then it is read.
    with pytest.raises(AssertionError, match="read again"):
        ingest_file(path, options=ParseOptions(request_url="https://api.x.com/2/tweets/1"))


def _load(path: Path, options: ParseOptions) -> FileSummary:
    # An API page without results, or one holding only the API's error, gives nothing
    # usable; every other file gives something.
    if "empty" in path.name or "error" in path.name:
        with pytest.raises(NothingLoaded) as raised:
            ingest_file(path, options=options)
        return raised.value.summary
    return ingest_file(path, options=options)


def test_loading_files_again_in_any_order_changes_nothing() -> None:
    files = sorted((PAYLOADS / "x").glob("*.js*")) + sorted((PAYLOADS / "youtube").glob("*"))
    # The archive's likes name no actor but its owner.
    owner = ParseOptions(owner_id="1300000000000000002", owner_handle="agus_setiyono_dmy")
    for path in files:
        _load(path, owner)
    before = _counts()
    for path in reversed(files):
        totals = _load(path, owner).tally.totals()
        assert totals["new"] == totals["updated"] == 0, path
    assert _counts() == before


def _tweet(likes: int) -> dict[str, object]:
    return {
        "id": "1855520769438646272",
        "text": "Ayo hadir di kampanye Paslon 2 ꦩꦭꦁ 🗳️ <script>alert(1)</script>",
        "author_id": "1300000000000000002",
        "created_at": "2024-11-10T08:00:00.000Z",
        "conversation_id": "1855520769438646272",
        "lang": "in",
        "public_metrics": {"like_count": likes, "retweet_count": 1, "reply_count": 0},
    }


USER = {"id": "1300000000000000002", "username": "asn_contoh", "name": "ASN Contoh"}


def test_the_same_item_from_two_sources_is_one_item_with_both_provenances(
    tmp_path: Path,
) -> None:
    api_page = tmp_path / "search.json"
    api_page.write_text(
        json.dumps({"data": [_tweet(3)], "includes": {"users": [USER]}}), encoding="utf-8"
    )
    twarc = tmp_path / "later.jsonl"
    later = {
        "data": [_tweet(40)],
        "includes": {"users": [USER]},
        "__twarc": {
            "url": "https://api.x.com/2/tweets/search/recent?query=x",
            "retrieved_at": ("2024-11-12T00:00:00+00:00"),
        },
    }
    twarc.write_text(json.dumps(later) + "\n", encoding="utf-8")

    ingest_file(api_page, options=ParseOptions(collected_at=datetime(2024, 11, 11, tzinfo=UTC)))
    second = ingest_file(twarc)

    item = Item.objects.get()
    assert second.tally.counts["item"]["updated"] == 1
    assert item.metrics["likes"] == 40
    assert item.author is not None
    assert item.author.handle == "asn_contoh"
    provenance = list(item.provenance.order_by("id"))
    assert [p.source.name for p in provenance] == ["search.json", "later.jsonl"]
    assert provenance[1].line == 1
    assert provenance[1].offset == 0
    raws = [raw_read(p.raw_block_id, p.raw_start, p.raw_length) for p in provenance]
    assert [json.loads(raw)["public_metrics"]["like_count"] for raw in raws] == [3, 40]
    assert provenance[0].raw_sha256 != provenance[1].raw_sha256


def test_an_older_copy_does_not_overwrite_a_newer_one(tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"data": [_tweet(40)]}), encoding="utf-8")
    older = tmp_path / "older.json"
    older.write_text(json.dumps({"data": [_tweet(3)]}), encoding="utf-8")

    ingest_file(newer, options=ParseOptions(collected_at=datetime(2024, 11, 12, tzinfo=UTC)))
    summary = ingest_file(
        older, options=ParseOptions(collected_at=datetime(2024, 11, 11, tzinfo=UTC))
    )

    assert summary.tally.counts["item"]["duplicate"] == 1
    item = Item.objects.get()
    assert item.metrics["likes"] == 40
    assert item.provenance.count() == 2


def test_bad_records_are_quarantined_with_their_place_and_reason() -> None:
    summary = ingest_file(TWARC2)

    quarantined = list(QuarantinedRecord.objects.order_by("position"))
    assert len(quarantined) == summary.tally.totals()["quarantined"] > 0
    data = TWARC2.read_bytes()
    with_lines = [q for q in quarantined if q.line is not None]
    assert with_lines
    for record in with_lines:
        assert record.reason
        assert record.offset is not None
        # The offset is a byte of the record's own line: it can be found in the file.
        assert record.line is not None
        assert data[: record.offset].count(b"\n") == record.line - 1
        if not record.path:  # a whole line: its very bytes are kept
            line = data.split(b"\n")[record.line - 1].removeprefix(b"\xef\xbb\xbf")
            assert bytes(record.raw) == line.rstrip(b"\r")
    # The good records of the same file are stored.
    assert Item.objects.exists()


def test_profile_changes_are_kept_as_snapshots(tmp_path: Path) -> None:
    before = tmp_path / "users-1.json"
    before.write_text(
        json.dumps({"data": [{**USER, "description": "Guru SD. Netral!"}]}), encoding="utf-8"
    )
    after = tmp_path / "users-2.json"
    after.write_text(
        json.dumps({"data": [{**USER, "name": "Relawan Paslon 2", "description": "#Coblos2"}]}),
        encoding="utf-8",
    )

    ingest_file(before, options=ParseOptions(collected_at=datetime(2024, 10, 1, tzinfo=UTC)))
    summary = ingest_file(
        after, options=ParseOptions(collected_at=datetime(2024, 10, 9, tzinfo=UTC))
    )

    assert summary.tally.counts["account"]["updated"] == 1
    account = Account.objects.get(platform_id=USER["id"])
    assert account.display_name == "Relawan Paslon 2"
    assert account.bio == "#Coblos2"
    history = list(account.snapshots.order_by("seen_at").values_list("display_name", "bio"))
    assert history == [("ASN Contoh", "Guru SD. Netral!"), ("Relawan Paslon 2", "#Coblos2")]


def test_an_interaction_keeps_when_it_was_first_and_last_seen(tmp_path: Path) -> None:
    page = json.loads((PAYLOADS / "x" / "v2_liking_users.json").read_text(encoding="utf-8"))
    url = "https://api.x.com/2/tweets/1855075334353846272/liking_users"
    moments = [datetime(2024, 11, day, tzinfo=UTC) for day in (12, 10, 14)]
    for number, moment in enumerate(moments):
        path = tmp_path / f"likes-{number}.json"
        page["meta"] = {**page.get("meta", {}), "result_count": len(page["data"]), "n": number}
        path.write_text(json.dumps(page), encoding="utf-8")
        ingest_file(path, options=ParseOptions(collected_at=moment, request_url=url))

    likes = Interaction.objects.filter(kind="like")
    assert likes.count() == len(page["data"])
    for like in likes:
        assert like.target_item_platform_id == "1855075334353846272"
        assert like.first_seen_at == moments[1]
        assert like.last_seen_at == moments[2]
        assert like.occurred_at is None


def test_an_unknown_or_disguised_file_is_refused_naming_it(tmp_path: Path) -> None:
    png = tmp_path / "pages.jsonl"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(IngestError, match=r"pages\.jsonl"):
        ingest_file(png)
    sheet = tmp_path / "laporan.txt"
    sheet.write_text("halo, ini bukan data\n", encoding="utf-8")
    with pytest.raises(IngestError, match="tidak dikenali"):
        ingest_file(sheet)
    assert not Source.objects.exists()


def test_the_command_prints_a_reconciled_json_summary() -> None:
    out = io.StringIO()
    call_command("ingest", str(TWARC2), str(SEARCH), "--json", stdout=out)

    summary = json.loads(out.getvalue())
    assert [Path(f["path"]).name for f in summary["files"]] == [TWARC2.name, SEARCH.name]
    for entry in [*summary["files"], summary["total"]]:
        assert _reconciles(entry)
    assert summary["total"]["read"] == sum(f["read"] for f in summary["files"])
    assert summary["failed"] == []


def test_the_command_shows_progress_and_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "catatan.txt"
    bad.write_text("bukan data media sosial\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 berkas"):
        call_command("ingest", str(bad), str(SEARCH), "--progress", stdout=out, stderr=err)

    assert "catatan.txt" in err.getvalue()
    assert "100%" in err.getvalue()
    assert "[####" in err.getvalue()
    assert "dibaca =" in out.getvalue()
    assert SEARCH.name in out.getvalue()
    assert Item.objects.exists()


def test_the_command_with_format_reads_the_file_as_that_format() -> None:
    with pytest.raises(CommandError):
        call_command(
            "ingest", str(SEARCH), "--format", "youtube-v3-json", "--json", stdout=io.StringIO()
        )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 berkas"):
        call_command(
            "ingest", str(SEARCH), "--format", "tidak-ada", stdout=io.StringIO(), stderr=err
        )
    assert "Format 'tidak-ada' tidak dikenal" in err.getvalue()


def test_the_command_passes_what_the_file_does_not_say(tmp_path: Path) -> None:
    page = tmp_path / "likes.json"
    page.write_bytes((PAYLOADS / "x" / "v2_liking_users.json").read_bytes())
    call_command(
        "ingest",
        str(page),
        "--request-url",
        "https://api.x.com/2/tweets/1855075334353846272/liking_users",
        "--collected-at",
        "2024-11-12T08:00+07:00",
        stdout=io.StringIO(),
    )

    like = Interaction.objects.filter(kind="like").first()
    assert like is not None
    assert like.target_item_platform_id == "1855075334353846272"
    assert like.first_seen_at == datetime(2024, 11, 12, 1, tzinfo=UTC)
    with pytest.raises(CommandError, match="zona"):
        call_command("ingest", str(page), "--collected-at", "2024-11-12", stdout=io.StringIO())


def test_a_load_gives_the_connection_its_own_page_cache_back() -> None:
    from django.db import connection

    sqlite = connection.vendor == "sqlite"  # PostgreSQL's connection has nothing to restore
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA cache_size").fetchone()[0] if sqlite else None
        assert ingest_file(SEARCH).tally.totals()["new"] > 0
        after = cursor.execute("PRAGMA cache_size").fetchone()[0] if sqlite else None
    assert after == before


def test_an_account_known_by_handle_alone_takes_the_id_the_platform_gives_later(
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "temuan.csv"
    sheet.write_text(
        "record,platform,id,author_handle,text\n"
        "item,x,1855520769438646272,@ASN_Contoh,Ayo hadir kampanye\n",
        encoding="utf-8",
    )
    ingest_file(sheet)
    by_hand = Account.objects.get()
    assert (by_hand.platform_id, by_hand.handle) == ("", "ASN_Contoh")

    page = tmp_path / "users.json"
    page.write_text(json.dumps({"data": [USER]}), encoding="utf-8")
    ingest_file(page)
    again = tmp_path / "again.csv"
    again.write_text(
        "record,platform,kind,actor_handle,target_item_id\n"
        "interaction,x,like,asn_contoh,1855520769438646272\n",
        encoding="utf-8",
    )
    ingest_file(again)

    account = Account.objects.get()
    assert account.pk == by_hand.pk
    assert account.platform_id == USER["id"]
    assert account.handle == "asn_contoh"
    assert Interaction.objects.get().actor_id == account.pk
    assert Item.objects.get().author_id == account.pk


def test_a_record_naming_nothing_to_store_it_under_is_quarantined() -> None:
    from netra.social.batches import prepare_batch
    from netra.social.sources.records import (
        AccountRecord,
        InteractionKind,
        InteractionRecord,
        ItemKind,
        ItemRecord,
        Parsed,
    )
    from netra.social.store import BatchWriter

    source = Source.objects.create(kind="file", name="alat-lain.jsonl", format="x", sha256="0" * 64)
    run = IngestRun.objects.create(source=source)
    records: list[Parsed] = [
        AccountRecord(platform="x", platform_id="", handle="", raw=b'{"name": "?"}'),
        ItemRecord(
            platform="x",
            platform_id="",
            kind=ItemKind.POST,
            author_id="",
            author_handle="asn_contoh",
            created_at=None,
            raw=b"{}",
        ),
        InteractionRecord(platform="x", kind=InteractionKind.LIKE, actor_id="", target_item_id="1"),
    ]

    batch = prepare_batch(list(enumerate(records, start=1)), connection.vendor)
    tally = BatchWriter(source).write(batch, run.pk)

    assert tally.totals() == {
        "read": 3,
        "new": 0,
        "updated": 0,
        "duplicate": 0,
        "quarantined": 3,
    }
    reasons = list(QuarantinedRecord.objects.order_by("position").values_list("reason", flat=True))
    assert reasons == [
        "akun tanpa ID maupun nama akun",
        "konten tanpa ID",
        "interaksi tanpa pelaku",
    ]
    assert not Account.objects.exists()
