"""X parsers: API v2 pages and twarc2 JSONL, API v1.1 statuses and twarc, the archive."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
)
from netra.social.sources.x.archive import parse_archive_js
from netra.social.sources.x.common import snowflake_time
from netra.social.sources.x.v1 import parse_v1_json, parse_v1_jsonl
from netra.social.sources.x.v2 import parse_v2_json, parse_v2_jsonl
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
X = Path(__file__).parent / "payloads" / "x"

HENDRA = "1200000000000000001"
TIM = "1200000000000000010"
AGUS = "1300000000000000002"
SULASTRI = "1300000000000000003"
ARIFIN = "1400000000000000004"
CAMPAIGN_POST = "1854690297246646272"  # Hendra's "Mari bersama membangun…" post
DELETED_POST = "1854494003819446272"


def payload(name: str) -> Any:
    return json.loads((X / name).read_bytes())


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 11, day, hour, minute, tzinfo=UTC)


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, records_view.actor_to_target)


without_raw = records_view.without_raw


# --- API v2: one response page -----------------------------------------------------------


def test_a_v2_search_page_yields_accounts_then_referenced_tweets_then_data_then_tombstones(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")

    assert summary(records) == [
        ("account", AGUS),
        ("account", SULASTRI),
        ("account", ARIFIN),
        ("account", HENDRA),
        ("account", TIM),
        ("post", CAMPAIGN_POST),
        ("reply", "1855075334353846272"),
        ("mention", f"{AGUS}->{HENDRA}"),
        ("quote", "1855086658974646272"),
        ("share", "1855099241886646272"),
        ("post", "1855113083089846272"),
        ("mention", f"{AGUS}->{TIM}"),
        ("post", "1855139507205046272"),
        ("reply", "1855510703109046272"),
        ("post", DELETED_POST),
    ]


def test_a_v2_user_becomes_an_account_snapshot_with_every_field(parse_payload: ParseFile) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")
    agus = records[0]

    assert without_raw(agus) == AccountRecord(
        platform="x",
        platform_id=AGUS,
        handle="agus_setiyono_dmy",
        display_name="Agus Setiyono",
        bio="Abdi negara di Donomulyo. ꦲꦒꦸꦱ꧀ 🌾",
        url="https://x.com/agus_setiyono_dmy",
        followers=312,
        following=287,
        posts=4410,
        seen_at=None,
    )
    assert isinstance(agus, AccountRecord)
    assert json.loads(agus.raw) == payload("v2_search_recent.json")["includes"]["users"][0]


def test_a_withheld_v2_user_is_marked_with_the_countries(parse_payload: ParseFile) -> None:
    arifin = parse_payload("x/v2_search_recent.json", "x-v2-json")[2]

    assert isinstance(arifin, AccountRecord)
    assert (arifin.handle, arifin.bio, arifin.withheld, arifin.reason) == (
        "pak_rt_arifin",
        "",
        True,
        "ditahan di negara: ID",
    )


def test_a_v2_post_keeps_every_field_its_photo_and_its_raw_json(parse_payload: ParseFile) -> None:
    post = parse_payload("x/v2_search_recent.json", "x-v2-json")[5]

    assert without_raw(post) == ItemRecord(
        platform="x",
        platform_id=CAMPAIGN_POST,
        kind=ItemKind.POST,
        author_id=HENDRA,
        author_handle="hendra_kusuma",
        created_at=at(8, 1),
        text="Mari bersama membangun Kabupaten Malang yang makmur! 🗳️🇮🇩 #MalangMakmur "
        "https://t.co/PhOtO0001a",
        parent_id="",
        root_id=CAMPAIGN_POST,
        language="id",
        media=(Media("photo", "https://pbs.twimg.com/media/GcFiktifA1.jpg"),),
        permalink=f"https://x.com/hendra_kusuma/status/{CAMPAIGN_POST}",
        metrics=(
            ("bookmarks", 2),
            ("likes", 120),
            ("quotes", 3),
            ("replies", 12),
            ("shares", 45),
            ("views", 5400),
        ),
        collected_at=None,
    )
    assert isinstance(post, ItemRecord)
    assert json.loads(post.raw) == payload("v2_search_recent.json")["includes"]["tweets"][0]
    assert post.metric("likes") == 120
    assert post.metric("comments") is None


def test_a_v2_reply_points_at_its_parent_and_conversation_and_mentions_the_candidate(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")
    reply, mention = records[6], records[7]

    assert without_raw(reply) == ItemRecord(
        platform="x",
        platform_id="1855075334353846272",
        kind=ItemKind.REPLY,
        author_id=AGUS,
        author_handle="agus_setiyono_dmy",
        created_at=at(9, 2, 30),
        text="@hendra_kusuma Siap mendukung, Pak! Donomulyo solid 💪🏽",
        parent_id=CAMPAIGN_POST,
        root_id=CAMPAIGN_POST,
        language="id",
        permalink="https://x.com/agus_setiyono_dmy/status/1855075334353846272",
        metrics=(
            ("bookmarks", 0),
            ("likes", 5),
            ("quotes", 0),
            ("replies", 1),
            ("shares", 0),
            ("views", 210),
        ),
    )
    assert mention == InteractionRecord(
        platform="x",
        kind=InteractionKind.MENTION,
        actor_id=AGUS,
        actor_handle="agus_setiyono_dmy",
        target_account_id=HENDRA,
        target_account_handle="hendra_kusuma",
        via_item_id="1855075334353846272",
        occurred_at=at(9, 2, 30),
        observed_at=None,
    )


def test_a_v2_quote_takes_the_best_mp4_of_its_video_and_keeps_zwj_emoji(
    parse_payload: ParseFile,
) -> None:
    quote = parse_payload("x/v2_search_recent.json", "x-v2-json")[8]

    assert isinstance(quote, ItemRecord)
    assert (quote.kind, quote.parent_id, quote.root_id) == (
        ItemKind.QUOTE,
        CAMPAIGN_POST,
        "1855086658974646272",
    )
    assert quote.media == (
        Media(
            "video",
            "https://video.twimg.com/ext_tw_video/1855086658974646272/pu/vid/1280x720/Fiktif.mp4",
        ),
    )
    assert quote.text == (
        "Program sekolah gratis ini yang kami tunggu. Maju terus Pak Hendra! "
        "\U0001f469\u200d\U0001f3eb\u2728 https://t.co/qU0tEAbCdE"
    )


def test_a_v2_retweet_is_a_share_of_the_original_without_a_mention(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")
    share = records[9]

    assert isinstance(share, ItemRecord)
    assert (share.kind, share.parent_id, share.author_id) == (ItemKind.SHARE, CAMPAIGN_POST, AGUS)
    assert summary(records[10:11]) == [("post", "1855113083089846272")]


def test_javanese_script_and_arabic_survive_and_an_undetermined_language_is_empty(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")
    post, mention = records[10], records[11]

    assert isinstance(post, ItemRecord)
    assert post.text == "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ ꦥꦏ꧀ ꦲꦼꦤ꧀ꦢꦿ — الحمد لله، Pilkada damai bareng @TimHendra2024"
    assert post.language == ""
    # The mention entity names only the handle; includes.users gives its id.
    assert isinstance(mention, InteractionRecord)
    assert (mention.target_account_id, mention.target_account_handle) == (TIM, "TimHendra2024")


def test_a_withheld_long_post_keeps_its_whole_note_text_and_says_where_it_is_withheld(
    parse_payload: ParseFile,
) -> None:
    post = parse_payload("x/v2_search_recent.json", "x-v2-json")[12]

    assert isinstance(post, ItemRecord)
    assert post.text == payload("v2_search_recent.json")["data"][4]["note_tweet"]["text"]
    assert post.text.endswith("Yang berhalangan silakan titip salam lewat ketua RT masing-masing.")
    assert (post.withheld, post.deleted, post.reason) == (True, False, "ditahan di negara: ID")


def test_a_referenced_tweet_the_platform_could_not_find_becomes_a_dated_tombstone(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_search_recent.json", "x-v2-json")
    reply, tombstone = records[13], records[14]

    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id) == (DELETED_POST, DELETED_POST)
    assert without_raw(tombstone) == ItemRecord(
        platform="x",
        platform_id=DELETED_POST,
        kind=ItemKind.POST,
        author_id="",
        author_handle="",
        # Read from the snowflake id: the platform no longer says.
        created_at=at(7, 12),
        permalink=f"https://x.com/i/web/status/{DELETED_POST}",
        deleted=True,
        reason="menurut platform: Could not find tweet with referenced_tweets.id: "
        "[1854494003819446272].",
    )
    assert isinstance(tombstone, ItemRecord)
    assert json.loads(tombstone.raw) == payload("v2_search_recent.json")["errors"][0]


def test_collected_at_stands_in_for_the_retrieval_time_a_single_page_lacks(
    parse_payload: ParseFile,
) -> None:
    when = datetime(2024, 11, 12, 4, 0, tzinfo=UTC)
    records = parse_payload("x/v2_search_recent.json", "x-v2-json", ParseOptions(collected_at=when))

    account, item, mention = records[0], records[6], records[7]
    assert isinstance(account, AccountRecord)
    assert isinstance(item, ItemRecord)
    assert isinstance(mention, InteractionRecord)
    assert (account.seen_at, item.collected_at, mention.observed_at) == (when, when, when)


def test_a_lookup_page_with_default_fields_dates_a_tweet_by_its_id_and_keeps_each_error(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_tweets_lookup.json", "x-v2-json")

    assert [without_raw(r) for r in records] == [
        ItemRecord(
            platform="x",
            platform_id=CAMPAIGN_POST,
            kind=ItemKind.POST,
            author_id="",
            author_handle="",
            created_at=at(8, 1),
            text="Mari bersama membangun Kabupaten Malang yang makmur! 🗳️🇮🇩 #MalangMakmur "
            "https://t.co/PhOtO0001a",
            permalink=f"https://x.com/i/web/status/{CAMPAIGN_POST}",
        ),
        ParseProblem(reason="kolom 'id' tidak ada", path="$.data[1]"),
        ItemRecord(
            platform="x",
            platform_id=DELETED_POST,
            kind=ItemKind.POST,
            author_id="",
            author_handle="",
            created_at=at(7, 12),
            permalink=f"https://x.com/i/web/status/{DELETED_POST}",
            deleted=True,
            reason="menurut platform: Could not find tweet with ids: [1854494003819446272].",
        ),
        ItemRecord(
            platform="x",
            platform_id="1855538385515446272",
            kind=ItemKind.POST,
            author_id="",
            author_handle="",
            created_at=at(10, 9, 10),
            permalink="https://x.com/i/web/status/1855538385515446272",
            withheld=True,
            reason="menurut platform: Sorry, you are not authorized to see the Tweet with ids: "
            "[1855538385515446272].",
        ),
        ParseProblem(
            reason="galat dari platform: Service Unavailable: Some media could not be hydrated.",
            path="$.errors[2]",
        ),
    ]
    problem = records[1]
    assert isinstance(problem, ParseProblem)
    assert json.loads(problem.raw) == {"text": "Entri tanpa id: data rusak dari alat pengumpul"}


def test_a_users_lookup_keeps_the_user_and_a_tombstone_for_a_missing_username(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v2_users_by.json", "x-v2-json")

    assert [without_raw(r) for r in records] == [
        AccountRecord(
            platform="x",
            platform_id=SULASTRI,
            handle="sulastri_wl",
            display_name="Sulastri Wulandari 🌾",
            bio="Guru SD · Kab. Malang · ꦱꦸꦭꦱ꧀ꦠꦿꦶ",
            url="https://x.com/sulastri_wl",
            followers=1046,
            following=601,
            posts=2101,
        ),
        AccountRecord(
            platform="x",
            platform_id="",
            handle="akun_tidak_ada_99",
            url="https://x.com/akun_tidak_ada_99",
            deleted=True,
            reason="menurut platform: Could not find user with usernames: [akun_tidak_ada_99].",
        ),
    ]


def test_an_empty_page_yields_nothing(parse_payload: ParseFile) -> None:
    assert parse_payload("x/v2_empty.json", "x-v2-json") == []


def test_likes_of_a_single_page_need_the_request_url_that_names_the_tweet(
    parse_payload: ParseFile,
) -> None:
    url = f"https://api.x.com/2/tweets/{CAMPAIGN_POST}/liking_users?max_results=100"
    when = datetime(2024, 11, 12, 0, 0, tzinfo=UTC)

    bare = parse_payload("x/v2_liking_users.json", "x-v2-json")
    known = parse_payload(
        "x/v2_liking_users.json", "x-v2-json", ParseOptions(request_url=url, collected_at=when)
    )

    assert summary(bare) == [("account", AGUS), ("account", SULASTRI)]
    assert summary(known) == [
        ("account", AGUS),
        ("like", f"{AGUS}->{CAMPAIGN_POST}"),
        ("account", SULASTRI),
        ("like", f"{SULASTRI}->{CAMPAIGN_POST}"),
    ]
    assert known[1] == InteractionRecord(
        platform="x",
        kind=InteractionKind.LIKE,
        actor_id=AGUS,
        actor_handle="agus_setiyono_dmy",
        target_item_id=CAMPAIGN_POST,
        occurred_at=None,
        observed_at=when,
    )


def test_a_bom_before_a_v2_page_is_skipped() -> None:
    stream = io.BytesIO(
        b'\xef\xbb\xbf{"data":{"id":"1854690297246646272","text":"Halo \xf0\x9f\x91\x8b"}}'
    )

    records = list(parse_v2_json(stream, ParseOptions()))

    assert summary(records) == [("post", CAMPAIGN_POST)]
    assert isinstance(records[0], ItemRecord)
    assert records[0].text == "Halo 👋"


def test_a_truncated_v2_page_is_one_problem_with_its_byte_offset() -> None:
    content = b'\xef\xbb\xbf{"data":[{"id":"1854690297246646272","text":"terpo'

    records = list(parse_v2_json(io.BytesIO(content), ParseOptions()))

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason="JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-45)", offset=47
        )
    ]
    assert content[47:48] == b'"'


def test_a_json_document_of_another_api_is_one_problem_not_an_x_v2_page() -> None:
    body = b'{"kind": "youtube#videoListResponse", "items": []}'

    assert list(parse_v2_json(io.BytesIO(body), ParseOptions())) == [
        ParseProblem(
            reason="berkas ini bukan respons X API v2; isinya: objek dengan kunci kind, items",
            path="$",
            raw=body,
        )
    ]


# --- twarc2 JSONL ---------------------------------------------------------------------------


def test_twarc2_lines_parse_around_bad_lines_which_name_their_line_and_byte(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/twarc2_pages.jsonl", "x-v2-jsonl")

    assert summary(records) == [
        ("account", AGUS),
        ("post", "1855520769438646272"),
        ("account", AGUS),
        ("like", f"{AGUS}->{CAMPAIGN_POST}"),
        ("account", SULASTRI),
        ("like", f"{SULASTRI}->{CAMPAIGN_POST}"),
        ("problem", "baris 3, byte ke-1761"),
        ("problem", "baris 4, byte ke-1838"),
        ("account", AGUS),
        ("share", f"{AGUS}->{CAMPAIGN_POST}"),
        ("account", HENDRA),
        ("follow", f"{AGUS}->{HENDRA}"),
        ("account", TIM),
        ("follow", f"{AGUS}->{TIM}"),
        ("account", HENDRA),
        ("post", CAMPAIGN_POST),
        ("like", f"{SULASTRI}->{CAMPAIGN_POST}"),
        ("account", SULASTRI),
        ("quote", "1855913356293046272"),
        ("problem", "baris 11, byte ke-4677"),
        ("problem", "baris 12, byte ke-4684"),
        ("account", SULASTRI),
        ("follow", f"{SULASTRI}->{HENDRA}"),
        ("account", TIM),
        ("account", "1400000000000000009"),
    ]
    content = (X / "twarc2_pages.jsonl").read_bytes()
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [p.reason for p in problems] == [
        "JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-45)",
        "bukan teks UTF-8 yang sah (byte ff)",
        "baris ini bukan objek JSON ({...})",
        "baris ini bukan respons X API v2",
    ]
    assert content[1761:1762] == b'"'
    assert content[1838:1839] == b"\xff"
    # The quarantined bytes are the whole line, without its line break.
    assert problems[1].raw == content[1782:1852]


def test_twarc2_metadata_dates_each_page_and_names_the_endpoint_of_each_interaction(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/twarc2_pages.jsonl", "x-v2-jsonl")
    retrieved = datetime(2024, 11, 11, 12, 0, tzinfo=UTC)

    post = records[1]
    assert isinstance(post, ItemRecord)
    assert post.collected_at == datetime(2024, 11, 10, 12, 0, tzinfo=UTC)
    assert (
        post.text == "Netral itu wajib, tapi boleh dong kasih jempol 👍 untuk program Pak Hendra 😅"
    )
    assert records[9] == InteractionRecord(
        platform="x",
        kind=InteractionKind.SHARE,
        actor_id=AGUS,
        actor_handle="agus_setiyono_dmy",
        target_item_id=CAMPAIGN_POST,
        observed_at=retrieved,
    )
    # following: the account in the URL follows each listed account.
    assert records[11] == InteractionRecord(
        platform="x",
        kind=InteractionKind.FOLLOW,
        actor_id=AGUS,
        target_account_id=HENDRA,
        target_account_handle="hendra_kusuma",
        observed_at=retrieved,
    )
    # liked_tweets: the account in the URL liked each listed tweet.
    assert records[16] == InteractionRecord(
        platform="x",
        kind=InteractionKind.LIKE,
        actor_id=SULASTRI,
        target_item_id=CAMPAIGN_POST,
        observed_at=retrieved,
    )
    # followers: each listed account follows the account in the URL.
    assert records[22] == InteractionRecord(
        platform="x",
        kind=InteractionKind.FOLLOW,
        actor_id=SULASTRI,
        actor_handle="sulastri_wl",
        target_account_id=HENDRA,
        observed_at=retrieved,
    )


def test_escaped_emoji_in_twarc2_decode_and_a_suspended_user_is_a_tombstone(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/twarc2_pages.jsonl", "x-v2-jsonl")

    escaped = records[21]
    assert isinstance(escaped, AccountRecord)
    assert (escaped.display_name, escaped.bio) == ("Sulastri Wulandari 🌾", "Guru SD · Kab. Malang")
    assert without_raw(records[24]) == AccountRecord(
        platform="x",
        platform_id="1400000000000000009",
        handle="",
        seen_at=datetime(2024, 11, 11, 12, 0, tzinfo=UTC),
        deleted=True,
        reason="menurut platform: User has been suspended: [1400000000000000009].",
    )


# --- twarc2 flatten -------------------------------------------------------------------------
#
# twarc2_search.jsonl: two responses as twarc 2.14.0 writes them with `twarc2 search` and
# `twarc2 liking-users` (the v2_search_recent.json and v2_liking_users.json pages, each with
# its __twarc: url, version, retrieved_at). twarc2_flatten.jsonl: that file put through
# `twarc2 flatten` of twarc 2.14.0 (twarc/expansions.py flatten()), unedited: one tweet or
# user a line, includes inline, non-ASCII escaped as json.dumps writes it.


def _placeless(records: list[Parsed]) -> Counter[Parsed]:
    """The records as a multiset, without where each is in its file."""
    return Counter(
        replace(record, line=None, offset=None) if isinstance(record, ItemRecord) else record
        for record in records
    )


def test_twarc2_flatten_gives_the_records_of_the_responses_it_was_made_from(
    parse_payload: ParseFile,
) -> None:
    pages = parse_payload("x/twarc2_search.jsonl", "x-v2-jsonl")
    flat = parse_payload("x/twarc2_flatten.jsonl", "x-v2-jsonl")

    assert summary(flat) == [
        ("account", HENDRA),
        ("account", AGUS),
        ("post", CAMPAIGN_POST),
        ("reply", "1855075334353846272"),
        ("mention", f"{AGUS}->{HENDRA}"),
        ("account", SULASTRI),
        ("quote", "1855086658974646272"),
        ("share", "1855099241886646272"),
        ("account", TIM),
        ("post", "1855113083089846272"),
        ("mention", f"{AGUS}->{TIM}"),
        ("account", ARIFIN),
        ("post", "1855139507205046272"),
        ("reply", "1855510703109046272"),
        ("account", AGUS),
        ("like", f"{AGUS}->{CAMPAIGN_POST}"),
        ("account", SULASTRI),
        ("like", f"{SULASTRI}->{CAMPAIGN_POST}"),
    ]
    # Field for field what the responses give, but for what flattening dropped: the
    # response's error naming the deleted post the last reply answers.
    only_pages = _placeless([without_raw(r) for r in pages]) - _placeless(
        [without_raw(r) for r in flat]
    )
    assert summary(list(only_pages.elements())) == [("post", DELETED_POST)]
    assert not _placeless([without_raw(r) for r in flat]) - _placeless(
        [without_raw(r) for r in pages]
    )
    # Each tweet's raw is the tweet as the API sent it, its inline includes taken out;
    # only where twarc2 completed a mention with the user's id do the bytes differ.
    differ = _placeless(flat) - _placeless(pages)
    assert summary(list(differ.elements())) == [
        ("account", TIM),
        ("post", "1855113083089846272"),
    ]


def test_a_flattened_reply_names_its_author_referenced_tweet_and_media() -> None:
    lines = (X / "twarc2_flatten.jsonl").read_bytes().splitlines(keepends=True)

    records = list(parse_v2_jsonl(io.BytesIO(lines[1]), ParseOptions()))

    [hendra, author, campaign, quote] = records
    assert isinstance(author, AccountRecord)
    assert isinstance(hendra, AccountRecord)
    assert (author.platform_id, hendra.handle) == (SULASTRI, "hendra_kusuma")
    assert isinstance(campaign, ItemRecord)
    assert isinstance(quote, ItemRecord)
    assert (campaign.platform_id, campaign.author_handle) == (CAMPAIGN_POST, "hendra_kusuma")
    assert campaign.media == (Media("photo", "https://pbs.twimg.com/media/GcFiktifA1.jpg"),)
    assert (quote.kind, quote.parent_id, quote.author_handle) == (
        ItemKind.QUOTE,
        CAMPAIGN_POST,
        "sulastri_wl",
    )
    assert quote.media == (
        Media(
            "video",
            "https://video.twimg.com/ext_tw_video/1855086658974646272/pu/vid/1280x720/Fiktif.mp4",
        ),
    )
    assert (quote.line, quote.offset, quote.collected_at) == (1, 0, at(10, 12))


def test_a_referenced_tweet_under_tweet_and_a_bare_tweet_without_twarc_are_read() -> None:
    # Other tools nest the referenced tweet under "tweet"; a bare v2 tweet has no __twarc.
    nested = {
        "id": "1855600000000000001",
        "text": "Setuju @hendra_kusuma",
        "author_id": AGUS,
        "edit_history_tweet_ids": ["1855600000000000001"],
        "referenced_tweets": [
            {
                "type": "quoted",
                "id": CAMPAIGN_POST,
                "tweet": {"id": CAMPAIGN_POST, "text": "Mari bersama", "author_id": HENDRA},
            }
        ],
        "author": {"id": AGUS, "username": "agus_setiyono_dmy", "name": "Agus Setiyono"},
    }
    body = json.dumps(nested).encode() + b"\n"

    records = list(parse_v2_jsonl(io.BytesIO(body), ParseOptions()))

    assert summary(records) == [
        ("account", AGUS),
        ("post", CAMPAIGN_POST),
        ("quote", "1855600000000000001"),
    ]
    quote = records[2]
    assert isinstance(quote, ItemRecord)
    assert (quote.author_handle, quote.parent_id) == ("agus_setiyono_dmy", CAMPAIGN_POST)
    assert json.loads(quote.raw)["referenced_tweets"] == [{"type": "quoted", "id": CAMPAIGN_POST}]


def test_a_twarc_line_of_no_known_shape_is_a_problem_not_nothing() -> None:
    line = b'{"__twarc": {"url": "https://api.x.com/2/tweets/search/recent"}, "hasil": []}'

    [problem] = parse_v2_jsonl(io.BytesIO(line + b"\n"), ParseOptions())

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.line, problem.offset, problem.path) == (
        "objek ini bukan respons X API v2 (tanpa data, includes, errors, meta) dan bukan satu "
        "tweet atau akun (id angka dengan text atau username); kuncinya: __twarc, hasil",
        1,
        0,
        "$",
    )
    assert json.loads(problem.raw) == json.loads(line)


def test_a_page_whose_meta_counts_results_it_does_not_hold_is_a_problem() -> None:
    body = b'{"meta": {"result_count": 3, "newest_id": "1855510703109046272"}}'

    [problem] = parse_v2_json(io.BytesIO(body), ParseOptions())

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.path) == (
        "meta.result_count menyebut 3 hasil, tetapi halaman ini tanpa data",
        "$.data",
    )
    # An empty page is no problem: there is nothing in it to read.
    assert list(parse_v2_json(io.BytesIO(b'{"meta": {"result_count": 0}}'), ParseOptions())) == []


def test_one_flattened_tweet_saved_as_a_document_is_read_as_x_v2_json() -> None:
    line = (X / "twarc2_flatten.jsonl").read_bytes().splitlines()[3]

    records = list(parse_v2_json(io.BytesIO(line), ParseOptions()))

    assert summary(records) == [
        ("account", TIM),
        ("account", AGUS),
        ("post", "1855113083089846272"),
        ("mention", f"{AGUS}->{TIM}"),
    ]


# --- API v1.1 and twarc 1 ------------------------------------------------------------------


def test_a_v1_timeline_yields_embedded_statuses_before_the_ones_that_carry_them(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v1_user_timeline.json", "twitter-v1-json")

    assert summary(records) == [
        ("account", AGUS),
        ("post", "1856139848709046272"),
        ("account", HENDRA),
        ("post", "1854290160645046272"),
        ("account", AGUS),
        ("share", "1856154948203446272"),
        ("account", AGUS),
        ("reply", "1856170047697846272"),
        ("mention", f"{AGUS}->{HENDRA}"),
        ("account", HENDRA),
        ("post", "1854290160645046272"),
        ("account", AGUS),
        ("quote", "1856185147192246272"),
        ("account", AGUS),
        ("post", "1856200246686646272"),
    ]


def test_a_v1_status_keeps_every_field_and_takes_the_best_mp4_variant(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v1_user_timeline.json", "twitter-v1-json")
    account, post = records[0], records[1]

    assert without_raw(account) == AccountRecord(
        platform="x",
        platform_id=AGUS,
        handle="agus_setiyono_dmy",
        display_name="Agus Setiyono",
        bio="Abdi negara di Donomulyo. ꦲꦒꦸꦱ꧀ 🌾",
        url="https://x.com/agus_setiyono_dmy",
        followers=320,
        following=290,
        posts=4420,
    )
    assert without_raw(post) == ItemRecord(
        platform="x",
        platform_id="1856139848709046272",
        kind=ItemKind.POST,
        author_id=AGUS,
        author_handle="agus_setiyono_dmy",
        created_at=datetime(2024, 11, 12, 1, 0, tzinfo=UTC),
        text="Suasana apel pagi di kantor kecamatan 🎥 https://t.co/ViDeO00001",
        parent_id="",
        root_id="1856139848709046272",
        language="id",
        media=(
            Media(
                "video",
                "https://video.twimg.com/ext_tw_video/1856139848000000000/pu/vid/640x360/"
                "ApelPagi.mp4",
            ),
        ),
        permalink="https://x.com/agus_setiyono_dmy/status/1856139848709046272",
        metrics=(("likes", 10), ("shares", 1)),
    )
    assert isinstance(post, ItemRecord)
    assert json.loads(post.raw) == payload("v1_user_timeline.json")[0]


def test_v1_retweets_replies_quotes_and_withheld_statuses_point_where_they_should(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v1_user_timeline.json", "twitter-v1-json")
    original, share, reply, quote, withheld = (
        records[3],
        records[5],
        records[7],
        records[12],
        records[14],
    )

    assert isinstance(original, ItemRecord)
    assert original.media == (Media("photo", "https://pbs.twimg.com/media/PasarDonomulyo.jpg"),)
    assert original.metrics == (("likes", 140), ("shares", 52))
    assert isinstance(share, ItemRecord)
    assert (share.kind, share.parent_id, share.root_id) == (
        ItemKind.SHARE,
        "1854290160645046272",
        "",
    )
    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id, reply.metrics) == (
        "1854290160645046272",
        "",
        (("likes", 3), ("quotes", 0), ("replies", 0), ("shares", 0)),
    )
    assert isinstance(quote, ItemRecord)
    assert (quote.kind, quote.parent_id, quote.root_id) == (
        ItemKind.QUOTE,
        "1854290160645046272",
        "1856185147192246272",
    )
    assert isinstance(withheld, ItemRecord)
    assert (withheld.withheld, withheld.reason) == (True, "ditahan di negara: ID")


def test_a_v1_search_response_reads_arabic_and_counts_a_repeated_mention_once(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/v1_search_tweets.json", "twitter-v1-json")

    assert summary(records) == [
        ("account", SULASTRI),
        ("post", "1856215346181046272"),
        ("mention", f"{SULASTRI}->{HENDRA}"),
    ]
    post = records[1]
    assert isinstance(post, ItemRecord)
    assert post.text == (
        "بارك الله فيكم — semoga Pilkada Malang damai 🕊️ @hendra_kusuma @hendra_kusuma"
    )


def test_twarc1_lines_read_stream_notices_and_quarantine_a_bad_line(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/twarc1_statuses.jsonl", "twitter-v1-jsonl")

    assert summary(records) == [
        ("account", SULASTRI),
        ("post", "1856230445675446272"),
        ("post", "1856200246686646272"),
        ("problem", "baris 3, byte ke-917"),
        ("account", ARIFIN),
        ("post", "1856260644664246272"),
        ("problem", "baris 5, byte ke-1881"),
    ]
    content = (X / "twarc1_statuses.jsonl").read_bytes()
    assert without_raw(records[2]) == ItemRecord(
        platform="x",
        platform_id="1856200246686646272",
        kind=ItemKind.POST,
        author_id=AGUS,
        author_handle="",
        created_at=datetime(2024, 11, 12, 5, 0, tzinfo=UTC),
        permalink="https://x.com/i/web/status/1856200246686646272",
        deleted=True,
        reason="dihapus penulisnya pada 2024-11-12T09:00:00+00:00 (pemberitahuan stream)",
    )
    first = records[1]
    assert isinstance(first, ItemRecord)
    assert first.raw == content[:621]  # a whole line is kept byte for byte
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [p.reason for p in problems] == [
        "JSON tidak sah: tanda koma diharapkan (karakter ke-108)",
        "pemberitahuan batas dari stream: 12 tweet tidak terkirim",
    ]
    arifin, long_post = records[4], records[5]
    assert isinstance(arifin, AccountRecord)
    assert (arifin.withheld, arifin.reason) == (True, "ditahan di negara: ID")
    assert isinstance(long_post, ItemRecord)
    assert long_post.text.endswith("ini penting sekali untuk kemenangan kita. ꦩꦠꦸꦂꦤꦸꦮꦸꦤ꧀")


# --- archive -------------------------------------------------------------------------------

OWNER = ParseOptions(owner_id=AGUS, owner_handle="agus_setiyono_dmy")


def test_archive_tweets_are_the_owners_with_string_counts_read_as_numbers(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("x/archive_tweets.js", "twitter-archive-js", OWNER)

    assert summary(records) == [
        ("post", "1856245545169846272"),
        ("share", "1856154948203446272"),
        ("reply", "1856170047697846272"),
        ("mention", f"{AGUS}->{HENDRA}"),
        ("problem", "$[3]"),
    ]
    assert without_raw(records[0]) == ItemRecord(
        platform="x",
        platform_id="1856245545169846272",
        kind=ItemKind.POST,
        author_id=AGUS,
        author_handle="agus_setiyono_dmy",
        created_at=datetime(2024, 11, 12, 8, 0, tzinfo=UTC),
        text="Spanduk baru di depan kecamatan 📸 https://t.co/FoTo000001",
        root_id="1856245545169846272",
        language="id",
        media=(Media("photo", "https://pbs.twimg.com/media/SpanduKecamatan.jpg"),),
        permalink="https://x.com/agus_setiyono_dmy/status/1856245545169846272",
        metrics=(("likes", 6), ("shares", 1)),
    )
    share, problem = records[1], records[4]
    # An archive keeps a retweet as text only: its original is unknown.
    assert isinstance(share, ItemRecord)
    assert (share.kind, share.parent_id) == (ItemKind.SHARE, "")
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'created_at' tidak ada"


def test_archive_tweets_without_an_owner_have_no_author() -> None:
    with (X / "archive_tweets.js").open("rb") as stream:
        first = next(iter(parse_archive_js(stream, ParseOptions())))

    assert isinstance(first, ItemRecord)
    assert (first.author_id, first.author_handle, first.permalink) == (
        "",
        "",
        "https://x.com/i/web/status/1856245545169846272",
    )


def test_archive_account_deleted_tweets_and_likes(parse_payload: ParseFile) -> None:
    account = parse_payload("x/archive_account.js", "twitter-archive-js")
    deleted = parse_payload("x/archive_deleted_tweets.js", "twitter-archive-js", OWNER)
    likes = parse_payload("x/archive_like.js", "twitter-archive-js", OWNER)

    assert [without_raw(r) for r in account] == [
        AccountRecord(
            platform="x",
            platform_id=AGUS,
            handle="agus_setiyono_dmy",
            display_name="Agus Setiyono",
            url="https://x.com/agus_setiyono_dmy",
        )
    ]
    assert len(deleted) == 1
    assert isinstance(deleted[0], ItemRecord)
    assert (deleted[0].deleted, deleted[0].reason) == (
        True,
        "dihapus pemilik akun pada 2024-11-13T10:00:00.000Z",
    )
    assert likes == [
        InteractionRecord(
            platform="x",
            kind=InteractionKind.LIKE,
            actor_id=AGUS,
            actor_handle="agus_setiyono_dmy",
            target_item_id=CAMPAIGN_POST,
        ),
        InteractionRecord(
            platform="x",
            kind=InteractionKind.LIKE,
            actor_id=AGUS,
            actor_handle="agus_setiyono_dmy",
            target_item_id="1854290160645046272",
        ),
    ]


def test_an_archive_part_that_is_not_read_is_one_problem_naming_it() -> None:
    stream = io.BytesIO(b'window.YTD.direct_messages.part0 = [ {"dmConversation": {}} ]')

    assert list(parse_archive_js(stream, ParseOptions())) == [
        ParseProblem(
            reason="bagian arsip Twitter 'direct_messages' belum didukung; "
            "yang didukung: account, deleted_tweets, like, tweets",
            offset=35,
            path="$",
            raw=b'[ {"dmConversation": {}} ]',
        )
    ]


# --- shared --------------------------------------------------------------------------------


def test_snowflake_ids_give_their_creation_time_and_older_ids_none() -> None:
    assert snowflake_time(CAMPAIGN_POST) == at(8, 1)
    assert snowflake_time("20") is None
    assert snowflake_time("bukan-angka") is None


def test_records_are_frozen(parse_payload: ParseFile) -> None:
    post = parse_payload("x/v2_search_recent.json", "x-v2-json")[5]
    assert isinstance(post, ItemRecord)

    with pytest.raises(FrozenInstanceError):
        post.text = "diubah"  # type: ignore[misc]


def test_a_page_whose_includes_are_not_an_object_is_one_problem_for_the_page() -> None:
    stream = io.BytesIO(b'{"data": [{"id": "1854690297246646272", "text": "x"}], "includes": []}')

    records = list(parse_v2_json(stream, ParseOptions()))

    assert [without_raw(r) for r in records] == [
        ParseProblem(reason="kolom 'includes' bukan objek", path="$")
    ]


def test_a_truncated_archive_names_the_byte_after_its_prefix() -> None:
    content = b'window.YTD.tweets.part0 = [ {"tweet" : {"id_str" : "1'

    records = list(parse_archive_js(io.BytesIO(content), OWNER))

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason="JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-26)", offset=51
        )
    ]
    assert content[51:52] == b'"'


def test_a_single_v1_status_and_a_line_that_is_no_status(parse_payload: ParseFile) -> None:
    status = payload("v1_search_tweets.json")["statuses"][0]
    single = list(parse_v1_json(io.BytesIO(json.dumps(status).encode()), ParseOptions()))
    lines = json.dumps(status).encode() + b'\n{"friends": [1, 2]}\n'
    mixed = list(parse_v1_jsonl(io.BytesIO(lines), ParseOptions()))

    assert summary(single) == [
        ("account", SULASTRI),
        ("post", "1856215346181046272"),
        ("mention", f"{SULASTRI}->{HENDRA}"),
    ]
    assert summary(mixed)[3:] == [("problem", f"baris 2, byte ke-{len(lines) - 20}")]
    problem = mixed[3]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "baris ini bukan status Twitter API v1.1"


def test_a_failed_request_saved_as_a_page_is_one_problem_not_silence() -> None:
    content = (
        b'{"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", '
        b'"status": 429}'
    )

    records = list(parse_v2_json(io.BytesIO(content), ParseOptions()))

    assert [without_raw(r) for r in records] == [
        ParseProblem(reason="galat dari platform: Too Many Requests: Too Many Requests", path="$")
    ]


def test_a_record_of_a_shape_nobody_foresaw_is_quarantined_and_the_page_goes_on() -> None:
    content = (
        b'{"data": [{"id": "1854690297246646272", "text": "a", "attachments": {"media_keys": '
        b'[{"kunci": 1}]}}, {"id": "1855075334353846272", "text": "b"}]}'
    )

    records = list(parse_v2_json(io.BytesIO(content), ParseOptions()))

    assert summary(records) == [("problem", "$.data[0]"), ("post", "1855075334353846272")]
    problem = records[0]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "bentuk data tidak terduga (TypeError: unhashable type: 'dict')"
