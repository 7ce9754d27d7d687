"""The admin of offices and staff accounts: Indonesian, scoped, and recording Events."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.models import Event
from netra.staff.models import Office, Role, User
from tests.conftest import PASSWORD


def _regional_admin(offices: dict[str, Office]) -> Client:
    """An is_staff admin of Bawaslu Kabupaten Malang with the user and office permissions."""
    user = User.objects.create_user(
        username="admin_malang",
        password=PASSWORD,
        full_name="Admin Malang",
        office=offices["malang"],
        role=Role.ADMIN,
        is_staff=True,
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="staff",
            codename__in=["view_user", "change_user", "add_user", "view_office"],
        )
    )
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_the_user_list_shows_role_office_and_filters_in_indonesian(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("ri_admin").get("/admin/staff/user/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Pilih pengguna untuk diubah",
        "Berdasarkan peran",
        "Berdasarkan tingkat kantor",
        "Mitra pokja",
        "Panwaslu Kecamatan",
    ):
        assert text in html
    assert response.context["cl"].result_count == 5


def test_the_admin_filters_users_by_office_level(client_for: Callable[[str], Client]) -> None:
    response = client_for("ri_admin").get("/admin/staff/user/?tingkat_kantor=district")
    assert [u.username for u in response.context["cl"].result_list] == ["donomulyo_supervisor"]


def test_creating_a_user_in_the_admin_hashes_with_argon2_and_records_an_event(
    client_for: Callable[[str], Client],
    offices: dict[str, Office],
    personas: dict[str, User | None],
) -> None:
    response = client_for("ri_admin").post(
        "/admin/staff/user/add/",
        {
            "username": "dewi_komisioner",
            "full_name": "Dewi Lestari",
            "email": "",
            "office": offices["malang"].pk,
            "role": Role.COMMISSIONER,
            "organisation": "",
            "usable_password": "true",
            "password1": "teh-manis-hangat-sekali",
            "password2": "teh-manis-hangat-sekali",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="dewi_komisioner")
    assert user.password.startswith("argon2$argon2id$")
    assert (user.office, user.role) == (offices["malang"], "commissioner")
    event = Event.objects.get(kind="staff.user_created")
    assert (event.actor, event.params) == (
        personas["ri_admin"],
        {"username": "dewi_komisioner", "office": offices["malang"].pk, "role": "commissioner"},
    )


def test_the_admin_refuses_a_role_without_office_in_indonesian(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("ri_admin").post(
        "/admin/staff/user/add/",
        {
            "username": "tanpa_kantor",
            "full_name": "Tanpa Kantor",
            "role": Role.ANALYST,
            "usable_password": "true",
            "password1": "teh-manis-hangat-sekali",
            "password2": "teh-manis-hangat-sekali",
        },
    )
    assert response.status_code == 200
    assert "Pilih kantor untuk pengguna dengan peran Analis." in response.content.decode()
    assert not User.objects.filter(username="tanpa_kantor").exists()


def test_changing_a_role_in_the_admin_records_from_and_to(
    client_for: Callable[[str], Client], personas: dict[str, User | None]
) -> None:
    supervisor = personas["donomulyo_supervisor"]
    assert supervisor is not None
    client = client_for("ri_admin")
    form = client.get(f"/admin/staff/user/{supervisor.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "role": Role.ANALYST,
            "office": supervisor.office_id,
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-02",
            "date_joined_1": "08:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    response = client.post(f"/admin/staff/user/{supervisor.pk}/change/", data)
    assert response.status_code == 302
    assert list(Event.objects.values_list("kind", "params")) == [
        ("staff.role_changed", {"from": "field_supervisor", "to": "analyst"})
    ]


def test_the_office_admin_refuses_a_region_of_another_level(
    client_for: Callable[[str], Client], regions: dict[str, object]
) -> None:
    response = client_for("ri_admin").post(
        "/admin/staff/office/add/",
        {"name": "Bawaslu Pagak", "level": "regency", "region": "35.07.02"},
    )
    assert response.status_code == 200
    assert "harus berada di wilayah tingkat Kabupaten/Kota, bukan Kecamatan" in (
        response.content.decode()
    )
    assert not Office.objects.filter(name="Bawaslu Pagak").exists()


def test_the_office_admin_creates_an_office_and_records_it(
    client_for: Callable[[str], Client], offices: dict[str, Office]
) -> None:
    response = client_for("ri_admin").post(
        "/admin/staff/office/add/",
        {"name": "Panwaslu Kecamatan Pagak", "level": "district", "region": "35.07.02"},
    )
    assert response.status_code == 302
    assert list(Event.objects.values_list("kind", "params")) == [
        (
            "staff.office_created",
            {"name": "Panwaslu Kecamatan Pagak", "level": "district", "region": "35.07.02"},
        )
    ]


def test_a_regional_admin_sees_and_assigns_only_their_own_offices(
    personas: dict[str, User | None], offices: dict[str, Office]
) -> None:
    client = _regional_admin(offices)
    users = client.get("/admin/staff/user/").context["cl"].result_list
    assert sorted(u.username for u in users) == [
        "admin_malang",
        "bkpsdm_partner",
        "donomulyo_supervisor",
        "malang_analyst",
    ]
    lumajang = personas["lumajang_analyst"]
    assert lumajang is not None
    assert client.get(f"/admin/staff/user/{lumajang.pk}/change/").status_code == 302
    add_form = client.get("/admin/staff/user/add/").context["adminform"].form
    assert sorted(o.name for o in add_form.fields["office"].queryset) == [
        "Bawaslu Kabupaten Malang",
        "Panwaslu Kecamatan Donomulyo",
    ]


def test_a_regional_admin_cannot_grant_superuser_status(
    personas: dict[str, User | None], offices: dict[str, Office]
) -> None:
    client = _regional_admin(offices)
    analyst = personas["malang_analyst"]
    assert analyst is not None
    page = client.get(f"/admin/staff/user/{analyst.pk}/change/")
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
