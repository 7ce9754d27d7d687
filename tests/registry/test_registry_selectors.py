"""Subjects and agencies are listed only within the asking user's jurisdiction."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from netra.geo.models import Region
from netra.registry.models import Agency, Subject
from netra.registry.selectors import agencies_for_user, subjects_for_user
from netra.staff.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(regions: dict[str, Region]) -> dict[str, Subject]:
    province = Agency.objects.create(name="Dinas Pendidikan Provinsi Jawa Timur", region_id="35")
    regency = Agency.objects.create(name="Dinas Pendidikan Kabupaten Malang", region_id="35.07")
    lumajang = Agency.objects.create(name="Dinas Pendidikan Kabupaten Lumajang", region_id="35.08")
    city = Agency.objects.create(name="Dinas Pendidikan Kota Malang", region_id="35.73")

    def subject(name: str, workplace: str, agency: Agency) -> Subject:
        return Subject.objects.create(
            kind="pns", full_name=name, workplace_id=workplace, agency=agency
        )

    return {
        "village": subject("Ani Kedungsalam", "35.07.01.2001", regency),
        "district": subject("Budi Donomulyo", "35.07.01", regency),
        "other_district": subject("Citra Pagak", "35.07.02", regency),
        "regency": subject("Dodi Kepanjen", "35.07", regency),
        "province_teacher": subject("Eka SMA Malang", "35.07.02.2001", province),
        "lumajang": subject("Fajar Tempursari", "35.08.01", lumajang),
        "city": subject("Gita Blimbing", "35.73.01", city),
    }


EXPECTED_SUBJECTS = {
    "ri_admin": {
        "village",
        "district",
        "other_district",
        "regency",
        "province_teacher",
        "lumajang",
        "city",
    },
    "malang_analyst": {"village", "district", "other_district", "regency", "province_teacher"},
    "donomulyo_supervisor": {"village", "district"},
    "lumajang_analyst": {"lumajang"},
    # Pokja partners are outsiders: they get redacted, shared material elsewhere, never rows.
    "bkpsdm_partner": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize(("persona", "expected"), sorted(EXPECTED_SUBJECTS.items()))
def test_each_persona_sees_the_subjects_of_its_jurisdiction(
    personas: dict[str, User | None],
    registry: dict[str, Subject],
    persona: str,
    expected: set[str],
) -> None:
    names = {subject.pk: key for key, subject in registry.items()}

    seen = {names[s.pk] for s in subjects_for_user(personas[persona])}

    assert seen == expected


def test_a_malang_analyst_sees_neither_lumajang_nor_kota_malang(
    personas: dict[str, User | None], registry: dict[str, Subject]
) -> None:
    seen = set(subjects_for_user(personas["malang_analyst"]).values_list("workplace_id", flat=True))

    assert "35.08.01" not in seen
    assert "35.73.01" not in seen
    assert seen == {"35.07.01.2001", "35.07.01", "35.07.02", "35.07", "35.07.02.2001"}


def test_a_user_without_an_office_sees_nothing(registry: dict[str, Subject]) -> None:
    loner = User.objects.create_user(username="tanpa_kantor", password="sandi-uji-yang-panjang")

    assert list(subjects_for_user(loner)) == []
    assert list(agencies_for_user(loner)) == []
    assert list(subjects_for_user(AnonymousUser())) == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "ri_admin",
            [
                "Dinas Pendidikan Kabupaten Lumajang",
                "Dinas Pendidikan Kabupaten Malang",
                "Dinas Pendidikan Kota Malang",
                "Dinas Pendidikan Provinsi Jawa Timur",
            ],
        ),
        # The provincial agency is listed because one of its teachers works in Malang.
        (
            "malang_analyst",
            ["Dinas Pendidikan Kabupaten Malang", "Dinas Pendidikan Provinsi Jawa Timur"],
        ),
        ("donomulyo_supervisor", ["Dinas Pendidikan Kabupaten Malang"]),
        ("lumajang_analyst", ["Dinas Pendidikan Kabupaten Lumajang"]),
        ("bkpsdm_partner", []),
        ("anonymous", []),
    ],
)
def test_each_persona_sees_the_agencies_seated_or_working_in_its_jurisdiction(
    personas: dict[str, User | None],
    registry: dict[str, Subject],
    persona: str,
    expected: list[str],
) -> None:
    names = sorted(agencies_for_user(personas[persona]).values_list("name", flat=True))

    assert names == expected
