"""Browser captures: Zeeschuimer NDJSON and 4CAT's NDJSON of it (TikTok, Instagram, X, Threads).

The payloads follow the field names these tools read and write:

* the envelope: https://github.com/digitalmethodsinitiative/zeeschuimer/blob/master/js/zs-background.js
  (``nav_index``, ``item_id``, ``timestamp_collected``, ``source_platform``…, ``data``) and
  ``popup/interface.js`` (the ".ndjson" export, one ``JSON.stringify`` per line);
* 4CAT's form: https://github.com/digitalmethodsinitiative/4cat/blob/master/backend/lib/search.py
  (``import_from_file`` moves the envelope into ``__import_meta``);
* the objects: the ``map_item`` functions of 4CAT's ``datasources/tiktok/search_tiktok.py``,
  ``tiktok_comments/search_tiktok_comments.py``, ``instagram/search_instagram.py``,
  ``twitter-import/search_twitter.py`` and ``threads/search_threads.py``, and Zeeschuimer's
  ``modules/tiktok.js``, ``instagram.js``, ``twitter.js`` and ``threads.js``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netra.social.sources import capture
from netra.social.sources.capture.parse import parse_zeeschuimer_ndjson
from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.meta.common import shortcode_pk
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
from netra.social.sources.registry import format_spec
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
CAPTURE = Path(__file__).parent / "payloads" / "capture"
FORMAT = "zeeschuimer-ndjson"

SEEN = datetime(2024, 11, 12, 6, 0, 0, 123000, tzinfo=UTC)  # timestamp_collected 1731391200123

# TikTok
HENDRA_TT = "6812345678901234501"
AGUS_TT = "6812345678901234502"
SULASTRI_TT = "6812345678901234503"
ARIFIN_TT = "6812345678901234504"
CAMPAIGN_TT = "7434901234567890123"
PRIVATE_TT = "7435012345678901234"
DUET_TT = "7435123456789012345"
PHOTO_TT = "7435234567890123456"
# Instagram
HENDRA_IG = "48123456701"
AGUS_IG = "48123456702"
SULASTRI_IG = "48123456703"
CAROUSEL_IG = "3496123456789012345"
REEL_IG = "3496234567890123456"
GRID_IG = "3496345678901234567"
GRAPH_IG = "3212345678901234567"
POLARIS_IG = "3496456789012345678"
# X
HENDRA_X = "1200000000000000001"
AGUS_X = "1300000000000000002"
SULASTRI_X = "1300000000000000003"
ARIFIN_X = "1400000000000000004"
CAMPAIGN_X = "1854690297246646273"
RETWEET_X = "1855067784606646274"
QUOTE_X = "1855082884101046275"
REPLY_X = "1855097983595446276"
ADAPTIVE_X = "1854494003819446277"
# Threads
HENDRA_TH = "63123456701"
AGUS_TH = "63123456702"
SULASTRI_TH = "63123456703"
POST_TH = "3481234567890123456"
REPLY_TH = "3481345678901234567"
QUOTE_TH = "3481456789012345678"
GONE_TH = "3481567890123456789"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 11, day, hour, minute, tzinfo=UTC)


def lines(name: str) -> list[bytes]:
    return (CAPTURE / name).read_bytes().splitlines()


def data_of(name: str, number: int) -> Any:
    """The platform object of line ``number`` (from 1) of a Zeeschuimer payload."""
    return json.loads(lines(name)[number - 1])["data"]


def run(content: bytes, options: ParseOptions | None = None) -> list[Parsed]:
    return list(parse_zeeschuimer_ndjson(io.BytesIO(content), options or ParseOptions()))


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, records_view.actor_to_target)


without_raw = records_view.without_raw


def mention(
    platform: str,
    actor: tuple[str, str],
    target: tuple[str, str],
    via: str,
    when: datetime | None,
) -> InteractionRecord:
    return InteractionRecord(
        platform=platform,
        kind=InteractionKind.MENTION,
        actor_id=actor[0],
        actor_handle=actor[1],
        target_account_id=target[0],
        target_account_handle=target[1],
        via_item_id=via,
        occurred_at=when,
        observed_at=SEEN,
    )


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("tiktok.ndjson", "zeeschuimer-export-tiktok.com-2024-11-12T060000.ndjson"),
        ("tiktok_comments.ndjson", "zeeschuimer-export-tiktok-comments-2024-11-12T060000.ndjson"),
        ("instagram.ndjson", "zeeschuimer-export-instagram.com-2024-11-12T060000.ndjson"),
        ("x.ndjson", "zeeschuimer-export-twitter.com-2024-11-12T060000.ndjson"),
        ("threads.ndjson", "zeeschuimer-export-threads.net-2024-11-12T060000.ndjson"),
        ("fourcat.ndjson", "tiktok-search-0a1b2c3d.ndjson"),
        # The name does not matter: the first line says it.
        ("x.ndjson", "unduhan"),
    ],
)
def test_each_capture_is_detected_as_zeeschuimer_ndjson(name: str, filename: str) -> None:
    head = (CAPTURE / name).read_bytes()[:HEAD_BYTES]

    assert detect(head, filename) == FORMAT


def test_a_first_line_longer_than_the_head_is_detected_by_its_envelope() -> None:
    envelope = (
        b'{"nav_index":"1:3:0","item_id":"7434901234567890123","timestamp_collected":'
        b'1731391200123,"source_platform":"tiktok.com","source_platform_url":'
        b'"https://www.tiktok.com/","source_url":"https://www.tiktok.com/api/x",'
        b'"user_agent":"Mozilla/5.0","data":{"id":"7434901234567890123","desc":"'
    )
    head = (envelope + b"a" * HEAD_BYTES)[:HEAD_BYTES]

    assert detect(head, "capture.ndjson") == FORMAT


@pytest.mark.parametrize(
    "first_line",
    [
        # An X API v2 page has "data" too.
        b'{"data":[{"id":"1","text":"halo"}],"meta":{"result_count":1}}',
        # A "source_platform" without the envelope's own keys is somebody else's.
        b'{"source_platform":"tiktok.com","data":{"id":"1"}}',
        b'{"__import_meta":{"nav_index":"1:1:0"},"id":"1"}',
        b'{"id":"7434901234567890123","desc":"tanpa amplop","createTime":"1731049200"}',
    ],
)
def test_the_sniffer_claims_only_captured_items(first_line: bytes) -> None:
    head = Head(
        data=first_line + b"\n",
        suffix=".ndjson",
        first_object=json.loads(first_line),
        csv_header=None,
    )

    assert capture.sniff(head) is None


def test_a_long_x_v2_line_is_not_taken_for_an_envelope() -> None:
    head = Head(
        data=b'{"data":[{"id":"1","source_platform":"x","text":"' + b"a" * 500,
        suffix=".jsonl",
        first_object=None,
        csv_header=None,
    )

    assert capture.sniff(head) is None
    assert detect(head.data, "tweets.jsonl") == "x-v2-jsonl"


def test_the_format_is_registered_with_its_label() -> None:
    spec = format_spec(FORMAT)

    assert str(spec.label) == (
        "NDJSON Zeeschuimer atau 4CAT, satu butir tangkapan per baris "
        "(TikTok, Instagram, X, Threads)"
    )
    assert capture.MANIFEST.platform == "other"


# --- TikTok ----------------------------------------------------------------------------


def test_tiktok_captures_yield_author_video_and_mentions_per_line(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/tiktok.ndjson", FORMAT)

    assert summary(records) == [
        ("account", HENDRA_TT),
        ("video", CAMPAIGN_TT),
        ("mention", f"{HENDRA_TT}->{AGUS_TT}"),
        ("account", ARIFIN_TT),
        ("video", PRIVATE_TT),
        ("account", AGUS_TT),
        ("quote", DUET_TT),
        ("account", SULASTRI_TT),
        ("post", PHOTO_TT),
    ]


def test_a_tiktok_video_keeps_exact_counts_its_javanese_text_and_its_capture_time(
    parse_payload: ParseFile,
) -> None:
    author, video, mentioned = parse_payload("capture/tiktok.ndjson", FORMAT)[:3]

    assert without_raw(author) == AccountRecord(
        platform="tiktok",
        platform_id=HENDRA_TT,
        handle="hendra.kusuma",
        display_name="Hendra Kusuma 🇮🇩",
        bio="Calon Bupati Malang 2024 · ꦲꦺꦤ꧀ꦢꦿ",
        url="https://www.tiktok.com/@hendra.kusuma",
        followers=15200,
        following=88,
        posts=311,
        seen_at=SEEN,
    )
    assert isinstance(author, AccountRecord)
    assert json.loads(author.raw) == data_of("tiktok.ndjson", 1)["author"]
    assert without_raw(video) == ItemRecord(
        platform="tiktok",
        platform_id=CAMPAIGN_TT,
        kind=ItemKind.VIDEO,
        author_id=HENDRA_TT,
        author_handle="hendra.kusuma",
        created_at=at(8, 7),
        text="Sowan ke Donomulyo bareng @agus_setiyono 🙏🏽 ꦩꦭꦁꦩꦏ꧀ꦩꦸꦂ #MalangMakmur",
        root_id=CAMPAIGN_TT,
        language="id",
        media=(
            Media(
                "thumbnail",
                "https://p16-sign-sg.tiktokcdn.com/obj/fiktif-cover-0001?x-expires=1731477600",
            ),
            Media("video", "https://v16-webapp-prime.tiktok.com/video/fiktif-0001/?a=1988"),
        ),
        permalink=f"https://www.tiktok.com/@hendra.kusuma/video/{CAMPAIGN_TT}",
        # statsV2 is exact where stats rounds (38900 likes, 1600000 plays).
        metrics=(
            ("bookmarks", 3207),
            ("comments", 504),
            ("likes", 38884),
            ("reposts", 12),
            ("shares", 2124),
            ("views", 1585253),
        ),
        collected_at=SEEN,
    )
    assert isinstance(video, ItemRecord)
    assert video.raw == lines("tiktok.ndjson")[0]
    # The hashtag entry of textExtra names nobody; the @mention names Agus.
    assert mentioned == mention(
        "tiktok", (HENDRA_TT, "hendra.kusuma"), (AGUS_TT, "agus_setiyono"), CAMPAIGN_TT, at(8, 7)
    )


def test_a_private_tiktok_video_without_stats_is_withheld_and_its_handle_only_author_kept(
    parse_payload: ParseFile,
) -> None:
    author, video = parse_payload("capture/tiktok.ndjson", FORMAT)[3:5]
    seen = datetime(2024, 11, 12, 6, 1, tzinfo=UTC)

    assert without_raw(author) == AccountRecord(
        platform="tiktok",
        platform_id=ARIFIN_TT,
        handle="arifin_rt05",
        display_name="Pak RT Arifin",
        bio=None,
        url="https://www.tiktok.com/@arifin_rt05",
        seen_at=seen,
    )
    assert without_raw(video) == ItemRecord(
        platform="tiktok",
        platform_id=PRIVATE_TT,
        kind=ItemKind.VIDEO,
        author_id=ARIFIN_TT,
        author_handle="arifin_rt05",
        created_at=at(9, 1, 30),
        text="بسم الله، صوتوا يوم ٢٧ نوفمبر 🗳️",
        root_id=PRIVATE_TT,
        permalink=f"https://www.tiktok.com/@arifin_rt05/video/{PRIVATE_TT}",
        metrics=(),
        collected_at=seen,
        withheld=True,
        reason="hanya dapat dilihat pengunggahnya (privat)",
    )
    assert isinstance(video, ItemRecord)
    assert video.metric("likes") is None


def test_a_duet_quotes_its_video_and_a_photo_post_keeps_every_photo(
    parse_payload: ParseFile,
) -> None:
    agus, duet, _sulastri, photos = parse_payload("capture/tiktok.ndjson", FORMAT)[5:]

    assert isinstance(agus, AccountRecord)
    # authorStatsV2 sends the counts as strings.
    assert (agus.followers, agus.following, agus.posts, agus.bio) == (312, 287, 44, "")
    assert isinstance(duet, ItemRecord)
    assert (duet.kind, duet.parent_id, duet.root_id, duet.language) == (
        ItemKind.QUOTE,
        CAMPAIGN_TT,
        DUET_TT,
        "",  # "un": TikTok could not tell
    )
    assert duet.metrics == (
        ("bookmarks", 1),
        ("comments", 9),
        ("likes", 57),
        ("reposts", 0),
        ("shares", 3),
        ("views", 1210),
    )
    assert duet.media == (
        Media("thumbnail", "https://p16-sign-sg.tiktokcdn.com/obj/fiktif-cover-0003"),
    )
    assert isinstance(photos, ItemRecord)
    assert (photos.kind, photos.permalink) == (
        ItemKind.POST,
        f"https://www.tiktok.com/@sulastri.wulan/photo/{PHOTO_TT}",
    )
    assert photos.media == (
        Media("photo", "https://p16-sign-sg.tiktokcdn.com/fiktif/foto-1.jpeg"),
        Media("photo", "https://p16-sign-sg.tiktokcdn.com/fiktif/foto-2.jpeg"),
    )


def test_tiktok_comments_answer_the_video_and_replies_answer_their_comment(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/tiktok_comments.ndjson", FORMAT)

    assert summary(records) == [
        ("account", SULASTRI_TT),
        ("comment", "7435300000000000001"),
        ("account", HENDRA_TT),
        ("reply", "7435300000000000002"),
    ]
    assert without_raw(records[1]) == ItemRecord(
        platform="tiktok",
        platform_id="7435300000000000001",
        kind=ItemKind.COMMENT,
        author_id=SULASTRI_TT,
        author_handle="sulastri.wulan",
        created_at=at(8, 9),
        text="Mugi lancar Pak 🤲 ꦩꦸꦒꦶ",
        parent_id=CAMPAIGN_TT,
        root_id=CAMPAIGN_TT,
        language="jv",
        permalink=(
            f"https://www.tiktok.com/@hendra.kusuma/video/{CAMPAIGN_TT}?cid=7435300000000000001"
        ),
        metrics=(("likes", 21), ("replies", 1)),
        collected_at=SEEN,
    )
    reply = records[3]
    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id, reply.metrics, reply.permalink) == (
        "7435300000000000001",
        CAMPAIGN_TT,
        (("likes", 2),),
        "",
    )


# --- Instagram -------------------------------------------------------------------------


def test_instagram_captures_of_every_view_are_read_and_an_item_without_id_is_a_problem(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/instagram.ndjson", FORMAT)
    offset = sum(len(line) + 1 for line in lines("instagram.ndjson")[:5])

    assert summary(records) == [
        ("account", HENDRA_IG),
        ("post", CAROUSEL_IG),
        ("mention", f"{HENDRA_IG}->{AGUS_IG}"),
        ("mention", f"{HENDRA_IG}->sulastri.wulan"),
        ("account", SULASTRI_IG),
        ("video", REEL_IG),
        ("post", GRID_IG),
        ("account", AGUS_IG),
        ("post", GRAPH_IG),
        ("mention", f"{AGUS_IG}->hendra.kusuma"),
        ("post", POLARIS_IG),
        ("problem", f"baris 6, byte ke-{offset}, $.data"),
    ]
    problem = records[-1]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "butir ini tidak punya ID (pk, id atau code)"
    assert problem.raw == lines("instagram.ndjson")[5]


def test_an_instagram_carousel_keeps_each_media_and_mentions_tagged_and_written_accounts(
    parse_payload: ParseFile,
) -> None:
    author, post, tagged, written = parse_payload("capture/instagram.ndjson", FORMAT)[:4]

    assert without_raw(author) == AccountRecord(
        platform="instagram",
        platform_id=HENDRA_IG,
        handle="hendra.kusuma",
        display_name="Hendra Kusuma",
        url="https://www.instagram.com/hendra.kusuma/",
        seen_at=SEEN,
    )
    assert without_raw(post) == ItemRecord(
        platform="instagram",
        platform_id=CAROUSEL_IG,
        kind=ItemKind.POST,
        author_id=HENDRA_IG,
        author_handle="hendra.kusuma",
        created_at=at(8, 2),
        text="Kampanye dialogis di Kepanjen bersama @sulastri.wulan dan @agus_setiyono 🙏🏽\n"
        "ꦱꦸꦒꦼꦁꦫꦮꦸꦃ · مرحبا بالجميع · kontak: tim@contoh.id",
        root_id=CAROUSEL_IG,
        media=(
            Media("photo", "https://scontent.cdninstagram.com/fiktif/karusel-1-1080.jpg"),
            Media("video", "https://scontent.cdninstagram.com/fiktif/karusel-2.mp4"),
        ),
        permalink="https://www.instagram.com/p/DCEucK80d95/",
        metrics=(("comments", 87), ("likes", 1204)),
        collected_at=SEEN,
    )
    assert isinstance(post, ItemRecord)
    assert post.raw == lines("instagram.ndjson")[0]
    # The tagged account comes with its id; @agus_setiyono in the caption is the same one,
    # and the e-mail address is no mention.
    assert tagged == mention(
        "instagram",
        (HENDRA_IG, "hendra.kusuma"),
        (AGUS_IG, "agus_setiyono"),
        CAROUSEL_IG,
        at(8, 2),
    )
    assert written == mention(
        "instagram", (HENDRA_IG, "hendra.kusuma"), ("", "sulastri.wulan"), CAROUSEL_IG, at(8, 2)
    )


def test_a_reel_with_hidden_likes_has_no_like_count_and_a_grid_item_has_no_author_or_date(
    parse_payload: ParseFile,
) -> None:
    author, reel, grid = parse_payload("capture/instagram.ndjson", FORMAT)[4:7]

    assert isinstance(author, AccountRecord)
    # The "owner" names only the id; "user" the rest, with a null full name.
    assert (author.platform_id, author.handle, author.display_name) == (
        SULASTRI_IG,
        "sulastri.wulan",
        None,
    )
    assert isinstance(reel, ItemRecord)
    assert (reel.kind, reel.text, reel.metrics) == (
        ItemKind.VIDEO,
        "",
        (("comments", 12), ("views", 18250)),
    )
    assert reel.media == (Media("video", "https://scontent.cdninstagram.com/fiktif/reel.mp4"),)
    assert without_raw(grid) == ItemRecord(
        platform="instagram",
        platform_id=GRID_IG,
        kind=ItemKind.POST,
        # The id "<pk>_<author pk>" still says who posted it.
        author_id=AGUS_IG,
        author_handle="",
        created_at=None,
        root_id=GRID_IG,
        media=(Media("photo", "https://scontent.cdninstagram.com/fiktif/grid.jpg"),),
        permalink="https://www.instagram.com/p/DCFg97a4UuH/",
        collected_at=SEEN,
    )


def test_an_older_graph_post_and_a_partial_polaris_reel_are_read(
    parse_payload: ParseFile,
) -> None:
    graph, written, polaris = parse_payload("capture/instagram.ndjson", FORMAT)[8:11]

    assert without_raw(graph) == ItemRecord(
        platform="instagram",
        platform_id=GRAPH_IG,
        kind=ItemKind.POST,
        author_id=AGUS_IG,
        author_handle="agus_setiyono",
        created_at=at(7, 23, 15),
        text="Siap kawal TPS 12 Donomulyo ✊🏽 @hendra.kusuma",
        root_id=GRAPH_IG,
        media=(Media("photo", "https://scontent.cdninstagram.com/fiktif/graph.jpg"),),
        permalink="https://www.instagram.com/p/CyUi2AOq0uH/",
        metrics=(("comments", 5), ("likes", 64)),
        collected_at=SEEN,
    )
    assert written == mention(
        "instagram",
        (AGUS_IG, "agus_setiyono"),
        ("", "hendra.kusuma"),
        GRAPH_IG,
        at(7, 23, 15),
    )
    # No pk nor id: the shortcode is the media id in base 64.
    assert isinstance(polaris, ItemRecord)
    assert (polaris.platform_id, polaris.author_id, polaris.metrics, polaris.media) == (
        POLARIS_IG,
        "",
        (("views", 930),),
        (Media("photo", "https://scontent.cdninstagram.com/fiktif/polaris.jpg"),),
    )


def test_a_shortcode_is_decoded_only_when_it_is_a_plain_media_id() -> None:
    assert shortcode_pk("DCEucK80d95") == CAROUSEL_IG
    assert shortcode_pk("CyUi2AOq0uH") == GRAPH_IG
    # Posts of private accounts have longer codes that are not the id alone.
    assert shortcode_pk("DCEucK80d95aBcDeFgHiJkLmNoPqRsTuV") == ""
    assert shortcode_pk("DCEuc!80d95") == ""
    assert shortcode_pk("") == ""


# --- X ---------------------------------------------------------------------------------


def test_x_captures_yield_embedded_posts_first_and_a_tombstone_is_a_problem(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/x.ndjson", FORMAT)
    offset = sum(len(line) + 1 for line in lines("x.ndjson")[:4])

    assert summary(records) == [
        ("account", HENDRA_X),
        ("post", CAMPAIGN_X),
        ("mention", f"{HENDRA_X}->{AGUS_X}"),
        ("mention", f"{HENDRA_X}->1500000000000000010"),
        # The retweet carries the whole original.
        ("account", HENDRA_X),
        ("post", CAMPAIGN_X),
        ("mention", f"{HENDRA_X}->{AGUS_X}"),
        ("mention", f"{HENDRA_X}->1500000000000000010"),
        ("account", AGUS_X),
        ("share", RETWEET_X),
        ("account", SULASTRI_X),
        ("quote", QUOTE_X),
        ("account", ARIFIN_X),
        ("reply", REPLY_X),
        ("mention", f"{ARIFIN_X}->{HENDRA_X}"),
        ("problem", f"baris 5, byte ke-{offset}, $.data"),
        ("account", SULASTRI_X),
        ("post", ADAPTIVE_X),
    ]
    problem = records[15]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == (
        "tweet tidak tersedia (TweetTombstone): This Post violated the X Rules. Learn more"
    )


def test_an_x_post_reads_the_2025_user_shape_views_and_counts_a_repeated_mention_once(
    parse_payload: ParseFile,
) -> None:
    author, post = parse_payload("capture/x.ndjson", FORMAT)[:2]

    assert without_raw(author) == AccountRecord(
        platform="x",
        platform_id=HENDRA_X,
        handle="hendra_kusuma",
        display_name="Hendra Kusuma",
        bio="Calon Bupati Malang 2024. ꦲꦺꦤ꧀ꦢꦿ 🇮🇩",
        url="https://x.com/hendra_kusuma",
        followers=15230,
        following=310,
        posts=4211,
        seen_at=SEEN,
    )
    assert without_raw(post) == ItemRecord(
        platform="x",
        platform_id=CAMPAIGN_X,
        kind=ItemKind.POST,
        author_id=HENDRA_X,
        author_handle="hendra_kusuma",
        created_at=at(8, 1),
        # X escapes "&" in full_text; the X API parsers keep the text as sent, so does this.
        text="Mari bersama membangun Kabupaten Malang yang makmur! 🗳️🇮🇩 Terima kasih "
        "@agus_setiyono_dmy &amp; @TimHendra2024 https://t.co/PhOtO0001a",
        root_id=CAMPAIGN_X,
        language="id",
        media=(Media("photo", "https://pbs.twimg.com/media/GcFiktifA1.jpg"),),
        permalink=f"https://x.com/hendra_kusuma/status/{CAMPAIGN_X}",
        metrics=(
            ("bookmarks", 2),
            ("likes", 120),
            ("quotes", 3),
            ("replies", 12),
            ("shares", 45),
            ("views", 5400),
        ),
        collected_at=SEEN,
    )
    assert isinstance(post, ItemRecord)
    assert post.raw == lines("x.ndjson")[0]


def test_a_retweet_shares_the_original_whose_raw_is_its_own_json(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/x.ndjson", FORMAT)
    original, agus, share = records[5], records[8], records[9]

    assert isinstance(original, ItemRecord)
    assert json.loads(original.raw) == data_of("x.ndjson", 1) | {"id": CAMPAIGN_X}
    assert original.raw != lines("x.ndjson")[1]
    # The author in the pre-2025 shape: name and handle in "legacy", a count as a string.
    assert without_raw(agus) == AccountRecord(
        platform="x",
        platform_id=AGUS_X,
        handle="agus_setiyono_dmy",
        display_name="Agus Setiyono",
        bio="Abdi negara di Donomulyo 🌾",
        url="https://x.com/agus_setiyono_dmy",
        followers=312,
        following=287,
        posts=4410,
        seen_at=SEEN,
    )
    assert isinstance(share, ItemRecord)
    assert (share.kind, share.parent_id, share.author_id, share.raw) == (
        ItemKind.SHARE,
        CAMPAIGN_X,
        AGUS_X,
        lines("x.ndjson")[1],
    )


def test_a_quote_of_a_removed_post_keeps_its_long_text_best_mp4_and_points_at_the_post(
    parse_payload: ParseFile,
) -> None:
    quote = parse_payload("capture/x.ndjson", FORMAT)[11]

    assert isinstance(quote, ItemRecord)
    assert (quote.kind, quote.parent_id, quote.root_id) == (ItemKind.QUOTE, CAMPAIGN_X, QUOTE_X)
    assert quote.text == (
        " ".join(["Program sekolah gratis ini yang kami tunggu."] * 7)
        + " Maju terus Pak Hendra! \U0001f469\u200d\U0001f3eb\u2728"
    )
    assert quote.media == (Media("video", "https://video.twimg.com/fiktif/1280x720.mp4"),)
    # views.state "Enabled" without a count: no views metric.
    assert quote.metric("views") is None
    assert quote.metric("bookmarks") == 1


def test_a_withheld_reply_in_javanese_and_arabic_answers_its_post(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/x.ndjson", FORMAT)
    arifin, reply, mentioned = records[12:15]

    assert isinstance(arifin, AccountRecord)
    assert (arifin.bio, arifin.withheld, arifin.reason) == ("", True, "ditahan di negara: ID")
    assert without_raw(reply) == ItemRecord(
        platform="x",
        platform_id=REPLY_X,
        kind=ItemKind.REPLY,
        author_id=ARIFIN_X,
        author_handle="pak_rt_arifin",
        created_at=at(9, 4),
        text="@hendra_kusuma ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ — الحمد لله",
        parent_id=CAMPAIGN_X,
        root_id=CAMPAIGN_X,
        language="",
        permalink=f"https://x.com/pak_rt_arifin/status/{REPLY_X}",
        metrics=(("likes", 1), ("quotes", 0), ("replies", 0), ("shares", 0)),
        collected_at=SEEN,
        withheld=True,
        reason="ditahan di negara: ID",
    )
    assert mentioned == mention(
        "x", (ARIFIN_X, "pak_rt_arifin"), (HENDRA_X, "hendra_kusuma"), REPLY_X, at(9, 4)
    )


def test_an_old_adaptive_capture_is_read_as_a_v1_status_dated_by_its_line(
    parse_payload: ParseFile,
) -> None:
    author, post = parse_payload("capture/x.ndjson", FORMAT)[16:]
    seen = datetime(2024, 11, 7, 16, 0, tzinfo=UTC)

    assert isinstance(author, AccountRecord)
    assert (author.platform_id, author.handle, author.bio, author.seen_at) == (
        SULASTRI_X,
        "sulastri_wulan",
        "Relawan 🌸",
        seen,
    )
    assert without_raw(post) == ItemRecord(
        platform="x",
        platform_id=ADAPTIVE_X,
        kind=ItemKind.POST,
        author_id=SULASTRI_X,
        author_handle="sulastri_wulan",
        created_at=at(7, 12),
        text="Debat kedua malam ini jam 19.00 WIB 📺",
        root_id=ADAPTIVE_X,
        language="id",
        permalink=f"https://x.com/sulastri_wulan/status/{ADAPTIVE_X}",
        metrics=(("likes", 9), ("quotes", 0), ("replies", 1), ("shares", 2)),
        collected_at=seen,
    )
    assert isinstance(post, ItemRecord)
    assert post.raw == lines("x.ndjson")[5]


# --- Threads ---------------------------------------------------------------------------


def test_threads_captures_yield_posts_replies_quotes_and_unavailable_posts(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/threads.ndjson", FORMAT)

    assert summary(records) == [
        ("account", HENDRA_TH),
        ("post", POST_TH),
        ("mention", f"{HENDRA_TH}->sulastri.wulan"),
        ("account", AGUS_TH),
        ("reply", REPLY_TH),
        # The quoted post comes whole inside the quote.
        ("account", HENDRA_TH),
        ("post", POST_TH),
        ("account", SULASTRI_TH),
        ("quote", QUOTE_TH),
        ("account", AGUS_TH),
        ("post", GONE_TH),
    ]


def test_a_threads_post_keeps_its_counts_and_its_mention_fragment(
    parse_payload: ParseFile,
) -> None:
    author, post, mentioned = parse_payload("capture/threads.ndjson", FORMAT)[:3]

    assert without_raw(author) == AccountRecord(
        platform="threads",
        platform_id=HENDRA_TH,
        handle="hendra.kusuma",
        display_name="Hendra Kusuma",
        url="https://www.threads.com/@hendra.kusuma",
        seen_at=SEEN,
    )
    assert without_raw(post) == ItemRecord(
        platform="threads",
        platform_id=POST_TH,
        kind=ItemKind.POST,
        author_id=HENDRA_TH,
        author_handle="hendra.kusuma",
        created_at=at(8, 4),
        text="Terima kasih warga Sumbermanjing 🙏🏽 bersama @sulastri.wulan",
        root_id=POST_TH,
        permalink="https://www.threads.com/@hendra.kusuma/post/DBP1GUm5rrA",
        metrics=(("likes", 245), ("quotes", 2), ("replies", 18), ("shares", 6)),
        collected_at=SEEN,
    )
    assert mentioned == mention(
        "threads", (HENDRA_TH, "hendra.kusuma"), ("", "sulastri.wulan"), POST_TH, at(8, 4)
    )


def test_a_threads_reply_names_no_parent_and_a_quote_points_at_the_quoted_post(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("capture/threads.ndjson", FORMAT)
    reply, quoted, quote = records[4], records[6], records[8]

    assert isinstance(reply, ItemRecord)
    # Threads names the author answered, not the post.
    assert (reply.kind, reply.parent_id, reply.root_id, reply.text) == (
        ItemKind.REPLY,
        "",
        "",
        "ꦩꦠꦸꦂꦤꦸꦮꦸꦤ꧀ Pak 🙏",
    )
    assert isinstance(quoted, ItemRecord)
    assert (quoted.metrics, json.loads(quoted.raw)) == (
        (("likes", 245), ("replies", 18)),
        data_of("threads.ndjson", 3)["text_post_app_info"]["share_info"]["quoted_post"],
    )
    assert isinstance(quote, ItemRecord)
    assert (quote.kind, quote.parent_id, quote.text, quote.media) == (
        ItemKind.QUOTE,
        POST_TH,
        "Semoga amanah 🤲 صدق الله",
        (Media("photo", "https://scontent.cdninstagram.com/fiktif/th-1.jpg"),),
    )


def test_an_unavailable_threads_post_wrapped_in_post_is_a_withheld_tombstone(
    parse_payload: ParseFile,
) -> None:
    gone = parse_payload("capture/threads.ndjson", FORMAT)[-1]

    assert without_raw(gone) == ItemRecord(
        platform="threads",
        platform_id=GONE_TH,
        kind=ItemKind.POST,
        author_id=AGUS_TH,
        author_handle="agus_setiyono",
        created_at=None,
        root_id=GONE_TH,
        permalink="https://www.threads.com/@agus_setiyono/post/DBRA4zINwEV",
        collected_at=SEEN,
        withheld=True,
        reason="menurut Threads, kiriman ini tidak tersedia",
    )


# --- 4CAT's NDJSON ---------------------------------------------------------------------


def test_4cat_lines_give_the_records_of_the_zeeschuimer_lines_they_came_from(
    parse_payload: ParseFile,
) -> None:
    from_4cat = parse_payload("capture/fourcat.ndjson", FORMAT)
    tiktok = parse_payload("capture/tiktok.ndjson", FORMAT)[:3]
    threads = parse_payload("capture/threads.ndjson", FORMAT)[3:5]

    assert [without_raw(r) for r in from_4cat] == [without_raw(r) for r in (*tiktok, *threads)]
    item = from_4cat[1]
    assert isinstance(item, ItemRecord)
    # json.dumps escapes the emoji and the Javanese script; the line is kept as written.
    assert item.raw == lines("fourcat.ndjson")[0]
    assert b"\\ud83d\\ude4f" in item.raw


# --- bad lines, empty files, odd shapes -------------------------------------------------


def test_bad_lines_among_good_ones_name_their_line_byte_and_reason() -> None:
    good = lines("tiktok.ndjson")
    unsupported = (
        b'{"nav_index":"1:4:0","item_id":"7300000000000000001","timestamp_collected":'
        b'1731391200123,"source_platform":"douyin.com","data":{"aweme_id":"7300000000000000001"}}'
    )
    broken = b'{"nav_index":"1:4:1","source_platform":"tiktok.com","data":{"id":"7'
    stranger = b'{"kind":"youtube#video","id":"abc"}'
    content = b"\n".join([good[0], broken, unsupported, b"", stranger, good[3]]) + b"\n"
    at_broken = len(good[0]) + 1
    unterminated = broken.index(b'"7')  # where the string left open starts
    at_unsupported = at_broken + len(broken) + 1
    at_stranger = at_unsupported + len(unsupported) + 2

    records = run(content)

    assert summary(records) == [
        ("account", HENDRA_TT),
        ("video", CAMPAIGN_TT),
        ("mention", f"{HENDRA_TT}->{AGUS_TT}"),
        ("problem", f"baris 2, byte ke-{at_broken + unterminated}"),
        ("problem", f"baris 3, byte ke-{at_unsupported}, $.source_platform"),
        ("problem", f"baris 5, byte ke-{at_stranger}, $"),
        ("account", SULASTRI_TT),
        ("post", PHOTO_TT),
    ]
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [(p.reason, p.raw) for p in problems] == [
        (
            f"JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-{unterminated + 1})",
            broken,
        ),
        (
            "platform 'douyin.com' dari Zeeschuimer belum didukung (yang didukung: "
            "instagram.com, threads.net, threads.com, tiktok.com, tiktok-comments, "
            "twitter.com, x.com)",
            unsupported,
        ),
        ("baris ini bukan butir Zeeschuimer atau 4CAT (kunci: kind, id)", stranger),
    ]


def test_an_unsupported_platform_in_a_4cat_line_is_named_at_its_meta_path() -> None:
    line = b'{"id":"1","__import_meta":{"source_platform":"linkedin.com","nav_index":"1:1:0"}}'

    (problem,) = run(line + b"\n")

    assert problem == ParseProblem(
        reason="platform 'linkedin.com' dari Zeeschuimer belum didukung (yang didukung: "
        "instagram.com, threads.net, threads.com, tiktok.com, tiktok-comments, twitter.com, "
        "x.com)",
        line=1,
        offset=0,
        path="$.__import_meta.source_platform",
        raw=line,
    )


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"  \r\n"])
def test_an_empty_export_yields_nothing(content: bytes) -> None:
    assert run(content) == []


def test_a_file_whose_lines_are_no_capture_is_one_problem_a_line() -> None:
    line = b'{"data":[{"id":"1","text":"halo"}]}'

    assert run(line + b"\n") == [
        ParseProblem(
            reason="baris ini bukan NDJSON Zeeschuimer atau 4CAT; kuncinya: data",
            line=1,
            offset=0,
            raw=line,
        )
    ]


def test_a_hundred_lines_that_are_no_capture_refuse_the_file() -> None:
    with pytest.raises(UnrecognisedFormat) as raised:
        run(b'{"data":[{"id":"1","text":"halo"}]}\n' * 100)

    assert "100 baris pertama tidak dapat dibaca sebagai NDJSON Zeeschuimer" in str(raised.value)


def test_without_timestamp_collected_the_callers_collection_time_is_used() -> None:
    line = json.loads(lines("tiktok.ndjson")[3])
    del line["timestamp_collected"]
    fetched = datetime(2024, 11, 13, 1, 0, tzinfo=UTC)

    records = run(json.dumps(line).encode() + b"\n", ParseOptions(collected_at=fetched))

    assert [type(r).__name__ for r in records] == ["AccountRecord", "ItemRecord"]
    account, item = records
    assert isinstance(account, AccountRecord)
    assert isinstance(item, ItemRecord)
    assert (account.seen_at, item.collected_at) == (fetched, fetched)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"stats": [1, 2]}, "kolom 'stats' bukan objek"),
        ({"createTime": "kemarin"}, "kolom 'createTime' bukan bilangan"),
        ({"createTime": "99999999999999999"}, "bentuk data tidak terduga (OverflowError: "),
        ({"textExtra": ["@agus"]}, "entri 'textExtra' bukan objek"),
        ({"id": None}, "kolom 'id' tidak ada"),
    ],
)
def test_an_item_of_an_odd_shape_is_one_problem_and_nothing_of_it_is_kept(
    change: dict[str, Any], reason: str
) -> None:
    line = json.loads(lines("tiktok.ndjson")[0])
    line["data"] |= change
    odd = json.dumps(line, ensure_ascii=False).encode()
    content = odd + b"\n" + lines("tiktok.ndjson")[3] + b"\n"

    records = run(content)

    assert summary(records) == [
        ("problem", "baris 1, byte ke-0, $.data"),
        ("account", SULASTRI_TT),
        ("post", PHOTO_TT),
    ]
    problem = records[0]
    assert isinstance(problem, ParseProblem)
    assert problem.reason.startswith(reason)
    assert problem.raw == odd


def test_a_bad_collection_time_is_a_problem_of_the_envelope() -> None:
    line = json.loads(lines("tiktok.ndjson")[3])
    line["timestamp_collected"] = "kemarin"
    content = json.dumps(line).encode() + b"\n"

    (problem,) = run(content)

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.path) == (
        "kolom 'timestamp_collected' bukan bilangan",
        "$",
    )
