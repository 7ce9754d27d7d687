"""Reads about staff accounts."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.staff.models import User


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    """The user's first confirmed authenticator, None when they have not enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
