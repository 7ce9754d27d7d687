"""Reads of the social pages, always through ``netra.monitor.access`` scoping.

Lists are paged by keyset (``-created_at, -id`` for items, ``-id`` for accounts) rather
than by counting: ``item_created`` serves the order, both ways (the previous page reads
the same index forwards), so a page costs the same on the millionth item as on the first.
A list's count reads at most ``COUNT_CAP + 1`` rows and then says "more than", so no
``COUNT(*)`` runs over a million rows either.

The people behind accounts come from ``netra.registry`` (subjects, through confirmed or
proposed account links, within the user's jurisdiction) and ``netra.elections``
(candidates' official accounts, of the elections the user may see): ``account_marks``.

Two reads of the item page have no index yet and scan their table: an item's children
(``Item.parent_platform_id``) and the mentions made in it
(``Interaction.via_item_platform_id``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from netra.elections.models import Election
from netra.elections.selectors import OfficialAccount, official_accounts_for_user
from netra.monitor.access import (
    accounts_for_user,
    interactions_for_user,
    items_for_user,
    provenance_for_user,
    quarantine_for_user,
    runs_for_user,
    snapshots_for_user,
    sources_for_user,
)
from netra.monitor.versions import accounts_as_seen, items_as_seen
from netra.registry.selectors import (
    AccountSubject,
    account_subjects_for_user,
    confirmed_account_links_within,
)
from netra.social.models import (
    Account,
    AccountSnapshot,
    IngestRun,
    Interaction,
    InteractionKind,
    Item,
    ItemKind,
    ItemProvenance,
    QuarantinedRecord,
    RunStatus,
    Source,
    SourceKind,
)
from netra.social.services import image_type
from netra.social.store import OUTCOMES, raw_read
from netra.staff.access import NoAccess, user_jurisdiction
from netra.staff.types import AnyUser

WIB = ZoneInfo("Asia/Jakarta")
PAGE_SIZE = 50
THREAD_LIMIT = 500
INTERACTION_LIMIT = 200
# The most comments, shares and quotes of one item the page counts (and under SQLite's
# limit of parameters in one query).
CHILD_KEYS_LIMIT = 10_000
RAW_EXCERPT_CHARS = 600

# Neutral metric names (records.py) in the words of the pages; others keep their own name.
METRIC_LABELS: dict[str, StrOrPromise] = {
    "likes": _("suka"),
    "shares": _("dibagikan"),
    "replies": _("balasan"),
    "quotes": _("kutipan"),
    "comments": _("komentar"),
    "views": _("tayangan"),
    "bookmarks": _("markah"),
}

_M = TypeVar("_M", bound=models.Model)
# NULLs sort first on PostgreSQL and last on SQLite unless told: say where they go.
_OLDEST_FIRST = F("created_at").asc(nulls_last=True)
_LAST_SEEN_FIRST = F("last_seen_at").desc(nulls_last=True)


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: StrOrPromise
    value: Any


def metrics_of(item: Item) -> list[Metric]:
    """An item's counters, the neutral ones first in a fixed order."""
    counts = item.metrics if isinstance(item.metrics, dict) else {}
    order = list(METRIC_LABELS)
    names = sorted(counts, key=lambda name: (order.index(name) if name in order else 99, name))
    return [Metric(name, METRIC_LABELS.get(name, name), counts[name]) for name in names]


def safe_url(value: Any) -> str:
    """``value`` if it is an http(s) URL, else ``""``: a loaded file may carry any string,
    and a ``javascript:`` link must never reach an ``href``."""
    if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()
    return ""


@dataclass(frozen=True, slots=True)
class MediaLink:
    """One attachment of an item: a link to the platform's copy, never embedded."""

    type: str
    url: str
    text: str


def media_links(item: Item) -> list[MediaLink]:
    entries = item.media if isinstance(item.media, list) else []
    links = []
    for entry in entries:
        if isinstance(entry, dict):
            kind, url = str(entry.get("type") or ""), entry.get("url")
        else:
            kind, url = "", entry
        links.append(MediaLink(kind, safe_url(url), str(url or "")))
    return links


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


