"""Login, logout and the TOTP second step.

Password failures are counted by django-axes (username + IP); TOTP failures by the
device's own exponential back-off (django-otp ThrottlingMixin: 1 s, 2 s, 4 s, ...).
"""

from __future__ import annotations

import base64
import math
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import event_record
from netra.staff.forms import LoginForm, TokenForm

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


def _check_token(request: HttpRequest, device: TOTPDevice, form: TokenForm) -> bool:
    """Verify the form's token against ``device``, adding an Indonesian error when refused.

    A throttled device refuses even the right code until its back-off has passed. The
    device row is locked so that one code cannot be accepted twice by racing requests.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        verified = allowed and locked.verify_token(form.cleaned_data["token"])
    if verified:
        # A new session key once the second factor is proven (no fixation across steps).
        request.session.cycle_key()
        otp_login(request, locked)
        return True
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = 1
        if locked_until is not None:
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        form.add_error(
            "token",
            _("Terlalu banyak kode yang salah. Tunggu %(seconds)s detik lalu coba lagi.")
            % {"seconds": wait},
        )
        return False
    event_record(
        kind="staff.otp_failed",
        subject=request.user,  # type: ignore[arg-type]
        actor=request.user,
        params={"failures": locked.throttling_failure_count},
    )
    form.add_error("token", _("Kode tidak cocok atau sudah kedaluwarsa."))
    return False


def _done_or_not_needed(request: HttpRequest) -> bool:
    user = request.user
    return not getattr(user, "requires_two_factor", False) or user.is_verified()  # type: ignore[union-attr]


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if _done_or_not_needed(request):
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("pk").first()
    if device is None:
        return redirect(_with_next("staff:otp_setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, device, form):
        return redirect(_next_url(request))
    return render(request, "staff/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    if _done_or_not_needed(request):
        return redirect(_next_url(request))
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("staff:otp_verify", request))
    device = (
        TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    ) or TOTPDevice.objects.create(
        user=request.user, confirmed=False, name=_("Aplikasi autentikator")
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, device, form):
        # Conditional, so two tabs enrolling at once confirm one device, not two.
        TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True)
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        event_record(kind="staff.otp_enrolled", subject=request.user, actor=request.user)  # type: ignore[arg-type]
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
