"""Who an account is: found by platform id, else by handle; created, updated, given its id.

Every path that turns a platform id or a handle into an ``Account`` row goes through the
rules here, so that a file load, a manual entry, the registry and the collectors all land
on the same row:

* an account is known by (platform, platform id); an id stays with its row for good;
* without an id (or when no row has it yet) by its handle, without ``@`` and without
  regard to case. Several rows may share a handle (one entered by hand, one a platform
  named, one that used the handle before it was renamed); ``HANDLE_ORDERING`` (for the
  ORM) and ``HANDLE_ORDER_SQL`` (for ``store.BatchWriter``'s SQL) pick among them, the
  same way: one with a platform id first, then the oldest;
* when a platform names the id of an account known only by its handle, that handle-only
  row adopts the id (``account_id_adopt``), so that what points at it (items, links,
  watchlists) keeps pointing at the account, and the next records attach to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.platforms import Platform
from netra.social.events import SocialEvent
from netra.social.models import Account, Watchlist

if TYPE_CHECKING:
    from netra.staff.models import User

__all__ = [
    "HANDLE_ORDERING",
    "HANDLE_ORDER_SQL",
    "account_for_handle",
    "account_id_adopt",
    "account_identify",
    "account_resolve",
    "account_upsert",
    "handle_key",
]

# The tie-break among accounts of one platform that share a handle: one with a platform
# id first (the account a platform itself named), then the oldest (lowest pk). Written
# twice only because the batch loader speaks SQL: tests/social/test_accounts.py orders the
# same rows by each and fails when they differ. Among handle-only rows (the ones that may
# adopt an id) it is simply the oldest.
HANDLE_ORDERING = (Case(When(platform_id="", then=Value(1)), default=Value(0)), "pk")
HANDLE_ORDER_SQL = "CASE WHEN platform_id = '' THEN 1 ELSE 0 END, id"


def handle_key(handle: str) -> str:
    """A handle as accounts are matched by it: without a leading ``@``, in lower case.

    Compared with ``lower(handle)`` in the database; ``store.BatchWriter`` compares the
    handles of its records (which parsers give without ``@``) the same way.
    """
    return handle.strip().lstrip("@").strip().lower()


def _by_handle(accounts: QuerySet[Account], handle: str) -> QuerySet[Account]:
    return (
        accounts.alias(handle_lower=Lower("handle"))
        .filter(handle_lower=handle_key(handle))
        .order_by(*HANDLE_ORDERING)
    )


def _resolve(
    accounts: QuerySet[Account], platform: str, platform_id: str, handle: str
) -> Account | None:
    accounts = accounts.filter(platform=platform)
    if platform_id:
        found = accounts.filter(platform_id=platform_id).first()
        if found is not None or not handle_key(handle):
            return found
        # A row with another id that once used this handle is another account.
        return _by_handle(accounts.filter(platform_id=""), handle).first()
    if not handle_key(handle):
        return None
    return _by_handle(accounts, handle).first()


def account_resolve(*, platform: str, platform_id: str = "", handle: str = "") -> Account | None:
    """The account a reference names, or None; writes nothing.

    By (platform, platform_id) when the id is given; when no row has it, or without an id,
    by the handle (``handle_key``), choosing by ``HANDLE_ORDERING``. With an id, only a
    row without one answers to the handle: it is the row that would adopt the id.
    """
    return _resolve(Account.objects.all(), platform, platform_id.strip(), handle)


def account_id_adopt(*, account: Account, platform_id: str, actor: User | None = None) -> Account:
    """Give a handle-only ``account`` the platform id a platform named; return its holder.

    The row that holds ``platform_id`` afterwards: another row of the platform that already
    had it (``account`` is then left as it is), else ``account`` itself. A row that has an
    id keeps it (the call changes nothing); otherwise the id is set by a conditional update
    (``WHERE platform_id = ''``: a concurrent writer may have set one meanwhile) and one
    Event ``SocialEvent.ACCOUNT_ID_ADOPTED`` (platform, platform_id, handle) is recorded.
    Idempotent.
    """
    platform_id = platform_id.strip()
    if not platform_id or account.platform_id == platform_id:
        return account
    with transaction.atomic():
        holder = (
            Account.objects.filter(platform=account.platform, platform_id=platform_id)
            .exclude(pk=account.pk)
            .first()
        )
        if holder is not None:
            return holder
        try:
            with transaction.atomic():
                adopted = Account.objects.filter(pk=account.pk, platform_id="").update(
                    platform_id=platform_id, updated_at=timezone.now()
                )
        except IntegrityError:
            # Another row got the id between the look-up above and this update.
            return Account.objects.get(platform=account.platform, platform_id=platform_id)
        account.refresh_from_db(fields=["platform_id", "updated_at"])
        if adopted:
            event_record(
                kind=SocialEvent.ACCOUNT_ID_ADOPTED,
                subject=account,
                actor=actor,
                params={
                    "platform": account.platform,
                    "platform_id": platform_id,
                    "handle": account.handle,
                },
            )
    return account


def account_identify(
    *, watchlist: Watchlist, account: Account, platform_id: str, actor: User | None = None
) -> Account:
    """Give a watched handle-only account the id a platform answered; return the one to watch.

    Timelines and channel searches need the platform's id; an account entered by hand (or
    a candidate's official account) may have only a handle. ``account_id_adopt`` gives it
    the id; when another row already has that id, that row replaces ``account`` in the
    watchlist and one Event ``SocialEvent.WATCHLIST_ACCOUNT_REPLACED`` records which
    replaced which (``account`` itself, its items and links stay as they are). Idempotent.
    """
    with transaction.atomic():
        holder = account_id_adopt(account=account, platform_id=platform_id, actor=actor)
        if holder.pk == account.pk or not watchlist.accounts.filter(pk=account.pk).exists():
            return holder
        watchlist.accounts.remove(account)
        watchlist.accounts.add(holder)
        event_record(
            kind=SocialEvent.WATCHLIST_ACCOUNT_REPLACED,
            subject=watchlist,
            actor=actor,
            params={
                "platform": account.platform,
                "platform_id": holder.platform_id,
                "handle": account.handle,
                "replaced": account.pk,
                "by": holder.pk,
            },
        )
        return holder


def account_upsert(
    *,
    platform: str,
    platform_id: str = "",
    handle: str = "",
    display_name: str = "",
    bio: str = "",
    url: str = "",
    actor: User | None = None,
) -> Account:
    """Find or create a platform account and bring its profile up to date.

    Found as ``account_resolve`` finds it; a handle-only row found for a given id adopts
    it (``account_id_adopt``, its own Event). An empty argument means "not known" and
    never clears a stored value. Records ``SocialEvent.ACCOUNT_CREATED`` (platform,
    platform_id, handle) or ``SocialEvent.ACCOUNT_UPDATED`` (the changed fields); nothing
    when nothing changed. Raises ``ValidationError`` for an unknown platform, when neither
    platform_id nor handle is given, or for an invalid value.
    """
    platform_id = platform_id.strip()
    handle = handle.strip().lstrip("@").strip()
    if platform not in Platform.values:
        raise ValidationError(
            {"platform": _("platform %(value)s tidak dikenal") % {"value": platform}}
        )
    if not platform_id and not handle:
        raise ValidationError(_("Akun memerlukan ID platform atau nama akun."))
    with transaction.atomic():
        account = _resolve(Account.objects.select_for_update(), platform, platform_id, handle)
        values = {
            "platform_id": platform_id,
            "handle": handle,
            "display_name": display_name.strip(),
            "bio": bio.strip(),
            "url": url.strip(),
        }
        if account is None:
            account = Account(platform=platform, **values)
            account.full_clean()
            account.save()
            event_record(
                kind=SocialEvent.ACCOUNT_CREATED,
                subject=account,
                actor=actor,
                params={"platform": platform, "platform_id": platform_id, "handle": handle},
            )
            return account
        if platform_id and account.platform_id != platform_id:
            account = account_id_adopt(account=account, platform_id=platform_id, actor=actor)
        given = {name: value for name, value in values.items() if value}
        changed = [name for name, value in given.items() if getattr(account, name) != value]
        if changed:
            for name in changed:
                setattr(account, name, given[name])
            account.full_clean()
            account.save(update_fields=[*changed, "updated_at"])
            event_record(
                kind=SocialEvent.ACCOUNT_UPDATED,
                subject=account,
                actor=actor,
                params={"fields": changed},
            )
        return account


def account_for_handle(*, platform: str, handle: str, actor: User | None = None) -> Account:
    """The account of a platform known by this handle, created handle-only when unknown.

    Chosen as ``account_resolve`` chooses; a new one is made by ``account_upsert`` (and
    recorded so). Raises ``ValidationError`` for an empty handle or an unknown platform.
    """
    found = account_resolve(platform=platform, handle=handle)
    if found is not None:
        return found
    return account_upsert(platform=platform, handle=handle, actor=actor)
