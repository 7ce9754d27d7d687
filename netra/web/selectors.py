"""Reads for the home dashboard: what the signed-in user can see, counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from netra.elections.models import Election
from netra.geo.models import Region, within_q
from netra.registry.models import Agency, Subject
from netra.staff.access import Jurisdiction, NoAccess, scope_to_user, user_jurisdiction


@dataclass(frozen=True)
class Dashboard:
    """Counts of rows within the user's jurisdiction; all zero without jurisdiction."""

    jurisdiction: Jurisdiction
    region: Region | None
    regions: int
    agencies: int
    subjects: int
    elections: int

    @property
    def national(self) -> bool:
        return self.jurisdiction is None

    @property
    def has_access(self) -> bool:
        return not isinstance(self.jurisdiction, NoAccess)


def _ancestor_codes(code: str) -> list[str]:
    """``35.07.01`` -> ``["35", "35.07"]``."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def elections_relevant_to(user: Any) -> QuerySet[Election]:
    """Elections held over the user's area: national ones, those of a region above the
    user's (the governor election for a regency office) and those within it."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return Election.objects.none()
    if jurisdiction is None:
        return Election.objects.all()
    return Election.objects.filter(
        Q(region__isnull=True)
        | Q(region_id__in=_ancestor_codes(jurisdiction))
        | within_q("region__code", jurisdiction)
    )


def dashboard_for(user: Any) -> Dashboard:
    """The home dashboard of ``user`` (any request user; anonymous gets zeros)."""
    jurisdiction = user_jurisdiction(user)
    region = None
    if isinstance(jurisdiction, str):
        region = Region.objects.filter(code=jurisdiction).first()
    return Dashboard(
        jurisdiction=jurisdiction,
        region=region,
        regions=scope_to_user(Region.objects.all(), user, "code").count(),
        agencies=scope_to_user(Agency.objects.all(), user, "region_id").count(),
        subjects=scope_to_user(Subject.objects.all(), user, "workplace_id").count(),
        elections=elections_relevant_to(user).count(),
    )
