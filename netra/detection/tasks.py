"""Tasks of detection: thin adapters over ``netra.detection.run`` and its services.

Detection follows ingestion by polling (ARCHITECTURE.md: a higher row polls, the lower row
never calls it): celery beat runs ``detect_pending`` every NETRA_DETECTION_POLL_MINUTES,
which queues ``detect_election`` for each election with something new. Both are safe to
retry and to run on several workers at once: a run holds its election with a lock that
dies with its worker, judges only what is still stale and writes flags idempotently.
"""

from typing import Any

from celery import chord, current_app, shared_task
from django.conf import settings
from django.db import OperationalError

from netra.detection.run import (
    DetectionSummary,
    detection_run,
    elections_pending,
    stale_parts,
    verdicts_update,
)
from netra.detection.services import LinkageBusy, linkage_run
from netra.elections.models import Election


@shared_task(name="netra.detection.detect_election", acks_late=True)
def detect_election(election_id: int) -> dict[str, Any]:
    """One detection run over one election; an election that no longer exists is skipped.

    With more stale items than NETRA_DETECTION_TASK_ITEMS and a result backend that joins
    tasks (Redis), the judging is fanned out: one ``judge_items`` task per key range, on
    whichever workers are free, and the run (what is left, then the rules) when all are
    done. Otherwise the whole run happens here."""
    election = Election.objects.filter(pk=election_id).first()
    if election is None:
        return {"election": election_id, "status": "missing"}
    conf = current_app.conf
    if not conf.task_always_eager and str(conf.result_backend).startswith("redis"):
        parts = stale_parts(election, settings.NETRA_DETECTION_TASK_ITEMS)
        if len(parts) > 1:
            chord(judge_items.si(election_id, after, upto) for after, upto in parts)(
                finish_detection.si(election_id)
            )
            return {"election": election.slug, "status": "fanned_out", "parts": len(parts)}
    return detection_run(election=election).as_dict()


@shared_task(
    name="netra.detection.judge_items",
    acks_late=True,
    # SQLite takes one writer at a time: a part that finds the database locked waits and
    # tries again (what it stored before is kept, and no longer stale).
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,
)
def judge_items(election_id: int, after: int, upto: int) -> dict[str, Any]:
    """Judge the stale items of one key range (``after < pk <= upto``) of an election;
    idempotent (what another worker judged meanwhile is no longer stale)."""
    election = Election.objects.get(pk=election_id)
    summary = DetectionSummary(election=election.slug)
    verdicts_update(
        election=election,
        batch=settings.NETRA_DETECTION_BATCH_SIZE,
        summary=summary,
        keys=(after, upto),
    )
    return summary.as_dict()


@shared_task(name="netra.detection.finish_detection", acks_late=True)
def finish_detection(election_id: int) -> dict[str, Any]:
    """The run after a fan-out: judges what is still stale (nothing, normally), then the
    rules and coordination."""
    return detection_run(election=Election.objects.get(pk=election_id)).as_dict()


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