# --- who is behind an account ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountMark:
    """What Netra knows of the person behind an account, as far as the user may know it:
    the registered subject (``netra.registry``) and the candidacies whose official
    account it is (``netra.elections``)."""

    subject: AccountSubject | None
    official: tuple[OfficialAccount, ...]


def account_marks(user: AnyUser, accounts: Iterable[Account | None]) -> dict[int, AccountMark]:
    """The marks of those ``accounts`` that have one, by account key; two queries."""
    known = {account.pk: account for account in accounts if account is not None}
    subjects = account_subjects_for_user(user, known)
    official = official_accounts_for_user(
        user, [(account.platform, account.handle) for account in known.values()]
    )
    marks: dict[int, AccountMark] = {}
    for pk, account in known.items():
        roles = tuple(official.get((account.platform, account.handle.casefold()), ()))
        if pk in subjects or roles:
            marks[pk] = AccountMark(subject=subjects.get(pk), official=roles)
    return marks


# --- items ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemFilters:
    """What the item search asks for; empty values do not filter."""

    text: str = ""
    platform: str = ""
    kind: str = ""
    author: str = ""
    account_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    election: Election | None = None
    # Only items by an account confirmed as a registered subject's the user may see.
    registered: bool = False
    # Only items read from this source (a run page's "what it loaded").
    source: Source | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


def _read_from(sources: QuerySet[Source]) -> Exists:
    return Exists(
        ItemProvenance.objects.filter(item_id=OuterRef("pk"), source_id__in=sources.values("pk"))
    )


def items_search(user: AnyUser, filters: ItemFilters) -> QuerySet[Item]:
    """The items ``user`` may see that match ``filters``; dates are WIB calendar days.

    The election and source filters keep items read from sources the user may see only:
    an item visible through its linked author is not shown as part of another office's
    file.
    """
    items = items_for_user(user, Item.objects.select_related("author"))
    if filters.platform:
        items = items.filter(platform=filters.platform)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.text:
        items = items.filter(Q(text__icontains=filters.text) | Q(title__icontains=filters.text))
    if filters.author:
        authors = Account.objects.filter(handle__iexact=filters.author.strip().lstrip("@"))
        if filters.platform:
            authors = authors.filter(platform=filters.platform)
        # Keys first: a literal list lets the planner walk item_author_created.
        items = items.filter(author_id__in=list(authors.values_list("pk", flat=True)[:1000]))
    if filters.account_id is not None:
        items = items.filter(author_id=filters.account_id)
    if filters.date_from is not None:
        items = items.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        items = items.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.election is not None:
        items = items.filter(
            _read_from(sources_for_user(user, Source.objects.filter(election=filters.election)))
        )
    if filters.source is not None:
        items = items.filter(
            _read_from(sources_for_user(user, Source.objects.filter(pk=filters.source.pk)))
        )
    if filters.registered:
        region = user_jurisdiction(user)
        if isinstance(region, NoAccess):
            return items.none()
        linked = confirmed_account_links_within(region).order_by().values("account_id")
        items = items.filter(author_id__in=linked)
    return items


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: Item
    metrics: list[Metric]
    mark: AccountMark | None = None


def item_rows(items: Iterable[Item], user: AnyUser | None = None) -> list[ItemRow]:
    """Rows of a list of items; with ``user``, each author's mark as that user may see it."""
    items = list(items)
    if user is not None:
        items_as_seen(user, items)
    marks = account_marks(user, [item.author for item in items]) if user is not None else {}
    return [ItemRow(item, metrics_of(item), marks.get(item.author_id or 0)) for item in items]


@dataclass(frozen=True, slots=True)
class ThreadNode:
    item: Item
    depth: int
    current: bool
    mark: AccountMark | None = None


@dataclass(frozen=True, slots=True)
class InteractionRow:
    """An interaction stored as such, or one derived from a child item (a comment)."""

    kind: str
    kind_label: StrOrPromise
    reaction_type: str
    actor: Account | None
    item: Item | None
    occurred_at: datetime | None
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    actor_mark: AccountMark | None = None


