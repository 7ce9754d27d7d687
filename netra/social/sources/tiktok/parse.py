"""TikTok Research API v2 responses into records (records.py states the conventions).

Formats: ``tiktok-research-json`` (one response read whole) and ``tiktok-research-jsonl``
(one response per line, in constant memory). Endpoints read
(https://developers.tiktok.com/doc/research-api-specs-*):

* ``/v2/research/video/query/``: ``data.videos``, videos;
* ``/v2/research/video/comment/list/``: ``data.comments``, comments and replies;
* ``/v2/research/user/info/``: ``data`` is the profile itself;
* ``/v2/research/user/liked_videos/``: ``data.user_liked_videos``, videos plus a like each;
* ``/v2/research/user/followers/`` and ``/following/``: ``data.user_followers`` and
  ``data.user_following``, accounts plus a follow each;
* ``/v2/research/user/reposted_videos/``: ``data.user_reposted_videos`` (``reposted_videos``
  in TikTok's own client), videos plus a share each;
* ``/v2/research/user/pinned_videos/``: ``data.pinned_videos_list`` (``user_pinned_videos``
  in some versions of the page), videos.

Every response carries ``error``: ``{"code": "ok", "message": "", "log_id": "…"}`` on
success; any other code (``rate_limit_exceeded``, ``invalid_params``…) makes the whole
page one ``ParseProblem``. The ``cursor``, ``has_more`` and ``search_id`` of a page are
paging state, not records, and are ignored. The reference says deleted, private and
moderated videos and comments are left out of a page, not marked, so there are no
tombstones; an empty page with ``has_more`` true is normal.

A video keeps its description as its text (hashtags included; they have no record of
their own), its counters as ``views``, ``likes``, ``shares``, ``comments`` and
``bookmarks`` (TikTok's "favourites", saved to a viewer's Favorites), and its
``video_mention_list`` as mentions; region, music, effects, ``voice_to_text`` and the
rest stay in ``raw``. Its language is not given.

The Research API names users only by ``username``; it has no numeric user id. So its
accounts, videos' authors, follows and mentions name users by handle alone
(``platform_id`` ``""``): the account is the one TikTok's other sources know by that
handle, the numeric id of a Zeeschuimer capture included (``netra.social.accounts``
matches by handle and an account known by handle adopts the id a capture gives), so one
person seen through both is one account. Comments carry no author at all. Requests are
POSTs whose body names the user or video asked about, so a bare response does not say
whose profile, likes, follows or reposts it holds. That user is, in this order: the
wrapper's ``request.params.username`` (below), ``ParseOptions.owner_handle``
(``--owner-handle``), a ``username`` in ``ParseOptions.request_url``'s query
(``--request-url https://open.tiktokapis.com/v2/research/user/info/?username=NAME``),
or an ``@username`` in the file's name (``ParseOptions.file_name``, e.g.
``user_info_@warga_fiktif_12.json``). The endpoint is ``ParseOptions.request_url``'s,
though the keys under ``data`` tell it as well. Without an owner, a page still yields
its accounts and videos but no interactions, and a profile (``/user/info/``, whose body
has no username) is a ``ParseProblem`` that says how to name the user.

A collector may save each page with the request that produced it, one per line::

    {"request": {"url": "https://open.tiktokapis.com/v2/research/user/followers/",
                 "params": {"username": "warga_fiktif_12", "max_count": 100}},
     "response": {"data": {…}, "error": {"code": "ok", …}},
     "retrieved_at": "2024-11-12T06:00:00Z"}

``request.url`` is the endpoint (query string allowed), ``request.params`` the request
body (``username`` names the owner, ``video_id`` the video of a comment page),
``retrieved_at`` (optional, ISO 8601 with its offset) when the page was fetched. What a
wrapped line says wins over ``ParseOptions``; bare and wrapped lines may be mixed, and a
JSON file may hold one wrapped response too. Without ``retrieved_at``, ``seen_at`` and
``collected_at`` come from ``ParseOptions.collected_at``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from netra.social.sources.reading import (
    RECORD_ERRORS,
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
    reason_for,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Parsed,
    ParseOptions,
    ParseProblem,
    metrics_from,
)

PLATFORM = "tiktok"
LABEL = "TikTok Research API"

VIDEO_QUERY = "video/query"
COMMENT_LIST = "video/comment/list"
USER_INFO = "user/info"
LIKED_VIDEOS = "user/liked_videos"
FOLLOWERS = "user/followers"
FOLLOWING = "user/following"
REPOSTED_VIDEOS = "user/reposted_videos"
PINNED_VIDEOS = "user/pinned_videos"

# The list under ``data`` of each endpoint; the first name is the one the reference gives.
_LIST_KEYS: dict[str, tuple[str, ...]] = {
    VIDEO_QUERY: ("videos",),
    COMMENT_LIST: ("comments",),
    LIKED_VIDEOS: ("user_liked_videos",),
    FOLLOWERS: ("user_followers",),
    FOLLOWING: ("user_following",),
    REPOSTED_VIDEOS: ("user_reposted_videos", "reposted_videos"),
    PINNED_VIDEOS: ("pinned_videos_list", "user_pinned_videos"),
}
_ENDPOINT_OF_KEY = {key: endpoint for endpoint, keys in _LIST_KEYS.items() for key in keys}
# Lists no other API puts under an object ``data``; ``videos`` and ``comments`` are
# TikTok's only beside its paging keys.
_OWN_LIST_KEYS = frozenset(_ENDPOINT_OF_KEY) - {"videos", "comments"}
_PAGING_KEYS = frozenset({"cursor", "has_more", "search_id"})
# The profile fields of /user/info/ (display_name aside); Instagram's private API shares
# is_verified, follower_count and following_count, so one of the others must be there too.
_PROFILE_KEYS = frozenset(
    {
        "bio_description",
        "avatar_url",
        "is_verified",
        "follower_count",
        "following_count",
        "likes_count",
        "video_count",
    }
)
_OWN_PROFILE_KEYS = frozenset({"bio_description", "avatar_url", "likes_count", "video_count"})

_VIDEO_METRICS = {
    "view_count": "views",
    "like_count": "likes",
    "share_count": "shares",
    "comment_count": "comments",
    # Saved to the viewer's Favorites: TikTok's bookmark. The reference spells it both ways.
    "favourites_count": "bookmarks",
    "favorites_count": "bookmarks",
}

_ENDPOINT = re.compile(r"/v2/research/(?P<endpoint>[a-z_]+(?:/[a-z_]+)*)/?$")


class _PageError(RecordError):
    """What makes a whole page unreadable, and where in it."""

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(reason)
        self.path = path


# --- recognising a response ------------------------------------------------------------------


def is_research_page(value: JsonObject) -> bool:
    """Whether an object is a Research API response (bare or wrapped with its request)."""
    request = value.get("request")
    if isinstance(request, dict) and "response" in value:
        url = request.get("url")
        response = value["response"]
        return (isinstance(url, str) and "/v2/research/" in url) or (
            isinstance(response, dict) and _is_bare_page(response)
        )
    return _is_bare_page(value)


def _is_bare_page(value: JsonObject) -> bool:
    error = value.get("error")
    if isinstance(error, dict) and "log_id" in error and isinstance(error.get("code"), str):
        return True
    data = value.get("data")
    if not isinstance(data, dict):
        return False
    keys = data.keys()
    if keys & _OWN_LIST_KEYS:
        return True
    if ("videos" in keys or "comments" in keys) and keys & _PAGING_KEYS:
        return True
    return len(keys & _PROFILE_KEYS) >= 2 and bool(keys & _OWN_PROFILE_KEYS)


# --- formats ---------------------------------------------------------------------------------


def parse_research_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one Research API response read whole (bare, or wrapped with its request)."""
    document = read_page(stream, accepts=is_research_page, format_label=LABEL)
    if isinstance(document, ParseProblem):
        yield document
        return
    value, raw = document
    yield from _Page(value, raw, options, line=None, offset=None).records()


