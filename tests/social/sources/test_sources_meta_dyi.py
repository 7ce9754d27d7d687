"""Facebook and Instagram "Download Your Information" JSON exports, and Meta's mojibake.

The files' shapes are those Meta documents for the download
(https://www.facebook.com/help/212802592074644, https://help.instagram.com/181231772500920)
as people's parsers read them: your_posts_1.json, comments.json (comments_v2) and
likes_and_reactions_1.json (github.com/NorseKode/Waultar-App,
documents/parser/content_examples.md); Instagram posts_1.json (media: uri,
creation_timestamp, title), archived_posts.json (ig_archived_post_media),
post_comments_1.json and reels_comments.json (string_map_data: Comment, Media Owner, Time),
liked_posts.json (likes_media_likes: title, string_list_data: href, value, timestamp).
Text in these files is UTF-8 written out byte by byte as Latin-1 code points.
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
from netra.social.sources.meta import accounts_center
from netra.social.sources.meta.common import derived_id, fix_mojibake
from netra.social.sources.meta.dyi import parse_facebook_dyi, parse_instagram_dyi
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

BAMBANG = "100087650003333"
OWNER = "asn_contoh"
SEEN = datetime(2024, 10, 9, 2, 0, tzinfo=UTC)
FACEBOOK_OWNER = ParseOptions(collected_at=SEEN, owner_id=BAMBANG)
INSTAGRAM_OWNER = ParseOptions(collected_at=SEEN, owner_handle=OWNER)
T = datetime(2024, 10, 1, 3, 0, tzinfo=UTC)  # 1727751600


def payload(name: str) -> Any:
    return json.loads((META / name).read_bytes())


def mangled(text: str) -> str:
    """Text as Meta's exports write it: each UTF-8 byte as one Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def _about(record: InteractionRecord) -> str:
    return record.reaction_type or record.target_account_handle


def summary(records: list[Parsed]) -> list[tuple[str, str]]:
    return records_view.summary(records, _about)


without_raw = records_view.without_raw


# --- the mojibake repair -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "café Kepanjen",
        "emoji 🎉 and 👍🏽",  # four bytes each, four escapes in the file
        "ꦩꦭꦁ ꦩꦏ꧀ꦩꦸꦂ",  # Javanese script, three bytes a letter
        "بسم الله",
        "— and “quotes”",
    ],
)
def test_mangled_export_text_is_repaired(text: str) -> None:
    assert fix_mojibake(mangled(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII",
        "café",  # real Latin-1 text: its bytes are not UTF-8, so it stays
        "Salam 🙏 ꦱꦸꦒꦼꦁ",  # already right: beyond U+00FF, so no Latin-1 to undo
        "Ã alone",  # "Ã" then a space is no UTF-8 sequence
    ],
)
def test_text_that_was_never_mangled_is_left_alone(text: str) -> None:
    assert fix_mojibake(text) == text


def test_a_derived_id_is_stable_and_changes_with_any_part() -> None:
    first = derived_id("dyi", "facebook", "post", BAMBANG, 1727751600, "Halo")

    assert first == derived_id("dyi", "facebook", "post", BAMBANG, 1727751600, "Halo")
    assert first.startswith("dyi:")
    assert len(first) == len("dyi:") + 24
    assert first != derived_id("dyi", "facebook", "post", "", 1727751600, "Halo")
    assert first != derived_id("dyi", "facebook", "comment", BAMBANG, 1727751600, "Halo")
    assert first != derived_id("dyi", "facebook", "post", BAMBANG, 1727751601, "Halo")


# --- Facebook ----------------------------------------------------------------------------------


