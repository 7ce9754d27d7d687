"""TikTok Research API parser: videos, comments, profiles, likes, follows, reposts, pins.

Payload shapes follow TikTok's published reference:
https://developers.tiktok.com/doc/research-api-specs-query-videos
https://developers.tiktok.com/doc/research-api-specs-query-video-comments
https://developers.tiktok.com/doc/research-api-specs-query-user-info
https://developers.tiktok.com/doc/research-api-specs-query-user-liked-videos
https://developers.tiktok.com/doc/research-api-specs-query-user-followers
https://developers.tiktok.com/doc/research-api-specs-query-user-following
https://developers.tiktok.com/doc/research-api-specs-query-user-reposted-videos
https://developers.tiktok.com/doc/research-api-specs-query-user-pinned-videos
and the list keys TikTok's own client reads (github.com/tiktok/tiktok-research-api-wrapper,
tiktok_research_api/api.py: reposted_videos, pinned_videos_list).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.records import (
    AccountRecord,
    Head,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Parsed,
    ParseOptions,
    ParseProblem,
)
from netra.social.sources.registry import FORMATS
from netra.social.sources.tiktok import MANIFEST, sniff
from netra.social.sources.tiktok.parse import parse_research_json, parse_research_jsonl
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
PAYLOADS = Path(__file__).parent / "payloads"
TIKTOK = PAYLOADS / "tiktok"

JSON = "tiktok-research-json"
JSONL = "tiktok-research-jsonl"
OWNER = "warga_fiktif_12"
SEEN = datetime(2024, 11, 12, 6, 0, tzinfo=UTC)
AS_OWNER = ParseOptions(collected_at=SEEN, owner_handle=OWNER)

TPS_VIDEO = "7436521000000000001"
DEBATE = "7435000000000000022"


INFO = "https://open.tiktokapis.com/v2/research/user/info/"
NO_USERNAME = (
    "profil TikTok dari /v2/research/user/info/ tidak memuat username-nya; sebutkan akun yang "
    'diminta: simpan halaman dengan permintaannya (JSONL {"request": {"url", "params": '
    '{"username": …}}, "response": …}), atau muat dengan --owner-handle NAMA, atau dengan '
    "--request-url https://open.tiktokapis.com/v2/research/user/info/?username=NAMA, atau "
    "namai berkasnya dengan @NAMA (mis. user_info_@NAMA.json)"
)


def payload(name: str) -> Any:
    return json.loads((TIKTOK / name).read_bytes())


def _actor_to_target(record: InteractionRecord) -> str:
    """``actor->target`` by handle: the Research API names users by username alone."""
    target = record.target_item_id or record.target_account_handle
    return f"{record.actor_handle}->{target}"


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _actor_to_target)


without_raw = records_view.without_raw


def parse_bytes(content: bytes, options: ParseOptions | None = None) -> list[Parsed]:
    return list(parse_research_json(io.BytesIO(content), options or ParseOptions()))


def reasons(records: list[Parsed]) -> list[str]:
    return [r.reason for r in records if isinstance(r, ParseProblem)]


# --- video query ------------------------------------------------------------------------------


def test_a_video_query_page_names_each_author_once_and_quarantines_the_bad_video(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("tiktok/video_query.json", JSON, ParseOptions(collected_at=SEEN))

    assert summary(records) == [
        ("account", OWNER),
        ("video", TPS_VIDEO),
        ("mention", f"{OWNER}->asn_contoh"),
        ("account", "relawan_fiktif_07"),
        ("video", "7436530000000000002"),
        ("problem", "$.data.videos[2]"),
        ("account", "santri_fiktif_3"),
        ("video", "7436550000000000004"),
        ("video", "7436560000000000005"),
    ]
    assert reasons(records) == ["kolom 'create_time' bukan bilangan"]
    problem = records[5]
    assert isinstance(problem, ParseProblem)
    assert json.loads(problem.raw) == payload("video_query.json")["data"]["videos"][2]


def test_a_video_keeps_its_description_counts_permalink_and_raw_json(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("tiktok/video_query.json", JSON, ParseOptions(collected_at=SEEN))

    author, video, mention = records[0], records[1], records[2]
    assert author == AccountRecord(
        platform="tiktok",
        platform_id="",
        handle=OWNER,
        url="https://www.tiktok.com/@warga_fiktif_12",
        seen_at=SEEN,
    )
    assert without_raw(video) == ItemRecord(
        platform="tiktok",
        platform_id=TPS_VIDEO,
        kind=ItemKind.VIDEO,
        author_id="",
        author_handle=OWNER,
        created_at=datetime(2024, 11, 12, 3, 0, tzinfo=UTC),
        text=(
            "Pantau TPS 07 Kel. Sumbersari, aman terkendali 🗳️✅ @asn_contoh #pilkada2024 #malang"
        ),
        root_id=TPS_VIDEO,
        permalink="https://www.tiktok.com/@warga_fiktif_12/video/7436521000000000001",
        metrics=(
            ("bookmarks", 19),
            ("comments", 37),
            ("likes", 845),
            ("shares", 12),
            ("views", 15230),
        ),
        collected_at=SEEN,
    )
    assert isinstance(video, ItemRecord)
    assert json.loads(video.raw) == payload("video_query.json")["data"]["videos"][0]
    # "asn_contoh" and "@asn_contoh" are one mention.
    assert mention == InteractionRecord(
        platform="tiktok",
        kind=InteractionKind.MENTION,
        actor_id="",
        actor_handle=OWNER,
        target_account_id="",
        target_account_handle="asn_contoh",
        via_item_id=TPS_VIDEO,
        occurred_at=datetime(2024, 11, 12, 3, 0, tzinfo=UTC),
        observed_at=SEEN,
    )


def test_counts_and_times_sent_as_strings_are_read_and_scripts_and_emoji_survive(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("tiktok/video_query.json", JSON)
    javanese, arabic = records[4], records[7]

    assert isinstance(javanese, ItemRecord)
    assert javanese.text == "ꦲꦪꦺꦴ ꦩꦶꦭꦶꦃ! Ayo milih tanggal 27 👨\u200d👩\u200d👧 #pilkada2024"
    assert javanese.created_at == datetime(2024, 11, 12, 4, 0, tzinfo=UTC)
    assert javanese.metrics == (("comments", 9), ("likes", 310), ("shares", 4), ("views", 2048))
    assert isinstance(arabic, ItemRecord)
    assert arabic.text == "بسم الله، ayo ke TPS bersama 🇮🇩"
    # The reference spells the counter "favourites_count" and "favorites_count".
    assert arabic.metric("bookmarks") == 5
    assert arabic.language == ""


def test_an_empty_page_with_more_to_come_yields_nothing(parse_payload: ParseFile) -> None:
    assert parse_payload("tiktok/video_query_empty.json", JSON) == []


@pytest.mark.parametrize(
    "content",
    [
        b'{"data": {"cursor": 100, "has_more": false, "search_id": "7436599000000000000"}, '
        b'"error": {"code": "ok", "message": "", "log_id": "1"}}',
        b'{"data": {}, "error": {"code": "ok", "message": "", "log_id": "1"}}',
        b'{"error": {"code": "ok", "message": "", "log_id": "1"}}',
    ],
)
def test_a_page_of_paging_state_only_yields_nothing(content: bytes) -> None:
    assert parse_bytes(content) == []


def test_a_video_without_its_author_has_no_account_and_no_permalink() -> None:
    content = (
        b'{"data": {"videos": [{"id": 7436521000000000001, "like_count": 3}], "has_more": false},'
        b' "error": {"code": "ok", "message": "", "log_id": "1"}}'
    )

    records = parse_bytes(content)

    assert [without_raw(r) for r in records] == [
        ItemRecord(
            platform="tiktok",
            platform_id=TPS_VIDEO,
            kind=ItemKind.VIDEO,
            author_id="",
            author_handle="",
            created_at=None,
            root_id=TPS_VIDEO,
            metrics=(("likes", 3),),
        )
    ]


@pytest.mark.parametrize(
    ("video", "reason"),
    [
        ('{"id": 7.4365e18}', "kolom 'id' bukan ID angka: '7.4365e+18'"),
        ('{"id": "٧٤٣٦"}', "kolom 'id' bukan ID angka: '٧٤٣٦'"),
        ('{"username": "a"}', "kolom 'id' tidak ada"),
        (
            '{"id": 1, "create_time": 99999999999999}',
            ("waktu 99999999999999 di kolom 'create_time' di luar jangkauan"),
        ),
        ('{"id": 1, "view_count": true}', "kolom 'view_count' bukan bilangan"),
        (
            '{"id": 1, "video_mention_list": [7]}',
            ("kolom 'video_mention_list' berisi yang bukan teks"),
        ),
        ('"7436521000000000001"', "entri ini bukan objek JSON"),
    ],
)
def test_a_video_of_an_odd_shape_is_one_problem_and_the_next_video_is_read(
    video: str, reason: str
) -> None:
    content = (
        '{"data": {"videos": [' + video + ', {"id": 7436560000000000005}]}, '
        '"error": {"code": "ok", "message": "", "log_id": "1"}}'
    ).encode()

    records = parse_bytes(content)

    assert summary(records) == [("problem", "$.data.videos[0]"), ("video", "7436560000000000005")]
    assert reasons(records) == [reason]


# --- comments ---------------------------------------------------------------------------------


def test_comments_answer_their_video_and_replies_their_comment(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/comments.json", JSON, ParseOptions(collected_at=SEEN))

    assert summary(records) == [
        ("comment", "7436601000000000011"),
        ("reply", "7436602000000000012"),
        ("problem", "$.data.comments[2]"),
        ("comment", "7436604000000000014"),
    ]
    assert reasons(records) == ["kolom 'like_count' bukan bilangan"]
    assert [without_raw(r) for r in records[:2]] == [
        ItemRecord(
            platform="tiktok",
            platform_id="7436601000000000011",
            kind=ItemKind.COMMENT,
            author_id="",
            author_handle="",
            created_at=datetime(2024, 11, 12, 4, 0, tzinfo=UTC),
            text="Mantap, TPS kami juga aman 👍",
            parent_id=TPS_VIDEO,
            root_id=TPS_VIDEO,
            metrics=(("likes", 14), ("replies", 2)),
            collected_at=SEEN,
        ),
        ItemRecord(
            platform="tiktok",
            platform_id="7436602000000000012",
            kind=ItemKind.REPLY,
            author_id="",
            author_handle="",
            created_at=datetime(2024, 11, 12, 4, 30, tzinfo=UTC),
            text="ꦩꦠꦸꦂ ꦤꦸꦮꦸꦤ꧀ (matur nuwun)",
            parent_id="7436601000000000011",
            root_id=TPS_VIDEO,
            metrics=(("likes", 3), ("replies", 0)),
            collected_at=SEEN,
        ),
    ]
    arabic = records[3]
    assert isinstance(arabic, ItemRecord)
    assert arabic.text == "شكرا جزيلا 🙏"


@pytest.mark.parametrize("parent", ["0", '"0"', "null", '"7436521000000000001"'])
def test_a_comment_whose_parent_is_its_video_or_none_is_a_top_level_comment(parent: str) -> None:
    content = (
        '{"data": {"comments": [{"id": 7436601000000000011, "video_id": 7436521000000000001, '
        '"parent_comment_id": ' + parent + ', "text": "ok"}], "has_more": false}, '
        '"error": {"code": "ok", "message": "", "log_id": "1"}}'
    ).encode()

    records = parse_bytes(content)

    assert summary(records) == [("comment", "7436601000000000011")]
    assert isinstance(records[0], ItemRecord)
    assert (records[0].parent_id, records[0].root_id) == (TPS_VIDEO, TPS_VIDEO)


# --- user info --------------------------------------------------------------------------------


def test_a_profile_is_the_account_the_request_asked_about(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/user_info.json", JSON, AS_OWNER)

    assert [without_raw(r) for r in records] == [
        AccountRecord(
            platform="tiktok",
            platform_id="",
            handle=OWNER,
            display_name="Warga Fiktif 12 🇮🇩",
            bio="Relawan pemantau pemilu Kab. Malang\nꦩꦭꦁ",
            url="https://www.tiktok.com/@warga_fiktif_12",
            followers=1520,
            following=88,
            posts=57,
            seen_at=SEEN,
        )
    ]
    assert isinstance(records[0], AccountRecord)
    assert json.loads(records[0].raw) == payload("user_info.json")["data"]


def test_a_profile_without_the_username_it_was_asked_for_is_one_problem(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("tiktok/user_info.json", JSON)

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason=NO_USERNAME,
            path="$.data",
        )
    ]
    assert isinstance(records[0], ParseProblem)
    assert records[0].raw == (TIKTOK / "user_info.json").read_bytes()


# user_info_@hendra.kusuma.json: a /v2/research/user/info/ answer saved by a script under
# the name Netra's docs ask for (docs/ingest-format.md: the user as @username in the name).


def test_a_profile_takes_its_username_from_the_file_name_the_docs_name(
    parse_payload: ParseFile,
) -> None:
    name = "user_info_@hendra.kusuma.json"

    records = parse_payload(f"tiktok/{name}", JSON, ParseOptions(file_name=name))

    assert [without_raw(r) for r in records] == [
        AccountRecord(
            platform="tiktok",
            platform_id="",
            handle="hendra.kusuma",
            display_name="Hendra Kusuma 🇮🇩",
            bio="Calon Bupati Malang 2024 · ꦲꦺꦤ꧀ꦢꦿ",
            url="https://www.tiktok.com/@hendra.kusuma",
            followers=15400,
            following=88,
            posts=312,
        )
    ]


@pytest.mark.parametrize(
    ("options", "username"),
    [
        (
            ParseOptions(request_url=f"{INFO}?fields=display_name&username=hendra.kusuma"),
            "hendra.kusuma",
        ),
        (ParseOptions(request_url=f"{INFO}?username=%40hendra.kusuma"), "hendra.kusuma"),
        (ParseOptions(file_name="profil @warga_fiktif_12 (12-11-2024).json"), OWNER),
        # The caller's own word wins over the URL, the URL over the file's name.
        (
            ParseOptions(
                owner_handle="asn_contoh",
                request_url=f"{INFO}?username=hendra.kusuma",
                file_name="@warga_fiktif_12.json",
            ),
            "asn_contoh",
        ),
        (
            ParseOptions(request_url=f"{INFO}?username=hendra.kusuma", file_name="@x_y.json"),
            "hendra.kusuma",
        ),
    ],
)
def test_a_profile_takes_its_username_from_the_request_url_or_the_file_name(
    options: ParseOptions, username: str
) -> None:
    body = (TIKTOK / "user_info.json").read_bytes()

    [account] = parse_bytes(body, options)

    assert isinstance(account, AccountRecord)
    assert (account.platform_id, account.handle) == ("", username)


@pytest.mark.parametrize(
    "name", ["user_info.json", "hendra@kusuma.json", "user_info_@.json", "@-x.json"]
)
def test_a_file_name_without_an_at_username_names_nobody(name: str) -> None:
    body = (TIKTOK / "user_info.json").read_bytes()

    [problem] = parse_bytes(body, ParseOptions(file_name=name))

    assert isinstance(problem, ParseProblem)
    assert problem.reason == NO_USERNAME


# --- liked, reposted and pinned videos --------------------------------------------------------


def test_liked_videos_are_videos_plus_a_like_from_the_owner(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/liked_videos.json", JSON, AS_OWNER)

    assert summary(records) == [
        ("account", "kpu_kab_fiktif"),
        ("video", "7436000000000000021"),
        ("like", f"{OWNER}->7436000000000000021"),
        ("problem", "$.data.user_liked_videos[1]"),
        ("account", "paslon_fiktif_01"),
        ("video", DEBATE),
        ("like", f"{OWNER}->{DEBATE}"),
    ]
    assert reasons(records) == ["kolom 'id' bukan ID angka: 'bukan-angka'"]
    assert records[2] == InteractionRecord(
        platform="tiktok",
        kind=InteractionKind.LIKE,
        actor_id="",
        actor_handle=OWNER,
        target_item_id="7436000000000000021",
        observed_at=SEEN,
    )


def test_liked_videos_without_an_owner_are_videos_only(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/liked_videos.json", JSON)

    assert summary(records) == [
        ("account", "kpu_kab_fiktif"),
        ("video", "7436000000000000021"),
        ("problem", "$.data.user_liked_videos[1]"),
        ("account", "paslon_fiktif_01"),
        ("video", DEBATE),
    ]


def test_reposted_videos_are_shares_by_the_owner_under_either_list_name(
    parse_payload: ParseFile,
) -> None:
    documented = parse_payload("tiktok/reposted_videos.json", JSON, AS_OWNER)
    page = payload("reposted_videos.json")
    page["data"]["reposted_videos"] = page["data"].pop("user_reposted_videos")
    clients = parse_bytes(json.dumps(page).encode(), AS_OWNER)

    expected = [
        ("account", "paslon_fiktif_01"),
        ("video", DEBATE),
        ("share", f"{OWNER}->{DEBATE}"),
    ]
    assert summary(documented) == expected
    assert summary(clients) == expected
    assert documented[2] == InteractionRecord(
        platform="tiktok",
        kind=InteractionKind.SHARE,
        actor_id="",
        actor_handle=OWNER,
        target_item_id=DEBATE,
        observed_at=SEEN,
    )


def test_pinned_videos_are_videos_under_either_list_name(parse_payload: ParseFile) -> None:
    documented = parse_payload("tiktok/pinned_videos.json", JSON, AS_OWNER)
    page = payload("pinned_videos.json")
    page["data"]["user_pinned_videos"] = page["data"].pop("pinned_videos_list")
    older = parse_bytes(json.dumps(page).encode(), AS_OWNER)

    expected = [("account", "paslon_fiktif_01"), ("video", "7430000000000000031")]
    assert summary(documented) == expected
    assert summary(older) == expected


# --- followers and following ------------------------------------------------------------------


def test_followers_are_accounts_that_follow_the_owner(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/followers.json", JSON, AS_OWNER)

    assert summary(records) == [
        ("account", "asn_contoh"),
        ("follow", f"asn_contoh->{OWNER}"),
        ("account", "siti_fiktif_21"),
        ("follow", f"siti_fiktif_21->{OWNER}"),
        ("problem", "$.data.user_followers[2]"),
        ("account", "budi_fiktif_5"),
        ("follow", f"budi_fiktif_5->{OWNER}"),
    ]
    assert reasons(records) == ["kolom 'username' tidak ada"]
    assert [without_raw(r) for r in records[2:4]] == [
        AccountRecord(
            platform="tiktok",
            platform_id="",
            handle="siti_fiktif_21",
            display_name="سيتي نور",
            url="https://www.tiktok.com/@siti_fiktif_21",
            seen_at=SEEN,
        ),
        InteractionRecord(
            platform="tiktok",
            kind=InteractionKind.FOLLOW,
            actor_id="",
            actor_handle="siti_fiktif_21",
            target_account_id="",
            target_account_handle=OWNER,
            observed_at=SEEN,
        ),
    ]


def test_following_are_accounts_the_owner_follows(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/following.json", JSON, AS_OWNER)

    assert summary(records) == [
        ("account", "kpu_kab_fiktif"),
        ("follow", f"{OWNER}->kpu_kab_fiktif"),
        ("account", "paslon_fiktif_01"),
        ("follow", f"{OWNER}->paslon_fiktif_01"),
    ]


def test_followers_without_an_owner_are_accounts_only(parse_payload: ParseFile) -> None:
    records = parse_payload("tiktok/following.json", JSON)

    assert summary(records) == [("account", "kpu_kab_fiktif"), ("account", "paslon_fiktif_01")]


# --- errors and request URLs ------------------------------------------------------------------


def test_an_error_code_other_than_ok_is_one_problem_for_the_page(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("tiktok/error_rate_limit.json", JSON)

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason=(
                "galat dari TikTok: rate_limit_exceeded: API rate limit exceeded, please try "
                "again later. (log_id 20241112060900A1B2C3D4E5F6A7B8C9D9)"
            ),
            path="$.error",
        )
    ]


def test_an_error_beside_data_discards_the_data() -> None:
    content = (
        b'{"data": {"videos": [{"id": 1}]}, '
        b'"error": {"code": "internal_error", "message": "coba lagi", "log_id": "9"}}'
    )

    assert reasons(parse_bytes(content)) == [
        "galat dari TikTok: internal_error: coba lagi (log_id 9)"
    ]


def test_the_request_url_must_agree_with_the_list_the_page_holds(
    parse_payload: ParseFile,
) -> None:
    url = "https://open.tiktokapis.com/v2/research/user/followers/"

    records = parse_payload(
        "tiktok/liked_videos.json", JSON, ParseOptions(request_url=url, owner_handle=OWNER)
    )

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason=(
                "halaman ini berisi 'user_liked_videos', bukan hasil /v2/research/user/followers/"
            ),
            path="$.data",
        )
    ]


def test_a_request_url_names_the_endpoint_of_an_empty_page_and_of_a_bare_profile() -> None:
    empty = b'{"data": {"has_more": false}, "error": {"code": "ok", "message": "", "log_id": "1"}}'
    profile = (
        b'{"data": {"display_name": "ASN Contoh"}, '
        b'"error": {"code": "ok", "message": "", "log_id": "1"}}'
    )
    followers = "https://open.tiktokapis.com/v2/research/user/followers/"
    info = "https://open.tiktokapis.com/v2/research/user/info/?fields=display_name"

    assert parse_bytes(empty, ParseOptions(request_url=followers, owner_handle=OWNER)) == []
    assert [
        without_raw(r)
        for r in parse_bytes(profile, ParseOptions(request_url=info, owner_handle="@asn_contoh"))
    ] == [
        AccountRecord(
            platform="tiktok",
            platform_id="",
            handle="asn_contoh",
            display_name="ASN Contoh",
            url="https://www.tiktok.com/@asn_contoh",
        )
    ]


def test_an_endpoint_not_read_is_named_in_the_problem() -> None:
    content = b'{"data": {"ads": []}, "error": {"code": "ok", "message": "", "log_id": "1"}}'
    url = "https://open.tiktokapis.com/v2/research/adlib/ad/query/"

    records = parse_bytes(content, ParseOptions(request_url=url))

    assert summary(records) == [("problem", "$.data")]
    assert reasons(records) == ["endpoint /v2/research/adlib/ad/query/ belum didukung"]


def test_data_of_unknown_keys_is_one_problem_naming_them() -> None:
    content = b'{"data": {"ads": [], "total": 0}, "error": {"code": "ok", "log_id": "1"}}'

    assert reasons(parse_bytes(content)) == ["isi 'data' tidak dikenali; kuncinya: ads, total"]


def test_a_list_that_is_not_a_list_is_one_problem_at_its_path() -> None:
    content = b'{"data": {"videos": {"id": 1}, "has_more": false}, "error": {"code": "ok"}}'

    records = parse_bytes(content)

    assert summary(records) == [("problem", "$.data.videos")]
    assert reasons(records) == ["kolom 'videos' bukan daftar"]


# --- JSON documents as a whole ----------------------------------------------------------------


def test_a_bom_before_a_one_line_page_is_skipped() -> None:
    content = (
        b'\xef\xbb\xbf{"data":{"videos":[{"id":"7436521000000000001","video_description":'
        b'"Halo \xf0\x9f\x91\x8b"}],"has_more":false},"error":{"code":"ok","log_id":"1"}}'
    )

    records = parse_bytes(content)

    assert summary(records) == [("video", TPS_VIDEO)]
    assert isinstance(records[0], ItemRecord)
    assert records[0].text == "Halo 👋"


def test_a_truncated_page_is_one_problem_with_its_byte_offset() -> None:
    content = b'{"data": {"videos": [{"id": 1, "video_description": "terpo'

    records = parse_bytes(content)

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason="JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-53)", offset=52
        )
    ]
    assert content[52:53] == b'"'


def test_a_wrapped_page_may_be_a_json_file_too(parse_payload: ParseFile) -> None:
    page = {
        "request": {
            "url": "https://open.tiktokapis.com/v2/research/user/following/",
            "params": {"username": "asn_contoh"},
        },
        "response": payload("following.json"),
        "retrieved_at": "2024-11-12T13:00:00+07:00",
    }

    records = parse_bytes(json.dumps(page).encode(), AS_OWNER)

    assert summary(records) == [
        ("account", "kpu_kab_fiktif"),
        ("follow", "asn_contoh->kpu_kab_fiktif"),
        ("account", "paslon_fiktif_01"),
        ("follow", "asn_contoh->paslon_fiktif_01"),
    ]
    assert isinstance(records[1], InteractionRecord)
    assert records[1].observed_at == datetime(2024, 11, 12, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("youtube", (PAYLOADS / "youtube" / "videos_list.json").read_bytes()),
        ("x", (PAYLOADS / "x" / "v2_search_recent.json").read_bytes()),
        ("x users", (PAYLOADS / "x" / "v2_users_by.json").read_bytes()),
        ("array", b"[]"),
        ("youtube error", (PAYLOADS / "youtube" / "error_comments_disabled.json").read_bytes()),
    ],
)
def test_a_document_of_another_api_is_one_problem(name: str, content: bytes) -> None:
    [problem] = parse_bytes(content)

    assert isinstance(problem, ParseProblem)
    assert problem.reason.startswith("berkas ini bukan respons TikTok Research API; isinya: ")
    assert (problem.path, problem.raw) == ("$", content.removeprefix(b"\xef\xbb\xbf"))


def test_a_jsonl_file_of_another_api_is_quarantined_line_by_line() -> None:
    with (PAYLOADS / "x" / "twarc2_pages.jsonl").open("rb") as stream:
        records = list(parse_research_jsonl(stream, ParseOptions()))

    problems = [record for record in records if isinstance(record, ParseProblem)]
    assert problems == records
    assert [problem.line for problem in problems] == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert problems[0].reason.startswith("baris ini bukan TikTok Research API; kuncinya: data")


# --- JSON Lines -------------------------------------------------------------------------------


def test_jsonl_pages_wrapped_or_bare_each_say_whose_they_are(parse_payload: ParseFile) -> None:
    content = (TIKTOK / "pages.jsonl").read_bytes()
    starts = [0]
    for line in content.split(b"\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    records = parse_payload("tiktok/pages.jsonl", JSONL, AS_OWNER)

    assert summary(records) == [
        ("account", "asn_contoh"),
        ("follow", f"asn_contoh->{OWNER}"),
        ("account", "asn_contoh"),
        ("video", "7436570000000000006"),
        ("problem", f"baris 3, byte ke-{starts[2] + 33}"),
        ("account", OWNER),
        ("video", TPS_VIDEO),
        ("like", f"asn_contoh->{TPS_VIDEO}"),
        ("problem", f"baris 5, byte ke-{starts[4]}, $.response.error"),
        ("problem", f"baris 6, byte ke-{starts[5]}"),
        ("account", "asn_contoh"),
        ("comment", "7436605000000000015"),
        ("reply", "7436606000000000016"),
        ("problem", f"baris 10, byte ke-{starts[9]}, $.response.data"),
    ]
    assert reasons(records) == [
        "JSON tidak sah: tanda koma diharapkan (karakter ke-34)",
        "galat dari TikTok: invalid_params: Invalid parameters: username "
        "(log_id 20241112060000AAAA000000000000004)",
        "baris ini bukan respons TikTok Research API",
        "endpoint /v2/research/adlib/ad/query/ belum didukung",
    ]
    error = records[8]
    assert isinstance(error, ParseProblem)
    assert error.raw == content.split(b"\n")[4]


def test_jsonl_retrieval_times_wrapped_owners_and_video_ids_come_from_each_line(
    parse_payload: ParseFile,
) -> None:
    first_line = (TIKTOK / "pages.jsonl").read_bytes().split(b"\n")[0]

    records = parse_payload("tiktok/pages.jsonl", JSONL, AS_OWNER)

    follower, bare_video, profile, comment = records[0], records[3], records[10], records[11]
    assert isinstance(follower, AccountRecord)
    assert follower.seen_at == datetime(2024, 11, 12, 6, 0, tzinfo=UTC)
    # A bare line knows only what the options say.
    assert isinstance(bare_video, ItemRecord)
    assert bare_video.collected_at == SEEN
    assert bare_video.text == "Netral itu wajib 🗳️"
    assert (bare_video.line, bare_video.offset) == (2, len(first_line) + 1)
    assert without_raw(profile) == AccountRecord(
        platform="tiktok",
        platform_id="",
        handle="asn_contoh",
        display_name="ASN Contoh",
        bio="",
        url="https://www.tiktok.com/@asn_contoh",
        followers=310,
        following=12,
        posts=4,
        seen_at=datetime(2024, 11, 12, 13, 5, tzinfo=timezone(timedelta(hours=7))),
    )
    # Comments fetched without their video_id field take it from the request.
    assert isinstance(comment, ItemRecord)
    assert (comment.parent_id, comment.root_id) == ("7436570000000000006", "7436570000000000006")
    assert comment.line == 8


def test_a_wrapper_with_a_bad_retrieval_time_is_one_problem_at_its_top() -> None:
    line = (
        b'{"request": {"url": "https://open.tiktokapis.com/v2/research/video/query/"}, '
        b'"response": {"data": {"videos": [{"id": 1}]}, "error": {"code": "ok"}}, '
        b'"retrieved_at": "kemarin"}\n'
    )

    records = list(parse_research_jsonl(io.BytesIO(line), ParseOptions()))

    assert summary(records) == [("problem", "baris 1, byte ke-0, $")]
    assert reasons(records) == ["waktu 'kemarin' di kolom 'retrieved_at' tidak terbaca"]


# --- detection and registration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("video_query.json", JSON),
        ("video_query_empty.json", JSON),
        ("comments.json", JSON),
        ("user_info.json", JSON),
        ("liked_videos.json", JSON),
        ("followers.json", JSON),
        ("following.json", JSON),
        ("reposted_videos.json", JSON),
        ("pinned_videos.json", JSON),
        ("error_rate_limit.json", JSON),
        ("pages.jsonl", JSONL),
    ],
)
def test_each_tiktok_payload_is_detected_as_its_format(name: str, format_name: str) -> None:
    assert detect((TIKTOK / name).read_bytes()[:HEAD_BYTES], name) == format_name


@pytest.mark.parametrize(
    ("head", "filename", "format_name"),
    [
        # Pretty-printed and cut by the head: keys only TikTok uses tell it.
        (
            b'{\n  "data": {\n    "videos": [\n      {\n        "video_description": "a',
            "q.json",
            JSON,
        ),
        (b'{\n  "data": {\n    "user_followers": [\n', "f.json", JSON),
        (b'{\n  "error": {\n    "code": "ok",\n    "log_id": "1"\n', "e.json", JSON),
        # One page per line, the first longer than the head.
        (b'{"data": {"videos": [{"hashtag_names": ["a"], "id": 1' + b" " * 70_000, "p", JSONL),
        (b'{"data": {"videos": [{"hashtag_names": ["a"], "id": 1' + b" " * 70_000, "p.json", JSON),
        (
            b'{"request": {"url": "https://open.tiktokapis.com/v2/research/user/info/"}, '
            b'"response": {"data": {"display_name": "a"' + b" " * 70_000,
            "halaman.jsonl",
            JSONL,
        ),
        # Whole lines.
        (b'{"error": {"code": "invalid_params", "message": "", "log_id": "1"}}', "e.json", JSON),
        (b'{"error": {"code": "ok", "message": "", "log_id": "1"}}\n', "e.jsonl", JSONL),
        (
            b'{"data": {"user_following": []}}\n{"data": {"user_following": []}}\n',
            "ikuti.txt",
            JSONL,
        ),
    ],
)
def test_tiktok_heads_cut_short_are_still_detected(
    head: bytes, filename: str, format_name: str
) -> None:
    assert detect(head, filename) == format_name


@pytest.mark.parametrize(
    "relative",
    sorted(
        str(path.relative_to(PAYLOADS))
        for folder in ("x", "youtube")
        for path in (PAYLOADS / folder).iterdir()
    ),
)
def test_no_x_or_youtube_payload_is_taken_for_tiktok(relative: str) -> None:
    head = (PAYLOADS / relative).read_bytes()[:HEAD_BYTES]

    assert not detect(head, Path(relative).name).startswith("tiktok-")


@pytest.mark.parametrize(
    ("data", "first_object"),
    [
        # X API v2 pages have a top-level "data" too.
        (b'{"data": {"id": "1", "text": "x"}}', {"data": {"id": "1", "text": "x"}}),
        (b'{"data": [{"id": "1"}], "meta": {"result_count": 1}}', {"data": [{"id": "1"}]}),
        # Instagram's private API names a user's counters like TikTok's profile does.
        (
            b"{}",
            {"data": {"username": "a", "is_verified": False, "follower_count": 3}},
        ),
        # YouTube and Graph API errors carry a numeric code and no log_id.
        (b"{}", {"error": {"code": 403, "errors": [{"domain": "youtube.quota"}]}}),
        (b"{}", {"error": {"code": 190, "type": "OAuthException", "fbtrace_id": "A"}}),
        # A generic list of comments with nothing of TikTok's paging.
        (b"{}", {"data": {"comments": []}}),
        # A tweet quoting a TikTok payload: its quotes are escaped, so no key matches.
        (b'{"data": [{"text": "{\\"log_id\\": 1, \\"video_description\\": 2}"', None),
        (b"[1, 2]", None),
    ],
)
def test_sniff_claims_nothing_that_is_not_unmistakably_tiktok(
    data: bytes, first_object: dict[str, Any] | None
) -> None:
    head = Head(data=data, suffix=".json", first_object=first_object, csv_header=None)

    assert sniff(head) is None


def test_both_formats_are_registered_with_their_labels() -> None:
    assert MANIFEST.platform == "tiktok"
    assert [(spec.name, str(spec.label)) for spec in MANIFEST.formats] == [
        (JSON, "satu respons JSON TikTok Research API"),
        (JSONL, "JSONL, satu respons TikTok Research API per baris, boleh dengan permintaannya"),
    ]
    assert FORMATS[JSON].parse is parse_research_json
    assert FORMATS[JSONL].parse is parse_research_jsonl
