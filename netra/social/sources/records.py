"""The one platform-neutral shape every source parser produces.

A parser turns the bytes of one file into a stream of ``Parsed`` values: accounts, items,
interactions, and a ``ParseProblem`` for each record it could not read, a record of a shape
it does not know included: nothing it was given is skipped in silence. It never raises for
one bad record; it raises ``UnrecognisedFormat`` only when the input as a whole is not laid
out as the format it reads (no JSON, a table without its columns, a first hundred lines
with nothing of the format). Parsers are pure: no database, no network, no clock (the caller passes
``ParseOptions.collected_at`` when the payload does not say when it was fetched).

Conventions shared by all platforms:

* ids are the platform's own ids as strings; ``""`` means "not given";
* ``root_id`` is the id of the item that starts the conversation (a post is its own root,
  a YouTube comment's root is its video); ``""`` when the payload does not say;
* ``parent_id`` is the item this one answers, shares or quotes; ``""`` for a post;
* items that answer, share or quote another item carry ``parent_id``, and the item page
  shows them as that item's comments and shares; parsers emit an ``InteractionRecord`` only
  for what has no item of its own: likes, reactions, shares known only by their author
  (retweeted_by), follows, joins and mentions;
* metric names are neutral: ``likes``, ``shares``, ``replies``, ``quotes``, ``comments``,
  ``views``, ``bookmarks``; a platform's other counters keep their own names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from django.utils.translation import gettext as _

if TYPE_CHECKING:  # django_stubs_ext pulls in the admin: too heavy for an ingest child
    from django_stubs_ext import StrOrPromise


class ItemKind(StrEnum):
    POST = "post"
    COMMENT = "comment"
    REPLY = "reply"
    SHARE = "share"
    QUOTE = "quote"
    VIDEO = "video"


class InteractionKind(StrEnum):
    LIKE = "like"
    REACTION = "reaction"
    SHARE = "share"
    COMMENT = "comment"
    FOLLOW = "follow"
    JOIN = "join"
    MENTION = "mention"


class Media(NamedTuple):
    """One attachment: its platform type (``photo``, ``video``, ``thumbnail``…) and its URL."""

    type: str
    url: str


Metrics = tuple[tuple[str, int], ...]


def metrics_from(counts: Mapping[str, int]) -> Metrics:
    """Freeze a mapping of counters into the sorted tuple records carry."""
    return tuple(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """A snapshot of one account's profile as the payload showed it at ``seen_at``.

    ``None`` means the payload did not say (a comment names its author but not their bio),
    so a loader comparing snapshots must not read it as a cleared field; ``""`` is empty.
    """

    platform: str
    platform_id: str
    handle: str
    display_name: str | None = None
    bio: str | None = None
    url: str = ""
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    seen_at: datetime | None = None
    deleted: bool = False
    withheld: bool = False
    reason: str = ""
    raw: bytes = b""


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One post, comment, reply, share, quote or video.

    ``created_at`` is aware, and None only when nothing tells it. ``title`` is a video's.
    ``raw`` is the record's JSON: the exact bytes when the record is a whole line, else the
    object cut from its page and written compactly (the same value, not the same spacing).
    A tombstone (the platform says the item is gone or hidden) has ``deleted`` or
    ``withheld`` set, ``reason`` saying why, and whatever fields the platform still gave;
    its ``kind`` is ``post`` when the platform no longer says.
    """

    platform: str
    platform_id: str
    kind: ItemKind
    author_id: str
    author_handle: str
    created_at: datetime | None
    text: str = ""
    title: str = ""
    parent_id: str = ""
    root_id: str = ""
    language: str = ""
    media: tuple[Media, ...] = ()
    permalink: str = ""
    metrics: Metrics = ()
    collected_at: datetime | None = None
    deleted: bool = False
    withheld: bool = False
    reason: str = ""
    raw: bytes = b""
    # Where the record is in its file (1-based line, byte offset), when the parser knows.
    line: int | None = None
    offset: int | None = None

    def metric(self, name: str) -> int | None:
        """The named counter, or None when the payload did not give it."""
        for key, value in self.metrics:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    """One account acting on an item or an account.

    Platforms give no time for a like or a follow: ``occurred_at`` is set only when the
    payload says when it happened (a mention inside a dated post); ``observed_at`` is when
    the payload was fetched, if known.
    """

    platform: str
    kind: InteractionKind
    actor_id: str
    actor_handle: str = ""
    target_item_id: str = ""
    target_account_id: str = ""
    target_account_handle: str = ""
    reaction_type: str = ""
    via_item_id: str = ""
    occurred_at: datetime | None = None
    observed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A record that could not be read: where it is and why, with its bytes for quarantine."""

    reason: str
    line: int | None = None
    offset: int | None = None
    path: str = ""
    raw: bytes = field(default=b"", repr=False)

    @property
    def where(self) -> str:
        """The location in words, e.g. ``baris 3, byte ke-120, $.data[2]``."""
        parts: list[str] = []
        if self.line is not None:
            parts.append(_("baris %(line)d") % {"line": self.line})
        if self.offset is not None:
            parts.append(_("byte ke-%(offset)d") % {"offset": self.offset})
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)


Parsed = AccountRecord | ItemRecord | InteractionRecord | ParseProblem


class UnrecognisedFormat(ValueError):
    """The input as a whole is not the format asked for; the message says what was seen."""


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the caller knows about a file that its payload may not say."""

    # When the file was fetched; used where the payload carries no retrieval time.
    collected_at: datetime | None = None
    # The API URL that produced a single page (X endpoints put the tweet or user id only
    # in the URL: /2/tweets/:id/liking_users); twarc2 lines carry their own.
    request_url: str = ""
    # A Twitter archive's tweets carry no author: they are the archive owner's.
    owner_id: str = ""
    owner_handle: str = ""
    # The file's name: some files say only there what they hold (Meta's liked_posts.json
    # and saved_posts.json share one shape; a TikTok profile may be named @username.json).
    # ``ingest_file`` gives the name of the file it loads when the caller gives none.
    file_name: str = ""


