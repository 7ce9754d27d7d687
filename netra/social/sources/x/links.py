"""X's links: ``x.com`` and ``twitter.com``, posts at ``/<user>/status/<id>``."""

from __future__ import annotations

import re

from netra.social.sources.records import Link, Links

_STATUS = re.compile(r"^/(?:[^/]+|i(?:/web)?)/status(?:es)?/(?P<id>\d+)")


def item_id(link: Link) -> str | None:
    """A post's id: ``/<user>/status/<id>``, ``/i/web/status/<id>`` (``statuses`` too)."""
    found = _STATUS.search(link.path)
    return found["id"] if found else None


LINKS = Links(
    hosts=("x.com", "twitter.com"),
    item_id=item_id,
    # "s" and "t" say only who shared a post from which app.
    tracking=frozenset({"s", "t"}),
)
