"""Keyset pages of the triage queue: highest priority first, then newest act, then key.

An act's time is when it happened, else when it was first (or last) observed, else when
the flag was raised (``moment``, never NULL), so the order is total and a cursor
``<priority>.<iso moment>.<key>`` names one place in it whatever the database. Pages
cost the same deep in the queue as at its head; ``monitor.pages.Page`` carries them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import DateTimeField, Q, QuerySet
from django.db.models.functions import Coalesce

from netra.detection.models import Flag
from netra.monitor.pages import MAX_KEY, Page

PAGE_SIZE = 50
_ORDER = ("-priority", "-moment", "-id")
_REVERSED = ("priority", "moment", "id")


def with_moment(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    """``flags`` annotated with ``moment``, the time the queue orders by (module docstring)."""
    return flags.annotate(
        moment=Coalesce(
            "acted_at", "seen_from", "seen_until", "created_at", output_field=DateTimeField()
        )
    )


def flag_cursor(flag: Flag) -> str:
    moment: datetime = flag.moment  # type: ignore[attr-defined]  # with_moment's annotation
    return f"{flag.priority}.{moment.astimezone(UTC).isoformat()}.{flag.pk}"


def parse_cursor(cursor: str) -> tuple[int, datetime, int] | None:
    """(priority, moment, key) of a cursor, or None for anything no flag could have."""
    head, _dot, rest = cursor.partition(".")
    stamp, _dot, key_text = rest.rpartition(".")
    if not (head.isdigit() and key_text.isdigit()):
        return None
    priority, key = int(head), int(key_text)
    if priority > 100 or not 0 < key <= MAX_KEY:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            return None
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return priority, moment, key


def flags_page(flags: QuerySet[Flag], cursor: str = "", size: int = PAGE_SIZE) -> Page[Flag]:
    """The page of ``flags`` (annotated by ``with_moment``) after ``cursor``; the first page
    for an empty or bad cursor."""
    after = parse_cursor(cursor) if cursor else None
    qs = flags
    if after is not None:
        priority, moment, key = after
        qs = qs.filter(
            Q(priority__lt=priority)
            | Q(priority=priority, moment__lt=moment)
            | Q(priority=priority, moment=moment, pk__lt=key)
        )
    rows = list(qs.order_by(*_ORDER)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=flag_cursor(rows[-1]) if more else "",
        first=after is None,
        prev_cursor=flag_cursor(rows[0]) if rows and after is not None else "",
    )


def flags_page_before(flags: QuerySet[Flag], cursor: str, size: int = PAGE_SIZE) -> Page[Flag]:
    """The page of ``flags`` that ends just before ``cursor``, in the queue's order; the
    first page when the cursor is bad or nothing comes before it."""
    before = parse_cursor(cursor)
    if before is None:
        return flags_page(flags, "", size)
    priority, moment, key = before
    rows = list(
        flags.filter(
            Q(priority__gt=priority)
            | Q(priority=priority, moment__gt=moment)
            | Q(priority=priority, moment=moment, pk__gt=key)
        ).order_by(*_REVERSED)[: size + 1]
    )
    if not rows:
        return flags_page(flags, "", size)
    more = len(rows) > size
    rows = rows[:size][::-1]
    return Page(
        rows=rows,
        next_cursor=flag_cursor(rows[-1]),
        first=not more,
        prev_cursor=flag_cursor(rows[0]) if more else "",
    )
