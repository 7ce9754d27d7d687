"""X (Twitter) payloads into records: API v2 pages, twarc2 JSONL, API v1.1 statuses, archives.

Pure: bytes in, records out (records.py states the conventions). Formats:

* ``x-v2-json``: one API v2 response (tweets or users, with ``includes`` and ``errors``);
* ``x-v2-jsonl``: twarc2 output, one full API v2 response per line with its ``__twarc``
  metadata (request URL and retrieval time);
* ``twitter-v1-json``: API v1.1 statuses (an array, a search response or one status);
* ``twitter-v1-jsonl``: one v1.1 status per line (twarc 1);
* ``twitter-archive-js``: ``tweets.js``, ``deleted-tweets.js``, ``like.js`` or
  ``account.js`` from the "Download an archive of your data" ZIP
  (``window.YTD.tweets.part0 = [...]``).

The likes, retweets and follows of the v2 endpoints ``liking_users``, ``retweeted_by``,
``liked_tweets``, ``following`` and ``followers`` name one side only in the request URL,
so they become interactions only when the URL is known (``__twarc.url`` or
``ParseOptions.request_url``); without it the page still yields its accounts and items.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources.reading import (
    BOM,
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    load_document,
    parse_iso,
    parse_twitter_time,
    read_document,
    read_json_lines,
    reason_for,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Media,
    Metrics,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
    metrics_from,
)

PLATFORM = "x"

V2_LABEL = "X API v2"
V1_LABEL = "Twitter API v1.1"
ARCHIVE_LABEL = gettext_lazy("arsip Twitter (window.YTD)")

# Snowflake ids carry their creation time: milliseconds since this epoch, shifted by 22 bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
# Ids below this predate snowflakes (November 2010) and carry no time.
_FIRST_SNOWFLAKE = 300_000_000_000_000

_V2_METRICS = {
    "like_count": "likes",
    "retweet_count": "shares",
    "reply_count": "replies",
    "quote_count": "quotes",
    "bookmark_count": "bookmarks",
    "impression_count": "views",
}
_V1_METRICS = {
    "favorite_count": "likes",
    "retweet_count": "shares",
    "reply_count": "replies",
    "quote_count": "quotes",
}

_ENDPOINT = re.compile(
    r"/2/(?P<resource>tweets|users)/(?P<id>\d+)/"
    r"(?P<relation>liking_users|retweeted_by|quote_tweets|liked_tweets|following|followers)/?$"
)
_ARCHIVE_HEAD = re.compile(rb"\s*window\.YTD\.(?P<name>\w+)\.part\d+\s*=\s*")


# --- shared helpers ------------------------------------------------------------------------


def snowflake_time(tweet_id: str) -> datetime | None:
    """When a tweet or user was created, read from its snowflake id; None for older ids."""
    if not tweet_id.isdigit() or int(tweet_id) < _FIRST_SNOWFLAKE:
        return None
    milliseconds = (int(tweet_id) >> 22) + _SNOWFLAKE_EPOCH_MS
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


def permalink(tweet_id: str, handle: str) -> str:
    """The public URL of a tweet; X redirects /i/web/status/ when the author is unknown."""
    return f"https://x.com/{handle or 'i/web'}/status/{tweet_id}"


def _profile_url(handle: str) -> str:
    return f"https://x.com/{handle}" if handle else ""


# X says "in" for Indonesian (the old ISO 639 code) and "und" when it could not tell.
_LANGUAGES = {"in": "id", "und": ""}


def _language(code: str) -> str:
    return _LANGUAGES.get(code, code)


def _withheld_reason(countries: Iterable[str], copyright_claim: bool) -> str:
    reason = _("ditahan di negara: %(countries)s") % {
        "countries": ", ".join(str(country) for country in countries)
    }
    if copyright_claim:
        reason += " " + _("(klaim hak cipta)")
    return reason


def _counts(source: JsonObject, names: dict[str, str]) -> Metrics:
    if all(value.__class__ is int for value in source.values()):
        return tuple(sorted([(names.get(key, key), value) for key, value in source.items()]))
    counts: dict[str, int] = {}
    for key in source:
        value = get_int(source, key)  # a count sent as "12", or a RecordError
        if value is not None:
            counts[names.get(key, key)] = value
    return metrics_from(counts)


def _problem(
    error: Exception, *, line: int | None, offset: int | None, path: str, value: object
) -> ParseProblem:
    return ParseProblem(
        reason=reason_for(error), line=line, offset=offset, path=path, raw=to_raw(value)
    )


def _require_object(value: object) -> JsonObject:
    if not isinstance(value, dict):
        raise RecordError(_("entri ini bukan objek JSON"))
    return value


def _require_id(obj: JsonObject, key: str) -> str:
    value = get_str(obj, key, required=True)
    if not value.isdigit():
        raise RecordError(
            _("kolom '%(key)s' bukan ID angka: '%(value)s'") % {"key": key, "value": value}
        )
    return value


# --- API v2 ----------------------------------------------------------------------------------


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
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    value, _raw = document
    if not isinstance(value, dict) or not is_v2_page(value):
        raise UnrecognisedFormat(_("Berkas ini bukan respons %(format)s.") % {"format": V2_LABEL})
    yield from _V2Page(value, options, line=None, offset=None).records()


# Users remembered per file to skip the same user object repeated page after page
# (about 160 bytes each: 8 MB).
_KNOWN_USERS_LIMIT = 50_000


def parse_v2_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a twarc2 JSONL file, one response page per line, in constant memory.

    Each page repeats the users it mentions in ``includes.users``; a user object identical
    to one already read from this file is read once.
    """
    known_users: dict[str, bytes] = {}
    for entry in read_json_lines(stream, accepts=is_v2_page, format_label=V2_LABEL):
        if isinstance(entry, ParseProblem):
            yield entry
        elif not is_v2_page(entry.value):
            yield ParseProblem(
                reason=_("baris ini bukan respons %(format)s") % {"format": V2_LABEL},
                line=entry.line,
                offset=entry.offset,
                raw=entry.raw,
            )
        else:
            if len(known_users) > _KNOWN_USERS_LIMIT:
                known_users.clear()
            page = _V2Page(entry.value, options, line=entry.line, offset=entry.offset)
            page.known_users = known_users
            yield from page.records()


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

    def problem(self, error: Exception, path: str, value: object) -> ParseProblem:
        return _problem(error, line=self.line, offset=self.offset, path=path, value=value)

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
        self.endpoint = _endpoint(get_str(twarc, "url") or self.options.request_url)
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
        for index, tweet in enumerate(tweets):
            yield from convert(self._tweet, tweet, "$.includes.tweets", index)
        single = not isinstance(data, list)
        for index, entry in enumerate(entries):
            is_user = isinstance(entry, dict) and "username" in entry
            handler = self._data_user if is_user else self._data_tweet
            yield from convert(handler, entry, "$.data", None if single else index)
        for index, problem in enumerate(errors):
            yield from convert(self._error, problem, "$.errors", index)

    def _convert(
        self, handler: _Convert, entry: object, base: str, index: int | None
    ) -> list[Parsed]:
        # A record is converted whole before anything of it is yielded, so a bad record
        # leaves nothing half-read behind its ParseProblem.
        try:
            return handler(_require_object(entry))
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
        tweet_id = _require_id(tweet, "id")
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
            language=_language(get_str(tweet, "lang")),
            media=media,
            permalink=permalink(tweet_id, handle),
            metrics=_counts(get_obj(tweet, "public_metrics"), _V2_METRICS),
            collected_at=self.seen,
            withheld=bool(withheld),
            reason=_withheld_reason(
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
            *_mentions(
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
                url=_profile_url(resource_id) if by_name else "",
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
        reference = _require_object(reference)
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
        platform_id=_require_id(user, "id"),
        handle=handle,
        display_name=get_opt_str(user, "name"),
        bio=get_opt_str(user, "description"),
        url=_profile_url(handle),
        followers=get_int(metrics, "followers_count"),
        following=get_int(metrics, "following_count"),
        posts=get_int(metrics, "tweet_count"),
        seen_at=seen,
        withheld=bool(withheld),
        reason=_withheld_reason(get_list(withheld, "country_codes"), False) if withheld else "",
        raw=to_raw(user),
    )


def _mentions(
    mentions: list[Any],
    *,
    actor_id: str,
    actor_handle: str,
    via_item_id: str,
    occurred_at: datetime | None,
    observed_at: datetime | None,
    ids_by_handle: dict[str, str],
    handle_key: str,
) -> list[InteractionRecord]:
    found: list[InteractionRecord] = []
    seen: set[str] = set()
    for mention in mentions:
        mention = _require_object(mention)
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


# --- API v1.1 ------------------------------------------------------------------------------


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
    value, _raw = document
    statuses = _v1_statuses(value)
    first = statuses[0] if statuses else None
    if statuses is None or (isinstance(first, dict) and not is_v1_status(first)):
        raise UnrecognisedFormat(_("Berkas ini bukan status %(format)s.") % {"format": V1_LABEL})
    for index, status in enumerate(statuses):
        if isinstance(value, list):
            where = f"$[{index}]"
        elif "statuses" in value:
            where = f"$.statuses[{index}]"
        else:
            where = "$"
        try:
            records = list(v1_status(_require_object(status), options=options))
        except RECORD_ERRORS as error:
            yield _problem(error, line=None, offset=None, path=where, value=status)
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
    tweet_id = _require_id(status, "id_str")
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
    tweet_id = _require_id(status, "id_str")
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
        kind, parent = ItemKind.SHARE, _require_id(retweeted, "id_str")
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
        language=_language(get_str(status, "lang")),
        media=tuple(_v1_media(m) for m in get_list(entities, "media")),
        permalink=permalink(tweet_id, handle),
        metrics=_counts({k: status[k] for k in _V1_METRICS if k in status}, _V1_METRICS),
        collected_at=seen,
        deleted=bool(deleted_at),
        withheld=withheld,
        reason=(
            _("dihapus pemilik akun pada %(when)s") % {"when": deleted_at}
            if deleted_at
            else _withheld_reason(countries, copyright_claim)
            if withheld
            else ""
        ),
        raw=raw or to_raw(status),
    )
    if kind is ItemKind.SHARE:
        return
    yield from _mentions(
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
    media = _require_object(item)
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
        platform_id=_require_id(user, "id_str"),
        handle=handle,
        display_name=get_opt_str(user, "name"),
        bio=get_opt_str(user, "description"),
        url=_profile_url(handle),
        followers=get_int(user, "followers_count"),
        following=get_int(user, "friends_count"),
        posts=get_int(user, "statuses_count"),
        seen_at=seen,
        withheld=bool(countries),
        reason=_withheld_reason(countries, False) if countries else "",
        raw=to_raw(user),
    )


