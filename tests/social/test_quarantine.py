"""Matching quarantined bytes with the records of a corrected file (``social.quarantine``).

Record shapes: Netra's own JSONL and CSV (docs/ingest-format.md) and a Twitter archive's
``{"tweet": {"id_str": …}}`` (tests/social/sources/payloads/x/).
"""

from __future__ import annotations

import pytest

from netra.social.quarantine import Open, records_held
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
)

ID = "1800000000000000009"


def item(raw: bytes, platform_id: str = ID) -> ItemRecord:
    return ItemRecord(
        platform="x",
        platform_id=platform_id,
        kind=ItemKind.POST,
        author_id="",
        author_handle="warga",
        created_at=None,
        raw=raw,
    )


@pytest.mark.parametrize(
    ("quarantined", "held"),
    [
        # A line cut short after its id: the id is whole.
        (b'{"record": "item", "id": "' + ID.encode() + b'", "text": "rus', True),
        # A number followed by a delimiter is whole too.
        (b'{"id": ' + ID.encode() + b', "text": "rus', True),
        # Cut inside the id: not the same record, as far as anyone can tell.
        (b'{"record": "item", "id": "' + ID[:10].encode(), False),
        (b'{"id": ' + ID[:10].encode(), False),
        # The id under another key (a reply's parent).
        (b'{"id": "1", "parent_id": "' + ID.encode() + b'", "text": "x', False),
    ],
)
def test_a_json_record_is_held_by_its_id_under_the_same_key(quarantined: bytes, held: bool) -> None:
    corrected = item(b'{"record": "item", "id": "' + ID.encode() + b'", "text": "utuh"}')
    found = records_held([Open(7, quarantined)], [corrected], refused=set())
    assert found == ({7} if held else set())


def test_an_id_nested_in_the_corrected_record_is_matched_under_its_key() -> None:
    corrected = item(b'{"tweet": {"id_str": "' + ID.encode() + b'", "full_text": "utuh"}}')
    quarantined = b'{"tweet": {"id_str": "' + ID.encode() + b'", "full_text": "rus'
    assert records_held([Open(1, quarantined)], [corrected], refused=set()) == {1}


def test_an_account_record_holds_its_profile_line() -> None:
    corrected = AccountRecord(
        platform="x", platform_id="1001", handle="warga", raw=b'{"id": "1001", "handle": "warga"}'
    )
    held = records_held([Open(3, b'{"id": "1001", "handle": "war')], [corrected], set())
    assert held == {3}


def test_interactions_and_refused_records_hold_nothing() -> None:
    like = InteractionRecord(
        platform="x", kind=InteractionKind.LIKE, actor_id="1004", target_item_id=ID
    )
    refused = item(b'{"id": "' + ID.encode() + b'"}')
    quarantined = [Open(1, b'{"id": "' + ID.encode() + b'", "x')]
    # Position 2 (the item) was quarantined by the corrected file's own load.
    assert records_held(quarantined, [like, refused], refused={2}) == set()
    assert records_held(quarantined, [like, refused], refused=set()) == {1}


@pytest.mark.parametrize(
    ("row", "held"),
    [
        (b"x;" + ID.encode() + b";warga;01/10/2024", True),
        (b"x;warga;" + ID.encode() + b";01/10/2024", False),
    ],
)
def test_a_table_row_is_held_by_its_id_in_the_same_column(row: bytes, held: bool) -> None:
    corrected = item(b"x;" + ID.encode() + b";warga;2024-10-01 08:00")
    assert records_held([Open(5, row)], [corrected], set()) == ({5} if held else set())
