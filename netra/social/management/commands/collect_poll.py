"""``netra collect poll [--watchlist ID | --election SLUG [--platform P]] [--json]``.

Polls live collection now, in this process (the scheduled polls run the same service
through Celery beat): every active watchlist, or the ones named.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.core.platforms import Platform
from netra.elections.selectors import elections_by_slug
from netra.social.collect.services import PollSummary, watchlists_poll
from netra.social.models import Watchlist


class Command(BaseCommand):
    help = _("Kumpulkan data baru dari API platform untuk daftar pantau yang aktif.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watchlist", type=int, metavar="ID")
        parser.add_argument("--election", metavar="SLUG")
        parser.add_argument("--platform", choices=Platform.values)
        parser.add_argument("--json", action="store_true", help=_("ringkasan sebagai JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        watchlists = Watchlist.objects.filter(active=True).select_related("election")
        if options["watchlist"] is not None:
            watchlists = watchlists.filter(pk=options["watchlist"])
        if options["election"]:
            watchlists = watchlists.filter(election__in=elections_by_slug(options["election"]))
        if options["platform"]:
            watchlists = watchlists.filter(platform=options["platform"])
        chosen = list(watchlists.order_by("pk"))
        if not chosen:
            raise CommandError(_("Tidak ada daftar pantau aktif yang cocok."))
        summaries = watchlists_poll(watchlists=chosen)
        if options["json"]:
            self.stdout.write(json.dumps([s.as_dict() for s in summaries], ensure_ascii=False))
            return
        for summary in summaries:
            self._report(summary)

    def _report(self, summary: PollSummary) -> None:
        data = summary.as_dict()
        self.stdout.write(
            _(
                "Daftar pantau %(id)d (%(platform)s): %(pages)d halaman, %(read)d dibaca, "
                "%(new)d baru, %(updated)d diperbarui, %(duplicate)d duplikat, "
                "%(quarantined)d dikarantina."
            )
            % {"id": summary.watchlist_id, **data}
        )
        for problem in summary.problems:
            self.stdout.write("  " + problem)
        for target in summary.targets:
            line = f"  {target.endpoint} {target.target}: {target.status}, {target.pages}"
            self.stdout.write(line + (f" ({target.error})" if target.error else ""))