Parser = Callable[[IO[bytes], ParseOptions], Iterator[Parsed]]


class Shape(StrEnum):
    """How a format's file is laid out, as detection sees it before parsing."""

    OBJECT = "object"  # one JSON document, an object
    ARRAY = "array"  # one JSON document, a list
    LINES = "lines"  # JSON Lines: one object a line
    TABLE = "table"  # comma, semicolon or tab separated text with a header row
    SCRIPT = "script"  # JavaScript that assigns a JSON value (window.YTD.… = […])


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One input format a source reads: its name for ``--format``, a label, its parser.

    ``shapes`` and ``keys`` (the keys or columns its files are known by) serve the message
    for a file nobody recognises: the formats nearest to what was seen are named first.
    ``names_owner``, for a format of an export archive's parts, says from a part's first
    bytes whether it is the one that holds the archive owner's own profile: an archive
    read whole then takes its owner from that part's first account when the caller names
    none (``netra.social.zipped``).
    """

    name: str
    label: StrOrPromise
    parse: Parser
    shapes: tuple[Shape, ...] = ()
    keys: frozenset[str] = frozenset()
    names_owner: Callable[[bytes], bool] | None = None


LINE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jl"})


@dataclass(frozen=True, slots=True)
class Head:
    """What format detection knows of a file before parsing it, for a source's ``sniff``.

    ``data`` is the file's first bytes with any UTF-8 BOM removed; ``suffix`` the lower-case
    file extension (``.csv``); ``first_object`` the first unindented line of ``data`` that is
    a whole JSON object (JSON Lines, or a one-line document), else None; ``csv_header`` the
    cells of the first line when the file looks like a table (comma, semicolon or tab
    separated text), else None.
    """

    data: bytes
    suffix: str
    first_object: dict[str, Any] | None
    csv_header: tuple[str, ...] | None

    @property
    def lines(self) -> bool:
        """With a whole first object: JSON Lines (more than one line, or such a file name)."""
        if self.suffix in LINE_SUFFIXES:
            return True
        return len([line for line in self.data.lstrip().split(b"\n") if line.strip()]) > 1

    @property
    def long_line(self) -> bool:
        """With no whole object on a line: one line longer than the head (JSON Lines), not
        a pretty-printed document; a ``.json`` name says a document."""
        return b"\n" not in self.data.strip() and self.suffix != ".json"


class Unsupported(ValueError):
    """A ``sniff`` saw its own source's file in a shape the source does not read.

    The message says what was seen (``arsip Twitter bagian 'direct_messages', yang belum
    didukung``); detection reports it instead of asking the other sources.
    """


@dataclass(frozen=True, slots=True)
class Link:
    """A URL as a platform's link rules read it.

    ``host`` is lower case, without ``www.``, ``m.``, ``mobile.``, ``web.`` or ``mbasic.``;
    ``path`` is as written, ``query`` its parameters (the last of a repeated one).
    """

    host: str
    path: str
    query: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Links:
    """How one platform's links look, for an item entered by hand with its URL.

    A link is the platform's when its host is one of ``hosts`` or their subdomains
    (``vm.tiktok.com``). ``item_id`` gives the platform's own id of the item a link shows,
    None when the link's shape carries none. ``tracking`` names query parameters that only
    track on this platform's links (elsewhere ``t`` may be a topic). ``kind`` is the kind
    of an item entered with such a link; a post when not given.
    """

    hosts: tuple[str, ...]
    item_id: Callable[[Link], str | None]
    tracking: frozenset[str] = frozenset()
    kind: Callable[[Link], ItemKind] | None = None


@dataclass(frozen=True, slots=True)
class Capture:
    """One captured line: when it was captured (else ``ParseOptions.collected_at``), its bytes."""

    seen: datetime | None
    raw: bytes


# A browser capture's object (a capture line's "data") into records; raises for a bad one.
CaptureConverter = Callable[[dict[str, Any], Capture], list[Parsed]]


@dataclass(frozen=True, slots=True)
class Setting:
    """A setting a source needs, read from the environment variable of the same name.

    ``netra/config/settings.py`` reads it at start-up with ``env_str`` or ``env_int``, by
    the type of ``default``; a bad value stops Netra there. Names start with ``NETRA_``.
    """

    name: str
    default: str | int


@dataclass(frozen=True, slots=True)
class LiveApi:
    """A platform's live API, polled for watchlists (docs/collection.md).

    ``collector`` is ``"module:attribute"``: a class implementing
    ``netra.social.collect.base.Collector``, imported only when a watchlist is polled
    (collectors use the database, which parsers must not). ``url`` is the API's base URL;
    ``credential`` travels in the ``auth_header`` header as ``auth_prefix`` and its value,
    and while it is empty the platform is not polled; ``poll_minutes`` is the least time
    between two walks of one target. ``reset_header``, when the platform has one, is the
    header of a 429 answer that names, in epoch seconds, when its window reopens.
    """

    collector: str
    url: Setting
    credential: Setting
    poll_minutes: Setting
    auth_header: str = "Authorization"
    auth_prefix: str = "Bearer "
    reset_header: str = ""

    @property
    def settings(self) -> tuple[Setting, ...]:
        return (self.url, self.credential, self.poll_minutes)


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """What a source knows of one platform besides its files' formats.

    ``platform`` is the ``netra.core.platforms.Platform`` value; ``aliases`` other names
    for it in a file's ``platform`` column (``twitter``); ``links`` its URLs; ``captures``
    the browser-capture converters by the capture tool's module id (``tiktok.com``);
    ``live`` its live API.
    """

    platform: str
    aliases: tuple[str, ...] = ()
    links: Links | None = None
    captures: tuple[tuple[str, CaptureConverter], ...] = ()
    live: LiveApi | None = None


@dataclass(frozen=True, slots=True)
class SourceManifest:
    """What a source folder declares: its name, the platform it feeds and its formats.

    ``sniff`` names the format of a file whose head it recognises, else returns None; it
    must recognise only what is unmistakably its own (detection asks every source, in
    registry order), and may raise ``Unsupported`` for its own file in a shape it does not
    read. ``platforms`` holds the rest of what the source knows of each platform it is
    the home of (docs/adding-a-platform.md); a platform has one home.
    """

    name: str
    platform: str
    formats: tuple[FormatSpec, ...]
    sniff: Callable[[Head], str | None] | None = None
    platforms: tuple[PlatformSpec, ...] = ()