@dataclass(frozen=True, slots=True)
class ProvenanceRow:
    """One place the item was read, with who brought that source in and when.

    ``screenshot`` says that the source is a manual entry with a screenshot attached,
    served by the item's screenshot page (never a media URL).
    """

    provenance: ItemProvenance
    source: Source
    loaded_by: Any = None
    loaded_at: datetime | None = None
    screenshot: bool = False

    @property
    def manual(self) -> bool:
        return self.source.kind == SourceKind.MANUAL


@dataclass(frozen=True, slots=True)
class MentionRow:
    interaction: Interaction
    mark: AccountMark | None = None


@dataclass
class ItemDetail:
    item: Item
    metrics: list[Metric]
    provenance: list[ProvenanceRow]
    thread: list[ThreadNode]
    thread_root_id: str
    thread_root_missing: bool
    thread_truncated: bool
    interactions: list[InteractionRow]
    interaction_counts: list[tuple[StrOrPromise, int]]
    mentions: list[MentionRow]
    parent: Item | None
    permalink: str
    media: list[MediaLink]
    counts_truncated: bool = field(default=False)
    children_capped: bool = field(default=False)
    author_mark: AccountMark | None = None
    # The source whose version of the item is shown, when the user may see it.
    shown_source: Source | None = None

    @property
    def entries(self) -> list[ProvenanceRow]:
        """The manual entries of the item the user may see, screenshots and who typed them."""
        return [row for row in self.provenance if row.manual]


def _thread(user: AnyUser, item: Item) -> tuple[list[ThreadNode], str, bool, bool]:
    """The visible items of the item's conversation, depth-first from the root."""
    root_id = item.root_platform_id or item.platform_id
    # Keys by the item_thread and item_unique_id indexes first, then the scope over them.
    keys = list(
        Item.objects.filter(
            Q(root_platform_id=root_id) | Q(platform_id=root_id), platform=item.platform
        ).values_list("pk", flat=True)[:CHILD_KEYS_LIMIT]
    )
    members = list(
        items_for_user(user, Item.objects.select_related("author").filter(pk__in=keys)).order_by(
            _OLDEST_FIRST, "id"
        )[: THREAD_LIMIT + 1]
    )
    truncated = len(members) > THREAD_LIMIT
    members = members[:THREAD_LIMIT]
    if item.pk not in {member.pk for member in members}:
        members.append(item)
    by_id = {member.platform_id: member for member in members}
    children: dict[str, list[Item]] = defaultdict(list)
    tops: list[Item] = []
    for member in members:
        parent = member.parent_platform_id
        if member.platform_id == root_id:
            tops.insert(0, member)
        elif parent and parent != member.platform_id and parent in by_id:
            children[parent].append(member)
        elif root_id in by_id:
            # Its parent is not stored, or not visible to this user: under the root.
            children[root_id].append(member)
        else:
            tops.append(member)
    nodes: list[ThreadNode] = []
    seen: set[int] = set()

    def walk(node: Item, depth: int) -> None:
        if node.pk in seen:
            return
        seen.add(node.pk)
        nodes.append(ThreadNode(node, depth, node.pk == item.pk))
        for child in children.get(node.platform_id, []):
            walk(child, depth + 1)

    for top in tops:
        walk(top, 0)
    # Whatever a cycle of parent ids kept out of reach.
    for member in members:
        walk(member, 0)
    return nodes, root_id, root_id not in by_id, truncated


def _provenance_rows(user: AnyUser, item: Item) -> list[ProvenanceRow]:
    """Where the item was read, in the sources ``user`` may see, oldest source first."""
    rows = list(
        provenance_for_user(user, ItemProvenance.objects.filter(item=item))
        .select_related("source", "source__election", "source__owner")
        .order_by("source__created_at", "pk")
    )
    # Who brought each source in: the actor of its first run.
    first_runs: dict[int, IngestRun] = {}
    for loaded in (
        IngestRun.objects.filter(source_id__in=[row.source_id for row in rows])
        .select_related("actor", "actor__office")
        .order_by("source_id", "pk")
    ):
        first_runs.setdefault(loaded.source_id, loaded)
    result = []
    for row in rows:
        run = first_runs.get(row.source_id)
        result.append(
            ProvenanceRow(
                provenance=row,
                source=row.source,
                loaded_by=run.actor if run else None,
                loaded_at=run.started_at if run else None,
                screenshot=row.source.kind == SourceKind.MANUAL and bool(row.source.attachment),
            )
        )
    return result


