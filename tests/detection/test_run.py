"""A detection run end to end with the shipped model: verdicts for the items in scope,
then flags; reruns, changed items, a killed run, two runs at once, the schedule, the
command and the tasks."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from netra.config.celery import app
from netra.core.locks import work_lock
from netra.detection import run as detection
from netra.detection.classify import CampaignModel, model_path, running_model
from netra.detection.models import (
    ActKind,
    ContentVerdict,
    DetectionRun,
    DetectionRunStatus,
    Flag,
    FlagKind,
)
from netra.detection.run import detection_run, elections_pending, items_in_scope
from netra.detection.services import content_verdicts_store
from netra.detection.tasks import detect_election, detect_pending
from netra.detection.verdict import ContentClass
from netra.social.models import IngestRun, Item, ItemProvenance, RawBlock
from tests.conftest import require
from tests.detection.conftest import CAMPAIGN_TEXT, NEWS_TEXT, World


def test_a_run_judges_the_scope_and_flags_the_acts(scene: World) -> None:
    summary = detection_run(election=scene.election)

    assert summary.status == DetectionRunStatus.DONE
    assert summary.judged == 3
    assert summary.campaign == 2
    assert summary.model_version == running_model().version
    verdicts = {
        v.item.text: v
        for v in ContentVerdict.objects.filter(election=scene.election).select_related("item")
    }
    assert verdicts[CAMPAIGN_TEXT].content_class == ContentClass.CAMPAIGN
    assert verdicts[CAMPAIGN_TEXT].target == scene.candidates[1]
    assert verdicts[NEWS_TEXT].content_class == ContentClass.POLITICAL_NEUTRAL
    assert verdicts[CAMPAIGN_TEXT].explanation["reasons"]  # campaign verdicts are explained
    assert verdicts[NEWS_TEXT].explanation["reasons"] == []
    flags = {
        flag.act: flag for flag in Flag.objects.filter(election=scene.election, kind=FlagKind.ACT)
    }
    assert set(flags) == {ActKind.LIKE, ActKind.POST}
    like = flags[ActKind.LIKE]
    assert like.subject == scene.subjects["Sri Lestari"]
    assert like.model_version == running_model().version
    assert "masa pengamatan" in " ".join(like.explanation["sentences"])
    assert like.explanation["target_verdict"]["target"] == 1
    assert flags[ActKind.POST].explanation["verdict"]["target"] == 2
    run = DetectionRun.objects.get()
    assert (run.status, run.judged, run.campaign) == (DetectionRunStatus.DONE, 3, 2)
    assert run.summary["flags"]["created"] == 2


def test_a_rerun_judges_nothing_and_a_changed_item_again(scene: World) -> None:
    detection_run(election=scene.election)
    flags = list(Flag.objects.values_list("key", "updated_at"))

    again = detection_run(election=scene.election)

    assert (again.judged, again.flags["created"]) == (0, 0)
    assert list(Flag.objects.values_list("key", "updated_at")) == flags
    item = Item.objects.get(text=NEWS_TEXT)
    Item.objects.filter(pk=item.pk).update(text="Kabar baik buat warga", updated_at=timezone.now())
    assert detection_run(election=scene.election).judged == 1


def test_another_model_judges_everything_again(scene: World, tmp_path: Path) -> None:
    detection_run(election=scene.election)
    model = CampaignModel.read(model_path())
    model.meta["version"] = "uji-lain"
    model.write(tmp_path / "lain.json.gz")

    with override_settings(NETRA_DETECTION_MODEL=str(tmp_path / "lain.json.gz")):
        summary = detection_run(election=scene.election)

    assert (summary.judged, summary.model_version) == (3, "uji-lain")
    assert set(ContentVerdict.objects.values_list("model_version", flat=True)) == {"uji-lain"}


def test_a_killed_run_resumes_where_it_stopped(
    scene: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = content_verdicts_store
    calls = iter(range(100))

    def dies_on_the_second_batch(**kwargs: object) -> object:
        if next(calls) == 1:
            raise KeyboardInterrupt  # the worker killed midway
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(detection, "content_verdicts_store", dies_on_the_second_batch, raising=True)
    with pytest.raises(KeyboardInterrupt):
        detection_run(election=scene.election, batch=1)
    assert ContentVerdict.objects.filter(model_version=running_model().version).count() == 1
    assert DetectionRun.objects.get().status == DetectionRunStatus.FAILED
    monkeypatch.setattr(detection, "content_verdicts_store", real)

    summary = detection_run(election=scene.election, batch=1)

    assert summary.judged == 2  # only what the killed run had not stored
    assert ContentVerdict.objects.filter(model_version=running_model().version).count() == 3


def test_a_run_while_another_holds_the_election_is_busy(scene: World) -> None:
    before = list(ContentVerdict.objects.values_list("pk", "judged_at"))
    held, done = threading.Event(), threading.Event()

    def other_worker() -> None:  # its own database connection, as another worker's
        try:
            with work_lock("detection.run", scene.election.pk) as taken:
                assert taken
                held.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert held.wait(timeout=30)
        summary = detection_run(election=scene.election)
    finally:
        done.set()
        worker.join()

    assert summary.status == DetectionRunStatus.BUSY
    assert summary.judged == 0
    assert list(ContentVerdict.objects.values_list("pk", "judged_at")) == before
    assert DetectionRun.objects.get().status == DetectionRunStatus.BUSY


def test_the_scope_holds_loaded_items_and_the_subjects_acts(scene: World) -> None:
    stranger = Item.objects.create(
        platform="x", platform_id="x-1", kind="post", text="coblos 1", raw_sha256="1" * 64
    )
    elsewhere = Item.objects.create(
        platform="x", platform_id="x-2", kind="post", text="coblos 1", raw_sha256="2" * 64
    )
    block = RawBlock.objects.create(size=2, data=b"{}")
    ItemProvenance.objects.create(
        item=stranger,
        source=scene.source,
        raw_sha256="1" * 64,
        raw_block=block,
        raw_start=0,
        raw_length=2,
    )
    assert stranger in items_in_scope(scene.election)
    assert elsewhere not in items_in_scope(scene.election)
    assert items_in_scope(scene.election).filter(text=CAMPAIGN_TEXT).exists()  # liked


def test_an_election_is_pending_after_an_ingest_until_its_run(scene: World) -> None:
    assert elections_pending() == [scene.election]  # never run, a link confirmed
    detection_run(election=scene.election)
    assert elections_pending() == []
    IngestRun.objects.create(source=scene.source, status="done", finished_at=timezone.now())

    assert elections_pending() == [scene.election]


def test_the_command_runs_one_election_or_the_pending_ones(scene: World) -> None:
    out = io.StringIO()
    call_command("detect_run", "--election", scene.election.slug, stdout=out)
    assert f"{scene.election.slug}: 3 konten dinilai (2 kampanye" in out.getvalue()

    out = io.StringIO()
    call_command("detect_run", stdout=out)
    assert "Tidak ada pemilihan dengan data baru" in out.getvalue()

    with pytest.raises(CommandError, match="Pemilihan tidak-ada tidak ada"):
        call_command("detect_run", "--election", "tidak-ada")
    with pytest.raises(CommandError, match="--since kemarin bukan tanggal"):
        call_command("detect_run", "--since", "kemarin")


def test_the_tasks_run_the_pending_elections(scene: World) -> None:
    assert detect_pending.delay().get(timeout=5) == [scene.election.pk]
    assert Flag.objects.filter(election=scene.election).count() == 2
    assert detect_election.delay(-1).get(timeout=5) == {"election": -1, "status": "missing"}


@pytest.fixture
def real_broker() -> Iterator[str]:
    """The app pointed at the broker of CELERY_BROKER_URL (CI sets it) for one test."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(url), "CELERY_BROKER_URL is not set: no real broker to test against")
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(
        task_always_eager=False,
        broker_url=url,
        result_backend=url if url.startswith("redis") else "rpc://",
    )
    try:
        yield url
    finally:
        app.conf.update(saved)


