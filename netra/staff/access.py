"""The one jurisdiction predicate: what region codes a user may see, and protected reads.

Jurisdiction is a region-code prefix (ARCHITECTURE.md): an office at ``35.07`` sees
``35.07`` and everything below it; Bawaslu RI sees everything. Every app scopes its rows
through ``scope_to_user`` or ``user_covers``; none re-implements the rule.

Who has which jurisdiction:

- an active user with a role other than partner and an office: the office's region code
  (``None`` for Bawaslu RI, meaning national);
- an active superuser: national, whatever their office, because Django's ``has_perm``
  already answers yes to them for everything (give the flag to national administrators
  only);
- partners (pokja: journalists, BKPSDM, Kominfo): **no jurisdiction**. They are outsiders
  and must never see raw rows (names of civil servants, reporters) through a scoped list;
  the pokja app shows them redacted, explicitly shared material instead;
- anonymous, inactive users and users without office or role: no jurisdiction.
"""

from __future__ import annotations

from typing import Final, TypeVar

from django.db import models
from django.http import Http404

from netra.geo.models import covers, within_q
from netra.staff.models import Office, Role
from netra.staff.types import AnyUser

_M = TypeVar("_M", bound=models.Model)


class NoAccess:
    """The jurisdiction of a user who may see no region at all (see the module docstring).

    Use the one instance ``NO_ACCESS``; test with ``isinstance(j, NoAccess)``.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_ACCESS"

    def __bool__(self) -> bool:
        # None (national) is falsy too, so ``if not jurisdiction:`` would read "no access" as
        # "everything". Refuse to be tested for truth at all: callers must say which they mean.
        raise TypeError("test a jurisdiction with isinstance(j, NoAccess) or `is None`")


NO_ACCESS: Final = NoAccess()

Jurisdiction = str | None | NoAccess


def user_jurisdiction(user: AnyUser | None) -> Jurisdiction:
    """The region-code prefix ``user`` covers: a code, ``None`` (national) or ``NO_ACCESS``.

    Accepts any request user (``AnonymousUser`` included) and never raises.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    if not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return None
    if user.role == Role.PARTNER:
        return NO_ACCESS
    office: Office | None = user.office
    if office is None or not user.role:
        return NO_ACCESS
    return office.jurisdiction


def user_covers(user: AnyUser | None, region_code: str | None) -> bool:
    """Whether ``user`` may see something located at ``region_code``.

    ``region_code=None`` means a national object (no region): only national users cover it.
    """
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return False
    return covers(jurisdiction, region_code)


def scope_to_user(qs: models.QuerySet[_M], user: AnyUser | None, field: str) -> models.QuerySet[_M]:
    """``qs`` narrowed to rows whose region code ``field`` lies within the user's jurisdiction.

    ``field`` is a path to a region code: ``"code"`` on Region itself, a foreign key's
    column (``"workplace_id"``, ``"office__region_id"``) or ``"region__code"``; none adds
    a join (Region's key is its code). National users get ``qs`` unchanged (rows without a
    region included); users with no jurisdiction get ``qs.none()``; regional users never
    see rows whose region is NULL.
    """
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return qs.none()
    if jurisdiction is None:
        return qs
    return qs.filter(within_q(_code_path(qs.model, field), jurisdiction))


def _code_path(model: type[models.Model], field: str) -> str:
    """``field`` as a lookup path that accepts ``__startswith``.

    A ForeignKey to Region (``workplace_id``, ``office__region``) accepts no
    ``__startswith``; its target key, the code, does (``workplace__pk``), still without
    a join. Raises FieldDoesNotExist for a path that does not exist.
    """
    parts = field.split("__")
    meta = model._meta
    for index, part in enumerate(parts):
        target = meta.get_field(part)
        if not target.is_relation:
            return field
        if index == len(parts) - 1:
            return "__".join([*parts[:-1], target.name, "pk"])
        related = target.related_model
        if related is None or isinstance(related, str):
            return field
        meta = related._meta
    return field


def access_office_for_user(user: AnyUser | None, office_id: int | str) -> Office:
    """The office ``office_id`` if it lies within the user's jurisdiction.

    Raises Http404 both when the office does not exist and when the user may not see it,
    so that a guessed id tells nothing. Bawaslu RI is visible to national users only.
    """
    try:
        pk = int(office_id)
    except (TypeError, ValueError):
        raise Http404("no such office") from None
    office = (
        scope_to_user(Office.objects.select_related("region"), user, "region_id")
        .filter(pk=pk)
        .first()
    )
    if office is None:
        raise Http404("no such office")
    return office
