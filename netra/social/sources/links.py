"""Links to items: which platform a URL is on, its canonical form, the item id it carries.

Each platform's source folder declares how its links look (``PlatformSpec.links``); this
module asks them. Manual entry (``netra.social.services.item_manual_create``) keys an
item entered by hand on what these functions answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from netra.social.sources import registry
from netra.social.sources.records import ItemKind, Link, Links

# Query parameters that only say who shared a link or where it was clicked, on any host
# (a link shared from one platform to another keeps them).
_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "igshid",
        "igsh",
        "si",
        "mibextid",
        "ref",
        "ref_src",
        "ref_url",
        "feature",
        "is_from_webapp",
        "is_copy_url",
        "sender_device",
        "share_id",
        "rdid",
        "_rdr",
        "_r",
        "_t",
    }
)
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.")


def host(url: str) -> str:
    """The URL's host in lower case without ``www.``, ``m.`` and the like; ``""`` if none."""
    try:
        name = (urlsplit(url.strip()).hostname or "").casefold()
    except ValueError:
        return ""
    for prefix in _HOST_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def path_id(pattern: re.Pattern[str]) -> Callable[[Link], str | None]:
    """A ``Links.item_id`` for links whose path carries the id: the pattern's ``id`` group."""

    def item_id(link: Link) -> str | None:
        found = pattern.search(link.path)
        return found["id"] if found else None

    return item_id


def _link(url: str) -> Link:
    parts = urlsplit(url)
    return Link(host=host(url), path=parts.path, query=dict(parse_qsl(parts.query)))


def _links_of(url: str) -> tuple[str, Links] | None:
    """The platform whose hosts the URL is on, and its link rules."""
    name = host(url)
    for spec in registry.platform_specs():
        links = spec.links
        if links is not None and any(
            name == known or name.endswith("." + known) for known in links.hosts
        ):
            return spec.platform, links
    return None


def platform_from_url(url: str) -> str | None:
    """The platform whose host the URL is on, or None for any other host."""
    found = _links_of(url)
    return found[0] if found else None


def url_canonical(url: str) -> str:
    """The URL without what varies between two copies of one link.

    https, a lower-case host without ``www.``/``m.``, no fragment, no trailing slash,
    tracking parameters (``utm_*``, ``fbclid``, ``igsh``, ``si``, and those the platform
    names, such as X's ``s`` and ``t``) dropped and the rest sorted. Raises
    ValidationError for a URL that is not http(s).
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            _("Tautan '%(url)s' bukan alamat http(s) yang lengkap.") % {"url": url},
            code="url",
        )
    found = _links_of(url)
    tracking = _TRACKING | found[1].tracking if found else _TRACKING
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.casefold() not in tracking and not key.casefold().startswith("utm_")
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host(url), path, urlencode(query), ""))


def platform_id_from_url(platform: str, url: str) -> str | None:
    """The platform's own id of the item a URL shows, when the URL's shape carries it.

    Each platform's ``Links.item_id`` says which shapes (an X ``/<user>/status/<id>``, a
    YouTube ``watch?v=<id>``…). None for a URL on another platform's host or none.
    """
    found = _links_of(url)
    if found is None or found[0] != platform:
        return None
    return found[1].item_id(_link(url))


def manual_platform_id(platform: str, url: str) -> str:
    """The id a manual entry of ``url`` gets: the platform's own id when the URL gives it,
    else ``manual:`` and the SHA-256 of the canonical URL (the same link, the same id)."""
    found = platform_id_from_url(platform, url)
    if found:
        return found
    return "manual:" + hashlib.sha256(url_canonical(url).encode()).hexdigest()


def item_kind_from_url(platform: str, url: str) -> ItemKind:
    """The kind of an item entered with this URL on that platform: a post unless its
    ``Links.kind`` says otherwise (a video)."""
    spec = registry.platform_spec(platform)
    links = spec.links if spec is not None else None
    if links is None or links.kind is None:
        return ItemKind.POST
    return links.kind(_link(url))
