"""Polling watchlists: walk every target's new pages, save each, load it, then move the cursor.

``watchlist_poll`` is the one entry point (the Celery task, ``netra collect poll`` and the
tests call it). The watchlist's platform names its collector and API in its source
folder's manifest (``PlatformSpec.live``). For each target of a watchlist it:

1. claims the target's ``CollectionCursor`` with a conditional update (``not_before``
   moved to a lease ``LEASE`` ahead), so two polls at once never walk one target twice,
   and skips a target whose ``not_before`` lies ahead (a rate limit, a cooldown after
   failures, the least interval between walks);
2. asks for the next page; an ``ApiFailure`` is recorded on the cursor (``failures``,
   ``last_status``, ``error``, ``not_before``) and ends that target's turn, its walk
   state untouched;
3. saves the page under ``VAR_DIR/collect/<platform>/<election>/<day>/`` and loads it
   with ``ingest_file`` (``SourceKind.API``, the watchlist's election);
4. only then stores the walk's new state on the cursor. A poll killed at any moment
   therefore fetches again at most the one page whose cursor was not stored, and that
   page's records are duplicates of what was loaded: nothing is lost or counted twice.

At most ``NETRA_COLLECT_MAX_PAGES`` pages per target per poll; a longer walk goes on at
the next poll from the stored token.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.social.collect.base import Collector, PollContext, Step, Target, Walk, newer_id
from netra.social.collect.http import (
    ApiClient,
    ApiFailure,
    ApiRequest,
    ApiResponse,
    api_config,
    cooldown,
    live_api,
    setting_value,
)
from netra.social.ingest import FileSummary, NothingLoaded, ingest_file
from netra.social.models import CollectionCursor, SourceKind, Watchlist
from netra.social.store import Tally

# How long a claimed target is reserved for the poll walking it (a killed poll's claim
# runs out after this).
LEASE = timedelta(minutes=10)
# Beat ticks drift by seconds: a walk due "in 15 minutes" must be due at the next tick.
INTERVAL_TOLERANCE = timedelta(minutes=1)


def collector_factory(platform: str) -> Callable[[], Collector] | None:
    """The collector class a platform's manifest names, imported now; None without one."""
    try:
        module, name = live_api(platform).collector.split(":")
    except LookupError:
        return None
    factory: Callable[[], Collector] = getattr(importlib.import_module(module), name)
    return factory


class Status:
    DONE = "done"  # the walk reached what was read before
    MORE = "more"  # pages remain; the next poll goes on
    WAITING = "waiting"  # not_before lies ahead, or another poll holds the target
    FAILED = "failed"  # the platform did not answer usefully; recorded on the cursor


@dataclass
class TargetResult:
    endpoint: str
    target: str
    status: str
    pages: int = 0
    tally: Tally = field(default_factory=Tally)
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "target": self.target,
            "status": self.status,
            "pages": self.pages,
            **self.tally.totals(),
            "error": self.error,
        }


@dataclass
class PollSummary:
    """What one poll of one watchlist did, target by target."""

    watchlist_id: int
    platform: str
    configured: bool = True
    problems: list[str] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(result.pages for result in self.targets)

    def as_dict(self) -> dict[str, Any]:
        totals = Tally()
        for result in self.targets:
            totals.merge(result.tally)
        return {
            "watchlist": self.watchlist_id,
            "platform": self.platform,
            "configured": self.configured,
            "pages": self.pages,
            **totals.totals(),
            "problems": list(self.problems),
            "targets": [result.as_dict() for result in self.targets],
        }


def poll_context(
    *,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
    jitter: Callable[[], float] | None = None,
) -> PollContext:
    """The real clock, sleep and jitter, unless given."""
    return PollContext(
        clock=clock or timezone.now, sleep=sleep or time.sleep, jitter=jitter or random.random
    )


def collect_dir() -> Path:
    """Where collected pages and pushed batches are kept."""
    return Path(settings.VAR_DIR) / "collect"


def watchlist_poll(
    *,
    watchlist: Watchlist,
    context: PollContext | None = None,
    transport: Any = None,
) -> PollSummary:
    """Walk every target of one watchlist once (module docstring). Never raises ApiFailure.

    An unexpected error (a bug, the database gone) is recorded on the cursor of the
    target being walked and raised.
    """
    context = context or poll_context()
    summary = PollSummary(watchlist_id=watchlist.pk, platform=watchlist.platform)
    factory = collector_factory(watchlist.platform)
    config = api_config(watchlist.platform) if factory is not None else None
    if factory is None or config is None:
        summary.configured = False
        summary.problems.append(
            _("Pengumpulan langsung untuk platform %(platform)s belum tersedia.")
            % {"platform": watchlist.get_platform_display()}
        )
        return summary
    if not config.configured:
        summary.configured = False
        summary.problems.append(
            _("Kredensial API %(platform)s belum diatur; daftar pantau ini dilewati.")
            % {"platform": watchlist.get_platform_display()}
        )
        return summary
    collector = factory()
    with ApiClient(
        config,
        sleep=context.sleep,
        clock=context.clock,
        jitter=context.jitter,
        transport=transport,
    ) as client:

        def keep(request: ApiRequest, response: ApiResponse) -> None:
            _page_load(watchlist, collector, request, response, context.clock())

        summary.problems += collector.resolve(watchlist, client, keep)
        for target in collector.targets(watchlist, client, context.clock()):
            summary.targets.append(_target_walk(watchlist, collector, client, target, context))
    return summary


