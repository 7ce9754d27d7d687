"""What the Meta parsers share: platforms, profile URLs, ids, time and text repairs."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from netra.social.sources.reading import JsonObject, RecordError, reason_for, to_raw
from netra.social.sources.records import ParseProblem

FACEBOOK = "facebook"
INSTAGRAM = "instagram"
THREADS = "threads"

# Reactions Facebook has offered; THANKFUL and PRIDE were temporary but still come back
# in old data. They are stored lower-case as InteractionRecord.reaction_type.
REACTION_TYPES = frozenset(
    {"LIKE", "LOVE", "WOW", "HAHA", "SAD", "ANGRY", "CARE", "THANKFUL", "PRIDE"}
)

# Instagram and Threads shortcodes are the media id written in base 64 with this alphabet.
_SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SHORTCODE_DIGITS = {letter: value for value, letter in enumerate(_SHORTCODE_ALPHABET)}
# Longer codes (posts of private accounts) carry more than the id; they are not decoded.
_SHORTCODE_MAX = 11

_VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi", ".3gp")


def profile_url(platform: str, key: str) -> str:
    """The public profile URL for a Facebook id or an Instagram username."""
    if not key:
        return ""
    host = "www.instagram.com" if platform == INSTAGRAM else "www.facebook.com"
    return f"https://{host}/{key}"


def fix_mojibake(text: str) -> str:
    """Undo Meta's export encoding: UTF-8 bytes written out as Latin-1 code points.

    Download Your Information files escape "é" as ``\\u00c3\\u00a9`` (its two UTF-8
    bytes). The text is re-read as UTF-8 only when that round-trips; text that was
    never mangled (ASCII, real Latin-1 such as "café", anything beyond U+00FF) is
    returned unchanged.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def derived_id(prefix: str, *parts: object) -> str:
    """A stable id for a record whose export carries none: ``prefix:`` and 24 hex digits.

    The parts (owner, kind, time, text, media paths…) are hashed with SHA-256, so the
    same export read twice gives the same ids.
    """
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8"))
    return f"{prefix}:{digest.hexdigest()[:24]}"


def from_unix(value: object, *, field: str) -> datetime:
    """A Unix time in seconds (an integer, or digits in a string) as an aware UTC datetime."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(_("kolom '%(key)s' bukan waktu Unix") % {"key": field})
    try:
        seconds = float(value)
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise RecordError(
            _("waktu '%(value)s' di kolom '%(field)s' tidak terbaca")
            % {"value": value, "field": field}
        ) from None


def media_kind(uri: str) -> str:
    """``video`` for a video file name, else ``photo`` (exports name no type)."""
    path = uri.split("?", 1)[0].lower()
    return "video" if path.endswith(_VIDEO_SUFFIXES) else "photo"


def require_object(value: object) -> JsonObject:
    if not isinstance(value, dict):
        raise RecordError(_("entri ini bukan objek JSON"))
    return value


def problem(
    error: Exception,
    *,
    path: str,
    value: object,
    line: int | None = None,
    offset: int | None = None,
) -> ParseProblem:
    return ParseProblem(
        reason=reason_for(error), line=line, offset=offset, path=path, raw=to_raw(value)
    )


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
