"""Meta "Download Your Information" JSON exports of Facebook and Instagram into records.

Formats (records.py states the conventions):

* ``facebook-dyi-json``: ``your_posts_1.json`` (a list of ``{timestamp, data: [{post}],
  attachments, title}``), ``comments.json`` (``{"comments_v2": […]}``) and
  ``likes_and_reactions_1.json`` (a list of ``{timestamp, data: [{reaction: {reaction,
  actor}}], title}``; older exports wrap it in ``reactions_v2`` or ``reactions``);
* ``instagram-dyi-json``: ``posts_1.json`` (a list of ``{media: [{uri,
  creation_timestamp, title}]}``), ``archived_posts.json`` and ``reels.json`` (the same
  entries under ``ig_archived_post_media`` and ``ig_reels_media``), ``post_comments_1.json``
  (a list of ``{string_map_data: {Comment, Media Owner, Time}}``; ``reels_comments.json``
  wraps it in ``comments_reels_comments``) and ``liked_posts.json``
  (``{"likes_media_likes": [{title, string_list_data: [{href, value, timestamp}]}]}``).

Both formats also read the Accounts Center shape that Meta's exports have used since
2024 (``accounts_center.py``): a bare array of ``{timestamp, media, fbid, label_values}``
entries, for liked posts (``liked_posts.json``: a like of the post at its URL, whose
owner is kept as an account), saved posts (``saved_posts.json``: the saved post as an
item with its caption and owner, ``collected_at`` when it was saved; a save is private
and no interaction), comments (``Comment``, ``Media Owner``) and posts (``Message``,
``Media``, the entry's ``media``). Liked and saved posts share one shape: the file's name
(``ParseOptions.file_name``) tells them apart, and an entry of a file whose name says
neither is a ``ParseProblem`` saying so. Ids are derived as for the older shape, so the
same comment or post read from an older and a newer export is one item.

What these files leave out, and what is done about it:

* Text is Meta's mojibake (UTF-8 bytes written as Latin-1 code points): it is repaired
  with ``common.fix_mojibake``, only where the repair round-trips.
* The export owner is not named in most files: items and interactions are attributed to
  ``ParseOptions.owner_id`` and ``owner_handle``; one account snapshot of the owner, with
  the display name a file shows, is given when the caller names the owner. Without an
  owner, posts and comments are read without author, but a like or reaction, which would
  have no actor, is a ``ParseProblem`` (kept to import again with the owner named).
* Posts and comments carry no id: each gets ``dyi:`` followed by 24 hex digits of the
  SHA-256 of platform, kind, owner, Unix time, repaired text and media paths (see
  ``common.derived_id``), so the same export always gives the same ids.
* Comments do not say which post they answer (``parent_id`` stays empty). An Instagram
  comment names the post's owner: that is given as an ``InteractionKind.COMMENT`` on the
  owner's account, via the comment.
* Facebook reactions name neither post nor id: an ``InteractionKind.REACTION`` with its
  type in lower case, its time, and no target. Instagram likes name the post by the
  shortcode of its URL (``/p/{shortcode}/``), used as ``target_item_id``; Graph API
  media ids are numbers and are not the same key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources.links import host
from netra.social.sources.meta import accounts_center
from netra.social.sources.meta.accounts_center import Labels
from netra.social.sources.meta.common import (
    FACEBOOK,
    INSTAGRAM,
    derived_id,
    fix_mojibake,
    from_unix,
    media_kind,
    problem,
    profile_url,
    require_object,
)
from netra.social.sources.meta.links import facebook_id
from netra.social.sources.reading import (
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    describe_value,
    get_list,
    get_obj,
    get_str,
    read_document,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    ItemKind,
    ItemRecord,
    Link,
    Media,
    Parsed,
    ParseOptions,
    ParseProblem,
)

FACEBOOK_LABEL = gettext_lazy("ekspor JSON Facebook (Download Your Information)")
INSTAGRAM_LABEL = gettext_lazy("ekspor JSON Instagram (Download Your Information)")

FACEBOOK_KEYS = {"comments_v2": "comments", "comments": "comments"} | {
    "reactions_v2": "reactions",
    "reactions": "reactions",
}
INSTAGRAM_KEYS = {
    "likes_media_likes": "likes",
    "comments_media_comments": "comments",
    "comments_reels_comments": "comments",
    "ig_archived_post_media": "archived",
    "ig_reels_media": "posts",
}

_SHORTCODE = re.compile(r"instagram\.com/(?:[^/?#]+/)?(?:p|reel|reels|tv)/([A-Za-z0-9_-]+)")
_HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")


# --- recognising a file ------------------------------------------------------------------------


ACCOUNTS_CENTER = "accounts_center"


def facebook_part(value: object) -> tuple[str, str, list[Any]] | None:
    """Which Facebook export file a document is: its part, the path of its list, the list."""
    found = accounts_center.entries_of(value)
    if found is not None:
        return ACCOUNTS_CENTER, *found
    if isinstance(value, dict):
        for key, part in FACEBOOK_KEYS.items():
            entries = value.get(key)
            if isinstance(entries, list):
                return part, f"$.{key}", entries
        return None
    if isinstance(value, list):
        first = next((entry for entry in value if isinstance(entry, dict)), None)
        if first is None:
            return ("posts", "$", value) if not value else None
        if "timestamp" in first and ("data" in first or "attachments" in first or "title" in first):
            # Posts and reactions share this list shape; each entry says which it is.
            return "posts", "$", value
    return None


def instagram_part(value: object) -> tuple[str, str, list[Any]] | None:
    """Which Instagram export file a document is: its part, the path of its list, the list."""
    found = accounts_center.entries_of(value)
    if found is not None:
        return ACCOUNTS_CENTER, *found
    if isinstance(value, dict):
        for key, part in INSTAGRAM_KEYS.items():
            entries = value.get(key)
            if isinstance(entries, list):
                return part, f"$.{key}", entries
        return None
    if isinstance(value, list):
        first = next((entry for entry in value if isinstance(entry, dict)), None)
        if first is None:
            return ("posts", "$", value) if not value else None
        if isinstance(first.get("string_map_data"), dict):
            return "comments", "$", value
        if isinstance(first.get("media"), list):
            return "posts", "$", value
    return None


# --- formats -----------------------------------------------------------------------------------


def parse_facebook_dyi(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one Facebook export file: posts, comments, or likes and reactions."""
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    found = facebook_part(document[0])
    if found is None:
        # A document of another shape is one record this format cannot use.
        yield ParseProblem(
            reason=_(
                "berkas ini bukan %(format)s yang dikenal (isinya: %(seen)s); yang didukung: "
                "your_posts_1.json, comments.json, likes_and_reactions_1.json, "
                "likes_and_reactions.json, posts_on_other_pages_and_profiles.json"
            )
            % {"format": FACEBOOK_LABEL, "seen": describe_value(document[0])},
            path="$",
            raw=document[1],
        )
        return
    part, base, entries = found
    reader = _Export(FACEBOOK, options)
    if part == ACCOUNTS_CENTER:
        convert = reader.labelled
    else:
        convert = reader.fb_comment if part == "comments" else reader.fb_post_or_reaction
    yield from reader.entries(entries, base, convert)


