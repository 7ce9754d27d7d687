"""Kabarku's links: posts at ``/@<handle>/kabar/<id>``."""

from __future__ import annotations

import re

from netra.social.sources.records import Link, Links

_POST = re.compile(r"^/@[^/]+/kabar/(?P<id>\d+)")


def item_id(link: Link) -> str | None:
    found = _POST.match(link.path)
    return found["id"] if found else None


# "dari" says only which app a link was shared from.
LINKS = Links(hosts=("kabarku.example",), item_id=item_id, tracking=frozenset({"dari"}))
