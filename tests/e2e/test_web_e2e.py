"""Pages under the Content-Security-Policy in a real browser: the layout, the error pages, an
upload Django cannot parse, the admin and the API docs.

The ``page`` fixture fails a test on any console error, and Chromium reports every
Content-Security-Policy violation there: each page opened here keeps to the policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from netra.geo.models import Region
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_fits, log_in
from tests.monitor.test_views import build_social_data
from tests.web.test_web_csp import CSP, policy
from tests.web.test_web_errors import LONG_NAME

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def _open(page: Page, url: str) -> Response:
    response = page.goto(url)
    assert response is not None
    assert policy(response.headers["content-security-policy"]) == CSP, url
    return response


def _with_device(user: User | None) -> None:
    """Give a two-factor user a confirmed device before the password step, as staff have."""
    TOTPDevice.objects.create(user=user, name="telepon", confirmed=True)


def test_the_layout_runs_htmx_without_inline_styles_and_has_a_favicon(
    live_server: LiveServer, page: Page, viewport: str, personas: dict[str, User | None]
) -> None:
    base = live_server.url
    log_in(page, base, "donomulyo_supervisor", PASSWORD)
    _open(page, f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Selamat datang, Donomulyo Supervisor"
    )
    # htmx left its indicator <style> out (the policy would refuse it) and evaluates nothing.
    assert page.evaluate("() => [htmx.config.includeIndicatorStyles, htmx.config.allowEval]") == [
        False,
        False,
    ]
    assert page.evaluate("() => document.querySelectorAll('style, [style]').length") == 0
    icons = page.locator("link[rel=icon]")
    expect(icons).to_have_count(2)
    for index, kind in enumerate(["image/svg+xml", "image/png"]):
        href = icons.nth(index).get_attribute("href")
        icon = page.request.get(f"{base}{href}")
        assert (icon.status, icon.headers["content-type"]) == (200, kind)
    ico = page.request.get(f"{base}/favicon.ico")
    assert (ico.status, ico.headers["content-type"]) == (200, "image/x-icon")
    assert_fits(page)


@pytest.mark.urls("tests.web.test_web_errors")
def test_the_error_pages_are_indonesian_and_fit(
    live_server: LiveServer, page: Page, viewport: str, personas: dict[str, User | None]
) -> None:
    base = live_server.url
    for url, status, heading in [
        ("/tidak-ada/", 404, "Halaman tidak ditemukan"),
        ("/rusak/", 500, "Terjadi kesalahan di server"),
    ]:
        assert _open(page, f"{base}{url}").status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page).to_have_title(f"{heading} · Netra")
        assert_fits(page)

    log_in(page, base, "donomulyo_supervisor", PASSWORD)
    assert _open(page, f"{base}/pantau/impor/").status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    # The navigation stays, so the supervisor can go on from here.
    sections = page.get_by_role("navigation", name="Bagian")
    expect(sections.get_by_role("link", name="Konten")).to_be_visible()
    assert_fits(page)
    page.get_by_role("link", name="Ke beranda").click()
    expect(page).to_have_url(f"{base}/")


def test_a_file_name_too_long_to_parse_gets_the_indonesian_400_and_a_way_back(
    live_server: LiveServer,
    page: Page,
    viewport: str,
    regions: dict[str, Region],
    personas: dict[str, User | None],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    build_social_data(tmp_path, regions, personas)
    _with_device(personas["malang_analyst"])
    base = live_server.url
    log_in(page, base, "malang_analyst", PASSWORD)
    _open(page, f"{base}/pantau/impor/")
    page.get_by_label("Berkas", exact=True).set_input_files(
        {"name": LONG_NAME, "mimeType": "application/json", "buffer": b'{"record": "item"}\n'}
    )
    with page.expect_response(f"{base}/pantau/impor/") as posted:
        page.get_by_role("button", name="Muat berkas").click()
    assert posted.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Permintaan tidak dapat diproses")
    expect(page.get_by_role("alert")).to_contain_text(
        "Nama berkas yang Anda unggah terlalu panjang (lebih dari sekitar 900 karakter)"
    )
    assert_fits(page)
    page.get_by_role("link", name="Kembali ke halaman sebelumnya").click()
    expect(page).to_have_url(f"{base}/pantau/impor/")
    expect(page.get_by_role("button", name="Muat berkas")).to_be_visible()


def test_the_admin_logs_in_and_lists_users_under_the_policy(
    live_server: LiveServer, page: Page, personas: dict[str, User | None]
) -> None:
    base = live_server.url
    _with_device(personas["ri_admin"])
    _open(page, f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Nama pengguna").fill("ri_admin")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    device = TOTPDevice.objects.get(user=personas["ri_admin"])
    page.get_by_label("Kode verifikasi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data rujukan dan akun staf")

    _open(page, f"{base}/admin/staff/user/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(5)
    # The admin's own scripts run: ticking every row updates the action counter.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_have_text("5 dari 5 terpilih")
    rows.first.locator("th a").click()
    expect(page.locator("#user_form")).to_be_visible()
    # SelectFilter2 builds the two-list widget for groups by script.
    expect(page.locator("#id_groups_filter")).to_be_visible()


def test_the_api_docs_render_for_staff_under_the_policy(
    live_server: LiveServer, page: Page, personas: dict[str, User | None]
) -> None:
    base = live_server.url
    _open(page, f"{base}/api/v1/docs")
    expect(page).to_have_url(f"{base}/akun/masuk/?next=/api/v1/docs")
    page.get_by_label("Nama pengguna").fill("donomulyo_supervisor")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{base}/api/v1/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Netra API")
    expect(page.locator(".opblock-summary-path")).to_have_text("/api/v1/ingest/batches")
