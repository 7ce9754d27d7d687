"""Reads for the registry, scoped to the jurisdiction of the user asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from netra.geo.models import within_q
from netra.registry.models import Agency, Subject
from netra.staff.access import NoAccess, scope_to_user, user_jurisdiction


def subjects_for_user(user: Any) -> QuerySet[Subject]:
    """Subjects whose workplace lies in the user's jurisdiction (``netra.staff.access``).

    Bawaslu RI sees every subject; an office at ``35.07`` sees workplaces ``35.07*``;
    anonymous users, users without office or role, and pokja partners see none.
    Agency and workplace come joined.
    """
    subjects = Subject.objects.select_related("agency", "agency__region", "workplace")
    return scope_to_user(subjects, user, "workplace_id")


def agencies_for_user(user: Any) -> QuerySet[Agency]:
    """Agencies seated in the user's jurisdiction, or employing a subject who works there.

    A provincial agency (seated at ``35``) is listed to a Kabupaten Malang office when
    one of its staff works in ``35.07``; otherwise the same rules as ``subjects_for_user``.
    """
    agencies = Agency.objects.select_related("region")
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return agencies.none()
    if jurisdiction is None:
        return agencies.all()
    staff_here = Subject.objects.filter(agency=OuterRef("pk")).filter(
        within_q("workplace__pk", jurisdiction)
    )
    return agencies.filter(Q(within_q("region__pk", jurisdiction)) | Q(Exists(staff_here)))
