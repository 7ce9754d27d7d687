"""``netra detect link [--region CODE] [--threshold T] [--dry-run] [--actor USERNAME]``.

Proposes account links (an account belongs to a registered subject) for the subjects of a
region, in this process; a person decides each one on /registri/tautan/.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.detection.linkage import DEFAULT_THRESHOLD
from netra.detection.services import LinkageBusy, LinkageSummary, linkage_run
from netra.staff.commands import actor_for


class Command(BaseCommand):
    help = _(
        "Usulkan tautan akun media sosial ke subjek terdaftar (nama, nama akun, bio, "
        "wilayah). Setiap usulan menunggu keputusan petugas; aman diulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", metavar="KODE", help=_("hanya subjek di wilayah ini (awalan kode)")
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=_("skor terendah sebuah usulan (0-1)"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("hitung saja, tanpa menulis apa pun")
        )
        parser.add_argument(
            "--actor", metavar="USERNAME", help=_("pengguna yang dicatat sebagai pelaku")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold: float = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError(_("Ambang harus lebih dari 0 dan paling besar 1."))
        try:
            summary = linkage_run(
                region=options["region"] or None,
                actor=actor_for(options["actor"]),
                threshold=threshold,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except (PermissionDenied, LinkageBusy) as exc:
            raise CommandError(str(exc)) from None
        self._report(summary)

    def _report(self, summary: LinkageSummary) -> None:
        self.stdout.write(
            _(
                "Wilayah %(region)s: %(subjects)d subjek, %(accounts)d akun, %(pairs)d pasangan "
                "dinilai. %(proposals)d usulan dengan skor minimal %(threshold)s."
            )
            % {
                "region": summary.region or _("seluruh Indonesia"),
                "subjects": summary.subjects,
                "accounts": summary.accounts,
                "pairs": summary.pairs_scored,
                "proposals": summary.proposals,
                "threshold": f"{summary.threshold:g}",
            }
        )
        line = (
            _(
                "Uji coba, tidak ada yang ditulis: %(created)d akan dibuat, %(updated)d akan "
                "diperbarui, %(unchanged)d tetap"
            )
            if summary.dry_run
            else _("Tautan: %(created)d baru, %(updated)d diperbarui, %(unchanged)d tetap")
        )
        self.stdout.write(
            (
                line
                + _(
                    "; dilewati: %(decided)d sudah diputuskan, %(owned)d akun sudah punya "
                    "pemilik terkonfirmasi."
                )
            )
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "decided": summary.skipped_decided,
                "owned": summary.skipped_owned,
            }
        )
