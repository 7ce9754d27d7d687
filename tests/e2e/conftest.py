"""Browser tests: Playwright's sync API driving Debian's Chromium against ``live_server``.

Chromium must be at /usr/bin/chromium; without it the tests skip on a developer machine
and fail in CI (``require``).

Every page opened through the ``page`` fixture fails its test on a console error or an
uncaught script error (a Content-Security-Policy violation included). ``VIEWPORTS`` are
the two sizes every page is tried at; ``assert_fits`` fails on horizontal overflow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let test code use the ORM while Playwright's sync API runs its event loop.

    Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation);
    the test thread only prepares and checks rows while the live server serves requests
    in its own thread, so nothing actually runs concurrently on one connection.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    require(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# A phone as field supervisors carry it, and an office desktop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Runs a test once per entry of VIEWPORTS; the ``page`` fixture takes its size."""
    return str(request.param)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    size = VIEWPORTS["desktop"]
    if "viewport" in request.fixturenames:
        size = VIEWPORTS[request.getfixturevalue("viewport")]
    context = browser.new_context(locale="id-ID", viewport=size)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    try:
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        yield page
    finally:
        context.close()
    # Pages answering 4xx on purpose log "Failed to load resource"; anything else is a fault.
    faults = [error for error in errors if "Failed to load resource" not in error]
    assert not faults, "\n".join(faults)


def assert_fits(page: Page) -> None:
    """The page needs no horizontal scrolling at its viewport's width."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px viewport"


def log_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the login page, and through the TOTP step when the user needs one
    (with the user's confirmed authenticator, made first when they have none)."""
    from netra.staff.models import User

    user = User.objects.get(username=username)
    device = None
    if user.requires_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="telepon", confirmed=True)
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if device is None:
        return
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    page.get_by_label("Kode verifikasi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verifikasi").click()