# --- archive -------------------------------------------------------------------------------

ARCHIVE_PARTS = {
    "tweets": "tweet",
    "deleted_tweets": "tweet",
    "account": "account",
    "like": "like",
}


def archive_part(head: bytes) -> str | None:
    """The archive file's part name (``tweets``, ``account``…) if it starts like one."""
    match = _ARCHIVE_HEAD.match(head.removeprefix(BOM))
    return match["name"].decode("ascii") if match else None


def parse_archive_js(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of ``tweets.js``, ``deleted-tweets.js``, ``like.js`` or ``account.js`` of an archive.

    Archive tweets and likes carry no author: they are the owner's, whose id and handle
    (from ``account.js``) the caller passes in ``options``; without them they stay empty.
    """
    content = stream.read()
    start = len(BOM) if content.startswith(BOM) else 0
    match = _ARCHIVE_HEAD.match(content, start)
    if match is None:
        raise UnrecognisedFormat(
            _("Berkas ini tidak diawali 'window.YTD.…', jadi bukan %(format)s.")
            % {"format": ARCHIVE_LABEL}
        )
    name = match["name"].decode("ascii")
    if name not in ARCHIVE_PARTS:
        raise UnrecognisedFormat(
            _("Bagian arsip Twitter '%(name)s' belum didukung; yang didukung: %(supported)s.")
            % {"name": name, "supported": ", ".join(sorted(ARCHIVE_PARTS))}
        )
    document = load_document(content[match.end() :], match.end())
    if isinstance(document, ParseProblem):
        yield document
        return
    value, _raw = document
    if not isinstance(value, list):
        raise UnrecognisedFormat(
            _("Isi arsip Twitter '%(name)s' bukan daftar JSON.") % {"name": name}
        )
    wrapper = ARCHIVE_PARTS[name]
    owner = (options.owner_id, options.owner_handle)
    for index, entry in enumerate(value):
        try:
            inner = get_obj(_require_object(entry), wrapper)
            if not inner:
                raise RecordError(_("entri tidak berisi '%(key)s'") % {"key": wrapper})
            if wrapper == "account":
                records: list[Parsed] = [_archive_account(inner, options)]
            elif wrapper == "like":
                records = [_archive_like(inner, options)]
            else:
                records = list(v1_status(inner, options=options, owner=owner))
        except RECORD_ERRORS as error:
            yield _problem(error, line=None, offset=None, path=f"$[{index}]", value=entry)
            continue
        yield from records


def _archive_like(like: JsonObject, options: ParseOptions) -> InteractionRecord:
    return InteractionRecord(
        platform=PLATFORM,
        kind=InteractionKind.LIKE,
        actor_id=options.owner_id,
        actor_handle=options.owner_handle,
        target_item_id=_require_id(like, "tweetId"),
        observed_at=options.collected_at,
    )


def _archive_account(account: JsonObject, options: ParseOptions) -> AccountRecord:
    handle = get_str(account, "username")
    return AccountRecord(
        platform=PLATFORM,
        platform_id=_require_id(account, "accountId"),
        handle=handle,
        display_name=get_opt_str(account, "accountDisplayName"),
        url=_profile_url(handle),
        seen_at=options.collected_at,
        raw=to_raw(account),
    )
