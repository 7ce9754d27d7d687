"""The social pages in a real browser: log in, search items, open one and read its thread."""

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
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.monitor.test_views import HOSTILE, REPLY, REPLY2, ROOT, build_social_data

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_an_analyst_searches_items_and_reads_a_thread(
    live_server: LiveServer,
    page: Page,
    regions: dict[str, Region],
    personas: dict[str, User | None],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    data = build_social_data(tmp_path, regions, personas)
    analyst = personas["malang_analyst"]
    device = TOTPDevice.objects.create(user=analyst, name="telepon", confirmed=True)
    base = live_server.url

    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("malang_analyst")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    page.get_by_label("Kode verifikasi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{base}/")

    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Konten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konten media sosial")
    results = page.locator("#hasil li.item")
    expect(results).to_have_count(7)

    page.get_by_label("Teks memuat").fill("paslon")
    page.get_by_label("Jenis", exact=True).select_option("post")
    page.get_by_role("button", name="Cari").click()
    expect(results).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/pantau/konten/\?q=paslon&.*kind=post"))
    root = data.item(ROOT)
    link = page.locator(f'li[data-item="{root.pk}"] .excerpt a')
    # The hostile text is shown as text, never run.
    expect(link).to_contain_text(HOSTILE)
    link.click()

    expect(page).to_have_url(f"{base}/pantau/konten/{root.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unggahan X (Twitter)")
    nodes = page.locator("ol.thread > li")
    expect(nodes).to_have_count(3)
    expect(nodes.nth(0)).to_have_attribute("aria-current", "true")
    expect(nodes.nth(1)).to_contain_text("Setuju, mari menangkan")
    expect(nodes.nth(1)).to_have_attribute("data-depth", "1")
    expect(nodes.nth(2)).to_contain_text("Terima kasih dukungannya")
    expect(nodes.nth(2)).to_have_attribute("data-depth", "2")
    # Deeper replies sit further right.
    x1 = nodes.nth(1).bounding_box()
    x2 = nodes.nth(2).bounding_box()
    assert x1 is not None
    assert x2 is not None
    assert x2["x"] > x1["x"]

    page.get_by_role("link", name="Lihat data mentah").click()
    raw = page.locator("pre.raw")
    expect(raw).to_contain_text(f'"id": "{ROOT}"')
    expect(raw).to_contain_text(HOSTILE)
    expect(page).to_have_url(f"{base}/pantau/konten/{root.pk}/")  # swapped in, not navigated
    # Kept in the test's own folder (pytest keeps the last runs) to look at the layout.
    page.screenshot(path=tmp_path / "netra_e2e_item.png", full_page=True)

    nodes.nth(2).locator(".body a").click()
    expect(page).to_have_url(f"{base}/pantau/konten/{data.item(REPLY2).pk}/")
    expect(page.locator("ol.thread > li[aria-current]")).to_contain_text("Terima kasih")
    expect(page.get_by_role("link", name=REPLY)).to_be_visible()
