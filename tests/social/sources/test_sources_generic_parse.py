"""Netra's own format for other tools and spreadsheets: netra-csv and netra-jsonl.

The format is Netra's, specified in docs/ingest-format.md (this repository); the CSV side
follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180) as Excel writes it, "CSV UTF-8"
with a byte-order mark and, in an Indonesian locale, ";" between cells
(https://support.microsoft.com/en-us/office/import-or-export-text-txt-or-csv-files-5250ac4c-663c-47ce-937b-339e391393ba);
JSON Lines follows https://jsonlines.org/. Payloads are in payloads/generic/.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from netra.social.sources.detect import detect
from netra.social.sources.generic import parse as generic
from netra.social.sources.generic import sniff
from netra.social.sources.records import (
    AccountRecord,
    Head,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
)
from netra.social.sources.registry import FORMATS, MANIFESTS, parse
from netra.social.sources.tables import WIB, WITA

ParseFile = Callable[..., list[Parsed]]
PAYLOADS = Path(__file__).parent / "payloads"
GENERIC = PAYLOADS / "generic"
PLUS7 = timezone(timedelta(hours=7))
PLUS9 = timezone(timedelta(hours=9))
COLLECTED = datetime(2024, 10, 3, 0, 0, tzinfo=UTC)


def csv_records(text: str, options: ParseOptions | None = None) -> list[Parsed]:
    return list(parse(io.BytesIO(text.encode()), "netra-csv", options))


def jsonl_records(text: str, options: ParseOptions | None = None) -> list[Parsed]:
    return list(parse(io.BytesIO(text.encode()), "netra-jsonl", options))


def problem_of(records: list[Parsed]) -> ParseProblem:
    [problem] = records
    assert isinstance(problem, ParseProblem)
    return problem


def raw_line(path: Path, number: int) -> bytes:
    """The bytes of one physical line (1-based) of a payload, without its line ending."""
    return path.read_bytes().split(b"\n")[number - 1].rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")


# --- netra-csv --------------------------------------------------------------------------------


def test_it_registers_both_formats_under_the_generic_source() -> None:
    [manifest] = [m for m in MANIFESTS if m.name == "generic"]
    assert [spec.name for spec in manifest.formats] == ["netra-csv", "netra-jsonl"]
    assert FORMATS["netra-csv"].parse is generic.parse_csv
    assert FORMATS["netra-jsonl"].parse is generic.parse_jsonl
    assert manifest.sniff is sniff


def test_it_reads_an_excel_semicolon_csv_with_every_record_type(parse_payload: ParseFile) -> None:
    records = parse_payload("generic/excel_semicolon.csv", "netra-csv")
    path = GENERIC / "excel_semicolon.csv"
    data = path.read_bytes()
    post = records[0]
    assert isinstance(post, ItemRecord)
    assert post.raw == data[post.offset or 0 :].split(b"\r\n", 1)[0]
    assert post.raw.startswith(b"1;item;x;1840000000000000001;post;")
    assert (post.line, post.offset) == (2, data.index(b"1;item;x;"))
    assert post == ItemRecord(
        platform="x",
        platform_id="1840000000000000001",
        kind=ItemKind.POST,
        author_id="1500000000000000001",
        author_handle="warga_fiktif_12",
        created_at=datetime(2024, 10, 1, 8, 15, tzinfo=WIB),
        text='Ayo ke TPS 🗳️ hari Rabu!\nJangan lupa bawa KTP; "coblos" dengan bijak.',
        language="id",
        media=(
            Media("photo", "https://pbs.twimg.com/media/ContohFoto1.jpg"),
            Media("", "https://video.twimg.com/ext_tw_video/contoh.mp4"),
        ),
        permalink="https://x.com/warga_fiktif_12/status/1840000000000000001",
        metrics=(("likes", 1234), ("shares", 56), ("views", 12345)),
        collected_at=datetime(2024, 10, 2, 9, 0, tzinfo=PLUS7),
        raw=post.raw,
        line=2,
        offset=post.offset,
    )
    reply, comment, tombstone, account, like, reaction = records[1:7]
    assert isinstance(reply, ItemRecord)
    assert (reply.line, reply.kind, reply.author_handle, reply.text, reply.language) == (
        4,  # the post's text took lines 2 and 3
        ItemKind.REPLY,
        "asn_contoh",
        "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ ꦥꦏ꧀ 🙏",
        "jv",
    )
    assert (reply.parent_id, reply.root_id, reply.created_at) == (
        "1840000000000000001",
        "1840000000000000001",
        datetime(2024, 10, 1, 2, 0, tzinfo=UTC),
    )
    assert reply.metrics == (("likes", 3),)
    assert reply.raw == raw_line(path, 4)
    assert isinstance(comment, ItemRecord)
    assert (comment.platform, comment.kind, comment.text) == (
        "youtube",
        ItemKind.COMMENT,
        "بارك الله فيكم — semoga pemilu damai",
    )
    # The row's timezone column says WITA for its zoneless time.
    assert comment.created_at == datetime(2024, 10, 1, 9, 15, tzinfo=WITA)
    assert comment.metrics == (("likes", 0),)
    assert tombstone == ItemRecord(
        platform="facebook",
        platform_id="100000000000001_200000000000002",
        kind=ItemKind.POST,
        author_id="",
        author_handle="",
        created_at=None,
        deleted=True,
        reason="dihapus oleh pemilik akun",
        raw=raw_line(path, 6),
        line=6,
        offset=data.index(b"\r\n4;item;facebook;") + 2,
    )
    assert account == AccountRecord(
        platform="x",
        platform_id="1500000000000000001",
        handle="warga_fiktif_12",
        display_name="Warga Fiktif 12",
        bio="Relawan demokrasi ✨\nMalang",
        followers=2500,
        following=180,
        posts=1024,
        seen_at=datetime(2024, 10, 2, 9, 0, tzinfo=WIB),
        raw=raw_line(path, 7) + b"\n" + raw_line(path, 8),
    )
    assert like == InteractionRecord(
        platform="x",
        kind=InteractionKind.LIKE,
        actor_id="",
        actor_handle="agus_contoh",
        target_item_id="1840000000000000001",
    )
    assert reaction == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id="100000000000009",
        target_item_id="100000000000001_200000000000002",
        reaction_type="love",
        occurred_at=datetime(2024, 10, 1, 10, 0, tzinfo=PLUS7),
    )
    withheld = records[-1]
    assert isinstance(withheld, ItemRecord)
    assert (withheld.platform, withheld.withheld, withheld.reason, withheld.created_at) == (
        "threads",
        True,
        "ditahan di Indonesia",
        datetime(2024, 10, 1, 1, 15, tzinfo=UTC),
    )
    assert len(records) == 12


def test_bad_csv_rows_are_problems_naming_line_column_and_value(parse_payload: ParseFile) -> None:
    records = parse_payload("generic/excel_semicolon.csv", "netra-csv")
    path = GENERIC / "excel_semicolon.csv"
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [(p.line, p.path, p.reason) for p in problems] == [
        (
            11,
            "kolom Created At, Metric Likes",
            "waktu '01/10/2024 08:15' di kolom 'Created At' tidak terbaca; tulis seperti "
            "2024-10-01 08:15:00+07:00; kolom 'Metric Likes' bukan bilangan bulat: '1,2rb'",
        ),
        (
            12,
            "kolom Platform",
            "'tiktokk' di kolom 'Platform' tidak dikenal; pilihannya: facebook, instagram, "
            "other, threads, tiktok, x, youtube",
        ),
        (13, "kolom Text", "kolom 'Text' tidak berlaku untuk record 'account'"),
        (
            14,
            "kolom ID",
            "ID '1.84E+18' di kolom 'ID' sudah dirusak Excel menjadi notasi ilmiah; format "
            "kolom itu sebagai Teks sebelum mengetik atau menempel ID",
        ),
    ]
    data = path.read_bytes()
    for problem in problems:
        assert problem.raw == raw_line(path, problem.line or 0)
        assert data[problem.offset or 0 :].startswith(problem.raw)


def test_a_cp1252_file_quarantines_the_rows_with_accents_and_reads_the_rest(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("generic/cp1252.csv", "netra-csv")
    data = (GENERIC / "cp1252.csv").read_bytes()
    assert [r.platform_id for r in records if isinstance(r, ItemRecord)] == [
        "1840000000000000011",
        "1840000000000000013",
    ]
    problem = records[1]
    assert isinstance(problem, ParseProblem)
    assert (problem.line, problem.offset) == (3, data.index(b"\xe9"))
    assert problem.reason == (
        'bukan teks UTF-8 (byte 0xE9); simpan ulang dari Excel sebagai "CSV UTF-8"'
    )
    assert problem.raw == data.split(b"\r\n")[2]


def test_unknown_columns_refuse_the_file_and_list_them() -> None:
    with pytest.raises(UnrecognisedFormat) as caught:
        csv_records("platform,id,txt,Jumlah Like,#catatan,No,Keterangan,\nx,1,a,2,,,,\n")
    assert str(caught.value) == (
        "Kolom 'txt', 'Jumlah Like' tidak dikenal dalam Netra CSV. Perbaiki namanya, hapus "
        "kolomnya, atau awali namanya dengan # agar dilewati."
    )


def test_ignored_columns_are_skipped_on_every_record_type() -> None:
    records = csv_records(
        "No,record,platform,id,handle,author_handle,#Sumber,Catatan,Notes,Keterangan,\n"
        "1,account,x,7,asn_contoh,,tim A,cek lagi,n,k,isi\n"
        "2,item,x,8,,asn_contoh,tim B,,,,\n"
    )
    assert [type(r).__name__ for r in records] == ["AccountRecord", "ItemRecord"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "id,text\n",
            "Kolom platform tidak ada; ini bukan Netra CSV. Kolom yang ada: id, text.",
        ),
        (
            "platform,id,metrics\n",
            "Kolom 'metrics' hanya untuk JSONL; dalam Netra CSV tulis satu kolom per metrik: "
            "metric_likes, metric_shares, …",
        ),
    ],
)
def test_a_csv_without_the_format_s_shape_is_refused(header: str, message: str) -> None:
    with pytest.raises(UnrecognisedFormat) as caught:
        csv_records(header + "x,1,2\n")
    assert str(caught.value) == message


def test_column_names_ignore_case_spaces_and_separators() -> None:
    [item] = csv_records(
        "PLATFORM,Id,author-handle,Created.At, Metric Likes ,metric_reposts_total\n"
        "x,5,warga_fiktif_12,2024-10-01T08:15:00+07:00,10,4\n"
    )
    assert isinstance(item, ItemRecord)
    assert (item.author_handle, item.created_at, item.metrics) == (
        "warga_fiktif_12",
        datetime(2024, 10, 1, 8, 15, tzinfo=PLUS7),
        (("likes", 10), ("reposts_total", 4)),
    )


def test_record_platform_and_kind_values_are_case_free_with_aliases() -> None:
    records = csv_records(
        "record,platform,id,kind,author_handle,handle,actor_handle,target_account_handle\n"
        "ITEM,Twitter,1,QUOTE,a_contoh,,,\n"
        "Akun,Instagram,2,,,dewi.contoh,,\n"
        "Interaksi,TikTok,,Follow,,,agus_contoh,@siti_contoh\n"
        ",other,3,,b_contoh,,,\n"
    )
    quote, account, follow, default = records
    assert isinstance(quote, ItemRecord)
    assert (quote.platform, quote.kind) == ("x", ItemKind.QUOTE)
    assert isinstance(account, AccountRecord)
    assert (account.platform, account.handle) == ("instagram", "dewi.contoh")
    assert follow == InteractionRecord(
        platform="tiktok",
        kind=InteractionKind.FOLLOW,
        actor_id="",
        actor_handle="agus_contoh",
        target_account_handle="siti_contoh",
    )
    assert isinstance(default, ItemRecord)
    assert (default.platform, default.kind) == ("other", ItemKind.POST)


def test_zoneless_times_are_wib_unless_the_row_says_otherwise() -> None:
    records = csv_records(
        "platform,id,author_handle,created_at,timezone,collected_at\n"
        "x,1,a_contoh,2024-10-01 08:15:00,,2024-10-01 09:00\n"
        "x,2,a_contoh,2024-10-01 08:15:00,+09:00,2024-10-01 09:00\n"
        "x,3,a_contoh,2024-10-01 08:15:00,Asia/Jayapura,\n"
    )
    first, second, problem = records
    assert isinstance(first, ItemRecord)
    assert isinstance(second, ItemRecord)
    assert (first.created_at, first.collected_at) == (
        datetime(2024, 10, 1, 1, 15, tzinfo=UTC),
        datetime(2024, 10, 1, 2, 0, tzinfo=UTC),
    )
    assert second.created_at == datetime(2024, 10, 1, 8, 15, tzinfo=PLUS9)
    assert isinstance(problem, ParseProblem)
    assert (problem.path, problem.reason) == (
        "kolom timezone",
        "zona waktu 'Asia/Jayapura' di kolom 'timezone' tidak dikenal; gunakan +07:00, WIB, "
        "WITA, WIT atau UTC",
    )


def test_the_callers_collection_time_fills_what_the_row_does_not_say() -> None:
    options = ParseOptions(collected_at=COLLECTED)
    item, account, like = csv_records(
        "record,platform,id,author_handle,handle,kind,actor_handle,target_item_id,collected_at\n"
        "item,x,1,a_contoh,,,,,\n"
        "account,x,2,,b_contoh,,,,\n"
        "interaction,x,,,,like,c_contoh,1,2024-10-01 00:00:00Z\n",
        options,
    )
    assert isinstance(item, ItemRecord)
    assert isinstance(account, AccountRecord)
    assert isinstance(like, InteractionRecord)
    assert (item.collected_at, account.seen_at) == (COLLECTED, COLLECTED)
    assert like.observed_at == datetime(2024, 10, 1, tzinfo=UTC)


def test_account_text_fields_tell_absent_from_empty() -> None:
    [without_columns] = csv_records("record,platform,id\naccount,x,1\n")
    [with_empty] = csv_records("record,platform,id,display_name,bio\naccount,x,1,,\n")
    assert isinstance(without_columns, AccountRecord)
    assert isinstance(with_empty, AccountRecord)
    assert (without_columns.display_name, without_columns.bio) == (None, None)
    assert (with_empty.display_name, with_empty.bio) == ("", "")


FAULT_COLUMNS = (
    "record",
    "platform",
    "id",
    "author_id",
    "author_handle",
    "kind",
    "followers",
    "actor_handle",
    "target_item_id",
    "deleted",
)


@pytest.mark.parametrize(
    ("cells", "path", "reason"),
    [
        ({"record": "item", "platform": "x"}, "kolom id", "kolom 'id' kosong"),
        (
            {"record": "item", "id": "1", "author_handle": "a_contoh"},
            "kolom platform",
            "kolom 'platform' kosong",
        ),
        (
            {"record": "item", "platform": "x", "id": "1"},
            "kolom author_id",
            "kolom 'author_id' dan 'author_handle' kosong; isi salah satu",
        ),
        (
            {"platform": "x", "id": "1", "author_handle": "a_contoh", "kind": "story"},
            "kolom kind",
            "'story' di kolom 'kind' tidak dikenal; pilihannya: comment, post, quote, reply, "
            "share, video",
        ),
        (
            {"record": "posting", "platform": "x", "id": "1", "author_handle": "a_contoh"},
            "kolom record",
            "'posting' di kolom 'record' tidak dikenal; pilihannya: account, interaction, item",
        ),
        (
            {"record": "account", "platform": "x"},
            "kolom id",
            "kolom 'id' dan 'handle' kosong; isi salah satu",
        ),
        (
            {"record": "account", "platform": "x", "id": "1", "followers": "-5"},
            "kolom followers",
            "kolom 'followers' bukan bilangan bulat: '-5'",
        ),
        (
            {"record": "interaction", "platform": "x", "actor_handle": "a_contoh"},
            "kolom kind, target_item_id",
            "kolom 'kind' wajib untuk interaksi; pilihannya: comment, follow, join, like, "
            "mention, reaction, share; sasaran interaksi kosong; isi target_item_id, "
            "target_account_id, target_account_handle",
        ),
        (
            {"record": "interaction", "platform": "x", "kind": "like", "target_item_id": "9"},
            "kolom actor_id",
            "kolom 'actor_id' dan 'actor_handle' kosong; isi salah satu",
        ),
        (
            {"platform": "x", "id": "1 2", "author_handle": "a_contoh"},
            "kolom id",
            "ID '1 2' di kolom 'id' berisi spasi",
        ),
        (
            {"platform": "x", "id": "1", "author_handle": "a_contoh", "deleted": "hmm"},
            "kolom deleted",
            "kolom 'deleted' harus ya/tidak (1/0, true/false), bukan 'hmm'",
        ),
        (
            {
                "record": "interaction",
                "platform": "x",
                "kind": "like",
                "actor_handle": "a_contoh",
                "target_item_id": "9",
                "deleted": "ya",
            },
            "kolom deleted",
            "kolom 'deleted' tidak berlaku untuk record 'interaction'",
        ),
        (
            {"record": "account", "platform": "x", "id": "1", "author_handle": "a_contoh"},
            "kolom author_handle",
            "kolom 'author_handle' tidak berlaku untuk record 'account'",
        ),
    ],
)
def test_each_row_fault_is_reported(cells: dict[str, str], path: str, reason: str) -> None:
    header = ",".join(FAULT_COLUMNS) + "\n"
    row = ",".join(cells.get(column, "") for column in FAULT_COLUMNS)
    problem = problem_of(csv_records(header + row + "\n"))
    assert (problem.line, problem.offset, problem.path, problem.reason) == (
        2,
        len(header),
        path,
        reason,
    )
    assert problem.raw == row.encode()


def test_csv_media_takes_urls_separated_by_spaces_or_bars() -> None:
    [item] = csv_records(
        "platform,id,author_handle,media\n"
        'x,1,a_contoh,"video:https://v.example/a.mp4 |https://i.example/b.jpg\n'
        'Thumbnail:https://i.example/c.jpg"\n'
    )
    assert isinstance(item, ItemRecord)
    assert item.media == (
        Media("video", "https://v.example/a.mp4"),
        Media("", "https://i.example/b.jpg"),
        Media("thumbnail", "https://i.example/c.jpg"),
    )
    problem = problem_of(csv_records("platform,id,author_handle,media\nx,1,a,foto.jpg\n"))
    assert problem.reason == (
        "media 'foto.jpg' bukan URL http(s), 'jenis:URL' atau {\"type\": …, \"url\": …}"
    )


def test_csv_text_keeps_its_spaces_and_gets_unix_line_endings() -> None:
    data = b'platform,id,author_handle,text\r\nx,1,a," dua\r\nbaris "\r\n'
    [item] = list(parse(io.BytesIO(data), "netra-csv"))
    assert isinstance(item, ItemRecord)
    assert item.text == " dua\nbaris "
    assert item.raw == b'x,1,a," dua\r\nbaris "'


# --- netra-jsonl ------------------------------------------------------------------------------


def test_it_reads_jsonl_records_with_nested_metrics_and_media(parse_payload: ParseFile) -> None:
    records = parse_payload("generic/records.jsonl", "netra-jsonl")
    path = GENERIC / "records.jsonl"
    account, video, comment, follow, mention = records[:5]
    assert account == AccountRecord(
        platform="tiktok",
        platform_id="6900000000000000001",
        handle="siti_contoh",
        display_name=None,
        bio="",
        followers=15000,
        following=1200,
        posts=87,
        seen_at=datetime(2024, 10, 2, 9, 0, tzinfo=PLUS7),
        raw=raw_line(path, 1),
    )
    assert video == ItemRecord(
        platform="tiktok",
        platform_id="7420000000000000001",
        kind=ItemKind.VIDEO,
        author_id="6900000000000000001",
        author_handle="siti_contoh",
        created_at=datetime(2024, 10, 1, 1, 15, tzinfo=UTC),
        text="Kampanye damai 🕊️ #pemilu2024 ꦥꦶꦭꦶꦃꦤ꧀",
        language="id",
        media=(
            Media("video", "https://www.tiktok.com/@siti_contoh/video/7420000000000000001"),
            Media("thumbnail", "https://p16-sign.tiktokcdn.com/contoh.jpeg"),
        ),
        permalink="https://www.tiktok.com/@siti_contoh/video/7420000000000000001",
        metrics=(("comments", 120), ("likes", 5400), ("shares", 33), ("views", 1234567)),
        collected_at=datetime(2024, 10, 2, 9, 0, tzinfo=WIB),
        raw=raw_line(path, 2),
        line=2,
        offset=len(raw_line(path, 1)) + 1,
    )
    assert isinstance(comment, ItemRecord)
    # Line 3 is blank; the comment is on line 4, its zoneless time in its own +09:00.
    assert (comment.line, comment.created_at, comment.text, comment.metrics) == (
        4,
        datetime(2024, 10, 1, 9, 0, tzinfo=PLUS9),
        "مرحبا dari Jayapura",
        (("likes", 2),),
    )
    assert follow == InteractionRecord(
        platform="tiktok",
        kind=InteractionKind.FOLLOW,
        actor_id="",
        actor_handle="agus_contoh",
        target_account_id="6900000000000000001",
        target_account_handle="siti_contoh",
    )
    assert mention == InteractionRecord(
        platform="instagram",
        kind=InteractionKind.MENTION,
        actor_id="",
        actor_handle="dewi.contoh",
        target_account_handle="siti_contoh",
        via_item_id="3400000000000000009",
        occurred_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        observed_at=datetime(2024, 10, 2, 2, 0, tzinfo=UTC),
    )
    tombstone = records[-1]
    assert isinstance(tombstone, ItemRecord)
    assert (tombstone.deleted, tombstone.reason, tombstone.metrics) == (True, "video dihapus", ())
    assert len(records) == 10


def test_bad_jsonl_lines_are_problems_naming_line_key_and_value(parse_payload: ParseFile) -> None:
    records = parse_payload("generic/records.jsonl", "netra-jsonl")
    path = GENERIC / "records.jsonl"
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [(p.line, p.path, p.reason) for p in problems] == [
        (7, "$.likes, $.views", "kunci 'likes' tidak dikenal; kunci 'views' tidak dikenal"),
        (
            8,
            "$.deleted, $.metric_likes",
            "kolom 'deleted' harus ya/tidak (1/0, true/false), bukan 'mungkin'; metrik 'likes' "
            "tertulis dua kali (di 'metrics' dan 'metric_likes')",
        ),
        (
            9,
            "$.text, $.media",
            "kolom 'text' bukan teks; media 'ftp://contoh.example/b.jpg' bukan URL http(s), "
            '\'jenis:URL\' atau {"type": …, "url": …}',
        ),
        (10, "", "JSON tidak sah: tanda koma diharapkan (karakter ke-101)"),
    ]
    for problem in problems:
        assert problem.raw == raw_line(path, problem.line or 0)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "metrics": [1]}',
            "kolom 'metrics' bukan objek",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "metrics": {"Suka Banget": 1}}',
            "nama metrik 'Suka Banget' tidak sah",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "metrics": {"likes": 1.5}}',
            "kolom 'metrics.likes' bukan bilangan bulat: '1.5'",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "metric_likes": true}',
            "kolom 'metric_likes' bukan bilangan bulat: 'True'",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "created_at": [2024]}',
            "kolom 'created_at' bukan teks",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "created_at": 1727745300000}',
            "waktu '1727745300000' di kolom 'created_at' tidak terbaca; tulis seperti "
            "2024-10-01 08:15:00+07:00",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "deleted": 2}',
            "kolom 'deleted' harus ya/tidak (1/0, true/false), bukan '2'",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "media": {"url": "https://a.b/c"}}',
            "kolom 'media' bukan teks atau daftar",
        ),
        (
            '{"platform": "x", "id": "1", "author_handle": "a", "media": [{"type": "photo"}]}',
            "media '{'type': 'photo'}' bukan URL http(s), 'jenis:URL' atau "
            '{"type": …, "url": …}',
        ),
        ('{"platform": "x", "id": true, "author_handle": "a"}', "kolom 'id' bukan teks"),
        (
            '{"record": "account", "platform": "x", "id": "1", "followers": "12K"}',
            "kolom 'followers' bukan bilangan bulat: '12K'",
        ),
    ],
)
def test_jsonl_values_of_the_wrong_type_are_problems(line: str, reason: str) -> None:
    problem = problem_of(jsonl_records(line + "\n"))
    assert (problem.line, problem.offset, problem.reason) == (1, 0, reason)


def test_jsonl_accepts_counts_flags_and_media_in_their_json_types() -> None:
    [item] = jsonl_records(
        '{"platform": "youtube", "id": "vid1", "kind": "video", "author_id": "UCcontoh",'
        ' "title": "Debat  publik ", "metric_views": "12,345", "metrics": {"likes": 7},'
        ' "withheld": 1, "deleted": false, "created_at": "2024-10-01T08:15:00.5+07:00",'
        ' "media": "thumbnail:https://i.ytimg.com/vi/vid1/hq.jpg"}\n'
    )
    assert isinstance(item, ItemRecord)
    assert (item.title, item.metrics, item.withheld, item.deleted) == (
        "Debat  publik ",
        (("likes", 7), ("views", 12345)),
        True,
        False,
    )
    assert item.created_at == datetime(2024, 10, 1, 8, 15, 0, 500_000, tzinfo=PLUS7)
    assert item.media == (Media("thumbnail", "https://i.ytimg.com/vi/vid1/hq.jpg"),)


def test_a_jsonl_file_of_another_shape_is_quarantined_line_by_line() -> None:
    [problem] = jsonl_records('{"data": [{"id": "1", "text": "halo"}], "includes": {}}\n')

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.line) == (
        "baris ini bukan Netra JSONL; kuncinya: data, includes",
        1,
    )


# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("excel_semicolon.csv", "netra-csv"),
        ("cp1252.csv", "netra-csv"),
        ("records.jsonl", "netra-jsonl"),
    ],
)
def test_detect_recognises_the_payloads(name: str, format_name: str) -> None:
    head = (GENERIC / name).read_bytes()[:65536]
    assert detect(head, name) == format_name
    # The name does not matter: a .txt export is still the same table.
    assert detect(head, "ekspor.txt") == format_name


@pytest.mark.parametrize(
    "head",
    [
        b"sep=;\r\nplatform;id;text\r\nx;1;halo\r\n",
        b"Record\tPlatform\tHandle\tFollowers\naccount\tx\tasn_contoh\t10\n",
        b"platform,id,text,Jumlah Like\nx,1,halo,3\n",  # parsing then names the odd column
        b'{"platform": "x", "id": "1", "author_handle": "a_contoh", "text": "halo"}\n',
        b'{"record": "account", "platform": "Instagram", "handle": "dewi.contoh", "x": 1}\n',
        b'{"record": "akun", "platform": "twitter", "id": "1"}\n',
    ],
)
def test_sniff_claims_the_generic_shapes(head: bytes) -> None:
    assert detect(head, "berkas") in {"netra-csv", "netra-jsonl"}


@pytest.mark.parametrize(
    "head",
    [
        # CrowdTangle's historical-data CSV: no platform column.
        b"Page Name,User Name,Facebook Id,Page Category,Post Created,Type,Likes,Comments,"
        b"Shares,URL,Message\n",
        # A 4CAT CSV export: more of its own columns than ours.
        b"id,thread_id,platform,author,body,timestamp,unix_timestamp,subject\n",
        # A roster for the registry import.
        b"No,Nama,Jenis,NIP,NRP,Jabatan,Instansi,Kode Wilayah Kerja\n",
        # X API v2 tweet objects as lines: no platform key.
        b'{"id": "1", "text": "halo", "author_id": "2", "created_at": "2024-10-01T00:00:00Z"}\n',
        # A platform key with a value that is not a platform.
        b'{"platform": "web", "record": "item", "id": "1"}\n',
        # A platform key among keys that are not ours, and no record key.
        b'{"platform": "tiktok", "id": "1", "desc": "halo", "createTime": 1}\n',
        b'{"platform": "x", "record": "tweet", "id": "1"}\n',
    ],
)
def test_sniff_leaves_other_shapes_alone(head: bytes) -> None:
    stripped = head.lstrip()
    first = json.loads(stripped.split(b"\n", 1)[0]) if stripped.startswith(b"{") else None
    csv_header = None if first is not None else tuple(stripped.split(b"\n")[0].decode().split(","))
    assert sniff(Head(data=head, suffix=".csv", first_object=first, csv_header=csv_header)) is None


def test_sniff_never_claims_another_source_s_payload() -> None:
    others = [
        path
        for path in sorted(PAYLOADS.rglob("*"))
        if path.is_file() and path.parent.name != "generic"
    ]
    assert others
    for path in others:
        try:
            name = detect(path.read_bytes()[:65536], path.name)
        except UnrecognisedFormat:
            continue
        assert not name.startswith("netra-"), path


# --- the user documentation -------------------------------------------------------------------

DOCS = Path(__file__).parents[3] / "docs" / "ingest-format.md"


def doc_blocks(language: str) -> list[str]:
    """The fenced ``language`` blocks of docs/ingest-format.md."""
    parts = DOCS.read_text(encoding="utf-8").split(f"```{language}\n")[1:]
    return [part.split("```", 1)[0] for part in parts]


def test_the_documented_csv_examples_load_without_problems() -> None:
    full, posts_only = doc_blocks("csv")
    records = csv_records(full)
    assert [type(r).__name__ for r in records] == [
        "ItemRecord",
        "ItemRecord",
        "AccountRecord",
        "InteractionRecord",
    ]
    post = records[0]
    assert isinstance(post, ItemRecord)
    assert (post.text, post.created_at, post.metrics) == (
        "Ayo ke TPS 🗳️\nJangan lupa bawa KTP",
        datetime(2024, 10, 1, 8, 15, tzinfo=WIB),
        (("likes", 1234), ("views", 12345)),
    )
    account = records[2]
    assert isinstance(account, AccountRecord)
    assert account.followers == 2500
    [video] = csv_records(posts_only)
    assert isinstance(video, ItemRecord)
    assert (video.platform, video.created_at, video.metrics) == (
        "tiktok",
        datetime(2024, 10, 1, 8, 15, tzinfo=WIB),
        (("likes", 5400),),
    )
    assert detect(full.encode(), "contoh.csv") == "netra-csv"


def test_the_documented_jsonl_example_loads_without_problems() -> None:
    [example] = doc_blocks("json")
    records = jsonl_records(example)
    assert [type(r).__name__ for r in records] == [
        "AccountRecord",
        "ItemRecord",
        "ItemRecord",
        "InteractionRecord",
    ]
    comment = records[2]
    assert isinstance(comment, ItemRecord)
    assert comment.created_at == datetime(2024, 10, 1, 9, 0, tzinfo=PLUS9)
    assert detect(example.encode(), "contoh.jsonl") == "netra-jsonl"


def test_the_documentation_lists_every_registered_format() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert [name for name in FORMATS if f"| `{name}` |" not in text] == []
