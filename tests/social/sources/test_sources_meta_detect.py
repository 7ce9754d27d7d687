"""Detection of Meta's formats from a file's head, and nothing of other sources' files.

What marks each format is taken from Meta's references: Graph times written
"2024-10-01T03:00:00+0000" and page ids joined "pageid_postid"
(https://developers.facebook.com/docs/graph-api/reference/post), cursor paging
(https://developers.facebook.com/docs/graph-api/results), errors with an fbtrace_id
(https://developers.facebook.com/docs/graph-api/guides/error-handling); the export files'
top-level keys (comments_v2, likes_media_likes, string_map_data…); the Content Library's
field names (https://developers.facebook.com/docs/content-library-and-api/appendix/data-dictionary)
and CrowdTangle's column names (https://help.crowdtangle.com/en/articles/1184978-crowdtangle-glossary).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.meta import MANIFEST, sniff
from netra.social.sources.records import Head
from netra.social.sources.registry import FORMATS, MANIFESTS

PAYLOADS = Path(__file__).parent / "payloads"
META_FORMATS = {spec.name for spec in MANIFEST.formats}


# A page whose first post is longer than the head; Graph writes created_time first.
LONG_LINE = b'{"data":[{"created_time":"2024-10-01T03:00:00+0000","message":"' + b"a" * 70_000


def head(data: bytes, suffix: str = ".json") -> Head:
    return Head(data=data, suffix=suffix, first_object=None, csv_header=None)


def test_the_manifest_registers_every_meta_format_once() -> None:
    assert [spec.name for spec in MANIFEST.formats] == [
        "meta-graph-json",
        "meta-graph-jsonl",
        "facebook-dyi-json",
        "instagram-dyi-json",
        "meta-content-library-csv",
        "crowdtangle-csv",
        "crowdtangle-api-json",
        "crowdtangle-api-jsonl",
    ]
    assert MANIFEST in MANIFESTS
    assert all(
        FORMATS[name].parse is spec.parse for name, spec in ((s.name, s) for s in MANIFEST.formats)
    )
    assert (MANIFEST.name, MANIFEST.platform, MANIFEST.sniff) == ("meta", "facebook", sniff)


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("graph_feed.json", "meta-graph-json"),
        ("graph_comments.json", "meta-graph-json"),
        ("graph_reactions.json", "meta-graph-json"),
        ("graph_error_deleted.json", "meta-graph-json"),
        ("graph_empty.json", "meta-graph-json"),
        ("graph_post_nested.json", "meta-graph-json"),
        ("ig_media.json", "meta-graph-json"),
        ("ig_comments.json", "meta-graph-json"),
        ("graph_pages.jsonl", "meta-graph-jsonl"),
        ("fb_your_posts_1.json", "facebook-dyi-json"),
        ("fb_comments.json", "facebook-dyi-json"),
        ("fb_likes_and_reactions_1.json", "facebook-dyi-json"),
        ("ig_posts_1.json", "instagram-dyi-json"),
        ("ig_post_comments_1.json", "instagram-dyi-json"),
        ("ig_liked_posts.json", "instagram-dyi-json"),
        ("content_library_facebook.csv", "meta-content-library-csv"),
        ("content_library_instagram.csv", "meta-content-library-csv"),
        ("crowdtangle_facebook.csv", "crowdtangle-csv"),
        ("crowdtangle_instagram.csv", "crowdtangle-csv"),
    ],
)
def test_each_meta_payload_is_detected_as_its_format(name: str, format_name: str) -> None:
    data = (PAYLOADS / "meta" / name).read_bytes()[:HEAD_BYTES]

    assert detect(data, name) == format_name


@pytest.mark.parametrize(
    ("data", "filename", "format_name"),
    [
        # A pretty-printed page cut by the head: its times are Graph's.
        (
            b'{\n  "data": [\n    {\n      "id": "1048_1221",\n'
            b'      "created_time": "2024-10-01T03:00:00+0000",\n',
            "feed.json",
            "meta-graph-json",
        ),
        # Reactions only: the uppercase reaction type tells.
        (
            b'{\n  "data": [\n    {\n      "id": "1000876",\n      "name": "Agus",\n'
            b'      "type": "LOVE"\n',
            "reaksi.json",
            "meta-graph-json",
        ),
        # A line longer than the head: JSON Lines unless the name says one document.
        (LONG_LINE, "halaman.jsonl", "meta-graph-jsonl"),
        (LONG_LINE, "halaman", "meta-graph-jsonl"),
        (LONG_LINE, "halaman.json", "meta-graph-json"),
        # A wrapped line is Graph's by the host of its request.
        (
            b'{"request": {"url": "https://graph.facebook.com/v21.0/1/likes"}, '
            b'"response": {"data": [{"id": "2", "name": "Agus"}]}}\n',
            "tangkapan.jsonl",
            "meta-graph-jsonl",
        ),
        (
            b'{"error":{"message":"(#4) Application request limit reached","type":'
            b'"OAuthException","code":4,"fbtrace_id":"A1b2"}}',
            "galat.json",
            "meta-graph-json",
        ),
        (b'{"data":[],"summary":{"total_count":0}}', "kosong.json", "meta-graph-json"),
        (b'\xef\xbb\xbf{"data":[]}', "kosong.jsonl", "meta-graph-jsonl"),
        # Export files, cut after their first entry.
        (
            b'{\n  "comments_v2": [\n    {\n      "timestamp": 1727751600,\n',
            "comments.json",
            "facebook-dyi-json",
        ),
        (
            b'[\n  {\n    "timestamp": 1727751600,\n    "data": [\n      {\n'
            b'        "reaction": {\n',
            "likes_and_reactions_1.json",
            "facebook-dyi-json",
        ),
        (
            b'[\n  {\n    "media": [\n      {\n        "uri": "media/posts/a.jpg",\n',
            "posts_1.json",
            "instagram-dyi-json",
        ),
        (
            b'{\n  "ig_archived_post_media": [\n    {\n      "media": [\n',
            "archived_posts.json",
            "instagram-dyi-json",
        ),
        (
            b"Account,User Name,Followers at Posting,Post Created,Type,Likes,URL\n",
            "ig.csv",
            "crowdtangle-csv",
        ),
        (
            b"id;creation_time;text;post_owner.id;post_owner.name\n",
            "mcl.csv",
            "meta-content-library-csv",
        ),
    ],
)
def test_heads_cut_short_are_still_detected(data: bytes, filename: str, format_name: str) -> None:
    assert detect(data, filename) == format_name


@pytest.mark.parametrize(
    ("data", "suffix"),
    [
        # X API v2 pages have "data" too, and no Graph mark.
        (b'{"data": [{"id": "1846000000000000001", "text": "halo"}], "meta": {}}', ".json"),
        (
            b'{\n  "data": [\n    {\n      "id": "1846",\n'
            b'      "created_at": "2024-10-01T03:00:00.000Z",\n',
            ".json",
        ),
        # Only Graph writes {"data":[]} compact; spaced, it may be anything.
        (b'{"data": []}', ".json"),
        (b'{"error": {"code": 403, "errors": [{"domain": "youtube.quota"}]}}', ".json"),
        (b"[]", ".json"),
        (b'[{"timestamp": 1727751600, "nama": "x"}]', ".json"),
        (b'{"comments": {"data": []}}', ".json"),
        (b"tanggal,akun,teks\n2024-10-01,@agus,halo\n", ".csv"),
        (b"Post Created,Judul\n", ".csv"),
        (b"window.YTD.tweets.part0 = []", ".js"),
    ],
)
def test_heads_of_other_shapes_are_not_claimed(data: bytes, suffix: str) -> None:
    stripped = data.lstrip()
    first = None
    if stripped.startswith(b"{") and b"\n" not in stripped.strip():
        try:
            value = json.loads(stripped)
        except ValueError:
            value = None
        first = value if isinstance(value, dict) else None
    csv_header = None
    if suffix == ".csv":
        csv_header = tuple(stripped.split(b"\n", 1)[0].decode().split(","))

    assert sniff(Head(data=data, suffix=suffix, first_object=first, csv_header=csv_header)) is None


def test_no_file_of_another_source_is_taken_for_a_meta_one() -> None:
    others = [
        path
        for path in sorted(PAYLOADS.rglob("*"))
        if path.is_file() and path.relative_to(PAYLOADS).parts[0] != "meta"
    ]

    detected: dict[str, str] = {}
    for path in others:
        try:
            detected[path.name] = detect(path.read_bytes()[:HEAD_BYTES], path.name)
        except ValueError:
            continue
    assert others
    assert {name: fmt for name, fmt in detected.items() if fmt in META_FORMATS} == {}


def test_sniff_alone_reads_a_list_head() -> None:
    assert sniff(head(b'[{"string_map_data": {"Comment": {"value": "x"}}}]')) == (
        "instagram-dyi-json"
    )
    assert sniff(head(b'[{"timestamp": 1727751600, "data": [{"post": "x"}]}]')) == (
        "facebook-dyi-json"
    )
    assert sniff(head(b'[{"timestamp": 1727751600, "data": []}]')) is None
