from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from netra.core.events import event_record
from netra.core.models import Event
from netra.geo.models import Region
from netra.registry.models import Subject, SubjectKind
from netra.staff.access import (
    NO_ACCESS,
    access_office_for_user,
    scope_to_user,
    user_covers,
    user_jurisdiction,
)
from netra.staff.models import Office, Role, User
from tests.kinds import Kind

ALL_CODES = [
    "35",
    "35.07",
    "35.07.01",
    "35.07.01.2001",
    "35.07.02",
    "35.07.02.2001",
    "35.08",
    "35.08.01",
    "35.73",
    "35.73.01",
]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ri_admin", None),
        ("malang_analyst", "35.07"),
        ("donomulyo_supervisor", "35.07.01"),
        ("lumajang_analyst", "35.08"),
        # Partners are outsiders: no raw rows through jurisdiction (see access.py).
        ("bkpsdm_partner", NO_ACCESS),
        ("anonymous", NO_ACCESS),
    ],
)
def test_user_jurisdiction_of_each_persona(
    personas: dict[str, User | None], persona: str, expected: object
) -> None:
    user = personas[persona] or AnonymousUser()
    assert user_jurisdiction(user) == expected


@pytest.mark.parametrize(
    ("persona", "covered"),
    [
        ("ri_admin", ALL_CODES),
        ("malang_analyst", ["35.07", "35.07.01", "35.07.01.2001", "35.07.02", "35.07.02.2001"]),
        ("donomulyo_supervisor", ["35.07.01", "35.07.01.2001"]),
        ("lumajang_analyst", ["35.08", "35.08.01"]),
        ("bkpsdm_partner", []),
        ("anonymous", []),
    ],
)
def test_user_covers_exactly_the_codes_below_the_office(
    personas: dict[str, User | None], persona: str, covered: list[str]
) -> None:
    user = personas[persona]
    assert [code for code in ALL_CODES if user_covers(user, code)] == covered


def test_a_regency_office_never_covers_a_code_that_only_shares_its_digits(
    personas: dict[str, User | None],
) -> None:
    analyst = personas["malang_analyst"]
    # 35.073 is not a real code, but a string prefix test would wrongly accept it.
    assert (user_covers(analyst, "35.073"), user_covers(analyst, "35.73.01")) == (False, False)


def test_only_national_users_cover_national_objects(personas: dict[str, User | None]) -> None:
    assert {name: user_covers(user, None) for name, user in personas.items()} == {
        "ri_admin": True,
        "malang_analyst": False,
        "donomulyo_supervisor": False,
        "lumajang_analyst": False,
        "bkpsdm_partner": False,
        "anonymous": False,
    }


def test_users_without_office_or_role_or_active_flag_have_no_jurisdiction(
    offices: dict[str, Office],
) -> None:
    no_role = User.objects.create_user(username="tanpa_peran", office=offices["malang"])
    no_office = User.objects.create_user(username="tanpa_kantor")
    inactive = User.objects.create_user(
        username="nonaktif", office=offices["malang"], role=Role.ANALYST, is_active=False
    )
    assert [user_jurisdiction(u) for u in (no_role, no_office, inactive)] == [NO_ACCESS] * 3


def test_a_superuser_is_national_even_without_office(db: None) -> None:
    root = User.objects.create_superuser(username="akar", password="sandi-uji-yang-panjang")
    assert user_jurisdiction(root) is None


def test_no_access_cannot_be_mistaken_for_national_in_a_truth_test() -> None:
    with pytest.raises(TypeError):
        bool(NO_ACCESS)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ri_admin", ALL_CODES),
        ("malang_analyst", ["35.07", "35.07.01", "35.07.01.2001", "35.07.02", "35.07.02.2001"]),
        ("donomulyo_supervisor", ["35.07.01", "35.07.01.2001"]),
        ("lumajang_analyst", ["35.08", "35.08.01"]),
        ("bkpsdm_partner", []),
        ("anonymous", []),
    ],
)
def test_scope_to_user_keeps_the_rows_within_jurisdiction(
    regions: dict[str, Region], personas: dict[str, User | None], persona: str, expected: list[str]
) -> None:
    user = personas[persona] or AnonymousUser()
    scoped = scope_to_user(Region.objects.order_by("code"), user, "code")
    assert list(scoped.values_list("code", flat=True)) == expected


def test_scope_to_user_follows_a_relation_path(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    scoped = scope_to_user(
        User.objects.order_by("username"), personas["malang_analyst"], "office__region_id"
    )
    assert list(scoped.values_list("username", flat=True)) == [
        "bkpsdm_partner",
        "donomulyo_supervisor",
        "malang_analyst",
    ]


@pytest.mark.parametrize("field", ["workplace_id", "workplace", "workplace__code"])
def test_scope_to_user_accepts_a_key_column_a_relation_or_a_code_path(
    regions: dict[str, Region], personas: dict[str, User | None], field: str
) -> None:
    for name, code in [("Agus Fiktif", "35.07.01.2001"), ("Citra Fiktif", "35.08.01")]:
        Subject.objects.create(kind=SubjectKind.PNS, full_name=name, workplace=regions[code])
    scoped = scope_to_user(Subject.objects.all(), personas["malang_analyst"], field)
    assert list(scoped.values_list("full_name", flat=True)) == ["Agus Fiktif"]


def test_scope_to_user_filters_a_plain_text_code_field_by_prefix(
    regions: dict[str, Region], personas: dict[str, User | None]
) -> None:
    for code in ("35.07.01", "35.08", "35.073"):
        event_record(kind=Kind.REGION, params={"code": code}, subject=regions.get(code))
    Event.objects.filter(params__code="35.073").update(subject_id="35.073")
    scoped = scope_to_user(Event.objects.order_by("id"), personas["malang_analyst"], "subject_id")
    assert list(scoped.values_list("subject_id", flat=True)) == ["35.07.01"]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("ri_admin", ["donomulyo", "lumajang", "malang", "ri"]),
        ("malang_analyst", ["donomulyo", "malang"]),
        ("donomulyo_supervisor", ["donomulyo"]),
        ("lumajang_analyst", ["lumajang"]),
        ("bkpsdm_partner", []),
        ("anonymous", []),
    ],
)
def test_access_office_for_user_answers_404_outside_jurisdiction(
    offices: dict[str, Office], personas: dict[str, User | None], persona: str, visible: list[str]
) -> None:
    user = personas[persona] or AnonymousUser()
    seen = []
    for key, office in sorted(offices.items()):
        try:
            assert access_office_for_user(user, office.pk) == office
            seen.append(key)
        except Http404:
            pass
    assert seen == visible


def test_access_office_for_user_answers_the_same_404_for_a_missing_office(
    offices: dict[str, Office], personas: dict[str, User | None]
) -> None:
    missing = max(o.pk for o in offices.values()) + 1
    with pytest.raises(Http404) as missing_exc:
        access_office_for_user(personas["malang_analyst"], missing)
    with pytest.raises(Http404) as forbidden_exc:
        access_office_for_user(personas["malang_analyst"], offices["lumajang"].pk)
    with pytest.raises(Http404):
        access_office_for_user(personas["ri_admin"], "bukan-angka")
    assert str(missing_exc.value) == str(forbidden_exc.value) == "no such office"
