"""Giving a watched account known only by its handle the platform id a platform answered.

Timelines and channel searches need the platform's id; an account entered by hand (or
a candidate's official account) may have only a handle. When the platform names the id,
the handle-only row gets it, so the links and watchlists that point at that row keep
working and the records loaded next attach to it. If another row already has that id,
that row replaces the handle-only one in the watchlist instead.
"""

from __future__ import annotations

from django.db import transaction

from netra.social.models import Account, Watchlist


def account_identify(*, watchlist: Watchlist, account: Account, platform_id: str) -> Account:
    """Set ``platform_id`` on a handle-only account of a watchlist; return the account to watch.

    Idempotent; never changes an account that already has an id.
    """
    with transaction.atomic():
        existing = (
            Account.objects.filter(platform=account.platform, platform_id=platform_id)
            .exclude(pk=account.pk)
            .first()
        )
        if existing is not None:
            watchlist.accounts.remove(account)
            watchlist.accounts.add(existing)
            return existing
        # Conditional on the row still lacking an id: a concurrent poll may have set it.
        Account.objects.filter(pk=account.pk, platform_id="").update(platform_id=platform_id)
        account.refresh_from_db(fields=["platform_id"])
        return account


def account_for_handle(*, platform: str, handle: str) -> Account:
    """The account of a platform known by this handle, created handle-only when unknown.

    An account with a platform id wins over a handle-only one; the handle is matched
    without ``@`` and without regard to case.
    """
    bare = handle.strip().lstrip("@")
    found = (
        Account.objects.filter(platform=platform, handle__iexact=bare)
        .order_by("-platform_id", "pk")
        .first()
    )
    if found is not None:
        return found
    account = Account(platform=platform, handle=bare)
    account.full_clean()
    account.save()
    return account
