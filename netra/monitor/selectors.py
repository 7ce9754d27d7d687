"""Reads of the social pages, always through ``netra.monitor.access`` scoping.

Lists are paged by keyset (``netra.monitor.pages``); the item and account pages are
``netra.monitor.details``.

The people behind accounts come from ``netra.registry`` (subjects, through confirmed or
proposed account links, within the user's jurisdiction) and ``netra.elections``
(candidates' official accounts, of the elections the user may see): ``account_marks``.

"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from netra.elections.models import Election
from netra.elections.selectors import OfficialAccount, official_accounts_for_user
from netra.monitor.access import (
    accounts_for_user,
    items_for_user,
    quarantine_for_user,
    runs_for_user,
    sources_for_user,
)
from netra.monitor.pages import PAGE_SIZE, Total, total_capped
from netra.monitor.versions import accounts_as_seen, items_as_seen
from netra.registry.selectors import (
    AccountSubject,
    account_subjects_for_user,
    confirmed_account_links_within,
)
from netra.social.models import (
    Account,
    IngestRun,
    Item,
    ItemProvenance,
    QuarantinedRecord,
    RunStatus,
    Source,
)
from netra.social.search import items_matching
from netra.social.store import OUTCOMES
from netra.staff.access import NoAccess, user_jurisdiction
from netra.staff.types import AnyUser

WIB = ZoneInfo("Asia/Jakarta")
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
    """The items ``user`` may see that match ``filters``; dates are WIB calendar days; the
    text is searched by words through the full-text index (``netra.social.search``).

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
        matching = items_matching(filters.text)
        if matching is not None:
            items = items.filter(matching)
        else:  # no words (emoji, punctuation): the text as it stands, without the index
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
