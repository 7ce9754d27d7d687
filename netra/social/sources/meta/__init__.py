"""Meta: Facebook and Instagram from the Graph API, exports and research tools.

``graph`` reads Graph API responses, ``dyi`` the "Download Your Information" JSON files,
``exports`` the CSV downloads of Meta Content Library and CrowdTangle, ``crowdtangle``
the CrowdTangle API's responses, ``instagram_capture``
and ``threads_capture`` browser captures of Instagram and Threads. Each record says its
own platform (``facebook``, ``instagram`` or ``threads``); the manifest's platform is the
one most of its formats feed. This folder is the home of all three.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from netra.social.sources.meta import (
    crowdtangle,
    dyi,
    exports,
    graph,
    instagram_capture,
    links,
    threads_capture,
)
from netra.social.sources.meta.common import FACEBOOK, INSTAGRAM, THREADS
from netra.social.sources.records import (
    LINE_SUFFIXES,
    FormatSpec,
    Head,
    PlatformSpec,
    Shape,
    SourceManifest,
    Unsupported,
)
from netra.social.sources.tables import header_key

# Marks only a Graph API response has. X API v2 pages also have "data", so "data" alone
# proves nothing: Graph writes times as "+0000" without a colon, pages with
# "paging.cursors", errors with an "fbtrace_id", reactions by upper-case type, and its own
# host in paging URLs (with "/" escaped as "\/").
_GRAPH_MARKS = re.compile(
    r'"fbtrace_id"\s*:'
    r'|"paging"\s*:\s*\{\s*"(?:cursors|next|previous)"'
    r'|"(?:created_time|timestamp)"\s*:\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"'
    r'|"type"\s*:\s*"(?:LIKE|LOVE|WOW|HAHA|SAD|ANGRY|CARE|THANKFUL|PRIDE)"'
    r"|https?:\\?/\\?/graph\.(?:facebook|instagram)\.com\\?/"
)
# Accounts Center exports (2024 onward): entries of "label_values", in a bare array or
# under one key; which platform's, their URLs and media paths say.
_LABEL_VALUES = re.compile(r'"label_values"\s*:\s*\[')
_WRAPPED_LIST = re.compile(r'\{\s*"[A-Za-z0-9_]{1,64}"\s*:\s*\[\s*\{')
_ACCOUNTS_CENTER_PLATFORM = re.compile(
    r'(?P<instagram>your_instagram_activity/|instagram\.com\\?/|"label"\s*:\s*"Media Owner")'
    r"|(?P<facebook>your_facebook_activity/|facebook\.com\\?/)"
)
# A JSON array whose first entry is an object.
_OBJECT_LIST = re.compile(r"\[\s*\{")
# An empty edge as Graph writes it, compact; nothing else writes exactly this.
_GRAPH_EMPTY = re.compile(rb'\{"data":\[\](?:,"summary":\{[^{}]*\})?\}\s*')
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

# Marks of a CrowdTangle API post (its statistics) or page (its own host in nextPage).
_CROWDTANGLE_MARKS = re.compile(
    r'"statistics"\s*:\s*\{\s*"(?:actual|expected)"\s*:'
    r'|"(?:nextPage|previousPage)"\s*:\s*"https?:\\?/\\?/api\.crowdtangle\.com\\?/'
)
# CrowdTangle responses that hold no posts.
_CROWDTANGLE_OTHER = re.compile(r'"result"\s*:\s*\{\s*"(?P<key>accountStatistics|lists|accounts)"')

# Keys and columns the files of each format are known by, for the nearest formats to an
# unknown file (detect.nearest_formats).
_GRAPH_KEYS = frozenset(
    {"data", "paging", "cursors", "summary", "error", "fbtrace_id", "created_time"}
    | {"message", "from", "reactions", "request", "response"}
)
_FACEBOOK_DYI_KEYS = frozenset(
    {"comments_v2", "reactions_v2", "timestamp", "data", "title", "attachments", "post"}
)
_INSTAGRAM_DYI_KEYS = frozenset(
    {"likes_media_likes", "comments_media_comments", "string_map_data", "media_list_data"}
    | {"media", "uri", "creation_timestamp", "title"}
)
_CROWDTANGLE_API_KEYS = frozenset(
    {"status", "result", "posts", "pagination", "nextPage", "platformId", "account"}
    | {"statistics", "actual", "expected", "expandedLinks", "postUrl", "subscriberCount"}
)
_CONTENT_LIBRARY_COLUMNS = frozenset(
    {*exports.CONTENT_LIBRARY_REQUIRED, "text", "link", "statistics_reaction_count"}
    | {"statistics_like_count", "statistics_comment_count", "statistics_share_count"}
)
_CROWDTANGLE_COLUMNS = frozenset(
    {"post_created", "url", "facebook_id", "page_name", "group_name", "user_name", "account"}
    | {"handle", "message", "description", "likes", "comments", "shares", "type"}
)


def sniff(head: Head) -> str | None:
    """The Meta format of a file whose head is unmistakably one of them, else None."""
    if head.csv_header is not None:
        keys = {header_key(cell) for cell in head.csv_header}
        if exports.is_content_library_header(keys):
            return exports.CONTENT_LIBRARY_FORMAT
        return exports.CROWDTANGLE_FORMAT if exports.is_crowdtangle_header(keys) else None
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
    if _WRAPPED_LIST.match(text) and _LABEL_VALUES.search(text):
        return _sniff_accounts_center(text)
    found = _sniff_crowdtangle(text, head)
    if found is not None:
        return found
    if _GRAPH_EMPTY.fullmatch(data):
        return "meta-graph-jsonl" if head.suffix in LINE_SUFFIXES else "meta-graph-json"
    first = head.first_object
    if first is not None:
        if not graph.is_graph_response(first) or not (
            _GRAPH_MARKS.search(text) or graph.is_graph_host(_request_url(first))
        ):
            return None
        return "meta-graph-jsonl" if head.lines else "meta-graph-json"
    if not _GRAPH_MARKS.search(text):
        return None
    # No whole object on one line: a pretty-printed document, or a line longer than the head.
    lines = head.long_line or head.suffix in LINE_SUFFIXES
    return "meta-graph-jsonl" if lines else "meta-graph-json"


def _sniff_crowdtangle(text: str, head: Head) -> str | None:
    """A CrowdTangle API response or post object; ``Unsupported`` for its other endpoints."""
    first = head.first_object
    if first is not None and (crowdtangle.is_page(first) or crowdtangle.is_post(first)):
        return crowdtangle.JSONL_FORMAT if head.lines else crowdtangle.JSON_FORMAT
    if not _CROWDTANGLE_MARKS.search(text):
        return None
    other = _CROWDTANGLE_OTHER.search(text)
    if other is not None and '"posts"' not in text:
        raise Unsupported(
            _(
                "respons CrowdTangle API berisi '%(key)s' (bukan kiriman), yang belum "
                "didukung; yang didukung: /posts, /posts/search, /links, /post/:id"
            )
            % {"key": other["key"]}
        )
    if first is not None:
        return crowdtangle.JSONL_FORMAT if head.lines else crowdtangle.JSON_FORMAT
    lines = head.long_line or head.suffix in LINE_SUFFIXES
    return crowdtangle.JSONL_FORMAT if lines else crowdtangle.JSON_FORMAT


def _request_url(value: dict[str, object]) -> str:
    request = value.get("request")
    url = request.get("url") if isinstance(request, dict) else None
    return url if isinstance(url, str) else ""


def _sniff_accounts_center(text: str) -> str:
    """The export format of an Accounts Center file, by the first platform its text names."""
    found = _ACCOUNTS_CENTER_PLATFORM.search(text)
    if found is None:
        raise Unsupported(
            _(
                "ekspor Meta Accounts Center (label_values) yang tidak menyebut Instagram "
                "atau Facebook; muat dengan --format instagram-dyi-json atau facebook-dyi-json"
            )
        )
    return "instagram-dyi-json" if found["instagram"] else "facebook-dyi-json"


def _sniff_list(text: str) -> str | None:
    if _OBJECT_LIST.match(text) and _LABEL_VALUES.search(text):
        return _sniff_accounts_center(text)
    if _INSTAGRAM_DYI_LIST.match(text) and _INSTAGRAM_DYI_ENTRY.search(text):
        return "instagram-dyi-json"
    if _FACEBOOK_DYI_LIST.match(text) and _FACEBOOK_DYI_ENTRY.search(text):
        return "facebook-dyi-json"
    if _OBJECT_LIST.match(text) and _CROWDTANGLE_MARKS.search(text):
        # CrowdTangle post objects kept as a bare array.
        return crowdtangle.JSON_FORMAT
    if _OBJECT_LIST.match(text) and _GRAPH_MARKS.search(text):
        # Graph objects kept as a bare array (the pages' "data", concatenated).
        return "meta-graph-json"
    return None


MANIFEST = SourceManifest(
    name="meta",
    platform=FACEBOOK,
    formats=(
        FormatSpec(
            "meta-graph-json",
            _("satu respons JSON Meta Graph API (Facebook/Instagram)"),
            graph.parse_graph_json,
            shapes=(Shape.OBJECT,),
            keys=_GRAPH_KEYS,
        ),
        FormatSpec(
            "meta-graph-jsonl",
            _("JSONL, satu respons Meta Graph API per baris (boleh dibungkus request/response)"),
            graph.parse_graph_jsonl,
            shapes=(Shape.LINES,),
            keys=_GRAPH_KEYS,
        ),
        FormatSpec(
            "facebook-dyi-json",
            _("ekspor Facebook Download Your Information: kiriman, komentar, reaksi"),
            dyi.parse_facebook_dyi,
            shapes=(Shape.OBJECT, Shape.ARRAY),
            keys=_FACEBOOK_DYI_KEYS,
        ),
        FormatSpec(
            "instagram-dyi-json",
            _("ekspor Instagram Download Your Information: kiriman, komentar, suka"),
            dyi.parse_instagram_dyi,
            shapes=(Shape.OBJECT, Shape.ARRAY),
            keys=_INSTAGRAM_DYI_KEYS,
        ),
        FormatSpec(
            exports.CONTENT_LIBRARY_FORMAT,
            _("CSV unduhan Meta Content Library (kiriman Facebook/Instagram)"),
            exports.parse_content_library_csv,
            shapes=(Shape.TABLE,),
            keys=_CONTENT_LIBRARY_COLUMNS,
        ),
        FormatSpec(
            exports.CROWDTANGLE_FORMAT,
            _("CSV data historis CrowdTangle (Facebook atau Instagram)"),
            exports.parse_crowdtangle_csv,
            shapes=(Shape.TABLE,),
            keys=_CROWDTANGLE_COLUMNS,
        ),
        FormatSpec(
            crowdtangle.JSON_FORMAT,
            _("satu respons JSON CrowdTangle API (/posts, /posts/search, /links)"),
            crowdtangle.parse_crowdtangle_json,
            shapes=(Shape.OBJECT, Shape.ARRAY),
            keys=_CROWDTANGLE_API_KEYS,
        ),
        FormatSpec(
            crowdtangle.JSONL_FORMAT,
            _("JSONL, satu respons (atau satu kiriman) CrowdTangle API per baris"),
            crowdtangle.parse_crowdtangle_jsonl,
            shapes=(Shape.LINES,),
            keys=_CROWDTANGLE_API_KEYS,
        ),
    ),
    sniff=sniff,
    platforms=(
        PlatformSpec(FACEBOOK, links=links.FACEBOOK_LINKS),
        PlatformSpec(
            INSTAGRAM,
            links=links.INSTAGRAM_LINKS,
            captures=(("instagram.com", instagram_capture.post),),
        ),
        PlatformSpec(
            THREADS,
            links=links.THREADS_LINKS,
            captures=(("threads.net", threads_capture.post), ("threads.com", threads_capture.post)),
        ),
    ),
)