def item_detail(user: AnyUser, item: Item) -> ItemDetail:
    """Everything the item page shows of an item ``user`` may see (see ``access``)."""
    provenance = _provenance_rows(user, item)
    thread, root_id, root_missing, truncated = _thread(user, item)
    # Likes, reactions, shares known by their actor: the stored interactions.
    stored = interactions_for_user(
        user,
        Interaction.objects.filter(
            platform=item.platform, target_item_platform_id=item.platform_id
        ),
    )
    counts = {
        row["kind"]: row["n"]
        for row in stored.values("kind").annotate(n=Count("pk")).order_by("kind")
    }
    interactions = list(
        stored.select_related("actor").order_by("kind", _LAST_SEEN_FIRST, "pk")[:INTERACTION_LIMIT]
    )
    # Comments, replies, shares and quotes are items of their own that name this one.
    # No index serves parent_platform_id (see the module docstring): one read, counted
    # here, and a count query only when there are more than a page of them.
    # Keys first, then the scope over them: left together, the planner may walk the whole
    # item_created index testing the scope on every row.
    child_keys = list(
        Item.objects.filter(
            platform=item.platform, parent_platform_id=item.platform_id
        ).values_list("pk", flat=True)[:CHILD_KEYS_LIMIT]
    )
    children = items_for_user(
        user, Item.objects.select_related("author").filter(pk__in=child_keys)
    ).order_by(_OLDEST_FIRST, "id")
    shown = list(children[: INTERACTION_LIMIT + 1])
    if len(shown) <= INTERACTION_LIMIT:
        child_counts: dict[str, int] = defaultdict(int)
        for child in shown:
            child_counts[child.kind] += 1
    else:
        child_counts = {
            row["kind"]: row["n"]
            for row in children.values("kind").annotate(n=Count("pk")).order_by("kind")
        }
    shown = shown[:INTERACTION_LIMIT]
    mentions = list(
        interactions_for_user(
            user,
            Interaction.objects.filter(
                platform=item.platform, via_item_platform_id=item.platform_id
            ),
        )
        .select_related("actor", "target_account")
        .order_by("pk")[:INTERACTION_LIMIT]
    )
    marks = account_marks(
        user,
        [
            item.author,
            *(node.item.author for node in thread),
            *(interaction.actor for interaction in interactions),
            *(child.author for child in shown),
            *(mention.target_account for mention in mentions),
        ],
    )

    def mark(account_id: int | None) -> AccountMark | None:
        return marks.get(account_id or 0)

    rows = [
        InteractionRow(
            kind=interaction.kind,
            kind_label=interaction.get_kind_display(),
            reaction_type=interaction.reaction_type,
            actor=interaction.actor,
            item=None,
            occurred_at=interaction.occurred_at,
            first_seen_at=interaction.first_seen_at,
            last_seen_at=interaction.last_seen_at,
            actor_mark=mark(interaction.actor_id),
        )
        for interaction in interactions
    ]
    rows += [
        InteractionRow(
            kind=child.kind,
            kind_label=child.get_kind_display(),
            reaction_type="",
            actor=child.author,
            item=child,
            occurred_at=child.created_at,
            first_seen_at=child.first_seen_at,
            last_seen_at=child.collected_at,
            actor_mark=mark(child.author_id),
        )
        for child in shown
    ]
    labels: dict[str, StrOrPromise] = {**dict(InteractionKind.choices), **dict(ItemKind.choices)}
    totals: dict[str, int] = defaultdict(int)
    for kind, number in [*counts.items(), *child_counts.items()]:
        totals[kind] += number
    parent = None
    if item.parent_platform_id:
        parent = (
            items_for_user(user)
            .filter(platform=item.platform, platform_id=item.parent_platform_id)
            .first()
        )
    items_as_seen(user, [item, *(node.item for node in thread), *shown, parent])
    accounts_as_seen(
        user,
        [
            *(interaction.actor for interaction in interactions),
            *(mention.target_account for mention in mentions),
        ],
    )
    return ItemDetail(
        item=item,
        metrics=metrics_of(item),
        provenance=provenance,
        thread=[
            ThreadNode(node.item, node.depth, node.current, mark(node.item.author_id))
            for node in thread
        ],
        thread_root_id=root_id,
        thread_root_missing=root_missing,
        thread_truncated=truncated,
        interactions=rows,
        interaction_counts=[(labels.get(kind, kind), n) for kind, n in sorted(totals.items())],
        mentions=[MentionRow(mention, mark(mention.target_account_id)) for mention in mentions],
        parent=parent,
        permalink=safe_url(item.permalink),
        media=media_links(item),
        counts_truncated=(
            sum(counts.values()) > INTERACTION_LIMIT
            or sum(child_counts.values()) > INTERACTION_LIMIT
        ),
        children_capped=len(child_keys) >= CHILD_KEYS_LIMIT,
        author_mark=mark(item.author_id),
        shown_source=next(
            (row.source for row in provenance if row.source.pk == item.shown_source_id), None
        ),
    )


