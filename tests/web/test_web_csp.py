"""The Content-Security-Policy header (django-csp) on every kind of page.

Whether the pages keep to it is shown in Chromium (tests/e2e: a violation is a console
error, which fails the test).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

# The policy, directive by directive: only Netra's own scripts, styles and images; nothing
# inline, no plugins, no framing, forms and <base> only to Netra itself.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive → sources (django-csp's order varies)."""
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/pantau/konten/", 200),
        ("/admin/", 200),
        ("/admin/staff/user/", 200),
        ("/api/v1/docs", 200),
        ("/tidak-ada/", 404),
    ],
)
def test_every_kind_of_page_carries_the_policy(
    client_for: Callable[[str], Client], url: str, status: int
) -> None:
    response = client_for("ri_admin").get(url)
    assert response.status_code == status
    assert policy(response.headers["Content-Security-Policy"]) == CSP


def test_the_login_page_carries_the_policy_before_anyone_logs_in(db: None) -> None:
    response = Client().get("/akun/masuk/")
    assert policy(response.headers["Content-Security-Policy"]) == CSP
