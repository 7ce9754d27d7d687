"""X API v2 pages into records: ``x-v2-json`` and twarc2's ``x-v2-jsonl``.

Pure: bytes in, records out (records.py states the conventions). ``x-v2-json`` is one API
v2 response (tweets or users, with ``includes`` and ``errors``); ``x-v2-jsonl`` is twarc2
output, one full API v2 response per line with its ``__twarc`` metadata (request URL and
retrieval time).

Both also read the tweets and users that ``twarc2 flatten`` writes, one a line (or one
as a document): each is the object of a response's ``data`` with the response's
``includes`` put inline (``author``, ``in_reply_to_user``, the fields of each referenced
tweet merged into its ``referenced_tweets`` entry, or under its ``tweet`` key, the users
named in ``entities.mentions``, ``attachments.media``, ``pinned_tweet``) and the
response's ``__twarc`` copied in. Such a line is turned back into the response it came
from (``unflattened``) and read as one, so a flattened file gives the records its
responses give: authors and mentioned users as accounts, referenced tweets as items,
mentions as interactions. What flattening drops (a response's ``errors``, users no tweet
names) is not in the file to read.

The likes, retweets and follows of the v2 endpoints ``liking_users``, ``retweeted_by``,
``liked_tweets``, ``following`` and ``followers`` name one side only in the request URL,
so they become interactions only when the URL is known (``__twarc.url`` or
``ParseOptions.request_url``); without it the page still yields its accounts and items.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from netra.social.sources.reading import (
    RECORD_ERRORS,
    JsonLine,
    JsonObject,
    RecordError,
    describe_keys,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    parse_iso,
    parse_page_lines,
    read_page,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
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

V2_LABEL = "X API v2"

_V2_METRICS = {
    "like_count": "likes",
    "retweet_count": "shares",
    "reply_count": "replies",
    "quote_count": "quotes",
    "bookmark_count": "bookmarks",
    "impression_count": "views",
}

_ENDPOINT = re.compile(
    r"/2/(?P<resource>tweets|users)/(?P<id>\d+)/"
    r"(?P<relation>liking_users|retweeted_by|quote_tweets|liked_tweets|following|followers)/?$"
)


# Keys of a response; an object with none of them and a numeric id is one tweet or user.
_PAGE_KEYS = frozenset({"data", "includes", "errors", "meta", "title"})
# What twarc2's flatten puts into a tweet or user from the response's includes.
_INLINE_USERS = ("author", "in_reply_to_user")
_MENTION_KEYS = ("start", "end", "username", "id")


def is_flat_object(value: JsonObject) -> bool:
    """Whether an object is one v2 tweet or user written whole: a line of ``twarc2 flatten``
    (it carries ``__twarc``) or a bare tweet as other tools save one (``author_id`` or
    ``edit_history_tweet_ids`` beside ``text``)."""
    if not _PAGE_KEYS.isdisjoint(value.keys()) or "id_str" in value or "user" in value:
        return False
    object_id = value.get("id")
    if object_id.__class__ is not str or not object_id.isdigit():
        return False
    if "__twarc" in value:
        return "text" in value or "username" in value
    return "text" in value and ("author_id" in value or "edit_history_tweet_ids" in value)


def is_v2_object(value: JsonObject) -> bool:
    """Whether an object is a v2 response, a twarc2 line holding one, or a flattened one."""
    return is_v2_page(value) or is_flat_object(value)


def unflattened(flat: JsonObject) -> JsonObject:
    """The v2 response a flattened tweet or user came from, as far as it holds it.

    The object goes back into ``data`` as the API sent it (the inline expansions taken
    out of it, mention entries cut back to ``start``, ``end``, ``username`` and ``id``,
    referenced tweets to ``type`` and ``id``), what was inline into ``includes``
    (``users``, ``tweets``, ``media``; an expansion twarc2 left empty for a user or tweet
    the API did not include gives nothing) and ``__twarc`` to the top.
    """
    includes: dict[str, dict[str, JsonObject]] = {"users": {}, "tweets": {}, "media": {}}
    page: JsonObject = {"data": _restored(flat, includes)}
    found = {key: list(entries.values()) for key, entries in includes.items() if entries}
    if found:
        page["includes"] = found
    if "__twarc" in flat:
        page["__twarc"] = flat["__twarc"]
    return page


def _restored(value: JsonObject, includes: dict[str, dict[str, JsonObject]]) -> JsonObject:
    """A flattened tweet or user as the API sent it; what was inline added to ``includes``."""
    restored: JsonObject = {}
    for key, field_value in value.items():
        if key == "__twarc":
            continue
        if key in _INLINE_USERS:
            _include(field_value, "users", "id", includes)
        elif key == "pinned_tweet":
            _include(field_value, "tweets", "id", includes)
        elif key == "referenced_tweets" and isinstance(field_value, list):
            restored[key] = [_reference(entry, includes) for entry in field_value]
        elif key == "attachments" and isinstance(field_value, dict):
            restored[key] = {k: v for k, v in field_value.items() if k not in ("media", "poll")}
            for media in field_value.get("media") or ():
                _include(media, "media", "media_key", includes)
        elif key == "entities" and isinstance(field_value, dict):
            restored[key] = _entities(field_value, includes)
        else:
            restored[key] = field_value
    return restored


def _reference(entry: object, includes: dict[str, dict[str, JsonObject]]) -> object:
    """A ``referenced_tweets`` entry cut back to ``type`` and ``id``, its tweet included."""
    if not isinstance(entry, dict):
        return entry
    nested = entry.get("tweet")
    tweet = nested if isinstance(nested, dict) else {k: v for k, v in entry.items() if k != "type"}
    _include(tweet, "tweets", "id", includes)
    return {key: entry[key] for key in ("type", "id") if key in entry}


def _entities(entities: JsonObject, includes: dict[str, dict[str, JsonObject]]) -> JsonObject:
    mentions = entities.get("mentions")
    if not isinstance(mentions, list):
        return entities
    restored = []
    for mention in mentions:
        if isinstance(mention, dict):
            user = {k: v for k, v in mention.items() if k not in ("start", "end")}
            if user.keys() - {"username", "id"}:  # the user's fields were put inline
                _include(user, "users", "id", includes)
            mention = {key: mention[key] for key in _MENTION_KEYS if key in mention}
        restored.append(mention)
    return {**entities, "mentions": restored}


def _include(
    value: object, kind: str, key: str, includes: dict[str, dict[str, JsonObject]]
) -> None:
    """Add an inline user, tweet or media object to ``includes``, once per id; twarc2 writes
    ``{}`` (a tweet only its reference's id) for one the response did not include."""
    if not isinstance(value, dict) or not (value.keys() - {key}):
        return
    identifier = value.get(key)
    if isinstance(identifier, str) and identifier not in includes[kind]:
        includes[kind][identifier] = _restored(value, includes) if kind != "media" else value


def is_v2_page(value: JsonObject) -> bool:
    """Whether an object is an X API v2 response (or a twarc2 line holding one)."""
    if "__twarc" in value or "data" in value or "includes" in value:
        return True
    meta = value.get("meta")
    if isinstance(meta, dict) and "result_count" in meta:
        return True
    errors = value.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        # v1.1 errors carry "code" and "message"; v2 problems carry "title" and "type".
        return "title" in errors[0] or "resource_type" in errors[0]
    return {"title", "type", "detail"} <= value.keys()


def parse_v2_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one X API v2 response read whole (a page is small)."""
    document = read_page(stream, accepts=is_v2_object, format_label=V2_LABEL)
    if isinstance(document, ParseProblem):
        yield document
        return
    page = document[0]
    if is_flat_object(page):
        page = unflattened(page)
    yield from _V2Page(page, options, line=None, offset=None).records()


# Users remembered per file to skip the same user object repeated page after page
# (about 160 bytes each: 8 MB).
_KNOWN_USERS_LIMIT = 50_000


def parse_v2_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a twarc2 JSONL file, one response page per line, in constant memory.

    Each page repeats the users it mentions in ``includes.users``; a user object identical
    to one already read from this file is read once.
    """
    known_users: dict[str, bytes] = {}
    # Flattened lines repeat each referenced tweet with every tweet that references it.
    known_tweets: dict[str, bytes] = {}

    def page(entry: JsonLine) -> Iterator[Parsed]:
        if len(known_users) > _KNOWN_USERS_LIMIT:
            known_users.clear()
        if len(known_tweets) > _KNOWN_USERS_LIMIT:
            known_tweets.clear()
        flat = is_flat_object(entry.value)
        value = unflattened(entry.value) if flat else entry.value
        reader = _V2Page(value, options, line=entry.line, offset=entry.offset)
        reader.known_users = known_users
        reader.known_tweets = known_tweets if flat else None
        return reader.records()

    yield from parse_page_lines(stream, accepts=is_v2_object, format_label=V2_LABEL, page=page)


_Convert = Callable[[JsonObject], list[Parsed]]


@dataclass
class _V2Page:
    """One v2 response: its includes are looked up while its data are converted."""

    page: JsonObject
    options: ParseOptions
    line: int | None
    offset: int | None
    seen: datetime | None = None
    endpoint: tuple[str, str, str] | None = None
    handles: dict[str, str] = field(default_factory=dict)
    ids_by_handle: dict[str, str] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    # user id -> digest of the user object last read from this file (see parse_v2_jsonl)
    known_users: dict[str, bytes] | None = None
    # the same for included tweets, of flattened lines only
    known_tweets: dict[str, bytes] | None = None

    def problem(self, error: Exception, path: str, value: object) -> ParseProblem:
        return problem(error, line=self.line, offset=self.offset, path=path, value=value)

    def records(self) -> Iterator[Parsed]:
        try:
            twarc = get_obj(self.page, "__twarc")
            includes = get_obj(self.page, "includes")
            data = self.page.get("data")
            users = get_list(includes, "users")
            tweets = get_list(includes, "tweets")
            media = get_list(includes, "media")
            errors = get_list(self.page, "errors")
            retrieved = get_str(twarc, "retrieved_at")
            self.seen = (
                parse_iso(retrieved, field="__twarc.retrieved_at")
                if retrieved
                else self.options.collected_at
            )
        except RECORD_ERRORS as error:
            yield self.problem(error, "$", self.page)
            return
        if _PAGE_KEYS.isdisjoint(self.page.keys()):
            # Accepted for its __twarc, yet neither a response nor a tweet or user: a
            # record of a shape this reader does not know, never skipped in silence.
            yield self.problem(
                RecordError(
                    _(
                        "objek ini bukan respons X API v2 (tanpa data, includes, errors, "
                        "meta) dan bukan satu tweet atau akun (id angka dengan text atau "
                        "username); kuncinya: %(keys)s"
                    )
                    % {"keys": describe_keys(self.page)}
                ),
                "$",
                self.page,
            )
            return
        meta = self.page.get("meta")
        count = meta.get("result_count") if isinstance(meta, dict) else None
        if data is None and not errors and isinstance(count, int) and count > 0:
            # The page says it holds results that are not in it (cut by a tool?).
            yield self.problem(
                RecordError(
                    _("meta.result_count menyebut %(count)d hasil, tetapi halaman ini tanpa data")
                    % {"count": count}
                ),
                "$.data",
                self.page,
            )
            return
        if data is None and not errors and "title" in self.page:
            # The whole request failed (401, 429…): the answer is one problem document.
            yield self.problem(
                RecordError(
                    _("galat dari platform: %(title)s: %(detail)s")
                    % {"title": self.page.get("title"), "detail": self.page.get("detail")}
                ),
                "$",
                self.page,
            )
            return
        url = twarc.get("url")  # twarc's note of the request; anything else is no URL
        self.endpoint = _endpoint((url if isinstance(url, str) else "") or self.options.request_url)
        entries: list[Any] = [] if data is None else data if isinstance(data, list) else [data]
        data_users = [e for e in entries if isinstance(e, dict) and "username" in e]
        for user in (*users, *data_users):
            if isinstance(user, dict) and isinstance(user.get("id"), str):
                handle = user.get("username")
                if isinstance(handle, str):
                    self.handles[user["id"]] = handle
                    self.ids_by_handle[handle.lower()] = user["id"]
        for index, item in enumerate(media):
            if isinstance(item, dict):
                try:
                    key = get_str(item, "media_key", required=True)
                    self.media[key] = _v2_media(item)
                except RECORD_ERRORS as error:
                    yield self.problem(error, f"$.includes.media[{index}]", item)

        convert = self._convert
        known = self.known_users
        for index, user in enumerate(users):
            if known is not None and user.__class__ is dict:
                user_id = user.get("id")
                if user_id.__class__ is str:
                    # A digest, not the object: memory stays small with many users.
                    digest = hashlib.blake2b(to_raw(user), digest_size=16).digest()
                    if known.get(user_id) == digest:
                        continue
                    known[user_id] = digest
            yield from convert(self._account, user, "$.includes.users", index)
        known_tweets = self.known_tweets
        for index, tweet in enumerate(tweets):
            if known_tweets is not None and tweet.__class__ is dict:
                tweet_id = tweet.get("id")
                if tweet_id.__class__ is str:
                    digest = hashlib.blake2b(to_raw(tweet), digest_size=16).digest()
                    if known_tweets.get(tweet_id) == digest:
                        continue
                    known_tweets[tweet_id] = digest
            yield from convert(self._tweet, tweet, "$.includes.tweets", index)
        single = not isinstance(data, list)
        for index, entry in enumerate(entries):
            is_user = isinstance(entry, dict) and "username" in entry
            handler = self._data_user if is_user else self._data_tweet
            yield from convert(handler, entry, "$.data", None if single else index)
        for index, failure in enumerate(errors):
            yield from convert(self._error, failure, "$.errors", index)

    def _convert(
        self, handler: _Convert, entry: object, base: str, index: int | None
    ) -> list[Parsed]:
        # A record is converted whole before anything of it is yielded, so a bad record
        # leaves nothing half-read behind its ParseProblem.
        try:
            return handler(require_object(entry))
        except RECORD_ERRORS as error:
            path = base if index is None else f"{base}[{index}]"
            return [self.problem(error, path, entry)]

    def _account(self, user: JsonObject) -> list[Parsed]:
        return [v2_account(user, seen=self.seen)]

    def _data_user(self, user: JsonObject) -> list[Parsed]:
        account = v2_account(user, seen=self.seen)
        if self.endpoint is None:
            return [account]
        resource, subject, relation = self.endpoint
        kinds = {"liking_users": InteractionKind.LIKE, "retweeted_by": InteractionKind.SHARE}
        if resource == "tweets" and relation in kinds:
            return [
                account,
                InteractionRecord(
                    platform=PLATFORM,
                    kind=kinds[relation],
                    actor_id=account.platform_id,
                    actor_handle=account.handle,
                    target_item_id=subject,
                    observed_at=self.seen,
                ),
            ]
        if resource == "users" and relation == "following":
            return [
                account,
                InteractionRecord(
                    platform=PLATFORM,
                    kind=InteractionKind.FOLLOW,
                    actor_id=subject,
                    actor_handle=self.handles.get(subject, ""),
                    target_account_id=account.platform_id,
                    target_account_handle=account.handle,
                    observed_at=self.seen,
                ),
            ]
        if resource == "users" and relation == "followers":
            return [
                account,
                InteractionRecord(
                    platform=PLATFORM,
                    kind=InteractionKind.FOLLOW,
                    actor_id=account.platform_id,
                    actor_handle=account.handle,
                    target_account_id=subject,
                    target_account_handle=self.handles.get(subject, ""),
                    observed_at=self.seen,
                ),
            ]
        return [account]

    def _data_tweet(self, tweet: JsonObject) -> list[Parsed]:
        records = self._tweet(tweet)
        if self.endpoint is not None and self.endpoint[0::2] == ("users", "liked_tweets"):
            records.append(
                InteractionRecord(
                    platform=PLATFORM,
                    kind=InteractionKind.LIKE,
                    actor_id=self.endpoint[1],
                    actor_handle=self.handles.get(self.endpoint[1], ""),
                    target_item_id=tweet["id"],  # checked by _tweet
                    observed_at=self.seen,
                )
            )
        return records

    def _tweet(self, tweet: JsonObject) -> list[Parsed]:
        # The hot path of every X import: fields absent from a tweet are not looked up.
        tweet_id = require_id(tweet, "id")
        author_id = get_str(tweet, "author_id")
        handle = self.handles.get(author_id, "")
        kind, parent = ItemKind.POST, ""
        if "referenced_tweets" in tweet:
            kind, parent = _v2_reference(get_list(tweet, "referenced_tweets"))
        created = get_str(tweet, "created_at")
        created_at = parse_iso(created, field="created_at") if created else snowflake_time(tweet_id)
        text = get_str(tweet, "text")
        if "note_tweet" in tweet:
            # Posts over 280 characters come whole only in note_tweet.
            text = get_str(get_obj(tweet, "note_tweet"), "text") or text
        media: tuple[Media, ...] = ()
        if "attachments" in tweet:
            keys = get_list(get_obj(tweet, "attachments"), "media_keys")
            media = tuple(self.media[key] for key in keys if key in self.media)
        withheld = get_obj(tweet, "withheld") if "withheld" in tweet else None
        item = ItemRecord(
            platform=PLATFORM,
            platform_id=tweet_id,
            kind=kind,
            author_id=author_id,
            author_handle=handle,
            created_at=created_at,
            text=text,
            parent_id=parent,
            root_id=get_str(tweet, "conversation_id"),
            language=language(get_str(tweet, "lang")),
            media=media,
            permalink=permalink(tweet_id, handle),
            metrics=counts(get_obj(tweet, "public_metrics"), _V2_METRICS),
            collected_at=self.seen,
            withheld=bool(withheld),
            reason=withheld_reason(
                get_list(withheld, "country_codes"), withheld.get("copyright") is True
            )
            if withheld
            else "",
            raw=to_raw(tweet),
            line=self.line,
            offset=self.offset,
        )
        if kind is ItemKind.SHARE or "entities" not in tweet:
            # A retweet's only mention is the automatic "RT @author:".
            return [item]
        return [
            item,
            *mentions(
                get_list(get_obj(tweet, "entities"), "mentions"),
                actor_id=author_id,
                actor_handle=handle,
                via_item_id=tweet_id,
                occurred_at=created_at,
                observed_at=self.seen,
                ids_by_handle=self.ids_by_handle,
                handle_key="username",
            ),
        ]

    def _error(self, error: JsonObject) -> list[Parsed]:
        resource = get_str(error, "resource_type")
        resource_id = get_str(error, "resource_id") or get_str(error, "value")
        problem_type = get_str(error, "type")
        detail = get_str(error, "detail") or get_str(error, "title")
        if resource not in {"tweet", "user"} or not resource_id:
            raise RecordError(
                _("galat dari platform: %(title)s: %(detail)s")
                % {"title": get_str(error, "title"), "detail": detail}
            )
        deleted = problem_type.endswith("/resource-not-found")
        reason = _("menurut platform: %(detail)s") % {"detail": detail}
        if resource == "tweet":
            return [
                ItemRecord(
                    platform=PLATFORM,
                    platform_id=resource_id,
                    kind=ItemKind.POST,
                    author_id="",
                    author_handle="",
                    created_at=snowflake_time(resource_id),
                    permalink=permalink(resource_id, ""),
                    collected_at=self.seen,
                    deleted=deleted,
                    withheld=not deleted,
                    reason=reason,
                    raw=to_raw(error),
                    line=self.line,
                    offset=self.offset,
                )
            ]
        by_name = get_str(error, "parameter") in {"username", "usernames"}
        return [
            AccountRecord(
                platform=PLATFORM,
                platform_id="" if by_name else resource_id,
                handle=resource_id if by_name else "",
                url=profile_url(resource_id) if by_name else "",
                seen_at=self.seen,
                deleted=deleted,
                withheld=not deleted,
                reason=reason,
                raw=to_raw(error),
            )
        ]


def _v2_reference(references: list[Any]) -> tuple[ItemKind, str]:
    """The kind of a tweet and the tweet it answers, shares or quotes."""
    found: dict[str, str] = {}
    for reference in references:
        reference = require_object(reference)
        found[get_str(reference, "type")] = get_str(reference, "id", required=True)
    if "retweeted" in found:
        return ItemKind.SHARE, found["retweeted"]
    if "replied_to" in found:
        return ItemKind.REPLY, found["replied_to"]
    if "quoted" in found:
        return ItemKind.QUOTE, found["quoted"]
    return ItemKind.POST, ""


def _endpoint(url: str) -> tuple[str, str, str] | None:
    try:
        match = _ENDPOINT.search(urlsplit(url).path) if url else None
    except ValueError:  # not a URL at all ("http://[…")
        return None
    return (match["resource"], match["id"], match["relation"]) if match else None


def _v2_media(item: JsonObject) -> Media:
    kind = get_str(item, "type", required=True)
    url = get_str(item, "url")
    if kind != "photo":
        # Videos and GIFs: the best MP4 rendition, else the still shown before playing.
        variants = [
            v
            for v in get_list(item, "variants")
            if isinstance(v, dict) and v.get("content_type") == "video/mp4" and v.get("url")
        ]
        if variants:
            url = max(variants, key=lambda v: get_int(v, "bit_rate") or 0)["url"]
        else:
            url = url or get_str(item, "preview_image_url")
    return Media(kind, url)


def v2_account(user: JsonObject, *, seen: datetime | None) -> AccountRecord:
    """An X API v2 user object as an account snapshot."""
    handle = get_str(user, "username")
    metrics = get_obj(user, "public_metrics")
    withheld = get_obj(user, "withheld") if "withheld" in user else None
    return AccountRecord(
        platform=PLATFORM,
        platform_id=require_id(user, "id"),
        handle=handle,
        display_name=get_opt_str(user, "name"),
        bio=get_opt_str(user, "description"),
        url=profile_url(handle),
        followers=get_int(metrics, "followers_count"),
        following=get_int(metrics, "following_count"),
        posts=get_int(metrics, "tweet_count"),
        seen_at=seen,
        withheld=bool(withheld),
        reason=withheld_reason(get_list(withheld, "country_codes"), False) if withheld else "",
        raw=to_raw(user),
    )