def screenshot_of(provenance: ItemProvenance) -> tuple[Source, str] | None:
    """The manual entry's screenshot behind ``provenance`` and its image type (``png``,
    ``jpg``, ``webp``, read from its first bytes as when it was accepted), or None."""
    source = provenance.source
    if source.kind != SourceKind.MANUAL or not source.attachment:
        return None
    with source.attachment.open("rb") as stream:
        kind = image_type(stream.read(16))
    return None if kind is None else (source, kind)


def raw_text(block_id: int, start: int, length: int) -> str:
    """A stored raw record as text: indented JSON when it is JSON, else the bytes decoded."""
    data = raw_read(block_id, start, length)
    text = data.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


# --- accounts -------------------------------------------------------------------------------


def accounts_search(user: AnyUser, text: str = "", platform: str = "") -> QuerySet[Account]:
    """The accounts ``user`` may see whose handle, name or id contains ``text``."""
    accounts = accounts_for_user(user)
    if platform:
        accounts = accounts.filter(platform=platform)
    text = text.strip().lstrip("@")
    if text:
        accounts = accounts.filter(
            Q(handle__icontains=text) | Q(display_name__icontains=text) | Q(platform_id=text)
        )
    return accounts


@dataclass(frozen=True, slots=True)
class AccountRow:
    account: Account
    mark: AccountMark | None


def account_rows(user: AnyUser, accounts: Sequence[Account]) -> list[AccountRow]:
    accounts_as_seen(user, accounts)
    marks = account_marks(user, accounts)
    return [AccountRow(account, marks.get(account.pk)) for account in accounts]


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One version of a profile, and which of its fields differ from the version before."""

    snapshot: AccountSnapshot
    changed: frozenset[str]


_SNAPSHOT_FIELDS = ("handle", "display_name", "bio", "followers", "following", "posts", "deleted")


def snapshot_history(user: AnyUser, account: Account, limit: int = 200) -> list[SnapshotRow]:
    """The account's profile versions from the sources ``user`` may see, newest first, each
    with what it changed since the one before it."""
    snapshots = list(
        snapshots_for_user(user, AccountSnapshot.objects.filter(account=account))
        .select_related("source")
        .order_by(F("seen_at").desc(nulls_last=True), "-id")[:limit]
    )
    rows: list[SnapshotRow] = []
    for index, snapshot in enumerate(snapshots):
        older = snapshots[index + 1] if index + 1 < len(snapshots) else None
        changed: set[str] = set()
        if older is not None:
            for name in _SNAPSHOT_FIELDS:
                value = getattr(snapshot, name)
                # None: the source did not say; that is no change.
                if value is not None and value != getattr(older, name):
                    changed.add(name)
        rows.append(SnapshotRow(snapshot, frozenset(changed)))
    return rows


@dataclass(frozen=True, slots=True)
class ActedRow:
    """Something the account did: to an item, shown when the user may see it, else only
    as a link to the platform's page of it when Netra knows one; or to an account."""

    interaction: Interaction
    target: Item | None
    target_url: str
    target_mark: AccountMark | None


