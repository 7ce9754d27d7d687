"""``netra elections import FILE``: import elections, stages and candidates from YAML or JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.elections.services import Counts, ElectionsImportError, elections_import
from netra.staff.commands import add_import_arguments, staff_file_and_actor


def _counts(counts: Counts) -> str:
    return _("%(created)d baru, %(updated)d diubah, %(unchanged)d tetap") % vars(counts)


class Command(BaseCommand):
    help = _(
        "Impor pemilihan, tahapan dan calon dari berkas YAML atau JSON "
        "(docs/elections-format.md). Semua atau tidak sama sekali; aman diulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path, actor = staff_file_and_actor(options)
        try:
            summary = elections_import(path=path, actor=actor)
        except ElectionsImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(str(exc) + " " + _("Tidak ada data yang ditulis.")) from None
        status_label = {
            "created": _("dibuat"),
            "updated": _("diperbarui"),
            "unchanged": _("tidak berubah"),
        }
        for outcome in summary.elections:
            self.stdout.write(
                _(
                    "%(slug)s (%(name)s): %(status)s. Tahapan: %(stages)s. Calon: "
                    "%(candidates)s. Akun resmi: %(accounts)s."
                )
                % {
                    "slug": outcome.slug,
                    "name": outcome.name,
                    "status": status_label[outcome.status],
                    "stages": _counts(outcome.stages),
                    "candidates": _counts(outcome.candidates),
                    "accounts": _counts(outcome.accounts),
                }
            )
        elections = summary.election_counts
        self.stdout.write(
            _(
                "%(file)s: %(total)d pemilihan (%(created)d dibuat, %(updated)d diperbarui, "
                "%(unchanged)d tidak berubah). SHA-256 %(sha256)s."
            )
            % {
                "file": summary.file_name,
                "total": len(summary.elections),
                "created": elections.created,
                "updated": elections.updated,
                "unchanged": elections.unchanged,
                "sha256": summary.sha256,
            }
        )
