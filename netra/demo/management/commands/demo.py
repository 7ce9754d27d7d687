from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.demo.loader import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = _(
        "Siapkan basis data, muat skenario demo (Pilkada 2024 Kabupaten Malang, orang fiktif) "
        "lalu jalankan server di 127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help=_("Muat saja, tanpa server."))
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Before anything touches the database: the demo's passwords are published.
            raise CommandError(
                _(
                    "Demo tidak dimuat di produksi (NETRA_ENV=production): akun demo, termasuk "
                    "superuser, memakai kata sandi yang diumumkan. Jalankan demo di salinan "
                    "pengembangan dengan basis data sendiri."
                )
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Memuat skenario demo…"))
        summary = demo_load()
        for key, value in summary.counts.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(_("Aktivitas media sosial demo (netra ingest):"))
        for loaded in summary.activity:
            totals = loaded.tally.totals()
            self.stdout.write(
                _(
                    "  %(file)s (%(format)s): %(read)d dibaca = %(new)d baru + %(updated)d "
                    "diperbarui + %(duplicate)d duplikat + %(quarantined)d dikarantina"
                )
                % {"file": Path(loaded.path).name, "format": loaded.format, **totals}
            )
        if summary.linkage is not None:
            linkage = summary.linkage
            self.stdout.write(
                _(
                    "Usulan tautan akun dari profil (netra detect link): %(proposals)d usulan "
                    "(%(created)d baru) dari %(accounts)d akun dan %(subjects)d subjek."
                )
                % {
                    "proposals": linkage.proposals,
                    "created": linkage.created,
                    "accounts": linkage.accounts,
                    "subjects": linkage.subjects,
                }
            )
        if summary.detection is not None:
            detection = summary.detection
            self.stdout.write(
                _(
                    "Deteksi (netra detect run): %(judged)d konten dinilai, %(campaign)d "
                    "kampanye, model %(model)s. Tanda:"
                )
                % {
                    "judged": detection.judged,
                    "campaign": detection.campaign,
                    "model": detection.model_version,
                }
            )
            for label, count in summary.flags.items():
                self.stdout.write(f"  {label}: {count}")
        addr = options["addr"]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Netra demo: http://%s/") % addr))
        self.stdout.write(_("Admin data rujukan: http://%s/admin/") % addr)
        self.stdout.write(_("Semua akun demo memakai kata sandi: %s") % DEMO_PASSWORD)
        for login in summary.logins:
            two_factor = (
                _(" (kode 2FA: netra demo totp %s)") % login.username if login.two_factor else ""
            )
            self.stdout.write(f"  {login.username:<22} {login.role} · {login.office}{two_factor}")
        self.stdout.write(_("Semua orang dalam demo adalah fiktif."))
        if not options["no_serve"]:
            self.stdout.flush()
            call_command("runserver", addr, use_reloader=False, skip_checks=True)
