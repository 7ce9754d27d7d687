"""Tasks of detection: thin adapters over its services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from netra.detection.services import LinkageBusy, linkage_run


@shared_task(name="netra.detection.link_accounts")
def link_accounts(region: str | None = None) -> dict[str, Any] | None:
    """Propose account links for the subjects of ``region`` (None: all) as the system;
    answer the run's counts, or None when another run holds the lock.

    Safe to retry and to enqueue twice: a rerun changes only proposals whose score or
    reasons changed, and a second run at once finds the lock taken.
    """
    try:
        return linkage_run(region=region).as_params()
    except LinkageBusy:
        return None
