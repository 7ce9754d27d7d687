"""The kinds of Event that elections writes."""

from __future__ import annotations

from enum import StrEnum


class ElectionsEvent(StrEnum):
    ELECTION_CREATED = "elections.election_created"
    ELECTION_UPDATED = "elections.election_updated"
    ELECTION_CHANGED = "elections.election_changed"
    ELECTION_DELETED = "elections.election_deleted"
    CANDIDATE_CREATED = "elections.candidate_created"
    CANDIDATE_CHANGED = "elections.candidate_changed"
    CANDIDATE_DELETED = "elections.candidate_deleted"
