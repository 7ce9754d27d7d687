"""Role predicates, the jurisdiction predicate and who must pass two-factor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from netra.geo.models import Region
from netra.staff.models import Office, Role, User
from netra.staff.rules import (
    enters_findings,
    handles_data,
    has_jurisdiction,
    is_admin,
    is_analyst_or_above,
    is_in_jurisdiction,
    is_partner,
    is_supervisor_or_above,
    region_code_of,
)


@pytest.mark.parametrize(
    ("role", "is_staff", "expected"),
    [
        (Role.ADMIN, False, True),
        (Role.COMMISSIONER, False, True),
        (Role.ANALYST, False, True),
        (Role.IDENTITY_CUSTODIAN, False, True),
        (Role.FIELD_SUPERVISOR, False, False),
        (Role.PARTNER, False, False),
        # Anyone who may open the admin passes two-factor, whatever the role.
        (Role.FIELD_SUPERVISOR, True, True),
    ],
)
def test_two_factor_is_required_above_field_supervisor_and_for_admin_users(
    role: Role, is_staff: bool, expected: bool
) -> None:
    assert User(role=role, is_staff=is_staff).requires_two_factor is expected


def test_superusers_must_pass_two_factor() -> None:
    assert User(is_superuser=True).requires_two_factor is True


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ri_admin", (True, True, True, False, True)),
        ("malang_analyst", (False, True, True, False, True)),
        ("donomulyo_supervisor", (False, False, True, False, True)),
        ("lumajang_analyst", (False, True, True, False, True)),
        ("bkpsdm_partner", (False, False, False, True, False)),
        ("anonymous", (False, False, False, False, False)),
    ],
)
def test_role_predicates_per_persona(
    personas: dict[str, User | None], persona: str, expected: tuple[bool, ...]
) -> None:
    user = personas[persona] or AnonymousUser()
    assert (
        is_admin(user),
        is_analyst_or_above(user),
        is_supervisor_or_above(user),
        is_partner(user),
        has_jurisdiction(user),
    ) == expected


def test_an_inactive_admin_has_no_role(personas: dict[str, User | None]) -> None:
    admin = personas["ri_admin"]
    assert admin is not None
    admin.is_active = False
    assert (is_admin(admin), has_jurisdiction(admin)) == (False, False)


def test_region_code_of_reads_codes_regions_offices_and_region_fields(
    regions: dict[str, Region], offices: dict[str, Office]
) -> None:
    assert [
        region_code_of("35.07"),
        region_code_of(regions["35.08"]),
        region_code_of(offices["donomulyo"]),
        region_code_of(offices["ri"]),
        region_code_of(Office(region=regions["35.73"])),
        region_code_of(None),
    ] == ["35.07", "35.08", "35.07.01", None, "35.73", None]


def test_is_in_jurisdiction_matches_user_covers(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    analyst = personas["malang_analyst"]
    assert [
        is_in_jurisdiction(analyst, "35.07.01.2001"),
        is_in_jurisdiction(analyst, regions["35.73"]),
        is_in_jurisdiction(analyst, "35.08"),
        is_in_jurisdiction(analyst, None),
    ] == [True, False, False, False]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("ri_admin", ["donomulyo", "lumajang", "malang", "ri"]),
        ("malang_analyst", ["donomulyo", "malang"]),
        ("donomulyo_supervisor", ["donomulyo"]),
        ("lumajang_analyst", ["lumajang"]),
        ("bkpsdm_partner", []),
    ],
)
def test_view_office_permission_follows_jurisdiction(
    offices: dict[str, Office], personas: dict[str, User | None], persona: str, visible: list[str]
) -> None:
    user = personas[persona]
    assert user is not None
    assert [k for k, o in sorted(offices.items()) if user.has_perm("staff.view_office", o)] == (
        visible
    )
    assert user.has_perm("staff.view_office") is (persona != "bkpsdm_partner")


def test_manage_office_permission_needs_an_admin_over_the_office(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    malang_admin = User.objects.create_user(
        username="admin_malang", office=offices["malang"], role=Role.ADMIN
    )
    analyst = personas["malang_analyst"]
    assert analyst is not None
    assert [
        malang_admin.has_perm("staff.manage_office", offices["donomulyo"]),
        malang_admin.has_perm("staff.manage_office", offices["malang"]),
        malang_admin.has_perm("staff.manage_office", offices["lumajang"]),
        malang_admin.has_perm("staff.manage_office", offices["ri"]),
        analyst.has_perm("staff.manage_office", offices["donomulyo"]),
    ] == [True, True, False, False, False]


def test_an_office_must_sit_at_a_region_of_its_own_level(regions: dict[str, Region]) -> None:
    village = regions["35.07.01.2001"]
    office = Office(name="Panwaslu Kecamatan", level="district", region=village)
    with pytest.raises(ValidationError) as exc:
        office.full_clean()
    assert exc.value.message_dict == {
        "region": [
            "Kantor tingkat Panwaslu Kecamatan harus berada di wilayah tingkat Kecamatan, "
            f"bukan Kelurahan/Desa (35.07.01.2001 {village.name})."
        ]
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ri_admin", (True, True)),
        ("malang_analyst", (True, True)),
        ("donomulyo_supervisor", (False, True)),
        ("lumajang_analyst", (True, True)),
        ("bkpsdm_partner", (False, False)),
        ("anonymous", (False, False)),
    ],
)
def test_who_handles_data_and_who_enters_findings(
    personas: dict[str, User | None], persona: str, expected: tuple[bool, bool]
) -> None:
    user = personas[persona] or AnonymousUser()
    assert (bool(handles_data(user)), bool(enters_findings(user))) == expected


def test_a_commissioner_enters_findings_but_loads_no_data(offices: dict[str, Office]) -> None:
    commissioner = User.objects.create(
        username="komisioner", office=offices["malang"], role=Role.COMMISSIONER
    )
    assert (bool(handles_data(commissioner)), bool(enters_findings(commissioner))) == (False, True)
