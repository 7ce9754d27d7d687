"""Adding a platform is one folder (and one ``Platform`` value): docs/adding-a-platform.md.

``tests/social/fake_platform/`` is such a folder for Kabarku, a fictional platform, kept
outside ``netra/social/sources/`` and registered for each test. Detection, ``netra
ingest``, the generic table format, manual entry by URL and polling all take it up from
its manifest alone; unregistered, nothing knows it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from netra.elections.models import Election
from netra.monitor.forms import format_choices
from netra.social.collect.base import PollContext
from netra.social.collect.services import INTERVAL_TOLERANCE, Status, watchlist_poll
from netra.social.models import Account, CollectionCursor, Item, QuarantinedRecord, Watchlist
from netra.social.services import item_manual_create
from netra.social.sources import registry
from netra.social.sources.detect import HEAD_BYTES, detect
from netra.social.sources.links import platform_from_url, url_canonical
from netra.social.sources.records import ItemRecord, SourceManifest, UnrecognisedFormat
from netra.staff.models import User
from tests.social import fake_platform
from tests.social.collect.replay import Answer, ReplayServer
from tests.social.conftest import START
from tests.social.fake_platform import collect

PAYLOADS = Path(fake_platform.__file__).parent / "payloads"
PAGES = PAYLOADS / "pages.jsonl"
POST_URL = "https://www.kabarku.example/@warga_fiktif_12/kabar/900001?dari=wa"

pytestmark = pytest.mark.django_db


@pytest.fixture
def kabarku() -> Iterator[SourceManifest]:
    with registry.registered(fake_platform.MANIFEST) as manifest:
        yield manifest


@pytest.mark.usefixtures("kabarku")
def test_its_files_are_detected_and_loaded_by_netra_ingest() -> None:
    assert detect(PAGES.read_bytes()[:HEAD_BYTES], PAGES.name) == "kabarku-jsonl"
    assert ("kabarku-jsonl", "kabarku-jsonl — JSONL, satu halaman API Kabarku per baris") in (
        format_choices()
    )
    out = io.StringIO()

    call_command("ingest", str(PAGES), "--json", stdout=out)

    [summary] = json.loads(out.getvalue())["files"]
    assert (summary["format"], summary["read"], summary["quarantined"]) == ("kabarku-jsonl", 5, 1)
    assert sorted(Item.objects.values_list("platform", "platform_id", "author__handle")) == [
        ("kabarku", "900001", "warga_fiktif_12"),
        ("kabarku", "900002", "asn_contoh"),
    ]
    [problem] = QuarantinedRecord.objects.all()
    assert (problem.line, problem.path, problem.reason) == (
        2,
        "$.posts[0]",
        "kolom 'likes' bukan bilangan",
    )


@pytest.mark.usefixtures("kabarku")
def test_netra_tables_may_name_it() -> None:
    line = b'{"platform": "Kabarku", "id": "900005", "author_id": "77", "text": "halo"}\n'

    [record] = registry.parse(io.BytesIO(line), "netra-jsonl")

    assert isinstance(record, ItemRecord)
    assert (record.platform, record.platform_id, record.author_id) == ("kabarku", "900005", "77")


@pytest.mark.usefixtures("kabarku")
def test_a_manual_entry_of_its_link_gets_its_platform_and_id(
    personas: dict[str, User | None],
) -> None:
    assert platform_from_url(POST_URL) == "kabarku"
    assert url_canonical(POST_URL) == "https://kabarku.example/@warga_fiktif_12/kabar/900001"

    item = item_manual_create(
        url=POST_URL,
        platform="",
        text="Ayo pilih paslon 1, kata pak camat",
        author_handle="@warga_fiktif_12",
        created_at=None,
        screenshot=None,
        actor=personas["malang_analyst"],
    )

    assert (item.platform, item.platform_id, item.kind) == ("kabarku", "900001", "post")
    assert item.permalink == "https://kabarku.example/@warga_fiktif_12/kabar/900001"


@pytest.mark.usefixtures("kabarku")
def test_polling_walks_it_with_its_collector_credential_and_interval(
    settings: Any,
    server: ReplayServer,
    election: Election,
    context: PollContext,
    tmp_path: Path,
) -> None:
    settings.VAR_DIR = tmp_path
    settings.NETRA_KABARKU_API_URL = server.url
    settings.NETRA_KABARKU_TOKEN = "uji-kabarku"
    watchlist = Watchlist.objects.create(
        election=election, platform="kabarku", queries=["#PilkadaDamai"]
    )
    server.queue(
        "GET",
        "/v1/search",
        Answer(body=(PAYLOADS / "search_page1.json").read_bytes()),
        Answer(body=(PAYLOADS / "search_page2.json").read_bytes()),
    )

    summary = watchlist_poll(watchlist=watchlist, context=context)

    assert (server.unexpected, server.left()) == ([], 0)
    assert [(r.endpoint, r.target, r.status, r.pages) for r in summary.targets] == [
        (collect.SEARCH, "#PilkadaDamai", Status.DONE, 2)
    ]
    first, second = server.requests
    assert first.headers["authorization"] == "Bearer uji-kabarku"
    assert (first.query, second.query) == (
        {"q": ["#PilkadaDamai"]},
        {"q": ["#PilkadaDamai"], "cursor": ["hal2"]},
    )
    assert sorted(Item.objects.values_list("platform", "platform_id")) == [
        ("kabarku", "900010"),
        ("kabarku", "900011"),
    ]
    cursor = CollectionCursor.objects.get(watchlist=watchlist)
    assert (cursor.newest_id, cursor.cursor) == ("900011", "")
    # NETRA_KABARKU_POLL_MINUTES is not set: its manifest's default, 30 minutes, holds.
    assert cursor.not_before == START + timedelta(minutes=30) - INTERVAL_TOLERANCE
    assert [p.name.split("-")[1] for p in (tmp_path / "collect" / "kabarku").rglob("*.jsonl")] == [
        "v1_search",
        "v1_search",
    ]


def test_unregistered_nothing_knows_it(
    settings: Any, election: Election, context: PollContext
) -> None:
    with registry.registered(fake_platform.MANIFEST):
        assert platform_from_url(POST_URL) == "kabarku"
    watchlist = Watchlist.objects.create(election=election, platform="kabarku", queries=["x"])

    with pytest.raises(UnrecognisedFormat):
        detect(PAGES.read_bytes()[:HEAD_BYTES], PAGES.name)
    assert platform_from_url(POST_URL) is None
    assert "kabarku-jsonl" not in registry.FORMATS
    assert fake_platform.MANIFEST not in registry.MANIFESTS
    assert watchlist_poll(watchlist=watchlist, context=context).as_dict()["problems"] == [
        "Pengumpulan langsung untuk platform kabarku belum tersedia."
    ]
    assert not Account.objects.exists()
