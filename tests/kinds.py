"""Event kinds of the tests' own (``event_record`` takes a StrEnum member, never a string)."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    REGION_RENAMED = "geo.region_renamed"
    TIP_RECEIVED = "complaints.tip_received"
    CORE_TEST = "core.test"
    REGION = "uji.wilayah"
    SOMETHING = "uji.sesuatu"
