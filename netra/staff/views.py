"""Login, logout and the TOTP second step."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.core.events import event_record
from netra.staff.forms import TokenForm

login_view = auth_views.LoginView.as_view(
    template_name="staff/login.html", redirect_authenticated_user=True
)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda telah keluar."))
    return redirect("staff:login")


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("staff:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        event_record(kind="staff.otp_failed", subject=request.user, actor=request.user)
        form.add_error("token", _("Kode tidak cocok atau sudah kedaluwarsa."))
    return render(request, "staff/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("staff:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Aplikasi autentikator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            event_record(kind="staff.otp_enrolled", subject=request.user, actor=request.user)
            messages.success(request, _("Verifikasi dua langkah telah aktif."))
            return redirect(_next_url(request))
        form.add_error("token", _("Kode tidak cocok. Periksa jam di ponsel Anda lalu coba lagi."))
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
