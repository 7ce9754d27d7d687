"""The guard against lookups by string into another app's fields (docs/conventions.md).

``Query.names_to_path`` resolves every lookup path the ORM is given (``filter``, ``exclude``,
``values``, ``order_by`` …). Wrapped here, it records each path written in ``netra/`` code
that, from a model of one app, goes on to name a field of another app's model: the join by
a foreign key is fine (``election``, ``election_id``, ``election__pk``), naming what lies
behind it is not (``election__region``, ``subject_links__subject``). Such a path still runs
after the other app renames a field only as long as somebody notices; a subquery from the
owning app's selector (``election__in=elections_within(region)``) keeps that knowledge
there. The autouse fixture in ``tests/conftest.py`` fails the test that made such a query.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.options import Options
from django.db.models.sql.query import Query

ROOT = Path(__file__).resolve().parent.parent
NETRA = str(ROOT / "netra") + "/"
_DJANGO_DB = "/django/db/"

found: list[str] = []


def _caller() -> str | None:
    """``file:line`` of the netra code that handed the ORM this path, or None when the
    ORM was called from elsewhere (Django's admin, a test)."""
    frame = sys._getframe(2)
    while frame is not None and _DJANGO_DB in frame.f_code.co_filename:
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None or not frame.f_code.co_filename.startswith(NETRA):
        return None
    if "/migrations/" in frame.f_code.co_filename:
        return None
    return f"{frame.f_code.co_filename.removeprefix(str(ROOT) + '/')}:{frame.f_lineno}"


def crossing(names: Sequence[str], opts: Options[Any]) -> str | None:
    """The first name in ``names`` that lies in another app than ``opts``'s model, beyond
    the foreign key that leads there; None when the path stays within the app."""
    home = opts.app_label
    current: Options[Any] | None = opts
    for index, name in enumerate(names):
        if current is None:
            return None
        if name == "pk" or (current.pk is not None and name == current.pk.name):
            return None
        try:
            field = current.get_field(name)
        except Exception:  # a transform or lookup (``__year``, ``__in``): the path ends
            return None
        if current.app_label != home:
            return ".".join(names[: index + 1])
        if isinstance(field, ForeignObjectRel) and field.related_model._meta.app_label != home:
            # A reverse accessor is the other app's field, declared on its model.
            return ".".join(names[: index + 1])
        related = field.related_model if field.is_relation else None
        current = related._meta if related is not None and not isinstance(related, str) else None
    return None


def install() -> None:
    """Wrap ``Query.names_to_path`` once."""
    original: Callable[..., Any] = Query.names_to_path
    if getattr(original, "netra_guard", False):
        return

    def names_to_path(
        self: Query, names: Sequence[str], opts: Options[Model], *args: Any, **kwargs: Any
    ) -> Any:
        result = original(self, names, opts, *args, **kwargs)
        where = _caller()
        if where is not None and (name := crossing(names, opts)) is not None:
            found.append(f"{where}: {opts.label}.{'__'.join(names)} names {name}")
        return result

    names_to_path.netra_guard = True  # type: ignore[attr-defined]
    Query.names_to_path = names_to_path  # type: ignore[method-assign]
