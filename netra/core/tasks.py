"""Tasks of the core: a liveness probe for the queue."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone


@shared_task(name="netra.core.ping")
def ping(token: str) -> dict[str, str]:
    """Answer with the caller's token, the worker's host and the time: proof a worker ran it."""
    return {"token": token, "host": socket.gethostname(), "at": timezone.now().isoformat()}
