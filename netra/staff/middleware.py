"""Staff in roles above field supervisor must pass a TOTP check before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

# Paths a half-logged-in user may reach: the 2FA pages themselves, logout, and static files.
_OPEN_NAMES = ("staff:otp_verify", "staff:otp_setup", "staff:logout", "web:healthz")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in _OPEN_NAMES)
        return path in self._open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "requires_two_factor", False)
            and not user.is_verified()  # type: ignore[union-attr]
            and not self._is_open(request.path)
        ):
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = "staff:otp_verify" if has_device else "staff:otp_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
