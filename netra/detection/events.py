"""The kinds of Event that detection writes (``netra.core.events.event_record``)."""

from __future__ import annotations

from enum import StrEnum


class DetectionEvent(StrEnum):
    # A staff member added a lexicon alias (``lexicon_alias_add``, or the admin's add form).
    ALIAS_ADDED = "detection.alias_added"
    # Admin writes (``netra.core.admin.AdminEventsMixin``).
    ALIAS_CHANGED = "detection.alias_changed"
    ALIAS_DELETED = "detection.alias_deleted"
    # A linkage run proposed account links (``linkage_run``); its params hold the counts.
    LINKAGE_RUN = "detection.linkage_run"
