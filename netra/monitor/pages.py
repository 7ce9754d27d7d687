"""Keyset pages and capped counts of the monitoring lists.

Lists are paged by keyset (``-created_at, -id`` for items, ``-id`` for accounts) rather
than by counting: ``item_created`` serves the order, both ways (the previous page reads
the same index forwards), so a page costs the same on the millionth item as on the first.
A list's count reads at most ``COUNT_CAP + 1`` rows and then says "more than", so no
``COUNT(*)`` runs over a million rows either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from netra.social.models import Item

PAGE_SIZE = 50
_M = TypeVar("_M", bound=models.Model)

# --- keyset pages ---------------------------------------------------------------------------

# The largest key a row may have (BigAutoField); a cursor past it is a hand-made one.
MAX_KEY = 2**63 - 1
# Lists count their rows up to this many, then say "more than": a count over a million
# scoped items would cost as much as reading them.
COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class Page(Generic[_M]):
    """One page of a keyset-paged list.

    ``next_cursor`` and ``prev_cursor`` are the cursors of the pages after and before it
    (``""`` when there is none); ``first`` says that no row comes before this page.
    """

    rows: list[_M]
    next_cursor: str
    first: bool
    prev_cursor: str = ""


@dataclass(frozen=True, slots=True)
class Total:
    """How many rows a list holds, counted up to ``COUNT_CAP``."""

    number: int
    more: bool

    @property
    def label(self) -> str:
        """The count in words: ``1.234`` or ``lebih dari 1.000``."""
        number = number_format(self.number, force_grouping=True)
        if self.more:
            return str(_("lebih dari %(number)s") % {"number": number})
        return str(number)


def total_capped(qs: QuerySet[Any], cap: int = COUNT_CAP) -> Total:
    """The number of rows of ``qs``, reading no more than ``cap + 1`` of them."""
    found = qs.order_by()[: cap + 1].count()
    return Total(number=min(found, cap), more=found > cap)


def _item_cursor(item: Item) -> str:
    if item.created_at is None:
        return f"n.{item.pk}"
    return f"t.{item.created_at.isoformat()}.{item.pk}"


def _key(text: str) -> int | None:
    """A row key from a cursor, or None for anything no row could have."""
    if not text.isdigit():
        return None
    key = int(text)
    return key if 0 < key <= MAX_KEY else None


def _item_cursor_parse(cursor: str) -> tuple[datetime | None, int] | None:
    """``t.<iso time>.<id>`` or ``n.<id>`` (items without a time come last); None if bad.

    A time must be aware and have a UTC equivalent (0001-01-01 in WIB has none), and a
    key must fit a row key, or the database would fail on them.
    """
    if cursor.startswith("n."):
        key = _key(cursor[2:])
        return None if key is None else (None, key)
    if not cursor.startswith("t."):
        return None
    stamp, _dot, pk = cursor[2:].rpartition(".")
    key = _key(pk)
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            return None
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return None if key is None else (moment, key)


def items_page(qs: QuerySet[Item], cursor: str = "", size: int = PAGE_SIZE) -> Page[Item]:
    """One page of ``qs`` newest first, after ``cursor`` (from the previous page).

    Items with a time come first, ordered ``-created_at, -id``; those without one follow,
    by ``-id`` (their NULLs sort differently on SQLite and PostgreSQL, so they are read
    separately rather than left to the database's NULL ordering). A bad cursor reads the
    first page.
    """
    after = _item_cursor_parse(cursor) if cursor else None
    rows: list[Item] = []
    if after is None or after[0] is not None:
        dated = qs.filter(created_at__isnull=False)
        if after is not None:
            moment, pk = after
            # The plain bound first: the OR alone gives SQLite no range on item_created.
            dated = dated.filter(created_at__lte=moment).filter(
                Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk)
            )
        rows = list(dated.order_by("-created_at", "-id")[: size + 1])
    if len(rows) <= size:
        undated = qs.filter(created_at__isnull=True)
        if after is not None and after[0] is None:
            undated = undated.filter(pk__lt=after[1])
        rows += list(undated.order_by("-id")[: size + 1 - len(rows)])
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=_item_cursor(rows[-1]) if more else "",
        first=after is None,
        prev_cursor=_item_cursor(rows[0]) if rows and after is not None else "",
    )


def items_page_before(qs: QuerySet[Item], cursor: str, size: int = PAGE_SIZE) -> Page[Item]:
    """The page of ``qs`` that ends just before ``cursor``, in the order of ``items_page``.

    Read backwards by the same keys and turned round; the first page when the cursor is
    bad or nothing comes before it.
    """
    before = _item_cursor_parse(cursor) if cursor else None
    if before is None:
        return items_page(qs, "", size)
    moment, pk = before
    # Nearest first: the rows just before the cursor, then further back.
    rows: list[Item] = []
    if moment is None:
        rows = list(qs.filter(created_at__isnull=True, pk__gt=pk).order_by("id")[: size + 1])
    dated = qs.filter(created_at__isnull=False)
    if moment is not None:
        dated = dated.filter(created_at__gte=moment).filter(
            Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=pk)
        )
    if len(rows) <= size:
        rows += list(dated.order_by("created_at", "id")[: size + 1 - len(rows)])
    if not rows:
        return items_page(qs, "", size)
    more = len(rows) > size
    rows = rows[:size][::-1]
    return Page(
        rows=rows,
        next_cursor=_item_cursor(rows[-1]),
        first=not more,
        prev_cursor=_item_cursor(rows[0]) if more else "",
    )


def id_page(qs: QuerySet[_M], cursor: str = "", size: int = PAGE_SIZE) -> Page[_M]:
    """One page of ``qs`` by descending key, after the key ``cursor`` (the first page
    when it is no key)."""
    key = _key(cursor)
    if key is not None:
        qs = qs.filter(pk__lt=key)
    rows = list(qs.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=str(rows[-1].pk) if more else "",
        first=key is None,
        prev_cursor=str(rows[0].pk) if rows and key is not None else "",
    )


def id_page_before(qs: QuerySet[_M], cursor: str, size: int = PAGE_SIZE) -> Page[_M]:
    """The page of ``qs`` by descending key that ends just before the key ``cursor``."""
    key = _key(cursor)
    if key is None:
        return id_page(qs, "", size)
    rows = list(qs.filter(pk__gt=key).order_by("pk")[: size + 1])
    if not rows:
        return id_page(qs, "", size)
    more = len(rows) > size
    rows = rows[:size][::-1]
    return Page(
        rows=rows,
        next_cursor=str(rows[-1].pk),
        first=not more,
        prev_cursor=str(rows[0].pk) if more else "",
    )
