"""Login, logout and the TOTP second step.

Password failures are counted by django-axes (username + IP); TOTP failures by the
device's own exponential back-off (django-otp ThrottlingMixin: 1 s, 2 s, 4 s, ...).
"""

from __future__ import annotations

import base64
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.staff.forms import LoginForm, TokenForm
from netra.staff.middleware import needs_second_factor
from netra.staff.models import User
from netra.staff.selectors import totp_device_confirmed
from netra.staff.services import totp_check, totp_confirm, totp_device_for_setup

login_view = auth_views.LoginView.as_view(
    template_name="staff/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda telah keluar."))
    return redirect("staff:login")


def _next_url(request: HttpRequest) -> str:
    """The local ``next`` target of the request, or home; never another host or scheme."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _check_token(request: HttpRequest, user: User, device: TOTPDevice, form: TokenForm) -> bool:
    """Verify the form's token (``totp_check``); sign the second factor in when it is right,
    else add an Indonesian error to the form."""
    check = totp_check(user=user, device=device, token=form.cleaned_data["token"])
    if check.verified:
        # A new session key once the second factor is proven (no fixation across steps).
        request.session.cycle_key()
        otp_login(request, check.device)
        return True
    if check.wait_seconds:
        form.add_error(
            "token",
            _("Terlalu banyak kode yang salah. Tunggu %(seconds)s detik lalu coba lagi.")
            % {"seconds": check.wait_seconds},
        )
    else:
        form.add_error("token", _("Kode tidak cocok atau sudah kedaluwarsa."))
    return False


def _done_or_not_needed(request: HttpRequest) -> bool:
    return not needs_second_factor(request.user)


def _staff_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required lets no one else through
    return user


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if _done_or_not_needed(request):
        return redirect(_next_url(request))
    user = _staff_user(request)
    device = totp_device_confirmed(user)
    if device is None:
        return redirect(_with_next("staff:otp_setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, user, device, form):
        return redirect(_next_url(request))
    return render(request, "staff/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    if _done_or_not_needed(request):
        return redirect(_next_url(request))
    user = _staff_user(request)
    if totp_device_confirmed(user) is not None:
        return redirect(_with_next("staff:otp_verify", request))
    device = totp_device_for_setup(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, user, device, form):
        totp_confirm(user=user, device=device)
        messages.success(request, _("Verifikasi dua langkah telah aktif."))
        return redirect(_next_url(request))
    buffer = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return render(
        request,
        "staff/otp_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "secret": base64.b32encode(device.bin_key).decode(),
            "next": _next_url(request),
        },
    )
