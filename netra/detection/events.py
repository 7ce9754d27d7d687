"""The kinds of Event that detection writes (``netra.core.events.event_record``)."""

from __future__ import annotations

from enum import StrEnum


class DetectionEvent(StrEnum):
    # A staff member added a lexicon alias (``lexicon_alias_add``, or the admin's add form).
    ALIAS_ADDED = "detection.alias_added"
    # Admin writes (``netra.core.admin.AdminEventsMixin``).
    ALIAS_CHANGED = "detection.alias_changed"
    ALIAS_DELETED = "detection.alias_deleted"
    # A classifier run stored the verdicts of a batch of items (``content_verdicts_store``).
    VERDICTS_STORED = "detection.verdicts_stored"
    # A detection run created, updated, withdrew or reopened act flags (``flags_detect``).
    FLAGS_DETECTED = "detection.flags_detected"
    # A run did the same for coordination flags (``coordination_detect``).
    COORDINATION_DETECTED = "detection.coordination_detected"
    # Staff decided a flag (``flag_confirm``, ``flag_dismiss`` and their bulk forms).
    FLAG_CONFIRMED = "detection.flag_confirmed"
    FLAG_DISMISSED = "detection.flag_dismissed"
    # A linkage run proposed account links (``linkage_run``); its params hold the counts.
    LINKAGE_RUN = "detection.linkage_run"
