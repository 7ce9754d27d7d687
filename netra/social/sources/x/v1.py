"""Twitter API v1.1 statuses into records: ``twitter-v1-json`` and twarc's ``twitter-v1-jsonl``.

Pure: bytes in, records out (records.py states the conventions). ``twitter-v1-json`` is
an array of statuses, a search response or one status; ``twitter-v1-jsonl`` one status
per line (twarc 1), with the streaming API's ``delete`` and ``limit`` notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from django.utils.translation import gettext as _

from netra.social.sources.reading import (
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    describe_value,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    parse_twitter_time,
    read_document,
    read_json_lines,
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
)
from netra.social.sources.x.common import (
    PLATFORM,
    counts,
    language,
    mentions,
    permalink,
    problem,
    profile_url,
    require_id,
    require_object,
    snowflake_time,
    withheld_reason,
)

V1_LABEL = "Twitter API v1.1"

_V1_METRICS = {
    "favorite_count": "likes",
    "retweet_count": "shares",
    "reply_count": "replies",
    "quote_count": "quotes",
}


def is_v1_status(value: JsonObject) -> bool:
    """Whether an object is a Twitter API v1.1 status."""
    return "id_str" in value and ("text" in value or "full_text" in value) and "user" in value


def _v1_statuses(value: object) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("statuses"), list):
            return list(value["statuses"])
        if is_v1_status(value):
            return [value]
    return None


def parse_v1_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a v1.1 document: an array of statuses, a search response or one status."""
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    value, raw = document
    statuses = _v1_statuses(value)
    if statuses is None:
        # One object that is neither a status nor a search response: the file is one
        # record this format cannot use.
        yield ParseProblem(
            reason=_("berkas ini bukan status %(format)s; isinya: %(seen)s")
            % {"format": V1_LABEL, "seen": describe_value(value)},
            path="$",
            raw=raw,
        )
        return
    # An entry that is no status is a problem of its own: the array is read to its end.
    for index, status in enumerate(statuses):
        if isinstance(value, list):
            where = f"$[{index}]"
        elif "statuses" in value:
            where = f"$.statuses[{index}]"
        else:
            where = "$"
        try:
            records = list(v1_status(require_object(status), options=options))
        except RECORD_ERRORS as error:
            yield problem(error, line=None, offset=None, path=where, value=status)
            continue
        yield from records


def _is_v1_line(value: JsonObject) -> bool:
    return is_v1_status(value) or "delete" in value or "limit" in value


