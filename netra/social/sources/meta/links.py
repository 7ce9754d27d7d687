"""Links of Facebook, Instagram and Threads posts.

Facebook: ``story_fbid`` (with the page ``id``: ``<page>_<post>`` as the Graph API writes
it), ``/<page>/posts/<id>``, ``/reel/<id>``, ``watch?v=<id>``; Instagram and Threads:
``/p/<code>``, ``/reel/<code>``, ``/@<user>/post/<code>`` (the shortcode, as the Meta
exports key them).
"""

from __future__ import annotations

import re

from netra.social.sources.links import path_id
from netra.social.sources.records import Link, Links

_FACEBOOK_OWNED = re.compile(
    r"^/(?P<owner>[^/]+)/(?:posts|videos|photos/[^/]+|permalink)/(?P<id>[A-Za-z0-9]+)/?$"
)
_FACEBOOK_BARE = re.compile(r"/(?:posts|videos|reel|permalink|share/[pvr])/(?P<id>[A-Za-z0-9]+)/?$")
# An Instagram post's shortcode: /p/<code>, /reel/<code>, /tv/<code>.
_INSTAGRAM = re.compile(r"^/(?:[^/]+/)?(?:p|reel|reels|tv)/(?P<id>[A-Za-z0-9_-]+)")
# A Threads post's shortcode: /@<user>/post/<code>.
_THREADS = re.compile(r"^/@[^/]+/post/(?P<id>[A-Za-z0-9_-]+)")


def facebook_id(link: Link) -> str | None:
    """A Facebook post's or video's id; ``<page>_<post>`` when both are numbers."""
    story = link.query.get("story_fbid") or link.query.get("fbid")
    if story:
        owner = link.query.get("id", "")
        # Graph API post ids are "<page id>_<post id>".
        return f"{owner}_{story}" if owner.isdigit() and story.isdigit() else story
    if link.path.rstrip("/") in {"/watch", "/watch/"} and link.query.get("v"):
        return link.query["v"]
    owned = _FACEBOOK_OWNED.match(link.path)
    if owned is not None:
        owner, post = owned["owner"], owned["id"]
        return f"{owner}_{post}" if owner.isdigit() and post.isdigit() else post
    bare = _FACEBOOK_BARE.search(link.path)
    return bare["id"] if bare else None


FACEBOOK_LINKS = Links(hosts=("facebook.com", "fb.com", "fb.watch"), item_id=facebook_id)
INSTAGRAM_LINKS = Links(hosts=("instagram.com",), item_id=path_id(_INSTAGRAM))
THREADS_LINKS = Links(hosts=("threads.net", "threads.com"), item_id=path_id(_THREADS))
