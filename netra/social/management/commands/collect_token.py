"""``netra collect token NAME [--election SLUG] [--actor USERNAME]``: a new collector token.

The token is printed once and never again: only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netra.elections.models import Election
from netra.social.collect.tokens import collector_token_create
from netra.staff.commands import actor_for


class Command(BaseCommand):
    help = _("Buat token kolektor untuk API kiriman; token hanya ditampilkan sekali.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=_("nama kolektor"))
        parser.add_argument("--election", metavar="SLUG", help=_("pemilihan untuk kiriman"))
        parser.add_argument(
            "--actor", metavar="USERNAME", help=_("pengguna yang dicatat sebagai pembuat")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(options["name"]).strip()
        if not name:
            raise CommandError(_("Nama kolektor tidak boleh kosong."))
        election = None
        if options["election"]:
            election = Election.objects.filter(slug=options["election"]).first()
            if election is None:
                raise CommandError(_("Pemilihan tidak ditemukan: %s") % options["election"])
        token, plain = collector_token_create(
            name=name, election=election, actor=actor_for(options["actor"])
        )
        self.stderr.write(
            _(
                "Token kolektor '%(name)s' dibuat (awalan %(prefix)s). Simpan sekarang: token ini "
                "tidak akan ditampilkan lagi."
            )
            % {"name": token.name, "prefix": token.prefix}
        )
        self.stdout.write(plain)
