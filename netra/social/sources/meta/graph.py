"""Meta Graph API responses (Facebook Pages, Instagram professional accounts) into records.

Formats: ``meta-graph-json`` (one response read whole) and ``meta-graph-jsonl`` (one
response per line, in constant memory). A line, or the whole document, may be wrapped as
``{"request": {"url": …}, "response": {…}}``; bare responses are read the same way. A
document may also be a bare JSON array of Graph objects, as scripts keep the ``data`` of
the pages they walked (``json.dump(list(graph.get_all_connections(page, "posts")))`` with
facebook-sdk); a JSONL line may be one such object. Ids may be JSON numbers (tools that
re-type them) or strings.

Responses read (records.py states the conventions):

* ``/{page-id}/posts``, ``/feed``, ``/published_posts``, ``/tagged``, ``/visitor_posts``:
  Facebook posts (ids ``pageid_postid``); ``/{post-id}/sharedposts``: shares of that post;
* ``/{object-id}/comments``: Facebook comments, or Instagram comments by their shape
  (``text``/``timestamp``); ``/{ig-comment-id}/replies``: Instagram replies;
* ``/{object-id}/reactions``: ``InteractionKind.REACTION`` with ``reaction_type`` in
  lower case (``like``, ``love``, ``wow``, ``haha``, ``sad``, ``angry``, ``care``): a Like
  is one of Facebook's reactions and is counted with them; the legacy ``/likes`` edge,
  which gives no type, yields ``InteractionKind.LIKE``;
* ``/{ig-user-id}/media`` and ``/tags``: Instagram media;
* one object (``GET /{post-id}?fields=…``), and edges nested in any object
  (``comments{…}``, ``reactions{…}``, ``likes{…}``, Instagram ``replies{…}``);
* an error envelope (``{"error": {"message", "type", "code", "fbtrace_id"}}``): one
  ``ParseProblem`` for the whole response.

The object whose comments or reactions a page lists is named only in the request URL:
the wrapper's ``request.url``, else ``ParseOptions.request_url``. Without it comments keep
no parent and reactions yield their accounts only. Facebook does not say when a reaction
was made: ``observed_at`` is ``ParseOptions.collected_at``, as is every ``seen_at``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from netra.social.sources.meta.common import (
    FACEBOOK,
    INSTAGRAM,
    REACTION_TYPES,
    problem,
    profile_url,
    require_object,
)
from netra.social.sources.reading import (
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
    parse_iso,
    parse_page_lines,
    read_document,
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

LABEL = "Meta Graph API"

# Converts one entry of a nested edge, given where it is, into records.
_Nested = Callable[[JsonObject, str], list[Parsed]]

GRAPH_HOSTS = frozenset({"graph.facebook.com", "graph.instagram.com", "graph.beta.facebook.com"})

# Edges listing a page's or profile's own posts: the id's prefix is the author.
_OWN_POSTS = frozenset({"posts", "published_posts"})
_POST_EDGES = frozenset({"posts", "published_posts", "feed", "tagged", "visitor_posts"})
_MEDIA_EDGES = frozenset({"media", "tags"})
_PATH = re.compile(r"^/(?:v\d+(?:\.\d+)?/)?(?P<subject>[^/]+)(?:/(?P<edge>[a-z_]+))?/?$")
_GRAPH_ID = re.compile(r"^\d+(?:_\d+)?$")
_JOINED_ID = re.compile(r"^\d+_\d+$")
# Fields only a Facebook comment has (a post answers with none of them).
_COMMENT_FIELDS = (
    "like_count",
    "comment_count",
    "parent",
    "attachment",
    "can_comment",
    "can_remove",
    "user_likes",
    "is_private",
)


# --- recognising a response ------------------------------------------------------------------


def looks_like_graph_object(value: JsonObject) -> bool:
    """Whether one object has a shape only the Graph API gives.

    Graph times are ``created_time`` (Facebook) or a string ``timestamp`` (Instagram);
    Facebook post and comment ids join two numbers with ``_``; a reaction names its type.
    """
    if isinstance(value.get("created_time"), str):
        return True
    if isinstance(value.get("timestamp"), str) and any(
        key in value for key in ("media_type", "caption", "text", "username", "permalink")
    ):
        return True
    identity = value.get("id")
    if isinstance(identity, str) and _JOINED_ID.match(identity):
        return True
    return value.get("type") in REACTION_TYPES and "name" in value


def is_graph_page(value: JsonObject) -> bool:
    """Whether an object is a Graph API response we read: a page, one object or an error."""
    error = value.get("error")
    if isinstance(error, dict):
        # YouTube's errors have "errors" and no "type"; Graph's have "type" and a trace id.
        return "fbtrace_id" in error or ("type" in error and "errors" not in error)
    data = value.get("data")
    if isinstance(data, list):
        if isinstance(value.get("paging"), dict) or not data:
            return True
        first = data[0]
        return isinstance(first, dict) and looks_like_graph_object(first)
    return "data" not in value and "id" in value and looks_like_graph_object(value)


def _wrapped(value: JsonObject) -> tuple[str, JsonObject] | None:
    """The request URL and the response of a ``{"request", "response"}`` wrapper."""
    request, response = value.get("request"), value.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        return None
    url = request.get("url")
    return (url if isinstance(url, str) else ""), response


def is_graph_host(url: str) -> bool:
    try:
        return (urlsplit(url).hostname or "") in GRAPH_HOSTS
    except ValueError:
        return False


def is_graph_response(value: JsonObject) -> bool:
    """A Graph response, bare or wrapped with its request."""
    wrapped = _wrapped(value)
    if wrapped is None:
        return is_graph_page(value)
    url, response = wrapped
    return is_graph_host(url) or is_graph_page(response)


def _accepts(options: ParseOptions) -> Callable[[JsonObject], bool]:
    """Which documents a file read under these options may hold.

    A Graph response always; when the caller names a Graph request URL, also any page or
    object, since a bare ``{"data": [{"id", "name"}]}`` has no mark of its own.
    """
    named = is_graph_host(options.request_url)

    def accepts(value: JsonObject) -> bool:
        if is_graph_response(value):
            return True
        return named and ("data" in value or "id" in value) and "request" not in value

    return accepts


def _endpoint(url: str) -> tuple[str, str]:
    """The object id and the edge a request URL names; ``""`` for what it does not."""
    if not url:
        return "", ""
    try:
        path = urlsplit(url).path
    except ValueError:
        return "", ""
    match = _PATH.match(path)
    if match is None:
        return "", ""
    subject = match["subject"]
    return (subject if _GRAPH_ID.match(subject) else ""), match["edge"] or ""


# --- formats -----------------------------------------------------------------------------------


def parse_graph_json(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of one Graph API response read whole, bare or wrapped with its request."""
    document = read_document(stream)
    if isinstance(document, ParseProblem):
        yield document
        return
    value, raw = document
    if isinstance(value, list) and _graph_list(value, options):
        yield from _object_list(value, options)
    elif isinstance(value, dict) and _accepts(options)(value):
        yield from _response(value, options, line=None, offset=None)
    else:
        # A document of another shape is one record this format cannot use.
        yield ParseProblem(
            reason=_("berkas ini bukan respons %(format)s; isinya: %(seen)s")
            % {"format": LABEL, "seen": describe_value(value)},
            path="$",
            raw=raw,
        )


