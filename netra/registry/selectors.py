"""Reads for the registry, scoped to the jurisdiction of the user asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django_stubs_ext import StrOrPromise, WithAnnotations

from netra.core.models import Event
from netra.geo.models import within_q
from netra.registry.access import account_links_for_user
from netra.registry.models import AccountLink, Agency, LinkStatus, Subject
from netra.staff.access import NoAccess, scope_to_user, user_jurisdiction
from netra.staff.selectors import user_name_of
from netra.staff.types import AnyUser

# The event account_link_propose records for a new proposal (netra.registry.services).
PROPOSED_EVENT = "registry.account_link_proposed"


def subjects_for_user(user: AnyUser | None) -> QuerySet[Subject]:
    """Subjects whose workplace lies in the user's jurisdiction (``netra.staff.access``).

    Bawaslu RI sees every subject; an office at ``35.07`` sees workplaces ``35.07*``;
    anonymous users, users without office or role, and pokja partners see none.
    Agency and workplace come joined.
    """
    subjects = Subject.objects.select_related("agency", "agency__region", "workplace")
    return scope_to_user(subjects, user, "workplace_id")


def agencies_for_user(user: AnyUser | None) -> QuerySet[Agency]:
    """Agencies seated in the user's jurisdiction, or employing a subject who works there.

    A provincial agency (seated at ``35``) is listed to a Kabupaten Malang office when
    one of its staff works in ``35.07``; otherwise the same rules as ``subjects_for_user``.
    """
    agencies = Agency.objects.select_related("region")
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return agencies.none()
    if jurisdiction is None:
        return agencies.all()
    staff_here = Subject.objects.filter(agency=OuterRef("pk")).filter(
        within_q("workplace__pk", jurisdiction)
    )
    return agencies.filter(Q(within_q("region__pk", jurisdiction)) | Q(Exists(staff_here)))


class ProposalFacts(TypedDict):
    proposer_id: int | None
    proposed_by: str | None
    proposed_at: Any
    owner_taken: bool


def proposed_links_for_user(user: AnyUser) -> QuerySet[WithAnnotations[AccountLink, ProposalFacts]]:
    """Proposed links awaiting a decision whose subject works within the user's jurisdiction.

    Oldest proposal first. Each row carries ``proposed_by`` (the name of whoever proposed
    it, from the proposal's Event; None when no staff user did, e.g. an import) and
    ``proposed_at``, and ``owner_taken``: whether another subject already owns the account
    (a confirmation would be refused). Subject, agency, workplace, account and the proof's
    snapshot and item come joined; ``reason_list`` holds the reasons a linkage run gave.
    """
    proposal = Event.objects.filter(
        kind=PROPOSED_EVENT,
        subject_type=ContentType.objects.get_for_model(AccountLink),
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("at", "pk")
    owned = AccountLink.objects.filter(
        account_id=OuterRef("account_id"), status=LinkStatus.CONFIRMED
    ).exclude(pk=OuterRef("pk"))
    return (
        account_links_for_user(user)
        .select_related("proof_snapshot", "proof_item")
        .filter(status=LinkStatus.PROPOSED)
        .annotate(proposer_id=Subquery(proposal.values("actor_id")[:1]))
        .annotate(
            proposed_by=user_name_of(OuterRef("proposer_id")),
            proposed_at=Coalesce(Subquery(proposal.values("at")[:1]), F("created_at")),
            owner_taken=Exists(owned),
        )
        .order_by("created_at", "pk")
    )


# --- the subjects behind social-media accounts ------------------------------------------------


def subjects_within(region: str | None) -> QuerySet[Subject]:
    """Subjects who work in ``region`` (a code prefix) or whose agency sits there; every
    subject when ``region`` is None. Not scoped to a user: for system work (linkage)."""
    return Subject.objects.filter(
        within_q("workplace__pk", region) | within_q("agency__region__pk", region)
    )


def account_links_of(account_ids: Iterable[int]) -> QuerySet[AccountLink]:
    """Every link, whatever its status, of the accounts ``account_ids``."""
    return AccountLink.objects.filter(account_id__in=sorted(set(account_ids)))


def account_links_within(region: str | None) -> QuerySet[AccountLink]:
    """Account links whose subject works in ``region`` (a code prefix), or whose subject's
    agency sits there; every link when ``region`` is None (national)."""
    return AccountLink.objects.filter(
        within_q("subject__workplace__pk", region) | within_q("subject__agency__region__pk", region)
    )


def confirmed_account_links_within(region: str | None) -> QuerySet[AccountLink]:
    """The confirmed links of ``account_links_within``: proof that an account is a subject's.

    At most one per account (``accountlink_one_confirmed_owner``), so ``account_id`` of
    these rows serves as a set of linked account keys in a subquery.
    """
    return account_links_within(region).filter(status=LinkStatus.CONFIRMED)


def account_links_known_to(user: AnyUser) -> QuerySet[AccountLink]:
    """The account links whose subject lies in the user's jurisdiction by workplace or by
    agency, confirmed or proposed or rejected (what the pages may name); none without a
    jurisdiction. Deciding a link is narrower: ``access.account_links_for_user``."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return AccountLink.objects.none()
    return account_links_within(jurisdiction)


@dataclass(frozen=True, slots=True)
class AccountSubject:
    """The subject an account is linked to, as far as the user asking may know it."""

    account_id: int
    subject_id: int
    name: str
    kind: str
    kind_label: StrOrPromise
    position: str
    agency: str
    workplace: str
    status: str
    status_label: StrOrPromise

    @property
    def confirmed(self) -> bool:
        return self.status == LinkStatus.CONFIRMED


def account_subjects_for_user(
    user: AnyUser, account_ids: Iterable[int]
) -> dict[int, AccountSubject]:
    """For each account key, the subject behind it that ``user`` may see.

    A confirmed link wins; without one, the proposed link of highest confidence (a claim
    still to be reviewed, shown as such). Rejected links and subjects outside the user's
    jurisdiction are left out, so such an account has no entry. One query.
    """
    keys = sorted(set(account_ids))
    if not keys:
        return {}
    links = (
        account_links_known_to(user)
        .filter(account_id__in=keys, status__in=[LinkStatus.CONFIRMED, LinkStatus.PROPOSED])
        .select_related("subject", "subject__agency", "subject__workplace")
        .order_by("account_id", "-confidence", "pk")
    )
    found: dict[int, AccountSubject] = {}
    for link in links:
        known = found.get(link.account_id)
        if known is not None and (known.confirmed or link.status != LinkStatus.CONFIRMED):
            continue
        subject = link.subject
        found[link.account_id] = AccountSubject(
            account_id=link.account_id,
            subject_id=subject.pk,
            name=subject.full_name,
            kind=subject.kind,
            kind_label=subject.get_kind_display(),
            position=subject.position,
            agency=subject.agency.name if subject.agency else "",
            workplace=str(subject.workplace),
            status=link.status,
            status_label=link.get_status_display(),
        )
    return found
