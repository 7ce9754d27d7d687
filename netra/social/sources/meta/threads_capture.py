"""Threads posts as Zeeschuimer captures them.

Zeeschuimer keeps every object Threads' web app names ``post``: ``pk``, ``id``, ``code``,
``caption`` (``{"text": …}`` or null), ``taken_at``, ``user`` (``pk``, ``username``…),
``like_count``, the Instagram media fields, and ``text_post_app_info`` with
``direct_reply_count``, ``repost_count``, ``quote_count``, ``reply_to_author``,
``is_post_unavailable``, ``share_info`` (``quoted_post``, ``reposted_post``) and
``text_fragments`` (whose ``mention`` fragments name the accounts mentioned). A line whose
``data`` wraps the post as ``{"post": {…}}`` is read too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from netra.social.sources.capture.common import epoch_seconds, mentions, raw_of
from netra.social.sources.meta.common import THREADS, media_pk
from netra.social.sources.meta.instagram_capture import best_media
from netra.social.sources.reading import (
    JsonObject,
    RecordError,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    Capture,
    ItemKind,
    ItemRecord,
    Parsed,
    metrics_from,
)

PLATFORM = THREADS

_METRICS = {
    "direct_reply_count": "replies",
    "repost_count": "shares",
    "quote_count": "quotes",
}


def post(data: JsonObject, capture: Capture) -> list[Parsed]:
    """A captured Threads post: the posts it quotes or reposts, its author, it, its mentions."""
    node = data if "pk" in data or "code" in data else get_obj(data, "post")
    if not node:
        raise RecordError(_("butir Threads tanpa 'pk', 'code' atau 'post'"))
    return _post(node, capture, raw=capture.raw)


def _embedded_id(shared: JsonObject, capture: Capture, records: list[Parsed]) -> str:
    """The id of a post shown inside another; its records go first when it has a body."""
    if not shared:
        return ""
    if "code" in shared or "pk" in shared:
        embedded = _post(shared, capture, raw=to_raw(shared))
        records.extend(embedded)
        return next(r.platform_id for r in embedded if isinstance(r, ItemRecord))
    return ""


def _post(node: JsonObject, capture: Capture, *, raw: bytes) -> list[Parsed]:
    code = get_str(node, "code")
    pk = media_pk(node, code=code)
    info = get_obj(node, "text_post_app_info")
    share = get_obj(info, "share_info")
    records: list[Parsed] = []
    reposted = _embedded_id(get_obj(share, "reposted_post"), capture, records)
    quoted = _embedded_id(get_obj(share, "quoted_post"), capture, records)
    user = get_obj(node, "user")
    author_id = get_str(user, "pk") or get_str(user, "id")
    handle = get_str(user, "username")
    if author_id or handle:
        records.append(
            AccountRecord(
                platform=PLATFORM,
                platform_id=author_id,
                handle=handle,
                display_name=get_opt_str(user, "full_name"),
                bio=get_opt_str(user, "biography"),
                url=f"https://www.threads.com/@{handle}" if handle else "",
                followers=get_int(user, "follower_count"),
                seen_at=capture.seen,
                raw=raw_of(user),
            )
        )
    replying = bool(get_obj(info, "reply_to_author")) or info.get("is_reply") is True
    if reposted:
        kind, parent = ItemKind.SHARE, reposted
    elif replying:
        # Threads names the author answered, not the post: the parent stays unknown.
        kind, parent = ItemKind.REPLY, ""
    elif quoted:
        kind, parent = ItemKind.QUOTE, quoted
    else:
        kind, parent = ItemKind.POST, ""
    caption = node.get("caption")
    counts = {"likes": get_int(node, "like_count")}
    counts |= {name: get_int(info, key) for key, name in _METRICS.items()}
    created = epoch_seconds(node, "taken_at")
    unavailable = info.get("is_post_unavailable") is True
    records.append(
        ItemRecord(
            platform=PLATFORM,
            platform_id=pk,
            kind=kind,
            author_id=author_id,
            author_handle=handle,
            created_at=created,
            text=get_str(caption, "text") if isinstance(caption, dict) else "",
            parent_id=parent,
            root_id="" if kind in {ItemKind.REPLY, ItemKind.SHARE} else pk,
            media=tuple(best_media(node)),
            permalink=f"https://www.threads.com/@{handle}/post/{code}" if handle and code else "",
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=capture.seen,
            withheld=unavailable,
            reason=_("menurut Threads, kiriman ini tidak tersedia") if unavailable else "",
            raw=raw,
        )
    )
    if kind is ItemKind.SHARE:
        return records
    targets: list[tuple[str, str]] = []
    for fragment in get_list(get_obj(info, "text_fragments"), "fragments"):
        if not isinstance(fragment, dict):
            raise RecordError(_("entri 'fragments' bukan objek"))
        if get_str(fragment, "fragment_type") != "mention":
            continue
        mentioned = get_obj(get_obj(fragment, "mention_fragment"), "mentioned_user")
        targets.append(
            (get_str(mentioned, "pk") or get_str(mentioned, "id"), get_str(mentioned, "username"))
        )
    records.extend(
        mentions(
            PLATFORM,
            targets,
            actor_id=author_id,
            actor_handle=handle,
            via_item_id=pk,
            occurred_at=created,
            observed_at=capture.seen,
        )
    )
    return records
