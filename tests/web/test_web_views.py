"""The home dashboard, the base layout and the admin site, per persona."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from netra.elections.models import Election, ElectionType
from netra.geo.models import Region
from netra.law.models import Regime
from netra.registry.models import Agency, Subject, SubjectKind
from netra.staff.models import User


@pytest.fixture
def watched(regions: dict[str, Region]) -> None:
    """Agencies, subjects and elections spread over Malang, Lumajang and Kota Malang."""
    pemda = Agency.objects.create(name="Pemerintah Kabupaten Malang", region=regions["35.07"])
    Agency.objects.create(name="Pemerintah Desa Tulungrejo", region=regions["35.07.01.2001"])
    Agency.objects.create(name="Pemerintah Kabupaten Lumajang", region=regions["35.08"])
    for name, workplace in [
        ("Agus Fiktif", "35.07.01.2001"),
        ("Bambang Fiktif", "35.07.02"),
        ("Citra Fiktif", "35.08.01"),
        ("Dian Fiktif", "35.73.01"),
    ]:
        Subject.objects.create(
            kind=SubjectKind.PNS, full_name=name, workplace=regions[workplace], agency=pemda
        )
    for slug, regime, type_, region in [
        ("pilpres-2024", Regime.PEMILU, ElectionType.PRESIDENT, None),
        ("pilgub-jatim-2024", Regime.PILKADA, ElectionType.GOVERNOR, "35"),
        ("pilbup-malang-2024", Regime.PILKADA, ElectionType.REGENT, "35.07"),
        ("pilbup-lumajang-2024", Regime.PILKADA, ElectionType.REGENT, "35.08"),
        ("pilwali-malang-2024", Regime.PILKADA, ElectionType.MAYOR, "35.73"),
    ]:
        Election.objects.create(
            slug=slug,
            name=slug,
            regime=regime,
            type=type_,
            region=regions[region] if region else None,
            year=2024,
        )


HOME_COUNTS = {
    # persona: (regions, agencies, subjects, elections)
    "ri_admin": (10, 3, 4, 5),
    # National, the East Java governor, the Malang regent: not Lumajang, not Kota Malang.
    "malang_analyst": (5, 2, 2, 3),
    "donomulyo_supervisor": (2, 1, 1, 3),
    "lumajang_analyst": (2, 1, 1, 3),
    "bkpsdm_partner": (0, 0, 0, 0),
}


@pytest.mark.parametrize(
    ("persona", "status", "location"),
    [
        ("anonymous", 302, "/akun/masuk/?next=/"),
        ("ri_admin", 200, None),
        ("malang_analyst", 200, None),
        ("donomulyo_supervisor", 200, None),
        ("lumajang_analyst", 200, None),
        ("bkpsdm_partner", 200, None),
    ],
)
def test_home_page_per_persona(
    client_for: Callable[[str], Client], persona: str, status: int, location: str | None
) -> None:
    response = client_for(persona).get("/")
    assert (response.status_code, response.headers.get("Location")) == (status, location)


@pytest.mark.parametrize(("persona", "counts"), HOME_COUNTS.items())
def test_home_counts_only_what_lies_within_the_jurisdiction(
    client_for: Callable[[str], Client], watched: None, persona: str, counts: tuple[int, ...]
) -> None:
    response = client_for(persona).get("/")
    dashboard = response.context["dashboard"]
    assert (
        dashboard.regions,
        dashboard.agencies,
        dashboard.subjects,
        dashboard.elections,
    ) == counts
    html = response.content.decode()
    shown = dict(re.findall(r'data-stat="(\w+)"><span class="num">(\d+)</span>', html))
    expected = dict(
        zip(["regions", "agencies", "subjects", "elections"], map(str, counts), strict=True)
    )
    assert shown == ({} if persona == "bkpsdm_partner" else expected)


@pytest.mark.parametrize(
    ("persona", "jurisdiction"),
    [
        ("ri_admin", "Seluruh Indonesia"),
        ("malang_analyst", "35.07 Kabupaten Malang"),
        ("donomulyo_supervisor", "35.07.01 Donomulyo"),
        ("bkpsdm_partner", "Tidak ada"),
    ],
)
def test_home_names_the_office_and_jurisdiction(
    client_for: Callable[[str], Client],
    personas: dict[str, User | None],
    persona: str,
    jurisdiction: str,
) -> None:
    html = client_for(persona).get("/").content.decode()
    user = personas[persona]
    assert user is not None
    assert user.office is not None
    assert f'<dd class="jurisdiction">{jurisdiction}</dd>' in html
    assert f"<dd>{user.office.name}</dd>" in html
    assert f"Selamat datang, {user.full_name}" in html


def test_a_partner_is_told_where_their_material_is(client_for: Callable[[str], Client]) -> None:
    html = client_for("bkpsdm_partner").get("/").content.decode()
    assert "Sebagai mitra pokja, Anda melihat bahan yang dibagikan" in html
    assert "<dd>BKPSDM Kabupaten Malang</dd>" in html


def test_the_base_layout_is_in_indonesian(client_for: Callable[[str], Client]) -> None:
    html = client_for("ri_admin").get("/").content.decode()
    for text in (
        '<html lang="id">',
        "<title>Beranda · Netra</title>",
        "Langsung ke isi",
        "Pengawasan netralitas ASN, perangkat desa, TNI dan Polri",
        ">Keluar</button>",
        ">Data rujukan</a>",
        "Netra — perangkat lunak terbuka untuk pengawas pemilu.",
    ):
        assert text in html


def test_staff_see_the_law_catalogue_link_and_only_admin_users_the_admin(
    client_for: Callable[[str], Client],
) -> None:
    analyst = client_for("malang_analyst").get("/").content.decode()
    admin = client_for("ri_admin").get("/").content.decode()
    partner = client_for("bkpsdm_partner").get("/").content.decode()

    assert '<a href="/rujukan/">Data rujukan</a>' in analyst
    assert '<a href="/admin/">' not in analyst
    assert '<a href="/rujukan/">Data rujukan</a>' in admin
    assert '<a href="/admin/">Admin</a>' in admin
    assert "Data rujukan" not in partner
    assert '<a href="/admin/">' not in partner


def test_healthz_answers_without_login(db: None) -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_favicon_is_linked_and_answers_at_favicon_ico(db: None) -> None:
    html = Client().get("/akun/masuk/").content.decode()
    assert '<link rel="icon" href="/static/netra/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/netra/favicon.png" type="image/png" sizes="32x32">' in (
        html
    )
    ico = Client().get("/favicon.ico")
    assert (ico.status_code, ico.headers["Content-Type"]) == (200, "image/x-icon")
    expected = finders.find("netra/favicon.ico")
    assert isinstance(expected, str)
    assert ico.getvalue() == Path(expected).read_bytes()
    # With debug off, WhiteNoise serves the static files themselves (in development too).
    svg = Client().get("/static/netra/favicon.svg")
    assert (svg.status_code, svg.headers["Content-Type"]) == (200, "image/svg+xml")
    assert b"<title>Netra</title>" in svg.getvalue()
