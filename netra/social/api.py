"""Social's API router: the endpoint collectors push batches to, mounted at ``/api/v1/``
by ``netra.config.api``.

``POST /api/v1/ingest/batches`` with ``Authorization: Bearer <collector token>``; the body
is a batch file or a JSON envelope (``netra.social.collect.push``; docs/collection.md).
The answer is the load's summary; pushing the same bytes again stores nothing twice.
The OpenAPI schema is at ``/api/v1/openapi.json`` and its pages at ``/api/v1/docs``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status
from ninja.security import HttpBearer

from netra.social.collect.push import (
    BatchTooLarge,
    batch_push,
    batch_receive,
    push_limit,
    too_large_message,
)
from netra.social.collect.tokens import collector_token_authenticate
from netra.social.ingest import IngestError
from netra.social.models import CollectorToken

READ_CHUNK = 1 << 16

router = Router(tags=["ingest"])


class CollectorBearer(HttpBearer):
    """A collector token in ``Authorization: Bearer``; inactive and unknown tokens refused."""

    def __call__(self, request: HttpRequest) -> Any:
        # ninja's own __call__ logs an unexpected header whole in DEBUG: it may hold a secret.
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and token.strip():
            found = self.authenticate(request, token.strip())
        if found is None:
            raise AuthenticationError(
                message=_("Token kolektor tidak ada, tidak sah, atau tidak aktif.")
            )
        return found

    def authenticate(self, request: HttpRequest, token: str) -> CollectorToken | None:
        return collector_token_authenticate(token)


class Problem(Schema):
    detail: str


class OutcomeCounts(Schema):
    read: int
    new: int
    updated: int
    duplicate: int
    quarantined: int


class BatchSummary(Schema):
    """What became of a pushed batch: ``read = new + updated + duplicate + quarantined``."""

    path: str
    format: str
    source: int
    run: int
    resumed_from: int
    read: int
    new: int
    updated: int
    duplicate: int
    quarantined: int
    by_type: dict[str, OutcomeCounts]
    seconds: float


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": (
            "Berkas batch apa adanya (format dari ?format= atau dikenali dari isinya), atau "
            'amplop JSON {"format": "...", "records": [...], "filename": "..."}.'
        ),
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["format", "records"],
                    "properties": {
                        "format": {"type": "string"},
                        "records": {"type": "array", "items": {}, "minItems": 1},
                        "filename": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.post(
    "/ingest/batches",
    auth=CollectorBearer(),
    response={200: BatchSummary, 400: Problem, 401: Problem, 413: Problem},
    summary="Kirim satu batch data",
    openapi_extra=_BODY_DOC,
)
def ingest_batch(
    request: HttpRequest, format: str | None = None, filename: str = ""
) -> Status[dict[str, str]] | dict[str, Any]:
    """Load a pushed batch (see the module docstring); the token's election is the batch's."""
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, CollectorToken)  # noqa: S101 - CollectorBearer returns nothing else
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > push_limit():
        return _problem(413, too_large_message())
    try:
        received = batch_receive(iter(lambda: request.read(READ_CHUNK), b""))
    except BatchTooLarge as error:
        return _problem(413, str(error))
    content_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    try:
        summary = batch_push(
            token=token,
            received=received,
            format_name=format or None,
            filename=filename,
            json_body=content_type == "application/json",
        )
    except IngestError as error:
        return _problem(400, str(error))
    result = summary.as_dict()
    # The server's own path is no business of the collector's: the file name is enough.
    result["path"] = summary.path.rsplit("/", 1)[-1]
    return result


def _problem(status: int, detail: str) -> Status[dict[str, str]]:
    return Status(status, {"detail": detail})
