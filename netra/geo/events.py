"""The kinds of Event that geo writes."""

from __future__ import annotations

from enum import StrEnum


class GeoEvent(StrEnum):
    REGIONS_IMPORTED = "geo.regions_imported"
