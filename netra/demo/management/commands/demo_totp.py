from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.oath import totp

from netra.staff.selectors import totp_devices_of


class Command(BaseCommand):
    help = _("Tampilkan kode verifikasi dua langkah saat ini untuk akun demo (hanya pengembangan).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("Perintah ini hanya untuk demo, tidak tersedia di produksi."))
        device = totp_devices_of(options["username"], "Demo").first()
        if device is None:
            raise CommandError(_("Tidak ada perangkat demo untuk akun %s.") % options["username"])
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
