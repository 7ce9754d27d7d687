"""What every platform collector provides, and the walk state kept in a CollectionCursor.

A collector names its *targets* for a watchlist (an account's timeline, a search query,
a video's comments), builds the *request* for the next page of a target, tells from an
answered page where the walk goes next (``Step``), and turns the page into the bytes of
a file one of the source parsers reads (``Saved``). The polling loop in ``services.py``
does the rest, the same for every platform.

A walk is the run through a target's pages from the newest down to what was already
read. Its state lives in ``CollectionCursor``:

* ``newest_id``: the newest item read by the last finished walk, the lower bound of the
  next one (X ``since_id``; for YouTube the newest ``publishedAt``, for TikTok the newest
  ``create_time``);
* ``cursor``: empty when no walk is in progress, else ``Walk.encode()``, a small JSON
  object: ``token`` (the platform's next-page token), ``newest`` (the newest item seen
  so far in this walk, which becomes ``newest_id`` when the walk ends) and ``fixed`` (the
  parameters that must stay the same on every page of one walk: the lower bound, a
  TikTok ``search_id`` and date range).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from netra.social.collect.http import ApiClient, ApiRequest, ApiResponse
from netra.social.models import Watchlist
from netra.social.sources.records import ParseOptions


@dataclass(frozen=True, slots=True)
class Target:
    """One thing to walk: ``endpoint`` names the kind (``x.user_tweets``), ``target`` which."""

    endpoint: str
    target: str


@dataclass(frozen=True, slots=True)
class Walk:
    """The state of a walk in progress (module docstring)."""

    token: str = ""
    newest: str = ""
    fixed: dict[str, str] = field(default_factory=dict)

    def encode(self) -> str:
        return json.dumps(
            {"token": self.token, "newest": self.newest, "fixed": self.fixed},
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def decode(cls, text: str) -> Walk:
        """The walk stored in a cursor; a fresh walk for an empty or unreadable one."""
        if not text:
            return cls()
        try:
            value = json.loads(text)
        except ValueError:
            # A bare token, as an operator may type it in the admin.
            return cls(token=text)
        if not isinstance(value, dict):
            return cls()
        fixed = value.get("fixed")
        return cls(
            token=str(value.get("token") or ""),
            newest=str(value.get("newest") or ""),
            fixed={str(k): str(v) for k, v in fixed.items()} if isinstance(fixed, dict) else {},
        )


@dataclass(frozen=True, slots=True)
class Step:
    """Where a walk goes after one page: the next walk state, or None when it is over."""

    next: Walk | None
    newest: str


@dataclass(frozen=True, slots=True)
class Saved:
    """A page as a file: its bytes, suffix, the format name and the parse options."""

    content: bytes
    suffix: str
    format_name: str
    options: ParseOptions


@dataclass(frozen=True, slots=True)
class PollContext:
    """What a poll needs from the outside world; tests replace the clock and the sleep."""

    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    jitter: Callable[[], float]


class Collector(Protocol):
    """One platform's live collection (module docstring)."""

    platform: str

    def resolve(
        self,
        watchlist: Watchlist,
        client: ApiClient,
        keep: Callable[[ApiRequest, ApiResponse], None],
    ) -> list[str]:
        """Give handle-only accounts their platform ids (``keep`` loads a page); problems."""

    def targets(self, watchlist: Watchlist, client: ApiClient, now: datetime) -> Iterator[Target]:
        """What to walk for this watchlist, in order; lazily, so that targets found from
        items (comments of a video, likes of a post) include those of this very poll."""

    def request(self, target: Target, newest_id: str, walk: Walk, now: datetime) -> ApiRequest:
        """The request for the next page; ``walk.fixed`` is already complete (see ``start``)."""

    def start(self, target: Target, newest_id: str, now: datetime) -> dict[str, str]:
        """The parameters fixed for a new walk of a target."""

    def check(self, response: ApiResponse) -> None:
        """Raise ``ApiFailure`` for a 2xx answer that is an error (TikTok says so in-band)."""

    def step(self, target: Target, newest_id: str, walk: Walk, data: Any) -> Step:
        """Where the walk goes after this page."""

    def save(self, response: ApiResponse, request: ApiRequest, retrieved_at: datetime) -> Saved:
        """The page as the bytes of a file a source parser reads."""


def newer_id(left: str, right: str) -> str:
    """The newer of two numeric ids (snowflakes, epochs) or ISO times; "" loses."""
    if not left or not right:
        return left or right
    if left.isdigit() and right.isdigit():
        return left if (len(left), left) >= (len(right), right) else right
    return max(left, right)
