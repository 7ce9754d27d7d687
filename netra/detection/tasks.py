"""Tasks of detection: thin adapters over ``netra.detection.run`` and its services.

Detection follows ingestion by polling (ARCHITECTURE.md: a higher row polls, the lower row
never calls it): celery beat runs ``detect_pending`` every NETRA_DETECTION_POLL_MINUTES,
which queues ``detect_election`` for each election with something new. Both are safe to
retry and to run on several workers at once: a run holds its election with a lock that
dies with its worker, judges only what is still stale and writes flags idempotently.
"""

from typing import Any

from celery import shared_task

from netra.detection.run import detection_run, elections_pending
from netra.detection.services import LinkageBusy, linkage_run
from netra.elections.models import Election


@shared_task(name="netra.detection.detect_election", acks_late=True)
def detect_election(election_id: int) -> dict[str, Any]:
    """One detection run over one election; an election that no longer exists is skipped."""
    election = Election.objects.filter(pk=election_id).first()
    if election is None:
        return {"election": election_id, "status": "missing"}
    return detection_run(election=election).as_dict()


@shared_task(name="netra.detection.detect_pending")
def detect_pending() -> list[int]:
    """Queue a run for every election with something new; answer their keys."""
    queued = [election.pk for election in elections_pending()]
    for election_id in queued:
        detect_election.delay(election_id)
    return queued


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
