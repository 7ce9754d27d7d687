"""Roles and what they may do, defined once: ``rules`` predicates over roles and jurisdiction.

Other apps build their permissions from the predicates here (``monitor.import_source`` is
``handles_data``), never from role lists of their own. Jurisdiction comes from
``netra.staff.access``, the one jurisdiction predicate; the ``rules`` app imports this
module at start-up (AutodiscoverRulesConfig).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import add_perm
from rules.predicates import Predicate

from netra.geo.models import Region
from netra.staff.access import NoAccess, user_covers, user_jurisdiction
from netra.staff.models import Office, Role
from netra.staff.types import AnyUser

# Every Bawaslu staff role that works on findings: field supervisors see a post first.
SUPERVISOR_OR_ABOVE = frozenset(
    {Role.FIELD_SUPERVISOR, Role.ANALYST, Role.COMMISSIONER, Role.ADMIN}
)
# The roles that review flags and handle cases.
ANALYST_OR_ABOVE = frozenset({Role.ANALYST, Role.COMMISSIONER, Role.ADMIN})
# The roles that load data (files, re-runs of quarantined records): commissioners decide on
# cases rather than load data.
DATA_HANDLERS = frozenset({Role.ANALYST, Role.ADMIN})
# The roles above field supervisor must pass a TOTP check after the password
# (``User.requires_two_factor``): they see more than one post at a time, or reporters' names.
TWO_FACTOR_ROLES = ANALYST_OR_ABOVE | {Role.IDENTITY_CUSTODIAN}


def region_code_of(obj: Any) -> str | None:
    """The region code an object sits at: a code itself, a Region, an Office, or ``region_id``.

    Returns None for national objects (Bawaslu RI, a national election) and for None.
    """
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, Region):
        return obj.code
    if isinstance(obj, Office):
        return obj.jurisdiction
    region_id = getattr(obj, "region_id", None)
    return region_id if isinstance(region_id, str) else None


def predicate(fn: Callable[..., bool]) -> Predicate:
    """``rules.predicate`` with types: the function becomes a combinable Predicate."""
    return Predicate(fn)


def _register(name: str, pred: Predicate) -> None:
    add_perm(name, pred)  # type: ignore[no-untyped-call]  # rules leaves add_perm unannotated


def _has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def _is_active_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


@predicate
def has_jurisdiction(user: AnyUser) -> bool:
    """The user may see some region (not anonymous, inactive, a partner, or office-less)."""
    return not isinstance(user_jurisdiction(user), NoAccess)


@predicate
def is_in_jurisdiction(user: AnyUser, obj: Any) -> bool:
    """``obj`` (see ``region_code_of``) lies within the user's jurisdiction."""
    if obj is None:
        # No object: a question about a kind of thing, not a place; answered elsewhere.
        return False
    return user_covers(user, region_code_of(obj))


@predicate
def is_admin(user: AnyUser) -> bool:
    return _has_role(user, Role.ADMIN)


@predicate
def is_commissioner(user: AnyUser) -> bool:
    return _has_role(user, Role.COMMISSIONER)


@predicate
def is_analyst(user: AnyUser) -> bool:
    return _has_role(user, Role.ANALYST)


@predicate
def is_field_supervisor(user: AnyUser) -> bool:
    return _has_role(user, Role.FIELD_SUPERVISOR)


@predicate
def is_identity_custodian(user: AnyUser) -> bool:
    return _has_role(user, Role.IDENTITY_CUSTODIAN)


@predicate
def is_partner(user: AnyUser) -> bool:
    return _has_role(user, Role.PARTNER)


@predicate
def is_analyst_or_above(user: AnyUser) -> bool:
    """Analyst, commissioner or admin: the roles that review flags and handle cases."""
    return _has_role(user, *ANALYST_OR_ABOVE)


@predicate
def is_supervisor_or_above(user: AnyUser) -> bool:
    """Any Bawaslu staff role that works on findings (everything but custodian and partner)."""
    return _has_role(user, *SUPERVISOR_OR_ABOVE)


@predicate
def handles_data(user: AnyUser) -> bool:
    """Loads files and re-runs quarantined records: an analyst or admin with a jurisdiction,
    or a superuser."""
    return bool(has_jurisdiction(user)) and (
        _is_active_superuser(user) or _has_role(user, *DATA_HANDLERS)
    )


@predicate
def enters_findings(user: AnyUser) -> bool:
    """Enters what they saw (an item by hand): a supervisor or above with a jurisdiction, or
    a superuser."""
    return bool(has_jurisdiction(user)) and (
        _is_active_superuser(user) or _has_role(user, *SUPERVISOR_OR_ABOVE)
    )


@predicate
def _office_visible(user: AnyUser, office: Office | None) -> bool:
    if office is None:
        return bool(has_jurisdiction(user))
    return user_covers(user, office.jurisdiction)


# Without an object: whether the user may list offices at all; with one: that office.
_register("staff.view_office", _office_visible)
# Creating staff accounts and offices: admins within their jurisdiction (see services).
_register("staff.manage_office", is_admin & is_in_jurisdiction)
