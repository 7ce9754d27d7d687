"""YouTube Data API v3 responses into records (records.py states the conventions).

Formats: ``youtube-v3-json`` (one response read whole) and ``youtube-v3-jsonl`` (one
response per line, in constant memory). Responses read: ``search.list``, ``videos.list``,
``commentThreads.list``, ``comments.list`` and ``channels.list``, or one of their
resources alone (a line holding a single ``youtube#video``). An API error response
becomes a ``ParseProblem`` with YouTube's own reason.

Payloads carry no retrieval time: ``seen_at`` and ``collected_at`` come from
``ParseOptions.collected_at``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import IO

from django.utils.translation import gettext as _

from netra.social.sources.reading import (
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    parse_iso,
    parse_page_lines,
    read_page,
    reason_for,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
    metrics_from,
)

PLATFORM = "youtube"
LABEL = "YouTube Data API v3"

_LISTS = {
    "youtube#searchListResponse": "youtube#searchResult",
    "youtube#videoListResponse": "youtube#video",
    "youtube#commentThreadListResponse": "youtube#commentThread",
    "youtube#commentListResponse": "youtube#comment",
    "youtube#channelListResponse": "youtube#channel",
}
_RESOURCES = frozenset(_LISTS.values())
_THUMBNAILS = ("maxres", "standard", "high", "medium", "default")
# Comments a channel owner sees but the public does not.
_HELD = frozenset({"heldForReview", "likelySpam", "rejected"})
_GONE = frozenset({"deleted", "rejected", "failed"})


def is_v3_page(value: JsonObject) -> bool:
    """Whether an object is a Data API v3 response or resource we read, or its error."""
    kind = value.get("kind")
    if isinstance(kind, str):
        return kind in _LISTS or kind in _RESOURCES
    return _is_youtube_error(value)


def _is_youtube_error(value: JsonObject) -> bool:
    error = value.get("error")
    if not isinstance(error, dict):
        return False
    details = error.get("errors")
    return isinstance(details, list) and any(
        isinstance(d, dict) and str(d.get("domain", "")).startswith("youtube") for d in details
    )


def _known_page(value: JsonObject) -> bool:
    """``is_v3_page``; ``UnrecognisedFormat`` naming the kinds read for another YouTube kind."""
    if is_v3_page(value):
        return True
    kind = value.get("kind")
    if isinstance(kind, str) and kind.startswith("youtube#"):
        raise UnrecognisedFormat(
            _("Respons YouTube jenis '%(kind)s' belum didukung; yang didukung: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(sorted(_LISTS))}
        )
    return False


def parse_v3_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one Data API v3 response read whole."""
    document = read_page(stream, accepts=_known_page, format_label=LABEL)
    if isinstance(document, ParseProblem):
        yield document
        return
    yield from _page(document[0], options, line=None, offset=None)


def parse_v3_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a JSONL file holding one Data API v3 response per line."""
    yield from parse_page_lines(
        stream,
        accepts=is_v3_page,
        format_label=LABEL,
        page=lambda entry: _page(entry.value, options, line=entry.line, offset=entry.offset),
    )


def _page(
    page: JsonObject, options: ParseOptions, *, line: int | None, offset: int | None
) -> Iterator[Parsed]:
    if "error" in page:
        yield ParseProblem(
            reason=_error_reason(page),
            line=line,
            offset=offset,
            path="$.error",
            raw=to_raw(page),
        )
        return
    kind = page["kind"]
    if kind in _RESOURCES:
        entries, base = [page], "$"
    else:
        try:
            entries, base = get_list(page, "items"), "$.items"
        except RECORD_ERRORS as error:
            yield ParseProblem(
                reason=reason_for(error), line=line, offset=offset, path="$", raw=to_raw(page)
            )
            return
    accounts: set[str] = set()
    for index, entry in enumerate(entries):
        path = base if base == "$" else f"{base}[{index}]"
        try:
            if not isinstance(entry, dict):
                raise RecordError(_("entri ini bukan objek JSON"))
            convert = _CONVERTERS.get(get_str(entry, "kind"))
            if convert is None:
                raise RecordError(
                    _("sumber daya jenis '%(kind)s' tidak disimpan")
                    % {"kind": get_str(entry, "kind")}
                )
            records = list(convert(entry, options.collected_at))
        except RECORD_ERRORS as error:
            yield ParseProblem(
                reason=reason_for(error), line=line, offset=offset, path=path, raw=to_raw(entry)
            )
            continue
        for record in records:
            # One snapshot per account and page: a busy commenter appears once.
            if isinstance(record, AccountRecord):
                if record.platform_id in accounts:
                    continue
                accounts.add(record.platform_id)
            yield record


def _error_reason(page: JsonObject) -> str:
    error = page["error"] if isinstance(page["error"], dict) else {"message": page["error"]}
    details = error.get("errors")
    reasons = [
        f"{d.get('domain', '')}/{d.get('reason', '')}"
        for d in (details if isinstance(details, list) else [])
        if isinstance(d, dict)
    ]
    return _("galat dari YouTube: %(code)s %(message)s (%(reasons)s)") % {
        "code": error.get("code", ""),
        "message": error.get("message", ""),
        "reasons": ", ".join(reasons),
    }


def _text_from_html(markup: str) -> str:
    """Plain text of ``textDisplay``: tags dropped, ``<br>`` as new lines, entities decoded."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _thumbnail(snippet: JsonObject) -> tuple[Media, ...]:
    thumbnails = get_obj(snippet, "thumbnails")
    for size in _THUMBNAILS:
        url = get_str(get_obj(thumbnails, size), "url")
        if url:
            return (Media("thumbnail", url),)
    return ()