@dataclass(frozen=True, slots=True)
class ReceivedRow:
    interaction: Interaction
    actor_mark: AccountMark | None


@dataclass
class AccountDetail:
    account: Account
    url: str
    mark: AccountMark | None
    snapshots: list[SnapshotRow]
    items: list[ItemRow]
    items_more: bool
    acted: list[ActedRow]
    received: list[ReceivedRow]


def _targets(
    user: AnyUser, acted: list[Interaction]
) -> tuple[dict[tuple[str, str], Item], dict[tuple[str, str], str]]:
    """The target items of ``acted`` that ``user`` may see, and the permalinks of those
    stored but out of the user's sight, by (platform, platform id)."""
    by_platform: dict[str, set[str]] = defaultdict(set)
    for interaction in acted:
        if interaction.target_item_platform_id:
            by_platform[interaction.platform].add(interaction.target_item_platform_id)
    visible: dict[tuple[str, str], Item] = {}
    links: dict[tuple[str, str], str] = {}
    for platform, ids in by_platform.items():
        stored = Item.objects.filter(platform=platform, platform_id__in=sorted(ids))
        for target in items_for_user(user, stored.select_related("author")):
            visible[(target.platform, target.platform_id)] = target
        for platform_id, permalink in stored.values_list("platform_id", "permalink"):
            if (platform, platform_id) not in visible and safe_url(permalink):
                links[(platform, platform_id)] = safe_url(permalink)
    return visible, links


def account_detail(user: AnyUser, account: Account, limit: int = 50) -> AccountDetail:
    """What the account page shows of an account ``user`` may see."""
    items = items_page(
        items_for_user(user, Item.objects.filter(author=account).select_related("author")),
        size=limit,
    )
    acted = list(
        interactions_for_user(user, Interaction.objects.filter(actor=account))
        .select_related("target_account")
        .order_by(_LAST_SEEN_FIRST, "-id")[:INTERACTION_LIMIT]
    )
    visible, links = _targets(user, acted)
    received = list(
        interactions_for_user(user, Interaction.objects.filter(target_account=account))
        .select_related("actor")
        .order_by(_LAST_SEEN_FIRST, "-id")[:INTERACTION_LIMIT]
    )
    items_as_seen(user, visible.values())
    accounts_as_seen(
        user,
        [
            account,
            *(interaction.target_account for interaction in acted),
            *(interaction.actor for interaction in received),
        ],
    )
    marks = account_marks(
        user,
        [
            account,
            *(target.author for target in visible.values()),
            *(interaction.target_account for interaction in acted),
            *(interaction.actor for interaction in received),
        ],
    )
    acted_rows = []
    for interaction in acted:
        key = (interaction.platform, interaction.target_item_platform_id)
        target = visible.get(key)
        about = target.author_id if target else interaction.target_account_id
        acted_rows.append(
            ActedRow(
                interaction=interaction,
                target=target,
                target_url=links.get(key, ""),
                target_mark=marks.get(about or 0),
            )
        )
    return AccountDetail(
        account=account,
        url=safe_url(account.url),
        mark=marks.get(account.pk),
        snapshots=snapshot_history(user, account),
        items=item_rows(items.rows, user),
        items_more=bool(items.next_cursor),
        acted=acted_rows,
        received=[
            ReceivedRow(interaction, marks.get(interaction.actor_id)) for interaction in received
        ],
    )


# --- sources, runs, quarantine --------------------------------------------------------------


def sources_list(user: AnyUser) -> QuerySet[Source]:
    """The sources ``user`` may see with their runs and open quarantine counts."""
    open_quarantine = Count("quarantine", filter=Q(quarantine__resolved_by__isnull=True))
    return (
        sources_for_user(user, Source.objects.select_related("election"))
        .annotate(open_quarantine=open_quarantine)
        .prefetch_related(
            models.Prefetch(
                "runs", queryset=IngestRun.objects.select_related("actor").order_by("-id")
            )
        )
    )


