"""Kabarku's links: posts at ``/@<handle>/kabar/<id>``."""

from __future__ import annotations

import re

from netra.social.sources.links import path_id
from netra.social.sources.records import Links

_POST = re.compile(r"^/@[^/]+/kabar/(?P<id>\d+)")

# "dari" says only which app a link was shared from.
LINKS = Links(hosts=("kabarku.example",), item_id=path_id(_POST), tracking=frozenset({"dari"}))
