"""X (Twitter) posts as Zeeschuimer captures them from the web app.

Most captures are GraphQL tweet results (``HomeTimeline``, ``UserTweets``,
``SearchTimeline``, ``TweetDetail``): ``rest_id``, ``core.user_results.result`` (the
author: ``rest_id``, ``core.screen_name``/``core.name`` since 2025, before that in
``legacy``, and ``legacy`` with ``description`` and the counts), ``legacy`` (a v1.1 status
without its user: ``full_text``, ``created_at``, ``favorite_count``, ``retweet_count``,
``reply_count``, ``quote_count``, ``bookmark_count``, ``conversation_id_str``,
``in_reply_to_status_id_str``, ``retweeted_status_result``, ``entities.user_mentions``,
``extended_entities.media``), ``quoted_status_result``, ``note_tweet`` (the whole text of
a long post) and ``views.count``. ``TweetWithVisibilityResults`` wraps the tweet once
more. Captures of the old ``adaptive.json`` API (``"type": "adaptive"``) hold a v1.1
status in ``legacy`` and its author in ``user``, and are read as v1.1.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from netra.social.sources.capture.common import language, mentions, raw_of
from netra.social.sources.reading import (
    JsonObject,
    RecordError,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    parse_twitter_time,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    Capture,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    ParseOptions,
    metrics_from,
)
from netra.social.sources.x.common import PLATFORM, permalink, snowflake_time
from netra.social.sources.x.v1 import v1_status

_METRICS = {
    "favorite_count": "likes",
    "retweet_count": "shares",
    "reply_count": "replies",
    "quote_count": "quotes",
    "bookmark_count": "bookmarks",
}


def tweet(data: JsonObject, capture: Capture) -> list[Parsed]:
    """A captured X post: the posts it shares or quotes, its author, it, its mentions."""
    if get_str(data, "type") == "adaptive":
        status = {**get_obj(data, "legacy"), "user": get_obj(data, "user")}
        return list(
            v1_status(status, options=ParseOptions(collected_at=capture.seen), raw=capture.raw)
        )
    return _tweet(_unwrap(data), capture, raw=capture.raw)


def _unwrap(result: JsonObject) -> JsonObject:
    """The tweet inside a ``TweetWithVisibilityResults`` (or any ``{"tweet": …}``) shell."""
    inner = result.get("tweet")
    if isinstance(inner, dict) and "rest_id" not in result:
        return inner
    return result


def _tweet_id(result: JsonObject) -> str:
    return get_str(result, "rest_id") or get_str(get_obj(result, "legacy"), "id_str")


def _embedded(result: JsonObject, capture: Capture, records: list[Parsed]) -> str:
    """The id of a tweet shown inside another; its records go first when X gave its body."""
    result = _unwrap(result)
    tweet_id = _tweet_id(result)
    if tweet_id and "legacy" in result:
        records.extend(_tweet(result, capture, raw=to_raw(result)))
    return tweet_id


def _tweet(result: JsonObject, capture: Capture, *, raw: bytes) -> list[Parsed]:
    legacy = get_obj(result, "legacy")
    tweet_id = _tweet_id(result)
    if not tweet_id:
        tombstone = get_str(get_obj(get_obj(result, "tombstone"), "text"), "text")
        raise RecordError(
            _("tweet tidak tersedia (%(kind)s): %(why)s")
            % {"kind": get_str(result, "__typename") or "?", "why": tombstone or "-"}
        )
    records: list[Parsed] = []
    shared = _embedded(
        get_obj(get_obj(legacy, "retweeted_status_result"), "result"), capture, records
    )
    quoted = _embedded(get_obj(get_obj(result, "quoted_status_result"), "result"), capture, records)
    quoted = quoted or get_str(legacy, "quoted_status_id_str")
    author = get_obj(get_obj(get_obj(result, "core"), "user_results"), "result")
    account = _account(author, capture) if get_str(author, "rest_id") else None
    if account is not None:
        records.append(account)
        author_id, handle = account.platform_id, account.handle
    else:
        author_id, handle = get_str(legacy, "user_id_str"), ""
    reply_to = get_str(legacy, "in_reply_to_status_id_str")
    if shared:
        kind, parent = ItemKind.SHARE, shared
    elif reply_to:
        kind, parent = ItemKind.REPLY, reply_to
    elif quoted:
        kind, parent = ItemKind.QUOTE, quoted
    else:
        kind, parent = ItemKind.POST, ""
    created = get_str(legacy, "created_at")
    created_at = (
        parse_twitter_time(created, field="legacy.created_at")
        if created
        else snowflake_time(tweet_id)
    )
    note = get_obj(get_obj(get_obj(result, "note_tweet"), "note_tweet_results"), "result")
    counts = {name: get_int(legacy, key) for key, name in _METRICS.items()}
    counts["views"] = get_int(get_obj(result, "views"), "count")
    entities = get_obj(legacy, "extended_entities") or get_obj(legacy, "entities")
    countries = [str(c) for c in get_list(legacy, "withheld_in_countries")]
    records.append(
        ItemRecord(
            platform=PLATFORM,
            platform_id=tweet_id,
            kind=kind,
            author_id=author_id,
            author_handle=handle,
            created_at=created_at,
            # Posts over 280 characters come whole only in note_tweet.
            text=get_str(note, "text") or get_str(legacy, "full_text"),
            parent_id=parent,
            root_id=get_str(legacy, "conversation_id_str"),
            language=_language(get_str(legacy, "lang")),
            media=tuple(_media(m) for m in get_list(entities, "media")),
            permalink=permalink(tweet_id, handle),
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=capture.seen,
            withheld=bool(countries),
            reason=_("ditahan di negara: %(countries)s") % {"countries": ", ".join(countries)}
            if countries
            else "",
            raw=raw,
        )
    )
    if kind is ItemKind.SHARE:
        # A retweet's only mention is the automatic "RT @author:".
        return records
    targets: list[tuple[str, str]] = []
    for mention in get_list(get_obj(legacy, "entities"), "user_mentions"):
        if not isinstance(mention, dict):
            raise RecordError(_("entri 'user_mentions' bukan objek"))
        targets.append((get_str(mention, "id_str"), get_str(mention, "screen_name")))
    records.extend(
        mentions(
            PLATFORM,
            targets,
            actor_id=author_id,
            actor_handle=handle,
            via_item_id=tweet_id,
            occurred_at=created_at,
            observed_at=capture.seen,
        )
    )
    return records


def _language(code: str) -> str:
    # X says "in" for Indonesian (the old ISO 639 code).
    return "id" if code == "in" else language(code)


def _account(user: JsonObject, capture: Capture) -> AccountRecord:
    core = get_obj(user, "core")
    legacy = get_obj(user, "legacy")
    handle = get_str(core, "screen_name") or get_str(legacy, "screen_name")
    name = get_opt_str(core, "name")
    countries = [str(c) for c in get_list(legacy, "withheld_in_countries")]
    return AccountRecord(
        platform=PLATFORM,
        platform_id=get_str(user, "rest_id"),
        handle=handle,
        display_name=name if name is not None else get_opt_str(legacy, "name"),
        bio=get_opt_str(legacy, "description"),
        url=f"https://x.com/{handle}" if handle else "",
        followers=get_int(legacy, "followers_count"),
        following=get_int(legacy, "friends_count"),
        posts=get_int(legacy, "statuses_count"),
        seen_at=capture.seen,
        withheld=bool(countries),
        reason=_("ditahan di negara: %(countries)s") % {"countries": ", ".join(countries)}
        if countries
        else "",
        raw=raw_of(user),
    )


def _media(item: object) -> Media:
    if not isinstance(item, dict):
        raise RecordError(_("entri 'media' bukan objek"))
    kind = get_str(item, "type", required=True)
    url = get_str(item, "media_url_https")
    variants = [
        v
        for v in get_list(get_obj(item, "video_info"), "variants")
        if isinstance(v, dict) and v.get("content_type") == "video/mp4" and v.get("url")
    ]
    if variants:
        url = max(variants, key=lambda v: get_int(v, "bitrate") or 0)["url"]
    return Media(kind, url)
