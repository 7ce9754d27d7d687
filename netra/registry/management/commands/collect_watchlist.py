"""``netra collect watchlist ELECTION --platform P [--actor USERNAME]``: build a watchlist.

Queries come from the election's candidates (``netra.social.collect.watchlists``). The
accounts watched are the candidates' official accounts on that platform and the accounts
confirmed as belonging to a subject who works within the election's region (anywhere,
for a national election). This command lives in registry because it reads the
registry's account links; social itself never imports registry.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.core.platforms import Platform
from netra.elections.models import CandidateAccount, Election
from netra.geo.models import within_q
from netra.registry.models import AccountLink, LinkStatus
from netra.social.accounts import account_for_handle
from netra.social.collect.watchlists import watchlist_build
from netra.social.models import Account
from netra.staff.commands import actor_for


def watched_accounts(*, election: Election, platform: str) -> list[Account]:
    """Candidates' official accounts and subjects' confirmed accounts for one election."""
    accounts: dict[int, Account] = {}
    official = CandidateAccount.objects.filter(
        candidate__election=election, platform=platform
    ).order_by("candidate__number", "handle")
    for entry in official:
        account = account_for_handle(platform=platform, handle=entry.handle)
        accounts[account.pk] = account
    links = (
        AccountLink.objects.filter(
            status=LinkStatus.CONFIRMED,
            account__in=Account.objects.filter(platform=platform),
        )
        .filter(within_q("subject__workplace__pk", election.region_id))
        .select_related("account")
        .order_by("account__pk")
    )
    for link in links:
        accounts[link.account.pk] = link.account
    return list(accounts.values())


class Command(BaseCommand):
    help = _(
        "Susun daftar pantau satu pemilihan untuk satu platform: kueri dari nama dan alias "
        "calon, akun resmi calon, dan akun subjek yang sudah dikonfirmasi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election", metavar="ELECTION", help=_("kode pemilihan"))
        parser.add_argument("--platform", required=True, choices=Platform.values)
        parser.add_argument(
            "--actor", metavar="USERNAME", help=_("pengguna yang dicatat sebagai pelaku")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(_("Pemilihan tidak ditemukan: %s") % options["election"])
        actor = actor_for(options["actor"])
        platform = options["platform"]
        watchlist = watchlist_build(
            election=election,
            platform=platform,
            accounts=watched_accounts(election=election, platform=platform),
            actor=actor,
        )
        self.stdout.write(
            _(
                "Daftar pantau %(id)d (%(election)s, %(platform)s): %(queries)d kueri, "
                "%(accounts)d akun."
            )
            % {
                "id": watchlist.pk,
                "election": election.slug,
                "platform": watchlist.get_platform_display(),
                "queries": len(watchlist.queries),
                "accounts": watchlist.accounts.count(),
            }
        )
        for query in watchlist.queries:
            self.stdout.write(f"  {query}")
