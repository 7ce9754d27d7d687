"""Browser captures into records: Zeeschuimer exports and 4CAT's NDJSON of them.

Format ``zeeschuimer-ndjson``, read line by line in constant memory. Two line shapes are
read, mixed freely:

* Zeeschuimer's own export (the ".ndjson" button): ``{"nav_index": …, "item_id": …,
  "timestamp_collected": <ms>, "source_platform": "tiktok.com", "source_platform_url": …,
  "source_url": …, "user_agent": …, "data": {<the platform's object>}}``;
* 4CAT's NDJSON download of a dataset imported from Zeeschuimer: the platform's object
  itself, with the envelope moved into its ``"__import_meta"`` key.

``source_platform`` picks the converter, which each platform's source folder declares
(``PlatformSpec.captures``: ``tiktok.com`` and ``tiktok-comments`` in ``tiktok/``,
``instagram.com``, ``threads.net`` and ``threads.com`` in ``meta/``, ``twitter.com`` and
``x.com`` in ``x/``). A line of another platform Zeeschuimer captures (Douyin, 9GAG,
LinkedIn…) is a ``ParseProblem`` naming it. ``timestamp_collected`` dates every record
of its line; without it ``ParseOptions.collected_at`` does.

Not read: 4CAT's CSV download ("map_item" columns such as ``id``, ``thread_id``,
``author``, ``body``, ``timestamp``). Its columns differ per data source and 4CAT version,
it names no platform, older versions write the time in the 4CAT server's local time
without a zone, and it drops what the records need (author ids, mentions): export the
dataset as NDJSON from 4CAT instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources import registry
from netra.social.sources.capture.common import epoch_milliseconds
from netra.social.sources.reading import (
    PAGE_LINE_BYTES,
    RECORD_ERRORS,
    JsonLine,
    JsonObject,
    describe_keys,
    get_int,
    get_obj,
    get_str,
    read_json_lines,
    reason_for,
)
from netra.social.sources.records import Capture, Parsed, ParseOptions, ParseProblem

FORMAT = "zeeschuimer-ndjson"
LABEL = gettext_lazy("NDJSON Zeeschuimer atau 4CAT")

_META = "__import_meta"
_ENVELOPE_KEYS = ("item_id", "nav_index", "timestamp_collected")

# A time absurdly far off (a corrupted createTime) overflows rather than raising ValueError.
_ERRORS = (*RECORD_ERRORS, OverflowError)


def _problem(reason: str, entry: JsonLine, path: str) -> ParseProblem:
    return ParseProblem(
        reason=reason, line=entry.line, offset=entry.offset, path=path, raw=entry.raw
    )


def is_capture_line(value: JsonObject) -> bool:
    """Whether an object is one Zeeschuimer item, as Zeeschuimer or 4CAT writes it."""
    meta = value.get(_META)
    if isinstance(meta, dict):
        return "source_platform" in meta
    return (
        "source_platform" in value
        and isinstance(value.get("data"), dict)
        and any(key in value for key in _ENVELOPE_KEYS)
    )


def parse_zeeschuimer_ndjson(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a Zeeschuimer or 4CAT NDJSON file, one captured item per line.

    Each line's records come whole or not at all: a line that cannot be read is one
    ``ParseProblem`` with its line, byte offset and the path of what failed.
    """
    # Zeeschuimer's module ids, as it writes them in source_platform.
    converters = registry.capture_converters()
    for entry in read_json_lines(
        stream, accepts=is_capture_line, format_label=str(LABEL), max_line=PAGE_LINE_BYTES
    ):
        if isinstance(entry, ParseProblem):
            yield entry
            continue
        value = entry.value
        if not is_capture_line(value):
            yield _problem(
                _("baris ini bukan butir Zeeschuimer atau 4CAT (kunci: %(keys)s)")
                % {"keys": describe_keys(value)},
                entry,
                "$",
            )
            continue
        in_meta = isinstance(value.get(_META), dict)
        meta: JsonObject = value[_META] if in_meta else value
        try:
            platform = get_str(meta, "source_platform").lower().removeprefix("www.")
            collected = get_int(meta, "timestamp_collected")
            seen = epoch_milliseconds(collected) if collected else options.collected_at
        except _ERRORS as error:
            yield _problem(reason_for(error), entry, f"$.{_META}" if in_meta else "$")
            continue
        convert = converters.get(platform)
        if convert is None:
            yield _problem(
                _(
                    "platform '%(platform)s' dari Zeeschuimer belum didukung "
                    "(yang didukung: %(supported)s)"
                )
                % {"platform": platform, "supported": ", ".join(converters)},
                entry,
                f"$.{_META}.source_platform" if in_meta else "$.source_platform",
            )
            continue
        try:
            if in_meta:
                data = {key: item for key, item in value.items() if key != _META}
            else:
                data = get_obj(value, "data")
            records = convert(data, Capture(seen=seen, raw=entry.raw))
        except _ERRORS as error:
            yield _problem(reason_for(error), entry, "$" if in_meta else "$.data")
            continue
        yield from records