def _channel_url(channel_id: str) -> str:
    return f"https://www.youtube.com/channel/{channel_id}" if channel_id else ""


def _video(
    video_id: str,
    resource: JsonObject,
    seen: datetime | None,
    *,
    escaped: bool,
) -> Iterator[Parsed]:
    snippet = get_obj(resource, "snippet")
    channel_id = get_str(snippet, "channelId")
    # search.list escapes HTML in its titles and descriptions; videos.list does not.
    unescape: Callable[[str], str] = html.unescape if escaped else str
    channel_title = get_opt_str(snippet, "channelTitle")
    if channel_id:  # a video names its channel but says nothing of its profile
        yield AccountRecord(
            platform=PLATFORM,
            platform_id=channel_id,
            handle="",
            display_name=None if channel_title is None else unescape(channel_title),
            url=_channel_url(channel_id),
            seen_at=seen,
        )
    statistics = get_obj(resource, "statistics")
    blocked = get_list(get_obj(get_obj(resource, "contentDetails"), "regionRestriction"), "blocked")
    status = get_obj(resource, "status")
    upload = get_str(status, "uploadStatus")
    published = get_str(snippet, "publishedAt")
    reason = ""
    if upload in _GONE:
        reason = _("status unggahan: %(status)s %(why)s") % {
            "status": upload,
            "why": get_str(status, "rejectionReason") or get_str(status, "failureReason"),
        }
    elif blocked:
        reason = _("diblokir di negara: %(countries)s") % {
            "countries": ", ".join(str(country) for country in blocked)
        }
    counts: dict[str, int] = {}
    for key, name in (("viewCount", "views"), ("likeCount", "likes"), ("commentCount", "comments")):
        value = get_int(statistics, key)
        if value is not None:
            counts[name] = value
    yield ItemRecord(
        platform=PLATFORM,
        platform_id=video_id,
        kind=ItemKind.VIDEO,
        author_id=channel_id,
        author_handle="",
        created_at=parse_iso(published, field="snippet.publishedAt") if published else None,
        text=unescape(get_str(snippet, "description")),
        title=unescape(get_str(snippet, "title")),
        root_id=video_id,
        language=get_str(snippet, "defaultLanguage") or get_str(snippet, "defaultAudioLanguage"),
        media=_thumbnail(snippet),
        permalink=f"https://www.youtube.com/watch?v={video_id}",
        metrics=metrics_from(counts),
        collected_at=seen,
        deleted=upload in _GONE,
        withheld=bool(blocked) and upload not in _GONE,
        reason=reason,
        raw=to_raw(resource),
    )


def _video_resource(resource: JsonObject, seen: datetime | None) -> Iterator[Parsed]:
    yield from _video(get_str(resource, "id", required=True), resource, seen, escaped=False)


