"""Reads of the social pages, always through ``netra.monitor.access`` scoping.

Lists are paged by keyset (``-created_at, -id`` for items, ``-id`` for accounts) rather
than by counting: ``item_created`` serves the order, so a page costs the same on the
millionth item as on the first, and no ``COUNT(*)`` runs over a million rows.

Two reads of the item page have no index yet and scan their table: an item's children
(``Item.parent_platform_id``) and the mentions made in it
(``Interaction.via_item_platform_id``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from netra.elections.models import Election
from netra.monitor.access import (
    accounts_for_user,
    interactions_for_user,
    items_for_user,
    quarantine_for_user,
    runs_for_user,
    sources_for_user,
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
    Source,
)
from netra.social.store import raw_read
from netra.staff.access import NoAccess, user_covers, user_jurisdiction

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


@dataclass(frozen=True, slots=True)
class Page(Generic[_M]):
    rows: list[_M]
    next_cursor: str
    first: bool


def _item_cursor(item: Item) -> str:
    if item.created_at is None:
        return f"n.{item.pk}"
    return f"t.{item.created_at.isoformat()}.{item.pk}"


def _item_cursor_parse(cursor: str) -> tuple[datetime | None, int] | None:
    """``t.<iso time>.<id>`` or ``n.<id>`` (items without a time come last); None if bad."""
    try:
        if cursor.startswith("n."):
            return None, int(cursor[2:])
        if cursor.startswith("t."):
            stamp, _dot, pk = cursor[2:].rpartition(".")
            moment = datetime.fromisoformat(stamp)
            if moment.tzinfo is None:
                return None
            return moment, int(pk)
    except ValueError:
        return None
    return None


def items_page(qs: QuerySet[Item], cursor: str = "", size: int = PAGE_SIZE) -> Page[Item]:
    """One page of ``qs`` newest first, after ``cursor`` (from the previous page).

    Items with a time come first, ordered ``-created_at, -id``; those without one follow,
    by ``-id`` (their NULLs sort differently on SQLite and PostgreSQL, so they are read
    separately rather than left to the database's NULL ordering).
    """
    after = _item_cursor_parse(cursor) if cursor else None
    rows: list[Item] = []
    if after is None or after[0] is not None:
        dated = qs.filter(created_at__isnull=False)
        if after is not None:
            moment, pk = after
            dated = dated.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
        rows = list(dated.order_by("-created_at", "-id")[: size + 1])
    if len(rows) <= size:
        undated = qs.filter(created_at__isnull=True)
        if after is not None and after[0] is None:
            undated = undated.filter(pk__lt=after[1])
        rows += list(undated.order_by("-id")[: size + 1 - len(rows)])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=_item_cursor(rows[-1]) if more else "", first=after is None)


def id_page(qs: QuerySet[_M], cursor: str = "", size: int = PAGE_SIZE) -> Page[_M]:
    """One page of ``qs`` by descending key, after the key ``cursor``."""
    first = True
    if cursor.isdigit():
        qs = qs.filter(pk__lt=int(cursor))
        first = False
    rows = list(qs.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=str(rows[-1].pk) if more else "", first=first)


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


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


def items_search(user: Any, filters: ItemFilters) -> QuerySet[Item]:
    """The items ``user`` may see that match ``filters``; dates are WIB calendar days."""
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
        sources = Source.objects.filter(election=filters.election).values("pk")
        items = items.filter(
            Exists(ItemProvenance.objects.filter(item_id=OuterRef("pk"), source_id__in=sources))
        )
    return items


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: Item
    metrics: list[Metric]


def item_rows(items: Iterable[Item]) -> list[ItemRow]:
    return [ItemRow(item, metrics_of(item)) for item in items]


@dataclass(frozen=True, slots=True)
class ThreadNode:
    item: Item
    depth: int
    current: bool


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


@dataclass(frozen=True, slots=True)
class ProvenanceRow:
    provenance: ItemProvenance
    source: Source


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
    mentions: list[Interaction]
    parent: Item | None
    permalink: str
    media: list[MediaLink]
    counts_truncated: bool = field(default=False)
    children_capped: bool = field(default=False)


def _thread(user: Any, item: Item) -> tuple[list[ThreadNode], str, bool, bool]:
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


def item_detail(user: Any, item: Item) -> ItemDetail:
    """Everything the item page shows of an item ``user`` may see (see ``access``)."""
    provenance = [
        ProvenanceRow(row, row.source)
        for row in ItemProvenance.objects.filter(item=item)
        .select_related("source", "source__election")
        .order_by("source__created_at", "pk")
    ]
    thread, root_id, root_missing, truncated = _thread(user, item)
    # Likes, reactions, shares known by their actor: the stored interactions.
    stored = Interaction.objects.filter(
        platform=item.platform, target_item_platform_id=item.platform_id
    )
    counts = {
        row["kind"]: row["n"]
        for row in stored.values("kind").annotate(n=Count("pk")).order_by("kind")
    }
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
        )
        for interaction in stored.select_related("actor").order_by("kind", _LAST_SEEN_FIRST, "pk")[
            :INTERACTION_LIMIT
        ]
    ]
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
    for child in shown[:INTERACTION_LIMIT]:
        rows.append(
            InteractionRow(
                kind=child.kind,
                kind_label=child.get_kind_display(),
                reaction_type="",
                actor=child.author,
                item=child,
                occurred_at=child.created_at,
                first_seen_at=child.first_seen_at,
                last_seen_at=child.collected_at,
            )
        )
    labels: dict[str, StrOrPromise] = {**dict(InteractionKind.choices), **dict(ItemKind.choices)}
    totals: dict[str, int] = defaultdict(int)
    for kind, number in [*counts.items(), *child_counts.items()]:
        totals[kind] += number
    mentions = list(
        Interaction.objects.filter(platform=item.platform, via_item_platform_id=item.platform_id)
        .select_related("actor", "target_account")
        .order_by("pk")[:INTERACTION_LIMIT]
    )
    parent = None
    if item.parent_platform_id:
        parent = (
            items_for_user(user)
            .filter(platform=item.platform, platform_id=item.parent_platform_id)
            .first()
        )
    return ItemDetail(
        item=item,
        metrics=metrics_of(item),
        provenance=provenance,
        thread=thread,
        thread_root_id=root_id,
        thread_root_missing=root_missing,
        thread_truncated=truncated,
        interactions=rows,
        interaction_counts=[(labels.get(kind, kind), n) for kind, n in sorted(totals.items())],
        mentions=mentions,
        parent=parent,
        permalink=safe_url(item.permalink),
        media=media_links(item),
        counts_truncated=(
            sum(counts.values()) > INTERACTION_LIMIT
            or sum(child_counts.values()) > INTERACTION_LIMIT
        ),
        children_capped=len(child_keys) >= CHILD_KEYS_LIMIT,
    )


def raw_text(block_id: int, start: int, length: int) -> str:
    """A stored raw record as text: indented JSON when it is JSON, else the bytes decoded."""
    data = raw_read(block_id, start, length)
    text = data.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


# --- accounts -------------------------------------------------------------------------------


def accounts_search(user: Any, text: str = "", platform: str = "") -> QuerySet[Account]:
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
class LinkedSubject:
    """The subject an account is confirmed to belong to, as far as the user may know."""

    subject_id: int
    name: str
    kind: str
    workplace: str


def _link_model() -> Any:
    # registry.AccountLink, reached through the reverse relation: social may not import
    # registry (a higher layer).
    model = Account._meta.get_field("subject_links").related_model
    assert isinstance(model, type)  # noqa: S101 - a registered model, never a string here
    return model


def linked_subjects(user: Any, accounts: Sequence[Account]) -> dict[int, LinkedSubject]:
    """For each account, its confirmed subject if the subject's workplace or agency lies in
    the user's jurisdiction; accounts without one are left out."""
    if isinstance(user_jurisdiction(user), NoAccess) or not accounts:
        return {}
    links = (
        _link_model()
        ._default_manager.filter(
            account_id__in=[account.pk for account in accounts], status="confirmed"
        )
        .select_related("subject", "subject__agency", "subject__workplace")
    )
    found: dict[int, LinkedSubject] = {}
    for link in links:
        subject = link.subject
        agency_region = subject.agency.region_id if subject.agency_id else None
        if user_covers(user, subject.workplace_id) or user_covers(user, agency_region):
            found[link.account_id] = LinkedSubject(
                subject_id=subject.pk,
                name=subject.full_name,
                kind=subject.get_kind_display(),
                workplace=str(subject.workplace),
            )
    return found


@dataclass(frozen=True, slots=True)
class AccountRow:
    account: Account
    subject: LinkedSubject | None


def account_rows(user: Any, accounts: Sequence[Account]) -> list[AccountRow]:
    subjects = linked_subjects(user, accounts)
    return [AccountRow(account, subjects.get(account.pk)) for account in accounts]


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One version of a profile, and which of its fields differ from the version before."""

    snapshot: AccountSnapshot
    changed: frozenset[str]


_SNAPSHOT_FIELDS = ("handle", "display_name", "bio", "followers", "following", "posts", "deleted")


def snapshot_history(account: Account, limit: int = 200) -> list[SnapshotRow]:
    """The account's profile versions, newest first, each with what it changed."""
    snapshots = list(
        AccountSnapshot.objects.filter(account=account)
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


@dataclass
class AccountDetail:
    account: Account
    url: str
    subject: LinkedSubject | None
    snapshots: list[SnapshotRow]
    items: list[ItemRow]
    items_more: bool
    acted: list[tuple[Interaction, Item | None]]
    received: list[Interaction]


def account_detail(user: Any, account: Account, limit: int = 50) -> AccountDetail:
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
    targets = {
        (interaction.platform, interaction.target_item_platform_id)
        for interaction in acted
        if interaction.target_item_platform_id
    }
    target_items: dict[tuple[str, str], Item] = {}
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, platform_id in targets:
        by_platform[platform].append(platform_id)
    for platform, ids in by_platform.items():
        for target in items_for_user(
            user, Item.objects.filter(platform=platform, platform_id__in=ids)
        ):
            target_items[(target.platform, target.platform_id)] = target
    received = list(
        interactions_for_user(user, Interaction.objects.filter(target_account=account))
        .select_related("actor")
        .order_by(_LAST_SEEN_FIRST, "-id")[:INTERACTION_LIMIT]
    )
    return AccountDetail(
        account=account,
        url=safe_url(account.url),
        subject=linked_subjects(user, [account]).get(account.pk),
        snapshots=snapshot_history(account),
        items=item_rows(items.rows),
        items_more=bool(items.next_cursor),
        acted=[
            (
                interaction,
                target_items.get((interaction.platform, interaction.target_item_platform_id)),
            )
            for interaction in acted
        ],
        received=received,
    )


# --- sources, runs, quarantine --------------------------------------------------------------


def sources_list(user: Any) -> QuerySet[Source]:
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


def run_detail(user: Any, run: IngestRun) -> dict[str, Any]:
    """The counts of one run by record type, and the quarantine it made or resolved."""
    details = run.details if isinstance(run.details, dict) else {}
    by_type = [(kind, row) for kind, row in details.items() if row.get("read")]
    made = quarantine_for_user(
        user, QuarantinedRecord.objects.filter(run=run).order_by("position")
    )[:PAGE_SIZE]
    resolved = quarantine_for_user(
        user,
        QuarantinedRecord.objects.filter(resolved_by=run).select_related("source"),
    ).order_by("source_id", "position")[:PAGE_SIZE]
    return {"by_type": by_type, "made": list(made), "resolved": list(resolved)}


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    record: QuarantinedRecord
    excerpt: str


def quarantine_list(user: Any, source: Source | None = None) -> QuerySet[QuarantinedRecord]:
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


def quarantine_sources(user: Any) -> QuerySet[Source]:
    """Sources that have quarantined records, for the filter."""
    return sources_for_user(user).filter(
        Exists(QuarantinedRecord.objects.filter(source_id=OuterRef("pk")))
    )


def runs_list(user: Any) -> QuerySet[IngestRun]:
    return runs_for_user(user, IngestRun.objects.select_related("source", "actor"))
