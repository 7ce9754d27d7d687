"""X's links: ``x.com`` and ``twitter.com``, posts at ``/<user>/status/<id>``."""

from __future__ import annotations

import re

from netra.social.sources.links import path_id
from netra.social.sources.records import Links

# A post: /<user>/status/<id>, /i/web/status/<id> (statuses too).
_STATUS = re.compile(r"^/(?:[^/]+|i(?:/web)?)/status(?:es)?/(?P<id>\d+)")

LINKS = Links(
    hosts=("x.com", "twitter.com"),
    item_id=path_id(_STATUS),
    # "s" and "t" say only who shared a post from which app.
    tracking=frozenset({"s", "t"}),
)
