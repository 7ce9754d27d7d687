"""``netra law load [BERKAS] [--overwrite] [--dry-run]``: load the regulation reference data."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netra.law.services import SECTIONS, LawDataError, LawLoadSummary, law_load


class Command(BaseCommand):
    help = _(
        "Memuat data regulasi (katalog pelanggaran, tingkat sanksi, aturan tenggat, penerima, "
        "kode formulir) dari berkas YAML. Baris yang diubah staf tidak ditimpa tanpa --overwrite."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help=_("Berkas YAML; bawaan: data regulasi yang dikemas bersama Netra."),
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help=_("Timpa baris tersimpan yang berbeda dari berkas (termasuk suntingan staf)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Uji coba: tampilkan ringkasan tanpa menyimpan apa pun."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = law_load(
                path=options["path"], overwrite=options["overwrite"], dry_run=options["dry_run"]
            )
        except LawDataError as error:
            lines = [_("Data regulasi tidak dimuat; tidak ada yang disimpan.")]
            lines += [f"  {error.source}: {p.where}: {p.message}" for p in error.problems]
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(render_summary(summary))


def render_summary(summary: LawLoadSummary) -> str:
    """The summary as Indonesian text, one line per table, then the rows left as they were."""
    lines = [_("Sumber: %s") % summary.source]
    for section, counts in summary.counts.items():
        lines.append(
            _(
                "%(table)s: %(created)d baru, %(updated)d ditimpa, %(unchanged)d tetap, "
                "%(differing)d berbeda"
            )
            % {
                "table": SECTIONS[section]._meta.verbose_name_plural,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "differing": counts.differing,
            }
        )
    kept = [d for d in summary.differences if not d.overwritten]
    overwritten = [d for d in summary.differences if d.overwritten]
    if kept:
        lines.append(
            _(
                "%d baris berbeda dari berkas dan TIDAK ditimpa (mungkin suntingan staf; "
                "jalankan dengan --overwrite untuk menimpanya):"
            )
            % len(kept)
        )
    for heading, rows in ((None, kept), (_("Ditimpa dengan isi berkas:"), overwritten)):
        if heading and rows:
            lines.append(heading)
        for row in rows:
            lines.append(f"  {SECTIONS[row.section]._meta.verbose_name} {row.row} ({row.where})")
            lines.extend(
                "    "
                + _("%(field)s: basis data %(database)s, berkas %(file)s")
                % {"field": f.label, "database": f.database, "file": f.file}
                for f in row.fields
            )
    if summary.dry_run:
        lines.append(_("Uji coba: tidak ada yang disimpan."))
    return "\n".join(lines)
