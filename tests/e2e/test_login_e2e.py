"""Logging in through a real browser: Indonesian pages, 2FA enrolment, errors."""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

# Kept after the run so a person can look at the layout.
SCREENSHOT = Path(tempfile.gettempdir()) / "netra_e2e_home.png"


def _log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_the_login_page_is_in_indonesian(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_title("Masuk · Netra")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Netra")
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()


def test_a_field_supervisor_logs_in_and_lands_on_home(
    personas: dict[str, User | None], live_server: LiveServer, page: Page
) -> None:
    _log_in(page, live_server.url, "donomulyo_supervisor", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Selamat datang, Donomulyo Supervisor"
    )
    expect(page.locator("dd.jurisdiction")).to_have_text("35.07.01 Donomulyo")


def test_an_analyst_enrols_a_totp_device_and_lands_on_home(
    personas: dict[str, User | None], live_server: LiveServer, page: Page, viewport: str
) -> None:
    analyst = personas["malang_analyst"]
    _log_in(page, live_server.url, "malang_analyst", PASSWORD)
    expect(page).to_have_url(re.compile(r"/akun/verifikasi/daftar/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktifkan verifikasi dua langkah")
    expect(page.locator(".qr svg")).to_be_visible()
    # Half signed in: the page fits and leads nowhere else yet.
    expect(page.get_by_role("navigation", name="Bagian")).to_have_count(0)
    assert_fits(page)
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    # The key shown for manual entry is the device's key.
    assert page.locator("code.secret").inner_text() == base64.b32encode(device.bin_key).decode()
    page.get_by_label("Kode verifikasi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_have_text("Verifikasi dua langkah telah aktif.")
    expect(page.locator("dd.jurisdiction")).to_have_text("35.07 Kabupaten Malang")
    expect(page.get_by_role("navigation", name="Bagian")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=SCREENSHOT, full_page=True)
    device.refresh_from_db()
    assert device.confirmed is True


def test_a_wrong_password_shows_the_indonesian_error(
    personas: dict[str, User | None], live_server: LiveServer, page: Page
) -> None:
    _log_in(page, live_server.url, "malang_analyst", "bukan-sandinya")
    expect(page.get_by_role("alert")).to_have_text(
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    )
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
