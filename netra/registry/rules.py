"""Page permissions of the registry, registered with ``rules`` (autodiscovered at start-up).

- ``registry.review_links``: the list of proposed account links; every staff role with a
  jurisdiction (each sees the links of subjects working within it).
- ``registry.decide_link`` (with the link): confirming or rejecting it; analysts,
  commissioners and administrators whose jurisdiction covers the subject's workplace, i.e.
  the office the subject belongs to and the offices above it. ``account_link_decide``
  checks no role itself: this is where who may decide is written.
"""

from __future__ import annotations

from rules.permissions import add_perm, perm_exists

from netra.registry.models import AccountLink
from netra.staff.access import user_covers
from netra.staff.rules import has_jurisdiction, is_analyst_or_above, predicate
from netra.staff.types import AnyUser


@predicate
def covers_subject(user: AnyUser, link: AccountLink | None) -> bool:
    """The link's subject works within the user's jurisdiction."""
    return link is not None and user_covers(user, link.subject.workplace_id)


PERMISSIONS = {
    "registry.review_links": has_jurisdiction,
    "registry.decide_link": is_analyst_or_above & covers_subject,
}

for _name, _predicate in PERMISSIONS.items():
    if not perm_exists(_name):  # type: ignore[no-untyped-call]
        add_perm(_name, _predicate)  # type: ignore[no-untyped-call]
