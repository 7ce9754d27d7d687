"""Login, lockout and the TOTP second step, through HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.models import Event
from netra.staff.models import User
from tests.conftest import PASSWORD

LOGIN = "/akun/masuk/"
VERIFY = "/akun/verifikasi/"
SETUP = "/akun/verifikasi/daftar/"
VERIFIED = ("ri_admin", "malang_analyst", "lumajang_analyst")
NOT_REQUIRED = ("donomulyo_supervisor", "bkpsdm_partner")


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=offset):06d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# --- one parametrised test per page over all personas (CONVENTIONS §16) -------------------


@pytest.mark.parametrize(
    ("persona", "status", "location"),
    [
        ("anonymous", 200, None),
        ("ri_admin", 302, "/"),
        ("malang_analyst", 302, "/"),
        ("donomulyo_supervisor", 302, "/"),
        ("lumajang_analyst", 302, "/"),
        ("bkpsdm_partner", 302, "/"),
    ],
)
def test_login_page_per_persona(
    client_for: Callable[[str], Client], persona: str, status: int, location: str | None
) -> None:
    response = client_for(persona).get(LOGIN)
    assert response.status_code == status
    assert response.headers.get("Location") == location


@pytest.mark.parametrize("page", [VERIFY, SETUP])
@pytest.mark.parametrize(
    ("persona", "location"),
    [
        ("anonymous", "login"),
        # Verified already, or not required: both pages send them on.
        ("ri_admin", "/"),
        ("malang_analyst", "/"),
        ("donomulyo_supervisor", "/"),
        ("lumajang_analyst", "/"),
        ("bkpsdm_partner", "/"),
    ],
)
def test_otp_pages_per_persona(
    client_for: Callable[[str], Client], page: str, persona: str, location: str
) -> None:
    response = client_for(persona).get(page)
    expected = f"{LOGIN}?next={page}" if location == "login" else location
    assert (response.status_code, response.headers["Location"]) == (302, expected)


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "ri_admin",
        "malang_analyst",
        "donomulyo_supervisor",
        "lumajang_analyst",
        "bkpsdm_partner",
    ],
)
def test_logout_per_persona(client_for: Callable[[str], Client], persona: str) -> None:
    client = client_for(persona)
    response = client.post("/akun/keluar/")
    assert (response.status_code, response.headers["Location"]) == (302, LOGIN)
    assert "_auth_user_id" not in client.session


# --- login --------------------------------------------------------------------------------


def test_the_login_page_is_in_indonesian(db: None) -> None:
    response = Client().get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ('<html lang="id">', "Masuk ke Netra", "Nama pengguna", "Kata sandi"):
        assert text in html


def test_a_wrong_password_shows_the_indonesian_error(personas: dict[str, User | None]) -> None:
    response = Client().post(LOGIN, {"username": "malang_analyst", "password": "salah-sekali"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_a_field_supervisor_lands_on_home_without_a_second_factor(
    personas: dict[str, User | None],
) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "donomulyo_supervisor", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert client.get("/").status_code == 200


def test_passwords_are_hashed_with_argon2(personas: dict[str, User | None]) -> None:
    for user in personas.values():
        if user is not None:
            user.refresh_from_db()
            assert user.password.startswith("argon2$argon2id$")


def test_a_login_redirect_never_leaves_the_site(personas: dict[str, User | None]) -> None:
    response = Client().post(
        LOGIN,
        {"username": "donomulyo_supervisor", "password": PASSWORD, "next": "https://jahat.test/"},
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_post_and_ends_the_session(client_for: Callable[[str], Client]) -> None:
    client = client_for("donomulyo_supervisor")
    assert client.get("/akun/keluar/").status_code == 405
    response = client.post("/akun/keluar/")
    assert (response.status_code, response.headers["Location"]) == (302, LOGIN)
    assert client.get("/").status_code == 302


# --- lockout (django-axes) ---------------------------------------------------------------


def test_after_five_bad_passwords_even_the_right_one_is_refused(
    personas: dict[str, User | None],
) -> None:
    client = Client()
    statuses = [
        client.post(LOGIN, {"username": "malang_analyst", "password": f"salah-{n}"}).status_code
        for n in range(5)
    ]
    locked = client.post(LOGIN, {"username": "malang_analyst", "password": PASSWORD})
    # The fifth failure reaches the limit and already answers with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Akun dikunci sementara" in html
    assert "Terlalu banyak percobaan masuk yang gagal." in html
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_another_user_from_the_same_address(
    personas: dict[str, User | None],
) -> None:
    client = Client()
    for n in range(5):
        client.post(LOGIN, {"username": "malang_analyst", "password": f"salah-{n}"})
    response = client.post(LOGIN, {"username": "donomulyo_supervisor", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_the_admin_login_is_locked_out_too(personas: dict[str, User | None]) -> None:
    client = Client()
    for n in range(5):
        client.post("/admin/login/", {"username": "ri_admin", "password": f"salah-{n}"})
    response = client.post("/admin/login/", {"username": "ri_admin", "password": PASSWORD})
    assert response.status_code == 429


# --- two-factor enforcement ---------------------------------------------------------------


def test_an_analyst_without_a_device_is_sent_to_setup_from_any_page(
    personas: dict[str, User | None],
) -> None:
    client = _password_login("malang_analyst")
    for path, expected_next in [("/", "%2F"), ("/admin/", "%2Fadmin%2F")]:
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (
            302,
            f"{SETUP}?next={expected_next}",
        )


def test_the_favicon_and_health_answer_before_the_second_factor(
    personas: dict[str, User | None],
) -> None:
    client = _password_login("malang_analyst")
    assert client.get("/favicon.ico").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_an_analyst_with_a_device_is_sent_to_verify(personas: dict[str, User | None]) -> None:
    TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    client = _password_login("malang_analyst")
    response = client.get("/?tab=a&b=c")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"{VERIFY}?next=%2F%3Ftab%3Da%26b%3Dc",
    )
    assert client.get(SETUP).headers["Location"] == f"{VERIFY}?next=%2F"


def test_an_htmx_request_gets_an_hx_redirect_to_the_second_factor(
    personas: dict[str, User | None],
) -> None:
    client = _password_login("malang_analyst")
    response = client.get("/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, f"{SETUP}?next=%2F")


def test_a_superuser_is_forced_through_the_second_factor(
    personas: dict[str, User | None],
) -> None:
    client = _password_login("ri_admin")
    assert client.get("/admin/").headers["Location"] == f"{SETUP}?next=%2Fadmin%2F"


@pytest.mark.parametrize("persona", ["donomulyo_supervisor", "bkpsdm_partner"])
def test_supervisors_and_partners_are_not_forced(
    personas: dict[str, User | None], persona: str
) -> None:
    client = _password_login(persona)
    assert client.get("/").status_code == 200


def test_a_wrong_token_is_refused_and_changes_nothing(personas: dict[str, User | None]) -> None:
    analyst = personas["malang_analyst"]
    device = TOTPDevice.objects.create(user=analyst, name="hp", confirmed=True)
    client = _password_login("malang_analyst")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong, "next": "/"})
    assert response.status_code == 200
    assert "Kode tidak cocok atau sudah kedaluwarsa." in response.content.decode()
    assert "otp_device_id" not in client.session
    assert client.get("/").headers["Location"] == f"{VERIFY}?next=%2F"
    device.refresh_from_db()
    assert (device.last_t, device.throttling_failure_count) == (-1, 1)
    assert list(Event.objects.values_list("kind", "params")) == [
        ("staff.otp_failed", {"failures": 1})
    ]


def test_the_right_token_passes_and_leads_to_next(personas: dict[str, User | None]) -> None:
    device = TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    client = _password_login("malang_analyst")
    session_key = client.session.session_key
    response = client.post(f"{VERIFY}?next=/%3Ftab%3D1", {"token": _code(device)})
    assert (response.status_code, response.headers["Location"]) == (302, "/?tab=1")
    assert client.get("/").status_code == 200
    # The session key changes once the second factor is proven.
    assert client.session.session_key != session_key


def test_the_same_token_cannot_be_used_twice(personas: dict[str, User | None]) -> None:
    device = TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    code = _code(device)
    assert _password_login("malang_analyst").post(VERIFY, {"token": code}).status_code == 302
    replay = _password_login("malang_analyst").post(VERIFY, {"token": code})
    assert replay.status_code == 200


def test_a_throttled_device_refuses_even_the_right_token(
    personas: dict[str, User | None],
) -> None:
    device = TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    assert device.throttling_enabled
    # Ten failures just now: django-otp's back-off asks for 2**9 = 512 seconds.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    client = _password_login("malang_analyst")
    response = client.post(VERIFY, {"token": _code(device)})
    assert response.status_code == 200
    match = re.search(
        r"Terlalu banyak kode yang salah\. Tunggu (\d+) detik lalu coba lagi\.",
        response.content.decode(),
    )
    assert match is not None
    assert 500 <= int(match.group(1)) <= 512
    assert "otp_device_id" not in client.session
    device.refresh_from_db()
    assert (device.throttling_failure_count, device.last_t) == (10, -1)


def test_a_malformed_token_is_refused_by_the_form(personas: dict[str, User | None]) -> None:
    TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    response = _password_login("malang_analyst").post(VERIFY, {"token": "12ab56"})
    assert "Kode terdiri dari 6 angka." in response.content.decode()


@pytest.mark.parametrize("target", ["https://jahat.test/", "//jahat.test/", "http:/jahat.test"])
def test_the_second_factor_never_redirects_off_site(
    personas: dict[str, User | None], target: str
) -> None:
    device = TOTPDevice.objects.create(user=personas["malang_analyst"], name="hp", confirmed=True)
    client = _password_login("malang_analyst")
    response = client.post(VERIFY, {"token": _code(device), "next": target})
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_setup_enrols_a_device_with_the_shown_key_and_logs_in(
    personas: dict[str, User | None],
) -> None:
    analyst = personas["malang_analyst"]
    client = _password_login("malang_analyst")
    page = client.get(f"{SETUP}?next=/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aktifkan verifikasi dua langkah" in html
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=analyst)
    assert device.confirmed is False
    # Reloading the page shows the same key rather than piling up devices.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=analyst).count() == 1
    response = client.post(SETUP, {"token": _code(device), "next": "/"})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200
    assert list(Event.objects.values_list("kind", flat=True)) == ["staff.otp_enrolled"]


def test_setup_refuses_a_wrong_token_and_leaves_the_device_unconfirmed(
    personas: dict[str, User | None],
) -> None:
    analyst = personas["malang_analyst"]
    client = _password_login("malang_analyst")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=analyst)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "Kode tidak cocok atau sudah kedaluwarsa." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/").headers["Location"] == f"{SETUP}?next=%2F"
