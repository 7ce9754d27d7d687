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
from netra.elections.models import Election
from netra.social.collect.push import _SCAN_CHUNK, BatchTooLarge, batch_receive
from netra.social.collect.tokens import (
    collector_token_create,
    collector_token_deactivate,
    token_hash,
)
from netra.social.models import CollectorToken, IngestRun, Item, Source, SourceKind

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


# Envelopes are read as a stream (ijson): these records are netra-jsonl
# (docs/ingest-format.md), one account or item each.


def account(number: int, **extra: Any) -> dict[str, Any]:
    return {"record": "account", "platform": "x", "handle": f"warga_fiktif_{number}", **extra}


def envelope_body(*pairs: tuple[str, Any]) -> bytes:
    """An envelope object with its keys in the order given."""
    return (
        "{" + ",".join(f"{json.dumps(key)}:{json.dumps(value)}" for key, value in pairs) + "}"
    ).encode()


def push_envelope(client: Client, body: bytes, secret: str) -> Any:
    return push(client, body, secret, content_type="application/json")


def stored_lines(settings: Any, token: CollectorToken) -> list[Any]:
    stored = Path(settings.VAR_DIR) / "collect" / "push" / token.prefix / Source.objects.get().name
    return [json.loads(line) for line in stored.read_bytes().splitlines()]


def files_under_push(settings: Any) -> list[Path]:
    return [p for p in (Path(settings.VAR_DIR) / "collect" / "push").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "order",
    [
        ("format", "records", "filename"),
        ("records", "format", "filename"),
        ("filename", "records", "format"),
        ("records", "filename", "format"),
    ],
)
def test_envelope_keys_may_come_in_any_order(
    client: Client, token: tuple[CollectorToken, str], settings: Any, order: tuple[str, ...]
) -> None:
    records = [account(1), account(2)]
    values = {"format": "netra-jsonl", "records": records, "filename": "akun.jsonl"}

    response = push_envelope(client, envelope_body(*((k, values[k]) for k in order)), token[1])

    assert response.status_code == 200
    assert (response.json()["format"], response.json()["read"], response.json()["new"]) == (
        "netra-jsonl",
        2,
        2,
    )
    assert Source.objects.get().name.endswith("-akun.jsonl")
    assert stored_lines(settings, token[0]) == records


def test_numbers_in_records_are_written_back_as_the_same_json_numbers(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    # Keys starting with "_" are ignored by netra-jsonl: the record still loads.
    record = account(
        1,
        followers=12,
        _skor=0.1,
        _kecil=1e-7,
        _besar=12345678901234567890123,
        _negatif=-2.5,
        _nol=0.0,
        _raksasa=2.5e300,
        _daftar=[1.25, 10**30, -7],
    )

    response = push_envelope(
        client, envelope_body(("records", [record]), ("format", "netra-jsonl")), token[1]
    )

    assert response.status_code == 200
    assert (response.json()["read"], response.json()["new"]) == (1, 1)
    [line] = stored_lines(settings, token[0])
    assert line == record
    assert {key: type(value) for key, value in line.items() if key.startswith("_")} == {
        "_skor": float,
        "_kecil": float,
        "_besar": int,
        "_negatif": float,
        "_nol": float,
        "_raksasa": float,
        "_daftar": list,
    }
    assert [type(value) for value in line["_daftar"]] == [float, int, int]


@pytest.mark.parametrize(
    "text",
    ["Warga \ud800 Fiktif", "\ud800\u0041", "\udc00 terbalik", "nul\u0000di tengah", "😀 ꦩꦭꦁ"],
    ids=["lone-high", "high-then-letter", "lone-low", "nul", "pair-and-javanese"],
)
def test_lone_surrogates_and_nul_in_records_reach_the_loader_unchanged(
    client: Client, token: tuple[CollectorToken, str], settings: Any, text: str
) -> None:
    # json.dumps escapes them (\ud800, \udc00, \u0000, \ud83d\ude00) as a collector would send
    # them; they sit in a key netra-jsonl ignores: what the loader makes of them is its rule.
    records = [account(1, _catatan=text), account(2, _catatan=f"{text} {text}")]

    response = push_envelope(
        client, envelope_body(("format", "netra-jsonl"), ("records", records)), token[1]
    )

    assert response.status_code == 200
    assert (response.json()["read"], response.json()["new"]) == (2, 2)
    assert stored_lines(settings, token[0]) == records


@pytest.mark.parametrize("shift", [-18, -16, -6, 0])
@pytest.mark.parametrize("text", ["\ud800 x", "\\\ud800", "\ud800\u0041"])
def test_a_lone_surrogate_across_the_scanners_chunks_is_still_found(
    client: Client, token: tuple[CollectorToken, str], settings: Any, shift: int, text: str
) -> None:
    # The body is scanned for lone surrogates in chunks of _SCAN_CHUNK bytes: the escape is
    # placed to start around the end of the first one.
    settings.NETRA_PUSH_MAX_MB = 2

    def body(pad: int) -> bytes:
        records = [account(1, _isi="x" * pad), account(2, _catatan=text)]
        return envelope_body(("format", "netra-jsonl"), ("records", records))

    at = body(0).index(b"\\ud800")
    data = body(_SCAN_CHUNK + shift - at)
    assert data.index(b"\\ud800") == _SCAN_CHUNK + shift

    response = push_envelope(client, data, token[1])

    assert response.status_code == 200
    assert stored_lines(settings, token[0])[1] == account(2, _catatan=text)


@pytest.mark.parametrize("depth", [201, 100_000])
def test_a_record_nested_too_deep_refuses_the_envelope_and_stores_nothing(
    client: Client, token: tuple[CollectorToken, str], settings: Any, depth: int
) -> None:
    # The record is one level, its "_x" list the others.
    deep = '{"_x":' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
    body = b'{"format":"netra-jsonl","records":[%s,%s]}' % (
        json.dumps(account(1)).encode(),
        deep.encode(),
    )

    response = push_envelope(client, body, token[1])

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Amplop kiriman ditolak: rekaman ke-2 bersarang terlalu dalam "
        "(lebih dari 200 tingkat)."
    }
    assert (Source.objects.count(), IngestRun.objects.count()) == (0, 0)
    assert files_under_push(settings) == []


