"""Browser captures: Zeeschuimer's NDJSON export and 4CAT's NDJSON of it.

One file may hold TikTok, Instagram, X and Threads items. The envelope of each line is
read here (``parse``, with what every converter shares in ``common``); the item inside it
is converted by its platform's own folder (``PlatformSpec.captures``: ``x/capture.py``,
``tiktok/capture.py``, ``meta/instagram_capture.py``, ``meta/threads_capture.py``). Each
record carries its own platform, so the manifest's platform is ``other``.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from netra.social.sources.capture import parse
from netra.social.sources.records import FormatSpec, Head, Shape, SourceManifest

# A first line longer than the detection head: Zeeschuimer writes the envelope's keys
# before "data", so they are in the head even when the item is not. The page and request
# URLs before "data" are at most a few KB; the search stops there.
_ENVELOPE_SPAN = 16 * 1024
_ENVELOPE_START = re.compile(rb'^\{[^\n]*?"source_platform"\s*:\s*"[^"\n]*"[^\n]*?"data"\s*:\s*\{')
_ENVELOPE_KEY = re.compile(rb'"(?:item_id|nav_index|timestamp_collected)"\s*:')


def sniff(head: Head) -> str | None:
    """``zeeschuimer-ndjson`` when the first line is a captured item, else None."""
    if head.first_object is not None:
        return parse.FORMAT if parse.is_capture_line(head.first_object) else None
    first = head.data.lstrip()[:_ENVELOPE_SPAN].split(b"\n", 1)[0]
    match = _ENVELOPE_START.match(first)
    if match is not None and _ENVELOPE_KEY.search(first, 0, match.end()):
        return parse.FORMAT
    return None


MANIFEST = SourceManifest(
    name="capture",
    platform="other",
    formats=(
        FormatSpec(
            parse.FORMAT,
            _(
                "NDJSON Zeeschuimer atau 4CAT, satu butir tangkapan per baris "
                "(TikTok, Instagram, X, Threads)"
            ),
            parse.parse_zeeschuimer_ndjson,
            shapes=(Shape.LINES,),
            keys=frozenset(
                {"source_platform", "item_id", "nav_index", "timestamp_collected", "data"}
                | {"source_url", "user_agent", "__import_meta"}
            ),
        ),
    ),
    sniff=sniff,
)
