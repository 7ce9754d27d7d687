"""CSV exports of Meta's research tools: Meta Content Library and CrowdTangle.

Column names follow the published references:
https://developers.facebook.com/docs/content-library-and-api/appendix/data-dictionary
(Meta Content Library: id, creation_time, text, lang, post_owner.id, post_owner.name,
post_owner.type, post_owner.username, statistics.reaction_count, statistics.like_count,
statistics.comment_count, statistics.share_count, statistics.views)
https://help.crowdtangle.com/en/articles/3192685-citing-crowdtangle-data and
https://help.crowdtangle.com/en/articles/1184978-crowdtangle-glossary (the historical-data
CSV: Page Name, User Name, Facebook Id, Post Created, Type, Total Interactions, Likes…
Care, Post Views, URL, Message, Link, Final Link; Instagram: Account, User Name,
Followers at Posting, Likes, Comments, Views, URL, Photo, Title, Description).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from netra.social.sources.meta.exports import parse_content_library_csv, parse_crowdtangle_csv
from netra.social.sources.records import (
    AccountRecord,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
)
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
META = Path(__file__).parent / "payloads" / "meta"

PAGE = "104857362918475"
SEEN = datetime(2024, 10, 9, 2, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))


def _about(record: InteractionRecord) -> str:
    return record.actor_id


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _about)


def assert_raw_is_the_row(name: str, record: ItemRecord | ParseProblem) -> None:
    """The record's raw is the bytes of its row in the file, up to the line ending."""
    data = (META / name).read_bytes()
    assert record.offset is not None
    end = record.offset + len(record.raw)
    assert data[record.offset : end] == record.raw
    assert data[end:].startswith((b"\r\n", b"\n")) or end == len(data)


# --- CrowdTangle -------------------------------------------------------------------------------


