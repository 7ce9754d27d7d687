"""Talking to the platforms' HTTP APIs: credentials, timeouts, retries and back-off.

``ApiClient.send`` answers an ``ApiResponse`` (status 2xx, the JSON body read) or raises
``ApiFailure`` saying until when the platform should be left alone. What it does:

* 429: waits for the time the platform names (its ``LiveApi.reset_header``, epoch
  seconds; ``Retry-After``, seconds or an HTTP date), else an exponential back-off with
  jitter, then tries again; a wait longer than ``NETRA_COLLECT_MAX_WAIT_SECONDS`` is not
  slept through but raised at once as a failure with ``not_before`` set to that time;
* 5xx and connection errors (refused, reset, timed out): exponential back-off with jitter,
  up to ``NETRA_COLLECT_MAX_TRIES`` tries in all, then ``ApiFailure``;
* any other 4xx: ``ApiFailure`` at once (a retry would get the same answer).

The sleep, the clock and the jitter are injectable, so tests run against a real server
without waiting. Credentials travel in headers only (``LiveApi.auth_header``), so no URL,
saved page or log line holds them. Where each platform's API lives, its credential and
its headers come from its source folder's manifest (``PlatformSpec.live``).
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from netra.social.sources import registry
from netra.social.sources.records import LiveApi, Setting

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]

# The longest a target is left alone after repeated failures (not after a named 429 reset).
MAX_COOLDOWN_SECONDS = 6 * 3600
# The first cooldown after a failed target; doubled with each failure in a row.
FIRST_COOLDOWN_SECONDS = 60


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """Where one platform's API lives and how to authenticate to it."""

    platform: str
    base_url: str
    # Sent with every request (credentials among them); never written into a saved page.
    headers: Mapping[str, str] = field(default_factory=dict)
    configured: bool = True
    # The 429 header naming, in epoch seconds, when the window reopens ("" when none).
    reset_header: str = ""


def setting_value(setting: Setting) -> str | int:
    """A source's setting as Django's settings hold it (settings.py reads the environment),
    else its default (a manifest registered at run time)."""
    value: str | int = getattr(settings, setting.name, setting.default)
    return value


def live_api(platform: str) -> LiveApi:
    """The live API its home declares for a platform; ``LookupError`` when it has none."""
    spec = registry.platform_spec(platform)
    if spec is None or spec.live is None:
        raise LookupError(platform)
    return spec.live


