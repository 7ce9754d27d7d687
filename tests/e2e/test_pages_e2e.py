"""Every monitoring page in Chromium at a phone's width and at a desktop's: nothing wider
than the screen, and what a new user needs on each page there to see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from netra.geo.models import Region
from netra.social.ingest import ingest_file
from netra.social.models import ItemProvenance
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_fits, log_in
from tests.monitor.test_pages import liker_in_donomulyo
from tests.monitor.test_views import ROOT, SocialData, build_social_data, jsonl
from tests.social.test_services_manual import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EMOJI_TEXT = "Kepala desa ikut kampanye 🗳️🎉"


def _fonts_of(page: Page, selector: str) -> set[str]:
    """The font families Chromium rendered the text of ``selector`` with (DevTools'
    CSS.getPlatformFontsForNode), to tell an emoji drawn from an emoji font from a box."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts}


@pytest.fixture
def data(
    regions: dict[str, Region], personas: dict[str, User | None], settings: Any, tmp_path: Path
) -> SocialData:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_social_data(tmp_path, regions, personas)


def test_an_analyst_walks_every_monitoring_page(
    live_server: LiveServer,
    page: Page,
    viewport: str,
    data: SocialData,
    personas: dict[str, User | None],
    tmp_path: Path,
) -> None:
    # More than a page of items, with long texts.
    ingest_file(
        jsonl(
            tmp_path / "banyak.jsonl",
            [
                {
                    "record": "item",
                    "platform": "x",
                    "id": str(1700000000000000000 + n),
                    "author_id": "1001",
                    "author_handle": "warga_fiktif_12",
                    "created_at": f"2024-09-{1 + n % 28:02d}T10:00:00+07:00",
                    "text": f"Unggahan {n} tentang kampanye pilkada, dengan teks cukup panjang "
                    "supaya terlihat bagaimana kolom teks membungkus kalimatnya di layar.",
                    "metrics": {"likes": n, "views": 1000 + n},
                }
                for n in range(55)
            ],
        ),
        election=data.malang,
    )
    base = live_server.url
    analyst = personas["malang_analyst"]
    device = TOTPDevice.objects.create(user=analyst, name="telepon", confirmed=True)

    page.goto(f"{base}/akun/masuk/")
    assert_fits(page)
    page.get_by_label("Nama pengguna").fill("malang_analyst")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    # Half signed in: no way into the sections yet.
    expect(page.get_by_role("navigation", name="Bagian")).to_have_count(0)
    assert_fits(page)
    page.get_by_label("Kode verifikasi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{base}/")
    assert_fits(page)

    # The item list: cards, a count, the subject behind an account, a full pager.
    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Konten").click()
    expect(page.locator("p.total")).to_have_text("62 konten cocok")
    cards = page.locator("#hasil li.item")
    expect(cards).to_have_count(50)
    assert_fits(page)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < (13_000 if viewport == "phone" else 6_000), height
    expect(cards.first.locator(".subject")).to_contain_text("Bambang Fiktif Santoso")
    first_ids = cards.evaluate_all("(cards) => cards.map((c) => c.dataset.item)")
    page.get_by_role("link", name="Berikutnya ›").click()
    expect(cards).to_have_count(12)
    page.get_by_role("link", name="‹ Sebelumnya").click()
    expect(cards).to_have_count(50)
    assert cards.evaluate_all("(cards) => cards.map((c) => c.dataset.item)") == first_ids
    page.get_by_label("Hanya akun subjek terdaftar").check()
    page.get_by_role("button", name="Cari").click()
    expect(cards).to_have_count(1)
    expect(page.locator("p.total")).to_have_text("1 konten cocok")

    # The item, its raw record, its author.
    root = data.item(ROOT)
    page.goto(f"{base}/pantau/konten/{root.pk}/")
    expect(page.locator("ol.thread > li")).to_have_count(3)
    assert_fits(page)
    provenance = ItemProvenance.objects.get(item=root)
    page.goto(f"{base}/pantau/konten/{root.pk}/mentah/{provenance.pk}/")
    expect(page.locator("pre.raw")).to_contain_text(f'"id": "{ROOT}"')
    assert_fits(page)
    page.goto(f"{base}/pantau/akun/")
    expect(page.locator("p.total")).to_have_text("7 akun cocok")
    assert_fits(page)
    page.goto(f"{base}/pantau/akun/{data.account('warga_fiktif_12').pk}/")
    expect(page.locator("tr[data-snapshot]")).to_have_count(2)
    assert_fits(page)

    # A manual entry with a screenshot and emoji, shown back on its item.
    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Entri manual").click()
    expect(page).to_have_url(re.compile(r"/pantau/konten/baru/$"))
    assert_fits(page)
    page.get_by_label("Tautan konten").fill("https://x.com/kades_contoh/status/1850000000000000001")
    page.get_by_label("Nama akun penulis").fill("kades_contoh")
    page.get_by_label("Teks konten").fill(EMOJI_TEXT)
    screenshot = tmp_path / "layar.png"
    screenshot.write_bytes(png_bytes())
    page.get_by_label("Tangkapan layar (PNG, JPEG atau WebP, paling besar 10 MB)").set_input_files(
        screenshot
    )
    page.get_by_role("button", name="Simpan konten").click()
    expect(page.locator("dd.text")).to_have_text(EMOJI_TEXT)
    assert "Noto Color Emoji" in _fonts_of(page, "dd.text")
    image = page.get_by_role("img", name="Tangkapan layar yang dilampirkan pada entri ini")
    expect(image).to_be_visible()
    # Visible is laid out, not yet decoded: wait for the picture itself (the 1 px PNG).
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth === 1", arg=image.element_handle()
    )
    expect(page.locator("p.entered")).to_contain_text(
        "Dimasukkan oleh Malang Analyst (Bawaslu Kabupaten Malang)"
    )
    assert_fits(page)

    # Imports, a run and its items, the quarantine of its file.
    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Impor").click()
    expect(page.locator(f'tr[data-run="{data.malang_run.pk}"]')).to_be_visible()
    assert_fits(page)
    page.goto(f"{base}/pantau/impor/proses/{data.malang_run.pk}/")
    expect(page.locator('tr[data-type="item"] th')).to_have_text("konten")
    assert_fits(page)
    page.get_by_role("link", name=re.compile(r"Lihat 6 konten")).click()
    expect(cards).to_have_count(6)
    page.goto(f"{base}/pantau/karantina/?source={data.malang_source.pk}")
    expect(page.locator("tr[data-record]")).to_have_count(1)
    assert_fits(page)


def test_a_field_supervisor_sees_a_liked_post_out_of_sight_as_a_link(
    live_server: LiveServer, page: Page, viewport: str, data: SocialData, regions: dict[str, Region]
) -> None:
    liker = liker_in_donomulyo(data, regions)
    log_in(page, live_server.url, "donomulyo_supervisor", PASSWORD)
    page.goto(f"{live_server.url}/pantau/akun/")
    expect(page.locator("tr[data-account] span.subject")).to_contain_text("Rahmat Fiktif")
    assert_fits(page)
    page.goto(f"{live_server.url}/pantau/akun/{liker.pk}/")
    target = page.locator('tr[data-kind="like"] td.target')
    expect(target).to_contain_text("Konten di luar wilayah Anda atau belum tersimpan")
    expect(target.get_by_role("link", name="buka di platform")).to_have_attribute(
        "href", f"https://x.com/warga_fiktif_12/status/{ROOT}"
    )
    assert_fits(page)