def test_crowdtangle_facebook_rows_become_page_posts_with_graph_style_ids(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/crowdtangle_facebook.csv", "crowdtangle-csv", ParseOptions(SEEN))

    assert summary(records) == [
        ("account", PAGE),
        ("post", f"{PAGE}_122110987654321"),
        ("post", f"{PAGE}_998877665544331"),
        ("problem", "baris 5, byte ke-1502, kolom Likes"),
        ("problem", "baris 6, byte ke-1818, kolom Post Created"),
        ("post", f"{PAGE}_pfbid02AbCdEfGhIjKlMnOpQrStUvWxYz"),
        ("post", "ct:73e05d716b98bfb46dc49263"),
    ]
    assert records[0] == AccountRecord(
        platform="facebook",
        platform_id=PAGE,
        handle="relawanmalangmakmur",
        display_name="Relawan Malang Makmur",
        url="https://www.facebook.com/relawanmalangmakmur",
        seen_at=SEEN,
    )
    post = records[1]
    assert isinstance(post, ItemRecord)
    assert replace(post, raw=b"") == ItemRecord(
        platform="facebook",
        platform_id=f"{PAGE}_122110987654321",
        kind=ItemKind.POST,
        author_id=PAGE,
        author_handle="relawanmalangmakmur",
        created_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        text="Kampanye dialogis di Pasar Kepanjen 🎉\nꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ #MalangMakmur",
        root_id=f"{PAGE}_122110987654321",
        media=(
            Media(
                "photo",
                f"https://www.facebook.com/{PAGE}/photos/a.1048573/122110987000001/?type=3",
            ),
        ),
        permalink=f"https://www.facebook.com/{PAGE}/posts/122110987654321",
        # "1,245" and "1,020" are counts grouped by thousands.
        metrics=(
            ("angry", 2),
            ("care", 4),
            ("comments", 98),
            ("haha", 12),
            ("likes", 1020),
            ("love", 60),
            ("sad", 1),
            ("shares", 45),
            ("total_interactions", 1245),
            ("wow", 3),
        ),
        collected_at=SEEN,
        line=2,
        offset=586,
    )
    # The file starts with a BOM and ends its rows with CRLF; the first row spans two lines.
    assert post.raw.startswith(b"Relawan Malang Makmur,relawanmalangmakmur,")
    assert b'"Kampanye dialogis di Pasar Kepanjen \xf0\x9f\x8e\x89\n' in post.raw
    assert_raw_is_the_row("crowdtangle_facebook.csv", post)


def test_crowdtangle_times_carry_the_dashboards_zone(parse_payload: ParseFile) -> None:
    records = parse_payload("meta/crowdtangle_facebook.csv", "crowdtangle-csv")
    items = [r for r in records if isinstance(r, ItemRecord)]

    assert [r.created_at for r in items] == [
        datetime(2024, 10, 1, 10, 0, tzinfo=WIB),
        datetime(2024, 10, 2, 7, 30, tzinfo=timezone(timedelta(hours=-4))),  # EDT
        datetime(2024, 10, 5, 20, 15, tzinfo=WIB),  # +0700
        datetime(2024, 10, 6, 8, 0, tzinfo=WIB),
    ]
    video = items[1]
    assert (video.text, video.media, video.metric("views")) == (
        "بسم الله — doa bersama relawan 🤲",
        (Media("video", "https://www.facebook.com/relawanmalangmakmur/videos/998877665544331/"),),
        5400,
    )
    link = items[2]
    # The link as CrowdTangle followed it, not the shortener.
    assert link.media == (Media("link", "https://kabarmalang.example/berita/debat-cabup"),)


def test_a_bad_crowdtangle_row_is_a_problem_with_its_line_and_the_rest_are_read(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/crowdtangle_facebook.csv", "crowdtangle-csv")
    problems = [r for r in records if isinstance(r, ParseProblem)]

    assert [(p.line, p.path, p.reason) for p in problems] == [
        (5, "kolom Likes", "kolom 'Likes' bukan bilangan bulat: 'banyak'"),
        (
            6,
            "kolom Post Created",
            "zona waktu 'XYZ' di kolom 'Post Created' tidak dikenal; gunakan +07:00, WIB, "
            "WITA, WIT atau UTC",
        ),
    ]
    for problem in problems:
        assert_raw_is_the_row("crowdtangle_facebook.csv", problem)
    assert problems[0].raw.endswith(
        b",https://www.facebook.com/104857362918475/posts/122111000000003,Hitungan rusak,"
        b",,,,,,,,1.25"
    )


def test_crowdtangle_instagram_rows_are_keyed_by_shortcode(parse_payload: ParseFile) -> None:
    records = parse_payload("meta/crowdtangle_instagram.csv", "crowdtangle-csv", ParseOptions(SEEN))

    assert summary(records) == [
        ("account", "relawan.malangmakmur"),
        ("post", "DAbCdEfGhIj"),
        ("post", "DAzYxWvUtSr"),
        ("problem", "baris 4, byte ke-948"),
        ("post", "DAqRsTuVwXy"),
    ]
    assert records[0] == AccountRecord(
        platform="instagram",
        platform_id="",
        handle="relawan.malangmakmur",
        display_name="Relawan Malang Makmur",
        url="https://www.instagram.com/relawan.malangmakmur",
        seen_at=SEEN,
    )
    reel = records[2]
    assert isinstance(reel, ItemRecord)
    assert replace(reel, raw=b"") == ItemRecord(
        platform="instagram",
        platform_id="DAzYxWvUtSr",
        kind=ItemKind.POST,
        author_id="",
        author_handle="relawan.malangmakmur",
        created_at=datetime(2024, 10, 6, 16, 30, tzinfo=WIB),
        text="ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ — sugeng rawuh Pak Hendra 🎬",
        title="Sugeng rawuh",
        root_id="DAzYxWvUtSr",
        media=(
            Media("thumbnail", "https://scontent.cdninstagram.com/v/t51.29350-15/reel_thumb_n.jpg"),
        ),
        permalink="https://www.instagram.com/reel/DAzYxWvUtSr/",
        metrics=(("comments", 87), ("likes", 1024), ("total_interactions", 1111), ("views", 15300)),
        collected_at=SEEN,
        line=3,
        offset=585,
    )
    assert_raw_is_the_row("crowdtangle_instagram.csv", reel)
    problem = records[3]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "baris berisi 8 sel, padahal kepala tabel punya 20 kolom"
    album = records[4]
    assert isinstance(album, ItemRecord)
    assert (album.text, album.media) == (
        "إن شاء الله menang 🤲",
        (Media("photo", "https://scontent.cdninstagram.com/v/t51.29350-15/carousel-1_n.jpg"),),
    )


def test_a_table_that_is_not_crowdtangle_is_refused_with_what_it_needs() -> None:
    body = b"Post Created,Judul\n2024-10-01 10:00:00 WIB,halo\n"

    with pytest.raises(UnrecognisedFormat) as raised:
        list(parse_crowdtangle_csv(io.BytesIO(body), ParseOptions()))

    assert str(raised.value) == (
        "Kepala tabel ini bukan CSV data historis CrowdTangle: perlu kolom Post Created, URL, "
        "dan Facebook Id dengan Page Name (Facebook) atau Account dengan User Name (Instagram)."
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.facebook.com/groups/551122/permalink/778899/", f"{PAGE}_778899"),
        ("https://www.facebook.com/photo.php?fbid=665544&set=a.1", f"{PAGE}_665544"),
        (
            "https://www.facebook.com/relawan/photos/a.1048573/122110987000001/",
            f"{PAGE}_122110987000001",
        ),
        ("https://www.facebook.com/reel/3344556677/", f"{PAGE}_3344556677"),
    ],
)
def test_the_post_id_is_read_from_each_kind_of_facebook_url(url: str, expected: str) -> None:
    body = (
        "Page Name,User Name,Facebook Id,Post Created,Type,Likes,URL,Message\n"
        f"Relawan,relawan,{PAGE},2024-10-01 10:00:00 WIB,Status,1,{url},Halo\n"
    ).encode()

    records = list(parse_crowdtangle_csv(io.BytesIO(body), ParseOptions()))

    assert [r.platform_id for r in records if isinstance(r, ItemRecord)] == [expected]


# --- Meta Content Library ------------------------------------------------------------------------


def test_content_library_facebook_rows_keep_library_ids_apart(parse_payload: ParseFile) -> None:
    records = parse_payload(
        "meta/content_library_facebook.csv", "meta-content-library-csv", ParseOptions(SEEN)
    )

    assert summary(records) == [
        ("account", "mcl:5512345678901234"),
        ("post", "mcl:7123456789012345"),
        ("account", "mcl:5512345678909999"),
        ("post", "mcl:7123456789012346"),
        ("problem", "baris 5, byte ke-732, kolom creation_time"),
        ("problem", "baris 6, byte ke-826, kolom statistics.reaction_count"),
    ]
    assert records[0] == AccountRecord(
        platform="facebook",
        platform_id="mcl:5512345678901234",
        handle="",
        display_name="Relawan Malang Makmur",
        seen_at=SEEN,
    )
    post = records[1]
    assert isinstance(post, ItemRecord)
    assert replace(post, raw=b"") == ItemRecord(
        platform="facebook",
        platform_id="mcl:7123456789012345",
        kind=ItemKind.POST,
        author_id="mcl:5512345678901234",
        author_handle="",
        # No zone written: the Content Library's times are UTC.
        created_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        text="Kampanye dialogis di Pasar Kepanjen 🎉\nꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ",
        root_id="mcl:7123456789012345",
        language="id",
        permalink=f"https://www.facebook.com/{PAGE}/posts/122110987654321",
        metrics=(("comments", 37), ("reactions", 245), ("shares", 12), ("views", 15200)),
        collected_at=SEEN,
        line=2,
        offset=206,
    )
    assert_raw_is_the_row("content_library_facebook.csv", post)
    profile_post = records[3]
    assert isinstance(profile_post, ItemRecord)
    assert (
        profile_post.created_at,
        profile_post.text,
        profile_post.language,
        profile_post.media,
        profile_post.metrics,
    ) == (
        datetime(2024, 10, 2, 5, 0, tzinfo=UTC),
        "بسم الله، doa bersama untuk Pilkada damai",
        "ar",
        (Media("link", "https://kabarmalang.example/berita/doa-bersama"),),
        (("comments", 4), ("reactions", 18), ("shares", 0)),
    )
    assert [r.reason for r in records if isinstance(r, ParseProblem)] == [
        "kolom 'creation_time' kosong",
        "kolom 'statistics.reaction_count' bukan bilangan bulat: '1,5'",
    ]


def test_content_library_instagram_rows_know_their_platform_with_or_without_a_url(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/content_library_instagram.csv", "meta-content-library-csv")

    assert summary(records) == [
        ("account", "mcl:6612345678901234"),
        ("post", "mcl:8123456789012345"),
        ("post", "mcl:8123456789012346"),
    ]
    assert records[0] == AccountRecord(
        platform="instagram",
        platform_id="mcl:6612345678901234",
        handle="relawan.malangmakmur",
        display_name="Relawan Malang Makmur",
        url="https://www.instagram.com/relawan.malangmakmur",
    )
    first, second = records[1], records[2]
    assert isinstance(first, ItemRecord)
    assert isinstance(second, ItemRecord)
    assert (first.platform, first.author_handle, first.metrics, first.permalink) == (
        "instagram",
        "relawan.malangmakmur",
        (("comments", 14), ("likes", 320)),
        "https://www.instagram.com/p/DAbCdEfGhIj/",
    )
    assert (second.platform, second.text, second.language, second.permalink) == (
        "instagram",
        "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ 🎬",
        "jv",
        "",
    )


def test_a_table_without_the_library_columns_is_refused_by_name() -> None:
    body = b"id,text\n1,halo\n"

    with pytest.raises(UnrecognisedFormat) as raised:
        list(parse_content_library_csv(io.BytesIO(body), ParseOptions()))

    assert str(raised.value) == (
        "Kolom creation_time, post_owner_id tidak ada; ini bukan CSV Meta Content Library. "
        "Kolom yang ada: id, text."
    )
