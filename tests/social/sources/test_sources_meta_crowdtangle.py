"""CrowdTangle API responses: /posts, /posts/search and /links pages, posts and errors.

The payloads follow CrowdTangle's published reference and its examples
(https://github.com/CrowdTangle/API/wiki/Posts, /Search, /Links, /Post, /Account,
/Pagination, /Errors): crowdtangle_api_posts.json is a /posts answer for a list of
Facebook Pages as the API sends it, pretty-printed (``json.dump(…, indent=4)``), with
``statistics.actual``/``expected``, ``media`` (``full`` beside ``url``), ``expandedLinks``,
a video with ``brandedContentSponsor``, the post's own ``Id``/``legacyid``, and a post
without its date; crowdtangle_api_search.jsonl is a /posts/search walk of Instagram posts
saved one page a line as a collector writes them (``hitCount``, ``nextPage`` then
``previousPage``), with a Reddit post, a blank line, the API's error envelope and a line
cut short; crowdtangle_api_links.json is a compact /links answer (no pagination) holding
the first Facebook post again, read later. All accounts and posts are fictional.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.meta.crowdtangle import (
    parse_crowdtangle_json,
    parse_crowdtangle_jsonl,
)
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
    UnrecognisedFormat,
)
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
META = Path(__file__).parent / "payloads" / "meta"

PAGE = "104857362918475"
POST = f"{PAGE}_122110987654321"
VIDEO = f"{PAGE}_122110987700002"
SPONSOR = "109988776655443"
IG_OWNER = "61234567890"
SEEN = datetime(2024, 10, 9, 2, 0, tzinfo=UTC)


def payload(name: str) -> Any:
    return json.loads((META / name).read_bytes())


def _about(record: InteractionRecord) -> str:
    return f"{record.actor_id}->{record.target_account_id}"


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _about)


without_raw = records_view.without_raw


def parse_bytes(body: bytes, options: ParseOptions | None = None) -> list[Parsed]:
    return list(parse_crowdtangle_json(io.BytesIO(body), options or ParseOptions()))


def test_a_posts_page_yields_the_page_its_posts_the_sponsor_and_a_problem(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/crowdtangle_api_posts.json", "crowdtangle-api-json")

    assert summary(records) == [
        ("account", PAGE),
        ("post", POST),
        ("post", VIDEO),
        ("account", SPONSOR),
        ("mention", f"{PAGE}->{SPONSOR}"),
        ("problem", "$.result.posts[2]"),
    ]
    problem = records[5]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'date' tidak ada"
    assert json.loads(problem.raw) == payload("crowdtangle_api_posts.json")["result"]["posts"][2]


def test_a_post_keeps_its_text_counts_expected_counts_media_and_links(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/crowdtangle_api_posts.json", "crowdtangle-api-json")
    updated = datetime(2024, 10, 8, 1, 12, 40, tzinfo=UTC)

    assert without_raw(records[0]) == AccountRecord(
        platform="facebook",
        platform_id=PAGE,
        handle="relawanmalangmakmur",
        display_name="Relawan Malang Makmur",
        url=f"https://www.facebook.com/{PAGE}",
        followers=16902,
        seen_at=updated,
    )
    assert without_raw(records[1]) == ItemRecord(
        platform="facebook",
        platform_id=POST,
        kind=ItemKind.POST,
        author_id=PAGE,
        author_handle="relawanmalangmakmur",
        created_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        text="Kampanye dialogis di Pasar Kepanjen 🎉\nꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ #MalangMakmur",
        root_id=POST,
        language="id",
        media=(
            Media("photo", "https://scontent.xx.fbcdn.net/v/t39.30808-6/461234_kepanjen_n.jpg"),
            Media(
                "link",
                f"https://www.facebook.com/{PAGE}/photos/a.1048573/122110987000001/?type=3",
            ),
        ),
        permalink=f"https://www.facebook.com/{PAGE}/posts/122110987654321",
        metrics=(
            ("angry", 2),
            ("care", 4),
            ("comments", 98),
            ("expected_angry", 1),
            ("expected_care", 2),
            ("expected_comments", 52),
            ("expected_haha", 5),
            ("expected_likes", 640),
            ("expected_love", 33),
            ("expected_sad", 1),
            ("expected_shares", 30),
            ("expected_thankful", 0),
            ("expected_wow", 2),
            ("haha", 12),
            ("likes", 1020),
            ("love", 60),
            ("sad", 1),
            ("shares", 45),
            ("thankful", 0),
            ("wow", 3),
        ),
        collected_at=updated,
    )
    assert isinstance(records[1], ItemRecord)
    assert json.loads(records[1].raw) == payload("crowdtangle_api_posts.json")["result"]["posts"][0]
    video, sponsor, mention = records[2], records[3], records[4]
    assert isinstance(video, ItemRecord)
    assert video.media == (
        Media("video", "https://video.xx.fbcdn.net/v/t42.1790-2/ngopi_n.mp4"),
        Media("photo", "https://scontent.xx.fbcdn.net/v/t15.5256-10/ngopi_thumb_n.jpg"),
    )
    assert isinstance(sponsor, AccountRecord)
    assert (sponsor.handle, sponsor.display_name, sponsor.followers) == (
        "kopiarjunofiktif",
        "Kopi Arjuno Fiktif",
        2310,
    )
    assert mention == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.MENTION,
        actor_id=PAGE,
        actor_handle="relawanmalangmakmur",
        target_account_id=SPONSOR,
        target_account_handle="kopiarjunofiktif",
        via_item_id=VIDEO,
        occurred_at=datetime(2024, 10, 4, 12, 0, tzinfo=UTC),
        observed_at=updated,
    )


def test_the_callers_collection_time_wins_over_crowdtangles_update_time(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        "meta/crowdtangle_api_posts.json", "crowdtangle-api-json", ParseOptions(collected_at=SEEN)
    )

    account, post = records[0], records[1]
    assert isinstance(account, AccountRecord)
    assert isinstance(post, ItemRecord)
    assert (account.seen_at, post.collected_at) == (SEEN, SEEN)


def test_search_pages_one_a_line_with_instagram_posts_reddit_and_errors(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/crowdtangle_api_search.jsonl", "crowdtangle-api-jsonl")

    assert summary(records) == [
        ("account", IG_OWNER),
        ("post", "DAbCdEfGhIj"),
        ("post", "DAzYxWvUtSr"),
        ("account", "61234500012"),
        ("post", "DAcWargaFkt"),
        ("problem", "baris 2, byte ke-2184, $.result.posts[1]"),
        ("problem", "baris 4, byte ke-3600, $"),
        ("problem", "baris 5, byte ke-3806"),
    ]
    assert [r.reason for r in records if isinstance(r, ParseProblem)] == [
        "kiriman Reddit dari CrowdTangle belum didukung (hanya Facebook dan Instagram)",
        "galat dari CrowdTangle: Illegal Parameter Value: startDate must be before endDate "
        "(status 400, kode 21)",
        "JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-112)",
    ]
    account, reel = records[0], records[2]
    assert without_raw(account) == AccountRecord(
        platform="instagram",
        platform_id=IG_OWNER,
        handle="relawan.malangmakmur",
        display_name="Relawan Malang Makmur",
        url="https://www.instagram.com/relawan.malangmakmur/",
        followers=8120,
        seen_at=datetime(2024, 10, 8, 2, 0, tzinfo=UTC),
    )
    # Instagram's hearts are its likes; the post is keyed by its shortcode, as in the CSV.
    assert isinstance(reel, ItemRecord)
    assert (reel.text, reel.metrics, reel.line, reel.offset) == (
        "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ — sugeng rawuh Pak Hendra 🎬",
        (("comments", 87), ("expected_comments", 43), ("expected_likes", 512), ("likes", 1024)),
        1,
        0,
    )
    assert reel.media[0] == Media("video", "https://scontent.cdninstagram.com/o1/v/t16/reel_n.mp4")


def test_a_line_may_be_one_post_and_other_lines_are_problems() -> None:
    post = payload("crowdtangle_api_posts.json")["result"]["posts"][0]
    body = (
        json.dumps(post).encode()
        + b"\n"
        + json.dumps({"data": [], "meta": {"result_count": 0}}).encode()
        + b"\n"
    )

    records = list(parse_crowdtangle_jsonl(io.BytesIO(body), ParseOptions()))

    second = len(json.dumps(post)) + 1
    assert summary(records) == [
        ("account", PAGE),
        ("post", POST),
        ("problem", f"baris 2, byte ke-{second}"),
    ]
    problem = records[2]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == (
        "baris ini bukan respons atau kiriman CrowdTangle API; kuncinya: data, meta"
    )


def test_a_links_answer_a_bare_array_and_one_post_read_alike(parse_payload: ParseFile) -> None:
    posts = payload("crowdtangle_api_posts.json")["result"]["posts"]

    links = parse_payload("meta/crowdtangle_api_links.json", "crowdtangle-api-json")
    array = parse_bytes(json.dumps(posts[:2]).encode())
    single = parse_bytes(json.dumps(posts[0]).encode())

    assert summary(links) == [("account", PAGE), ("post", POST)]
    assert summary(array) == [
        ("account", PAGE),
        ("post", POST),
        ("post", VIDEO),
        ("account", SPONSOR),
        ("mention", f"{PAGE}->{SPONSOR}"),
    ]
    assert summary(single) == [("account", PAGE), ("post", POST)]
    later = links[1]
    assert isinstance(later, ItemRecord)
    assert later.collected_at == datetime(2024, 10, 9, 5, 0, tzinfo=UTC)


def test_an_instagram_post_without_its_url_is_its_media_id() -> None:
    post = json.loads((META / "crowdtangle_api_search.jsonl").read_bytes().split(b"\n")[0])[
        "result"
    ]["posts"][0]
    del post["postUrl"]

    records = parse_bytes(json.dumps(post).encode())

    assert summary(records) == [("account", IG_OWNER), ("post", "3466375131966345763")]


def test_other_json_is_one_problem_saying_what_it_holds() -> None:
    for body in (
        b'{"data": [{"id": "1"}]}',
        b'{"status": 200, "result": {"accountStatistics": []}}',
        b"[1, 2]",
        b'[{"id": "1846000000000000001", "text": "halo"}]',
    ):
        [problem] = parse_bytes(body)
        assert isinstance(problem, ParseProblem)
        assert problem.reason.startswith("berkas ini bukan respons CrowdTangle API; isinya: ")
        assert (problem.path, problem.raw) == ("$", body)
    [problem] = parse_crowdtangle_jsonl(io.BytesIO(b'{"data": []}\n'), ParseOptions())
    assert isinstance(problem, ParseProblem)
    assert problem.line == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crowdtangle_api_posts.json", "crowdtangle-api-json"),
        ("crowdtangle_api_search.jsonl", "crowdtangle-api-jsonl"),
        ("crowdtangle_api_links.json", "crowdtangle-api-json"),
    ],
)
def test_each_response_file_is_recognised(name: str, expected: str) -> None:
    assert detect((META / name).read_bytes()[:HEAD_BYTES], name) == expected


def test_a_bare_array_a_pretty_page_and_a_one_line_post_are_recognised() -> None:
    posts = payload("crowdtangle_api_posts.json")["result"]["posts"]

    assert detect(json.dumps(posts[:2], indent=2).encode(), "posts.json") == (
        "crowdtangle-api-json"
    )
    assert detect(json.dumps(posts[0]).encode() + b"\n", "posts.jsonl") == ("crowdtangle-api-jsonl")
    page = {"status": 200, "result": {"posts": posts[:1]}}
    assert detect(json.dumps(page, indent=2).encode(), "halaman.json") == "crowdtangle-api-json"


def test_a_leaderboard_is_refused_naming_what_is_read() -> None:
    leaderboard = {
        "status": 200,
        "result": {
            "accountStatistics": [{"account": {"id": 1, "name": "x"}, "summary": {}}],
            "pagination": {
                "nextPage": "https://api.crowdtangle.com/leaderboard?token=TOKEN&count=2&offset=2"
            },
        },
    }

    with pytest.raises(UnrecognisedFormat) as raised:
        detect(json.dumps(leaderboard, indent=2).encode(), "leaderboard.json")

    assert (
        "Yang terbaca: respons CrowdTangle API berisi 'accountStatistics' (bukan kiriman), "
        "yang belum didukung; yang didukung: /posts, /posts/search, /links, /post/:id."
    ) in str(raised.value)
