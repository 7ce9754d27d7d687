"""TikTok: Research API v2 videos, comments, profiles, likes, follows, reposts and pins."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from netra.social.sources.records import (
    FormatSpec,
    Head,
    LiveApi,
    PlatformSpec,
    Setting,
    Shape,
    SourceManifest,
)
from netra.social.sources.tiktok import capture, links, parse

JSON_FORMAT = "tiktok-research-json"
JSONL_FORMAT = "tiktok-research-jsonl"

# Keys as keys (a quote right after the name, then a colon): inside a JSON string, such as
# a tweet quoting a TikTok payload, the quotes would be escaped and not match.
_KEYS = re.compile(
    rb'"error"\s*:\s*\{[^{}]*"log_id"\s*:'
    rb'|"(?:user_followers|user_following|user_liked_videos|user_reposted_videos'
    rb"|reposted_videos|pinned_videos_list|user_pinned_videos|video_description"
    rb'|hashtag_names|bio_description|parent_comment_id)"\s*:'
    rb'|"url"\s*:\s*"[^"]*/v2/research/'
)

_PAGE_KEYS = frozenset(
    {"data", "error", "log_id", "videos", "comments", "cursor", "has_more", "search_id"}
    | {"request", "response", "video_description", "create_time", "username", "bio_description"}
)


def sniff(head: Head) -> str | None:
    """``tiktok-research-json(l)`` for a head that is unmistakably a Research API response.

    A whole first line is judged by ``parse.is_research_page``; a pretty-printed document,
    or a line longer than the head, by keys only TikTok's responses have.
    """
    stripped = head.data.lstrip()
    if stripped[:1] != b"{":
        return None
    if head.first_object is not None:
        if not parse.is_research_page(head.first_object):
            return None
        return JSONL_FORMAT if head.lines else JSON_FORMAT
    if _KEYS.search(stripped) is None:
        return None
    return JSONL_FORMAT if head.long_line else JSON_FORMAT


MANIFEST = SourceManifest(
    name="tiktok",
    platform=parse.PLATFORM,
    formats=(
        FormatSpec(
            JSON_FORMAT,
            _("satu respons JSON TikTok Research API"),
            parse.parse_research_json,
            shapes=(Shape.OBJECT,),
            keys=_PAGE_KEYS,
        ),
        FormatSpec(
            JSONL_FORMAT,
            _("JSONL, satu respons TikTok Research API per baris, boleh dengan permintaannya"),
            parse.parse_research_jsonl,
            shapes=(Shape.LINES,),
            keys=_PAGE_KEYS,
        ),
    ),
    sniff=sniff,
    platforms=(
        PlatformSpec(
            parse.PLATFORM,
            links=links.LINKS,
            captures=(("tiktok.com", capture.video), ("tiktok-comments", capture.comment)),
            live=LiveApi(
                collector="netra.social.sources.tiktok.collect:TikTokCollector",
                url=Setting("NETRA_TIKTOK_API_URL", "https://open.tiktokapis.com"),
                # A client access token, valid two hours: renewed outside Netra.
                credential=Setting("NETRA_TIKTOK_ACCESS_TOKEN", ""),
                poll_minutes=Setting("NETRA_TIKTOK_POLL_MINUTES", 60),
            ),
        ),
    ),
)
