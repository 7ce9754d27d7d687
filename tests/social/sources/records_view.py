"""Parsed records seen the way the parser tests compare them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from netra.social.sources.records import AccountRecord, InteractionRecord, ItemRecord, Parsed


def summary(
    records: list[Parsed], interaction: Callable[[InteractionRecord], str]
) -> list[tuple[str, str]]:
    """Each record as (type, what it is about), to check order and completeness at once.

    ``interaction`` says what an interaction is about: each platform's tests pick what
    tells its interactions apart (the actor, the target, the reaction).
    """
    out: list[tuple[str, str]] = []
    for record in records:
        if isinstance(record, AccountRecord):
            out.append(("account", record.platform_id or record.handle))
        elif isinstance(record, ItemRecord):
            out.append((record.kind.value, record.platform_id))
        elif isinstance(record, InteractionRecord):
            out.append((record.kind.value, interaction(record)))
        else:
            out.append(("problem", record.where))
    return out


def actor_to_target(record: InteractionRecord) -> str:
    """An interaction as ``actor->target``: the item, else the account (by id, else handle)."""
    target = record.target_item_id or record.target_account_id or record.target_account_handle
    return f"{record.actor_id}->{target}"


def without_raw(record: Parsed) -> Parsed:
    """The record without its raw bytes, to compare it field by field."""
    return replace(record, raw=b"") if not isinstance(record, InteractionRecord) else record
