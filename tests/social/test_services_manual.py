"""Entering one item by hand: screenshots checked by content, one item per URL.

Ids from URLs are tested with the platforms' link rules (tests/social/sources/
test_sources_links.py). Image signatures: PNG
(https://www.w3.org/TR/png/#5PNG-file-signature), JPEG SOI marker ``FF D8 FF``, WebP
RIFF container (https://developers.google.com/speed/webp/docs/riff_container).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netra.core.models import Event
from netra.geo.models import Region
from netra.monitor.selectors import WIB
from netra.social.ingest import ingest_file
from netra.social.models import (
    Account,
    IngestRun,
    Item,
    ItemProvenance,
    RunStatus,
    Source,
    SourceKind,
)
from netra.social.services import (
    image_type,
    item_manual_create,
)
from netra.social.store import raw_read
from netra.staff.models import User


def png_bytes() -> bytes:
    """A real 1 by 1 pixel PNG, written chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x8a\x1c\x1c")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
HTML_AS_PNG = b"<!doctype html><script>alert('bukan gambar')</script>"
PDF_AS_JPG = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture
def analyst(personas: dict[str, User | None]) -> User:
    user = personas["malang_analyst"]
    assert user is not None
    return user


def entry(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "url": "https://x.com/warga_fiktif_12/status/1855075334353846272?s=20",
        "platform": "x",
        "text": "Ayo pilih paslon 1, kata pak camat 🙏",
        "author_handle": "@warga_fiktif_12",
        "created_at": datetime(2024, 11, 20, 14, 30, tzinfo=WIB),
        "screenshot": None,
    }
    values.update(changes)
    return values


