"""Reads of elections, scoped to the user asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from netra.elections.models import Election
from netra.geo.models import ancestor_codes, within_q
from netra.staff.access import NoAccess, user_jurisdiction
from netra.staff.types import AnyUser


def elections_for_user(user: AnyUser) -> QuerySet[Election]:
    """Elections held over the user's area: national ones, those of a region above the
    user's (a regency office works on the governor and presidential elections too) and
    those within it. Everything for national users, nothing without a jurisdiction."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return Election.objects.none()
    if jurisdiction is None:
        return Election.objects.all()
    return Election.objects.filter(
        Q(region__isnull=True)
        | Q(region_id__in=ancestor_codes(jurisdiction))
        | within_q("region__pk", jurisdiction)
    )


def elections_by_slug(slug: str) -> QuerySet[Election]:
    """The election of that slug, as a QuerySet (empty when none has it)."""
    return Election.objects.filter(slug=slug)