def parse_research_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a JSONL file of one response per line, bare or wrapped, in constant memory."""
    yield from parse_page_lines(
        stream,
        accepts=is_research_page,
        format_label=LABEL,
        page=lambda entry: _Page(
            entry.value, entry.raw, options, line=entry.line, offset=entry.offset
        ).records(),
    )


# --- one page --------------------------------------------------------------------------------


@dataclass
class _Page:
    """One response: its request (when known) says whose it is; its data become records."""

    value: JsonObject
    raw: bytes
    options: ParseOptions
    line: int | None
    offset: int | None
    base: str = "$"
    seen: datetime | None = None
    owner: str = ""
    video_id: str = ""
    accounts: set[str] = field(default_factory=set)

    def records(self) -> Iterator[Parsed]:
        try:
            endpoint, entries, path = self._read()
        except RECORD_ERRORS as error:
            where = error.path if isinstance(error, _PageError) else self.base
            yield ParseProblem(
                reason=reason_for(error),
                line=self.line,
                offset=self.offset,
                path=where,
                raw=self.raw,
            )
            return
        for index, entry in enumerate(entries):
            try:
                records = self._convert(endpoint, entry)
            except RECORD_ERRORS as error:
                yield ParseProblem(
                    reason=reason_for(error),
                    line=self.line,
                    offset=self.offset,
                    path=f"{path}[{index}]" if endpoint != USER_INFO else path,
                    raw=to_raw(entry),
                )
                continue
            for record in records:
                # One snapshot per account and page: an author of many videos appears once.
                if isinstance(record, AccountRecord):
                    if record.handle.casefold() in self.accounts:
                        continue
                    self.accounts.add(record.handle.casefold())
                yield record

    def _read(self) -> tuple[str, list[Any], str]:
        """The page's endpoint, its entries and their path; ``_PageError`` if unreadable."""
        response = self.value
        url = self.options.request_url
        params: JsonObject = {}
        retrieved = ""
        if isinstance(self.value.get("request"), dict) and "response" in self.value:
            # Everything the wrapper says is read before its response, so a fault in it
            # is reported at "$", not inside the response.
            request = get_obj(self.value, "request")
            response = self._object(self.value, "response", "$")
            url = get_str(request, "url") or url
            params = self._object(request, "params", "$.request")
            retrieved = get_str(self.value, "retrieved_at")
        self.seen = (
            parse_iso(retrieved, field="retrieved_at") if retrieved else self.options.collected_at
        )
        self.owner = (
            get_str(params, "username")
            or self.options.owner_handle
            or _url_username(url)
            or _file_username(self.options.file_name)
        ).removeprefix("@")
        self.video_id = _optional_id(params, "video_id")
        if response is not self.value:
            self.base = "$.response"

        error = self._object(response, "error", self.base)
        code = get_str(error, "code")
        if code not in ("", "ok"):
            raise _PageError(
                _("galat dari TikTok: %(code)s: %(message)s (log_id %(log_id)s)")
                % {
                    "code": code,
                    "message": get_str(error, "message"),
                    "log_id": get_str(error, "log_id"),
                },
                f"{self.base}.error",
            )
        data_path = f"{self.base}.data"
        data = self._object(response, "data", self.base)
        endpoint = _endpoint(url, data_path)
        present = [key for key in _ENDPOINT_OF_KEY if key in data]
        if endpoint is None:
            if present:
                endpoint = _ENDPOINT_OF_KEY[present[0]]
            elif data.keys() & _PROFILE_KEYS or "display_name" in data:
                endpoint = USER_INFO
            elif data.keys() <= _PAGING_KEYS:
                return "", [], data_path  # nothing on this page
            else:
                raise _PageError(
                    _("isi 'data' tidak dikenali; kuncinya: %(keys)s")
                    % {"keys": describe_keys(data)},
                    data_path,
                )
        if endpoint == USER_INFO:
            if not data:
                return USER_INFO, [], data_path
            if not self.owner:
                raise _PageError(
                    _(
                        "profil TikTok dari /v2/research/user/info/ tidak memuat username-nya; "
                        "sebutkan akun yang diminta: simpan halaman dengan permintaannya "
                        '(JSONL {"request": {"url", "params": {"username": …}}, "response": …}), '
                        "atau muat dengan --owner-handle NAMA, atau dengan --request-url "
                        "https://open.tiktokapis.com/v2/research/user/info/?username=NAMA, "
                        "atau namai berkasnya dengan @NAMA (mis. user_info_@NAMA.json)"
                    ),
                    data_path,
                )
            return USER_INFO, [data], data_path
        own = [key for key in _LIST_KEYS[endpoint] if key in data]
        if not own:
            if present:
                raise _PageError(
                    _("halaman ini berisi '%(key)s', bukan hasil %(endpoint)s")
                    % {"key": present[0], "endpoint": f"/v2/research/{endpoint}/"},
                    data_path,
                )
            return endpoint, [], data_path  # an empty page may leave its list out
        try:
            entries = get_list(data, own[0])
        except RecordError as error:
            raise _PageError(str(error), f"{data_path}.{own[0]}") from None
        return endpoint, entries, f"{data_path}.{own[0]}"

    def _object(self, parent: JsonObject, key: str, where: str) -> JsonObject:
        try:
            return get_obj(parent, key)
        except RecordError as error:
            raise _PageError(str(error), where) from None

    def _convert(self, endpoint: str, entry: object) -> list[Parsed]:
        # A record is converted whole before anything of it is yielded, so a bad record
        # leaves nothing half-read behind its ParseProblem.
        if not isinstance(entry, dict):
            raise RecordError(_("entri ini bukan objek JSON"))
        if endpoint == COMMENT_LIST:
            return [self._comment(entry)]
        if endpoint == USER_INFO:
            return [self._profile(entry)]
        if endpoint in (FOLLOWERS, FOLLOWING):
            return self._follow(entry, endpoint)
        item, records = self._video(entry)
        kinds = {LIKED_VIDEOS: InteractionKind.LIKE, REPOSTED_VIDEOS: InteractionKind.SHARE}
        if endpoint in kinds and self.owner:
            records.append(
                InteractionRecord(
                    platform=PLATFORM,
                    kind=kinds[endpoint],
                    actor_id="",
                    actor_handle=self.owner,
                    target_item_id=item.platform_id,
                    observed_at=self.seen,
                )
            )
        return records

    def _video(self, video: JsonObject) -> tuple[ItemRecord, list[Parsed]]:
        """The video and its records: its author, itself, then whom it mentions."""
        # Early examples of the reference call the id "video_id".
        id_key = "video_id" if "id" not in video and "video_id" in video else "id"
        video_id = _require_id(video, id_key)
        username = get_str(video, "username").removeprefix("@")
        created_at = _unix_time(video, "create_time")
        counts: dict[str, int] = {}
        for key, name in _VIDEO_METRICS.items():
            value = get_int(video, key)
            if value is not None:
                counts[name] = value
        item = ItemRecord(
            platform=PLATFORM,
            platform_id=video_id,
            kind=ItemKind.VIDEO,
            author_id="",
            author_handle=username,
            created_at=created_at,
            text=get_str(video, "video_description"),
            root_id=video_id,
            permalink=video_url(username, video_id),
            metrics=metrics_from(counts),
            collected_at=self.seen,
            raw=to_raw(video),
            line=self.line,
            offset=self.offset,
        )
        # A video names its author but says nothing of their profile.
        records: list[Parsed] = [_account(username, seen=self.seen)] if username else []
        records.append(item)
        seen: set[str] = set()
        for mention in get_list(video, "video_mention_list"):
            if not isinstance(mention, str):
                raise RecordError(_("kolom 'video_mention_list' berisi yang bukan teks"))
            handle = mention.strip().removeprefix("@")
            # A mention needs its actor: without the author's username it is not kept.
            if not username or not handle or handle in seen:
                continue
            seen.add(handle)
            records.append(
                InteractionRecord(
                    platform=PLATFORM,
                    kind=InteractionKind.MENTION,
                    actor_id="",
                    actor_handle=username,
                    target_account_id="",
                    target_account_handle=handle,
                    via_item_id=video_id,
                    occurred_at=created_at,
                    observed_at=self.seen,
                )
            )
        return item, records

    def _comment(self, comment: JsonObject) -> ItemRecord:
        comment_id = _require_id(comment, "id")
        video_id = _optional_id(comment, "video_id") or self.video_id
        parent = _optional_id(comment, "parent_comment_id")
        parent = "" if parent.strip("0") == "" else parent  # 0 stands for "none"
        # A top-level comment names its video as its parent.
        reply = bool(parent) and bool(video_id) and parent != video_id
        counts = {
            "likes": get_int(comment, "like_count"),
            "replies": get_int(comment, "reply_count"),
        }
        return ItemRecord(
            platform=PLATFORM,
            platform_id=comment_id,
            kind=ItemKind.REPLY if reply else ItemKind.COMMENT,
            # The Research API does not say who wrote a comment.
            author_id="",
            author_handle="",
            created_at=_unix_time(comment, "create_time"),
            text=get_str(comment, "text"),
            parent_id=parent if reply else video_id or parent,
            root_id=video_id,
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=self.seen,
            raw=to_raw(comment),
            line=self.line,
            offset=self.offset,
        )

    def _profile(self, profile: JsonObject) -> AccountRecord:
        return AccountRecord(
            platform=PLATFORM,
            platform_id="",
            handle=self.owner,
            display_name=get_opt_str(profile, "display_name"),
            bio=get_opt_str(profile, "bio_description"),
            url=profile_url(self.owner),
            followers=get_int(profile, "follower_count"),
            following=get_int(profile, "following_count"),
            posts=get_int(profile, "video_count"),
            seen_at=self.seen,
            raw=to_raw(profile),
        )

    def _follow(self, user: JsonObject, endpoint: str) -> list[Parsed]:
        username = get_str(user, "username", required=True).removeprefix("@")
        if not username:
            raise RecordError(_("kolom 'username' kosong"))
        account = _account(
            username, seen=self.seen, display_name=get_opt_str(user, "display_name"), raw=user
        )
        if not self.owner:
            return [account]
        follower, followed = (
            (username, self.owner) if endpoint == FOLLOWERS else (self.owner, username)
        )
        return [
            account,
            InteractionRecord(
                platform=PLATFORM,
                kind=InteractionKind.FOLLOW,
                actor_id="",
                actor_handle=follower,
                target_account_id="",
                target_account_handle=followed,
                observed_at=self.seen,
            ),
        ]