def watchlists_poll(
    *,
    watchlists: list[Watchlist] | None = None,
    context: PollContext | None = None,
    transport: Any = None,
) -> list[PollSummary]:
    """Poll the given watchlists, or every active one, in a stable order."""
    if watchlists is None:
        watchlists = list(
            Watchlist.objects.filter(active=True).select_related("election").order_by("pk")
        )
    return [
        watchlist_poll(watchlist=watchlist, context=context, transport=transport)
        for watchlist in watchlists
    ]


def _claim(cursor: CollectionCursor, now: datetime) -> bool:
    """Reserve a target for this poll; False when it is resting or another poll holds it."""
    claimed = (
        CollectionCursor.objects.filter(pk=cursor.pk)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .update(not_before=now + LEASE)
    )
    if claimed:
        # What another poll stored before this claim is the state to go on from.
        cursor.refresh_from_db()
    return claimed == 1


def _interval(platform: str) -> timedelta:
    minutes = int(setting_value(live_api(platform).poll_minutes) or 0)
    return timedelta(minutes=minutes)


def _target_walk(
    watchlist: Watchlist,
    collector: Collector,
    client: ApiClient,
    target: Target,
    context: PollContext,
) -> TargetResult:
    result = TargetResult(target.endpoint, target.target, Status.WAITING)
    cursor, _created = CollectionCursor.objects.get_or_create(
        watchlist=watchlist, endpoint=target.endpoint, target=target.target[:300]
    )
    started = context.clock()
    if not _claim(cursor, started):
        return result
    max_pages = max(1, int(settings.NETRA_COLLECT_MAX_PAGES))
    try:
        while True:
            walk = Walk.decode(cursor.cursor)
            if not walk.fixed:
                # A new walk (or a bare token typed in the admin): fix its parameters now.
                fixed = collector.start(target, cursor.newest_id, started)
                walk = Walk(token=walk.token, newest=walk.newest, fixed=fixed)
            request = collector.request(target, cursor.newest_id, walk, started)
            try:
                response = client.send(request)
                collector.check(response)
            except ApiFailure as failure:
                _failed(cursor, failure, context.clock())
                result.status = Status.FAILED
                result.error = str(failure)
                return result
            summary = _page_load(watchlist, collector, request, response, context.clock())
            result.tally.merge(summary.tally)
            result.pages += 1
            step = collector.step(target, cursor.newest_id, walk, response.data)
            # The page is loaded: only now may the cursor move past it.
            _advance(cursor, step, response.status, started, context.clock(), watchlist.platform)
            if step.next is None:
                result.status = Status.DONE
                return result
            if result.pages >= max_pages:
                CollectionCursor.objects.filter(pk=cursor.pk).update(not_before=None)
                result.status = Status.MORE
                return result
    except Exception as error:
        # A bug or a database fault: keep the walk state, say what happened, and let the
        # claim run out (LEASE) before anyone tries this target again.
        CollectionCursor.objects.filter(pk=cursor.pk).update(
            failures=cursor.failures + 1, error=repr(error)[:2000]
        )
        raise


def _advance(
    cursor: CollectionCursor,
    step: Step,
    status: int,
    started: datetime,
    now: datetime,
    platform: str,
) -> None:
    if step.next is not None:
        cursor.cursor = step.next.encode()
        cursor.not_before = now + LEASE
    else:
        cursor.cursor = ""
        cursor.newest_id = newer_id(cursor.newest_id, step.newest)
        interval = _interval(platform)
        cursor.not_before = started + interval - INTERVAL_TOLERANCE if interval else None
    cursor.last_status = status
    cursor.failures = 0
    cursor.error = ""
    cursor.save(
        update_fields=[
            "cursor",
            "newest_id",
            "not_before",
            "last_status",
            "failures",
            "error",
            "updated_at",
        ]
    )


def _failed(cursor: CollectionCursor, failure: ApiFailure, now: datetime) -> None:
    failures = cursor.failures + 1
    cursor.failures = min(failures, 32767)
    cursor.last_status = failure.status
    cursor.error = str(failure)[:2000]
    cursor.not_before = failure.not_before or now + cooldown(failures)
    cursor.save(update_fields=["failures", "last_status", "error", "not_before", "updated_at"])


def _page_load(
    watchlist: Watchlist,
    collector: Collector,
    request: ApiRequest,
    response: ApiResponse,
    retrieved_at: datetime,
) -> FileSummary:
    """Save one answered page as a file and load it; return what the load did."""
    saved = collector.save(response, request, retrieved_at)
    digest = hashlib.sha256(saved.content).hexdigest()
    local = timezone.localtime(retrieved_at)
    folder = (
        collect_dir()
        / collector.platform
        / (watchlist.election.slug if watchlist.election_id else "tanpa-pemilihan")
        / local.strftime("%Y-%m-%d")
    )
    folder.mkdir(parents=True, exist_ok=True)
    endpoint = request.path.strip("/").replace("/", "_")[:60] or "page"
    path = folder / f"{local:%H%M%S}-{endpoint}-{digest[:16]}{saved.suffix}"
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(saved.content)
        partial.replace(path)
    try:
        return ingest_file(
            path,
            format_name=saved.format_name,
            election=watchlist.election,
            kind=SourceKind.API,
            options=saved.options,
        )
    except NothingLoaded as error:
        # A page without results is an answer like any other, and one whose records all
        # failed is in the source's quarantine: the walk goes on past it.
        return error.summary
