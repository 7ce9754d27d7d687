"""The collectors' push API: POST /api/v1/ingest/batches with a collector token.

Pushed payloads are X API v2 pages (https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id)
and YouTube Data API v3 pages (https://developers.google.com/youtube/v3/docs/search/list,
https://developers.google.com/youtube/v3/docs/commentThreads/list) from
tests/social/collect/payloads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from netra.core.models import Event
from netra.elections.models import Election, ElectionType
from netra.geo.models import Region
from netra.law.models import Regime
from netra.social.collect.push import BatchTooLarge, batch_receive
from netra.social.collect.tokens import (
    collector_token_create,
    collector_token_deactivate,
    token_hash,
)
from netra.social.models import CollectorToken, Item, Source, SourceKind

URL = "/api/v1/ingest/batches"
PAYLOADS = Path(__file__).parent / "collect" / "payloads"
TIMELINE = PAYLOADS / "x" / "timeline_page1.json"
TIMELINE_SUMMARY = {
    "format": "x-v2-json",
    "resumed_from": 0,
    "read": 6,
    "new": 6,
    "updated": 0,
    "duplicate": 0,
    "quarantined": 0,
    "by_type": {
        "item": {"read": 3, "new": 3, "updated": 0, "duplicate": 0, "quarantined": 0},
        "account": {"read": 2, "new": 2, "updated": 0, "duplicate": 0, "quarantined": 0},
        "interaction": {"read": 1, "new": 1, "updated": 0, "duplicate": 0, "quarantined": 0},
    },
}


@pytest.fixture(autouse=True)
def _pages_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.NETRA_PUSH_MAX_MB = 1


@pytest.fixture
def election(regions: dict[str, Region]) -> Election:
    return Election.objects.create(
        slug="pilbup-malang-2024",
        name="Pemilihan Bupati dan Wakil Bupati Malang 2024",
        regime=Regime.PILKADA,
        type=ElectionType.REGENT,
        region=regions["35.07"],
        year=2024,
    )


@pytest.fixture
def token(election: Election) -> tuple[CollectorToken, str]:
    return collector_token_create(name="kolektor-malang", election=election, actor=None)


def push(client: Client, body: bytes, secret: str | None, query: str = "", **extra: Any) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    content_type = extra.pop("content_type", "application/octet-stream")
    return client.post(URL + query, data=body, content_type=content_type, headers=headers)


def summary_of(response: Any) -> dict[str, Any]:
    data = response.json()
    return {k: v for k, v in data.items() if k not in {"path", "source", "run", "seconds"}}


def test_a_raw_batch_is_loaded_for_the_tokens_election(
    client: Client, token: tuple[CollectorToken, str], election: Election
) -> None:
    row, secret = token

    response = push(client, TIMELINE.read_bytes(), secret, "?format=x-v2-json")

    assert response.status_code == 200
    assert summary_of(response) == TIMELINE_SUMMARY
    source = Source.objects.get()
    assert response.json()["source"] == source.pk
    assert response.json()["path"] == source.name
    assert source.name.endswith("-batch")
    assert (source.kind, source.election_id, source.format) == (
        SourceKind.PUSH,
        election.pk,
        "x-v2-json",
    )
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert timezone.now() - row.last_used_at < timedelta(minutes=1)
    assert Event.objects.filter(kind="social.batch_pushed").get().params["new"] == 6


def test_the_same_batch_twice_adds_nothing(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    _row, secret = token
    push(client, TIMELINE.read_bytes(), secret, "?format=x-v2-json")
    items = Item.objects.count()

    again = push(client, TIMELINE.read_bytes(), secret, "?format=x-v2-json")

    assert again.status_code == 200
    assert (again.json()["read"], again.json()["new"], again.json()["duplicate"]) == (6, 0, 6)
    assert Source.objects.count() == 1
    assert Item.objects.count() == items == 3


def test_the_format_is_detected_when_not_given(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    response = push(client, TIMELINE.read_bytes(), token[1], "?filename=halaman.json")

    assert response.status_code == 200
    assert response.json()["format"] == "x-v2-json"
    assert Source.objects.get().name.endswith("-halaman.json")


def test_a_json_envelope_becomes_a_json_lines_file_of_its_format(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    pages = [
        json.loads((PAYLOADS / "youtube" / f"{name}.json").read_bytes())
        for name in ("channel_videos_page1", "threads_page1")
    ]
    envelope = {"format": "youtube-v3-jsonl", "records": pages, "filename": "kolektor.jsonl"}

    response = push(
        client, json.dumps(envelope).encode(), token[1], content_type="application/json"
    )

    assert response.status_code == 200
    assert (response.json()["format"], response.json()["read"], response.json()["new"]) == (
        "youtube-v3-jsonl",
        9,
        9,
    )
    source = Source.objects.get()
    assert source.name.endswith("-kolektor.jsonl")
    stored = Path(settings.VAR_DIR) / "collect" / "push" / token[0].prefix / source.name
    assert [json.loads(line) for line in stored.read_bytes().splitlines()] == pages
    assert sorted(Item.objects.filter(kind="video").values_list("platform_id", flat=True)) == [
        "hKmpnDialog",
        "hKmpnPasar1",
    ]
    again = push(client, json.dumps(envelope).encode(), token[1], content_type="application/json")
    assert again.json()["new"] == 0
    assert Source.objects.count() == 1


def test_an_unknown_format_is_refused_in_indonesian_and_stores_nothing(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    response = push(client, TIMELINE.read_bytes(), token[1], "?format=friendster-json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Format 'friendster-json' tidak dikenal.")
    assert Source.objects.count() == 0
    assert list((Path(settings.VAR_DIR) / "collect" / "push").rglob("*-batch")) == []


def test_a_batch_with_nothing_usable_is_refused_saying_so_its_records_quarantined(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    response = push(client, b'{"zz": 1}\n{"zz": 2}\n', token[1], "?format=x-v2-jsonl")

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Berkas '")
    assert detail.endswith(
        "-batch': tidak satu pun dari 2 rekaman dapat dipakai sebagai x-v2-jsonl; semuanya "
        "dikarantina. Rekaman pertama (baris 1, byte ke-0): baris ini bukan X API v2; "
        "kuncinya: zz. Semuanya dapat dilihat di halaman karantina sumber ini."
    )
    source = Source.objects.get()
    assert source.quarantine.count() == 2


def test_unreadable_bytes_are_refused(client: Client, token: tuple[CollectorToken, str]) -> None:
    response = push(client, b"\x00\x01 bukan data", token[1])

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Format berkas '")
    assert "-batch' tidak dikenali. Yang terbaca: berkas biner, bukan teks." in detail
    assert Item.objects.count() == 0


def test_a_batch_over_the_limit_is_refused_with_413(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    response = push(client, b"{" + b" " * (1024 * 1024) + b"}", token[1])

    assert response.status_code == 413
    assert response.json() == {"detail": "Kiriman terlalu besar: paling banyak 1 MB per kiriman."}
    assert Source.objects.count() == 0


def test_a_body_without_length_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    chunks = iter([b"a" * 600, b"b" * 600])

    with pytest.raises(BatchTooLarge):
        batch_receive(chunks, limit=1000)

    assert list((tmp_path / "collect" / "push" / ".incoming").iterdir()) == []


@pytest.mark.parametrize(
    "secret",
    [None, "", "ntr_tidak-ada", "Basic dXNlcjpwYXNz", "inactive"],
    ids=["no-header", "empty", "unknown", "not-bearer", "inactive"],
)
def test_requests_without_a_valid_active_token_get_401(
    client: Client, token: tuple[CollectorToken, str], secret: str | None
) -> None:
    row, plain = token
    headers: dict[str, str] = {}
    if secret == "inactive":
        CollectorToken.objects.filter(pk=row.pk).update(active=False)
        headers = {"Authorization": f"Bearer {plain}"}
    elif secret == "Basic dXNlcjpwYXNz":
        headers = {"Authorization": secret}
    elif secret is not None:
        headers = {"Authorization": f"Bearer {secret}"}

    response = client.post(
        URL, data=TIMELINE.read_bytes(), content_type="application/octet-stream", headers=headers
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Token kolektor tidak ada, tidak sah, atau tidak aktif."}
    assert response["WWW-Authenticate"] == "Bearer"
    assert Source.objects.count() == 0
    row.refresh_from_db()
    assert row.last_used_at is None


@pytest.mark.parametrize(
    "persona",
    [
        "ri_admin",
        "malang_analyst",
        "donomulyo_supervisor",
        "lumajang_analyst",
        "bkpsdm_partner",
        "anonymous",
    ],
)
def test_a_staff_session_is_no_substitute_for_a_collector_token(
    client_for: Callable[[str], Client], persona: str
) -> None:
    response = client_for(persona).post(
        URL, data=TIMELINE.read_bytes(), content_type="application/octet-stream"
    )

    assert response.status_code == 401
    assert Source.objects.count() == 0


def test_only_the_hash_of_a_token_is_stored(token: tuple[CollectorToken, str]) -> None:
    row, plain = token

    assert plain.startswith("ntr_")
    assert len(plain) == 47
    assert row.token_sha256 == token_hash(plain)
    assert row.prefix == plain[:12]
    assert not CollectorToken.objects.filter(token_sha256=plain).exists()
    assert plain not in json.dumps(Event.objects.get(kind="social.collector_token_created").params)


def test_the_openapi_schema_and_docs_are_served(client_for: Callable[[str], Client]) -> None:
    client = client_for("malang_analyst")
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    operation = schema.json()["paths"][URL]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/octet-stream",
        "application/json",
    }
    assert {p["name"] for p in operation["parameters"]} == {"format", "filename"}
    assert set(operation["responses"]) == {"200", "400", "401", "413"}
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_large_bodies_stream_past_djangos_memory_limit_without_csrf(
    token: tuple[CollectorToken, str], settings: Any
) -> None:
    settings.NETRA_PUSH_MAX_MB = 4
    page = json.loads(TIMELINE.read_bytes())
    # About 3 MB: more than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), which guards request.body.
    page["data"][0]["text"] += " " + "ꦲ" * 900_000
    strict = Client(enforce_csrf_checks=True)

    body = json.dumps(page, ensure_ascii=False).encode()
    response = push(strict, body, token[1], "?format=x-v2-json")

    assert response.status_code == 200
    assert response.json()["format"] == "x-v2-json"
    assert len(Item.objects.get(platform_id="1856185147192246273").text) > 900_000


def test_a_deactivated_token_is_refused_from_then_on(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    row, secret = token
    assert push(client, TIMELINE.read_bytes(), secret, "?format=x-v2-json").status_code == 200

    assert collector_token_deactivate(token=row, actor=None) is True
    assert collector_token_deactivate(token=row, actor=None) is False

    refused = push(client, TIMELINE.read_bytes(), secret, "?format=x-v2-json")
    assert refused.status_code == 401
    assert Event.objects.filter(kind="social.collector_token_deactivated").count() == 1
