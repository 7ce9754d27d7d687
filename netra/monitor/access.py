"""Who may see which ingested social media rows, and the protected reads of single rows.

Jurisdiction comes from ``netra.staff.access`` (a region-code prefix). National users
(superusers, Bawaslu RI staff) see everything; pokja partners and users without office or
role see nothing. A regional user sees:

- the sources of an election held within their jurisdiction, and the sources owned by an
  office within it (``Source.owner``: a manual entry by a Panwaslu Kecamatan, a file
  uploaded by the regency analyst), so that nobody loses sight of what they loaded
  themselves; the same bytes uploaded by another office are that office's source;
- the items read from such a source (through ``ItemProvenance``);
- the items written by an account that has a confirmed ``AccountLink`` to a subject whose
  workplace or agency lies within their jurisdiction, whatever source brought them;
- the accounts that are such linked accounts, or that appear in a visible source (a
  profile snapshot, an item, an interaction as actor or target).

What belongs to a source stays with it: an item or account may be visible through one
source and also appear in another office's file, so where an item was read (provenance
and its raw payload), the profile versions of an account and the interactions are each
scoped by their own source (interactions also by a linked actor or target), never by the
item or account they are about.

Single rows are read only through the ``access_*_for_user`` helpers, which answer the same
``Http404`` for a missing row and a forbidden one. The page permissions at the bottom are
``netra.staff.rules`` predicates, registered with ``rules`` for views and templates.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from rules.permissions import add_perm, perm_exists

from netra.elections.selectors import elections_within
from netra.registry.selectors import confirmed_account_links_within
from netra.social.models import (
    Account,
    AccountSnapshot,
    IngestRun,
    Interaction,
    Item,
    ItemProvenance,
    QuarantinedRecord,
    Source,
)
from netra.staff.access import Jurisdiction, NoAccess, user_jurisdiction
from netra.staff.rules import enters_findings, handles_data, has_jurisdiction
from netra.staff.selectors import offices_within
from netra.staff.types import AnyUser

_M = TypeVar("_M", bound=Model)


def _region(user: AnyUser) -> Jurisdiction:
    """The user's jurisdiction: a region-code prefix, None (national) or NO_ACCESS."""
    return user_jurisdiction(user)


def sources_for_user(user: AnyUser, qs: QuerySet[Source] | None = None) -> QuerySet[Source]:
    """The sources ``user`` may see (see the module docstring); ``qs`` narrows them."""
    sources = Source.objects.all() if qs is None else qs
    region = _region(user)
    if isinstance(region, NoAccess):
        return sources.none()
    if region is None:
        return sources
    return sources.filter(pk__in=_visible_source_ids(region))


def _visible_source_ids(region: str) -> QuerySet[Source, Any]:
    """The keys of the sources of a regional jurisdiction ``region`` (a code prefix)."""
    return Source.objects.filter(
        Q(election__in=elections_within(region)) | Q(owner__in=offices_within(region))
    ).values("pk")


def linked_account_keys(region: str) -> QuerySet[Any, Any]:
    """The keys of the accounts confirmed as belonging to a subject who works, or whose
    agency sits, in ``region`` (``netra.registry.selectors``), for a subquery."""
    return confirmed_account_links_within(region).order_by().values("account_id")


def items_for_user(user: AnyUser, qs: QuerySet[Item] | None = None) -> QuerySet[Item]:
    """The items ``user`` may see (see the module docstring); ``qs`` narrows them.

    The test per item is one probe of the ``provenance_unique`` (item, source) index and
    one of the author, so the ordered scan of ``item_created`` behind a list stays cheap.
    """
    items = Item.objects.all() if qs is None else qs
    region = _region(user)
    if isinstance(region, NoAccess):
        return items.none()
    if region is None:
        return items
    read_here = ItemProvenance.objects.filter(
        item_id=OuterRef("pk"), source_id__in=_visible_source_ids(region)
    )
    return items.filter(Q(Exists(read_here)) | Q(author_id__in=linked_account_keys(region)))


def accounts_for_user(user: AnyUser, qs: QuerySet[Account] | None = None) -> QuerySet[Account]:
    """The accounts ``user`` may see (see the module docstring); ``qs`` narrows them.

    Without ``qs`` (a list) the visible set is computed once, as a union of account keys,
    which costs about one pass over the visible sources' provenance however few accounts
    qualify; with ``qs`` (one account, a page of them) each row is tested by index probes.
    """
    region = _region(user)
    if isinstance(region, NoAccess):
        return Account.objects.none() if qs is None else qs.none()
    if region is None:
        return Account.objects.all() if qs is None else qs
    sources = _visible_source_ids(region)
    if qs is None:
        # order_by(): no default ordering inside a UNION (SQLite refuses it).
        keys = linked_account_keys(region).union(
            AccountSnapshot.objects.filter(source_id__in=sources).order_by().values("account_id"),
            Item.objects.filter(
                pk__in=ItemProvenance.objects.filter(source_id__in=sources).values("item_id")
            )
            .order_by()
            .values("author_id"),
            Interaction.objects.filter(source_id__in=sources).order_by().values("actor_id"),
            Interaction.objects.filter(source_id__in=sources)
            .order_by()
            .values("target_account_id"),
        )
        return Account.objects.filter(pk__in=keys)
    snapshot_here = AccountSnapshot.objects.filter(account_id=OuterRef("pk"), source_id__in=sources)
    wrote_here = Item.objects.filter(author_id=OuterRef("pk")).filter(
        Exists(ItemProvenance.objects.filter(item_id=OuterRef("pk"), source_id__in=sources))
    )
    acted_here = Interaction.objects.filter(actor_id=OuterRef("pk"), source_id__in=sources)
    targeted_here = Interaction.objects.filter(
        target_account_id=OuterRef("pk"), source_id__in=sources
    )
    return qs.filter(
        Q(pk__in=linked_account_keys(region))
        | Q(Exists(snapshot_here))
        | Q(Exists(wrote_here))
        | Q(Exists(acted_here))
        | Q(Exists(targeted_here))
    )


