"""One detection run for one election: judge the items in its scope, then the rules.

``detection_run`` is what ``netra detect run`` and the Celery tasks call:

1. **Verdicts.** Every item in the election's scope (below) without a verdict of the
   running model that is newer than the item's last change is judged and its verdict
   stored, in batches, each committed on its own. A run killed midway loses at most the
   batch it was judging; the next run judges only what is still stale, so nothing is
   judged twice and nothing is skipped. Several workers may run at once: one holds the
   election (``work_lock``), the others answer ``busy``.
2. **Flags.** ``flags_detect`` (the rules) and ``coordination_detect`` over the stored
   verdicts; both are idempotent.

The scope of an election: the items of the sources loaded for it, the items of every
account confirmed to belong to a subject within its region, the items those items reply
to or share, and the items those accounts liked, shared or commented on.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.core.locks import work_lock
from netra.detection.classify import (
    CampaignModel,
    Classifier,
    Explain,
    item_text,
    running_model,
)
from netra.detection.coordination import coordination_detect
from netra.detection.flagging import DetectionBusy, flags_detect
from netra.detection.lexicon import lexicon_for
from netra.detection.models import ContentVerdict, DetectionRun, DetectionRunStatus
from netra.detection.services import content_verdicts_store
from netra.elections.models import Election
from netra.registry.selectors import confirmed_account_links_within
from netra.social.models import IngestRun, Interaction, Item, ItemProvenance
from netra.staff.models import User

# Items judged and stored per transaction.
DEFAULT_BATCH = 5_000


@dataclass
class DetectionSummary:
    """What one run did, for the command's output and the task's result."""

    election: str
    status: DetectionRunStatus = DetectionRunStatus.DONE
    judged: int = 0
    campaign: int = 0
    model_version: str = ""
    flags: dict[str, int] = field(default_factory=dict)
    coordination: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "election": self.election,
            "status": self.status.value,
            "judged": self.judged,
            "campaign": self.campaign,
            "model_version": self.model_version,
            "flags": self.flags,
            "coordination": self.coordination,
            "seconds": round(self.seconds, 3),
        }


def items_in_scope(election: Election, keys: tuple[int, int] | None = None) -> QuerySet[Item]:
    """The items ``election``'s detection judges (see the module's docstring); with
    ``keys``, only those with ``keys[0] < pk <= keys[1]``."""
    linked = confirmed_account_links_within(election.region_id).values("account_id")
    loaded = ItemProvenance.objects.filter(source__election=election)
    if keys is not None:
        # The same bounds inside the subquery: PostgreSQL hashes a subquery under OR once
        # per query, and a hash of every item of the election made each batch a full scan.
        loaded = loaded.filter(item_id__gt=keys[0], item_id__lte=keys[1])
    replied = Item.objects.filter(author_id__in=linked).exclude(parent_platform_id="")
    acted = Interaction.objects.filter(actor_id__in=linked).exclude(target_item_platform_id="")
    scope = Item.objects.filter(
        Exists(loaded.filter(item=OuterRef("pk")))
        | Q(author_id__in=linked)
        | Q(platform_id__in=replied.values("parent_platform_id"))
        | Q(platform_id__in=acted.values("target_item_platform_id"))
    )
    return scope if keys is None else scope.filter(pk__gt=keys[0], pk__lte=keys[1])


def stale_items(
    election: Election, model: CampaignModel, keys: tuple[int, int] | None = None
) -> QuerySet[Item]:
    """The items in scope whose stored verdict is missing, of another model, or older than
    the item's last change (with ``keys``, within those bounds, as ``items_in_scope``)."""
    fresh = ContentVerdict.objects.filter(
        election=election, model_version=model.version, judged_at__gte=OuterRef("updated_at")
    )
    if keys is not None:
        fresh = fresh.filter(item_id__gt=keys[0], item_id__lte=keys[1])
    return items_in_scope(election, keys).exclude(Exists(fresh.filter(item=OuterRef("pk"))))


