"""The triage pages in Chromium at a phone's width and a desktop's: the queue, its filters,
the flag page, a confirmation, a dismissal and a bulk decision, nothing wider than the
screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from netra.detection.models import Flag, FlagStatus
from netra.geo.models import Region
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.detection.conftest import make_world
from tests.detection.triage_data import Triage, build_triage
from tests.e2e.conftest import assert_fits, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def triage(regions: dict[str, Region], personas: dict[str, User | None]) -> Triage:
    return build_triage(make_world())


def test_an_analyst_triages_the_queue_and_decides_flags(
    live_server: LiveServer, page: Page, viewport: str, triage: Triage
) -> None:
    base = live_server.url
    log_in(page, base, "malang_analyst", PASSWORD)

    page.get_by_role("navigation", name="Bagian").get_by_role("link", name="Antrean tanda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean tanda dugaan pelanggaran")
    rows = page.locator("li.flag")
    expect(rows).to_have_count(7)
    expect(page.locator("p.total")).to_have_text("7 tanda cocok")
    expect(page.locator(".runs-last")).to_contain_text("Deteksi terakhir")
    assert_fits(page)

    # Filters: the comment of the village head in Pagak only.
    page.get_by_label("Wilayah").select_option("35.07.02")
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(r"/deteksi/\?region=35\.07\.02&"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bambang Wijaya")
    assert_fits(page)

    # The comment's page: the post it answers, with the term marked; a dismissal needs a
    # reason (the browser asks for it before anything is sent).
    rows.first.get_by_role("link", name="Bambang Wijaya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tanda {triage.comment.pk}: Bambang Wijaya"
    )
    expect(page.locator("mark").first).to_have_text("Mas Bagus")
    assert_fits(page)
    page.get_by_role("button", name="Tolak tanda").click()
    expect(page).to_have_url(f"{base}/deteksi/{triage.comment.pk}/")
    assert Flag.objects.get(pk=triage.comment.pk).status == FlagStatus.OPEN
    page.get_by_label("Alasan penolakan").fill("Komentar ucapan, tidak mendukung calon.")
    page.get_by_role("button", name="Tolak tanda").click()
    expect(page.locator(".messages")).to_have_text("Tanda ditolak; alasannya tercatat.")
    expect(page.locator("section.decision")).to_contain_text("Ditolak oleh Malang Analyst")
    assert_fits(page)

    # The own campaign post: confirmed through the page.
    page.goto(f"{base}/deteksi/")
    rows.filter(has_text="Sri Handayani").filter(has_text="Unggahan").get_by_role(
        "link", name="Sri Handayani"
    ).click()
    expect(page.locator("p.text.flagged mark")).to_have_text("Mas Bagus")
    expect(page.locator("table.violations tr[data-code]")).to_have_count(2)
    assert_fits(page)
    page.get_by_role("button", name="Konfirmasi tanda").click()
    expect(page.locator(".messages")).to_have_text("Tanda dikonfirmasi: siap dijadikan temuan.")
    expect(page.locator("section.decision")).to_contain_text("Dikonfirmasi oleh Malang Analyst")
    expect(page.get_by_role("button", name="Konfirmasi tanda")).to_have_count(0)
    assert_fits(page)
    flag = Flag.objects.get(pk=triage.post.pk)
    assert (flag.status, flag.decided_by) == (
        FlagStatus.CONFIRMED,
        User.objects.get(username="malang_analyst"),
    )

    # The coordination and its time line.
    page.goto(f"{base}/deteksi/{triage.coordination.pk}/")
    expect(page.locator("ol.timeline > li")).to_have_count(3)
    assert_fits(page)

    # Two teachers' likes confirmed at once.
    page.goto(f"{base}/deteksi/?kind=act&violation=N04")
    expect(rows).to_have_count(4)
    chosen = rows.filter(has_text="Rina Kusuma").or_(rows.filter(has_text="Agus Salim"))
    for box in chosen.locator('input[name="tanda"]').all():
        box.check()
    assert_fits(page)
    page.get_by_role("button", name="Konfirmasi yang dipilih").click()
    expect(page.locator(".messages")).to_have_text("2 tanda dikonfirmasi.")
    expect(rows).to_have_count(2)
    assert_fits(page)


def test_a_field_supervisor_reads_the_queue_without_deciding(
    live_server: LiveServer, page: Page, viewport: str, triage: Triage
) -> None:
    base = live_server.url
    log_in(page, base, "donomulyo_supervisor", PASSWORD)

    page.goto(f"{base}/deteksi/")
    rows = page.locator("li.flag")
    expect(rows).to_have_count(5)
    expect(page.locator('input[name="tanda"]')).to_have_count(0)
    assert_fits(page)
    page.goto(f"{base}/deteksi/{triage.like.pk}/")
    expect(page.locator("section.decision")).to_contain_text("Diputuskan oleh analis")
    expect(page.get_by_role("button", name="Konfirmasi tanda")).to_have_count(0)
    assert_fits(page)
    response = page.goto(f"{base}/deteksi/{triage.comment.pk}/")
    assert response is not None
    assert response.status == 404