# The record types of a run's counters (store.RECORD_TYPES) in the words of the pages.
RECORD_TYPE_LABELS: dict[str, StrOrPromise] = {
    "item": _("konten"),
    "account": _("profil akun"),
    "interaction": _("interaksi"),
    "problem": _("rekaman rusak"),
}


@dataclass(frozen=True, slots=True)
class TypeCount:
    """A run's counters for one record type."""

    type: str
    label: StrOrPromise
    read: int
    new: int
    updated: int
    duplicate: int
    quarantined: int


@dataclass
class RunDetail:
    """What the run page shows besides the run itself.

    ``earlier`` are the finished runs of the same file before this one (a file loaded
    again stores nothing twice); ``items`` counts the items read from the file that the
    user may see, which the item list filtered by the source shows.
    """

    by_type: list[TypeCount]
    made: list[QuarantinedRecord]
    resolved: list[QuarantinedRecord]
    earlier: list[IngestRun]
    items: Total


def run_detail(user: AnyUser, run: IngestRun) -> RunDetail:
    """The counts of one run by record type, the quarantine it made or resolved, the
    earlier loads of its file and the items read from it."""
    details = run.details if isinstance(run.details, dict) else {}
    by_type = [
        TypeCount(
            type=kind,
            label=RECORD_TYPE_LABELS.get(str(kind), str(kind)),
            **{name: int(row.get(name, 0)) for name in OUTCOMES},
        )
        for kind, row in details.items()
        if isinstance(row, dict) and row.get("read")
    ]
    made = quarantine_for_user(
        user, QuarantinedRecord.objects.filter(run=run).order_by("position")
    )[:PAGE_SIZE]
    resolved = quarantine_for_user(
        user,
        QuarantinedRecord.objects.filter(resolved_by=run).select_related("source"),
    ).order_by("source_id", "position")[:PAGE_SIZE]
    earlier = runs_for_user(
        user,
        IngestRun.objects.filter(source_id=run.source_id, pk__lt=run.pk, status=RunStatus.DONE),
    ).select_related("actor")
    return RunDetail(
        by_type=by_type,
        made=list(made),
        resolved=list(resolved),
        earlier=list(earlier.order_by("pk")[:PAGE_SIZE]),
        items=total_capped(items_search(user, ItemFilters(source=run.source))),
    )


def run_earlier(user: AnyUser, run_id: int) -> IngestRun | None:
    """The first finished run of the same file as run ``run_id`` before it, if ``user``
    may see it: the file was already loaded."""
    run = runs_for_user(user, IngestRun.objects.filter(pk=run_id)).first()
    if run is None:
        return None
    return (
        runs_for_user(
            user,
            IngestRun.objects.filter(source_id=run.source_id, pk__lt=run.pk, status=RunStatus.DONE),
        )
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    record: QuarantinedRecord
    excerpt: str


def quarantine_list(user: AnyUser, source: Source | None = None) -> QuerySet[QuarantinedRecord]:
    """Quarantined records ``user`` may see, those of ``source`` only when given; open ones
    first, then by source and place in the file."""
    records = quarantine_for_user(
        user, QuarantinedRecord.objects.select_related("source", "run", "resolved_by")
    )
    if source is not None:
        records = records.filter(source=source)
    return records.order_by(models.F("resolved_by").asc(nulls_first=True), "-source_id", "position")


def quarantine_rows(records: Iterable[QuarantinedRecord]) -> list[QuarantineRow]:
    rows = []
    for record in records:
        raw = bytes(record.raw or b"").decode("utf-8", errors="replace")
        if len(raw) > RAW_EXCERPT_CHARS:
            raw = raw[:RAW_EXCERPT_CHARS] + "…"
        rows.append(QuarantineRow(record, raw))
    return rows


def quarantine_sources(user: AnyUser) -> QuerySet[Source]:
    """Sources that have quarantined records, for the filter."""
    return sources_for_user(user).filter(
        Exists(QuarantinedRecord.objects.filter(source_id=OuterRef("pk")))
    )


def runs_list(user: AnyUser) -> QuerySet[IngestRun]:
    return runs_for_user(user, IngestRun.objects.select_related("source", "actor"))
