"""What the capture converters of every platform share: times, raw bytes, languages, mentions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from netra.social.sources.reading import JsonObject, get_int, to_raw
from netra.social.sources.records import InteractionKind, InteractionRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# What platforms say when they could not tell the language of a text.
_NO_LANGUAGE = frozenset({"", "un", "und"})


def epoch_seconds(obj: JsonObject, key: str) -> datetime | None:
    """A Unix time in seconds (``1731391200`` or ``"1731391200"``); None when absent or 0."""
    seconds = get_int(obj, key)
    return _EPOCH + timedelta(seconds=seconds) if seconds else None


def epoch_milliseconds(value: int) -> datetime:
    """A Unix time in milliseconds (Zeeschuimer's ``timestamp_collected``), exactly."""
    return _EPOCH + timedelta(milliseconds=value)


def raw_of(value: JsonObject) -> bytes:
    """The compact JSON of an object cut from a line; nothing for an empty one."""
    return to_raw(value) if value else b""


def language(code: str) -> str:
    """A language code, ``""`` when the platform says it could not tell."""
    return "" if code in _NO_LANGUAGE else code


def mentions(
    platform: str,
    targets: Iterable[tuple[str, str]],
    *,
    actor_id: str,
    actor_handle: str,
    via_item_id: str,
    occurred_at: datetime | None,
    observed_at: datetime | None,
) -> list[InteractionRecord]:
    """One MENTION per account named in an item, given as (id, handle); repeats count once."""
    found: list[InteractionRecord] = []
    seen: set[str] = set()
    for target_id, handle in targets:
        keys = {key for key in (target_id, handle.lower()) if key}
        if not keys or keys & seen:
            continue
        seen |= keys
        found.append(
            InteractionRecord(
                platform=platform,
                kind=InteractionKind.MENTION,
                actor_id=actor_id,
                actor_handle=actor_handle,
                target_account_id=target_id,
                target_account_handle=handle,
                via_item_id=via_item_id,
                occurred_at=occurred_at,
                observed_at=observed_at,
            )
        )
    return found