def parse_v1_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a twarc 1 JSONL file, one v1.1 status per line, in constant memory.

    The streaming API's notices are read too: a ``delete`` notice becomes a tombstone, a
    ``limit`` notice (tweets the stream did not deliver) a ``ParseProblem`` saying so.
    """
    for entry in read_json_lines(stream, accepts=_is_v1_line, format_label=V1_LABEL):
        if isinstance(entry, ParseProblem):
            yield entry
            continue
        value = entry.value
        try:
            if is_v1_status(value):
                records = list(v1_status(value, options=options, raw=entry.raw))
            elif "delete" in value:
                records = [_v1_delete_notice(value, options=options, raw=entry.raw)]
            elif "limit" in value:
                raise RecordError(
                    _("pemberitahuan batas dari stream: %(count)s tweet tidak terkirim")
                    % {"count": get_obj(value, "limit").get("track", "?")}
                )
            else:
                raise RecordError(_("baris ini bukan status %(format)s") % {"format": V1_LABEL})
        except RECORD_ERRORS as error:
            yield ParseProblem(
                reason=reason_for(error), line=entry.line, offset=entry.offset, raw=entry.raw
            )
            continue
        yield from records


def _v1_delete_notice(value: JsonObject, *, options: ParseOptions, raw: bytes) -> ItemRecord:
    notice = get_obj(value, "delete")
    status = get_obj(notice, "status")
    tweet_id = require_id(status, "id_str")
    stamp = get_int(notice, "timestamp_ms")
    when = datetime.fromtimestamp(stamp / 1000, tz=UTC).isoformat() if stamp else "?"
    return ItemRecord(
        platform=PLATFORM,
        platform_id=tweet_id,
        kind=ItemKind.POST,
        author_id=get_str(status, "user_id_str"),
        author_handle="",
        created_at=snowflake_time(tweet_id),
        permalink=permalink(tweet_id, ""),
        collected_at=options.collected_at,
        deleted=True,
        reason=_("dihapus penulisnya pada %(when)s (pemberitahuan stream)") % {"when": when},
        raw=raw,
    )


def v1_status(
    status: JsonObject,
    *,
    options: ParseOptions,
    raw: bytes = b"",
    owner: tuple[str, str] | None = None,
) -> Iterator[Parsed]:
    """A v1.1 status (or an archive tweet, whose author is ``owner``) as records.

    The retweeted and quoted statuses embedded in it come first, then its author, then it.
    """
    tweet_id = require_id(status, "id_str")
    seen = options.collected_at
    retweeted = get_obj(status, "retweeted_status")
    quoted = get_obj(status, "quoted_status")
    for embedded in (retweeted, quoted):
        if embedded:
            yield from v1_status(embedded, options=options)
    if owner is None:
        user = get_obj(status, "user")
        account = v1_account(user, seen=seen)
        yield account
        author_id, handle = account.platform_id, account.handle
    else:
        author_id, handle = owner
    text = (
        get_str(get_obj(status, "extended_tweet"), "full_text")
        or get_str(status, "full_text")
        or get_str(status, "text")
    )
    reply_to = get_str(status, "in_reply_to_status_id_str")
    quoted_id = get_str(status, "quoted_status_id_str")
    if retweeted:
        kind, parent = ItemKind.SHARE, require_id(retweeted, "id_str")
    elif reply_to:
        kind, parent = ItemKind.REPLY, reply_to
    elif quoted_id:
        kind, parent = ItemKind.QUOTE, quoted_id
    elif owner is not None and text.startswith("RT @"):
        # An archive keeps a retweet as its "RT @author: …" text only.
        kind, parent = ItemKind.SHARE, ""
    else:
        kind, parent = ItemKind.POST, ""
    created_at = parse_twitter_time(
        get_str(status, "created_at", required=True), field="created_at"
    )
    entities = get_obj(status, "extended_entities") or get_obj(status, "entities")
    countries = get_list(status, "withheld_in_countries")
    copyright_claim = status.get("withheld_copyright") is True
    withheld = bool(countries) or copyright_claim
    deleted_at = get_str(status, "deleted_at")
    yield ItemRecord(
        platform=PLATFORM,
        platform_id=tweet_id,
        kind=kind,
        author_id=author_id,
        author_handle=handle,
        created_at=created_at,
        text=text,
        parent_id=parent,
        # v1.1 has no conversation id: a reply's root is unknown, anything else starts its own.
        root_id="" if kind in {ItemKind.REPLY, ItemKind.SHARE} else tweet_id,
        language=language(get_str(status, "lang")),
        media=tuple(_v1_media(m) for m in get_list(entities, "media")),
        permalink=permalink(tweet_id, handle),
        metrics=counts({k: status[k] for k in _V1_METRICS if k in status}, _V1_METRICS),
        collected_at=seen,
        deleted=bool(deleted_at),
        withheld=withheld,
        reason=(
            _("dihapus pemilik akun pada %(when)s") % {"when": deleted_at}
            if deleted_at
            else withheld_reason(countries, copyright_claim)
            if withheld
            else ""
        ),
        raw=raw or to_raw(status),
    )
    if kind is ItemKind.SHARE:
        return
    yield from mentions(
        get_list(get_obj(status, "entities"), "user_mentions"),
        actor_id=author_id,
        actor_handle=handle,
        via_item_id=tweet_id,
        occurred_at=created_at,
        observed_at=seen,
        ids_by_handle={},
        handle_key="screen_name",
    )


def _v1_media(item: object) -> Media:
    media = require_object(item)
    kind = get_str(media, "type", required=True)
    url = get_str(media, "media_url_https") or get_str(media, "media_url")
    variants = [
        v
        for v in get_list(get_obj(media, "video_info"), "variants")
        if isinstance(v, dict) and v.get("content_type") == "video/mp4" and v.get("url")
    ]
    if variants:
        url = max(variants, key=lambda v: get_int(v, "bitrate") or 0)["url"]
    return Media(kind, url)


def v1_account(user: JsonObject, *, seen: datetime | None) -> AccountRecord:
    """A v1.1 user object as an account snapshot."""
    handle = get_str(user, "screen_name")
    countries = get_list(user, "withheld_in_countries")
    return AccountRecord(
        platform=PLATFORM,
        platform_id=require_id(user, "id_str"),
        handle=handle,
        display_name=get_opt_str(user, "name"),
        bio=get_opt_str(user, "description"),
        url=profile_url(handle),
        followers=get_int(user, "followers_count"),
        following=get_int(user, "friends_count"),
        posts=get_int(user, "statuses_count"),
        seen_at=seen,
        withheld=bool(countries),
        reason=withheld_reason(countries, False) if countries else "",
        raw=to_raw(user),
    )
