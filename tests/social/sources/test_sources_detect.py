"""Format detection from a file's first bytes, and the message for a file it cannot place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from netra.monitor.forms import format_choices
from netra.social.management.commands.ingest import Command as IngestCommand
from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.records import UnrecognisedFormat
from netra.social.sources.registry import FORMATS, expected_formats, format_spec, parse

PAYLOADS = Path(__file__).parent / "payloads"

# Every registered format with its label, in registry order (sources by folder name).
EXPECTED = f"Format yang didukung: {expected_formats()}."
ALL_LISTED = (
    "Semua format yang didukung tercantum di netra ingest --help (pilihan --format) dan di "
    "pilihan Format pada formulir unggah."
)


def refusal(filename: str, seen: str, nearest: list[str]) -> str:
    """The message for an unknown file, its nearest formats named with their labels."""
    message = f"Format berkas '{filename}' tidak dikenali. Yang terbaca: {seen}."
    if nearest:
        named = "; ".join(f"{name} ({FORMATS[name].label})" for name in nearest)
        message += f" Format terdekat: {named}."
    return f"{message} {ALL_LISTED}"


@pytest.mark.parametrize(
    ("relative", "format_name"),
    [
        ("x/v2_search_recent.json", "x-v2-json"),
        ("x/v2_tweets_lookup.json", "x-v2-json"),
        ("x/v2_users_by.json", "x-v2-json"),
        ("x/v2_liking_users.json", "x-v2-json"),
        ("x/v2_empty.json", "x-v2-json"),
        ("x/twarc2_pages.jsonl", "x-v2-jsonl"),
        ("x/twarc2_search.jsonl", "x-v2-jsonl"),
        ("x/twarc2_flatten.jsonl", "x-v2-jsonl"),
        ("x/v1_user_timeline.json", "twitter-v1-json"),
        ("x/v1_search_tweets.json", "twitter-v1-json"),
        ("x/twarc1_statuses.jsonl", "twitter-v1-jsonl"),
        ("x/archive_tweets.js", "twitter-archive-js"),
        ("x/archive_deleted_tweets.js", "twitter-archive-js"),
        ("x/archive_account.js", "twitter-archive-js"),
        ("x/archive_like.js", "twitter-archive-js"),
        ("youtube/search_list.json", "youtube-v3-json"),
        ("youtube/videos_list.json", "youtube-v3-json"),
        ("youtube/comment_threads.json", "youtube-v3-json"),
        ("youtube/comment_threads_empty.json", "youtube-v3-json"),
        ("youtube/comments_list.json", "youtube-v3-json"),
        ("youtube/channels_list.json", "youtube-v3-json"),
        ("youtube/error_comments_disabled.json", "youtube-v3-json"),
        ("youtube/pages.jsonl", "youtube-v3-jsonl"),
    ],
)
def test_each_payload_is_detected_as_its_format(relative: str, format_name: str) -> None:
    head = (PAYLOADS / relative).read_bytes()[:HEAD_BYTES]

    assert detect(head, Path(relative).name) == format_name


@pytest.mark.parametrize(
    ("head", "filename", "format_name"),
    [
        # A pretty-printed document cut by the head: keys near the top tell the API.
        (b'{\n  "data": [\n    {\n      "id": "1",\n', "hasil.json", "x-v2-json"),
        (
            b'{\n  "kind": "youtube#videoListResponse",\n  "etag": "x",\n',
            "v.json",
            "youtube-v3-json",
        ),
        (
            b'{\n  "created_at": "Tue Nov 12 01:00:00 +0000 2024",\n  "id_str": "1",\n'
            b'  "user": {\n    "screen_name": "a"\n',
            "status.json",
            "twitter-v1-json",
        ),
        # A twarc2 line longer than the head: JSON Lines unless the name says one document.
        (b'{"data":[{"id":"1","text":"' + b"a" * 70_000, "tweets.jsonl", "x-v2-jsonl"),
        (b'{"data":[{"id":"1","text":"' + b"a" * 70_000, "tweets", "x-v2-jsonl"),
        (b'{"data":[{"id":"1","text":"' + b"a" * 70_000, "halaman.json", "x-v2-json"),
        # JSON Lines whose first line is broken are still JSON Lines.
        (
            b'{"data": [{"id": "1", "te\n{"data": [{"id": "2", "text": "x"}]}\n',
            "tweets.jsonl",
            "x-v2-jsonl",
        ),
        # A bare v2 tweet a line, as tools other than twarc2 flatten save them.
        (
            b'{"id": "1855600000000000001", "text": "halo", "author_id": "13",'
            b' "edit_history_tweet_ids": ["1855600000000000001"]}\n{"id": "2"}\n',
            "tweets.jsonl",
            "x-v2-jsonl",
        ),
        # One line and a .jsonl name: JSON Lines of one page.
        (b'{"meta": {"result_count": 0}}\n', "kosong.jsonl", "x-v2-jsonl"),
        (b'\xef\xbb\xbf{"meta": {"result_count": 0}}', "kosong.json", "x-v2-json"),
        (
            b'{"error": {"code": 403, "errors": [{"domain": "youtube.quota", '
            b'"reason": "quotaExceeded"}]}}',
            "kuota.json",
            "youtube-v3-json",
        ),
    ],
)
def test_shapes_cut_short_by_the_head_are_still_detected(
    head: bytes, filename: str, format_name: str
) -> None:
    assert detect(head, filename) == format_name


def test_an_unknown_file_is_refused_naming_the_nearest_formats_and_where_all_are() -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        detect(b"tanggal,akun,teks\n2024-11-10,@agus,halo\n", "catatan.csv")

    assert str(raised.value) == (
        "Format berkas 'catatan.csv' tidak dikenali. Yang terbaca: tabel CSV dengan baris "
        "pertama 'tanggal,akun,teks'. Format terdekat: netra-csv (tabel CSV Netra untuk alat "
        "atau spreadsheet lain (lihat docs/ingest-format.md)); meta-content-library-csv (CSV "
        "unduhan Meta Content Library (kiriman Facebook/Instagram)); crowdtangle-csv (CSV data "
        "historis CrowdTangle (Facebook atau Instagram)). Semua format yang didukung tercantum "
        "di netra ingest --help (pilihan --format) dan di pilihan Format pada formulir unggah."
    )


OBJECTS = ["meta-graph-json", "facebook-dyi-json", "instagram-dyi-json", "crowdtangle-api-json"]
LISTS = ["facebook-dyi-json", "instagram-dyi-json", "crowdtangle-api-json", "twitter-v1-json"]


@pytest.mark.parametrize(
    ("head", "filename", "seen", "nearest"),
    [
        (b"", "kosong.json", "berkas kosong", []),
        (b"  \n\n ", "spasi.json", "berkas kosong", []),
        (b"<!DOCTYPE html><html><body>x</body></html>", "halaman.html", "HTML atau XML", []),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "foto.jpg", "berkas biner, bukan teks", []),
        (
            b"PK\x03\x04\x14\x00\x00\x00",
            "twitter-2024.zip",
            "arsip ZIP; netra ingest dan formulir unggah membuka arsip ekspor, di sini "
            "ekstrak dulu lalu muat berkas data di dalamnya",
            [],
        ),
        (b"\x1f\x8b\x08\x00", "tweets.jsonl.gz", "berkas terkompresi gzip; ekstrak dulu", []),
        (
            b"Laporan pengawasan hari ini\nbaris dua",
            "catatan.txt",
            "teks biasa yang diawali 'Laporan pengawasan hari ini'",
            [],
        ),
        (b"caf\xe9 au lait, \xe9t\xe9 2024 " * 10, "latin1.txt", "teks yang bukan UTF-8", []),
        (
            b'{"foo": 1, "bar": [1, 2]}',
            "lain.json",
            "JSON berisi objek dengan kunci: foo, bar",
            [*OBJECTS, "tiktok-research-json"],
        ),
        (
            b'{"foo": 1}\n{"foo": 2}\n',
            "lain.jsonl",
            "JSON Lines, baris pertama berisi objek dengan kunci: foo",
            [
                "zeeschuimer-ndjson",
                "netra-jsonl",
                "meta-graph-jsonl",
                "crowdtangle-api-jsonl",
                "tiktok-research-jsonl",
            ],
        ),
        (
            b'{"error": {"code": 400, "errors": [{"domain": "global", "reason": "badRequest"}]}}',
            "galat.json",
            "JSON berisi objek dengan kunci: error",
            [
                "youtube-v3-json",
                "youtube-v3-jsonl",
                "meta-graph-json",
                "tiktok-research-json",
                "x-v2-json",
            ],
        ),
        (
            b'{"kind": "youtube#playlistListResponse", "items": []}',
            "playlist.json",
            "respons YouTube jenis 'youtube#playlistListResponse', yang belum didukung",
            ["youtube-v3-json", *OBJECTS],
        ),
        (
            b"window.YTD.direct_messages.part0 = [ ]",
            "direct-messages.js",
            "arsip Twitter bagian 'direct_messages', yang belum didukung "
            "(hanya account, deleted_tweets, like, tweets)",
            ["twitter-archive-js"],
        ),
        (b"[]", "kosong.json", "daftar JSON kosong", LISTS),
        (b"[1, 2, 3]", "angka.json", "daftar JSON berisi angka, bukan objek", LISTS),
        (b'["a", "b"]', "teks.json", "daftar JSON berisi teks, bukan objek", LISTS),
        (
            b'[{"nama": "Siti", "kota": "Malang"}, {"nama": "Agus"}]',
            "orang.json",
            "daftar JSON berisi objek dengan kunci: nama, kota",
            LISTS,
        ),
        (
            b'[\n  {\n    "nama": "Siti",\n    "catatan": "' + b"x" * 70_000,
            "panjang.json",
            "daftar JSON dengan kunci nama, catatan di awalnya",
            LISTS,
        ),
        (b"[" * 70_000, "dalam.json", "daftar JSON yang isinya tidak dikenal", LISTS),
        (
            b'{\n  "nama": "x",\n',
            "pretty.json",
            "objek JSON tanpa kunci yang dikenal di awal berkas",
            [*OBJECTS, "tiktok-research-json"],
        ),
    ],
)
def test_each_unknown_file_says_what_was_recognised_and_the_nearest_formats(
    head: bytes, filename: str, seen: str, nearest: list[str]
) -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        detect(head, filename)

    assert str(raised.value) == refusal(filename, seen, nearest)


@pytest.mark.parametrize(
    ("head", "filename", "nearest"),
    [
        # Keys shared count: a list of TikTok videos is nearest to TikTok's formats.
        (
            b'[{"id": "7", "video_description": "x", "create_time": 1, "username": "a"}]',
            "video.json",
            ["tiktok-research-json", "tiktok-research-jsonl", *LISTS[:3]],
        ),
        # So do columns: Netra's table first, then the other tables, then other formats
        # sharing a column.
        (
            b"platform;id;teks;penulis\nx;1;halo;agus\n",
            "tabel.csv",
            [
                "netra-csv",
                "meta-content-library-csv",
                "crowdtangle-csv",
                "netra-jsonl",
                "x-v2-json",
            ],
        ),
    ],
)
def test_the_nearest_formats_share_the_layout_or_the_keys_at_most_five(
    head: bytes, filename: str, nearest: list[str]
) -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        detect(head, filename)

    named = "; ".join(f"{name} ({FORMATS[name].label})" for name in nearest)
    assert f" Format terdekat: {named}. Semua format" in str(raised.value)


def test_every_manifest_format_is_in_the_registry_once() -> None:
    assert list(FORMATS) == [
        "zeeschuimer-ndjson",
        "netra-csv",
        "netra-jsonl",
        "meta-graph-json",
        "meta-graph-jsonl",
        "facebook-dyi-json",
        "instagram-dyi-json",
        "meta-content-library-csv",
        "crowdtangle-csv",
        "crowdtangle-api-json",
        "crowdtangle-api-jsonl",
        "tiktok-research-json",
        "tiktok-research-jsonl",
        "x-v2-json",
        "x-v2-jsonl",
        "twitter-v1-json",
        "twitter-v1-jsonl",
        "twitter-archive-js",
        "youtube-v3-json",
        "youtube-v3-jsonl",
    ]
    assert (
        "x-v2-jsonl (JSONL twarc2, satu respons X API v2 per baris, atau satu tweet per baris "
        "(twarc2 flatten)); " in EXPECTED
    )
    assert format_spec("youtube-v3-jsonl").name == "youtube-v3-jsonl"


def test_an_unknown_format_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        list(parse(io.BytesIO(b"{}"), "tiktok-research"))

    assert str(raised.value) == ("Format 'tiktok-research' tidak dikenal. " + EXPECTED)


def test_the_lists_the_message_points_to_hold_every_format() -> None:
    # argparse wraps lines at spaces and hyphens: compare without white space.
    help_text = "".join(IngestCommand().create_parser("netra", "ingest").format_help().split())

    assert [name for name in FORMATS if f"{name}(" not in help_text] == []
    assert [name for name, _label in format_choices()[1:]] == sorted(FORMATS)
