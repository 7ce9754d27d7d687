"""``staff_view``: login, the second factor and one permission, checked in one line."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice
from rules.permissions import add_perm, remove_perm

from netra.staff.decorators import staff_view
from netra.staff.models import User
from netra.staff.rules import handles_data

PERMISSION = "tests.load_things"


@pytest.fixture
def view() -> Iterator[Callable[[HttpRequest], HttpResponse]]:
    add_perm(PERMISSION, handles_data)  # type: ignore[no-untyped-call]

    @staff_view(PERMISSION)
    def load_things(request: HttpRequest) -> HttpResponse:
        return HttpResponse("dimuat")

    yield load_things
    remove_perm(PERMISSION)  # type: ignore[no-untyped-call]


def _call(
    view: Callable[[HttpRequest], HttpResponse], user: User | None, *, verified: bool = False
) -> HttpResponse:
    request = RequestFactory().get("/muat/?x=1")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    if user is not None and verified:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
        request.session["otp_device_id"] = device.persistent_id
    response: HttpResponse = OTPMiddleware(view)(request)
    return response


def test_an_anonymous_visitor_is_sent_to_the_login_page(view: Callable[..., HttpResponse]) -> None:
    response = _call(view, None)
    assert (response.status_code, response["Location"]) == (302, "/akun/masuk/?next=/muat/%3Fx%3D1")


def test_a_user_who_owes_the_second_factor_is_sent_to_it(
    view: Callable[..., HttpResponse], personas: dict[str, User | None]
) -> None:
    analyst = personas["malang_analyst"]
    assert analyst is not None
    TOTPDevice.objects.create(user=analyst, name="telepon", confirmed=True)
    response = _call(view, analyst)
    assert (response.status_code, response["Location"]) == (
        302,
        "/akun/verifikasi/?next=%2Fmuat%2F%3Fx%3D1",
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("ri_admin", True),
        ("malang_analyst", True),
        ("lumajang_analyst", True),
        ("donomulyo_supervisor", False),
        ("bkpsdm_partner", False),
    ],
)
def test_the_permission_decides_the_rest(
    view: Callable[..., HttpResponse],
    personas: dict[str, User | None],
    persona: str,
    allowed: bool,
) -> None:
    user = personas[persona]
    if allowed:
        response = _call(view, user, verified=True)
        assert (response.status_code, response.content) == (200, b"dimuat")
    else:
        with pytest.raises(PermissionDenied, match="hanya untuk staf Bawaslu yang berwenang"):
            _call(view, user, verified=True)
