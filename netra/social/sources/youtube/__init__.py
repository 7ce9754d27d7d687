"""YouTube: Data API v3 search, videos, comment threads, comments and channels."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources.records import (
    FormatSpec,
    Head,
    LiveApi,
    PlatformSpec,
    Setting,
    Shape,
    SourceManifest,
    Unsupported,
)
from netra.social.sources.youtube import links, parse

JSON_FORMAT = "youtube-v3-json"
JSONL_FORMAT = "youtube-v3-jsonl"

# Marks near the top of a document too long for one line, or pretty-printed.
_KIND = re.compile(r'"kind"\s*:\s*"(youtube#\w+)"')
_ERROR = re.compile(r'"domain"\s*:\s*"youtube')

_KEYS = frozenset(
    {"kind", "etag", "items", "pageInfo", "nextPageToken", "snippet", "statistics"}
    | {"error", "errors", "domain", "reason"}
)


def _unsupported(kind: str) -> Unsupported:
    return Unsupported(_("respons YouTube jenis '%(kind)s', yang belum didukung") % {"kind": kind})


def sniff(head: Head) -> str | None:
    """``youtube-v3-json(l)`` for a head that is unmistakably a Data API v3 response.

    Raises ``Unsupported`` for a YouTube response of a kind that is not read
    (``youtube#playlistListResponse``).
    """
    stripped = head.data.lstrip()
    if stripped[:1] != b"{":
        return None
    value = head.first_object
    if value is not None:
        kind = value.get("kind")
        if not parse.is_v3_page(value):
            if isinstance(kind, str) and kind.startswith("youtube#"):
                raise _unsupported(kind)
            return None
        return JSONL_FORMAT if head.lines else JSON_FORMAT
    text = stripped.decode("utf-8", "replace")
    found = _KIND.search(text)
    if found is not None:
        if not parse.is_v3_page({"kind": found[1]}):
            raise _unsupported(found[1])
    elif _ERROR.search(text) is None:
        return None
    return JSONL_FORMAT if head.long_line else JSON_FORMAT


MANIFEST = SourceManifest(
    name="youtube",
    platform=parse.PLATFORM,
    formats=(
        FormatSpec(
            JSON_FORMAT,
            gettext_lazy("satu respons JSON YouTube Data API v3"),
            parse.parse_v3_json,
            shapes=(Shape.OBJECT,),
            keys=_KEYS,
        ),
        FormatSpec(
            JSONL_FORMAT,
            gettext_lazy("JSONL, satu respons YouTube Data API v3 per baris"),
            parse.parse_v3_jsonl,
            shapes=(Shape.LINES,),
            keys=_KEYS,
        ),
    ),
    sniff=sniff,
    platforms=(
        PlatformSpec(
            parse.PLATFORM,
            links=links.LINKS,
            live=LiveApi(
                collector="netra.social.sources.youtube.collect:YouTubeCollector",
                url=Setting("NETRA_YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3"),
                credential=Setting("NETRA_YOUTUBE_API_KEY", ""),
                # A search costs 100 of the default 10,000 daily quota units.
                poll_minutes=Setting("NETRA_YOUTUBE_POLL_MINUTES", 240),
                # Google APIs take the key in this header as well as in ?key=: kept out of URLs.
                auth_header="X-Goog-Api-Key",
                auth_prefix="",
            ),
        ),
    ),
)
