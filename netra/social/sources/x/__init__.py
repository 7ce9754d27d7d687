"""X (Twitter): API v2 and twarc2, API v1.1 and twarc, and the personal data archive."""

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
from netra.social.sources.x import archive, capture, links, v1, v2
from netra.social.sources.x.common import PLATFORM

V2_JSON = "x-v2-json"
V2_JSONL = "x-v2-jsonl"
V1_JSON = "twitter-v1-json"
V1_JSONL = "twitter-v1-jsonl"
ARCHIVE = "twitter-archive-js"

# Keys near the top of a document too long for one line, or pretty-printed.
_V2_KEYS = re.compile(r'"(?:__twarc|includes|result_count|resource_type)"\s*:|"data"\s*:\s*[\[{]')
_V1_SEARCH = re.compile(r'"statuses"\s*:\s*\[')
_V1_STATUS = re.compile(r'"id_str"\s*:')
_V1_USER = re.compile(r'"(?:user|screen_name)"\s*:')

_V2_PAGE_KEYS = frozenset({"data", "includes", "meta", "errors", "result_count", "next_token"})
_TWEET_KEYS = frozenset({"id", "text", "author_id", "created_at", "username", "public_metrics"})
_STATUS_KEYS = frozenset(
    {"id_str", "full_text", "text", "user", "screen_name", "created_at", "entities"}
)


def sniff(head: Head) -> str | None:
    """The X format of a head that is unmistakably one of them, else None.

    Raises ``Unsupported`` for an archive part that is not read (``direct_messages``).
    """
    stripped = head.data.lstrip()
    part = archive.archive_part(stripped)
    if part is not None:
        if part not in archive.ARCHIVE_PARTS:
            raise Unsupported(
                _("arsip Twitter bagian '%(part)s', yang belum didukung (hanya %(parts)s)")
                % {"part": part, "parts": ", ".join(sorted(archive.ARCHIVE_PARTS))}
            )
        return ARCHIVE
    text = stripped.decode("utf-8", "replace")
    if stripped[:1] == b"[":
        body = text.lstrip()[1:].lstrip()
        if body.startswith("{") and _V1_STATUS.search(text) and _V1_USER.search(text):
            return V1_JSON
        return None
    if stripped[:1] != b"{":
        return None
    value = head.first_object
    if value is not None:
        if v1.is_v1_status(value) or isinstance(value.get("statuses"), list):
            if "statuses" in value:
                return V1_JSON
            return V1_JSONL if head.lines else V1_JSON
        if v2.is_v2_object(value):
            return V2_JSONL if head.lines else V2_JSON
        return None
    # No whole object on any line: a pretty-printed document, or a line longer than the
    # head (a twarc2 page), which the JSONL reader takes as well as a document.
    if _V1_SEARCH.search(text):
        return V1_JSON
    if _V2_KEYS.search(text):
        return V2_JSONL if head.long_line else V2_JSON
    if _V1_STATUS.search(text) and _V1_USER.search(text):
        return V1_JSONL if head.long_line else V1_JSON
    return None


MANIFEST = SourceManifest(
    name="x",
    platform=PLATFORM,
    formats=(
        FormatSpec(
            V2_JSON,
            gettext_lazy("satu respons JSON X API v2 berisi data dan includes"),
            v2.parse_v2_json,
            shapes=(Shape.OBJECT,),
            keys=_V2_PAGE_KEYS | _TWEET_KEYS,
        ),
        FormatSpec(
            V2_JSONL,
            gettext_lazy(
                "JSONL twarc2, satu respons X API v2 per baris, atau satu tweet per baris "
                "(twarc2 flatten)"
            ),
            v2.parse_v2_jsonl,
            shapes=(Shape.LINES,),
            keys=_V2_PAGE_KEYS | _TWEET_KEYS | {"__twarc", "author", "referenced_tweets"},
        ),
        FormatSpec(
            V1_JSON,
            gettext_lazy("status Twitter API v1.1 dalam JSON"),
            v1.parse_v1_json,
            shapes=(Shape.ARRAY, Shape.OBJECT),
            keys=_STATUS_KEYS | {"statuses", "search_metadata"},
        ),
        FormatSpec(
            V1_JSONL,
            gettext_lazy("JSONL twarc, satu status v1.1 per baris"),
            v1.parse_v1_jsonl,
            shapes=(Shape.LINES,),
            keys=_STATUS_KEYS | {"delete", "limit"},
        ),
        FormatSpec(
            ARCHIVE,
            gettext_lazy(
                "arsip Twitter window.YTD: tweets.js, deleted-tweets.js, like.js, account.js"
            ),
            archive.parse_archive_js,
            shapes=(Shape.SCRIPT,),
            keys=frozenset({"tweet", "like", "account", "tweetId", "accountId", "full_text"}),
            # data/account.js: the archive's tweets and likes are its owner's.
            names_owner=lambda head: archive.archive_part(head) == "account",
        ),
    ),
    sniff=sniff,
    platforms=(
        PlatformSpec(
            PLATFORM,
            aliases=("twitter",),
            links=links.LINKS,
            captures=(("twitter.com", capture.tweet), ("x.com", capture.tweet)),
            live=LiveApi(
                collector="netra.social.sources.x.collect:XCollector",
                url=Setting("NETRA_X_API_URL", "https://api.x.com"),
                # An app's bearer token; without one X is not polled.
                credential=Setting("NETRA_X_BEARER_TOKEN", ""),
                poll_minutes=Setting("NETRA_X_POLL_MINUTES", 15),
                reset_header="x-rate-limit-reset",
            ),
        ),
    ),
)