# --- screenshots ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (png_bytes(), "png"),
        (JPEG, "jpg"),
        (WEBP, "webp"),
        (HTML_AS_PNG, None),
        (PDF_AS_JPG, None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_image_types_are_read_from_the_content(head: bytes, expected: str | None) -> None:
    assert image_type(head[:16]) == expected


# --- the service ----------------------------------------------------------------------------


def test_an_entry_becomes_an_item_through_its_own_manual_source_and_run(
    regions: dict[str, Region], analyst: User, media_root: Path
) -> None:
    screenshot = png_bytes()
    item = item_manual_create(
        **entry(screenshot=SimpleUploadedFile("bukti.png", screenshot)), actor=analyst
    )
    [provenance] = ItemProvenance.objects.filter(item=item).select_related("source")
    source = provenance.source
    run = IngestRun.objects.get(source=source)
    raw = raw_read(provenance.raw_block_id, provenance.raw_start, provenance.raw_length)
    assert json.loads(raw) == {
        "url": "https://x.com/warga_fiktif_12/status/1855075334353846272",
        "platform": "x",
        "platform_id": "1855075334353846272",
        "author_handle": "warga_fiktif_12",
        "created_at": "2024-11-20T14:30:00+07:00",
        "text": "Ayo pilih paslon 1, kata pak camat 🙏",
        "screenshot_sha256": hashlib.sha256(screenshot).hexdigest(),
    }
    assert (item.platform, item.platform_id, item.kind, item.text) == (
        "x",
        "1855075334353846272",
        "post",
        "Ayo pilih paslon 1, kata pak camat 🙏",
    )
    assert item.created_at == datetime(2024, 11, 20, 7, 30, tzinfo=UTC)
    assert item.permalink == "https://x.com/warga_fiktif_12/status/1855075334353846272"
    assert item.root_platform_id == "1855075334353846272"
    assert item.author is not None
    assert (item.author.platform, item.author.handle) == ("x", "warga_fiktif_12")
    assert item.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert (source.kind, source.format, source.sha256, source.size) == (
        SourceKind.MANUAL,
        "manual",
        hashlib.sha256(raw).hexdigest(),
        len(raw),
    )
    name = source.attachment.name or ""
    assert name.endswith(".png")
    assert (media_root / name).read_bytes() == screenshot
    assert (run.status, run.actor, run.read, run.new, run.position) == (
        RunStatus.DONE,
        analyst,
        1,
        1,
        1,
    )
    [event] = Event.objects.filter(kind="social.item_entered")
    assert (event.subject_id, event.actor) == (str(item.pk), analyst)
    assert event.params == {
        "source": source.pk,
        "run": run.pk,
        "outcome": "new",
        "url": "https://x.com/warga_fiktif_12/status/1855075334353846272",
    }


def test_the_same_url_twice_is_one_item(regions: dict[str, Region], analyst: User) -> None:
    first = item_manual_create(**entry(), actor=analyst)
    # The same entry again: the same source, a second run, a duplicate.
    again = item_manual_create(**entry(), actor=analyst)
    # The same link with other tracking parameters and a new text: an update.
    changed = item_manual_create(
        **entry(
            url="https://twitter.com/warga_fiktif_12/status/1855075334353846272?t=Zz",
            text="Teks yang sudah diedit",
        ),
        actor=analyst,
    )
    assert first.pk == again.pk == changed.pk
    assert Item.objects.count() == 1
    assert Item.objects.get().text == "Teks yang sudah diedit"
    sources = list(Source.objects.order_by("pk"))
    assert len(sources) == 2
    runs = [
        (run.source_id, run.new, run.updated, run.duplicate)
        for run in IngestRun.objects.order_by("pk")
    ]
    assert runs == [
        (sources[0].pk, 1, 0, 0),
        (sources[0].pk, 0, 0, 1),
        (sources[1].pk, 0, 1, 0),
    ]
    assert ItemProvenance.objects.filter(item=first).count() == 2
    assert list(
        Event.objects.filter(kind="social.item_entered")
        .order_by("pk")
        .values_list("params__outcome", flat=True)
    ) == ["new", "duplicate", "updated"]


def test_a_link_without_an_id_twice_is_one_item(regions: dict[str, Region], analyst: User) -> None:
    values = entry(url="https://vm.tiktok.com/ZSabc123/", platform="", author_handle="siti_contoh")
    first = item_manual_create(**values, actor=analyst)
    values["url"] = "https://vm.tiktok.com/ZSabc123?utm_source=whatsapp"
    second = item_manual_create(**values, actor=analyst)
    assert first.pk == second.pk
    assert first.platform == "tiktok"
    assert first.platform_id.startswith("manual:")
    assert Item.objects.count() == 1


def test_an_entry_of_a_loaded_item_keeps_its_thread_and_account(
    regions: dict[str, Region], analyst: User, tmp_path: Path
) -> None:
    path = tmp_path / "balasan.jsonl"
    path.write_text(
        json.dumps(
            {
                "record": "item",
                "platform": "x",
                "id": "1855075334353846272",
                "kind": "reply",
                "author_id": "1300000000000000002",
                "author_handle": "Warga_Fiktif_12",
                "parent_id": "1854690297246646272",
                "root_id": "1854690297246646272",
                "created_at": "2024-11-20T14:30:00+07:00",
                "text": "Balasan asli",
                "collected_at": "2024-11-20T15:00:00+07:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    # Loaded by the same office: the entry is a newer version of that office's item.
    ingest_file(path, actor=analyst)
    accounts = Account.objects.count()
    item = item_manual_create(**entry(text="Balasan yang terlihat di layar"), actor=analyst)
    assert Account.objects.count() == accounts
    assert item.author is not None
    assert item.author.platform_id == "1300000000000000002"
    assert (item.kind, item.parent_platform_id, item.root_platform_id) == (
        "reply",
        "1854690297246646272",
        "1854690297246646272",
    )
    assert item.text == "Balasan yang terlihat di layar"
    assert ItemProvenance.objects.filter(item=item).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bukti.png",
            HTML_AS_PNG,
            "Berkas 'bukti.png' bukan gambar PNG, JPEG atau WebP: isinya tidak cocok dengan "
            "gambar, apa pun akhiran namanya.",
        ),
        (
            "bukti.jpg",
            PDF_AS_JPG,
            "Berkas 'bukti.jpg' bukan gambar PNG, JPEG atau WebP: isinya tidak cocok dengan "
            "gambar, apa pun akhiran namanya.",
        ),
        ("kosong.png", b"", "Tangkapan layar 'kosong.png' kosong."),
        (
            "besar.png",
            png_bytes() + b"\x00" * (10 * 1024 * 1024),
            "Tangkapan layar 'besar.png' berukuran 10.0 MB; batasnya 10 MB. Perkecil "
            "gambarnya atau simpan sebagai JPEG.",
        ),
    ],
)
def test_a_bad_screenshot_is_refused_and_nothing_is_stored(
    regions: dict[str, Region], analyst: User, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        item_manual_create(**entry(screenshot=SimpleUploadedFile(name, content)), actor=analyst)
    assert error.value.messages == [message]
    assert (Item.objects.count(), Source.objects.count(), IngestRun.objects.count()) == (0, 0, 0)
    assert not Event.objects.filter(kind="social.item_entered").exists()


@pytest.mark.parametrize(("name", "content"), [("layar.webp", WEBP), ("layar.jpeg", JPEG)])
def test_webp_and_jpeg_screenshots_are_kept(
    regions: dict[str, Region], analyst: User, media_root: Path, name: str, content: bytes
) -> None:
    item = item_manual_create(**entry(screenshot=SimpleUploadedFile(name, content)), actor=analyst)
    source = ItemProvenance.objects.get(item=item).source
    assert (media_root / (source.attachment.name or "")).read_bytes() == content


def test_the_platform_must_match_the_link(regions: dict[str, Region], analyst: User) -> None:
    with pytest.raises(ValidationError) as error:
        item_manual_create(**entry(platform="youtube"), actor=analyst)
    assert error.value.messages == [
        "Tautan ini dari X (Twitter), bukan YouTube. Pilih platform yang sesuai."
    ]
    with pytest.raises(ValidationError) as error:
        item_manual_create(**entry(url="https://forum.contoh.id/t/1", platform=""), actor=analyst)
    assert error.value.messages == [
        "Platform tidak dapat dikenali dari tautan ini; pilih platformnya."
    ]
    assert Item.objects.count() == 0


# --- the page -------------------------------------------------------------------------------


def test_a_field_supervisor_enters_an_item_in_wib_and_sees_it(
    regions: dict[str, Region], client_for: Callable[[str], Client]
) -> None:
    client = client_for("donomulyo_supervisor")
    response = client.post(
        "/pantau/konten/baru/",
        {
            "url": "https://www.tiktok.com/@kades_contoh/video/7430000000000000001",
            "platform": "",
            "author_handle": "kades_contoh",
            "text": "Kepala desa ikut kampanye\r\nbaris kedua",
            "created_at": "2024-11-20T14:30",
            "screenshot": SimpleUploadedFile("layar.png", png_bytes()),
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pantau/konten/{item.pk}/"
    assert (item.platform, item.platform_id, item.kind) == (
        "tiktok",
        "7430000000000000001",
        "video",
    )
    assert item.text == "Kepala desa ikut kampanye\nbaris kedua"
    assert item.created_at == datetime(2024, 11, 20, 7, 30, tzinfo=UTC)
    html = client.get(response.headers["Location"]).content.decode()
    assert "20-11-2024 14:30 WIB" in html
    assert "Konten tersimpan." in html
    # Another regency's analyst does not see it; the Malang analyst (above) does.
    assert client_for("lumajang_analyst").get(f"/pantau/konten/{item.pk}/").status_code == 404
    assert client_for("malang_analyst").get(f"/pantau/konten/{item.pk}/").status_code == 200


def test_the_form_shows_a_disguised_screenshot_error(
    regions: dict[str, Region], client_for: Callable[[str], Client]
) -> None:
    response = client_for("malang_analyst").post(
        "/pantau/konten/baru/",
        {
            "url": "https://x.com/warga_fiktif_12/status/1855075334353846272",
            "author_handle": "warga_fiktif_12",
            "screenshot": SimpleUploadedFile("bukti.png", HTML_AS_PNG),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Berkas &#x27;bukti.png&#x27; bukan gambar PNG, JPEG atau WebP: isinya tidak cocok "
        "dengan gambar, apa pun akhiran namanya." in html
    )
    assert "<script>alert" not in html
    assert Item.objects.count() == 0


def test_a_partner_may_not_enter_items_and_nothing_is_stored(
    regions: dict[str, Region], client_for: Callable[[str], Client]
) -> None:
    response = client_for("bkpsdm_partner").post(
        "/pantau/konten/baru/",
        {
            "url": "https://x.com/warga_fiktif_12/status/1855075334353846272",
            "author_handle": "warga_fiktif_12",
        },
    )
    assert response.status_code == 403
    assert (Item.objects.count(), Source.objects.count()) == (0, 0)