def interactions_for_user(
    user: AnyUser, qs: QuerySet[Interaction] | None = None
) -> QuerySet[Interaction]:
    """Interactions read from a visible source, or by or towards a linked account."""
    interactions = Interaction.objects.all() if qs is None else qs
    region = _region(user)
    if isinstance(region, NoAccess):
        return interactions.none()
    if region is None:
        return interactions
    linked = linked_account_keys(region)
    return interactions.filter(
        Q(source_id__in=_visible_source_ids(region))
        | Q(actor_id__in=linked)
        | Q(target_account_id__in=linked)
    )


def _of_visible_sources(user: AnyUser, qs: QuerySet[_M]) -> QuerySet[_M]:
    """The rows of ``qs`` (each with a ``source``) whose source ``user`` may see."""
    region = _region(user)
    if isinstance(region, NoAccess):
        return qs.none()
    if region is None:
        return qs
    return qs.filter(source_id__in=_visible_source_ids(region))


def provenance_for_user(
    user: AnyUser, qs: QuerySet[ItemProvenance] | None = None
) -> QuerySet[ItemProvenance]:
    """The places items were read, in the sources ``user`` may see: an item visible to an
    office (its author is linked there) may also be in another office's file, which stays
    that office's."""
    return _of_visible_sources(user, ItemProvenance.objects.all() if qs is None else qs)


def snapshots_for_user(
    user: AnyUser, qs: QuerySet[AccountSnapshot] | None = None
) -> QuerySet[AccountSnapshot]:
    """The profile versions of accounts as the sources ``user`` may see showed them."""
    return _of_visible_sources(user, AccountSnapshot.objects.all() if qs is None else qs)


def quarantine_for_user(
    user: AnyUser, qs: QuerySet[QuarantinedRecord] | None = None
) -> QuerySet[QuarantinedRecord]:
    """Quarantined records of the sources ``user`` may see."""
    return _of_visible_sources(user, QuarantinedRecord.objects.all() if qs is None else qs)


def runs_for_user(user: AnyUser, qs: QuerySet[IngestRun] | None = None) -> QuerySet[IngestRun]:
    """Ingest runs of the sources ``user`` may see."""
    return _of_visible_sources(user, IngestRun.objects.all() if qs is None else qs)


# --- single rows: 404 for missing and forbidden alike ---------------------------------------


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("no such row") from None


def access_item_for_user(user: AnyUser, item_id: int | str) -> Item:
    """The item ``item_id`` if ``user`` may see it; Http404 when missing or forbidden."""
    item = (
        items_for_user(user, Item.objects.select_related("author")).filter(pk=_pk(item_id)).first()
    )
    if item is None:
        raise Http404("no such item")
    return item


def visible_account(user: AnyUser, account_id: int) -> Account | None:
    """The account ``account_id`` if ``user`` may see it, else None (a list filter's label)."""
    return accounts_for_user(user, Account.objects.filter(pk=account_id)).first()


def access_account_for_user(user: AnyUser, account_id: int | str) -> Account:
    """The account ``account_id`` if ``user`` may see it; Http404 when missing or forbidden."""
    account = visible_account(user, _pk(account_id))
    if account is None:
        raise Http404("no such account")
    return account


def access_source_for_user(user: AnyUser, source_id: int | str) -> Source:
    """The source ``source_id`` if ``user`` may see it; Http404 when missing or forbidden."""
    source = (
        sources_for_user(user, Source.objects.select_related("election"))
        .filter(pk=_pk(source_id))
        .first()
    )
    if source is None:
        raise Http404("no such source")
    return source


def access_run_for_user(user: AnyUser, run_id: int | str) -> IngestRun:
    """The ingest run ``run_id`` if ``user`` may see its source; Http404 otherwise."""
    run = (
        runs_for_user(user, IngestRun.objects.select_related("source", "source__election", "actor"))
        .filter(pk=_pk(run_id))
        .first()
    )
    if run is None:
        raise Http404("no such run")
    return run


def access_provenance_for_user(
    user: AnyUser, item_id: int | str, provenance_id: int | str
) -> ItemProvenance:
    """One place an item was read, if ``user`` may see both the item and the source it was
    read from; Http404 otherwise."""
    item = access_item_for_user(user, item_id)
    provenance = (
        provenance_for_user(user, ItemProvenance.objects.select_related("source"))
        .filter(pk=_pk(provenance_id), item=item)
        .first()
    )
    if provenance is None:
        raise Http404("no such provenance")
    return provenance


# --- who may use which page -----------------------------------------------------------------


# Built from the role predicates of ``netra.staff.rules``: the roles are defined there once.
PERMISSIONS = {
    "monitor.view": has_jurisdiction,
    "monitor.import_source": handles_data,
    "monitor.enter_item": enters_findings,
}


def permissions_register() -> None:
    """Register the page permissions with ``rules`` (for ``perms`` in templates); idempotent."""
    for name, check in PERMISSIONS.items():
        if not perm_exists(name):  # type: ignore[no-untyped-call]
            add_perm(name, check)  # type: ignore[no-untyped-call]


permissions_register()