def parse_instagram_dyi(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one Instagram export file: posts, comments or liked posts."""
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    found = instagram_part(document[0])
    if found is None:
        yield ParseProblem(
            reason=_(
                "berkas ini bukan %(format)s yang dikenal (isinya: %(seen)s); yang didukung: "
                "posts_1.json, archived_posts.json, reels.json, post_comments_1.json, "
                "reels_comments.json, liked_posts.json, saved_posts.json"
            )
            % {"format": INSTAGRAM_LABEL, "seen": describe_value(document[0])},
            path="$",
            raw=document[1],
        )
        return
    part, base, entries = found
    reader = _Export(INSTAGRAM, options)
    converters: dict[str, Callable[[JsonObject], list[Parsed]]] = {
        "posts": reader.ig_post,
        "archived": reader.ig_archived_post,
        "comments": reader.ig_comment,
        "likes": reader.ig_like,
        ACCOUNTS_CENTER: reader.labelled,
    }
    yield from reader.entries(entries, base, converters[part])


# --- one file ----------------------------------------------------------------------------------


@dataclass
class _Export:
    platform: str
    options: ParseOptions
    accounts_given: set[tuple[str, str]] = field(default_factory=set)

    @property
    def owner_key(self) -> str:
        return self.options.owner_id or self.options.owner_handle

    def entries(
        self, entries: list[Any], base: str, convert: Callable[[JsonObject], list[Parsed]]
    ) -> Iterator[Parsed]:
        for index, entry in enumerate(entries):
            try:
                records = convert(require_object(entry))
            except RECORD_ERRORS as error:
                yield problem(error, path=f"{base}[{index}]", value=entry)
                continue
            for record in records:
                # Each account's snapshot comes once per file, with the first record that
                # has it: the owner's, and the owners of the posts an entry names.
                if isinstance(record, AccountRecord):
                    key = (record.platform, record.platform_id or record.handle.casefold())
                    if key in self.accounts_given:
                        continue
                    self.accounts_given.add(key)
                yield record

    def require_owner(self, what: str) -> None:
        """Refuse an interaction whose actor, the export's owner, the caller did not name."""
        if not self.owner_key:
            raise RecordError(
                _(
                    "pemilik ekspor tidak disebut (owner_id atau owner_handle), jadi %(what)s "
                    "ini tanpa pelaku; impor ulang dengan menyebut pemiliknya"
                )
                % {"what": what}
            )

    def owner(self, display_name: str | None = None) -> list[Parsed]:
        """The owner's account snapshot when the caller named the owner, else nothing."""
        if not self.owner_key:
            return []
        handle = self.options.owner_handle
        return [
            AccountRecord(
                platform=self.platform,
                platform_id=self.options.owner_id,
                handle=handle,
                display_name=display_name,
                url=profile_url(self.platform, handle or self.options.owner_id),
                seen_at=self.options.collected_at,
            )
        ]

    def item(
        self,
        kind: ItemKind,
        entry: JsonObject,
        *,
        created_at: datetime | None,
        text: str,
        media: tuple[Media, ...],
        extra: str = "",
        withheld: str = "",
    ) -> ItemRecord:
        stamp = int(created_at.timestamp()) if created_at else ""
        files = [file.url for file in media]
        item_id = derived_id(
            "dyi", self.platform, kind.value, self.owner_key, stamp, text, extra, *files
        )
        return ItemRecord(
            platform=self.platform,
            platform_id=item_id,
            kind=kind,
            author_id=self.options.owner_id,
            author_handle=self.options.owner_handle,
            created_at=created_at,
            text=text,
            root_id=item_id if kind is ItemKind.POST else "",
            media=media,
            collected_at=self.options.collected_at,
            withheld=bool(withheld),
            reason=withheld,
            raw=to_raw(entry),
        )

    # --- Facebook ----------------------------------------------------------------------------

    def fb_post_or_reaction(self, entry: JsonObject) -> list[Parsed]:
        data = [require_object(part) for part in get_list(entry, "data")]
        reactions = [get_obj(part, "reaction") for part in data if "reaction" in part]
        if reactions:
            return self._fb_reactions(entry, reactions)
        texts = [fix_mojibake(get_str(part, "post")) for part in data if "post" in part]
        media, captions = _fb_attachments(entry)
        text = next((t for t in texts if t), "") or next((c for c in captions if c), "")
        created_at = _when(entry, "timestamp", required=True)
        return [
            *self.owner(),
            self.item(ItemKind.POST, entry, created_at=created_at, text=text, media=media),
        ]

    def _fb_reactions(self, entry: JsonObject, reactions: list[JsonObject]) -> list[Parsed]:
        self.require_owner(_("reaksi"))
        occurred = _when(entry, "timestamp", required=True)
        records: list[Parsed] = []
        for reaction in reactions:
            kind = get_str(reaction, "reaction")
            if not kind:
                raise RecordError(_("kolom 'reaction' kosong"))
            actor = fix_mojibake(get_str(reaction, "actor"))
            records.extend(self.owner(actor or None))
            records.append(
                InteractionRecord(
                    platform=FACEBOOK,
                    kind=InteractionKind.REACTION,
                    actor_id=self.options.owner_id,
                    actor_handle=self.options.owner_handle,
                    reaction_type=kind.lower(),
                    occurred_at=occurred,
                    observed_at=self.options.collected_at,
                )
            )
        return records

    def fb_comment(self, entry: JsonObject) -> list[Parsed]:
        data = [require_object(part) for part in get_list(entry, "data")]
        comment = next((get_obj(part, "comment") for part in data if "comment" in part), {})
        media, _captions = _fb_attachments(entry)
        if not comment and not media:
            raise RecordError(_("entri tanpa 'comment'"))
        created_at = _when(entry, "timestamp") or _when(comment, "timestamp")
        author = fix_mojibake(get_str(comment, "author"))
        text = fix_mojibake(get_str(comment, "comment"))
        return [
            *self.owner(author or None),
            self.item(ItemKind.COMMENT, entry, created_at=created_at, text=text, media=media),
        ]

    # --- Instagram ---------------------------------------------------------------------------

    def ig_post(self, entry: JsonObject, *, withheld: str = "") -> list[Parsed]:
        files = [require_object(file) for file in get_list(entry, "media")]
        if not files:
            raise RecordError(_("kolom 'media' kosong"))
        uris = [get_str(file, "uri") for file in files]
        media = tuple(Media(media_kind(uri), uri) for uri in uris if uri)
        text = fix_mojibake(get_str(entry, "title")) or next(
            (fix_mojibake(get_str(file, "title")) for file in files if get_str(file, "title")),
            "",
        )
        created_at = _when(entry, "creation_timestamp") or _when(
            files[0], "creation_timestamp", required=True
        )
        return [
            *self.owner(),
            self.item(
                ItemKind.POST,
                entry,
                created_at=created_at,
                text=text,
                media=media,
                withheld=withheld,
            ),
        ]

    def ig_archived_post(self, entry: JsonObject) -> list[Parsed]:
        return self.ig_post(entry, withheld=_("diarsipkan pemilik akun, tidak tampil di profil"))

    def ig_comment(self, entry: JsonObject) -> list[Parsed]:
        fields = get_obj(entry, "string_map_data")
        if not fields:
            raise RecordError(_("kolom 'string_map_data' tidak ada"))
        text = fix_mojibake(get_str(get_obj(fields, "Comment"), "value"))
        media_owner = fix_mojibake(get_str(get_obj(fields, "Media Owner"), "value"))
        created_at = _when(get_obj(fields, "Time"), "timestamp") or _any_time(fields)
        if created_at is None:
            raise RecordError(_("komentar tanpa waktu ('Time')"))
        item = self.item(
            ItemKind.COMMENT, entry, created_at=created_at, text=text, media=(), extra=media_owner
        )
        return [*self.owner(), item, *self._commented_on(media_owner, item, created_at)]

    def _commented_on(
        self, media_owner: str, item: ItemRecord, created_at: datetime
    ) -> list[InteractionRecord]:
        """The owner's comment on ``media_owner``'s post, as an interaction (the post itself
        is not in the export); none without a known owner or media owner."""
        if not (media_owner and self.owner_key):
            return []
        return [
            InteractionRecord(
                platform=INSTAGRAM,
                kind=InteractionKind.COMMENT,
                actor_id=self.options.owner_id,
                actor_handle=self.options.owner_handle,
                target_account_handle=media_owner,
                via_item_id=item.platform_id,
                occurred_at=created_at,
                observed_at=self.options.collected_at,
            )
        ]

    def ig_like(self, entry: JsonObject) -> list[Parsed]:
        self.require_owner(_("suka"))
        title = fix_mojibake(get_str(entry, "title"))
        records: list[Parsed] = [*self.owner()]
        likes = [require_object(like) for like in get_list(entry, "string_list_data")]
        if not likes:
            raise RecordError(_("kolom 'string_list_data' kosong"))
        for like in likes:
            href = get_str(like, "href")
            found = _SHORTCODE.search(href)
            value = fix_mojibake(get_str(like, "value"))
            # The post's owner is the title; some exports put it in "value" instead.
            owner = next((name for name in (title, value) if _HANDLE.match(name)), "")
            if found is None and not owner:
                raise RecordError(
                    _("suka tanpa tautan kiriman Instagram: '%(href)s'") % {"href": href}
                )
            records.append(
                InteractionRecord(
                    platform=INSTAGRAM,
                    kind=InteractionKind.LIKE,
                    actor_id=self.options.owner_id,
                    actor_handle=self.options.owner_handle,
                    target_item_id=found[1] if found else "",
                    target_account_handle=owner,
                    occurred_at=_when(like, "timestamp"),
                    observed_at=self.options.collected_at,
                )
            )
        return records

    # --- the Accounts Center shape (label_values) -------------------------------------------

    def labelled(self, entry: JsonObject) -> list[Parsed]:
        """One Accounts Center entry: a comment, a reaction, a liked or saved post, a post."""
        labels = Labels(get_list(entry, "label_values"))
        part = accounts_center.file_part(self.options.file_name)
        if labels.field(accounts_center.COMMENT) is not None or part == "comments":
            return self._labelled_comment(entry, labels)
        if labels.field(accounts_center.REACTION) is not None or part == "reactions":
            return self._labelled_reaction(entry, labels)
        url, target = self._post_link(labels)
        if part == "likes":
            return self._labelled_like(entry, labels, url, target)
        if part == "saved":
            return self._labelled_saved(entry, labels, url, target)
        if part not in ("posts", "archived") and target:
            raise RecordError(
                _(
                    "entri ini menunjuk kiriman %(url)s, tetapi nama berkas '%(file)s' tidak "
                    "mengatakan apakah kiriman itu disukai atau disimpan; muat berkas dengan "
                    "nama aslinya dari ekspor (liked_posts.json atau saved_posts.json)"
                )
                % {"url": url, "file": self.options.file_name or "?"}
            )
        return self._labelled_post(entry, labels, archived=part == "archived")

    def _post_link(self, labels: Labels) -> tuple[str, str]:
        """The URL of the post an entry names and the post's id in it, else two ``""``."""
        first = labels.field(accounts_center.URL)
        candidates = [first.href, first.value] if first is not None else []
        for url in [*candidates, *labels.links()]:
            target = _post_id_in(self.platform, url)
            if target:
                return url, target
        return "", ""

    def _post_owner(self, labels: Labels) -> AccountRecord | None:
        """The account that posted what an entry names: its Owner group's username."""
        group = labels.group(accounts_center.OWNER)
        username = group.value(accounts_center.USERNAME) if group is not None else ""
        name = group.value(accounts_center.NAME) if group is not None else ""
        if not username:
            # Some files give the owner as one field: its value is the username.
            value = labels.value(accounts_center.OWNER)
            username = value if _HANDLE.match(value) else ""
        if not username or self.platform != INSTAGRAM:
            return None
        return AccountRecord(
            platform=self.platform,
            platform_id="",
            handle=username.removeprefix("@"),
            display_name=name or None,
            url=profile_url(self.platform, username.removeprefix("@")),
            seen_at=self.options.collected_at,
        )

    def _labelled_like(
        self, entry: JsonObject, labels: Labels, url: str, target: str
    ) -> list[Parsed]:
        self.require_owner(_("suka"))
        if not target:
            raise RecordError(_("suka tanpa tautan kiriman (label URL)"))
        owner = self._post_owner(labels)
        return [
            *self.owner(),
            *([owner] if owner else []),
            InteractionRecord(
                platform=self.platform,
                kind=InteractionKind.LIKE,
                actor_id=self.options.owner_id,
                actor_handle=self.options.owner_handle,
                target_item_id=target,
                target_account_handle=owner.handle if owner else "",
                occurred_at=_when(entry, "timestamp"),
                observed_at=self.options.collected_at,
            ),
        ]

    def _labelled_saved(
        self, entry: JsonObject, labels: Labels, url: str, target: str
    ) -> list[Parsed]:
        if not target:
            raise RecordError(_("kiriman tersimpan tanpa tautan kiriman (label URL)"))
        owner = self._post_owner(labels)
        saved_at = _when(entry, "timestamp")
        item = ItemRecord(
            platform=self.platform,
            platform_id=target,
            kind=ItemKind.POST,
            author_id="",
            author_handle=owner.handle if owner else "",
            # The entry's time is when it was saved, not when it was posted.
            created_at=None,
            text=labels.value(accounts_center.CAPTION),
            root_id=target,
            permalink=url,
            # The caption as the owner saw it then: no newer copy is overwritten by it.
            collected_at=saved_at or self.options.collected_at,
            raw=to_raw(entry),
        )
        return [*([owner] if owner else []), item]

    def _labelled_comment(self, entry: JsonObject, labels: Labels) -> list[Parsed]:
        comment = labels.field(accounts_center.COMMENT)
        text = comment.value if comment is not None else ""
        created_at = _when(entry, "timestamp")
        if created_at is None and comment is not None and comment.timestamp:
            created_at = from_unix(comment.timestamp, field="timestamp")
        if created_at is None:
            raise RecordError(_("komentar tanpa waktu ('timestamp')"))
        media = _labelled_media(entry, labels)
        if self.platform == INSTAGRAM:
            media_owner = labels.value(accounts_center.MEDIA_OWNER).removeprefix("@")
            item = self.item(
                ItemKind.COMMENT,
                entry,
                created_at=created_at,
                text=text,
                media=(),
                extra=media_owner,
            )
        else:
            media_owner = ""
            item = self.item(ItemKind.COMMENT, entry, created_at=created_at, text=text, media=media)
        if not text and not media:
            raise RecordError(_("komentar tanpa isi (label Comment)"))
        return [*self.owner(), item, *self._commented_on(media_owner, item, created_at)]

    def _labelled_reaction(self, entry: JsonObject, labels: Labels) -> list[Parsed]:
        self.require_owner(_("reaksi"))
        kind = labels.value(accounts_center.REACTION)
        if not kind:
            raise RecordError(_("reaksi tanpa jenisnya (label Reaction)"))
        _url, target = self._post_link(labels)
        return [
            *self.owner(),
            InteractionRecord(
                platform=self.platform,
                kind=InteractionKind.REACTION,
                actor_id=self.options.owner_id,
                actor_handle=self.options.owner_handle,
                target_item_id=target,
                reaction_type=kind.lower(),
                occurred_at=_when(entry, "timestamp"),
                observed_at=self.options.collected_at,
            ),
        ]

    def _labelled_post(self, entry: JsonObject, labels: Labels, *, archived: bool) -> list[Parsed]:
        text = labels.value(accounts_center.MESSAGE) or labels.value(accounts_center.CAPTION)
        media = _labelled_media(entry, labels)
        if not text and not media:
            raise RecordError(
                _(
                    "entri tanpa isi yang dikenal (Message, Caption atau media); "
                    "labelnya: %(labels)s"
                )
                % {"labels": ", ".join(f.label for f in labels.fields) or "-"}
            )
        created_at = _when(entry, "timestamp")
        if created_at is None:
            files = [require_object(file) for file in get_list(entry, "media")]
            created_at = _when(files[0], "creation_timestamp") if files else None
        withheld = _("diarsipkan pemilik akun, tidak tampil di profil") if archived else ""
        return [
            *self.owner(),
            self.item(
                ItemKind.POST,
                entry,
                created_at=created_at,
                text=text,
                media=media,
                withheld=withheld,
            ),
        ]


# --- helpers -----------------------------------------------------------------------------------


def _when(obj: JsonObject, key: str, *, required: bool = False) -> datetime | None:
    """A Unix time field; None when absent or 0 (exports write 0 for "unknown")."""
    value = obj.get(key)
    if value is None or value == 0:
        if required:
            raise RecordError(_("kolom '%(key)s' tidak ada") % {"key": key})
        return None
    return from_unix(value, field=key)


def _any_time(fields: JsonObject) -> datetime | None:
    """The first time in a ``string_map_data`` whose labels are translated ("Tijd"…)."""
    for value in fields.values():
        if isinstance(value, dict) and isinstance(value.get("timestamp"), int):
            found = _when(value, "timestamp")
            if found is not None:
                return found
    return None


def _fb_attachments(entry: JsonObject) -> tuple[tuple[Media, ...], list[str]]:
    """The files and links attached to a Facebook export entry, and their captions."""
    media: list[Media] = []
    captions: list[str] = []
    for attachment in get_list(entry, "attachments"):
        for part in get_list(require_object(attachment), "data"):
            part = require_object(part)
            files = [get_obj(part, "media")] if "media" in part else []
            files += [require_object(f) for f in get_list(get_obj(part, "note"), "media")]
            for file in files:
                uri = get_str(file, "uri")
                if uri:
                    media.append(Media(media_kind(uri), uri))
                captions.append(fix_mojibake(get_str(file, "description")))
            url = get_str(get_obj(part, "external_context"), "url")
            if url:
                media.append(Media("link", url))
    return tuple(media), captions


def _post_id_in(platform: str, url: str) -> str:
    """The id of the post a URL shows on the platform: an Instagram shortcode, a Facebook
    post id (``<page>_<post>`` when the URL has both); ``""`` for any other URL."""
    if platform == INSTAGRAM:
        found = _SHORTCODE.search(url)
        return found[1] if found else ""
    name = host(url)
    if not (name in {"facebook.com", "fb.com", "fb.watch"} or name.endswith(".facebook.com")):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return facebook_id(Link(host=name, path=parts.path, query=dict(parse_qsl(parts.query)))) or ""


def _labelled_media(entry: JsonObject, labels: Labels) -> tuple[Media, ...]:
    """The files of an Accounts Center entry: its ``media``, and a Media field's."""
    files = [require_object(file) for file in get_list(entry, "media")]
    found = labels.field(accounts_center.MEDIA)
    if found is not None:
        files.extend(found.media)
    uris = dict.fromkeys(get_str(file, "uri") for file in files)
    return tuple(Media(media_kind(uri), uri) for uri in uris if uri)
