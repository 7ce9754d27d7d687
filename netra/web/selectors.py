"""Reads for the home dashboard: what the signed-in user can see, counted."""

from __future__ import annotations

from dataclasses import dataclass

from netra.elections.selectors import elections_for_user
from netra.geo.models import Region
from netra.registry.models import Agency, Subject
from netra.staff.access import Jurisdiction, NoAccess, scope_to_user, user_jurisdiction
from netra.staff.types import AnyUser


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


def dashboard_for(user: AnyUser) -> Dashboard:
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
        elections=elections_for_user(user).count(),
    )
