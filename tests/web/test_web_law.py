"""The law catalogue page (Data rujukan): who may read it, and what it shows."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from netra.law.services import law_load
from netra.staff.models import Office, Role, User
from tests.conftest import client_logged_in

URL = "/rujukan/"


@pytest.fixture
def loaded(db: None) -> None:
    law_load()


def _rows(html: str, table: str) -> list[tuple[str, str]]:
    """(data-code or data-step, period class) of each row of the table ``table``."""
    body = html.split(f'data-table="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-(?:code|step)="([^"]+)" class="(\w+)">', body)


@pytest.mark.parametrize(
    ("persona", "status", "location"),
    [
        ("anonymous", 302, "/akun/masuk/?next=/rujukan/"),
        ("ri_admin", 200, None),
        ("malang_analyst", 200, None),
        ("donomulyo_supervisor", 200, None),
        ("lumajang_analyst", 200, None),
        ("bkpsdm_partner", 403, None),
    ],
)
def test_the_law_catalogue_per_persona(
    client_for: Callable[[str], Client], persona: str, status: int, location: str | None
) -> None:
    response = client_for(persona).get(URL)
    assert (response.status_code, response.headers.get("Location")) == (status, location)


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.COMMISSIONER, Role.IDENTITY_CUSTODIAN, Role.FIELD_SUPERVISOR]
)
def test_every_staff_role_of_a_regency_office_reads_the_catalogue(
    offices: dict[str, Office], role: Role
) -> None:
    user = User.objects.create_user(
        username=f"malang_{role}", password="x", office=offices["malang"], role=role
    )
    client = client_logged_in(user)

    response = client.get(URL)

    assert response.status_code == 200
    assert f'<a href="{URL}">Data rujukan</a>' in response.content.decode()


def test_a_user_without_office_may_not_read_it(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user(username="tanpa_kantor", password="x"))
    assert client.get(URL).status_code == 403


@pytest.mark.usefixtures("loaded")
def test_it_lists_the_violation_catalogue_with_both_tracks(
    client_for: Callable[[str], Client],
) -> None:
    html = client_for("malang_analyst").get(URL).content.decode()

    assert _rows(html, "violations") == [(f"N{i:02d}", "in_force") for i in range(1, 14)]
    n06 = html.split('<tr data-code="N06"', 1)[1].split("</tr>", 1)[0]
    assert "Ikut dalam kegiatan kampanye, sosialisasi atau pengenalan bakal calon/calon." in n06
    assert '<td data-label="Sanksi etik">Sanksi moral</td>' in n06
    assert '<td data-label="Sanksi disiplin">Hukuman disiplin sedang</td>' in n06
    assert "⚠ belum terkonfirmasi" in n06
    assert "sejak 22 September 2022" in n06
    n09 = html.split('<tr data-code="N09"', 1)[1].split("</tr>", 1)[0]
    assert '<td data-label="Sanksi etik">—</td>' in n09
    assert "Pemberhentian tidak dengan hormat (PTDH)" in n09
    assert "belum terkonfirmasi" not in n09


@pytest.mark.usefixtures("loaded")
def test_it_lists_sanction_levels_with_their_measures(
    client_for: Callable[[str], Client],
) -> None:
    html = client_for("donomulyo_supervisor").get(URL).content.decode()

    assert _rows(html, "sanctions") == [
        ("moral", "in_force"),
        ("light", "in_force"),
        ("medium", "in_force"),
        ("heavy", "in_force"),
        ("ptdh", "in_force"),
    ]
    heavy = html.split('<tr data-code="heavy"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<li data-code="([\w-]+)">', heavy) == [
        "heavy-demotion-12m",
        "heavy-release-to-executor-12m",
        "heavy-honourable-dismissal",
        "heavy-pppk-termination",
    ]
    # The PPPK measure has a regulation of its own.
    assert "PP Nomor 49 Tahun 2018, sejak 31 Agustus 2021" in heavy


@pytest.mark.usefixtures("loaded")
def test_it_lists_deadlines_per_regime_in_their_units(
    client_for: Callable[[str], Client],
) -> None:
    html = client_for("malang_analyst").get(URL).content.decode()

    assert [step for step, _ in _rows(html, "deadlines-pilkada")] == [
        "file_report",
        "temuan_plenary",
        "initial_review",
        "handling",
        "handling_extension",
        "ppk_decision",
    ]
    for regime, unit in (("pemilu", "hari kerja"), ("pilkada", "hari kalender")):
        table = html.split(f'data-table="deadlines-{regime}"', 1)[1].split("</table>", 1)[0]
        file_report = table.split('data-step="file_report"', 1)[1].split("</tr>", 1)[0]
        assert f'class="deadline">7 {unit}</td>' in file_report
    assert '<h3 id="tenggat-pilkada">Pemilihan (Pilkada)</h3>' in html


@pytest.mark.parametrize(
    ("query", "shown", "recipients"),
    [
        # KASN took ASN neutrality cases until 22 August 2024, BKN from the 23rd.
        ("?tanggal=2024-08-22", "22 Agustus 2024", [("bkn", "future"), ("kasn", "in_force")]),
        ("?tanggal=2024-08-23", "23 Agustus 2024", [("bkn", "in_force"), ("kasn", "ended")]),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_the_date_picks_which_versions_are_in_force(
    client_for: Callable[[str], Client],
    query: str,
    shown: str,
    recipients: list[tuple[str, str]],
) -> None:
    html = client_for("lumajang_analyst").get(URL + query).content.decode()

    assert f"Status berlaku per <strong>{shown}</strong>." in html
    assert [row for row in _rows(html, "recipients") if row[0] in {"kasn", "bkn"}] == recipients
    bkn = html.split('<tr data-code="bkn"', 1)[1].split("</tr>", 1)[0]
    assert "Tembusan: Kementerian Dalam Negeri (untuk ASN instansi daerah)" in bkn
    assert "⚠ belum terkonfirmasi" in bkn
    kasn = html.split('<tr data-code="kasn"', 1)[1].split("</tr>", 1)[0]
    assert "15 Januari 2014 s.d. 22 Agustus 2024" in kasn


@pytest.mark.usefixtures("loaded")
def test_form_codes_show_the_replaced_temuan_form_as_ended(
    client_for: Callable[[str], Client],
) -> None:
    html = client_for("malang_analyst").get(URL + "?tanggal=2024-11-27").content.decode()

    assert _rows(html, "forms") == [
        ("B.1", "in_force"),
        ("A.1", "in_force"),
        ("A", "in_force"),
        ("B.2", "ended"),
    ]


@pytest.mark.usefixtures("loaded")
def test_a_date_that_does_not_parse_is_named_and_today_is_used(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("malang_analyst").get(URL + "?tanggal=27-13-2024x")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="error">Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-11-27.</p>' in html
    assert response.context["catalogue"].on == timezone.localdate()


def test_an_empty_catalogue_says_how_to_load_it(client_for: Callable[[str], Client]) -> None:
    html = client_for("malang_analyst").get(URL).content.decode()
    assert "Belum ada data regulasi. Muat dengan perintah: netra law load" in html
