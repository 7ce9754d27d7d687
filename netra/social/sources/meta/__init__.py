"""Meta: Facebook and Instagram Graph API responses and Download Your Information exports.

Each record says its own platform (``facebook`` or ``instagram``); the manifest's platform
is the one most of its formats feed.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from netra.social.sources.meta import dyi, graph
from netra.social.sources.meta.common import FACEBOOK
from netra.social.sources.records import FormatSpec, Head, SourceManifest

_LINE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jl"})

# Marks only a Graph API response has. X API v2 pages also have "data", so "data" alone
# proves nothing: Graph writes times as "+0000" without a colon, joins post ids with "_",
# pages with "paging.cursors", errors with an "fbtrace_id", and escapes "/" in its URLs.
_GRAPH_MARKS = re.compile(
    r'"fbtrace_id"\s*:'
    r'|"paging"\s*:\s*\{\s*"(?:cursors|next|previous)"'
    r'|"(?:created_time|timestamp)"\s*:\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"'
    r'|"id"\s*:\s*"\d+_\d+"'
    r'|"type"\s*:\s*"(?:LIKE|LOVE|WOW|HAHA|SAD|ANGRY|CARE|THANKFUL|PRIDE)"'
    r"|https?:\\?/\\?/graph\.(?:facebook|instagram)\.com\\?/"
)
# An export file is one document whose first key, or first entry, tells which file it is.
_FACEBOOK_DYI_OBJECT = re.compile(
    r'\{\s*"(?:comments_v2|comments|reactions_v2|reactions)"\s*:\s*\['
)
_INSTAGRAM_DYI_OBJECT = re.compile(
    r'\{\s*"(?:likes_media_likes|comments_media_comments|comments_reels_comments'
    r'|ig_archived_post_media|ig_reels_media)"\s*:\s*\['
)
_FACEBOOK_DYI_LIST = re.compile(r'\[\s*\{\s*"timestamp"\s*:\s*\d+\s*,')
_FACEBOOK_DYI_ENTRY = re.compile(r'"(?:post|update_timestamp)"\s*:|"reaction"\s*:\s*\{')
_INSTAGRAM_DYI_LIST = re.compile(r'\[\s*\{\s*"(?:media|string_map_data|media_list_data|title)"\s*:')
_INSTAGRAM_DYI_ENTRY = re.compile(r'"media"\s*:\s*\[\s*\{\s*"uri"|"string_map_data"\s*:\s*\{')


def sniff(head: Head) -> str | None:
    """The Meta format of a file whose head is unmistakably one of them, else None."""
    data = head.data.lstrip()
    if data[:1] == b"[":
        return _sniff_list(data.decode("utf-8", "replace"))
    if data[:1] != b"{":
        return None
    text = data.decode("utf-8", "replace")
    if _FACEBOOK_DYI_OBJECT.match(text):
        return "facebook-dyi-json"
    if _INSTAGRAM_DYI_OBJECT.match(text):
        return "instagram-dyi-json"
    first = head.first_object
    if first is not None:
        if not graph.is_graph_response(first) or not (
            _GRAPH_MARKS.search(text) or graph.is_graph_host(_request_url(first))
        ):
            return None
        lines = len([line for line in data.split(b"\n") if line.strip()]) > 1
        return "meta-graph-jsonl" if lines or head.suffix in _LINE_SUFFIXES else "meta-graph-json"
    if not _GRAPH_MARKS.search(text):
        return None
    # No whole object on one line: a pretty-printed document, or a line longer than the head.
    one_line = b"\n" not in data.rstrip() and head.suffix != ".json"
    return "meta-graph-jsonl" if one_line or head.suffix in _LINE_SUFFIXES else "meta-graph-json"


def _request_url(value: dict[str, object]) -> str:
    request = value.get("request")
    url = request.get("url") if isinstance(request, dict) else None
    return url if isinstance(url, str) else ""


def _sniff_list(text: str) -> str | None:
    if _INSTAGRAM_DYI_LIST.match(text) and _INSTAGRAM_DYI_ENTRY.search(text):
        return "instagram-dyi-json"
    if _FACEBOOK_DYI_LIST.match(text) and _FACEBOOK_DYI_ENTRY.search(text):
        return "facebook-dyi-json"
    return None


MANIFEST = SourceManifest(
    name="meta",
    platform=FACEBOOK,
    formats=(
        FormatSpec(
            "meta-graph-json",
            _("satu respons JSON Meta Graph API (Facebook/Instagram)"),
            graph.parse_graph_json,
        ),
        FormatSpec(
            "meta-graph-jsonl",
            _("JSONL, satu respons Meta Graph API per baris (boleh dibungkus request/response)"),
            graph.parse_graph_jsonl,
        ),
        FormatSpec(
            "facebook-dyi-json",
            _("ekspor Facebook Download Your Information: kiriman, komentar, reaksi"),
            dyi.parse_facebook_dyi,
        ),
        FormatSpec(
            "instagram-dyi-json",
            _("ekspor Instagram Download Your Information: kiriman, komentar, suka"),
            dyi.parse_instagram_dyi,
        ),
    ),
    sniff=sniff,
)
