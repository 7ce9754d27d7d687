"""The law catalogue (Data rujukan) and the account-link review in a real browser, at a
phone's width and a desktop's."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from netra.geo.models import Region
from netra.law.services import law_load
from netra.registry.models import AccountLink, LinkStatus
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_fits, log_in
from tests.registry.test_registry_views import build_links

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_a_field_supervisor_reads_the_law_catalogue(
    live_server: LiveServer, page: Page, personas: dict[str, User | None], viewport: str
) -> None:
    law_load()
    base = live_server.url
    log_in(page, base, "donomulyo_supervisor", PASSWORD)

    page.get_by_role("link", name="Data rujukan").click()
    expect(page).to_have_url(f"{base}/rujukan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data rujukan: regulasi")
    violations = page.locator('[data-table="violations"] tbody tr')
    expect(violations).to_have_count(13)
    expect(violations.first).to_contain_text("Memasang spanduk, baliho")
    assert_fits(page)

    # The rules of another date: KASN, not BKN, took ASN cases on 1 August 2024.
    page.get_by_label("Berlaku pada tanggal").fill("2024-08-01")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".asof")).to_have_text("Status berlaku per 1 Agustus 2024.")
    expect(page.locator('tr[data-code="kasn"] .badge.in-force')).to_have_text("berlaku")
    expect(page.locator('tr[data-code="bkn"] .badge.future')).to_have_text("belum berlaku")
    page.locator('tr[data-code="bkn"] details.note summary').click()
    expect(page.locator('tr[data-code="bkn"] details.note p')).to_contain_text("BKN menangani")
    assert_fits(page)


def test_an_analyst_confirms_a_proposed_account_link(
    live_server: LiveServer,
    page: Page,
    regions: dict[str, Region],
    personas: dict[str, User | None],
    viewport: str,
) -> None:
    links = build_links(personas)
    base = live_server.url
    # Enrolled beforehand: log_in answers the verification step, not the enrolment.
    TOTPDevice.objects.create(user=personas["malang_analyst"], name="telepon", confirmed=True)
    log_in(page, base, "malang_analyst", PASSWORD)

    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Tautan akun").click()
    expect(page).to_have_url(f"{base}/registri/tautan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tautan akun yang diusulkan")
    rows = page.locator("table.links tbody tr")
    expect(rows).to_have_count(2)
    siti = page.locator(f'tr[data-link="{links.siti.pk}"]')
    expect(siti).to_contain_text("Siti Rahmawati")
    expect(siti.get_by_role("link", name="@siti_guru")).to_have_attribute(
        "href", "https://x.com/siti_guru"
    )
    # The proposal's reasons, strongest first, each with its weight and its evidence.
    reasons = siti.get_by_role("list", name="Alasan usulan").get_by_role("listitem")
    expect(reasons).to_have_count(3)
    expect(reasons.nth(0)).to_have_class("against")
    expect(reasons.nth(0).locator(".weight")).to_have_text("-60%")
    expect(reasons.nth(1).locator(".weight")).to_have_text("+30%")
    expect(reasons.nth(1).locator("q.evidence")).to_have_text(
        "Guru SD di Tulungrejo <b>Kab. Malang</b>, SDN 1 Tulungrejo, Kecamatan Donomulyo"
    )
    expect(siti.locator(".proof-ref")).to_have_text(
        "Bukti: profil akun seperti terlihat 5 Maret 2024, 16.30."
    )
    assert_fits(page)

    siti.get_by_role("button", name="Konfirmasi").click()
    expect(page.locator(".messages li.success")).to_have_text(
        "Tautan Siti Rahmawati ↔ X (Twitter) @siti_guru dikonfirmasi."
    )
    expect(rows).to_have_count(1)
    confirmed = AccountLink.objects.get(pk=links.siti.pk)
    assert (confirmed.status, confirmed.proof_snapshot_id) == (
        LinkStatus.CONFIRMED,
        links.siti.proof_snapshot_id,
    )
    assert_fits(page)
