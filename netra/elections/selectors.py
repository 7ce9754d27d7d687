"""Reads of elections, scoped to the user asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from netra.elections.models import Candidate, CandidateAccount, Election
from netra.geo.models import ancestor_codes, within_q
from netra.staff.access import NoAccess, user_jurisdiction
from netra.staff.types import AnyUser


def elections_for_user(user: AnyUser) -> QuerySet[Election]:
    """Elections held over the user's area: national ones, those of a region above the
    user's (a regency office works on the governor and presidential elections too) and
    those within it. Everything for national users, nothing without a jurisdiction."""
    jurisdiction = user_jurisdiction(user)
    if isinstance(jurisdiction, NoAccess):
        return Election.objects.none()
    if jurisdiction is None:
        return Election.objects.all()
    return Election.objects.filter(
        Q(region__isnull=True)
        | Q(region_id__in=ancestor_codes(jurisdiction))
        | within_q("region__pk", jurisdiction)
    )


def elections_within(region: str) -> QuerySet[Election]:
    """Elections held in the region of code ``region`` or below it (a subquery for rows
    scoped by their election, e.g. who may see a source)."""
    return Election.objects.filter(within_q("region__pk", region))


@dataclass(frozen=True, slots=True)
class OfficialAccount:
    """A candidate's official account (or their campaign team's), as the pages name it."""

    platform: str
    handle: str
    candidate: str
    election: str
    campaign_team: bool


def official_accounts_for_user(
    user: AnyUser, accounts: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[OfficialAccount]]:
    """Which of the ``(platform, handle)`` pairs are official accounts of a candidate in an
    election the user may see (``elections_for_user``).

    Keyed by platform and the handle casefolded without its ``@``, as the election files
    name accounts (``importers``): a platform's handles ignore case. One query.
    """
    wanted = {(platform, handle.lstrip("@").casefold()) for platform, handle in accounts if handle}
    if not wanted:
        return {}
    rows = (
        CandidateAccount.objects.annotate(handle_key=Lower("handle"))
        .filter(
            platform__in=sorted({platform for platform, _handle in wanted}),
            handle_key__in=sorted({handle for _platform, handle in wanted}),
            candidate__election__in=elections_for_user(user),
        )
        .select_related("candidate", "candidate__election")
        .order_by("candidate__election__year", "candidate__number", "pk")
    )
    found: dict[tuple[str, str], list[OfficialAccount]] = {}
    for row in rows:
        key = (row.platform, row.handle.casefold())
        if key in wanted:
            found.setdefault(key, []).append(
                OfficialAccount(
                    platform=row.platform,
                    handle=row.handle,
                    candidate=str(row.candidate),
                    election=row.candidate.election.name,
                    campaign_team=row.is_campaign_team,
                )
            )
    return found


def elections_by_slug(slug: str) -> QuerySet[Election]:
    """The election of that slug, as a QuerySet (empty when none has it)."""
    return Election.objects.filter(slug=slug)


def candidates_with_accounts(election: Election) -> QuerySet[Candidate]:
    """The candidates of ``election`` by ballot number, with their official accounts
    prefetched (two queries): what detection compiles an election's lexicon from."""
    return (
        Candidate.objects.filter(election=election)
        .order_by("number")
        .prefetch_related(Prefetch("accounts", queryset=CandidateAccount.objects.order_by("id")))
    )
