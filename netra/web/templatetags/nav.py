"""Template filters of the page frame (base.html)."""

from __future__ import annotations

from django import template

from netra.staff.middleware import needs_second_factor
from netra.staff.types import AnyUser

register = template.Library()


@register.filter
def second_factor_done(user: AnyUser) -> bool:
    """Whether ``user`` is past every login step: the sections navigation and the admin
    link stay hidden while a role that needs it has not passed the TOTP check."""
    return not needs_second_factor(user)
