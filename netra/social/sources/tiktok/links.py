"""TikTok's links: ``/@<user>/video/<id>`` and ``/photo/<id>``; short ``vm.`` links carry none."""

from __future__ import annotations

import re

from netra.social.sources.links import path_id
from netra.social.sources.records import ItemKind, Link, Links

# A video's or photo post's id.
_ITEM = re.compile(r"/(?:video|photo|v)/(?P<id>\d+)")


def kind(link: Link) -> ItemKind:
    """A video for a ``/video/`` link, else a post (a photo post, or a link without id)."""
    return ItemKind.VIDEO if "/video/" in link.path else ItemKind.POST


LINKS = Links(hosts=("tiktok.com",), item_id=path_id(_ITEM), kind=kind)
