"""YouTube: Data API v3 search, videos, comment threads, comments and channels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from netra.social.sources.records import FormatSpec, SourceManifest
from netra.social.sources.youtube import parse

MANIFEST = SourceManifest(
    name="youtube",
    platform=parse.PLATFORM,
    formats=(
        FormatSpec(
            "youtube-v3-json", _("satu respons JSON YouTube Data API v3"), parse.parse_v3_json
        ),
        FormatSpec(
            "youtube-v3-jsonl",
            _("JSONL, satu respons YouTube Data API v3 per baris"),
            parse.parse_v3_jsonl,
        ),
    ),
)
