"""What the capture converters share: the line being read, times, ids and mentions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from netra.social.sources.reading import JsonObject, RecordError, get_int, to_raw
from netra.social.sources.records import InteractionKind, InteractionRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Instagram and Threads shortcodes are the media id written in base 64 with this alphabet.
_SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SHORTCODE_DIGITS = {letter: value for value, letter in enumerate(_SHORTCODE_ALPHABET)}
# Longer codes (posts of private accounts) carry more than the id; they are not decoded.
_SHORTCODE_MAX = 11

# What platforms say when they could not tell the language of a text.
_NO_LANGUAGE = frozenset({"", "un", "und"})


@dataclass(frozen=True, slots=True)
class Capture:
    """One captured line: when it was captured (else ``ParseOptions.collected_at``), its bytes."""

    seen: datetime | None
    raw: bytes


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


def shortcode_pk(code: str) -> str:
    """The media id an Instagram or Threads shortcode stands for; ``""`` when it cannot say."""
    if not code or len(code) > _SHORTCODE_MAX:
        return ""
    value = 0
    for letter in code:
        digit = _SHORTCODE_DIGITS.get(letter)
        if digit is None:
            return ""
        value = value * 64 + digit
    return str(value)


def media_pk(node: JsonObject, *, code: str) -> str:
    """A Meta media id: ``pk``, else the first half of ``id`` (``pk_userpk``), else the code's."""
    pk = _plain(node, "pk")
    if pk:
        return pk
    whole = _plain(node, "id")
    if whole:
        return whole.split("_", 1)[0]
    pk = shortcode_pk(code)
    if not pk:
        raise RecordError(_("butir ini tidak punya ID (pk, id atau code)"))
    return pk


def _plain(node: JsonObject, key: str) -> str:
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value)


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
