"""X (Twitter): API v2 and twarc2, API v1.1 and twarc, and the personal data archive."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from netra.social.sources.records import FormatSpec, SourceManifest
from netra.social.sources.x import archive, v1, v2
from netra.social.sources.x.common import PLATFORM

MANIFEST = SourceManifest(
    name="x",
    platform=PLATFORM,
    formats=(
        FormatSpec(
            "x-v2-json",
            _("satu respons JSON X API v2 berisi data dan includes"),
            v2.parse_v2_json,
        ),
        FormatSpec(
            "x-v2-jsonl", _("JSONL twarc2, satu respons X API v2 per baris"), v2.parse_v2_jsonl
        ),
        FormatSpec("twitter-v1-json", _("status Twitter API v1.1 dalam JSON"), v1.parse_v1_json),
        FormatSpec(
            "twitter-v1-jsonl", _("JSONL twarc, satu status v1.1 per baris"), v1.parse_v1_jsonl
        ),
        FormatSpec(
            "twitter-archive-js",
            _("arsip Twitter window.YTD: tweets.js, deleted-tweets.js, like.js, account.js"),
            archive.parse_archive_js,
        ),
    ),
)
