"""Kabarku, a fictional platform: a source folder outside ``netra/social/sources/``.

What docs/adding-a-platform.md asks of a new platform, and nothing else: a manifest
declaring its format with its sniffing and parser, its links and its live API.
``tests/social/test_adding_a_platform.py`` registers it and shows detection, loading,
manual entry and polling take it up with no other change.
"""

from __future__ import annotations

from netra.social.sources.records import (
    FormatSpec,
    Head,
    LiveApi,
    PlatformSpec,
    Setting,
    Shape,
    SourceManifest,
)
from tests.social.fake_platform import links, parse


def sniff(head: Head) -> str | None:
    """``kabarku-jsonl`` when the first line is a Kabarku page."""
    first = head.first_object
    return parse.FORMAT if first is not None and parse.is_page(first) else None


MANIFEST = SourceManifest(
    name="kabarku",
    platform=parse.PLATFORM,
    formats=(
        FormatSpec(
            parse.FORMAT,
            "JSONL, satu halaman API Kabarku per baris",
            parse.parse_jsonl,
            shapes=(Shape.LINES,),
            keys=frozenset({"kabarku", "posts", "next_cursor", "author", "handle"}),
        ),
    ),
    sniff=sniff,
    platforms=(
        PlatformSpec(
            parse.PLATFORM,
            links=links.LINKS,
            live=LiveApi(
                collector="tests.social.fake_platform.collect:KabarkuCollector",
                url=Setting("NETRA_KABARKU_API_URL", "https://api.kabarku.example"),
                credential=Setting("NETRA_KABARKU_TOKEN", ""),
                poll_minutes=Setting("NETRA_KABARKU_POLL_MINUTES", 30),
            ),
        ),
    ),
)
