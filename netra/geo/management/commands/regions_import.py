from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.core.commands import add_import_arguments, import_file_and_actor
from netra.geo.services import RegionImportError, regions_import


class Command(BaseCommand):
    help = _("Impor daftar wilayah Kemendagri (CSV code,name,level). Aman dijalankan berulang.")

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path, actor = import_file_and_actor(options)
        started = time.monotonic()
        try:
            summary = regions_import(path=path, actor=actor)
        except RegionImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "%(read)d baris dibaca: %(created)d baru, %(updated)d diperbarui, "
                "%(unchanged)d tetap; %(missing)d wilayah lama tidak ada di berkas (disimpan). "
                "%(seconds).1f detik."
            )
            % {
                "read": summary.read,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "missing": summary.not_in_file,
                "seconds": time.monotonic() - started,
            }
        )
