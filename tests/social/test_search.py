"""Full-text search over items (``netra.social.search``) on this database: the index is
kept in step with every write of the loader, a query is its words as prefixes, and nothing
typed is taken as query syntax."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

from netra.social import search
from netra.social.ingest import ingest_file
from netra.social.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["few", "many"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test with both ways of asking: the matches fetched (few of them) and the list
    walked with each row tested (many)."""
    monkeypatch.setattr(search, "FEW_MATCHES", 10**6 if request.param == "few" else 0)
    return str(request.param)


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _post(platform_id: str, text: str, title: str = "", **extra: object) -> dict[str, object]:
    return {
        "record": "item",
        "platform": "x",
        "id": platform_id,
        "author_handle": "warga_contoh",
        "text": text,
        "title": title,
        "collected_at": "2024-10-01T08:00:00+07:00",
        **extra,
    }


def _found(text: str) -> list[str]:
    matching = search.items_matching(text)
    assert matching is not None
    return sorted(Item.objects.filter(matching).values_list("platform_id", flat=True))


@pytest.fixture
def loaded(tmp_path: Path) -> None:
    ingest_file(
        _jsonl(
            tmp_path / "cari.jsonl",
            [
                _post("1", "Ayo dukung Paslon nomor 1 di Kabupaten Malang!"),
                _post("2", "Paslonnya datang ke Desa Tulungrejo", title="Kunjungan"),
                _post("3", "Kampanye damai, tanpa hoaks 🕊️"),
                _post("4", "Pemilu jujur dan adil — Bawaslu mengawasi", title="Pengumuman"),
            ],
        )
    )


@pytest.mark.usefixtures("loaded")
def test_words_are_found_as_prefixes_in_title_and_text_whatever_their_case() -> None:
    assert _found("paslon") == ["1", "2"]
    assert _found("PASLON nomor") == ["1"]
    assert _found("kunjungan") == ["2"]
    assert _found("bawas") == ["4"]
    assert _found("kampanye hoaks") == ["3"]
    assert _found("kampanye paslon") == []


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    "typed",
    [
        '"paslon',
        "paslon*",
        "paslon OR",
        "-paslon",
        "paslon:",
        "'paslon'",
        "paslon) AND (x",
        "NEAR(",
    ],
)
def test_what_a_user_types_is_never_query_syntax(typed: str) -> None:
    terms = search.search_terms(typed)
    found = _found(typed)
    assert found == (_found(" ".join(terms)) if terms else [])
    if terms == ["paslon"]:
        assert found == ["1", "2"]


def test_a_query_without_words_asks_nothing_of_the_index() -> None:
    assert search.items_matching("🕊️ — !!") is None
    assert search.search_terms("a_b c") == ["a", "b", "c"]
    assert len(search.search_terms(" ".join(f"kata{n}" for n in range(40)))) == search.MAX_TERMS


def test_the_index_follows_the_loaders_updates(tmp_path: Path) -> None:
    ingest_file(_jsonl(tmp_path / "lama.jsonl", [_post("9", "Teks lama tentang sawah")]))
    assert _found("sawah") == ["9"]
    newer = _post("9", "Teks baru tentang irigasi", collected_at="2024-10-02T08:00:00+07:00")
    ingest_file(_jsonl(tmp_path / "baru.jsonl", [newer]))
    assert Item.objects.get(platform_id="9").text == "Teks baru tentang irigasi"
    assert _found("sawah") == []
    assert _found("irigasi") == ["9"]
    Item.objects.filter(platform_id="9").delete()
    assert _found("irigasi") == []


def test_the_index_is_this_databases_own() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT data_type FROM information_schema.columns"
                " WHERE table_name = 'social_item' AND column_name = 'search'"
            )
            assert cursor.fetchone() == ("tsvector",)
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'item_search'")
            (definition,) = cursor.fetchone()
            assert "gin (search)" in definition
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'social_item_search'")
            (definition,) = cursor.fetchone()
            assert "fts5" in definition
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'social_item_search_%' ORDER BY name"
            )
            assert [row[0] for row in cursor.fetchall()] == [
                "social_item_search_delete",
                "social_item_search_insert",
                "social_item_search_update",
            ]
