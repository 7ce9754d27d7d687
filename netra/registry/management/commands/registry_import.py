"""``netra registry import FILE``: import a roster of subjects from CSV or XLSX."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.registry.services import RosterImportError, roster_import
from netra.staff.commands import add_import_arguments, staff_file_and_actor


class Command(BaseCommand):
    help = _(
        "Impor daftar subjek (ASN, perangkat desa, TNI/Polri) dari CSV atau XLSX "
        "(docs/registry-format.md). Semua baris atau tidak sama sekali; aman diulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path, actor = staff_file_and_actor(options)
        try:
            summary = roster_import(path=path, actor=actor)
        except RosterImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(str(exc) + " " + _("Tidak ada data yang ditulis.")) from None
        self.stdout.write(
            _(
                "%(file)s: %(rows)d baris dibaca. Subjek: %(created)d baru, "
                "%(updated)d diperbarui, %(unchanged)d tidak berubah. Instansi baru: "
                "%(agencies)d. SHA-256 %(sha256)s."
            )
            % {
                "file": summary.file_name,
                "rows": summary.rows_read,
                "created": summary.subjects_created,
                "updated": summary.subjects_updated,
                "unchanged": summary.subjects_unchanged,
                "agencies": summary.agencies_created,
                "sha256": summary.sha256,
            }
        )