def test_a_record_nested_200_levels_passes_the_envelope(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    deep = account(2, _x=json.loads("[" * 199 + "]" * 199))

    response = push_envelope(
        client, envelope_body(("format", "netra-jsonl"), ("records", [account(1), deep])), token[1]
    )

    assert response.status_code == 200
    assert response.json()["read"] == 2


def test_an_envelope_without_records_is_refused_and_leaves_nothing(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    response = push_envelope(
        client, envelope_body(("format", "netra-jsonl"), ("records", [])), token[1]
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Amplop kiriman tanpa rekaman: daftar 'records' kosong, tidak ada yang dimuat."
    }
    assert (Source.objects.count(), IngestRun.objects.count()) == (0, 0)
    assert files_under_push(settings) == []


def test_a_truncated_envelope_is_refused_saying_how_far_it_was_read(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    body = envelope_body(("format", "netra-jsonl"), ("records", [account(n) for n in range(3)]))

    response = push_envelope(client, body[: body.index(b"warga_fiktif_2")], token[1])

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Amplop kiriman tidak dapat dibaca setelah 2 rekaman utuh: JSON-nya "
        "terpotong sebelum selesai."
    }
    assert (Source.objects.count(), IngestRun.objects.count()) == (0, 0)
    assert files_under_push(settings) == []


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"format": 5, "records": [{}]}', "format"),
        (b'{"records": [{}], "format": ["netra-jsonl"]}', "format"),
        (b'{"format": "netra-jsonl", "records": {"a": 1}}', "records"),
        (b'{"records": "semua", "format": "netra-jsonl"}', "records"),
    ],
    ids=["format-number", "format-list-last", "records-object", "records-text-first"],
)
def test_an_envelope_of_wrong_types_is_refused(
    client: Client, token: tuple[CollectorToken, str], body: bytes, detail: str
) -> None:
    response = push_envelope(client, body, token[1])

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Amplop kiriman harus berisi 'format' (teks) dan 'records' (daftar)."
    }
    assert Source.objects.count() == 0


def test_a_key_given_twice_counts_with_its_last_value(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    body = envelope_body(
        ("format", "x-v2-jsonl"),
        ("records", [{"zz": 1}]),
        ("records", [account(1), account(2)]),
        ("format", "netra-jsonl"),
    )

    response = push_envelope(client, body, token[1])

    assert response.status_code == 200
    assert (response.json()["format"], response.json()["read"]) == ("netra-jsonl", 2)
    assert stored_lines(settings, token[0]) == [account(1), account(2)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (TIMELINE.read_bytes(), ("x-v2-json", 6)),
        (b"\n".join(json.dumps(account(n)).encode() for n in range(3)), ("netra-jsonl", 3)),
    ],
    ids=["x-page", "json-lines"],
)
def test_a_json_body_that_is_no_envelope_is_loaded_as_a_raw_file(
    client: Client, token: tuple[CollectorToken, str], body: bytes, expected: tuple[str, int]
) -> None:
    response = push_envelope(client, body, token[1])

    assert response.status_code == 200
    assert (response.json()["format"], response.json()["read"]) == expected
    assert Source.objects.get().name.endswith("-batch")


def test_an_object_with_a_key_besides_the_envelopes_is_no_envelope(
    client: Client, token: tuple[CollectorToken, str]
) -> None:
    body = envelope_body(("format", "netra-jsonl"), ("records", [account(1)]), ("catatan", "x"))

    response = push_envelope(client, body, token[1])

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Format berkas '")
    assert Source.objects.count() == 0


def test_a_large_envelope_is_loaded_whole(
    client: Client, token: tuple[CollectorToken, str], settings: Any
) -> None:
    records = [
        {
            "platform": "x",
            "id": str(1_000_000 + n),
            "author_handle": f"warga_fiktif_{n % 50}",
            "created_at": "2024-10-01 08:15:00+07:00",
            "text": f"Rekaman ke-{n}: mari coblos dengan damai 🗳️ ꦩꦭꦁ",
            "metric_likes": n,
        }
        for n in range(3000)
    ]

    response = push_envelope(
        client,
        envelope_body(("records", records), ("filename", "besar.jsonl"), ("format", "netra-jsonl")),
        token[1],
    )

    assert response.status_code == 200
    item = response.json()["by_type"]["item"]
    assert (item["read"], item["new"], item["quarantined"]) == (3000, 3000, 0)
    assert stored_lines(settings, token[0]) == records
    assert Item.objects.count() == 3000


@pytest.mark.parametrize(
    ("body", "query"),
    [
        (b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "?format=x-v2-json"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n", "?format=x-v2-jsonl"),
        (b"[" * 100_000 + b"]" * 100_000, ""),
    ],
    ids=["page", "line", "detected"],
)
def test_a_raw_body_nested_100000_levels_is_refused_with_400_not_500(
    client: Client, token: tuple[CollectorToken, str], body: bytes, query: str
) -> None:
    response = push(client, body, token[1], query)

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "bersarang lebih dari 200 tingkat" in detail or "tidak dikenali" in detail
