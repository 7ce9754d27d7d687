"""Protected reads of registry rows: one jurisdiction rule, the same 404 for missing and
forbidden.

An account link belongs to the office whose jurisdiction covers the subject's workplace
(``netra.staff.access``), as subjects do (``selectors.subjects_for_user``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from netra.registry.models import AccountLink
from netra.staff.access import scope_to_user
from netra.staff.types import AnyUser


def account_links_for_user(user: AnyUser) -> QuerySet[AccountLink]:
    """Links whose subject works within the user's jurisdiction, with subject and account."""
    links = AccountLink.objects.select_related(
        "subject", "subject__agency", "subject__workplace", "account"
    )
    return scope_to_user(links, user, "subject__workplace_id")


def access_account_link_for_user(user: AnyUser, link_id: int | str) -> AccountLink:
    """The link ``link_id`` if its subject works within the user's jurisdiction.

    Raises Http404 both when the link does not exist and when the user may not see it.
    """
    try:
        pk = int(link_id)
    except (TypeError, ValueError):
        raise Http404("no such account link") from None
    link = account_links_for_user(user).filter(pk=pk).first()
    if link is None:
        raise Http404("no such account link")
    return link


def may_decide_link(user: AnyUser, link: AccountLink) -> bool:
    """Whether ``user`` may confirm or reject ``link`` (``registry.decide_link``)."""
    return bool(user.has_perm("registry.decide_link", link))


def access_link_to_decide_for_user(user: AnyUser, link_id: int | str) -> AccountLink:
    """The proposed link ``link_id`` if ``user`` may see it (Http404 otherwise) and decide
    it (PermissionDenied, with an Indonesian message, otherwise)."""
    link = access_account_link_for_user(user, link_id)
    if not may_decide_link(user, link):
        raise PermissionDenied(
            _("Hanya analis, komisioner dan administrator yang dapat memutuskan tautan akun.")
        )
    return link
