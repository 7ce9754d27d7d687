"""Meta Graph API parser: Page posts, comments, reactions, Instagram media and comments.

Payload shapes follow Meta's published reference:
https://developers.facebook.com/docs/graph-api/reference/page/feed
https://developers.facebook.com/docs/graph-api/reference/post
https://developers.facebook.com/docs/graph-api/reference/object/comments
https://developers.facebook.com/docs/graph-api/reference/comment
https://developers.facebook.com/docs/graph-api/reference/object/reactions
https://developers.facebook.com/docs/graph-api/results (paging: cursors, next)
https://developers.facebook.com/docs/graph-api/guides/error-handling (error envelope)
https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
https://developers.facebook.com/docs/graph-api/changelog/ooc-changes/oct-20-2021
(Instagram comments' from and parent_id)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netra.social.sources.meta.graph import parse_graph_json, parse_graph_jsonl
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
from tests.social.sources import records_view

ParseFile = Callable[..., list[Parsed]]
META = Path(__file__).parent / "payloads" / "meta"

GRAPH = "https://graph.facebook.com/v21.0"
PAGE = "104857362918475"
POST = f"{PAGE}_122110987654321"
AGUS = "100087650001111"
SULASTRI = "100087650002222"
BAMBANG = "100087650003333"
SITI = "100087650004444"
IG_USER = "17841400000000001"
IG_MEDIA = "17912345678901234"
SEEN = datetime(2024, 10, 8, 1, 0, tzinfo=UTC)


def payload(name: str) -> Any:
    return json.loads((META / name).read_bytes())


def options(url: str = "", seen: datetime | None = SEEN) -> ParseOptions:
    return ParseOptions(collected_at=seen, request_url=url)


def _about(record: InteractionRecord) -> str:
    return record.actor_id or record.actor_handle


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _about)


without_raw = records_view.without_raw


def parse_bytes(body: bytes, url: str = "") -> list[Parsed]:
    return list(parse_graph_json(io.BytesIO(body), options(url)))


def test_a_feed_page_yields_authors_posts_mentions_and_a_problem_per_bad_post(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        "meta/graph_feed.json", "meta-graph-json", options(f"{GRAPH}/{PAGE}/feed")
    )

    assert summary(records) == [
        ("account", PAGE),
        ("post", POST),
        ("mention", PAGE),
        ("share", f"{PAGE}_122111000000002"),
        ("post", f"{PAGE}_122111000000003"),
        ("account", SULASTRI),
        ("post", f"{PAGE}_122111000000004"),
        ("problem", "$.data[4]"),
        ("problem", "$.data[5]"),
    ]
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [p.reason for p in problems] == [
        "kolom 'id' tidak ada",
        "waktu '2024-10-06 07:00:00' di kolom 'created_time' tidak menyebut zona waktu",
    ]
    assert json.loads(problems[0].raw) == payload("graph_feed.json")["data"][4]


def test_a_page_post_keeps_every_field_its_photo_and_its_counts(parse_payload: ParseFile) -> None:
    records = parse_payload(
        "meta/graph_feed.json", "meta-graph-json", options(f"{GRAPH}/{PAGE}/feed")
    )

    assert records[0] == AccountRecord(
        platform="facebook",
        platform_id=PAGE,
        handle="",
        display_name="Relawan Malang Makmur",
        url=f"https://www.facebook.com/{PAGE}",
        seen_at=SEEN,
    )
    post = records[1]
    assert without_raw(post) == ItemRecord(
        platform="facebook",
        platform_id=POST,
        kind=ItemKind.POST,
        author_id=PAGE,
        author_handle="",
        # "+0000", without a colon, is how Graph writes every time.
        created_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        text="Kampanye dialogis di Pasar Kepanjen bersama Agus Setiyono 🎉 ꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ #MalangMakmur",
        root_id=POST,
        media=(
            Media("photo", "https://scontent.xx.fbcdn.net/v/t39.30808-6/461234567_122110987_n.jpg"),
        ),
        permalink=f"https://www.facebook.com/{PAGE}/posts/122110987654321",
        metrics=(("comments", 37), ("reactions", 245), ("shares", 12)),
        collected_at=SEEN,
    )
    assert isinstance(post, ItemRecord)
    assert json.loads(post.raw) == payload("graph_feed.json")["data"][0]


def test_a_tagged_person_is_mentioned_once_and_a_tagged_event_is_not(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        "meta/graph_feed.json", "meta-graph-json", options(f"{GRAPH}/{PAGE}/feed")
    )

    assert [r for r in records if isinstance(r, InteractionRecord)] == [
        InteractionRecord(
            platform="facebook",
            kind=InteractionKind.MENTION,
            actor_id=PAGE,
            target_account_id=AGUS,
            via_item_id=POST,
            occurred_at=datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
            observed_at=SEEN,
        )
    ]


def test_a_shared_post_without_message_a_hidden_post_and_an_album_with_a_video(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        "meta/graph_feed.json", "meta-graph-json", options(f"{GRAPH}/{PAGE}/feed")
    )
    share, hidden, album = records[3], records[4], records[6]

    assert isinstance(share, ItemRecord)
    # The share count came as the string "3"; a share has no text of its own.
    assert (share.kind, share.parent_id, share.root_id, share.text, share.metrics) == (
        ItemKind.SHARE,
        "100064123456789_987654321012345",
        share.platform_id,
        "",
        (("shares", 3),),
    )
    assert share.media == (
        Media("share", "https://external.xx.fbcdn.net/emg1/v/t13/debat-cabup.jpg"),
    )
    assert isinstance(hidden, ItemRecord)
    assert (hidden.text, hidden.withheld, hidden.deleted, hidden.reason, hidden.permalink) == (
        "بسم الله، doa bersama untuk Pilkada damai 🤲",
        True,
        False,
        "disembunyikan dari linimasa Halaman",
        f"https://www.facebook.com/{PAGE}_122111000000003",
    )
    assert isinstance(album, ItemRecord)
    assert (album.author_id, album.media) == (
        SULASTRI,
        (
            Media("photo", "https://scontent.xx.fbcdn.net/v/t39.30808-6/gondanglegi-1_n.jpg"),
            Media("video", "https://video.xx.fbcdn.net/v/t42.1790-2/gondanglegi-2.mp4"),
        ),
    )


def test_a_page_post_without_from_is_the_pages_on_the_posts_edge_only() -> None:
    body = json.dumps(
        {"data": [{"id": POST, "created_time": "2024-10-01T03:00:00+0000", "message": "Halo"}]}
    ).encode()

    own = parse_bytes(body, f"{GRAPH}/{PAGE}/posts?fields=id,message,created_time")
    feed = parse_bytes(body, f"{GRAPH}/{PAGE}/feed")

    assert [(r.author_id, r.kind) for r in own if isinstance(r, ItemRecord)] == [
        (PAGE, ItemKind.POST)
    ]
    # A feed holds visitors' posts too: the id's prefix is the Page, not the author.
    assert [r.author_id for r in feed if isinstance(r, ItemRecord)] == [""]


def test_comments_take_their_post_from_the_request_url_and_replies_their_parent(
    parse_payload: ParseFile,
) -> None:
    url = f"{GRAPH}/{POST}/comments?filter=stream&fields=id,message,created_time,from,parent"
    records = parse_payload("meta/graph_comments.json", "meta-graph-json", options(url))

    assert summary(records) == [
        ("account", AGUS),
        ("comment", "122110987654321_1029384756"),
        ("account", SULASTRI),
        ("reply", "122110987654321_1029384799"),
        ("comment", "122110987654321_1029384801"),
        ("account", BAMBANG),
        ("comment", "122110987654321_1029384822"),
        ("mention", BAMBANG),
        ("problem", "$.data[4]"),
    ]
    assert without_raw(records[1]) == ItemRecord(
        platform="facebook",
        platform_id="122110987654321_1029384756",
        kind=ItemKind.COMMENT,
        author_id=AGUS,
        author_handle="",
        created_at=datetime(2024, 10, 1, 4, 10, tzinfo=UTC),
        text="Mantap! Kepanjen siap menangkan 💪🏽",
        parent_id=POST,
        root_id=POST,
        permalink=f"https://www.facebook.com/{PAGE}/posts/122110987654321?comment_id=1029384756",
        metrics=(("likes", 5), ("replies", 1)),
        collected_at=SEEN,
    )
    reply = records[3]
    assert isinstance(reply, ItemRecord)
    # like_count came as the string "2".
    assert (reply.text, reply.parent_id, reply.root_id, reply.metrics) == (
        "ꦱꦸꦥꦺꦴꦂꦠ꧀ ꦥꦏ꧀ 🙌",
        "122110987654321_1029384756",
        POST,
        (("likes", 2), ("replies", 0)),
    )
    problem = records[8]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'created_time' tidak ada"


def test_a_comment_without_its_author_and_a_hidden_comment_with_a_sticker(
    parse_payload: ParseFile,
) -> None:
    url = f"{GRAPH}/{POST}/comments"
    records = parse_payload("meta/graph_comments.json", "meta-graph-json", options(url))
    anonymous, hidden, mention = records[4], records[6], records[7]

    # Without a Page token Graph leaves out who commented.
    assert isinstance(anonymous, ItemRecord)
    assert (anonymous.author_id, anonymous.text) == ("", "الله أكبر، semoga amanah")
    assert isinstance(hidden, ItemRecord)
    assert (hidden.withheld, hidden.reason, hidden.media) == (
        True,
        "disembunyikan oleh pengelola Halaman",
        (Media("sticker", "https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker-jempol.png"),),
    )
    assert mention == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.MENTION,
        actor_id=BAMBANG,
        target_account_id=PAGE,
        via_item_id="122110987654321_1029384822",
        occurred_at=datetime(2024, 10, 1, 6, 45, tzinfo=UTC),
        observed_at=SEEN,
    )


def test_comments_without_a_request_url_keep_no_parent(parse_payload: ParseFile) -> None:
    records = parse_payload("meta/graph_comments.json", "meta-graph-json", options())

    items = [r for r in records if isinstance(r, ItemRecord)]
    # Their fields (like_count, parent…) show a page of comments, so the last entry, with
    # a message alone, is a comment too; only the reply says what it answers.
    assert [(r.kind, r.parent_id, r.root_id) for r in items] == [
        (ItemKind.COMMENT, "", ""),
        (ItemKind.REPLY, "122110987654321_1029384756", ""),
        (ItemKind.COMMENT, "", ""),
        (ItemKind.COMMENT, "", ""),
    ]
    assert [r.reason for r in records if isinstance(r, ParseProblem)] == [
        "kolom 'created_time' tidak ada"
    ]


@pytest.mark.parametrize(
    ("subject", "parent", "root", "kind"),
    [
        # /{page}_{post}/comments: the post owns comments "{post}_…".
        (POST, POST, POST, ItemKind.COMMENT),
        # /{post}/comments addressed by the object's own id (a photo, a video).
        ("122110987654321", "122110987654321", "122110987654321", ItemKind.COMMENT),
        # /{comment}/comments: answers to that comment.
        ("122110987654321_1029384756", "122110987654321_1029384756", "", ItemKind.REPLY),
        # Some other object: its child, of unknown thread.
        ("555000111", "555000111", "", ItemKind.COMMENT),
    ],
)
def test_the_url_object_is_read_as_the_post_or_the_comment_a_comment_answers(
    subject: str, parent: str, root: str, kind: ItemKind
) -> None:
    body = json.dumps(
        {
            "data": [
                {
                    "id": "122110987654321_1029384999",
                    "message": "Nggih",
                    "created_time": "2024-10-01T07:00:00+0000",
                }
            ]
        }
    ).encode()

    [item] = parse_bytes(body, f"{GRAPH}/{subject}/comments")

    assert isinstance(item, ItemRecord)
    assert (item.parent_id, item.root_id, item.kind) == (parent, root, kind)


def test_reactions_name_their_post_only_through_the_request_url(parse_payload: ParseFile) -> None:
    url = f"{GRAPH}/{POST}/reactions?fields=id,name,type,pic"
    records = parse_payload("meta/graph_reactions.json", "meta-graph-json", options(url))

    assert summary(records) == [
        ("account", AGUS),
        ("reaction", AGUS),
        ("account", SULASTRI),
        ("reaction", SULASTRI),
        ("account", BAMBANG),
        ("reaction", BAMBANG),
        ("account", SITI),
        ("reaction", SITI),
        ("problem", "$.data[4]"),
    ]
    reactions = [r for r in records if isinstance(r, InteractionRecord)]
    assert reactions[0] == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id=AGUS,
        target_item_id=POST,
        reaction_type="like",
        observed_at=SEEN,
    )
    assert [r.reaction_type for r in reactions] == ["like", "love", "care", "angry"]
    account = records[2]
    assert without_raw(account) == AccountRecord(
        platform="facebook",
        platform_id=SULASTRI,
        handle="",
        display_name="Sulastri Wulandari",
        url=f"https://www.facebook.com/{SULASTRI}",
        seen_at=SEEN,
    )
    assert isinstance(account, AccountRecord)
    assert json.loads(account.raw) == payload("graph_reactions.json")["data"][1]

    without_url = parse_payload("meta/graph_reactions.json", "meta-graph-json", options())
    assert [r for r in without_url if isinstance(r, InteractionRecord)] == []
    assert len([r for r in without_url if isinstance(r, AccountRecord)]) == 4


def test_the_likes_edge_of_a_post_is_likes_and_of_a_person_is_no_interaction() -> None:
    body = json.dumps({"data": [{"id": AGUS, "name": "Agus Setiyono"}]}).encode()

    on_post = parse_bytes(body, f"{GRAPH}/{POST}/likes")
    on_person = parse_bytes(body, f"{GRAPH}/{AGUS}/likes")

    assert [r for r in on_post if isinstance(r, InteractionRecord)] == [
        InteractionRecord(
            platform="facebook",
            kind=InteractionKind.LIKE,
            actor_id=AGUS,
            target_item_id=POST,
            observed_at=SEEN,
        )
    ]
    assert summary(on_person) == [("account", AGUS)]


def test_a_deleted_post_answers_an_error_which_is_one_problem_for_the_page(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/graph_error_deleted.json", "meta-graph-json")

    assert [without_raw(r) for r in records] == [
        ParseProblem(
            reason="galat dari Graph API: Unsupported get request. Object with ID "
            f"'{PAGE}_122119999999999' does not exist, cannot be loaded due to missing "
            "permissions, or does not support this operation. Please read the Graph API "
            "documentation at https://developers.facebook.com/docs/graph-api "
            "(kode 100/33, jenis GraphMethodException) fbtrace_id AxQ7mZ1bC2dE3fG4hI5jK6l",
            path="$.error",
        )
    ]


def test_an_empty_edge_yields_nothing(parse_payload: ParseFile) -> None:
    assert parse_payload("meta/graph_empty.json", "meta-graph-json") == []


def test_one_object_with_nested_comments_replies_and_reactions(parse_payload: ParseFile) -> None:
    records = parse_payload("meta/graph_post_nested.json", "meta-graph-json", options())

    assert summary(records) == [
        ("account", PAGE),
        ("post", POST),
        ("account", AGUS),
        ("comment", "122110987654321_1029384756"),
        ("account", SULASTRI),
        ("reply", "122110987654321_1029384799"),
        ("problem", "$.comments.data[1]"),
        ("account", SITI),
        ("reaction", SITI),
    ]
    reply, reaction = records[5], records[8]
    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id) == ("122110987654321_1029384756", POST)
    assert reaction == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id=SITI,
        target_item_id=POST,
        reaction_type="wow",
        observed_at=SEEN,
    )


def test_instagram_media_keep_every_field_a_reel_still_and_a_carousel(
    parse_payload: ParseFile,
) -> None:
    url = f"{GRAPH}/{IG_USER}/media?fields=id,caption,media_type,media_url,permalink"
    records = parse_payload("meta/ig_media.json", "meta-graph-json", options(url))

    assert summary(records) == [
        ("account", IG_USER),
        ("post", IG_MEDIA),
        ("post", "17912345678905678"),
        ("post", "17912345678909012"),
        ("problem", "$.data[3]"),
    ]
    assert records[0] == AccountRecord(
        platform="instagram",
        platform_id=IG_USER,
        handle="relawan.malangmakmur",
        url="https://www.instagram.com/relawan.malangmakmur",
        seen_at=SEEN,
    )
    assert without_raw(records[1]) == ItemRecord(
        platform="instagram",
        platform_id=IG_MEDIA,
        kind=ItemKind.POST,
        author_id=IG_USER,
        author_handle="relawan.malangmakmur",
        created_at=datetime(2024, 10, 5, 2, 15, tzinfo=UTC),
        text="Blusukan ke Pasar Gondanglegi 🛒 #MalangMakmur",
        root_id=IG_MEDIA,
        media=(
            Media(
                "image", "https://scontent.cdninstagram.com/v/t51.29350-15/461234_gondanglegi_n.jpg"
            ),
        ),
        permalink="https://www.instagram.com/p/DAbCdEfGhIj/",
        metrics=(("comments", 14), ("likes", 320)),
        collected_at=SEEN,
    )
    reel, carousel = records[2], records[3]
    assert isinstance(reel, ItemRecord)
    # A reel with licensed music comes without media_url: its still is kept.
    assert (reel.text, reel.media, reel.metrics) == (
        "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ — sugeng rawuh Pak Hendra 🎬",
        (Media("thumbnail", "https://scontent.cdninstagram.com/v/t51.29350-15/reel_thumb_n.jpg"),),
        (("comments", 87), ("likes", 1024)),
    )
    assert isinstance(carousel, ItemRecord)
    assert (carousel.text, carousel.media) == (
        "إن شاء الله menang 🤲",
        (
            Media("image", "https://scontent.cdninstagram.com/v/t51.29350-15/carousel-1_n.jpg"),
            Media("video", "https://scontent.cdninstagram.com/o1/v/t16/carousel-2.mp4"),
        ),
    )
    problem = records[4]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "waktu '5 Oktober 2024' di kolom 'timestamp' tidak terbaca"


def test_instagram_comments_with_nested_replies_a_hidden_one_and_one_without_time(
    parse_payload: ParseFile,
) -> None:
    url = f"{GRAPH}/{IG_MEDIA}/comments?fields=id,text,timestamp,username,from,replies"
    records = parse_payload("meta/ig_comments.json", "meta-graph-json", options(url))

    assert summary(records) == [
        ("account", "17841400000000012"),
        ("comment", "17858893269000001"),
        ("account", IG_USER),
        ("reply", "17858893269000002"),
        ("account", "asn_contoh"),
        ("comment", "17858893269000003"),
        ("problem", "$.data[2]"),
    ]
    assert without_raw(records[1]) == ItemRecord(
        platform="instagram",
        platform_id="17858893269000001",
        kind=ItemKind.COMMENT,
        author_id="17841400000000012",
        author_handle="warga_fiktif_12",
        created_at=datetime(2024, 10, 5, 3, 0, tzinfo=UTC),
        text="@relawan.malangmakmur mantap 🔥",
        parent_id=IG_MEDIA,
        root_id=IG_MEDIA,
        metrics=(("likes", 4),),
        collected_at=SEEN,
    )
    reply, author, hidden = records[3], records[4], records[5]
    assert isinstance(reply, ItemRecord)
    assert (reply.parent_id, reply.root_id, reply.text) == (
        "17858893269000001",
        IG_MEDIA,
        "Terima kasih 🙏 ꦩꦠꦸꦂꦤꦸꦮꦸꦤ꧀",
    )
    # Without "from", the comment names its author by username only.
    assert author == AccountRecord(
        platform="instagram",
        platform_id="",
        handle="asn_contoh",
        url="https://www.instagram.com/asn_contoh",
        seen_at=SEEN,
    )
    assert isinstance(hidden, ItemRecord)
    assert (hidden.withheld, hidden.reason, hidden.author_id) == (
        True,
        "disembunyikan oleh pemilik akun",
        "",
    )


def test_instagram_replies_of_a_comment_url_answer_that_comment() -> None:
    body = json.dumps(
        {
            "data": [
                {
                    "id": "17858893269000077",
                    "text": "Betul",
                    "timestamp": "2024-10-05T05:00:00+0000",
                }
            ]
        }
    ).encode()

    [item] = parse_bytes(body, f"{GRAPH}/17858893269000001/replies")

    assert isinstance(item, ItemRecord)
    assert (item.kind, item.parent_id, item.root_id) == (ItemKind.REPLY, "17858893269000001", "")


def test_jsonl_reads_wrapped_and_bare_responses_around_bad_lines(parse_payload: ParseFile) -> None:
    records = parse_payload("meta/graph_pages.jsonl", "meta-graph-jsonl", options())

    assert summary(records) == [
        ("account", AGUS),
        ("reaction", AGUS),
        ("account", SULASTRI),
        ("reaction", SULASTRI),
        ("problem", "baris 2, byte ke-472"),
        ("account", "warga_fiktif_14"),
        ("comment", "17858893269000009"),
        ("problem", "baris 4, byte ke-756, $.response.error"),
        ("problem", "baris 5, byte ke-1025"),
        ("account", PAGE),
        ("post", f"{PAGE}_122111000000010"),
    ]
    problems = [r for r in records if isinstance(r, ParseProblem)]
    assert [p.reason for p in problems] == [
        "JSON tidak sah: nilai JSON diharapkan (karakter ke-121)",
        "galat dari Graph API: (#4) Application request limit reached (kode 4, jenis "
        "OAuthException) fbtrace_id A1b2C3d4E5f6G7h8",
        "baris ini bukan respons Meta Graph API",
    ]
    # Each line's own URL names what its reactions and comments are about.
    haha = records[3]
    assert isinstance(haha, InteractionRecord)
    assert (haha.target_item_id, haha.reaction_type) == (POST, "haha")
    comment, post = records[6], records[10]
    assert isinstance(comment, ItemRecord)
    assert (comment.platform, comment.parent_id, comment.text, comment.line, comment.offset) == (
        "instagram",
        IG_MEDIA,
        "Semangat! ꦱꦼꦩꦔꦠ꧀",
        3,
        473,
    )
    # The bare line escapes its emoji and its slashes, as Graph writes them.
    assert isinstance(post, ItemRecord)
    assert (post.text, post.line) == ("Baris tanpa pembungkus 🇮🇩", 6)
    raw_lines = (META / "graph_pages.jsonl").read_bytes().split(b"\n")
    assert (
        post.raw
        == json.dumps(
            json.loads(raw_lines[5])["data"][0], ensure_ascii=False, separators=(",", ":")
        ).encode()
    )


def test_a_bare_jsonl_line_uses_the_request_url_the_caller_gives() -> None:
    line = json.dumps(
        {"data": [{"id": AGUS, "name": "Agus Setiyono", "type": "SAD"}], "paging": {"cursors": {}}}
    )

    records = list(
        parse_graph_jsonl(io.BytesIO(line.encode() + b"\n"), options(f"{GRAPH}/{POST}/reactions"))
    )

    assert [
        (r.kind, r.target_item_id, r.reaction_type)
        for r in records
        if isinstance(r, InteractionRecord)
    ] == [(InteractionKind.REACTION, POST, "sad")]


def test_a_wrapped_document_is_read_like_a_wrapped_line() -> None:
    body = json.dumps(
        {
            "request": {"url": f"{GRAPH}/{POST}/reactions"},
            "response": {"data": [{"id": SITI, "name": "Siti Aminah", "type": "LOVE"}]},
        }
    ).encode()

    records = list(parse_graph_json(io.BytesIO(body), options()))

    assert summary(records) == [("account", SITI), ("reaction", SITI)]


def test_a_bad_entry_in_a_wrapped_response_names_its_path_under_response() -> None:
    body = json.dumps(
        {"request": {"url": f"{GRAPH}/{PAGE}/posts"}, "response": {"data": ["bukan objek"]}}
    ).encode()

    [problem] = parse_graph_json(io.BytesIO(body), options())

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.path) == ("entri ini bukan objek JSON", "$.response.data[0]")


def test_a_response_of_another_api_is_one_problem_saying_what_it_holds() -> None:
    x_page = b'{"data": [{"id": "1846000000000000001", "text": "halo"}], "meta": {}}'
    youtube_error = (
        b'{"error": {"code": 403, "message": "quota", "errors": [{"domain": "youtube.quota"}]}}'
    )

    for body, seen in (
        (x_page, "objek dengan kunci data, meta"),
        (youtube_error, "objek dengan kunci error"),
        (b"[1, 2]", "daftar tanpa objek"),
        (
            b'[{"id": "1846000000000000001", "text": "halo"}]',
            "daftar berisi objek dengan kunci id, text",
        ),
    ):
        assert list(parse_graph_json(io.BytesIO(body), options())) == [
            ParseProblem(
                reason=f"berkas ini bukan respons Meta Graph API; isinya: {seen}",
                path="$",
                raw=body,
            )
        ]
    [problem] = parse_graph_jsonl(io.BytesIO(x_page + b"\n"), options())
    assert problem == ParseProblem(
        reason="baris ini bukan Meta Graph API; kuncinya: data, meta", line=1, offset=0, raw=x_page
    )


def test_a_truncated_page_is_one_problem_with_its_byte_offset() -> None:
    body = b'{"data": [{"id": "1_2", "created_time": "2024-10-01T03:00:00+0000", "message": "Ha'

    [problem] = parse_graph_json(io.BytesIO(body), options())

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.offset) == (
        "JSON tidak sah: teks tidak ditutup tanda kutip (karakter ke-80)",
        79,
    )


def test_an_object_of_no_known_shape_is_quarantined_and_the_page_goes_on() -> None:
    body = json.dumps(
        {
            "data": [
                {"id": "42", "kategori": "lain"},
                {
                    "id": POST,
                    "message": "Tetap terbaca",
                    "created_time": "2024-10-01T03:00:00+0000",
                },
            ],
            "paging": {"cursors": {"before": "A", "after": "B"}},
        }
    ).encode()

    problem, post = parse_bytes(body)

    assert isinstance(problem, ParseProblem)
    assert problem.reason == "objek Graph API yang tidak dikenali; kuncinya: id, kategori"
    assert isinstance(post, ItemRecord)
    assert post.text == "Tetap terbaca"


def test_collected_at_is_when_accounts_and_items_were_seen() -> None:
    body = json.dumps(
        {"data": [{"id": POST, "created_time": "2024-10-01T03:00:00+0000", "from": {"id": PAGE}}]}
    ).encode()

    records = list(parse_graph_json(io.BytesIO(body), options(seen=None)))

    assert [
        (type(r).__name__, getattr(r, "seen_at", None), getattr(r, "collected_at", None))
        for r in records
    ] == [
        ("AccountRecord", None, None),
        ("ItemRecord", None, None),
    ]
    account = records[0]
    # A "from" without a name says nothing of the name.
    assert isinstance(account, AccountRecord)
    assert account.display_name is None


def test_one_comment_fetched_by_its_own_id_answers_nothing_the_url_says() -> None:
    facebook = json.dumps(
        {
            "id": "122110987654321_1029384756",
            "message": "Mantap!",
            "created_time": "2024-10-01T04:10:00+0000",
            "like_count": 5,
        }
    ).encode()
    instagram = json.dumps(
        {"id": "17858893269000001", "text": "Mantap", "timestamp": "2024-10-05T03:00:00+0000"}
    ).encode()

    [comment] = parse_bytes(facebook, f"{GRAPH}/122110987654321_1029384756?fields=id,message")
    [ig_comment] = parse_bytes(instagram, f"{GRAPH}/17858893269000001?fields=id,text,timestamp")

    assert isinstance(comment, ItemRecord)
    assert (comment.kind, comment.parent_id, comment.root_id) == (ItemKind.COMMENT, "", "")
    assert isinstance(ig_comment, ItemRecord)
    assert (ig_comment.platform, ig_comment.parent_id) == ("instagram", "")


def test_an_old_facebook_link_post_with_a_caption_is_not_taken_for_instagram_media() -> None:
    body = json.dumps(
        {
            "data": [
                {
                    "id": POST,
                    "created_time": "2016-04-01T03:00:00+0000",
                    "message": "Baca beritanya",
                    "caption": "kabarmalang.example",
                    "link": "https://kabarmalang.example/berita/1",
                }
            ]
        }
    ).encode()

    [post] = parse_bytes(body)

    assert isinstance(post, ItemRecord)
    assert (post.platform, post.kind, post.text) == ("facebook", ItemKind.POST, "Baca beritanya")


# --- bare arrays and NDJSON of Graph objects ---------------------------------------------------
#
# graph_posts_array.json is what a script keeps when it walks /{page-id}/posts with
# facebook-sdk (json.dump(list(graph.get_all_connections(page, "posts", fields=
# "id,message,created_time,permalink_url,from,shares,comments.summary(true){…},
# likes.summary(true),reactions.summary(total_count){id,name,type}")), indent=2)): the
# pages' "data" as one array, nested edges with their "summary", and, from a tool that
# re-typed them, person ids as JSON numbers. graph_media.ndjson holds Instagram media
# objects one per line (/{ig-user-id}/media?fields=…,comments{…,replies{…}}), ids as numbers
# and as strings, and a line that is no object.


def test_a_bare_array_of_page_posts_reads_nested_edges_and_numeric_ids(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/graph_posts_array.json", "meta-graph-json", options())

    assert summary(records) == [
        ("account", PAGE),
        ("post", POST),
        ("account", AGUS),
        ("comment", "122110987654321_1029384756"),
        ("account", SULASTRI),
        ("reply", "122110987654321_1029384799"),
        ("account", SITI),
        ("reaction", SITI),
        ("account", BAMBANG),
        ("reaction", BAMBANG),
        ("post", f"{PAGE}_122110987650000"),
        ("problem", "$[2]"),
    ]
    post, like, love = records[1], records[7], records[9]
    assert isinstance(post, ItemRecord)
    assert (post.author_id, post.metrics) == (
        PAGE,
        (("comments", 2), ("likes", 41), ("reactions", 57), ("shares", 12)),
    )
    assert post.permalink == f"https://www.facebook.com/{PAGE}/posts/122110987654321"
    # Siti's Like is listed on both edges: one reaction, not a reaction and a like.
    assert like == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id=SITI,
        target_item_id=POST,
        reaction_type="like",
        observed_at=SEEN,
    )
    assert isinstance(love, InteractionRecord)
    assert (love.actor_id, love.reaction_type) == (BAMBANG, "love")
    problem = records[11]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "waktu '3 Oktober 2024' di kolom 'created_time' tidak terbaca"
    assert json.loads(problem.raw) == payload("graph_posts_array.json")[2]
    assert json.loads(post.raw) == payload("graph_posts_array.json")[0]


def test_a_bare_array_takes_its_edge_from_the_request_url() -> None:
    comments = [
        {
            "id": "122110987654321_1029384756",
            "message": "Mantap!",
            "created_time": "2024-10-01T04:10:00+0000",
            "from": {"id": int(AGUS), "name": "Agus Setiyono"},
        }
    ]

    records = parse_bytes(json.dumps(comments).encode(), url=f"{GRAPH}/{POST}/comments")

    assert summary(records) == [("account", AGUS), ("comment", "122110987654321_1029384756")]
    comment = records[1]
    assert isinstance(comment, ItemRecord)
    assert (comment.parent_id, comment.root_id, comment.author_id) == (POST, POST, AGUS)
    assert parse_bytes(b"[]") == []


def test_ndjson_of_instagram_media_objects_reads_each_line_as_one_object(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/graph_media.ndjson", "meta-graph-jsonl", options())

    assert summary(records) == [
        ("account", "relawan.malangmakmur"),
        ("post", IG_MEDIA),
        ("account", "warga_fiktif_12"),
        ("comment", "17858893269000001"),
        ("reply", "17858893269000002"),
        ("account", "relawan.malangmakmur"),
        ("post", "17912345678905678"),
        ("problem", "baris 3, byte ke-1074"),
    ]
    media, comment, reply = records[1], records[3], records[4]
    assert isinstance(media, ItemRecord)
    assert (media.platform, media.metrics, media.line) == (
        "instagram",
        (("comments", 2), ("likes", 320)),
        1,
    )
    assert isinstance(comment, ItemRecord)
    assert isinstance(reply, ItemRecord)
    assert (comment.parent_id, comment.root_id) == (IG_MEDIA, IG_MEDIA)
    assert (reply.parent_id, reply.root_id) == ("17858893269000001", IG_MEDIA)
    problem = records[7]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "baris ini bukan objek JSON ({...})"
