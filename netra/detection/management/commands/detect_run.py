"""``netra detect run [--election SLUG] [--since TIME]``: detection on demand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from netra.detection.classify import ModelError
from netra.detection.models import DetectionRunStatus
from netra.detection.run import busy_message, detection_run, elections_pending
from netra.elections.models import Election
from netra.law.selectors import LawRuleMissing


def _since(value: str) -> dt.datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(
                _("--since %(value)s bukan tanggal (2024-11-01) atau waktu ISO 8601")
                % {"value": value}
            )
        moment = dt.datetime.combine(day, dt.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = _(
        "Jalankan deteksi: nilai konten yang belum dinilai model yang berjalan, lalu "
        "terapkan aturan dan cari koordinasi. Tanpa --election: setiap pemilihan yang "
        "punya data baru sejak deteksi terakhir."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--election", help=_("kode (slug) pemilihan"))
        parser.add_argument(
            "--since",
            help=_("hanya konten yang berubah sejak tanggal atau waktu ini (ISO 8601)"),
        )
        parser.add_argument("--batch", type=int, help=_("konten per transaksi"))

    def handle(self, *args: Any, **options: Any) -> None:
        since = _since(options["since"]) if options["since"] else None
        if options["election"]:
            election = Election.objects.filter(slug=options["election"]).first()
            if election is None:
                raise CommandError(
                    _("Pemilihan %(slug)s tidak ada.") % {"slug": options["election"]}
                )
            elections = [election]
        else:
            elections = elections_pending()
            if not elections:
                self.stdout.write(_("Tidak ada pemilihan dengan data baru sejak deteksi terakhir."))
        for election in elections:
            try:
                summary = detection_run(election=election, since=since, batch=options["batch"])
            except (ModelError, LawRuleMissing) as exc:
                raise CommandError(str(exc)) from None
            if summary.status == DetectionRunStatus.BUSY:
                self.stderr.write(busy_message(election))
                continue
            flags, groups = summary.flags, summary.coordination
            self.stdout.write(
                _(
                    "%(election)s: %(judged)d konten dinilai (%(campaign)d kampanye, model "
                    "%(model)s); tanda: %(created)d baru, %(updated)d diperbarui, "
                    "%(withdrawn)d ditarik; koordinasi: %(groups)d kelompok, %(gcreated)d "
                    "baru. %(seconds).1f detik."
                )
                % {
                    "election": election.slug,
                    "judged": summary.judged,
                    "campaign": summary.campaign,
                    "model": summary.model_version,
                    "created": flags.get("created", 0),
                    "updated": flags.get("updated", 0),
                    "withdrawn": flags.get("withdrawn", 0),
                    "groups": groups.get("groups", 0),
                    "gcreated": groups.get("created", 0),
                    "seconds": summary.seconds,
                }
            )
