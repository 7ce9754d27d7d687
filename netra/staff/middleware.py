"""Staff who need two-factor authentication must pass a TOTP check before anything else.

Covers every path, the Django admin included, except the two-factor pages themselves,
logout, the health check, the favicon and static files. Runs after django-otp's OTPMiddleware, which
sets ``request.user.is_verified()``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from netra.staff.models import User
from netra.staff.types import AnyUser

# Paths a half-logged-in user may reach: the 2FA pages themselves, logout, health, and the
# favicon browsers ask for on every page.
_OPEN_NAMES = (
    "staff:otp_verify",
    "staff:otp_setup",
    "staff:logout",
    "web:healthz",
    "web:favicon",
)


def needs_second_factor(user: AnyUser) -> bool:
    """Whether a request user must still pass the TOTP check (logged in, not yet verified)."""
    if not isinstance(user, User) or not user.requires_two_factor:
        return False
    # django-otp's OTPMiddleware gives the request user ``is_verified()``.
    return not bool(user.is_verified())  # type: ignore[attr-defined]


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    """Send the user to the TOTP step (enrolment when they have no device), then back here."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    target = reverse("staff:otp_verify" if has_device else "staff:otp_setup")
    url = f"{target}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        # HTMX would follow a 302 inside the XHR and swap the 2FA page into a fragment.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            # Resolved on first use: the URLconf is not loaded when middleware is built.
            self._open_paths = frozenset(reverse(name) for name in _OPEN_NAMES)
        return path in self._open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not self._is_open(request.path):
            return second_factor_redirect(request)
        return self.get_response(request)
