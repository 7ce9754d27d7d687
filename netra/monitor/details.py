"""What the item and account pages show, always through ``netra.monitor.access`` scoping
and each user's version of shared rows (``netra.monitor.versions``).

Two reads of the item page have no index yet and scan their table: an item's children
(``Item.parent_platform_id``) and the mentions made in it
(``Interaction.via_item_platform_id``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q
from django_stubs_ext import StrOrPromise

from netra.monitor.access import (
    interactions_for_user,
    items_for_user,
    provenance_for_user,
    snapshots_for_user,
)
from netra.monitor.pages import items_page
from netra.monitor.selectors import (
    AccountMark,
    ItemRow,
    MediaLink,
    Metric,
    account_marks,
    item_rows,
    media_links,
    metrics_of,
    safe_url,
)
from netra.monitor.versions import accounts_as_seen, items_as_seen
from netra.social.models import (
    Account,
    AccountSnapshot,
    IngestRun,
    Interaction,
    InteractionKind,
    Item,
    ItemKind,
    ItemProvenance,
    Source,
    SourceKind,
)
from netra.social.services import image_type
from netra.social.store import raw_read
from netra.staff.types import AnyUser

THREAD_LIMIT = 500
INTERACTION_LIMIT = 200
# The most comments, shares and quotes of one item the page counts (and under SQLite's
# limit of parameters in one query).
CHILD_KEYS_LIMIT = 10_000
# NULLs sort first on PostgreSQL and last on SQLite unless told: say where they go.
_OLDEST_FIRST = F("created_at").asc(nulls_last=True)
_LAST_SEEN_FIRST = F("last_seen_at").desc(nulls_last=True)


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
