"""CrowdTangle API responses (Facebook and Instagram posts) into records.

Formats (records.py states the conventions):

* ``crowdtangle-api-json``: one response read whole, as the API answers ``/posts``,
  ``/posts/search``, ``/links`` and ``/post/:id``
  (https://github.com/CrowdTangle/API/wiki/Posts, /Search, /Links):
  ``{"status": 200, "result": {"posts": [...], "pagination": {"nextPage": …}}}``; also a
  bare array of post objects, or one post object, as scripts keep them;
* ``crowdtangle-api-jsonl``: one response per line (collectors that save each page, the
  ``nextPage`` walk), or one post object per line (minet ``ct posts`` and the like), mixed
  freely, in constant memory.

A post (https://github.com/CrowdTangle/API/wiki/Post) carries ``platform``
(``Facebook``/``Instagram``), ``platformId``, ``date`` (UTC, ``yyyy-mm-dd hh:mm:ss``),
``updated`` (when CrowdTangle last read its counts), ``message`` (Facebook) or
``description`` (Instagram), ``postUrl``, ``link``, ``expandedLinks`` (``original`` and
``expanded`` URLs), ``media`` (``type``, ``url``, ``full``), ``statistics.actual`` and
``statistics.expected`` (``likeCount``, ``commentCount``, ``shareCount``, the reaction
counts; Instagram's ``favoriteCount``), ``account`` (``id`` CrowdTangle's own,
``platformId``, ``handle``, ``name``, ``url``, ``subscriberCount``) and, for branded
content, ``brandedContentSponsor`` (an account).

Ids follow the CrowdTangle CSV export (``exports.py``), so that the same post read from
both is one item: a Facebook post is its ``platformId`` (``{page}_{post}``, the Graph API's
form), an Instagram post the shortcode of its ``postUrl`` (else the media id, the first
half of ``platformId``, ``{media}_{owner}``). An account is its ``platformId`` with its
``handle``. Counters are named as elsewhere (``likes``, ``comments``, ``shares``,
``love``…; Instagram's favourites are ``likes``), and what CrowdTangle expected of the
post as ``expected_likes``… The sponsor of branded content is kept as an account and a
mention by the post's author (the branded-content tag names the sponsor's Page). A post's
``collected_at`` is ``ParseOptions.collected_at``, else its ``updated``. A response whose
``status`` is not 200 (``{"status": 401, "code": 30, "message": …}``) is one
``ParseProblem``; so is a post of another platform (Reddit) or a post that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from netra.social.sources.meta.common import (
    FACEBOOK,
    INSTAGRAM,
    problem,
    profile_url,
    require_object,
)
from netra.social.sources.reading import (
    PAGE_LINE_BYTES,
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    describe_keys,
    describe_value,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    read_document,
    read_json_lines,
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
    metrics_from,
)
from netra.social.sources.tables import parse_time

JSON_FORMAT = "crowdtangle-api-json"
JSONL_FORMAT = "crowdtangle-api-jsonl"
LABEL = "CrowdTangle API"

_PLATFORMS = {"facebook": FACEBOOK, "instagram": INSTAGRAM}
# statistics.actual / .expected keys, by the names Netra's counters have elsewhere.
_METRICS = {
    "likeCount": "likes",
    "favoriteCount": "likes",  # Instagram's hearts
    "commentCount": "comments",
    "shareCount": "shares",
    "loveCount": "love",
    "wowCount": "wow",
    "hahaCount": "haha",
    "sadCount": "sad",
    "angryCount": "angry",
    "thankfulCount": "thankful",
    "careCount": "care",
}
_COUNT_KEY = re.compile(r"^(?P<name>[a-z][A-Za-z0-9]*)Count$")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_INSTAGRAM_POST = re.compile(r"/(?:p|reel|reels|tv)/(?P<code>[A-Za-z0-9_-]+)")


# --- recognising a response ------------------------------------------------------------------


def is_page(value: JsonObject) -> bool:
    """A response of /posts, /posts/search, /links or /post/:id: ``result.posts``."""
    result = value.get("result")
    return isinstance(result, dict) and isinstance(result.get("posts"), list)


def is_error(value: JsonObject) -> bool:
    """CrowdTangle's error envelope: ``status`` (not 200), ``code`` and ``message``."""
    status = value.get("status")
    return (
        "result" not in value
        and isinstance(status, int)
        and status != 200
        and isinstance(value.get("message"), str)
    )


