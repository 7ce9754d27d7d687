"""The kinds of Event the registry writes (``netra.core.events.event_record``)."""

from __future__ import annotations

from enum import StrEnum

from netra.registry.models import LinkStatus


class RegistryEvent(StrEnum):
    ROSTER_IMPORTED = "registry.roster_imported"
    ACCOUNT_LINK_PROPOSED = "registry.account_link_proposed"
    ACCOUNT_LINK_PROPOSAL_UPDATED = "registry.account_link_proposal_updated"
    ACCOUNT_LINK_CONFIRMED = "registry.account_link_confirmed"
    ACCOUNT_LINK_REJECTED = "registry.account_link_rejected"
    # Admin writes (``netra.core.admin.AdminEventsMixin``).
    AGENCY_CREATED = "registry.agency_created"
    AGENCY_CHANGED = "registry.agency_changed"
    AGENCY_DELETED = "registry.agency_deleted"
    SUBJECT_CREATED = "registry.subject_created"
    SUBJECT_CHANGED = "registry.subject_changed"
    SUBJECT_DELETED = "registry.subject_deleted"


# What deciding a proposed link records, by the status it is given.
LINK_DECIDED = {
    LinkStatus.CONFIRMED: RegistryEvent.ACCOUNT_LINK_CONFIRMED,
    LinkStatus.REJECTED: RegistryEvent.ACCOUNT_LINK_REJECTED,
}