def _worker_threads() -> int:
    """Two worker threads on PostgreSQL. SQLite's in-memory test database (shared cache)
    locks whole tables between threads, so there one thread takes the tasks in turn:
    several workers at once is a PostgreSQL deployment."""
    return 1 if connection.vendor == "sqlite" else 2


@pytest.mark.broker
@pytest.mark.xdist_group("broker")
def test_two_workers_on_the_real_broker_flag_each_act_once(
    transactional_db: None, scene: World, real_broker: str
) -> None:
    with start_worker(
        app,
        pool="threads",
        concurrency=_worker_threads(),
        perform_ping_check=False,
        shutdown_timeout=30,
    ):
        results = [detect_election.delay(scene.election.pk) for _ in range(3)]
        answers = [result.get(timeout=120) for result in results]

    assert {answer["status"] for answer in answers} <= {"done", "busy"}
    assert "done" in {answer["status"] for answer in answers}
    assert sum(answer["judged"] for answer in answers) == 3  # each item judged once
    assert Flag.objects.filter(election=scene.election, kind=FlagKind.ACT).count() == 2


@pytest.mark.broker
@pytest.mark.xdist_group("broker")
def test_a_large_run_is_fanned_out_to_the_workers_and_joined(
    transactional_db: None, scene: World, real_broker: str, settings: Any
) -> None:
    require(real_broker.startswith("redis"), "fanning out needs the Redis result backend")
    settings.NETRA_DETECTION_TASK_ITEMS = 1
    with start_worker(
        app,
        pool="threads",
        concurrency=_worker_threads(),
        perform_ping_check=False,
        shutdown_timeout=30,
    ):
        answer = detect_election.delay(scene.election.pk).get(timeout=60)
        deadline = time.monotonic() + 120
        while not DetectionRun.objects.filter(status=DetectionRunStatus.DONE).exists():
            assert time.monotonic() < deadline, "the joined run never finished"
            time.sleep(0.2)

    assert answer == {"election": scene.election.slug, "status": "fanned_out", "parts": 3}
    run = DetectionRun.objects.get(status=DetectionRunStatus.DONE)
    assert run.judged == 0  # the parts judged everything before the joined run
    version = running_model().version
    assert ContentVerdict.objects.filter(model_version=version).count() == 3
    assert Flag.objects.filter(election=scene.election, kind=FlagKind.ACT).count() == 2