# --- helpers ---------------------------------------------------------------------------------


def profile_url(username: str) -> str:
    """The public profile URL of a TikTok user; ``""`` when the username is unknown."""
    return f"https://www.tiktok.com/@{username}" if username else ""


def video_url(username: str, video_id: str) -> str:
    """The public URL of a video; ``""`` without its author, whom TikTok's URL needs."""
    return f"https://www.tiktok.com/@{username}/video/{video_id}" if username else ""


def _account(
    username: str,
    *,
    seen: datetime | None,
    display_name: str | None = None,
    raw: JsonObject | None = None,
) -> AccountRecord:
    return AccountRecord(
        platform=PLATFORM,
        platform_id="",
        handle=username,
        display_name=display_name,
        url=profile_url(username),
        seen_at=seen,
        raw=to_raw(raw) if raw is not None else b"",
    )


# A TikTok username: letters, digits, "_" and "." (not last), at most 24 characters.
_USERNAME = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,22}[A-Za-z0-9_])?"
_FILE_USERNAME = re.compile(r"(?<![A-Za-z0-9.])@(?P<username>" + _USERNAME + r")(?![A-Za-z0-9_])")
_QUERY_USERNAME = re.compile(_USERNAME)


def _url_username(url: str) -> str:
    """A ``username`` in a request URL's query (``…/user/info/?username=NAME``), else ``""``."""
    try:
        values = parse_qs(urlsplit(url).query).get("username", []) if url else []
    except ValueError:
        return ""
    value = values[0].strip().removeprefix("@") if values else ""
    return value if _QUERY_USERNAME.fullmatch(value) else ""