def is_post(value: JsonObject) -> bool:
    """One CrowdTangle post object: ``platformId``, its ``account`` and its statistics."""
    return (
        isinstance(value.get("platformId"), str)
        and isinstance(value.get("account"), dict)
        and (isinstance(value.get("statistics"), dict) or "postUrl" in value)
    )


def _accepts(value: JsonObject) -> bool:
    return is_page(value) or is_post(value) or is_error(value)


# --- formats -----------------------------------------------------------------------------------


def parse_crowdtangle_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one CrowdTangle API response, a bare array of posts, or one post."""
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    value, raw = document
    reader = _Reader(options, line=None, offset=None)
    first = (
        next((entry for entry in value if isinstance(entry, dict)), None)
        if isinstance(value, list)
        else None
    )
    if isinstance(value, list) and (not value or (first is not None and is_post(first))):
        yield from reader.posts(value, "$")
    elif isinstance(value, dict) and _accepts(value):
        yield from reader.document(value)
    else:
        # A document of another shape is one record this format cannot use.
        yield ParseProblem(
            reason=_("berkas ini bukan respons %(format)s; isinya: %(seen)s")
            % {"format": LABEL, "seen": describe_value(value)},
            path="$",
            raw=raw,
        )


def parse_crowdtangle_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a JSONL file of CrowdTangle responses or posts, one a line."""
    for entry in read_json_lines(
        stream, accepts=_accepts, format_label=LABEL, max_line=PAGE_LINE_BYTES
    ):
        if isinstance(entry, ParseProblem):
            yield entry
        elif not _accepts(entry.value):
            yield ParseProblem(
                reason=_("baris ini bukan respons atau kiriman %(format)s; kuncinya: %(keys)s")
                % {"format": LABEL, "keys": describe_keys(entry.value)},
                line=entry.line,
                offset=entry.offset,
                raw=entry.raw,
            )
        else:
            reader = _Reader(options, line=entry.line, offset=entry.offset)
            yield from reader.document(entry.value, raw=entry.raw)


# --- one response ------------------------------------------------------------------------------


