"""Batches pushed by collectors: received as a file, then loaded like any other file.

A batch arrives in one of two bodies (docs/collection.md):

* raw: the bytes of a file in any supported format, as a collector saved it; the format
  is ``?format=`` or detected from the bytes (``?filename=`` helps by its extension);
* envelope: ``Content-Type: application/json`` and a JSON object with exactly the keys
  ``format`` (a format name), ``records`` (a list of JSON values) and optionally
  ``filename``; the records are written one per line, compact, in order, so the file
  is a JSON Lines file of that format (or, with one record, a JSON document).

The file is kept under ``VAR_DIR/collect/push/<token prefix>/`` by its SHA-256 and loaded
with ``ingest_file`` (``SourceKind.PUSH``, the token's election): pushing the same batch
again stores nothing twice.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from netra.core.events import event_record
from netra.core.files import file_sha256
from netra.social.collect.services import collect_dir
from netra.social.events import SocialEvent
from netra.social.ingest import FileSummary, IngestError, ingest_file
from netra.social.models import CollectorToken, Source, SourceKind

_ENVELOPE_KEYS = frozenset({"format", "records", "filename"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class BatchTooLarge(Exception):
    """The body is larger than ``NETRA_PUSH_MAX_MB``; the message is Indonesian."""


def push_limit() -> int:
    """The largest body accepted, in bytes."""
    return int(settings.NETRA_PUSH_MAX_MB) * 1024 * 1024


def too_large_message() -> str:
    return _("Kiriman terlalu besar: paling banyak %(mb)d MB per kiriman.") % {
        "mb": settings.NETRA_PUSH_MAX_MB
    }


@dataclass(frozen=True, slots=True)
class Received:
    """A body written to a temporary file, with its size."""

    path: Path
    size: int


def batch_receive(chunks: Iterable[bytes], *, limit: int | None = None) -> Received:
    """Write a body to a temporary file, refusing it once it passes the limit."""
    limit = push_limit() if limit is None else limit
    folder = collect_dir() / "push" / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(8)}.part"
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise BatchTooLarge(too_large_message())
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, size)


def _envelope(path: Path) -> tuple[str, list[Any], str] | None:
    """The format, records and file name of an envelope body; None when it is not one."""
    try:
        with path.open("rb") as stream:
            value = json.load(stream)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict) or not {"format", "records"} <= value.keys():
        return None
    if not value.keys() <= _ENVELOPE_KEYS:
        return None
    if not isinstance(value["format"], str) or not isinstance(value["records"], list):
        raise IngestError(_("Amplop kiriman harus berisi 'format' (teks) dan 'records' (daftar)."))
    filename = value.get("filename")
    return value["format"], value["records"], filename if isinstance(filename, str) else ""


def batch_push(
    *,
    token: CollectorToken,
    received: Received,
    format_name: str | None = None,
    filename: str = "",
    json_body: bool = False,
) -> FileSummary:
    """Load a received body as a batch of the token's collector; ``IngestError`` if it cannot.

    The temporary file is always consumed (moved into place or removed).
    """
    try:
        envelope = _envelope(received.path) if json_body else None
        if envelope is not None:
            envelope_format, records, envelope_name = envelope
            if format_name and format_name != envelope_format:
                raise IngestError(
                    _("Format di alamat (%(query)s) berbeda dengan format di amplop (%(body)s).")
                    % {"query": format_name, "body": envelope_format}
                )
            format_name = envelope_format
            filename = filename or envelope_name or "batch.jsonl"
            lines = received.path.with_suffix(".lines")
            with lines.open("wb") as out:
                for record in records:
                    out.write(
                        json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
                    )
                    out.write(b"\n")
            received.path.unlink()
            received = Received(lines, lines.stat().st_size)
        path = _place(received.path, token, filename)
    except BaseException:
        received.path.unlink(missing_ok=True)
        raise
    # The source is the office's that made the token: a collector for one office writes
    # that office's versions, never another's.
    owner = token.created_by.office if token.created_by is not None else None
    try:
        summary = ingest_file(
            path,
            format_name=format_name or None,
            election=token.election,
            owner=owner,
            kind=SourceKind.PUSH,
        )
    except IngestError:
        if not Source.objects.filter(sha256=file_sha256(path)).exists():
            path.unlink(missing_ok=True)
        raise
    event_record(
        kind=SocialEvent.BATCH_PUSHED,
        subject=token,
        params={
            "source": summary.source_id,
            "run": summary.run_id,
            "format": summary.format,
            **summary.tally.totals(),
        },
    )
    return summary


def _place(temporary: Path, token: CollectorToken, filename: str) -> Path:
    """Move a received file to its place, named by its hash and the sender's file name."""
    name = _SAFE_NAME.sub("_", Path(filename).name).strip("._")[:100] or "batch"
    folder = collect_dir() / "push" / _SAFE_NAME.sub("_", token.prefix)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_sha256(temporary)[:16]}-{name}"
    temporary.replace(path)
    return path