def _search_result(resource: JsonObject, seen: datetime | None) -> Iterator[Parsed]:
    identity = get_obj(resource, "id")
    kind = get_str(identity, "kind")
    if kind == "youtube#video":
        video_id = get_str(identity, "videoId", required=True)
        yield from _video(video_id, resource, seen, escaped=True)
    elif kind == "youtube#channel":
        snippet = get_obj(resource, "snippet")
        channel_id = get_str(identity, "channelId", required=True)
        yield AccountRecord(
            platform=PLATFORM,
            platform_id=channel_id,
            handle="",
            display_name=html.unescape(get_str(snippet, "title")),
            # Search shortens descriptions: a cut bio is not the bio, so it is not given.
            bio=None,
            url=_channel_url(channel_id),
            seen_at=seen,
            raw=to_raw(resource),
        )
    else:
        raise RecordError(_("hasil pencarian jenis '%(kind)s' tidak disimpan") % {"kind": kind})


def _comment(
    comment: JsonObject,
    seen: datetime | None,
    *,
    video_id: str = "",
    replies: int | None = None,
) -> Iterator[Parsed]:
    comment_id = get_str(comment, "id", required=True)
    snippet = get_obj(comment, "snippet")
    author_id = get_str(get_obj(snippet, "authorChannelId"), "value")
    shown_name = get_str(snippet, "authorDisplayName")
    # Since handles arrived, the "display name" is the "@handle" itself, not the name.
    by_handle = shown_name.startswith("@")
    handle = shown_name[1:] if by_handle else ""
    if author_id:
        yield AccountRecord(
            platform=PLATFORM,
            platform_id=author_id,
            handle=handle,
            display_name=None if by_handle else shown_name,
            url=get_str(snippet, "authorChannelUrl") or _channel_url(author_id),
            seen_at=seen,
        )
    video_id = get_str(snippet, "videoId") or video_id
    parent = get_str(snippet, "parentId")
    moderation = get_str(snippet, "moderationStatus")
    published = get_str(snippet, "publishedAt", required=True)
    counts = {"likes": get_int(snippet, "likeCount"), "replies": replies}
    yield ItemRecord(
        platform=PLATFORM,
        platform_id=comment_id,
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        author_id=author_id,
        author_handle=handle,
        created_at=parse_iso(published, field="snippet.publishedAt"),
        # textOriginal is the text as typed; textDisplay is HTML, given to everyone.
        text=get_str(snippet, "textOriginal") or _text_from_html(get_str(snippet, "textDisplay")),
        parent_id=parent or video_id,
        root_id=video_id,
        permalink=(
            f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else ""
        ),
        metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
        collected_at=seen,
        withheld=moderation in _HELD,
        reason=_("ditahan moderasi kanal: %(status)s") % {"status": moderation}
        if moderation in _HELD
        else "",
        raw=to_raw(comment),
    )


def _comment_resource(resource: JsonObject, seen: datetime | None) -> Iterator[Parsed]:
    yield from _comment(resource, seen)


def _thread(resource: JsonObject, seen: datetime | None) -> Iterator[Parsed]:
    snippet = get_obj(resource, "snippet")
    video_id = get_str(snippet, "videoId")
    top = get_obj(snippet, "topLevelComment")
    if not top:
        raise RecordError(_("kolom 'topLevelComment' tidak ada"))
    yield from _comment(top, seen, video_id=video_id, replies=get_int(snippet, "totalReplyCount"))
    for reply in get_list(get_obj(resource, "replies"), "comments"):
        if not isinstance(reply, dict):
            raise RecordError(_("balasan bukan objek JSON"))
        yield from _comment(reply, seen, video_id=video_id)


def _channel(resource: JsonObject, seen: datetime | None) -> Iterator[Parsed]:
    channel_id = get_str(resource, "id", required=True)
    snippet = get_obj(resource, "snippet")
    statistics = get_obj(resource, "statistics")
    hidden = statistics.get("hiddenSubscriberCount") is True
    yield AccountRecord(
        platform=PLATFORM,
        platform_id=channel_id,
        handle=get_str(snippet, "customUrl").removeprefix("@"),
        display_name=get_opt_str(snippet, "title"),
        bio=get_opt_str(snippet, "description"),
        url=_channel_url(channel_id),
        followers=None if hidden else get_int(statistics, "subscriberCount"),
        posts=get_int(statistics, "videoCount"),
        seen_at=seen,
        raw=to_raw(resource),
    )


_CONVERTERS: dict[str, Callable[[JsonObject, datetime | None], Iterator[Parsed]]] = {
    "youtube#searchResult": _search_result,
    "youtube#video": _video_resource,
    "youtube#commentThread": _thread,
    "youtube#comment": _comment_resource,
    "youtube#channel": _channel,
}