@dataclass
class _Reader:
    """One response (or line): where it is, and the accounts it already gave."""

    options: ParseOptions
    line: int | None
    offset: int | None
    accounts: set[tuple[str, str]] = field(default_factory=set)

    def document(self, value: JsonObject, raw: bytes = b"") -> Iterator[Parsed]:
        if is_error(value):
            yield ParseProblem(
                reason=_error_reason(value),
                line=self.line,
                offset=self.offset,
                path="$",
                raw=raw or to_raw(value),
            )
        elif is_page(value):
            yield from self.posts(value["result"]["posts"], "$.result.posts")
        else:
            yield from self.posts([value], "")

    def posts(self, posts: list[Any], base: str) -> Iterator[Parsed]:
        for index, post in enumerate(posts):
            path = f"{base}[{index}]" if base else "$"
            try:
                records = self._post(require_object(post))
            except RECORD_ERRORS as error:
                yield problem(error, path=path, value=post, line=self.line, offset=self.offset)
                continue
            for record in records:
                # One snapshot per account and page: a Page's many posts give it once.
                if isinstance(record, AccountRecord):
                    key = (record.platform, record.platform_id or record.handle)
                    if key in self.accounts:
                        continue
                    self.accounts.add(key)
                yield record

    def _post(self, post: JsonObject) -> list[Parsed]:
        named = get_str(post, "platform", required=True)
        platform = _PLATFORMS.get(named.casefold())
        if platform is None:
            raise RecordError(
                _(
                    "kiriman %(platform)s dari CrowdTangle belum didukung (hanya Facebook "
                    "dan Instagram)"
                )
                % {"platform": named or "?"}
            )
        updated = get_str(post, "updated")
        seen = self.options.collected_at or (_utc(updated, "updated") if updated else None)
        author = self._account(platform, get_obj(post, "account"), seen)
        post_id = _post_id(platform, post)
        created_at = _utc(get_str(post, "date", required=True), "date")
        url = get_str(post, "postUrl")
        text_key = "message" if platform == FACEBOOK else "description"
        statistics = get_obj(post, "statistics")
        counts = _counts(get_obj(statistics, "actual"), prefix="")
        counts.update(_counts(get_obj(statistics, "expected"), prefix="expected_"))
        item = ItemRecord(
            platform=platform,
            platform_id=post_id,
            kind=ItemKind.POST,
            author_id=author.platform_id if author else "",
            author_handle=author.handle if author else "",
            created_at=created_at,
            text=get_str(post, text_key) or get_str(post, "message"),
            root_id=post_id,
            language=get_str(post, "languageCode"),
            media=_media(post, url),
            permalink=url,
            metrics=metrics_from(counts),
            collected_at=seen,
            raw=to_raw(post),
            line=self.line,
            offset=self.offset,
        )
        records: list[Parsed] = [author] if author else []
        records.append(item)
        sponsor = self._account(platform, get_obj(post, "brandedContentSponsor"), seen)
        if sponsor is not None and author is not None:
            records.append(sponsor)
            records.append(
                InteractionRecord(
                    platform=platform,
                    kind=InteractionKind.MENTION,
                    actor_id=author.platform_id,
                    actor_handle=author.handle,
                    target_account_id=sponsor.platform_id,
                    target_account_handle=sponsor.handle,
                    via_item_id=post_id,
                    occurred_at=created_at,
                    observed_at=seen,
                )
            )
        return records

    def _account(
        self, platform: str, account: JsonObject, seen: datetime | None
    ) -> AccountRecord | None:
        """The account as CrowdTangle shows it; None when it names neither id nor handle."""
        platform_id = get_str(account, "platformId")
        handle = get_str(account, "handle").removeprefix("@")
        if not platform_id and not handle:
            return None
        return AccountRecord(
            platform=platform,
            platform_id=platform_id,
            handle=handle,
            display_name=get_opt_str(account, "name"),
            url=get_str(account, "url") or profile_url(platform, handle or platform_id),
            followers=get_int(account, "subscriberCount"),
            seen_at=seen,
            raw=to_raw(account),
        )


# --- fields ------------------------------------------------------------------------------------


def _post_id(platform: str, post: JsonObject) -> str:
    platform_id = get_str(post, "platformId", required=True)
    if not platform_id:
        raise RecordError(_("kolom 'platformId' kosong"))
    if platform == FACEBOOK:
        return platform_id
    try:
        path = urlsplit(get_str(post, "postUrl")).path
    except ValueError:
        path = ""
    found = _INSTAGRAM_POST.search(path)
    return found["code"] if found else platform_id.split("_", 1)[0]


def _utc(value: str, key: str) -> datetime:
    """CrowdTangle's times: ``yyyy-mm-dd hh:mm:ss`` in UTC (a zone, when written, is read)."""
    return parse_time(value, field=key, default_zone=UTC)


def _counts(stats: JsonObject, *, prefix: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in stats:
        name = _METRICS.get(key)
        if name is None:
            found = _COUNT_KEY.match(key)
            if found is None:
                continue  # not a counter (CrowdTangle adds none today)
            name = _CAMEL.sub("_", found["name"]).lower()
        value = get_int(stats, key)
        if value is not None:
            counts[prefix + name] = value
    return counts


def _media(post: JsonObject, url: str) -> tuple[Media, ...]:
    """The post's photos and videos, then the links it carries (not its own URL)."""
    found: list[Media] = []
    for entry in get_list(post, "media"):
        entry = require_object(entry)
        source = get_str(entry, "full") or get_str(entry, "url")
        if source:
            found.append(Media(get_str(entry, "type") or "photo", source))
    links = [get_str(post, "link")]
    for entry in get_list(post, "expandedLinks"):
        entry = require_object(entry)
        links.append(get_str(entry, "expanded") or get_str(entry, "original"))
    seen = {media.url for media in found} | {url, ""}
    for link in links:
        if link not in seen:
            seen.add(link)
            found.append(Media("link", link))
    return tuple(found)


def _error_reason(value: JsonObject) -> str:
    return _("galat dari CrowdTangle: %(message)s (status %(status)s, kode %(code)s)") % {
        "message": value.get("message", ""),
        "status": value.get("status", "?"),
        "code": value.get("code", "?"),
    }
