from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from netra.core.models import Event
from netra.geo.models import Region
from netra.staff.models import Office, OfficeLevel, Role, User
from netra.staff.services import office_create, staff_role_change, staff_user_create

NEW_PASSWORD = "kopi-tubruk-pagi-hari"


def _events(kind: str) -> list[tuple[str, dict[str, object], int | None]]:
    return [(e.kind, e.params, e.actor_id) for e in Event.objects.filter(kind=kind)]


def test_office_create_stores_an_office_at_a_region_of_its_level(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    admin = personas["ri_admin"]
    assert admin is not None
    office = office_create(
        name="Panwaslu Kecamatan Pagak",
        level=OfficeLevel.DISTRICT,
        region=regions["35.07.02"],
        actor=admin,
    )
    office.refresh_from_db()
    assert (office.name, office.level, office.region_id) == (
        "Panwaslu Kecamatan Pagak",
        "district",
        "35.07.02",
    )
    assert _events("staff.office_created") == [
        (
            "staff.office_created",
            {"name": "Panwaslu Kecamatan Pagak", "level": "district", "region": "35.07.02"},
            admin.pk,
        )
    ]


def test_office_create_refuses_a_region_of_another_level_in_indonesian(
    regions: dict[str, Region],
) -> None:
    with pytest.raises(ValidationError) as exc:
        office_create(
            name="Bawaslu Donomulyo",
            level=OfficeLevel.REGENCY,
            region=regions["35.07.01"],
            actor=None,
        )
    assert exc.value.message_dict == {
        "region": [
            "Kantor tingkat Bawaslu Kabupaten/Kota harus berada di wilayah tingkat "
            "Kabupaten/Kota, bukan Kecamatan (35.07.01 Donomulyo)."
        ]
    }
    assert (Office.objects.count(), Event.objects.count()) == (0, 0)


def test_office_create_refuses_a_regional_office_without_region_and_a_second_ri(
    offices: dict[str, Office],
) -> None:
    with pytest.raises(ValidationError) as no_region:
        office_create(name="Bawaslu Jatim", level=OfficeLevel.PROVINCE, region=None, actor=None)
    with pytest.raises(ValidationError) as second_ri:
        office_create(name="Bawaslu RI kedua", level=OfficeLevel.RI, region=None, actor=None)
    assert no_region.value.messages == [
        "Bawaslu RI tidak memiliki wilayah; kantor tingkat lain wajib memiliki wilayah."
    ]
    assert second_ri.value.messages == ["Kantor Bawaslu RI sudah ada; hanya boleh ada satu."]
    assert Office.objects.count() == 4


def test_office_create_refuses_an_actor_outside_the_region(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    lumajang_admin = personas["lumajang_analyst"]
    assert lumajang_admin is not None
    lumajang_admin.role = Role.ADMIN
    lumajang_admin.save()
    with pytest.raises(PermissionDenied):
        office_create(
            name="Panwaslu Kecamatan Pagak",
            level=OfficeLevel.DISTRICT,
            region=regions["35.07.02"],
            actor=lumajang_admin,
        )
    assert not Office.objects.filter(region_id="35.07.02").exists()


def test_staff_user_create_hashes_with_argon2_and_never_logs_the_password(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    admin = personas["ri_admin"]
    user = staff_user_create(
        username="sari_analis",
        password=NEW_PASSWORD,
        full_name="Sari Wulandari",
        office=offices["malang"],
        role=Role.ANALYST,
        email="sari@contoh.test",
        actor=admin,
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(NEW_PASSWORD)
    assert (user.full_name, user.office, user.role, user.is_active) == (
        "Sari Wulandari",
        offices["malang"],
        "analyst",
        True,
    )
    event = Event.objects.get(kind="staff.user_created")
    assert event.params == {
        "username": "sari_analis",
        "office": offices["malang"].pk,
        "role": "analyst",
        "is_staff": False,
        "is_superuser": False,
    }
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert NEW_PASSWORD not in str(event.params)


def test_only_a_superuser_or_the_system_may_create_a_superuser(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    admin = personas["ri_admin"]
    assert admin is not None
    User.objects.filter(pk=admin.pk).update(is_superuser=False)
    admin.refresh_from_db()
    with pytest.raises(PermissionDenied):
        staff_user_create(
            username="calon_super",
            password=NEW_PASSWORD,
            full_name="Calon Super",
            office=offices["ri"],
            role=Role.ADMIN,
            is_superuser=True,
            actor=admin,
        )
    assert not User.objects.filter(username="calon_super").exists()
    made = staff_user_create(
        username="calon_super",
        password=NEW_PASSWORD,
        full_name="Calon Super",
        office=offices["ri"],
        role=Role.ADMIN,
        is_superuser=True,
        actor=None,
    )
    assert (made.is_staff, made.is_superuser) == (True, True)


def test_staff_user_create_refuses_a_weak_password_and_creates_nothing(
    offices: dict[str, Office],
) -> None:
    with pytest.raises(ValidationError) as exc:
        staff_user_create(
            username="budi",
            password="12345678",
            full_name="Budi",
            office=offices["malang"],
            role=Role.ANALYST,
            actor=None,
        )
    assert list(exc.value.message_dict) == ["password"]
    assert len(exc.value.message_dict["password"]) == 3  # too short, too common, all digits
    assert (User.objects.filter(username="budi").exists(), Event.objects.count()) == (False, 0)


def test_staff_user_create_requires_an_organisation_for_a_partner(
    offices: dict[str, Office],
) -> None:
    with pytest.raises(ValidationError) as exc:
        staff_user_create(
            username="wartawan",
            password=NEW_PASSWORD,
            full_name="Rina Jurnalis",
            office=offices["malang"],
            role=Role.PARTNER,
            actor=None,
        )
    assert exc.value.message_dict == {
        "organisation": ["Mitra pokja wajib mencantumkan organisasinya."]
    }
    assert not User.objects.filter(username="wartawan").exists()


def test_a_regional_admin_creates_staff_below_but_not_beside_their_office(
    offices: dict[str, Office],
) -> None:
    malang_admin = staff_user_create(
        username="admin_malang",
        password=NEW_PASSWORD,
        full_name="Admin Malang",
        office=offices["malang"],
        role=Role.ADMIN,
        actor=None,
    )
    below = staff_user_create(
        username="pengawas_baru",
        password=NEW_PASSWORD,
        full_name="Pengawas Baru",
        office=offices["donomulyo"],
        role=Role.FIELD_SUPERVISOR,
        actor=malang_admin,
    )
    with pytest.raises(PermissionDenied):
        staff_user_create(
            username="analis_lumajang_baru",
            password=NEW_PASSWORD,
            full_name="Analis",
            office=offices["lumajang"],
            role=Role.ANALYST,
            actor=malang_admin,
        )
    assert below.office == offices["donomulyo"]
    assert not User.objects.filter(username="analis_lumajang_baru").exists()


def test_an_analyst_may_not_create_staff(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    with pytest.raises(PermissionDenied):
        staff_user_create(
            username="teman",
            password=NEW_PASSWORD,
            full_name="Teman",
            office=offices["malang"],
            role=Role.ANALYST,
            actor=personas["malang_analyst"],
        )
    assert not User.objects.filter(username="teman").exists()


def test_staff_role_change_updates_the_role_and_records_from_and_to(
    personas: dict[str, User | None],
) -> None:
    admin, supervisor = personas["ri_admin"], personas["donomulyo_supervisor"]
    assert admin is not None
    assert supervisor is not None
    changed = staff_role_change(user=supervisor, role=Role.ANALYST, actor=admin)
    assert User.objects.get(pk=supervisor.pk).role == changed.role == "analyst"
    assert _events("staff.role_changed") == [
        ("staff.role_changed", {"from": "field_supervisor", "to": "analyst"}, admin.pk)
    ]


def test_staff_role_change_refuses_a_stale_role_and_changes_nothing(
    personas: dict[str, User | None],
) -> None:
    supervisor = personas["donomulyo_supervisor"]
    assert supervisor is not None
    # Another admin already made them an analyst; this caller still sees a supervisor.
    User.objects.filter(pk=supervisor.pk).update(role=Role.ANALYST)
    with pytest.raises(ValidationError) as exc:
        staff_role_change(user=supervisor, role=Role.COMMISSIONER, actor=None)
    assert exc.value.message_dict == {
        "role": ["Peran pengguna ini baru saja diubah orang lain; muat ulang halaman."]
    }
    assert User.objects.get(pk=supervisor.pk).role == "analyst"
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        ("bos_besar", "role", "Nilai 'bos_besar' bukan pilihan yang valid."),
        (Role.FIELD_SUPERVISOR, "role", "Pengguna ini sudah berperan Pengawas lapangan."),
        (Role.PARTNER, "organisation", "Mitra pokja wajib mencantumkan organisasinya."),
    ],
)
def test_staff_role_change_refuses_invalid_roles(
    personas: dict[str, User | None], role: str, field: str, message: str
) -> None:
    supervisor = personas["donomulyo_supervisor"]
    assert supervisor is not None
    with pytest.raises(ValidationError) as exc:
        staff_role_change(user=supervisor, role=role, actor=None)
    assert exc.value.message_dict == {field: [message]}
    assert User.objects.get(pk=supervisor.pk).role == "field_supervisor"


def test_staff_role_change_by_an_outsider_is_refused(personas: dict[str, User | None]) -> None:
    supervisor = personas["donomulyo_supervisor"]
    assert supervisor is not None
    with pytest.raises(PermissionDenied):
        staff_role_change(user=supervisor, role=Role.ADMIN, actor=personas["lumajang_analyst"])
    assert User.objects.get(pk=supervisor.pk).role == "field_supervisor"
