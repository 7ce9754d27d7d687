"""Reads about staff accounts."""

from __future__ import annotations

from django.db.models import Expression, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.geo.models import within_q
from netra.staff.models import Office, User


def offices_within(region: str) -> QuerySet[Office]:
    """The offices of the region of code ``region`` and below it (a subquery for rows
    scoped by the office that owns them, e.g. who may see a source)."""
    return Office.objects.filter(within_q("region__pk", region))


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    """The user's first confirmed authenticator, None when they have not enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def user_name_of(user_id: Expression | OuterRef) -> Subquery:
    """A subquery for the name a page shows of the user ``user_id`` (an expression, e.g.
    ``OuterRef("actor_id")``): the full name, else the username; NULL for no user."""
    return Subquery(
        User.objects.filter(pk=user_id).values(
            name=Coalesce(NullIf(F("full_name"), Value("")), F("username"))
        )[:1]
    )


def totp_devices_of(username: str, name: str) -> QuerySet[TOTPDevice]:
    """The confirmed authenticators called ``name`` of the user ``username``."""
    devices: QuerySet[TOTPDevice] = TOTPDevice.objects.filter(
        user__in=User.objects.filter(username=username), name=name, confirmed=True
    )
    return devices