def _file_username(file_name: str) -> str:
    """The ``@username`` a file's name carries (``user_info_@NAME.json``), else ``""``."""
    stem = PurePath(file_name).name
    for suffix in (".jsonl", ".ndjson", ".json", ".jl"):
        stem = stem.removesuffix(suffix)
    found = _FILE_USERNAME.search(stem)
    return found["username"] if found else ""


def _endpoint(url: str, where: str) -> str | None:
    """The Research API endpoint a request URL names; None when it names none."""
    try:
        match = _ENDPOINT.search(urlsplit(url).path) if url else None
    except ValueError:  # not a URL at all ("http://[…")
        return None
    if match is None:
        return None
    endpoint = match["endpoint"]
    if endpoint != USER_INFO and endpoint not in _LIST_KEYS:
        raise _PageError(
            _("endpoint /v2/research/%(endpoint)s/ belum didukung") % {"endpoint": endpoint}, where
        )
    return endpoint


def _require_id(obj: JsonObject, key: str) -> str:
    value = _optional_id(obj, key)
    if not value:
        raise RecordError(_("kolom '%(key)s' tidak ada") % {"key": key})
    return value


def _optional_id(obj: JsonObject, key: str) -> str:
    """An int64 id, sent as a number or as digits; ``""`` when absent."""
    value = obj.get(key)
    if value is None:
        return ""
    if value.__class__ is int and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    raise RecordError(
        _("kolom '%(key)s' bukan ID angka: '%(value)s'") % {"key": key, "value": value}
    )


def _unix_time(obj: JsonObject, key: str) -> datetime | None:
    """A time in UTC Unix seconds, as TikTok sends ``create_time``; None when absent."""
    value = get_int(obj, key)
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise RecordError(
            _("waktu %(value)s di kolom '%(key)s' di luar jangkauan") % {"value": value, "key": key}
        ) from None
