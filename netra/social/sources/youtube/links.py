"""YouTube's links: ``watch?v=<id>``, ``youtu.be/<id>``, ``/shorts/<id>`` and the like."""

from __future__ import annotations

import re

from netra.social.sources.records import ItemKind, Link, Links

_ID = r"(?P<id>[A-Za-z0-9_-]{11})"
_PATH = re.compile(rf"^/(?:shorts|live|embed|v)/{_ID}(?:[/?]|$)")
_SHORT = re.compile(rf"^/{_ID}(?:/|$)")
_VALUE = re.compile(_ID)


def item_id(link: Link) -> str | None:
    """A video's id: ``watch?v=``, ``youtu.be/<id>``, ``/shorts/``, ``/live/``, ``/embed/``."""
    if link.host.endswith("youtu.be"):
        found = _SHORT.match(link.path)
        return found["id"] if found else None
    video = link.query.get("v", "")
    if link.path.rstrip("/") == "/watch" and _VALUE.fullmatch(video):
        return video
    found = _PATH.match(link.path)
    return found["id"] if found else None


def kind(link: Link) -> ItemKind:
    """Everything on YouTube is a video."""
    return ItemKind.VIDEO


LINKS = Links(
    hosts=("youtube.com", "youtu.be", "youtube-nocookie.com"),
    item_id=item_id,
    # "t" is where playback starts, "pp" a tracking token.
    tracking=frozenset({"t", "pp"}),
    kind=kind,
)
