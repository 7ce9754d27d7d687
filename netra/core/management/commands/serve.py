from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Jalankan Netra di 127.0.0.1:8000 dengan server pengembangan Django (untuk demo dan "
        "kerja lokal; produksi memakai server WSGI, lihat docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("runserver", options["addr"], use_reloader=False)