def test_facebook_posts_are_the_owners_with_repaired_text_and_derived_ids(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/fb_your_posts_1.json", "facebook-dyi-json", FACEBOOK_OWNER)

    assert summary(records) == [
        ("account", BAMBANG),
        ("post", "dyi:6cda599d8afd6b04a3d940bf"),
        ("post", "dyi:e97fb46e54862970310b3745"),
        ("post", "dyi:e5f4abbdbb2ac2cb1445fa4f"),
        ("post", "dyi:75b63bd2a9ea18aa45564215"),
        ("problem", "$[4]"),
    ]
    assert records[0] == AccountRecord(
        platform="facebook",
        platform_id=BAMBANG,
        handle="",
        url=f"https://www.facebook.com/{BAMBANG}",
        seen_at=SEEN,
    )
    status = records[1]
    assert without_raw(status) == ItemRecord(
        platform="facebook",
        platform_id="dyi:6cda599d8afd6b04a3d940bf",
        kind=ItemKind.POST,
        author_id=BAMBANG,
        author_handle="",
        created_at=T,
        text="Hadir di kampanye Pak Hendra 🎉 ꦩꦭꦁ — ngopi di café Kepanjen",
        root_id="dyi:6cda599d8afd6b04a3d940bf",
        collected_at=SEEN,
    )
    # raw keeps the entry as the file has it, mojibake and all.
    assert isinstance(status, ItemRecord)
    assert json.loads(status.raw) == payload("fb_your_posts_1.json")[0]
    problem = records[5]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'timestamp' tidak ada"


def test_facebook_attachments_give_media_links_and_the_photo_caption_as_text(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/fb_your_posts_1.json", "facebook-dyi-json", FACEBOOK_OWNER)
    photo, link, video = records[2], records[3], records[4]

    assert isinstance(photo, ItemRecord)
    assert (photo.text, photo.media, photo.created_at) == (
        "Foto bersama relawan 📸",
        (Media("photo", "your_facebook_activity/posts/media/Kepanjen_abc123/461234567_n.jpg"),),
        datetime(2024, 10, 1, 4, 0, tzinfo=UTC),
    )
    assert isinstance(link, ItemRecord)
    assert (link.text, link.media) == (
        "Simak debatnya! بسم الله",
        (Media("link", "https://kabarmalang.example/berita/debat-cabup"),),
    )
    assert isinstance(video, ItemRecord)
    assert (video.text, video.media) == (
        "",
        (Media("video", "your_facebook_activity/posts/media/videos/1199405_n.mp4"),),
    )


def test_without_an_owner_the_posts_have_no_author_and_other_ids(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/fb_your_posts_1.json", "facebook-dyi-json")

    items = [r for r in records if isinstance(r, ItemRecord)]
    assert [r for r in records if isinstance(r, AccountRecord)] == []
    assert {(r.author_id, r.author_handle) for r in items} == {("", "")}
    assert items[0].platform_id == derived_id(
        "dyi", "facebook", "post", "", 1727751600, items[0].text, ""
    )
    assert items[0].platform_id != "dyi:6cda599d8afd6b04a3d940bf"


def test_facebook_comments_name_the_owner_once_with_the_name_the_file_shows(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/fb_comments.json", "facebook-dyi-json", FACEBOOK_OWNER)

    assert summary(records) == [
        ("account", BAMBANG),
        ("comment", "dyi:b380106856664bfd8679c5a1"),
        ("comment", "dyi:5900da6dc4ff624bcbcc11e3"),
        ("problem", "$.comments_v2[2]"),
    ]
    owner = records[0]
    assert isinstance(owner, AccountRecord)
    assert owner.display_name == "Bambang Priyono"
    assert without_raw(records[1]) == ItemRecord(
        platform="facebook",
        platform_id="dyi:b380106856664bfd8679c5a1",
        kind=ItemKind.COMMENT,
        author_id=BAMBANG,
        author_handle="",
        created_at=datetime(2024, 10, 1, 3, 10, tzinfo=UTC),
        text="Setuju sekali 👍 ꦱꦸꦥꦺꦴꦂꦠ꧀",
        collected_at=SEEN,
    )
    gif = records[2]
    assert isinstance(gif, ItemRecord)
    assert (gif.text, gif.media) == (
        "",
        (Media("link", "https://media.tenor.example/images/jempol.gif"),),
    )
    problem = records[3]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "entri tanpa 'comment'"


def test_facebook_reactions_are_the_owners_with_their_type_and_time_but_no_target(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        "meta/fb_likes_and_reactions_1.json", "facebook-dyi-json", FACEBOOK_OWNER
    )

    assert summary(records) == [
        ("account", BAMBANG),
        ("reaction", "like"),
        ("reaction", "love"),
        ("problem", "$[2]"),
    ]
    assert records[1] == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id=BAMBANG,
        reaction_type="like",
        occurred_at=datetime(2024, 10, 1, 3, 1, tzinfo=UTC),
        observed_at=SEEN,
    )
    problem = records[3]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'reaction' kosong"


def test_older_facebook_exports_wrap_reactions_in_reactions_v2() -> None:
    body = json.dumps(
        {
            "reactions_v2": [
                {
                    "timestamp": 1727751600,
                    "data": [{"reaction": {"reaction": "HAHA", "actor": "Bambang Priyono"}}],
                    "title": "Bambang Priyono reacted to Agus Setiyono's post.",
                }
            ]
        }
    ).encode()

    records = list(parse_facebook_dyi(io.BytesIO(body), ParseOptions(owner_id=BAMBANG)))

    assert records[1:] == [
        InteractionRecord(
            platform="facebook",
            kind=InteractionKind.REACTION,
            actor_id=BAMBANG,
            reaction_type="haha",
            occurred_at=T,
        )
    ]


# --- Instagram ---------------------------------------------------------------------------------


def test_instagram_posts_single_and_carousel_with_repaired_captions(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/ig_posts_1.json", "instagram-dyi-json", INSTAGRAM_OWNER)

    assert summary(records) == [
        ("account", OWNER),
        ("post", "dyi:0d0d3e5294aba9007b682f68"),
        ("post", "dyi:55dc6dd003a6c15a9754688e"),
        ("problem", "$[2]"),
    ]
    assert records[0] == AccountRecord(
        platform="instagram",
        platform_id="",
        handle=OWNER,
        url="https://www.instagram.com/asn_contoh",
        seen_at=SEEN,
    )
    assert without_raw(records[1]) == ItemRecord(
        platform="instagram",
        platform_id="dyi:0d0d3e5294aba9007b682f68",
        kind=ItemKind.POST,
        author_id="",
        author_handle=OWNER,
        created_at=datetime(2024, 10, 2, 2, 15, tzinfo=UTC),
        text="Blusukan ke Pasar Gondanglegi 🛒 #MalangMakmur",
        root_id="dyi:0d0d3e5294aba9007b682f68",
        media=(Media("photo", "media/posts/202410/461234_17912345678901234.jpg"),),
        collected_at=SEEN,
    )
    carousel = records[2]
    # Several files: the caption and time are the post's own, not the files'.
    assert isinstance(carousel, ItemRecord)
    assert (carousel.text, carousel.created_at, carousel.media) == (
        "Dokumentasi ꦏꦩ꧀ꦥꦚꦼ Kepanjen — إن شاء الله",
        datetime(2024, 10, 2, 4, 0, tzinfo=UTC),
        (
            Media("photo", "media/posts/202410/carousel_1.jpg"),
            Media("video", "media/posts/202410/carousel_2.mp4"),
        ),
    )
    problem = records[3]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "kolom 'media' kosong"


def test_an_archived_instagram_post_is_withheld_from_the_profile() -> None:
    body = json.dumps(
        {
            "ig_archived_post_media": [
                {
                    "media": [
                        {
                            "uri": "media/archived_posts/202410/arsip_1.jpg",
                            "creation_timestamp": 1727751600,
                            "title": mangled("Foto lama 🙈"),
                        }
                    ]
                }
            ]
        }
    ).encode()

    [item] = parse_instagram_dyi(io.BytesIO(body), ParseOptions())

    assert isinstance(item, ItemRecord)
    assert (item.text, item.created_at, item.withheld, item.reason) == (
        "Foto lama 🙈",
        T,
        True,
        "diarsipkan pemilik akun, tidak tampil di profil",
    )


def test_instagram_comments_name_the_media_owner_as_the_account_commented_on(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/ig_post_comments_1.json", "instagram-dyi-json", INSTAGRAM_OWNER)

    assert summary(records) == [
        ("account", OWNER),
        ("comment", "dyi:44eb045629b74cdad9d949e9"),
        ("comment", "relawan.malangmakmur"),
        ("comment", "dyi:56ef0152875d0542f971718e"),
        ("comment", "hendra.kusuma.fiktif"),
        ("problem", "$[2]"),
    ]
    comment = records[1]
    assert without_raw(comment) == ItemRecord(
        platform="instagram",
        platform_id="dyi:44eb045629b74cdad9d949e9",
        kind=ItemKind.COMMENT,
        author_id="",
        author_handle=OWNER,
        created_at=datetime(2024, 10, 2, 2, 36, 40, tzinfo=UTC),
        text="Mantap pak 🔥",
        collected_at=SEEN,
    )
    assert records[2] == InteractionRecord(
        platform="instagram",
        kind=InteractionKind.COMMENT,
        actor_handle=OWNER,
        actor_id="",
        target_account_handle="relawan.malangmakmur",
        via_item_id="dyi:44eb045629b74cdad9d949e9",
        occurred_at=datetime(2024, 10, 2, 2, 36, 40, tzinfo=UTC),
        observed_at=SEEN,
    )
    arabic = records[3]
    assert isinstance(arabic, ItemRecord)
    assert arabic.text == "السلام عليكم، sukses terus"
    problem = records[5]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "komentar tanpa waktu ('Time')"


def test_reels_comments_are_wrapped_and_a_translated_time_label_still_dates_them() -> None:
    body = json.dumps(
        {
            "comments_reels_comments": [
                {
                    "string_map_data": {
                        "Comment": {"value": mangled("Keren 👏")},
                        "Media Owner": {"value": "relawan.malangmakmur"},
                        "Tijd": {"timestamp": 1727751600},
                    }
                }
            ]
        }
    ).encode()

    records = list(parse_instagram_dyi(io.BytesIO(body), INSTAGRAM_OWNER))

    assert [(type(r).__name__, getattr(r, "text", None)) for r in records] == [
        ("AccountRecord", None),
        ("ItemRecord", "Keren 👏"),
        ("InteractionRecord", None),
    ]
    item = records[1]
    assert isinstance(item, ItemRecord)
    assert item.created_at == T


def test_instagram_likes_name_the_post_by_its_shortcode_and_its_owner(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload("meta/ig_liked_posts.json", "instagram-dyi-json", INSTAGRAM_OWNER)

    assert records[1:] == [
        InteractionRecord(
            platform="instagram",
            kind=InteractionKind.LIKE,
            actor_id="",
            actor_handle=OWNER,
            target_item_id="DAbCdEfGhIj",
            target_account_handle="relawan.malangmakmur",
            occurred_at=datetime(2024, 10, 2, 2, 20, tzinfo=UTC),
            observed_at=SEEN,
        ),
        InteractionRecord(
            platform="instagram",
            kind=InteractionKind.LIKE,
            actor_id="",
            actor_handle=OWNER,
            target_item_id="DAzYxWvUtSr",
            target_account_handle="hendra.kusuma.fiktif",
            occurred_at=datetime(2024, 10, 2, 2, 21, 40, tzinfo=UTC),
            observed_at=SEEN,
        ),
        ParseProblem(
            reason="suka tanpa tautan kiriman Instagram: ''",
            path="$.likes_media_likes[2]",
            raw=records[3].raw if isinstance(records[3], ParseProblem) else b"",
        ),
    ]
    problem = records[3]
    assert isinstance(problem, ParseProblem)
    assert json.loads(problem.raw) == payload("ig_liked_posts.json")["likes_media_likes"][2]


def test_a_like_whose_owner_is_in_value_instead_of_title_is_read_too() -> None:
    body = json.dumps(
        {
            "likes_media_likes": [
                {
                    "title": "",
                    "string_list_data": [
                        {
                            "href": "https://www.instagram.com/p/DAbCdEfGhIj/",
                            "value": "relawan.malangmakmur",
                            "timestamp": 1727751600,
                        }
                    ],
                }
            ]
        }
    ).encode()

    _owner, like = parse_instagram_dyi(io.BytesIO(body), INSTAGRAM_OWNER)

    assert isinstance(like, InteractionRecord)
    assert (like.target_item_id, like.target_account_handle) == (
        "DAbCdEfGhIj",
        "relawan.malangmakmur",
    )


@pytest.mark.parametrize(
    ("parse", "body", "message"),
    [
        (
            parse_facebook_dyi,
            b'{"likes_media_likes": []}',
            "berkas ini bukan ekspor JSON Facebook (Download Your Information) yang dikenal "
            "(isinya: objek dengan kunci likes_media_likes); yang didukung: your_posts_1.json, "
            "comments.json, likes_and_reactions_1.json, likes_and_reactions.json, "
            "posts_on_other_pages_and_profiles.json",
        ),
        (
            parse_instagram_dyi,
            b'{"comments_v2": []}',
            "berkas ini bukan ekspor JSON Instagram (Download Your Information) yang dikenal "
            "(isinya: objek dengan kunci comments_v2); yang didukung: posts_1.json, "
            "archived_posts.json, reels.json, post_comments_1.json, reels_comments.json, "
            "liked_posts.json, saved_posts.json",
        ),
        (
            parse_instagram_dyi,
            b'{"likes_comment_likes": []}',
            "berkas ini bukan ekspor JSON Instagram (Download Your Information) yang dikenal "
            "(isinya: objek dengan kunci likes_comment_likes); yang didukung: posts_1.json, "
            "archived_posts.json, reels.json, post_comments_1.json, reels_comments.json, "
            "liked_posts.json, saved_posts.json",
        ),
    ],
)
def test_an_export_file_of_another_kind_is_one_problem_naming_the_files_read(
    parse: Callable[..., Any], body: bytes, message: str
) -> None:
    assert list(parse(io.BytesIO(body), ParseOptions())) == [
        ParseProblem(reason=message, path="$", raw=body)
    ]


def test_an_empty_export_list_yields_nothing_and_a_truncated_one_is_one_problem() -> None:
    assert list(parse_facebook_dyi(io.BytesIO(b"[]"), ParseOptions())) == []

    [problem] = parse_instagram_dyi(io.BytesIO(b'[{"media": [{"uri": "a.jpg"'), ParseOptions())

    assert isinstance(problem, ParseProblem)
    assert (problem.reason, problem.offset) == (
        "JSON tidak sah: tanda koma diharapkan (karakter ke-28)",
        27,
    )


def test_an_entry_of_an_unforeseen_shape_is_quarantined_and_the_file_goes_on() -> None:
    body = json.dumps(
        [
            "bukan objek",
            {"timestamp": "kemarin", "data": [{"post": "waktu rusak"}]},
            {"timestamp": 1727751600, "data": [{"post": "Tetap terbaca"}]},
        ]
    ).encode()

    records = list(parse_facebook_dyi(io.BytesIO(body), ParseOptions()))

    assert [(r.path, r.reason) for r in records if isinstance(r, ParseProblem)] == [
        ("$[0]", "entri ini bukan objek JSON"),
        ("$[1]", "waktu 'kemarin' di kolom 'timestamp' tidak terbaca"),
    ]
    assert [r.text for r in records if isinstance(r, ItemRecord)] == ["Tetap terbaca"]


def test_without_an_owner_likes_and_reactions_are_problems_and_comments_lose_no_text(
    parse_payload: ParseFile,
) -> None:
    reactions = parse_payload("meta/fb_likes_and_reactions_1.json", "facebook-dyi-json")
    likes = parse_payload("meta/ig_liked_posts.json", "instagram-dyi-json")
    comments = parse_payload("meta/ig_post_comments_1.json", "instagram-dyi-json")

    reason = (
        "pemilik ekspor tidak disebut (owner_id atau owner_handle), jadi %s ini tanpa "
        "pelaku; impor ulang dengan menyebut pemiliknya"
    )
    assert [(r.path, r.reason) for r in reactions if isinstance(r, ParseProblem)] == [
        ("$[0]", reason % "reaksi"),
        ("$[1]", reason % "reaksi"),
        ("$[2]", reason % "reaksi"),
    ]
    assert [r for r in reactions if not isinstance(r, ParseProblem)] == []
    assert [(r.path, r.reason) for r in likes if isinstance(r, ParseProblem)] == [
        ("$.likes_media_likes[0]", reason % "suka"),
        ("$.likes_media_likes[1]", reason % "suka"),
        ("$.likes_media_likes[2]", reason % "suka"),
    ]
    # A comment is kept, without author; only its link to the post's owner needs an actor.
    assert [(type(r).__name__, getattr(r, "text", "")) for r in comments] == [
        ("ItemRecord", "Mantap pak 🔥"),
        ("ItemRecord", "السلام عليكم، sukses terus"),
        ("ParseProblem", ""),
    ]


# --- the Accounts Center shape (2024 onward) ---------------------------------------------------
#
# accounts_center/ holds files as Meta's Accounts Center export writes them since 2024: a bare
# array of {timestamp, media, label_values, fbid}, text as Latin-1 mojibake of UTF-8.
# saved_posts.json follows the shape people's parsers met in real exports (label_values URL,
# Caption, Title, Hashtags as an empty dict, Owner as a dict of one untitled dict of URL,
# Name, Username); liked_posts.json the same URL and Owner fields; likes_and_reactions.json
# Facebook's newer layout (Reaction, URL, Name); posts_on_other_pages_and_profiles.json
# Facebook's (Message, Target, the entry's media); post_comments_1.json Instagram's comments
# in the same shape (Comment, Media Owner), beside the older string_map_data file above.

AC = "accounts_center"


def ac_options(name: str, **owner: str) -> ParseOptions:
    return ParseOptions(collected_at=SEEN, file_name=name, **owner)


def test_liked_posts_are_likes_of_each_post_with_its_owner_as_an_account(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/liked_posts.json",
        "instagram-dyi-json",
        ac_options("liked_posts.json", owner_handle=OWNER),
    )

    assert summary(records) == [
        ("account", OWNER),
        ("account", "relawan.malangmakmur"),
        ("like", "relawan.malangmakmur"),
        ("account", "sitiaminah_fiktif"),
        ("like", "sitiaminah_fiktif"),
        ("problem", "$[2]"),
    ]
    siti, like = records[3], records[4]
    # "\u00e2\u0080\u0099" in the file is a right quote again, the flower its emoji.
    assert siti == AccountRecord(
        platform="instagram",
        platform_id="",
        handle="sitiaminah_fiktif",
        display_name="Siti Aminah ’Ami’ 🌺",
        url="https://www.instagram.com/sitiaminah_fiktif",
        seen_at=SEEN,
    )
    assert like == InteractionRecord(
        platform="instagram",
        kind=InteractionKind.LIKE,
        actor_id="",
        actor_handle=OWNER,
        target_item_id="DAzYxWvUtSr",
        target_account_handle="sitiaminah_fiktif",
        occurred_at=datetime(2024, 10, 2, 3, 0, tzinfo=UTC),
        observed_at=SEEN,
    )
    problem = records[5]
    assert isinstance(problem, ParseProblem)
    assert problem.reason == "suka tanpa tautan kiriman (label URL)"
    assert json.loads(problem.raw) == payload(f"{AC}/liked_posts.json")[2]


def test_liked_posts_without_the_owner_named_are_problems_saying_so(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/liked_posts.json", "instagram-dyi-json", ac_options("liked_posts.json")
    )

    assert {r.reason for r in records if isinstance(r, ParseProblem)} == {
        "pemilik ekspor tidak disebut (owner_id atau owner_handle), jadi suka ini tanpa "
        "pelaku; impor ulang dengan menyebut pemiliknya"
    }
    assert len(records) == 3


def test_saved_posts_are_the_posts_with_caption_and_owner_as_seen_when_saved(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/saved_posts.json", "instagram-dyi-json", ac_options("saved_posts.json")
    )

    assert summary(records) == [
        ("account", "sitiaminah_fiktif"),
        ("post", "DAzYxWvUtSr"),
        ("account", "warga_fiktif_12"),
        ("post", "DAcWargaFkt"),
    ]
    reel, post = records[1], records[3]
    assert without_raw(reel) == ItemRecord(
        platform="instagram",
        platform_id="DAzYxWvUtSr",
        kind=ItemKind.POST,
        author_id="",
        author_handle="sitiaminah_fiktif",
        created_at=None,
        text="Sugeng rawuh Pak Hendra 🎬 — jangan lupa datang ya’",
        root_id="DAzYxWvUtSr",
        permalink="https://www.instagram.com/reel/DAzYxWvUtSr/",
        collected_at=datetime(2024, 10, 4, 3, 0, tzinfo=UTC),
    )
    assert isinstance(post, ItemRecord)
    assert (post.text, post.author_handle) == ("", "warga_fiktif_12")
    assert isinstance(reel, ItemRecord)
    assert json.loads(reel.raw) == payload(f"{AC}/saved_posts.json")[0]


def test_the_file_name_tells_a_liked_post_from_a_saved_one_or_the_entry_says_why_not(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/saved_posts.json", "instagram-dyi-json", ac_options("unduhan.json")
    )

    assert summary(records) == [("problem", "$[0]"), ("problem", "$[1]")]
    assert isinstance(records[0], ParseProblem)
    assert records[0].reason == (
        "entri ini menunjuk kiriman https://www.instagram.com/reel/DAzYxWvUtSr/, tetapi nama "
        "berkas 'unduhan.json' tidak mengatakan apakah kiriman itu disukai atau disimpan; muat "
        "berkas dengan nama aslinya dari ekspor (liked_posts.json atau saved_posts.json)"
    )


def test_labelled_comments_name_the_media_owner_and_keep_the_older_shapes_ids(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/post_comments_1.json",
        "instagram-dyi-json",
        ac_options("post_comments_1.json", owner_handle=OWNER),
    )
    text, owner = "Semangat terus, Pak! 💪", "relawan.malangmakmur"
    older = json.dumps(
        [
            {
                "media": [],
                "string_map_data": {
                    "Comment": {"value": mangled(text)},
                    "Media Owner": {"value": "relawan.malangmakmur"},
                    "Time": {"timestamp": 1727758800},
                },
            }
        ]
    ).encode()

    assert summary(records) == [
        ("account", OWNER),
        ("comment", derived_id("dyi", "instagram", "comment", OWNER, 1727758800, text, owner)),
        ("comment", "relawan.malangmakmur"),
        ("problem", "$[1]"),
    ]
    comment = records[1]
    assert isinstance(comment, ItemRecord)
    assert (comment.text, comment.created_at, comment.author_handle) == (
        text,
        datetime(2024, 10, 1, 5, 0, tzinfo=UTC),
        OWNER,
    )
    [_owner, same, _commented] = parse_instagram_dyi(io.BytesIO(older), INSTAGRAM_OWNER)
    assert isinstance(same, ItemRecord)
    assert same.platform_id == comment.platform_id
    assert isinstance(records[3], ParseProblem)
    assert records[3].reason == "komentar tanpa waktu ('timestamp')"


def test_facebook_reactions_in_the_newer_layout_name_the_post_they_react_to(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/likes_and_reactions.json",
        "facebook-dyi-json",
        ac_options("likes_and_reactions.json", owner_id=BAMBANG),
    )

    assert summary(records) == [
        ("account", BAMBANG),
        ("reaction", "like"),
        ("reaction", "love"),
        ("problem", "$[2]"),
    ]
    assert records[1] == InteractionRecord(
        platform="facebook",
        kind=InteractionKind.REACTION,
        actor_id=BAMBANG,
        target_item_id="104857362918475_122110987654321",
        reaction_type="like",
        occurred_at=datetime(2024, 10, 1, 6, 0, tzinfo=UTC),
        observed_at=SEEN,
    )
    love = records[2]
    assert isinstance(love, InteractionRecord)
    assert love.target_item_id == "555000222"
    assert isinstance(records[3], ParseProblem)
    assert records[3].reason == "reaksi tanpa jenisnya (label Reaction)"


def test_facebook_posts_on_other_pages_are_the_owners_posts_with_repaired_text(
    parse_payload: ParseFile,
) -> None:
    records = parse_payload(
        f"meta/{AC}/posts_on_other_pages_and_profiles.json",
        "facebook-dyi-json",
        ac_options("posts_on_other_pages_and_profiles.json", owner_id=BAMBANG),
    )

    text = "Selamat ulang tahun, Mbak Sulastri! 🎂 Semoga sehat selalu ’"
    photo = "your_facebook_activity/posts/media/YourPosts_1029/461234_ultah_n.jpg"
    at = datetime(2024, 10, 1, 9, 0, tzinfo=UTC)
    post_id = derived_id("dyi", "facebook", "post", BAMBANG, int(at.timestamp()), text, "", photo)
    assert summary(records) == [("account", BAMBANG), ("post", post_id), ("problem", "$[1]")]
    assert without_raw(records[1]) == ItemRecord(
        platform="facebook",
        platform_id=post_id,
        kind=ItemKind.POST,
        author_id=BAMBANG,
        author_handle="",
        created_at=at,
        text=text,
        root_id=post_id,
        media=(Media("photo", photo),),
        collected_at=SEEN,
    )
    assert isinstance(records[2], ParseProblem)
    assert records[2].reason == (
        "entri tanpa isi yang dikenal (Message, Caption atau media); labelnya: target"
    )


def test_an_accounts_center_list_wrapped_under_one_key_is_read_too() -> None:
    entries = payload(f"{AC}/saved_posts.json")
    body = json.dumps({"saved_saved_media": entries}).encode()

    records = list(parse_instagram_dyi(io.BytesIO(body), ac_options("saved_posts.json")))

    assert summary(records)[1] == ("post", "DAzYxWvUtSr")
    assert isinstance(records[1], ItemRecord)
    assert records[1].text.startswith("Sugeng rawuh")


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("liked_posts.json", "likes"),
        ("saved_posts.json", "saved"),
        ("post_comments_1.json", "comments"),
        ("reels_comments.json", "comments"),
        ("likes_and_reactions.json", "reactions"),
        ("likes_and_reactions_1.json", "reactions"),
        ("posts_on_other_pages_and_profiles.json", "posts"),
        ("your_posts__check_ins__photos_and_videos_1.json", "posts"),
        ("2024-10-09 liked_posts.json", "likes"),
        ("archived_posts.json", "archived"),
        ("ekspor.json", ""),
        ("", ""),
    ],
)
def test_the_file_name_says_which_part_of_the_export_it_is(name: str, part: str) -> None:
    assert accounts_center.file_part(name) == part


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("liked_posts.json", "instagram-dyi-json"),
        ("saved_posts.json", "instagram-dyi-json"),
        ("post_comments_1.json", "instagram-dyi-json"),
        ("likes_and_reactions.json", "facebook-dyi-json"),
        ("posts_on_other_pages_and_profiles.json", "facebook-dyi-json"),
    ],
)
def test_each_accounts_center_file_is_recognised_by_its_platform(name: str, expected: str) -> None:
    assert detect((META / AC / name).read_bytes()[:HEAD_BYTES], name) == expected


def test_an_accounts_center_file_naming_no_platform_is_refused_saying_how_to_load_it() -> None:
    body = (
        b'[{"timestamp": 1727751600, "media": [], "label_values": [{"label": "X", "value": "y"}]}]'
    )

    with pytest.raises(UnrecognisedFormat) as raised:
        detect(body, "entri.json")

    assert (
        "Yang terbaca: ekspor Meta Accounts Center (label_values) yang tidak menyebut "
        "Instagram atau Facebook; muat dengan --format instagram-dyi-json atau "
        "facebook-dyi-json."
    ) in str(raised.value)