def verdicts_update(
    *,
    election: Election,
    since: dt.datetime | None = None,
    batch: int = DEFAULT_BATCH,
    model: CampaignModel | None = None,
    summary: DetectionSummary,
    actor: User | None = None,
    keys: tuple[int, int] | None = None,
) -> None:
    """Judge and store the stale items of ``election`` (changed since ``since`` only, when
    given; with ``keys`` only those with ``keys[0] < pk <= keys[1]``), ``batch`` at a
    time, in key order."""
    model = model or running_model()
    summary.model_version = model.version
    classifier = Classifier(lexicon_for(election), model)
    last, top = keys if keys is not None else (0, _last_key())
    # Walked in windows of keys, the subqueries bounded too: each query reads one range of
    # the items, their provenance and their verdicts, so a run is one pass over them.
    span = batch * 4
    while last < top:
        upper = min(last + span, top)
        stale = stale_items(election, model, (last, upper))
        if since is not None:
            stale = stale.filter(updated_at__gte=since)
        rows = list(stale.order_by("pk").values_list("pk", "title", "text")[:batch])
        if len(rows) == batch:
            upper = rows[-1][0]  # the window holds more: go on from the last one judged
        last = upper
        if not rows:
            continue
        verdicts = classifier.verdicts(
            [item_text(title, text) for _pk, title, text in rows], explain=Explain.CAMPAIGN
        )
        content_verdicts_store(
            election=election,
            pairs=zip((row[0] for row in rows), verdicts, strict=True),
            actor=actor,
        )
        summary.judged += len(rows)
        summary.campaign += sum(verdict.campaign for verdict in verdicts)


def _last_key() -> int:
    return Item.objects.aggregate(top=Max("pk"))["top"] or 0


def stale_parts(election: Election, size: int) -> list[tuple[int, int]]:
    """The stale items of ``election`` cut into key ranges of ``size`` items each, for
    workers to judge in parallel: ``(after, upto)`` pairs, ``after < pk <= upto``."""
    keys = list(stale_items(election, running_model()).order_by("pk").values_list("pk", flat=True))
    return [
        (keys[start - 1] if start else 0, keys[min(start + size, len(keys)) - 1])
        for start in range(0, len(keys), size)
    ]


def detection_run(
    *,
    election: Election,
    since: dt.datetime | None = None,
    batch: int | None = None,
    actor: User | None = None,
) -> DetectionSummary:
    """Judge what is stale in ``election``'s scope, then bring its flags up to date; the
    run is recorded as a ``DetectionRun`` (failed, with its error, when it raises)."""
    started = time.monotonic()
    summary = DetectionSummary(election=election.slug)
    record = DetectionRun.objects.create(election=election, started_at=timezone.now())
    try:
        with work_lock("detection.run", election.pk) as taken:
            if taken:
                _run(election, since, batch, actor, summary)
            else:
                summary.status = DetectionRunStatus.BUSY
    except BaseException as exc:  # a worker stopped by a signal too; SIGKILL leaves "running"
        record.status = DetectionRunStatus.FAILED
        record.error = f"{type(exc).__name__}: {exc}"
        record.finished_at = timezone.now()
        record.save(update_fields=["status", "error", "finished_at"])
        raise
    summary.seconds = time.monotonic() - started
    record.status = summary.status
    record.finished_at = timezone.now()
    record.model_version = summary.model_version
    record.judged = summary.judged
    record.campaign = summary.campaign
    record.summary = summary.as_dict()
    record.save(
        update_fields=[
            "status",
            "finished_at",
            "model_version",
            "judged",
            "campaign",
            "summary",
        ]
    )
    return summary


def _run(
    election: Election,
    since: dt.datetime | None,
    batch: int | None,
    actor: User | None,
    summary: DetectionSummary,
) -> None:
    verdicts_update(
        election=election,
        since=since,
        batch=batch or settings.NETRA_DETECTION_BATCH_SIZE,
        summary=summary,
        actor=actor,
    )
    try:
        flags = flags_detect(election=election, actor=actor)
        coordination = coordination_detect(election=election, actor=actor)
    except DetectionBusy:
        summary.status = DetectionRunStatus.BUSY
        return
    summary.flags = flags.as_params()
    summary.coordination = coordination.as_params()


def elections_pending() -> list[Election]:
    """The elections with something new since their last finished run: an ingest run of a
    source loaded for them (or for no election) finished since, or an account link
    decided since. An election never run counts when it has anything to look at."""
    pending = []
    for election in Election.objects.order_by("pk"):
        last = (
            DetectionRun.objects.filter(election=election, status=DetectionRunStatus.DONE)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        runs = IngestRun.objects.filter(
            Q(source__election=election) | Q(source__election__isnull=True),
            finished_at__isnull=False,
        )
        links = confirmed_account_links_within(election.region_id)
        if last is not None:
            runs = runs.filter(finished_at__gt=last)
            links = links.filter(decided_at__gt=last)
        if runs.exists() or links.exists():
            pending.append(election)
    return pending


def busy_message(election: Election) -> str:
    return _("Deteksi untuk %(election)s sedang dijalankan oleh proses lain.") % {
        "election": election
    }
