"""Payload files of tests/social/sources/payloads, parsed through the format registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from netra.social.sources.records import Parsed, ParseOptions
from netra.social.sources.registry import parse

PAYLOADS = Path(__file__).parent / "payloads"

ParseFile = Callable[..., list[Parsed]]


@pytest.fixture
def parse_payload() -> ParseFile:
    """Parse a payload file (path under payloads/) as the named format, into a list."""

    def run(relative: str, format_name: str, options: ParseOptions | None = None) -> list[Parsed]:
        with (PAYLOADS / relative).open("rb") as stream:
            return list(parse(stream, format_name, options))

    return run
