"""What the X parsers share: ids and their times, links, counters, problems, mentions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from netra.social.sources.reading import (
    JsonObject,
    RecordError,
    get_int,
    get_str,
    reason_for,
    to_raw,
)
from netra.social.sources.records import (
    InteractionKind,
    InteractionRecord,
    Metrics,
    ParseProblem,
    metrics_from,
)

PLATFORM = "x"

# Snowflake ids carry their creation time: milliseconds since this epoch, shifted by 22 bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
# Ids below this predate snowflakes (November 2010) and carry no time.
_FIRST_SNOWFLAKE = 300_000_000_000_000


def snowflake_time(tweet_id: str) -> datetime | None:
    """When a tweet or user was created, read from its snowflake id; None for older ids."""
    if not tweet_id.isdigit() or int(tweet_id) < _FIRST_SNOWFLAKE:
        return None
    milliseconds = (int(tweet_id) >> 22) + _SNOWFLAKE_EPOCH_MS
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


def permalink(tweet_id: str, handle: str) -> str:
    """The public URL of a tweet; X redirects /i/web/status/ when the author is unknown."""
    return f"https://x.com/{handle or 'i/web'}/status/{tweet_id}"


def profile_url(handle: str) -> str:
    """The public URL of an account; ``""`` without a handle."""
    return f"https://x.com/{handle}" if handle else ""


# X says "in" for Indonesian (the old ISO 639 code) and "und" when it could not tell.
_LANGUAGES = {"in": "id", "und": ""}


def language(code: str) -> str:
    """A language code as Netra keeps it (``id`` for X's ``in``, ``""`` for ``und``)."""
    return _LANGUAGES.get(code, code)


def withheld_reason(countries: Iterable[str], copyright_claim: bool) -> str:
    """Why an item or account is withheld, in words."""
    reason = _("ditahan di negara: %(countries)s") % {
        "countries": ", ".join(str(country) for country in countries)
    }
    if copyright_claim:
        reason += " " + _("(klaim hak cipta)")
    return reason


def counts(source: JsonObject, names: dict[str, str]) -> Metrics:
    """A counters object as metrics, X's names translated by ``names``."""
    if all(value.__class__ is int for value in source.values()):
        return tuple(sorted([(names.get(key, key), value) for key, value in source.items()]))
    counts: dict[str, int] = {}
    for key in source:
        value = get_int(source, key)  # a count sent as "12", or a RecordError
        if value is not None:
            counts[names.get(key, key)] = value
    return metrics_from(counts)


def problem(
    error: Exception, *, line: int | None, offset: int | None, path: str, value: object
) -> ParseProblem:
    """The problem of a record that could not be read, with its JSON for quarantine."""
    return ParseProblem(
        reason=reason_for(error), line=line, offset=offset, path=path, raw=to_raw(value)
    )


def require_object(value: object) -> JsonObject:
    """The value as an object; ``RecordError`` when it is none."""
    if not isinstance(value, dict):
        raise RecordError(_("entri ini bukan objek JSON"))
    return value


def require_id(obj: JsonObject, key: str) -> str:
    """A numeric id that must be there; ``RecordError`` otherwise."""
    value = get_str(obj, key, required=True)
    if not value.isdigit():
        raise RecordError(
            _("kolom '%(key)s' bukan ID angka: '%(value)s'") % {"key": key, "value": value}
        )
    return value


def mentions(
    entries: list[Any],
    *,
    actor_id: str,
    actor_handle: str,
    via_item_id: str,
    occurred_at: datetime | None,
    observed_at: datetime | None,
    ids_by_handle: dict[str, str],
    handle_key: str,
) -> list[InteractionRecord]:
    """One MENTION per account named in ``entries`` (v2 ``mentions``, v1.1 ``user_mentions``).

    ``handle_key`` names the handle's key; an entry without an id takes the one
    ``ids_by_handle`` knows. An account named twice counts once.
    """
    found: list[InteractionRecord] = []
    seen: set[str] = set()
    for entry in entries:
        mention = require_object(entry)
        handle = get_str(mention, handle_key)
        target_id = get_str(mention, "id_str") or get_str(mention, "id")
        target_id = target_id or ids_by_handle.get(handle.lower(), "")
        key = target_id or handle.lower()
        if not key or key in seen:
            continue
        seen.add(key)
        found.append(
            InteractionRecord(
                platform=PLATFORM,
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
