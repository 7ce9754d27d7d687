"""Fixtures of live-collection tests: the replay server, a fake clock, settings, an election."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from netra.elections.models import Candidate, Election, ElectionType
from netra.geo.models import Region
from netra.law.models import Regime
from netra.social.collect.base import PollContext
from netra.social.collect.services import poll_context
from tests.social.collect.replay import ReplayServer

START = datetime(2024, 11, 12, 6, 0, tzinfo=UTC)

X_TOKEN = "uji-bearer-x"
YOUTUBE_KEY = "uji-kunci-youtube"
TIKTOK_TOKEN = "clt.uji-tiktok"


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Sleeps:
    """Records what a client would have slept, without sleeping."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer()
    yield replay
    replay.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def context(clock: FakeClock, sleeps: Sleeps) -> PollContext:
    # Jitter fixed at one half: a back-off of d seconds waits exactly 0.75·d.
    return poll_context(clock=clock, sleep=sleeps, jitter=lambda: 0.5)


@pytest.fixture
def collect_settings(settings: Any, server: ReplayServer, tmp_path: Path) -> Any:
    """Every platform pointed at the replay server; pages written under tmp_path."""
    settings.VAR_DIR = tmp_path
    settings.NETRA_X_API_URL = server.url
    settings.NETRA_X_BEARER_TOKEN = X_TOKEN
    settings.NETRA_YOUTUBE_API_URL = server.url + "/youtube/v3"
    settings.NETRA_YOUTUBE_API_KEY = YOUTUBE_KEY
    settings.NETRA_TIKTOK_API_URL = server.url
    settings.NETRA_TIKTOK_ACCESS_TOKEN = TIKTOK_TOKEN
    settings.NETRA_X_POLL_MINUTES = 15
    settings.NETRA_YOUTUBE_POLL_MINUTES = 240
    settings.NETRA_TIKTOK_POLL_MINUTES = 60
    settings.NETRA_COLLECT_TIMEOUT_SECONDS = 5
    settings.NETRA_COLLECT_MAX_TRIES = 4
    settings.NETRA_COLLECT_BACKOFF_SECONDS = 2
    settings.NETRA_COLLECT_MAX_WAIT_SECONDS = 60
    settings.NETRA_COLLECT_MAX_PAGES = 10
    settings.NETRA_COLLECT_RECENT_DAYS = 7
    settings.NETRA_COLLECT_RECENT_ITEMS = 20
    return settings


@pytest.fixture
def election(regions: dict[str, Region]) -> Election:
    region = regions["35.07"]
    made = Election.objects.create(
        slug="pilbup-malang-2024",
        name="Pemilihan Bupati dan Wakil Bupati Malang 2024",
        regime=Regime.PILKADA,
        type=ElectionType.REGENT,
        region=region,
        year=2024,
    )
    Candidate.objects.create(
        election=made,
        number=1,
        name="Dr. H. Hendra Kusumawardhana, S.H., M.M.",
        running_mate="Ratna Sari Dewi",
        aliases=["Pak Hendra", "#HendraRatna", "  hendra  kusumawardhana "],
        hashtags=["MalangMakmur", "#HendraRatna"],
        slogans=["Malang Makmur Bersama"],
    )
    Candidate.objects.create(
        election=made,
        number=2,
        name="Hj. Siti Nur'aini",
        running_mate="",
        aliases=["Bu Aini", 42, "#"],
        hashtags=[],
    )
    return made
