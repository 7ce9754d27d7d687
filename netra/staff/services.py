"""Writes on offices and staff accounts; each records one Event.

The actor is a user, or None for the system (command line, fixtures, demo loader).
A user actor must hold ``staff.manage_office`` on the office concerned (an admin whose
jurisdiction covers it, or a superuser); otherwise PermissionDenied is raised before
anything is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.geo.models import Region
from netra.staff.models import Office, OfficeLevel, Role, User


def _require_manager(actor: User | None, office: Office) -> None:
    if actor is None:
        return
    if not actor.has_perm("staff.manage_office", office):
        raise PermissionDenied(
            _("Anda tidak berwenang mengelola kantor %(office)s.") % {"office": office.name}
        )


@transaction.atomic
def office_create(
    *, name: str, level: OfficeLevel | str, region: Region | None, actor: User | None
) -> Office:
    """Create an office at ``region``; the region's level must match the office level.

    Bawaslu RI has no region; every other level sits at a region of its own level
    (``REGION_LEVEL``). Raises ValidationError (Indonesian, keyed by field) or
    PermissionDenied.
    """
    office = Office(name=name.strip(), level=level, region=region)
    _require_manager(actor, office)
    office.full_clean()
    office.save()
    event_record(
        kind="staff.office_created",
        subject=office,
        actor=actor,
        params={"name": office.name, "level": office.level, "region": office.region_id},
    )
    return office


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    office: Office,
    role: Role | str,
    email: str = "",
    organisation: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    actor: User | None,
) -> User:
    """Create an active staff account with an argon2-hashed password.

    The password must pass AUTH_PASSWORD_VALIDATORS; it is never stored in clear nor
    written to the Event. Raises ValidationError (keyed by field) or PermissionDenied.
    """
    _require_manager(actor, office)
    if is_superuser and actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Hanya superuser yang boleh membuat superuser."))
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        office=office,
        role=role,
        organisation=organisation.strip(),
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    event_record(
        kind="staff.user_created",
        subject=user,
        actor=actor,
        params={
            "username": user.username,
            "office": office.pk,
            "role": user.role,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
        },
    )
    return user


@transaction.atomic
def staff_role_change(*, user: User, role: Role | str, actor: User | None) -> User:
    """Give ``user`` a new role within their office; returns the user as now stored.

    The change is a conditional update on the role the caller saw, so two admins acting
    at once cannot both succeed silently. Raises ValidationError for an unknown role,
    a role without office, a partner without organisation, an unchanged role, or a role
    that changed meanwhile; PermissionDenied when the actor may not manage the office.
    """
    if user.office is None:
        raise ValidationError({"office": _("Pengguna ini belum terdaftar di kantor mana pun.")})
    _require_manager(actor, user.office)
    old = user.role
    if role == old:
        raise ValidationError(
            {"role": _("Pengguna ini sudah berperan %(role)s.") % {"role": user.get_role_display()}}
        )
    candidate = User.objects.get(pk=user.pk)
    candidate.role = role
    # Validates the role choice and the partner/organisation rule on the new state.
    candidate.full_clean(exclude=["password"])
    updated = User.objects.filter(pk=user.pk, role=old).update(role=role)
    if updated != 1:
        raise ValidationError(
            {"role": _("Peran pengguna ini baru saja diubah orang lain; muat ulang halaman.")}
        )
    user.refresh_from_db(fields=["role"])
    params: dict[str, Any] = {"from": old, "to": user.role}
    event_record(kind="staff.role_changed", subject=user, actor=actor, params=params)
    return user
