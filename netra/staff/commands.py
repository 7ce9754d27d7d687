"""The file-import commands' FILE argument and ``--actor`` for apps above staff: the actor as
a staff ``User`` (``netra.core.commands`` reads it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from netra.core.commands import actor_for as user_for
from netra.core.commands import add_import_arguments, import_file_and_actor
from netra.staff.models import User

__all__ = ["actor_for", "add_import_arguments", "staff_file_and_actor"]


def _staff(actor: AbstractBaseUser | None, username: str | None) -> User | None:
    if actor is not None and not isinstance(actor, User):
        raise CommandError(_("Pengguna tidak ditemukan: %s") % username)
    return actor


def actor_for(username: str | None) -> User | None:
    """The staff user named by ``--actor``, None when not given; CommandError when unknown."""
    return _staff(user_for(username), username)


def staff_file_and_actor(options: dict[str, Any]) -> tuple[Path, User | None]:
    """The existing file to import and the staff user named by ``--actor``."""
    path, actor = import_file_and_actor(options)
    return path, _staff(actor, options.get("actor"))