def _graph_list(entries: list[Any], options: ParseOptions) -> bool:
    """Whether a bare array is one of Graph objects: its first object looks like the Graph
    API's (``looks_like_graph_object``), or the caller names a Graph request URL."""
    first = next((entry for entry in entries if isinstance(entry, dict)), None)
    return not entries or (
        first is not None and (looks_like_graph_object(first) or is_graph_host(options.request_url))
    )


def _object_list(entries: list[Any], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a bare array of Graph objects (the ``data`` of pages, kept as a list).

    The request URL, when given, says which edge it lists (see ``_graph_list``).
    """
    subject, edge = _endpoint(options.request_url)
    if not edge:
        subject, edge = "", _infer_edge(entries)
    reader = _Page(seen=options.collected_at, subject=subject, edge=edge, line=None, offset=None)
    yield from reader.listed(entries, [f"$[{index}]" for index in range(len(entries))])


def parse_graph_jsonl(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of a JSONL file holding one Graph API response per line."""
    yield from parse_page_lines(
        stream,
        accepts=_accepts(options),
        format_label=LABEL,
        page=lambda entry: _response(entry.value, options, line=entry.line, offset=entry.offset),
    )


def _response(
    value: JsonObject, options: ParseOptions, *, line: int | None, offset: int | None
) -> Iterator[Parsed]:
    wrapped = _wrapped(value)
    if wrapped is None:
        url, page, base = options.request_url, value, "$"
    else:
        url, page = wrapped
        url, base = url or options.request_url, "$.response"
    subject, edge = _endpoint(url)
    reader = _Page(
        seen=options.collected_at,
        subject=subject,
        edge=edge,
        line=line,
        offset=offset,
    )
    yield from reader.records(page, base)


# --- one response ------------------------------------------------------------------------------


@dataclass
class _Page:
    """One response: the object and edge its URL names, and the accounts already given."""

    seen: datetime | None
    subject: str
    edge: str
    line: int | None
    offset: int | None
    accounts: set[tuple[str, str]] = field(default_factory=set)

    def problem(self, error: Exception, path: str, value: object) -> ParseProblem:
        return problem(error, path=path, value=value, line=self.line, offset=self.offset)

    def records(self, page: JsonObject, base: str) -> Iterator[Parsed]:
        if "error" in page:
            yield ParseProblem(
                reason=_error_reason(page["error"]),
                line=self.line,
                offset=self.offset,
                path=f"{base}.error",
                raw=to_raw(page),
            )
            return
        data = page.get("data")
        if data is None:
            entries: list[Any] = [page]
            paths = [base]
        elif isinstance(data, list):
            entries = data
            paths = [f"{base}.data[{index}]" for index in range(len(data))]
            if not self.edge:
                # The URL named no edge (or there is none): its object is no parent.
                self.edge, self.subject = _infer_edge(data), ""
        else:
            yield self.problem(RecordError(_("kolom 'data' bukan daftar")), base, page)
            return
        yield from self.listed(entries, paths)

    def listed(self, entries: list[Any], paths: list[str]) -> Iterator[Parsed]:
        """The records of the objects a page (or a bare array) lists, at their paths."""
        for entry, path in zip(entries, paths, strict=True):
            try:
                records = self._entry(require_object(entry), path)
            except RECORD_ERRORS as error:
                yield self.problem(error, path, entry)
                continue
            for record in records:
                # One snapshot per account and page: a busy commenter appears once.
                if isinstance(record, AccountRecord):
                    key = (record.platform, record.platform_id or record.handle)
                    if key in self.accounts:
                        continue
                    self.accounts.add(key)
                yield record

    def _entry(self, entry: JsonObject, path: str) -> list[Parsed]:
        edge = self.edge
        if edge in _POST_EDGES:
            return self._post(entry, path)
        if edge == "sharedposts":
            return self._post(entry, path, share_of=self.subject)
        if edge in _MEDIA_EDGES:
            return self._ig_media(entry, path)
        if edge == "reactions":
            return self._reaction(entry, target=self.subject)
        if edge == "likes":
            # /{post-id}/likes lists who liked a post; /{user-id}/likes lists Pages.
            return self._reaction(entry, target=self.subject if "_" in self.subject else "")
        if edge == "replies" or (edge == "comments" and _is_ig_comment(entry)):
            return self._ig_comment(entry, path)
        if edge == "comments":
            return self._fb_comment(entry, path)
        # No URL, or an edge we do not know: the object's own fields tell.
        if _is_ig_media(entry):
            return self._ig_media(entry, path)
        if _is_ig_comment(entry):
            return self._ig_comment(entry, path)
        if "created_time" in entry and any(key in entry for key in _COMMENT_FIELDS):
            return self._fb_comment(entry, path)
        if any(key in entry for key in ("created_time", "message", "story", "permalink_url")):
            return self._post(entry, path)
        if "name" in entry and "id" in entry:
            return self._reaction(entry, target="")
        raise RecordError(
            _("objek Graph API yang tidak dikenali; kuncinya: %(keys)s")
            % {"keys": describe_keys(entry)}
        )

    # --- nested edges ---------------------------------------------------------------------

    def _nested(self, owner: JsonObject, key: str, path: str, convert: _Nested) -> list[Parsed]:
        """The records of an edge nested in an object; a bad entry is its own problem."""
        records: list[Parsed] = []
        try:
            entries = get_list(get_obj(owner, key), "data")
        except RECORD_ERRORS as error:
            return [self.problem(error, f"{path}.{key}", owner.get(key))]
        for index, entry in enumerate(entries):
            where = f"{path}.{key}.data[{index}]"
            try:
                records.extend(convert(require_object(entry), where))
            except RECORD_ERRORS as error:
                records.append(self.problem(error, where, entry))
        return records

    # --- Facebook ----------------------------------------------------------------------------

    def _fb_account(self, who: JsonObject) -> AccountRecord | None:
        account_id = get_str(who, "id")
        if not account_id:
            return None
        return AccountRecord(
            platform=FACEBOOK,
            platform_id=account_id,
            handle="",
            display_name=get_opt_str(who, "name"),
            url=profile_url(FACEBOOK, account_id),
            seen_at=self.seen,
        )

    def _post(self, post: JsonObject, path: str, *, share_of: str = "") -> list[Parsed]:
        post_id = _require_graph_id(post, "id")
        account = self._fb_account(get_obj(post, "from"))
        author_id = account.platform_id if account else ""
        if not author_id and self.edge in _OWN_POSTS and "_" in post_id:
            author_id = post_id.split("_", 1)[0]
        created = get_str(post, "created_time")
        created_at = parse_iso(created, field="created_time") if created else None
        parent = get_str(post, "parent_id") or share_of
        hidden = post.get("is_hidden") is True
        counts: dict[str, int | None] = {"shares": get_int(get_obj(post, "shares"), "count")}
        for edge in ("reactions", "likes", "comments"):
            counts[edge] = get_int(get_obj(get_obj(post, edge), "summary"), "total_count")
        item = ItemRecord(
            platform=FACEBOOK,
            platform_id=post_id,
            kind=ItemKind.SHARE if parent else ItemKind.POST,
            author_id=author_id,
            author_handle="",
            created_at=created_at,
            text=get_str(post, "message"),
            parent_id=parent,
            root_id=post_id,
            media=_fb_media(post),
            permalink=get_str(post, "permalink_url") or f"https://www.facebook.com/{post_id}",
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=self.seen,
            withheld=hidden,
            reason=_("disembunyikan dari linimasa Halaman") if hidden else "",
            raw=to_raw(post),
            line=self.line,
            offset=self.offset,
        )
        records: list[Parsed] = [account] if account else []
        records.append(item)
        records.extend(self._mentions(post, actor_id=author_id, item=item))

        def comment(entry: JsonObject, where: str) -> list[Parsed]:
            if _is_ig_comment(entry):
                return self._ig_comment(entry, where, parent=post_id, root=post_id)
            return self._fb_comment(entry, where, parent=post_id, root=post_id)

        records.extend(self._nested(post, "comments", path, comment))
        records.extend(self._nested_reactions(post, path, post_id))
        return records

    def _nested_reactions(self, owner: JsonObject, path: str, target: str) -> list[Parsed]:
        def reaction(entry: JsonObject, _where: str) -> list[Parsed]:
            return self._reaction(entry, target=target)

        reactions = self._nested(owner, "reactions", path, reaction)
        # An object fetched with both edges lists each Like twice: as a LIKE reaction and
        # on the legacy likes edge. It is one act, kept as the reaction.
        reacted = {
            record.actor_id
            for record in reactions
            if isinstance(record, InteractionRecord) and record.reaction_type == "like"
        }
        likes = [
            record
            for record in self._nested(owner, "likes", path, reaction)
            if not (isinstance(record, InteractionRecord) and record.actor_id in reacted)
        ]
        return [*reactions, *likes]

    def _fb_comment(
        self,
        comment: JsonObject,
        path: str,
        *,
        parent: str = "",
        root: str = "",
        reply: bool = False,
    ) -> list[Parsed]:
        comment_id = _require_graph_id(comment, "id")
        if not parent:
            parent, root, reply = _thread(comment_id, self.subject)
        answered = get_str(get_obj(comment, "parent"), "id")
        if answered:
            parent, reply = answered, True
        account = self._fb_account(get_obj(comment, "from"))
        author_id = account.platform_id if account else ""
        hidden = comment.get("is_hidden") is True
        attachment = get_obj(comment, "attachment")
        counts = {
            "likes": get_int(comment, "like_count"),
            "replies": get_int(comment, "comment_count"),
        }
        item = ItemRecord(
            platform=FACEBOOK,
            platform_id=comment_id,
            kind=ItemKind.REPLY if reply else ItemKind.COMMENT,
            author_id=author_id,
            author_handle="",
            created_at=parse_iso(
                get_str(comment, "created_time", required=True), field="created_time"
            ),
            text=get_str(comment, "message"),
            parent_id=parent,
            root_id=root,
            media=tuple(_fb_attachment(attachment)) if attachment else (),
            permalink=get_str(comment, "permalink_url"),
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=self.seen,
            withheld=hidden,
            reason=_("disembunyikan oleh pengelola Halaman") if hidden else "",
            raw=to_raw(comment),
            line=self.line,
            offset=self.offset,
        )
        records: list[Parsed] = [account] if account else []
        records.append(item)
        records.extend(self._mentions(comment, actor_id=author_id, item=item))

        def answer(entry: JsonObject, where: str) -> list[Parsed]:
            return self._fb_comment(entry, where, parent=comment_id, root=root, reply=True)

        records.extend(self._nested(comment, "comments", path, answer))
        records.extend(self._nested_reactions(comment, path, comment_id))
        return records

    def _reaction(self, entry: JsonObject, *, target: str) -> list[Parsed]:
        actor_id = _require_graph_id(entry, "id")
        reaction = get_str(entry, "type")
        account = AccountRecord(
            platform=FACEBOOK,
            platform_id=actor_id,
            handle="",
            display_name=get_opt_str(entry, "name"),
            url=profile_url(FACEBOOK, actor_id),
            seen_at=self.seen,
            raw=to_raw(entry),
        )
        if not target:
            return [account]
        return [
            account,
            InteractionRecord(
                platform=FACEBOOK,
                kind=InteractionKind.REACTION if reaction else InteractionKind.LIKE,
                actor_id=actor_id,
                target_item_id=target,
                reaction_type=reaction.lower(),
                observed_at=self.seen,
            ),
        ]

    def _mentions(self, obj: JsonObject, *, actor_id: str, item: ItemRecord) -> list[Parsed]:
        """The people and Pages tagged in a message (``message_tags``)."""
        if not actor_id or "message_tags" not in obj:
            return []
        tags: Any = obj["message_tags"]
        if isinstance(tags, dict):  # before v2.x: offsets mapped to lists of tags
            tags = [
                tag
                for value in tags.values()
                for tag in (value if isinstance(value, list) else [value])
            ]
        if not isinstance(tags, list):
            raise RecordError(_("kolom 'message_tags' bukan daftar"))
        found: list[Parsed] = []
        seen: set[str] = set()
        for tag in tags:
            tag = require_object(tag)
            target = get_str(tag, "id")
            if not target or target in seen or get_str(tag, "type") not in {"", "user", "page"}:
                continue
            seen.add(target)
            found.append(
                InteractionRecord(
                    platform=FACEBOOK,
                    kind=InteractionKind.MENTION,
                    actor_id=actor_id,
                    target_account_id=target,
                    via_item_id=item.platform_id,
                    occurred_at=item.created_at,
                    observed_at=self.seen,
                )
            )
        return found

    # --- Instagram ---------------------------------------------------------------------------

    def _ig_account(self, account_id: str, username: str) -> AccountRecord | None:
        if not account_id and not username:
            return None
        return AccountRecord(
            platform=INSTAGRAM,
            platform_id=account_id,
            handle=username,
            url=profile_url(INSTAGRAM, username),
            seen_at=self.seen,
        )

    def _ig_media(self, media: JsonObject, path: str) -> list[Parsed]:
        media_id = _require_graph_id(media, "id")
        owner = get_obj(media, "owner")
        owner_id = get_str(owner, "id")
        if not owner_id and self.edge == "media":
            owner_id = self.subject
        username = get_str(media, "username") or get_str(owner, "username")
        timestamp = get_str(media, "timestamp")
        counts = {
            "likes": get_int(media, "like_count"),
            "comments": get_int(media, "comments_count"),
            "views": get_int(media, "view_count"),
        }
        item = ItemRecord(
            platform=INSTAGRAM,
            platform_id=media_id,
            kind=ItemKind.POST,
            author_id=owner_id,
            author_handle=username,
            created_at=parse_iso(timestamp, field="timestamp") if timestamp else None,
            text=get_str(media, "caption"),
            root_id=media_id,
            media=_ig_files(media),
            permalink=get_str(media, "permalink"),
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=self.seen,
            raw=to_raw(media),
            line=self.line,
            offset=self.offset,
        )
        account = self._ig_account(owner_id, username)
        records: list[Parsed] = [account] if account else []
        records.append(item)

        def comment(entry: JsonObject, where: str) -> list[Parsed]:
            return self._ig_comment(entry, where, parent=media_id, root=media_id)

        records.extend(self._nested(media, "comments", path, comment))
        return records

    def _ig_comment(
        self,
        comment: JsonObject,
        path: str,
        *,
        parent: str = "",
        root: str = "",
        reply: bool = False,
    ) -> list[Parsed]:
        comment_id = _require_graph_id(comment, "id")
        sender = get_obj(comment, "from")
        author_id = get_str(sender, "id")
        username = get_str(comment, "username") or get_str(sender, "username")
        media_id = get_str(get_obj(comment, "media"), "id")
        answered = get_str(comment, "parent_id")
        if answered:
            parent, reply = answered, True
        elif not parent and self.subject and self.subject != comment_id:
            # /{media-id}/comments lists comments; /{comment-id}/replies lists replies.
            parent, reply = self.subject, self.edge == "replies"
        elif not parent:
            parent = media_id
        if not root:
            root = media_id or (self.subject if self.edge == "comments" else "")
        hidden = comment.get("hidden") is True
        likes = get_int(comment, "like_count")
        item = ItemRecord(
            platform=INSTAGRAM,
            platform_id=comment_id,
            kind=ItemKind.REPLY if reply else ItemKind.COMMENT,
            author_id=author_id,
            author_handle=username,
            created_at=parse_iso(get_str(comment, "timestamp", required=True), field="timestamp"),
            text=get_str(comment, "text"),
            parent_id=parent,
            root_id=root,
            metrics=(("likes", likes),) if likes is not None else (),
            collected_at=self.seen,
            withheld=hidden,
            reason=_("disembunyikan oleh pemilik akun") if hidden else "",
            raw=to_raw(comment),
            line=self.line,
            offset=self.offset,
        )
        account = self._ig_account(author_id, username)
        records: list[Parsed] = [account] if account else []
        records.append(item)

        def answer(entry: JsonObject, where: str) -> list[Parsed]:
            return self._ig_comment(entry, where, parent=comment_id, root=root, reply=True)

        records.extend(self._nested(comment, "replies", path, answer))
        return records


# --- helpers -----------------------------------------------------------------------------------


def _require_graph_id(obj: JsonObject, key: str) -> str:
    value = get_str(obj, key, required=True)
    if not value:
        raise RecordError(_("kolom '%(key)s' kosong") % {"key": key})
    return value


def _infer_edge(entries: list[Any]) -> str:
    """The edge a page without its URL lists, when one of its objects tells.

    A page lists one edge: a comment that betrays itself (``like_count``, ``parent``…)
    makes the page's other objects comments too, even one with a message alone.
    """
    objects = [entry for entry in entries if isinstance(entry, dict)]
    if any(_is_ig_media(entry) for entry in objects):
        return "media"
    if any(_is_ig_comment(entry) for entry in objects):
        return "comments"
    if any(
        "created_time" in entry and any(key in entry for key in _COMMENT_FIELDS)
        for entry in objects
    ):
        return "comments"
    return ""


def _is_ig_comment(entry: JsonObject) -> bool:
    return "text" in entry or ("timestamp" in entry and "created_time" not in entry)


def _is_ig_media(entry: JsonObject) -> bool:
    # Old Facebook link posts had a "caption" too, but never a string "timestamp".
    if any(key in entry for key in ("media_type", "media_product_type", "comments_count")):
        return True
    return isinstance(entry.get("timestamp"), str) and ("caption" in entry or "media_url" in entry)


def _thread(comment_id: str, subject: str) -> tuple[str, str, bool]:
    """The parent, root and reply flag of a comment listed under the URL's object.

    A comment id is ``{object}_{comment}`` where ``{object}`` is the commented object's
    own id: a Page post ``{page}_{post}`` owns comments ``{post}_…``, and a comment
    ``{post}_{c}`` listed under another ``{post}_…`` answers that comment.
    """
    if not subject or subject == comment_id:  # GET /{comment-id}: the URL names itself
        return "", "", False
    prefix, joined, _rest = comment_id.partition("_")
    if not joined:
        return subject, "", False
    head, split, tail = subject.partition("_")
    if subject == prefix or (split and tail == prefix):
        return subject, subject, False
    if split and head == prefix:
        return subject, "", True
    return subject, "", False


def _fb_media(post: JsonObject) -> tuple[Media, ...]:
    found: list[Media] = []
    for attachment in get_list(get_obj(post, "attachments"), "data"):
        found.extend(_fb_attachment(require_object(attachment)))
    picture = get_str(post, "full_picture")
    if not found and picture:
        found.append(Media("photo", picture))
    return tuple(found)


def _fb_attachment(attachment: JsonObject) -> list[Media]:
    """An attachment's files: an album's sub-attachments, a video's source, else its image."""
    parts = get_list(get_obj(attachment, "subattachments"), "data")
    if parts:
        return [media for part in parts for media in _fb_attachment(require_object(part))]
    media = get_obj(attachment, "media")
    kind = get_str(attachment, "type") or "photo"
    source = get_str(media, "source")
    url = source or get_str(get_obj(media, "image"), "src")
    if not url:
        return []
    # video_inline, video_autoplay…: one kind for every way Facebook plays a video.
    return [Media("video" if source or kind.startswith("video") else kind, url)]


def _ig_files(media: JsonObject) -> tuple[Media, ...]:
    children = get_list(get_obj(media, "children"), "data")
    if children:
        return tuple(file for child in children for file in _ig_file(require_object(child)))
    return _ig_file(media)


def _ig_file(media: JsonObject) -> tuple[Media, ...]:
    url = get_str(media, "media_url")
    if url:
        return (Media(get_str(media, "media_type").lower() or "image", url),)
    # Media with copyrighted music comes without media_url; its still remains.
    thumbnail = get_str(media, "thumbnail_url")
    return (Media("thumbnail", thumbnail),) if thumbnail else ()


def _error_reason(error: object) -> str:
    if not isinstance(error, dict):
        return _("galat dari Graph API: %(message)s") % {"message": error}
    reason = _("galat dari Graph API: %(message)s (kode %(code)s, jenis %(type)s)") % {
        "message": error.get("error_user_msg") or error.get("message", ""),
        "code": "/".join(
            str(error[key]) for key in ("code", "error_subcode") if error.get(key) is not None
        )
        or "?",
        "type": error.get("type", "?"),
    }
    trace = error.get("fbtrace_id")
    if trace:
        reason += " " + _("fbtrace_id %(trace)s") % {"trace": trace}
    return reason
