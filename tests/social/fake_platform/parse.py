"""Kabarku pages into records: ``kabarku-jsonl``, one page of its API per line.

A page: ``{"kabarku": 1, "posts": [{"id", "author": {"id", "handle", "name"}, "text",
"created_at", "likes"}], "next_cursor": "…"}``. Written as a platform folder would be:
pure, with the shared readers of ``netra.social.sources.reading``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from netra.social.sources.reading import (
    RECORD_ERRORS,
    JsonLine,
    JsonObject,
    RecordError,
    get_int,
    get_obj,
    get_opt_str,
    get_str,
    parse_iso,
    parse_page_lines,
    reason_for,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    ItemKind,
    ItemRecord,
    Parsed,
    ParseOptions,
    ParseProblem,
    metrics_from,
)

PLATFORM = "kabarku"
FORMAT = "kabarku-jsonl"
LABEL = "Kabarku API"


def is_page(value: JsonObject) -> bool:
    """Whether an object is a page of Kabarku's API."""
    return "kabarku" in value and isinstance(value.get("posts"), list)


def permalink(handle: str, post_id: str) -> str:
    return f"https://kabarku.example/@{handle}/kabar/{post_id}"


def parse_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a file of Kabarku pages, one per line."""
    yield from parse_page_lines(
        stream, accepts=is_page, format_label=LABEL, page=lambda entry: _page(entry, options)
    )


def _page(entry: JsonLine, options: ParseOptions) -> Iterator[Parsed]:
    for index, post in enumerate(entry.value["posts"]):
        try:
            records = _post(post, entry, options)
        except RECORD_ERRORS as error:
            yield ParseProblem(
                reason=reason_for(error),
                line=entry.line,
                offset=entry.offset,
                path=f"$.posts[{index}]",
                raw=to_raw(post),
            )
            continue
        yield from records


def _post(post: object, entry: JsonLine, options: ParseOptions) -> list[Parsed]:
    if not isinstance(post, dict):
        raise RecordError("entri ini bukan objek JSON")
    author = get_obj(post, "author")
    post_id = get_str(post, "id", required=True)
    author_id = get_str(author, "id", required=True)
    handle = get_str(author, "handle")
    likes = get_int(post, "likes")
    return [
        AccountRecord(
            platform=PLATFORM,
            platform_id=author_id,
            handle=handle,
            display_name=get_opt_str(author, "name"),
            url=f"https://kabarku.example/@{handle}",
            seen_at=options.collected_at,
        ),
        ItemRecord(
            platform=PLATFORM,
            platform_id=post_id,
            kind=ItemKind.POST,
            author_id=author_id,
            author_handle=handle,
            created_at=parse_iso(get_str(post, "created_at", required=True), field="created_at"),
            text=get_str(post, "text"),
            root_id=post_id,
            permalink=permalink(handle, post_id),
            metrics=metrics_from({"likes": likes}) if likes is not None else (),
            collected_at=options.collected_at,
            raw=to_raw(post),
            line=entry.line,
            offset=entry.offset,
        ),
    ]
