"""The lookup guard itself: what it reports and what it lets pass."""

from __future__ import annotations

import pytest

from netra.registry.models import AccountLink
from netra.social.models import Account, Source
from tests.lookup_guard import crossing


@pytest.mark.parametrize(
    ("model", "path", "expected"),
    [
        (Source, "election", None),
        (Source, "election_id", None),
        (Source, "election__pk", None),
        (Source, "election__in", None),
        (Source, "kind", None),
        (Source, "election__region", "election.region"),
        (Source, "election__region__pk", "election.region"),
        (AccountLink, "account__platform", "account.platform"),
        (AccountLink, "subject__workplace", None),
        (Account, "subject_links", "subject_links"),
        (Account, "subject_links__subject__workplace__pk", "subject_links"),
    ],
)
def test_a_path_into_another_apps_fields_is_reported(
    model: type[Source | AccountLink | Account], path: str, expected: str | None
) -> None:
    assert crossing(path.split("__"), model._meta) == expected
