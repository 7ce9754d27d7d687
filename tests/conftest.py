"""Shared fixtures: a few real regions and the personas every access test runs over.

Personas (CONVENTIONS.md §15): a Bawaslu RI admin, a Kab. Malang analyst, a field
supervisor at Panwaslu Kecamatan Donomulyo (Kab. Malang), an analyst of another
regency (Kab. Lumajang), a BKPSDM partner and an anonymous visitor.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.geo.models import Level, Region
from netra.staff.models import Office, OfficeLevel, Role, User
from tests import lookup_guard

# Before any test runs a query: every lookup path netra code hands the ORM is checked
# (docs/conventions.md); ``_no_lookups_into_other_apps`` fails the test that made one.
lookup_guard.install()

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "sandi-uji-yang-panjang"


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine that lacks a real component; fail in CI, which must have it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, required in CI."""
    path = Path(settings.NETRA_SHARED_DIR) / "data" / relative
    require(path.exists(), f"{path} is not present")
    return path


REGIONS = [
    ("35", "Jawa Timur", Level.PROVINCE, None),
    ("35.07", "Kabupaten Malang", Level.REGENCY, "35"),
    ("35.07.01", "Donomulyo", Level.DISTRICT, "35.07"),
    ("35.07.01.2001", "Tulungrejo", Level.VILLAGE, "35.07.01"),
    ("35.07.02", "Pagak", Level.DISTRICT, "35.07"),
    ("35.07.02.2001", "Sumbermanjing Kulon", Level.VILLAGE, "35.07.02"),
    ("35.08", "Kabupaten Lumajang", Level.REGENCY, "35"),
    ("35.08.01", "Tempursari", Level.DISTRICT, "35.08"),
    ("35.73", "Kota Malang", Level.REGENCY, "35"),
    ("35.73.01", "Blimbing", Level.DISTRICT, "35.73"),
]


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    made: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        made[code] = Region.objects.create(
            code=code, name=name, level=level, parent=made[parent] if parent else None
        )
    return made


@pytest.fixture
def offices(regions: dict[str, Region]) -> dict[str, Office]:
    return {
        "ri": Office.objects.create(name="Bawaslu Republik Indonesia", level=OfficeLevel.RI),
        "malang": Office.objects.create(
            name="Bawaslu Kabupaten Malang", level=OfficeLevel.REGENCY, region=regions["35.07"]
        ),
        "donomulyo": Office.objects.create(
            name="Panwaslu Kecamatan Donomulyo",
            level=OfficeLevel.DISTRICT,
            region=regions["35.07.01"],
        ),
        "lumajang": Office.objects.create(
            name="Bawaslu Kabupaten Lumajang", level=OfficeLevel.REGENCY, region=regions["35.08"]
        ),
    }


@functools.cache
def _password_hash() -> str:
    """The personas' argon2 hash, computed once: argon2 is slow on purpose."""
    return make_password(PASSWORD, hasher="argon2")


def _user(username: str, office: Office, role: Role, **extra: object) -> User:
    user = User(
        username=username,
        password=_password_hash(),
        full_name=username.replace("_", " ").title(),
        office=office,
        role=role,
        **extra,
    )
    user.save()
    return user


@pytest.fixture
def personas(offices: dict[str, Office]) -> dict[str, User | None]:
    """Every persona by name; ``anonymous`` is None."""
    return {
        "ri_admin": _user("ri_admin", offices["ri"], Role.ADMIN, is_staff=True, is_superuser=True),
        "malang_analyst": _user("malang_analyst", offices["malang"], Role.ANALYST),
        "donomulyo_supervisor": _user(
            "donomulyo_supervisor", offices["donomulyo"], Role.FIELD_SUPERVISOR
        ),
        "lumajang_analyst": _user("lumajang_analyst", offices["lumajang"], Role.ANALYST),
        "bkpsdm_partner": _user(
            "bkpsdm_partner",
            offices["malang"],
            Role.PARTNER,
            organisation="BKPSDM Kabupaten Malang",
        ),
        "anonymous": None,
    }


def client_logged_in(user: User) -> Client:
    """A test client logged in as ``user``, past 2FA where the user needs it."""
    client = Client()
    client.force_login(user)
    if user.requires_two_factor:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(personas: dict[str, User | None]) -> Callable[[str], Client]:
    """A test client logged in as the named persona, past 2FA where the role needs it."""

    def make(name: str) -> Client:
        user = personas[name]
        return Client() if user is None else client_logged_in(user)

    return make


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process() -> None:
    """Unit tests run tasks in-process even where CI sets a broker; the broker test opts out."""
    from netra.config.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _no_lookups_into_other_apps() -> Iterator[None]:
    """Fail a test during which netra code looked up another app's fields by string
    (``election__region``); ``tests/lookup_guard.py`` says what counts."""
    lookup_guard.found.clear()
    yield
    found = sorted(set(lookup_guard.found))
    lookup_guard.found.clear()
    if found:
        pytest.fail(
            "lookups by string into another app's fields (use the owning app's selector "
            "as a subquery, docs/conventions.md):\n" + "\n".join(found),
            pytrace=False,
        )
