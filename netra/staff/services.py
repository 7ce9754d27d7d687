"""Writes on offices, staff accounts and their second factor; each records one Event.

The actor is a user, or None for the system (command line, fixtures, demo loader).
A user actor must hold ``staff.manage_office`` on the office concerned (an admin whose
jurisdiction covers it, or a superuser); otherwise PermissionDenied is raised before
anything is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import event_record
from netra.geo.models import Region
from netra.staff.events import StaffEvent
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
        kind=StaffEvent.OFFICE_CREATED,
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
        kind=StaffEvent.USER_CREATED,
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
    event_record(kind=StaffEvent.ROLE_CHANGED, subject=user, actor=actor, params=params)
    return user


# --- the second factor (TOTP) -----------------------------------------------------------


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made when there is none (enrolment page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, confirmed=False, name=_("Aplikasi autentikator")
        )
    return device


@dataclass(frozen=True, slots=True)
class TotpCheck:
    """What became of one code: accepted, refused, or refused unseen while throttled."""

    verified: bool
    device: TOTPDevice
    # Seconds to wait before the device takes a code again; 0 when it is not throttled.
    wait_seconds: int = 0


def totp_check(*, user: User, device: TOTPDevice, token: str) -> TotpCheck:
    """Check ``token`` against ``device`` (the user's own), counting a failure on the device.

    The device row is locked, so one code cannot be accepted twice by racing requests. A
    throttled device refuses even the right code until its back-off (1 s, 2 s, 4 s, …) has
    passed, without counting it. A wrong code records ``StaffEvent.OTP_FAILED``.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, info = locked.verify_is_allowed()
        verified = bool(allowed and locked.verify_token(token))
    if verified:
        return TotpCheck(verified=True, device=locked)
    if not allowed:
        wait = 1
        locked_until = (info or {}).get("locked_until")
        if locked_until is not None:
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return TotpCheck(verified=False, device=locked, wait_seconds=wait)
    event_record(
        kind=StaffEvent.OTP_FAILED,
        subject=user,
        actor=user,
        params={"failures": locked.throttling_failure_count},
    )
    return TotpCheck(verified=False, device=locked)


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice) -> bool:
    """Confirm the device whose code the user just proved, and drop their other unconfirmed ones.

    Conditional, so two tabs enrolling at once confirm one device, not two; returns whether
    this call confirmed it, and records ``StaffEvent.OTP_ENROLLED`` when it did.
    """
    updated: int = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).update(
        confirmed=True
    )
    confirmed = updated == 1
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    if confirmed:
        event_record(kind=StaffEvent.OTP_ENROLLED, subject=user, actor=user)
    return confirmed
