"""The kinds of Event that staff writes."""

from __future__ import annotations

from enum import StrEnum


class StaffEvent(StrEnum):
    OFFICE_CREATED = "staff.office_created"
    OFFICE_CHANGED = "staff.office_changed"
    USER_CREATED = "staff.user_created"
    ROLE_CHANGED = "staff.role_changed"
    OTP_ENROLLED = "staff.otp_enrolled"
    OTP_FAILED = "staff.otp_failed"
