"""The kinds of Event that law writes."""

from __future__ import annotations

from enum import StrEnum


class LawEvent(StrEnum):
    LOADED = "law.loaded"
    # A regulation row edited by staff in the admin, outside the loader.
    EDITED = "law.edited"