def api_config(platform: str) -> ApiConfig:
    """The API configuration of a platform, read from settings at call time.

    ``configured`` is False when the credential is empty: the platform is not polled.
    Raises ``LookupError`` for a platform with no live collection.
    """
    live = live_api(platform)
    credential = str(setting_value(live.credential))
    return ApiConfig(
        platform,
        str(setting_value(live.url)),
        headers={live.auth_header: live.auth_prefix + credential},
        configured=bool(credential),
        reset_header=live.reset_header,
    )


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One request: GET with query parameters, or POST with a JSON body as well."""

    method: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)
    json: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """A successful answer: its status, the URL asked (without secrets) and its JSON body."""

    status: int
    url: str
    data: Any
    body: bytes


class ApiFailure(Exception):
    """The platform did not answer usefully; leave this target alone until ``not_before``.

    ``status`` is the last HTTP status (None for a connection error); the message is
    Indonesian and says what happened.
    """

    def __init__(self, message: str, *, status: int | None, not_before: datetime | None) -> None:
        super().__init__(message)
        self.status = status
        self.not_before = not_before


def cooldown(failures: int) -> timedelta:
    """How long a target rests after ``failures`` failed polls in a row (1 min, doubling)."""
    exponent = max(0, min(failures - 1, 20))
    return timedelta(seconds=min(FIRST_COOLDOWN_SECONDS * 2**exponent, MAX_COOLDOWN_SECONDS))


def retry_after_seconds(
    headers: httpx.Headers, now: datetime, *, reset_header: str = ""
) -> float | None:
    """Seconds to wait that a 429 answer names, or None when it names none.

    A platform may name when its window reopens in epoch seconds (``reset_header``);
    others send ``Retry-After`` as seconds or as an HTTP date.
    """
    reset = headers.get(reset_header) if reset_header else None
    if reset is not None:
        try:
            return max(0.0, float(reset) - now.timestamp())
        except ValueError:
            pass
    after = headers.get("retry-after")
    if after is None:
        return None
    after = after.strip()
    try:
        return max(0.0, float(after))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(after)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class ApiClient:
    """An httpx client for one platform that retries and backs off (module docstring)."""

    def __init__(
        self,
        config: ApiConfig,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = timezone.now,
        jitter: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.clock = clock
        self.jitter = jitter
        self.max_tries = max(1, int(settings.NETRA_COLLECT_MAX_TRIES))
        self.max_wait = float(settings.NETRA_COLLECT_MAX_WAIT_SECONDS)
        self.backoff_base = float(settings.NETRA_COLLECT_BACKOFF_SECONDS)
        seconds = float(settings.NETRA_COLLECT_TIMEOUT_SECONDS)
        self.http = httpx.Client(
            base_url=config.base_url.rstrip("/"),
            headers={"User-Agent": "Netra/0.1 (+Bawaslu)", **config.headers},
            timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def backoff(self, attempt: int) -> float:
        """Seconds before try ``attempt + 1``: base·2^(attempt-1), half of it jittered."""
        delay = min(self.backoff_base * 2.0 ** (attempt - 1), self.max_wait)
        return delay / 2 + self.jitter() * delay / 2

    def public_url(self, request: ApiRequest) -> str:
        """The URL of a request as it is recorded: base, path and query (no credentials)."""
        url = self.config.base_url.rstrip("/") + request.path
        return f"{url}?{urlencode(dict(request.params))}" if request.params else url

    def send(self, request: ApiRequest) -> ApiResponse:
        """Send a request, retrying as the module docstring says; raise ``ApiFailure``."""
        params = dict(request.params)
        status: int | None = None
        problem = ""
        for attempt in range(1, self.max_tries + 1):
            try:
                answer = self.http.request(
                    request.method, request.path, params=params, json=request.json
                )
            except httpx.TransportError as error:
                status = None
                problem = _("tidak dapat terhubung: %(error)s") % {
                    "error": type(error).__name__ + (f" {error}" if str(error) else "")
                }
                wait = self.backoff(attempt)
            else:
                status = answer.status_code
                if 200 <= status < 300:
                    return self._success(request, answer)
                problem = self._problem(answer)
                if status == 429:
                    named = retry_after_seconds(
                        answer.headers, self.clock(), reset_header=self.config.reset_header
                    )
                    wait = self.backoff(attempt) if named is None else named
                    if wait > self.max_wait:
                        raise ApiFailure(
                            _("batas laju platform (HTTP 429): %(problem)s") % {"problem": problem},
                            status=status,
                            not_before=self.clock() + timedelta(seconds=wait),
                        )
                elif status >= 500:
                    wait = self.backoff(attempt)
                else:
                    raise ApiFailure(
                        _("platform menolak permintaan (HTTP %(status)d): %(problem)s")
                        % {"status": status, "problem": problem},
                        status=status,
                        not_before=None,
                    )
            if attempt < self.max_tries:
                self.sleep(wait)
        raise ApiFailure(
            _("gagal setelah %(tries)d percobaan (%(status)s): %(problem)s")
            % {
                "tries": self.max_tries,
                "status": f"HTTP {status}" if status is not None else _("tanpa jawaban"),
                "problem": problem,
            },
            status=status,
            not_before=None,
        )

    def _success(self, request: ApiRequest, answer: httpx.Response) -> ApiResponse:
        body = answer.content
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # nested past any payload's depth
            raise ApiFailure(
                _("jawaban platform bukan JSON (HTTP %(status)d)") % {"status": answer.status_code},
                status=answer.status_code,
                not_before=None,
            ) from None
        return ApiResponse(
            status=answer.status_code, url=self.public_url(request), data=data, body=body
        )

    @staticmethod
    def _problem(answer: httpx.Response) -> str:
        """A short description of an error answer: the platform's own words when it gives them."""
        try:
            data = answer.json()
        except ValueError:
            return answer.text[:200].strip() or answer.reason_phrase
        if isinstance(data, dict):
            for key in ("detail", "title", "message"):
                if isinstance(data.get(key), str):
                    return str(data[key])[:300]
            error = data.get("error")
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                return str(error["message"])[:300]
            if isinstance(error, str):
                return error[:300]
        return answer.reason_phrase
