"""CSV exports of Meta's research tools, Meta Content Library and CrowdTangle, into records.

Formats (records.py states the conventions; ``tables`` reads the CSV, one row at a time):

* ``meta-content-library-csv``: posts downloaded from Meta Content Library, columns named
  as the API fields (``id``, ``creation_time``, ``text``, ``lang``, ``post_owner.id``,
  ``post_owner.name``, ``post_owner.type``, ``post_owner.username``,
  ``statistics.reaction_count``, ``statistics.like_count``, ``statistics.comment_count``,
  ``statistics.share_count``, ``statistics.views``, ``url``/``link``…). Its ids are Content
  Library ids, which Meta says cannot be used anywhere else, so they are kept as
  ``mcl:{id}`` (posts and owners alike) and never mistaken for Graph API ids; the post's
  URL is its permalink. A time without a zone is UTC, as the Content Library writes it.
  The platform is Instagram when the row's URL is on instagram.com (or, without a URL,
  when the file has Instagram's ``statistics.like_count`` but no ``reaction_count``).
* ``crowdtangle-csv``: CrowdTangle's historical-data export, Facebook (``Page Name``,
  ``User Name``, ``Facebook Id``, ``Post Created``, ``Likes``… ``Care``, ``URL``,
  ``Message``, ``Link``…) or Instagram (``Account``, ``User Name`` or ``Handle``,
  ``Post Created``, ``Likes``, ``Comments``, ``Views``, ``URL``, ``Photo``, ``Title``,
  ``Description``). CrowdTangle used the platforms' own ids but gives no post id: a
  Facebook post is ``{Facebook Id}_{id in its URL}`` (the Graph API's form when the URL
  has the numeric id), an Instagram post the shortcode of its URL; a row whose URL says
  neither gets ``ct:`` and a hash of account, time, text and URL. ``Post Created`` carries
  the dashboard's zone (``2024-10-01 10:00:00 WIB``, ``EDT``, ``+0700``).

Each row's ``raw`` is its bytes in the file; one bad row is a ``ParseProblem`` naming its
line, byte offset and column, and reading goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources.meta.common import FACEBOOK, INSTAGRAM, derived_id, profile_url
from netra.social.sources.reading import RECORD_ERRORS, RecordError, reason_for
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
from netra.social.sources.tables import Table, TableRow, open_table, parse_count, parse_time

CONTENT_LIBRARY_FORMAT = "meta-content-library-csv"
CROWDTANGLE_FORMAT = "crowdtangle-csv"
CONTENT_LIBRARY_LABEL = gettext_lazy("CSV Meta Content Library")
CROWDTANGLE_LABEL = gettext_lazy("CSV data historis CrowdTangle")

# Column keys as tables.header_key writes them ("post_owner.id" -> "post_owner_id").
CONTENT_LIBRARY_REQUIRED = ("id", "creation_time", "post_owner_id")

_MCL_METRICS = {
    "statistics_reaction_count": "reactions",
    "statistics_like_count": "likes",
    "statistics_comment_count": "comments",
    "statistics_share_count": "shares",
    "statistics_views": "views",
}
_CT_FACEBOOK_METRICS = {
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "love": "love",
    "wow": "wow",
    "haha": "haha",
    "sad": "sad",
    "angry": "angry",
    "care": "care",
    "post_views": "views",
    "total_views": "total_views",
    "total_interactions": "total_interactions",
}
_CT_INSTAGRAM_METRICS = {
    "likes": "likes",
    "comments": "comments",
    "views": "views",
    "total_interactions": "total_interactions",
}
# The zones CrowdTangle dashboards were set to that tables.parse_zone does not name.
# CrowdTangle was American: CST is US Central Time here, not China Standard Time.
_ZONE_OFFSETS = {
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "SGT": "+08:00",
    "MYT": "+08:00",
    "ICT": "+07:00",
    "JST": "+09:00",
}
_ZONE_NAME = re.compile(r"^(?P<time>.*\d)\s*(?P<zone>[A-Za-z]{3,4})$")
# Where a Facebook post URL keeps the post's own id.
_FACEBOOK_POST = re.compile(
    r"/(?:posts|videos|reel|permalink|photos/[^/]+)/(?P<id>[A-Za-z0-9]+)/?$"
)
_INSTAGRAM_POST = re.compile(r"/(?:p|reel|reels|tv)/(?P<code>[A-Za-z0-9_-]+)")
# Languages the Content Library codes in the old way.
_LANGUAGES = {"in": "id", "und": ""}
# Account snapshots remembered per file to give each once; a huge file forgets and repeats.
_KNOWN_ACCOUNTS_LIMIT = 100_000


class _CellError(RecordError):
    """A cell that cannot be read; ``column`` is its key, for the problem's location."""

    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.column = column


# --- recognising a file --------------------------------------------------------------------------


