"""Every format the source adapters read, by the name ``--format`` takes."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from netra.social import sources
from netra.social.sources.records import (
    FormatSpec,
    Parsed,
    ParseOptions,
    SourceManifest,
    UnrecognisedFormat,
)


def _discover() -> tuple[SourceManifest, ...]:
    """The ``MANIFEST`` of every source folder under ``netra/social/sources/``, by name."""
    found: list[SourceManifest] = []
    for module in sorted(pkgutil.iter_modules(sources.__path__), key=lambda m: m.name):
        if module.ispkg:
            manifest = getattr(
                importlib.import_module(f"{sources.__name__}.{module.name}"), "MANIFEST", None
            )
            if isinstance(manifest, SourceManifest):
                found.append(manifest)
    return tuple(found)


MANIFESTS: tuple[SourceManifest, ...] = _discover()

FORMATS: dict[str, FormatSpec] = {
    spec.name: spec for manifest in MANIFESTS for spec in manifest.formats
}


def expected_formats() -> str:
    """The supported formats in words, for messages that say what was expected."""
    return "; ".join(f"{spec.name} ({spec.label})" for spec in FORMATS.values())


def format_spec(name: str) -> FormatSpec:
    """The format of that name; ``UnrecognisedFormat`` naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnrecognisedFormat(
            _("Format '%(name)s' tidak dikenal. Format yang didukung: %(expected)s.")
            % {"name": name, "expected": expected_formats()}
        ) from None


def parse(
    stream: IO[bytes], format_name: str, options: ParseOptions | None = None
) -> Iterator[Parsed]:
    """Parse a binary stream as the named format (see each source's ``parse`` module)."""
    return format_spec(format_name).parse(stream, options or ParseOptions())
