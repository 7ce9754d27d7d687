from __future__ import annotations

import secrets
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeout
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.core.tasks import ping


class Command(BaseCommand):
    help = _("Kirim tugas uji ke antrean dan tunggu jawabannya (memeriksa broker dan worker).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        token = secrets.token_hex(8)
        conf = ping.app.conf
        # Only host, port and vhost of the broker: its URL may carry a password.
        mode = (
            _("di dalam proses (tanpa broker)")
            if conf.task_always_eager
            else _("melalui broker %s") % str(conf.broker_url).split("@")[-1]
        )
        try:
            answer = ping.delay(token).get(timeout=options["timeout"])
        except CeleryTimeout:
            raise CommandError(
                _("Tidak ada worker yang menjawab dalam %(s).0f detik (%(mode)s).")
                % {"s": options["timeout"], "mode": mode}
            ) from None
        if answer["token"] != token:
            raise CommandError(_("Jawaban worker tidak cocok dengan tugas yang dikirim."))
        self.stdout.write(
            _("Antrean berfungsi %(mode)s; dijawab oleh %(host)s.")
            % {"mode": mode, "host": answer["host"]}
        )
