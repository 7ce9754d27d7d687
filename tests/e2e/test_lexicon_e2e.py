"""The lexicon pages in Chromium at a phone's width and a desktop's: an analyst reads an
election's terms and adds an alias, nothing wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from netra.detection.models import LexiconAlias
from netra.geo.models import Region
from netra.staff.models import User
from tests.conftest import PASSWORD
from tests.detection.conftest import World, make_world
from tests.e2e.conftest import assert_fits, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def world(regions: dict[str, Region], personas: dict[str, User | None]) -> World:
    return make_world()


def test_an_analyst_reads_a_lexicon_and_adds_an_alias(
    live_server: LiveServer, page: Page, viewport: str, world: World
) -> None:
    base = live_server.url
    log_in(page, base, "malang_analyst", PASSWORD)
    page.goto(f"{base}/deteksi/")
    page.get_by_role("link", name="Leksikon pemilihan: istilah yang dicari deteksi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leksikon pemilihan")
    assert_fits(page)

    page.get_by_role("link", name=world.election.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Leksikon: {world.election.name}")
    expect(page.locator("section.candidate")).to_have_count(3)
    assert_fits(page)

    page.get_by_label("Calon").select_option(label="3. Sulastri Wulandari")
    page.get_by_label("Istilah (julukan, singkatan, slogan, tagar, akun, partai)").fill(
        "Bu Sulas Kepanjen yang namanya panjang sekali untuk layar ponsel"
    )
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("li.success")).to_have_text(
        "Istilah ditambahkan ke leksikon pemilihan ini."
    )
    expect(page.locator("ul.added")).to_contain_text("Bu Sulas Kepanjen")
    assert_fits(page)
    assert LexiconAlias.objects.get().candidate.number == 3
