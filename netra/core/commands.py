"""What the file-import management commands share: the FILE argument and ``--actor``.

Apps of row 2 and above take the actor as a staff ``User`` through ``netra.staff.commands``;
geo and law, below staff, take it as the configured user model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _


def add_import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--actor", metavar="USERNAME", help=_("pengguna yang dicatat sebagai pelaku")
    )


def import_file_and_actor(options: dict[str, Any]) -> tuple[Path, AbstractBaseUser | None]:
    """The existing file to import and the user named by ``--actor`` (None when not given).

    Raises CommandError, in Indonesian, for a missing file or an unknown user.
    """
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(_("Berkas tidak ditemukan: %s") % path)
    return path, actor_for(options.get("actor"))


def actor_for(username: str | None) -> AbstractBaseUser | None:
    """The user named by ``--actor``, None when not given; CommandError when unknown."""
    if not username:
        return None
    actor = get_user_model()._default_manager.filter(username=username).first()
    if actor is None:
        raise CommandError(_("Pengguna tidak ditemukan: %s") % username)
    return actor
