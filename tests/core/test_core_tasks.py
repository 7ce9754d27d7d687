from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command

from netra.config.celery import app
from netra.core.tasks import ping
from tests.conftest import require


def test_without_a_broker_a_task_runs_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.conf.task_always_eager is True
    result = ping.delay("abc")
    assert result.get(timeout=1)["token"] == "abc"
    call_command("queue_ping")
    assert "Antrean berfungsi di dalam proses (tanpa broker)" in capsys.readouterr().out


@pytest.fixture
def real_broker() -> Iterator[str]:
    """Point the app at the broker of CELERY_BROKER_URL (CI sets it) for one test."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(url), "CELERY_BROKER_URL is not set: no real broker to test against")
    backend = url if url.startswith("redis") else "rpc://"
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=url, result_backend=backend)
    try:
        yield url
    finally:
        app.conf.update(saved)


@pytest.mark.broker
@pytest.mark.xdist_group("broker")
def test_a_task_goes_through_the_real_broker_to_a_worker(
    real_broker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        answer = ping.delay("through-the-broker").get(timeout=30)
        assert answer["token"] == "through-the-broker"
        call_command("queue_ping", "--timeout", "30")
    out = capsys.readouterr().out
    assert "Antrean berfungsi melalui broker" in out
    assert "tanpa broker" not in out
