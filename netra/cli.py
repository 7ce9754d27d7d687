"""The ``netra`` console command: Django's management commands with grouped names.

``netra regions import FILE`` runs the ``regions_import`` command, ``netra serve``
runs ``serve``; anything else passes straight to Django (``netra migrate``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _resolve(argv: list[str], known: set[str]) -> list[str]:
    if len(argv) >= 2 and f"{argv[0]}_{argv[1]}" in known:
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netra.config.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    args = list(sys.argv[1:] if argv is None else argv)
    django.setup()
    from django.conf import settings

    # The embedded default keeps its SQLite file and uploads under var/; make it on first use.
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["netra", *_resolve(args, set(get_commands()))])


if __name__ == "__main__":
    main()