def is_content_library_header(keys: set[str]) -> bool:
    """Whether header keys are Meta Content Library's (``post_owner.id`` and its peers)."""
    return set(CONTENT_LIBRARY_REQUIRED) <= keys


def is_crowdtangle_header(keys: set[str]) -> bool:
    """Whether header keys are a CrowdTangle historical export's, Facebook or Instagram."""
    if not {"post_created", "url"} <= keys:
        return False
    if "facebook_id" in keys:
        return bool(keys & {"page_name", "group_name", "user_name"})
    return "account" in keys and bool(keys & {"user_name", "handle"})


# --- formats -----------------------------------------------------------------------------------


def parse_content_library_csv(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a Meta Content Library CSV download, one post per row."""
    table = open_table(
        stream, format_label=str(CONTENT_LIBRARY_LABEL), required=CONTENT_LIBRARY_REQUIRED
    )
    keys = set(table.keys)
    instagram = "statistics_like_count" in keys and "statistics_reaction_count" not in keys

    def convert(row: TableRow) -> list[Parsed]:
        return _content_library_row(row, options, instagram_file=instagram)

    yield from _rows(table, convert)


def parse_crowdtangle_csv(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a CrowdTangle historical-data CSV, Facebook or Instagram, one post per row."""
    table = open_table(stream, format_label=str(CROWDTANGLE_LABEL), required=("post_created",))
    keys = set(table.keys)
    if not is_crowdtangle_header(keys):
        raise UnrecognisedFormat(
            _(
                "Kepala tabel ini bukan %(format)s: perlu kolom Post Created, URL, dan Facebook "
                "Id dengan Page Name (Facebook) atau Account dengan User Name (Instagram)."
            )
            % {"format": CROWDTANGLE_LABEL}
        )
    platform = FACEBOOK if "facebook_id" in keys else INSTAGRAM

    def convert(row: TableRow) -> list[Parsed]:
        if platform == FACEBOOK:
            return _crowdtangle_facebook(row, options)
        return _crowdtangle_instagram(row, options)

    yield from _rows(table, convert)


def _rows(table: Table, convert: Callable[[TableRow], list[Parsed]]) -> Iterator[Parsed]:
    known: set[tuple[str, str]] = set()
    for row in table:
        if isinstance(row, ParseProblem):
            yield row
            continue
        try:
            records = convert(row)
        except RECORD_ERRORS as error:
            column = error.column if isinstance(error, _CellError) else ""
            yield row.problem(reason_for(error), column=column)
            continue
        for record in records:
            if isinstance(record, AccountRecord):
                key = (record.platform, record.platform_id or record.handle)
                if key in known:
                    continue
                if len(known) >= _KNOWN_ACCOUNTS_LIMIT:
                    known.clear()
                known.add(key)
            yield record


# --- cells -------------------------------------------------------------------------------------


def _count(row: TableRow, key: str) -> int | None:
    try:
        return parse_count(row.get(key), field=row.names.get(key, key))
    except RecordError as error:
        raise _CellError(str(error), key) from None


def _counts(row: TableRow, names: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, name in names.items():
        value = _count(row, key) if row.has(key) else None
        if value is not None:
            counts[name] = value
    return counts


def _time(row: TableRow, key: str, *, utc_when_naive: bool = False) -> datetime:
    value = row.get(key)
    field = row.names.get(key, key)
    if not value:
        raise _CellError(_("kolom '%(key)s' kosong") % {"key": field}, key)
    named = _ZONE_NAME.match(value)
    if named and named["zone"].upper() in _ZONE_OFFSETS:
        value = f"{named['time']}{_ZONE_OFFSETS[named['zone'].upper()]}"
    try:
        return parse_time(value, field=field, default_zone=UTC if utc_when_naive else None)
    except RecordError as error:
        raise _CellError(str(error), key) from None


# --- Meta Content Library ------------------------------------------------------------------------


def _content_library_row(
    row: TableRow, options: ParseOptions, *, instagram_file: bool
) -> list[Parsed]:
    library_id = row.get("id")
    if not library_id:
        raise _CellError(_("kolom 'id' kosong"), "id")
    url = row.get("url") or row.get("post_url")
    host = _host(url)
    if host:
        platform = INSTAGRAM if host.endswith("instagram.com") else FACEBOOK
    else:
        platform = INSTAGRAM if instagram_file else FACEBOOK
    created_at = _time(row, "creation_time", utc_when_naive=True)
    owner = row.get("post_owner_id")
    owner_id = f"mcl:{owner}" if owner else ""
    username = row.get("post_owner_username")
    name = row.cells.get("post_owner_name")
    records: list[Parsed] = []
    if owner_id:
        records.append(
            AccountRecord(
                platform=platform,
                platform_id=owner_id,
                handle=username,
                display_name=name.strip() if name is not None else None,
                url=profile_url(platform, username),
                seen_at=options.collected_at,
            )
        )
    link = row.get("link")
    language = row.get("lang")
    records.append(
        ItemRecord(
            platform=platform,
            platform_id=f"mcl:{library_id}",
            kind=ItemKind.POST,
            author_id=owner_id,
            author_handle=username,
            created_at=created_at,
            text=row.cells.get("text", ""),
            root_id=f"mcl:{library_id}",
            language=_LANGUAGES.get(language, language),
            media=(Media("link", link),) if link and link != url else (),
            permalink=url,
            metrics=metrics_from(_counts(row, _MCL_METRICS)),
            collected_at=options.collected_at,
            raw=row.raw,
            line=row.line,
            offset=row.offset,
        )
    )
    return records


# --- CrowdTangle ---------------------------------------------------------------------------------


def _crowdtangle_facebook(row: TableRow, options: ParseOptions) -> list[Parsed]:
    page_id = row.get("facebook_id")
    if page_id and not page_id.isdigit():
        raise _CellError(
            _("kolom 'Facebook Id' bukan ID angka: '%(value)s'") % {"value": page_id},
            "facebook_id",
        )
    handle = row.get("user_name")
    name = row.get("page_name") or row.get("group_name")
    url = row.get("url")
    created_at = _time(row, "post_created")
    text = row.cells.get("message", "")
    token = _facebook_post_token(url)
    if token and page_id:
        post_id = f"{page_id}_{token}"
    else:
        post_id = derived_id(
            "ct", FACEBOOK, page_id or handle, int(created_at.timestamp()), text, url
        )
    link = row.get("final_link") or row.get("link")
    kind = row.get("type").casefold()
    media: tuple[Media, ...] = ()
    if link:
        media_type = (
            "video" if "video" in kind else "photo" if kind in {"photo", "album"} else "link"
        )
        media = (Media(media_type, link),)
    records: list[Parsed] = []
    if page_id or handle:
        records.append(
            AccountRecord(
                platform=FACEBOOK,
                platform_id=page_id,
                handle=handle,
                display_name=name or None,
                url=profile_url(FACEBOOK, handle or page_id),
                seen_at=options.collected_at,
            )
        )
    records.append(
        ItemRecord(
            platform=FACEBOOK,
            platform_id=post_id,
            kind=ItemKind.POST,
            author_id=page_id,
            author_handle=handle,
            created_at=created_at,
            text=text,
            root_id=post_id,
            media=media,
            permalink=url,
            metrics=metrics_from(_counts(row, _CT_FACEBOOK_METRICS)),
            collected_at=options.collected_at,
            raw=row.raw,
            line=row.line,
            offset=row.offset,
        )
    )
    return records


def _crowdtangle_instagram(row: TableRow, options: ParseOptions) -> list[Parsed]:
    handle = (row.get("user_name") or row.get("handle")).removeprefix("@")
    name = row.get("account")
    url = row.get("url")
    created_at = _time(row, "post_created")
    text = row.cells.get("description", "")
    found = _INSTAGRAM_POST.search(urlsplit(url).path) if url else None
    if found:
        post_id = found["code"]
    else:
        post_id = derived_id("ct", INSTAGRAM, handle, int(created_at.timestamp()), text, url)
    photo = row.get("photo")
    kind = row.get("type").casefold()
    records: list[Parsed] = []
    if handle:
        records.append(
            AccountRecord(
                platform=INSTAGRAM,
                platform_id="",
                handle=handle,
                display_name=name or None,
                url=profile_url(INSTAGRAM, handle),
                seen_at=options.collected_at,
            )
        )
    records.append(
        ItemRecord(
            platform=INSTAGRAM,
            platform_id=post_id,
            kind=ItemKind.POST,
            author_id="",
            author_handle=handle,
            created_at=created_at,
            text=text,
            title=row.get("title"),
            root_id=post_id,
            # "Photo" is the picture, or a video's still.
            media=(Media("photo" if kind in {"photo", "album"} else "thumbnail", photo),)
            if photo
            else (),
            permalink=url,
            metrics=metrics_from(_counts(row, _CT_INSTAGRAM_METRICS)),
            collected_at=options.collected_at,
            raw=row.raw,
            line=row.line,
            offset=row.offset,
        )
    )
    return records


# --- URLs --------------------------------------------------------------------------------------


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").casefold()
    except ValueError:
        return ""


def _facebook_post_token(url: str) -> str:
    """The post's own id in a Facebook post URL (a number, or a ``pfbid…`` token)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    query = parse_qs(parts.query)
    for key in ("story_fbid", "fbid"):  # permalink.php?story_fbid=…, photo.php?fbid=…
        if query.get(key):
            return query[key][0]
    found = _FACEBOOK_POST.search(parts.path)
    return found["id"] if found else ""
