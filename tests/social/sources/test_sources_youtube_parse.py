"""YouTube Data API v3 parser: search, videos, comment threads, comments, channels."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netra.social.sources.records import (
    AccountRecord,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
)
from netra.social.sources.youtube.parse import parse_v3_json
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
YOUTUBE = Path(__file__).parent / "payloads" / "youtube"

HENDRA = "UCHendraKusumaFiktif0001"
AGUS = "UCAgusSetiyonoFiktif0002"
SULASTRI = "UCSulastriWulanFiktif003"
ARIFIN = "UCArifinRTFiktif00000005"
NEWS = "UCMalangNewsFiktif000004"
VIDEO = "hKmpnDialog"
THREAD = "UgzAgusThread0001AaBbCc"
SEEN = datetime(2024, 11, 12, 6, 0, tzinfo=UTC)


def payload(name: str) -> Any:
    return json.loads((YOUTUBE / name).read_bytes())


def _about(record: InteractionRecord) -> str:
    return record.actor_id


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _about)


without_raw = records_view.without_raw


def test_search_results_unescape_html_and_skip_playlists_with_a_reason(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/search_list.json", "youtube-v3-json", ParseOptions(SEEN))

    assert summary(records) == [
        ("account", HENDRA),
        ("video", VIDEO),
        ("problem", "$.items[2]"),
        ("account", NEWS),
        ("video", "wRgPsrDnm01"),
    ]
    video = records[1]
    assert without_raw(video) == ItemRecord(
        platform="youtube",
        platform_id=VIDEO,
        kind=ItemKind.VIDEO,
        author_id=HENDRA,
        author_handle="",
        created_at=datetime(2024, 11, 8, 3, 0, tzinfo=UTC),
        text="Cabup Hendra Kusumawardhana berdialog dengan pedagang & warga Donomulyo tentang "
        "harga pupuk ...",
        title='Dialog Kampanye "Malang Makmur" di Pasar Donomulyo',
        root_id=VIDEO,
        media=(Media("thumbnail", "https://i.ytimg.com/vi/hKmpnDialog/hqdefault.jpg"),),
        permalink="https://www.youtube.com/watch?v=hKmpnDialog",
        collected_at=SEEN,
    )
    assert isinstance(video, ItemRecord)
    assert json.loads(video.raw) == payload("search_list.json")["items"][0]
    news = records[4]
    assert isinstance(news, ItemRecord)
    assert (news.title, news.text) == (
        "Warga Donomulyo Sambut Debat Cabup — ꦏꦧꦂ ꦩꦭꦁ",
        "Liputan debat calon bupati. Penonton: 'seru!' 🎤",
    )
    problem = records[2]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "hasil pencarian jenis 'youtube#playlist' tidak disimpan"
    assert json.loads(problem.raw) == payload("search_list.json")["items"][2]


def test_a_channel_search_result_is_an_account_whose_shortened_bio_is_not_taken(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/search_list.json", "youtube-v3-json", ParseOptions(SEEN))

    # The channel result repeats the video's channel on the same page: one snapshot per page.
    assert [r for r in records if isinstance(r, AccountRecord)] == [
        AccountRecord(
            platform="youtube",
            platform_id=HENDRA,
            handle="",
            display_name="Hendra Kusumawardhana Official",
            bio=None,
            url="https://www.youtube.com/channel/UCHendraKusumaFiktif0001",
            seen_at=SEEN,
        ),
        AccountRecord(
            platform="youtube",
            platform_id=NEWS,
            handle="",
            display_name="Malang Kini TV",
            url="https://www.youtube.com/channel/UCMalangNewsFiktif000004",
            seen_at=SEEN,
        ),
    ]


def test_a_video_keeps_every_field_its_largest_thumbnail_and_where_it_is_blocked(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/videos_list.json", "youtube-v3-json")

    assert summary(records) == [
        ("account", HENDRA),
        ("video", VIDEO),
        ("account", NEWS),
        ("video", "wRgPsrDnm01"),
        ("account", AGUS),
        ("video", "rEjEcTeD001"),
    ]
    assert without_raw(records[1]) == ItemRecord(
        platform="youtube",
        platform_id=VIDEO,
        kind=ItemKind.VIDEO,
        author_id=HENDRA,
        author_handle="",
        created_at=datetime(2024, 11, 8, 3, 0, tzinfo=UTC),
        text="Cabup Hendra Kusumawardhana berdialog dengan pedagang & warga Donomulyo tentang "
        "harga pupuk dan jalan desa.\n\n#MalangMakmur #Pilkada2024",
        title='Dialog Kampanye "Malang Makmur" di Pasar Donomulyo',
        parent_id="",
        root_id=VIDEO,
        language="id",
        media=(Media("thumbnail", "https://i.ytimg.com/vi/hKmpnDialog/maxresdefault.jpg"),),
        permalink="https://www.youtube.com/watch?v=hKmpnDialog",
        metrics=(("comments", 97), ("likes", 830), ("views", 15230)),
        withheld=True,
        reason="diblokir di negara: MY, SG",
    )


def test_hidden_likes_an_audio_language_and_a_rejected_upload(parse_payload: ParseFile) -> None:
    records = parse_payload("youtube/videos_list.json", "youtube-v3-json")
    news, rejected = records[3], records[5]

    assert isinstance(news, ItemRecord)
    assert (news.language, news.metrics) == ("jv", (("comments", 0), ("views", 4410)))
    assert isinstance(rejected, ItemRecord)
    assert (rejected.deleted, rejected.withheld, rejected.reason, rejected.media) == (
        True,
        False,
        "status unggahan: rejected termsOfUse",
        (),
    )


def test_a_comment_thread_yields_its_top_comment_then_its_replies_with_their_authors(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/comment_threads.json", "youtube-v3-json", ParseOptions(SEEN))

    assert summary(records) == [
        ("account", AGUS),
        ("comment", THREAD),
        ("account", SULASTRI),
        ("reply", f"{THREAD}.A1b2C3d4E5f"),
        ("account", HENDRA),
        ("reply", f"{THREAD}.F6g7H8i9J0k"),
        ("account", ARIFIN),
        ("comment", "UgyArifinThread0002DdEe"),
        ("problem", "$.items[2]"),
    ]
    assert records[0] == AccountRecord(
        platform="youtube",
        platform_id=AGUS,
        handle="agussetiyono-dmy",
        display_name=None,
        url="http://www.youtube.com/@agussetiyono-dmy",
        seen_at=SEEN,
    )
    top = records[1]
    assert without_raw(top) == ItemRecord(
        platform="youtube",
        platform_id=THREAD,
        kind=ItemKind.COMMENT,
        author_id=AGUS,
        author_handle="agussetiyono-dmy",
        created_at=datetime(2024, 11, 10, 10, 15, tzinfo=UTC),
        text="Mantap Pak Hendra! Donomulyo siap menangkan 💪🏽\nSalam dari ASN & keluarga",
        parent_id=VIDEO,
        root_id=VIDEO,
        permalink=f"https://www.youtube.com/watch?v={VIDEO}&lc={THREAD}",
        metrics=(("likes", 12), ("replies", 2)),
        collected_at=SEEN,
    )
    assert isinstance(top, ItemRecord)
    assert (
        json.loads(top.raw)
        == (payload("comment_threads.json")["items"][0]["snippet"]["topLevelComment"])
    )


def test_a_reply_without_text_original_is_read_from_its_html(parse_payload: ParseFile) -> None:
    reply = parse_payload("youtube/comment_threads.json", "youtube-v3-json")[3]

    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id, reply.metrics) == (THREAD, VIDEO, (("likes", 3),))
    assert reply.text == 'ꦱꦸꦥꦺꦴꦂꦠ꧀ ꦥꦏ꧀ ꦲꦼꦤ꧀ꦢꦿ 🙌 "الحمد لله" lihat 1:35'


def test_a_comment_held_for_review_is_withheld_and_a_thread_without_comment_is_a_problem(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/comment_threads.json", "youtube-v3-json")
    author, held, problem = records[6], records[7], records[8]

    # An author shown by name, not "@handle", keeps the name and no handle.
    assert isinstance(author, AccountRecord)
    assert (author.handle, author.display_name) == ("", "Pak Arifin RT03")
    assert isinstance(held, ItemRecord)
    assert (held.withheld, held.reason, held.author_handle) == (
        True,
        "ditahan moderasi kanal: heldForReview",
        "",
    )
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'topLevelComment' tidak ada"


def test_comments_list_replies_name_their_author_once_and_may_lack_their_video(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/comments_list.json", "youtube-v3-json")

    assert summary(records) == [
        ("account", AGUS),
        ("reply", f"{THREAD}.K1l2M3n4O5p"),
        ("reply", f"{THREAD}.Q6r7S8t9U0v"),
    ]
    orphan = records[2]
    assert isinstance(orphan, ItemRecord)
    assert (orphan.parent_id, orphan.root_id, orphan.permalink) == (THREAD, "", "")


def test_channels_give_handles_counts_and_no_count_when_subscribers_are_hidden(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/channels_list.json", "youtube-v3-json")

    assert [without_raw(r) for r in records] == [
        AccountRecord(
            platform="youtube",
            platform_id=HENDRA,
            handle="hendrakusumaofficial",
            display_name="Hendra Kusumawardhana Official",
            bio="Kanal resmi Hendra Kusumawardhana & Ratna Puspitasari 🇮🇩 #MalangMakmur",
            url="https://www.youtube.com/channel/UCHendraKusumaFiktif0001",
            followers=48200,
            following=None,
            posts=312,
        ),
        AccountRecord(
            platform="youtube",
            platform_id=AGUS,
            handle="agussetiyono-dmy",
            display_name="Agus Setiyono",
            bio="Vlog keseharian di Donomulyo. ꦲꦒꦸꦱ꧀",
            url="https://www.youtube.com/channel/UCAgusSetiyonoFiktif0002",
            followers=None,
            posts=18,
        ),
    ]


def test_an_empty_comment_page_yields_nothing(parse_payload: ParseFile) -> None:
    assert parse_payload("youtube/comment_threads_empty.json", "youtube-v3-json") == []


def test_an_api_error_becomes_one_problem_with_youtubes_reason(parse_payload: ParseFile) -> None:
    records = parse_payload("youtube/error_comments_disabled.json", "youtube-v3-json")

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason="galat dari YouTube: 403 The video identified by the <code><a "
            'href="/youtube/v3/docs/commentThreads/list#videoId">videoId</a></code> parameter '
            "has disabled comments. (youtube.commentThread/commentsDisabled)",
            path="$.error",
        )
    ]


def test_jsonl_pages_parse_around_a_bad_line_and_an_unread_response_kind(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("youtube/pages.jsonl", "youtube-v3-jsonl")

    assert summary(records) == [
        ("account", SULASTRI),
        ("problem", "baris 2, byte ke-533"),
        ("account", SULASTRI),
        ("video", "sLstRVideo1"),
        ("problem", "baris 4, byte ke-939"),
    ]
    assert [r.reason for r in records if isinstance(r, ParseProblem)] == [
        "JSON tidak sah: nilai JSON diharapkan (karakter ke-51)",
        "baris ini bukan respons YouTube Data API v3",
    ]
    # This line escapes its emoji (\ud83d\uddf3\ufe0f): they decode all the same.
    video = records[3]
    assert isinstance(video, ItemRecord)
    assert (video.text, video.metrics) == (
        "Belajar demokrasi untuk anak SD 🗳️",
        (("comments", 2), ("likes", 9), ("views", 120)),
    )


def test_a_youtube_response_of_a_kind_not_read_is_one_problem_naming_it() -> None:
    stream = io.BytesIO(b'{"kind": "youtube#playlistListResponse", "items": []}')

    [problem] = parse_v3_json(stream, ParseOptions())

    assert isinstance(problem, ParseProblem)
    assert problem.reason == (
        "Respons YouTube jenis 'youtube#playlistListResponse' belum didukung; yang didukung: "
        "youtube#channelListResponse, youtube#commentListResponse, "
        "youtube#commentThreadListResponse, youtube#searchListResponse, "
        "youtube#videoListResponse."
    )
