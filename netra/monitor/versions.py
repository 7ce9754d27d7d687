"""Which version of a shared item or account a user is shown.

Items and accounts are shared by every office, but each source keeps its own version of
them: an item's row holds the version of its ``shown_source`` (only a source of the same
owner and election replaces it), a source of another scope keeps its version in an
``ItemVersion``; an account's row is its ``shown_source``'s profile, and every source's
profile is one of its snapshots. A regional user is shown the row when they may see the
source behind it, else the newest version among the sources they may see, so that no
office's file rewrites what another office reads. An item visible only through its linked
author, with no version from a source the user may see, shows its row.

The functions here set the chosen version on the given instances (and ``shown_source_id``
to the source it came from): instances for a page, never saved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from netra.monitor.access import sources_for_user
from netra.social.models import Account, AccountSnapshot, Item, ItemVersion, Source
from netra.staff.access import user_jurisdiction
from netra.staff.types import AnyUser

# What an ItemVersion holds of an item, set on the item when it is the version shown.
_ITEM_FIELDS = (
    "author_id",
    "text",
    "title",
    "language",
    "media",
    "permalink",
    "created_at",
    "collected_at",
    "metrics",
    "deleted",
    "withheld",
    "reason",
    "raw_sha256",
)
_PROFILE_FIELDS = ("handle", "display_name", "bio")


def _hidden_shown_sources(user: AnyUser, shown: set[int]) -> set[int] | None:
    """Of the sources ``shown``, those ``user`` may not see; None when the user sees all."""
    if user_jurisdiction(user) is None or not shown:
        return None
    visible = set(
        sources_for_user(user, Source.objects.filter(pk__in=shown)).values_list("pk", flat=True)
    )
    return shown - visible


def items_as_seen(user: AnyUser, items: Iterable[Item | None]) -> None:
    """Give each of ``items`` the version ``user`` is shown (see the module docstring),
    and their authors (where fetched with them) the profiles the user is shown; a few
    queries, none for a national user."""
    known = [item for item in items if item is not None]
    hidden = _hidden_shown_sources(
        user, {item.shown_source_id for item in known if item.shown_source_id is not None}
    )
    if hidden:
        _versions_set(user, [item for item in known if item.shown_source_id in hidden])
    accounts_as_seen(user, [item.author for item in known if Item.author.is_cached(item)])


def _versions_set(user: AnyUser, others: list[Item]) -> None:
    """Set on each of ``others`` its newest version from a source ``user`` may see."""
    newest: dict[int, ItemVersion] = {}
    for version in ItemVersion.objects.filter(
        item__in=others, source__in=sources_for_user(user)
    ).order_by("item_id", F("collected_at").desc(nulls_last=True), "-id"):
        newest.setdefault(version.item_id, version)
    authors = Account.objects.in_bulk(
        {version.author_id for version in newest.values() if version.author_id is not None}
    )
    for item in others:
        shown = newest.get(item.pk)
        if shown is None:
            continue
        for name in _ITEM_FIELDS:
            setattr(item, name, getattr(shown, name))
        item.shown_source_id = shown.source_id
        item.author = authors.get(shown.author_id) if shown.author_id else None


def accounts_as_seen(user: AnyUser, accounts: Iterable[Account | None]) -> None:
    """Give each of ``accounts`` the profile ``user`` is shown (see the module docstring):
    where the row's source is out of sight, the newest visible snapshot's handle, name and
    bio (each from the newest snapshot that tells it). Two queries, none for a national
    user."""
    known = [account for account in accounts if account is not None]
    hidden = _hidden_shown_sources(
        user, {account.shown_source_id for account in known if account.shown_source_id}
    )
    if not hidden:
        return
    others = {account.pk: account for account in known if account.shown_source_id in hidden}
    for account in others.values():
        # Nothing of what sources out of sight said; the handle stays (how the account is
        # known) unless a visible snapshot names another.
        account.display_name = account.bio = ""
    told: dict[int, set[str]] = {}
    snapshots = (
        AccountSnapshot.objects.filter(account_id__in=others, source__in=sources_for_user(user))
        .order_by("account_id", F("seen_at").desc(nulls_last=True), "-id")
        .only("account_id", "source_id", *_PROFILE_FIELDS)
    )
    for snapshot in snapshots:
        account = others[snapshot.account_id]
        if snapshot.account_id not in told:
            account.shown_source_id = snapshot.source_id
        done = told.setdefault(snapshot.account_id, set())
        for name in _PROFILE_FIELDS:
            value = getattr(snapshot, name)
            # None: that source did not say; "" is a handle it did not say either.
            if name not in done and value is not None and (value or name != "handle"):
                setattr(account, name, value)
                done.add(name)
