"""The admin site: Indonesian, behind two-factor, regions read-only, events for superusers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import event_record
from netra.geo.models import Region
from netra.staff.models import Office, Role, User
from tests.conftest import PASSWORD
from tests.kinds import Kind

ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.mark.parametrize(
    ("persona", "status", "location"),
    [
        ("anonymous", 302, ADMIN_LOGIN),
        ("ri_admin", 200, None),
        # Logged in but not is_staff: Django's admin sends them to its login page.
        ("malang_analyst", 302, ADMIN_LOGIN),
        ("donomulyo_supervisor", 302, ADMIN_LOGIN),
        ("lumajang_analyst", 302, ADMIN_LOGIN),
        ("bkpsdm_partner", 302, ADMIN_LOGIN),
    ],
)
def test_admin_index_per_persona(
    client_for: Callable[[str], Client], persona: str, status: int, location: str | None
) -> None:
    response = client_for(persona).get("/admin/")
    assert (response.status_code, response.headers.get("Location")) == (status, location)


def test_the_admin_index_is_titled_in_indonesian(client_for: Callable[[str], Client]) -> None:
    html = client_for("ri_admin").get("/admin/").content.decode()
    for text in (
        '<html lang="id"',
        "Administrasi Netra",
        "Data rujukan dan akun staf",
        "Wilayah",
        "Kantor",
        "Pengguna",
    ):
        assert text in html


def test_the_admin_login_page_is_in_indonesian(db: None) -> None:
    html = Client().get("/admin/login/").content.decode()
    for text in (
        '<html lang="id"',
        "<title>Masuk | Administrasi Netra</title>",
        'value="Masuk"',
        ">Nama pengguna:</label>",
        ">Sandi:</label>",
    ):
        assert text in html


def test_a_staff_user_who_skipped_the_second_factor_cannot_open_the_admin(
    personas: dict[str, User | None],
) -> None:
    TOTPDevice.objects.create(user=personas["ri_admin"], name="hp", confirmed=True)
    client = Client()
    client.post("/admin/login/", {"username": "ri_admin", "password": PASSWORD})
    for path in ("/admin/", "/admin/staff/user/", "/admin/geo/region/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/akun/verifikasi/?next=")


def test_region_admin_searches_by_code_prefix_and_name(
    client_for: Callable[[str], Client], regions: dict[str, Region]
) -> None:
    client = client_for("ri_admin")

    def codes(query: str) -> list[str]:
        response = client.get(f"/admin/geo/region/?{query}")
        return [r.code for r in response.context["cl"].result_list]

    assert codes("q=35.07") == ["35.07", "35.07.01", "35.07.01.2001", "35.07.02", "35.07.02.2001"]
    assert codes("q=lumajang") == ["35.08"]
    assert codes("level__exact=district") == ["35.07.01", "35.07.02", "35.08.01", "35.73.01"]


def test_regions_cannot_be_added_or_deleted_and_codes_are_read_only(
    client_for: Callable[[str], Client], regions: dict[str, Region]
) -> None:
    client = client_for("ri_admin")
    assert client.get("/admin/geo/region/add/").status_code == 403
    assert client.get("/admin/geo/region/35.07/delete/").status_code == 403
    form = client.get("/admin/geo/region/35.07/change/").context["adminform"].form
    assert list(form.fields) == ["name"]


def test_a_superuser_may_correct_a_region_name(
    client_for: Callable[[str], Client], regions: dict[str, Region]
) -> None:
    response = client_for("ri_admin").post(
        "/admin/geo/region/35.07/change/", {"name": "Kabupaten Malang (Jawa Timur)"}
    )
    assert response.status_code == 302
    region = Region.objects.get(code="35.07")
    assert (region.name, region.level, region.parent_id) == (
        "Kabupaten Malang (Jawa Timur)",
        "regency",
        "35",
    )


def test_the_event_log_is_for_superusers_only(
    client_for: Callable[[str], Client], offices: dict[str, Office]
) -> None:
    event_record(kind=Kind.SOMETHING, params={"a": 1})
    staff = User.objects.create_user(
        username="admin_malang",
        password=PASSWORD,
        office=offices["malang"],
        role=Role.ADMIN,
        is_staff=True,
    )
    staff_client = Client()
    staff_client.force_login(staff)
    device = TOTPDevice.objects.create(user=staff, name="uji", confirmed=True)
    session = staff_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert staff_client.get("/admin/core/event/").status_code == 403
    superuser_page = client_for("ri_admin").get("/admin/core/event/")
    assert superuser_page.status_code == 200
    assert [e.kind for e in superuser_page.context["cl"].result_list] == ["uji.sesuatu"]
