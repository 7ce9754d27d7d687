"""Every source: the manifests of the folders under ``netra/social/sources/``, and their parts.

The folders are found on first use (each one whose package holds a ``MANIFEST``), in the
order of their names; a manifest from elsewhere may be added with ``register`` (tests,
plug-ins) and is asked after them. Lookups (``FORMATS``, ``platform_spec``,
``capture_converters``…) always answer for the manifests known at the time of asking.

A manifest added with ``register`` is known to this process only: a file large enough to
be read by a child process (``NETRA_INGEST_PARALLEL_BYTES``) can be read only in a format
of the folders, and its settings are not read from the environment (settings.py reads
those of the folders): set them in Django's settings, else their defaults hold.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import IO, overload

from django.utils.translation import gettext as _

from netra.social import sources
from netra.social.sources.records import (
    CaptureConverter,
    FormatSpec,
    Parsed,
    ParseOptions,
    PlatformSpec,
    Setting,
    SourceManifest,
    UnrecognisedFormat,
)

_SETTING_NAME = re.compile(r"NETRA_[A-Z0-9_]+")
_COLLECTOR = re.compile(r"[\w.]+:\w+")

_added: list[SourceManifest] = []


@cache  # once, on first use: by then every folder's own imports are done
def _discover() -> tuple[SourceManifest, ...]:
    """The ``MANIFEST`` of every source folder under ``netra/social/sources/``, by name."""
    found: list[SourceManifest] = []
    for module in sorted(pkgutil.iter_modules(sources.__path__), key=lambda m: m.name):
        if module.ispkg:
            manifest = getattr(
                importlib.import_module(f"{sources.__name__}.{module.name}"), "MANIFEST", None
            )
            if isinstance(manifest, SourceManifest):
                _check(manifest, found)
                found.append(manifest)
    return tuple(found)


def manifests() -> tuple[SourceManifest, ...]:
    """Every manifest: the folders' by name, then the registered ones in their order."""
    return (*_discover(), *_added)


def _check(manifest: SourceManifest, known: Sequence[SourceManifest]) -> None:
    """Raise ``ValueError`` when a manifest would claim what another one holds."""
    taken = {
        "source": {m.name for m in known},
        "format": {spec.name for m in known for spec in m.formats},
        "platform": {spec.platform for m in known for spec in m.platforms},
        "capture": {key for m in known for spec in m.platforms for key, _c in spec.captures},
        "setting": {s.name for m in known for s in _manifest_settings(m)},
    }
    claims = {
        "source": [manifest.name],
        "format": [spec.name for spec in manifest.formats],
        "platform": [spec.platform for spec in manifest.platforms],
        "capture": [key for spec in manifest.platforms for key, _c in spec.captures],
        "setting": [s.name for s in _manifest_settings(manifest)],
    }
    for kind, names in claims.items():
        repeated = sorted({n for n in names if n in taken[kind] or names.count(n) > 1})
        if repeated:
            raise ValueError(f"manifest {manifest.name!r}: {kind} {repeated} already declared")
    for setting in _manifest_settings(manifest):
        if not _SETTING_NAME.fullmatch(setting.name):
            raise ValueError(f"manifest {manifest.name!r}: setting {setting.name!r} is no NETRA_…")
    for spec in manifest.platforms:
        if spec.live is not None and not _COLLECTOR.fullmatch(spec.live.collector):
            raise ValueError(
                f"manifest {manifest.name!r}: collector {spec.live.collector!r} is no module:name"
            )


def _manifest_settings(manifest: SourceManifest) -> list[Setting]:
    return [s for spec in manifest.platforms if spec.live for s in spec.live.settings]


def register(manifest: SourceManifest) -> None:
    """Add a manifest from outside ``netra/social/sources/`` (module docstring).

    Raises ``ValueError`` when it names a source, format, platform, capture module or
    setting that a known manifest already holds.
    """
    _check(manifest, manifests())
    _added.append(manifest)
    _changed()


def unregister(manifest: SourceManifest) -> None:
    """Forget a manifest added with ``register``; ``ValueError`` when it was not."""
    _added.remove(manifest)
    _changed()


@contextmanager
def registered(manifest: SourceManifest) -> Iterator[SourceManifest]:
    """``register`` for the duration of a ``with`` block, then ``unregister``."""
    register(manifest)
    try:
        yield manifest
    finally:
        unregister(manifest)


def _changed() -> None:
    """Forget what was derived from the manifests known before."""
    for derived in (_formats, platform_names, capture_converters):
        derived.cache_clear()


class _Manifests(Sequence[SourceManifest]):
    """``manifests()`` as a sequence that always holds the manifests known now."""

    @overload
    def __getitem__(self, index: int) -> SourceManifest: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[SourceManifest]: ...

    def __getitem__(self, index: int | slice) -> SourceManifest | Sequence[SourceManifest]:
        return manifests()[index]

    def __len__(self) -> int:
        return len(manifests())


@cache
def _formats() -> dict[str, FormatSpec]:
    return {spec.name: spec for manifest in manifests() for spec in manifest.formats}


class _Formats(Mapping[str, FormatSpec]):
    """Every format by name, in manifest order, for the manifests known now."""

    def __getitem__(self, name: str) -> FormatSpec:
        return _formats()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_formats())

    def __len__(self) -> int:
        return len(_formats())


MANIFESTS: Sequence[SourceManifest] = _Manifests()
FORMATS: Mapping[str, FormatSpec] = _Formats()


def platform_specs() -> tuple[PlatformSpec, ...]:
    """What the manifests know of each platform, in manifest order."""
    return tuple(spec for manifest in manifests() for spec in manifest.platforms)


def platform_spec(platform: str) -> PlatformSpec | None:
    """What the home of a platform declares of it; None for a platform without a home."""
    return next((spec for spec in platform_specs() if spec.platform == platform), None)


@cache  # asked for every row of a table
def platform_names() -> Mapping[str, str]:
    """Every platform a file may name, aliases included (lower case), to its value."""
    names = {manifest.platform: manifest.platform for manifest in manifests()}
    for spec in platform_specs():
        names[spec.platform] = spec.platform
        names |= dict.fromkeys(spec.aliases, spec.platform)
    return names


@cache
def capture_converters() -> Mapping[str, CaptureConverter]:
    """The browser-capture converters of every platform, by the capture tool's module id."""
    return {key: convert for spec in platform_specs() for key, convert in spec.captures}


def source_settings() -> tuple[Setting, ...]:
    """Every setting the manifests name, in manifest order."""
    return tuple(s for manifest in manifests() for s in _manifest_settings(manifest))


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
