"""Instagram's web objects as Zeeschuimer captures them: posts and reels.

Most captures are "item list" media objects of Instagram's private API: ``pk``, ``id``
(``<pk>_<author pk>``), ``code``, ``taken_at``, ``user`` and/or ``owner``, ``caption``
(``{"text": …}`` or null), ``like_count``, ``like_and_view_counts_disabled``,
``comment_count``, ``play_count``/``view_count``, ``media_type`` (1 photo, 2 video,
8 carousel), ``image_versions2``, ``video_versions``, ``carousel_media`` and
``usertags``. Grid and thumbnail views leave out the date, the author and the video
links (the ``XIGPolaris…`` objects too); those fields stay empty rather than the post
being refused. Older captures hold the website's ``Graph…`` objects (``shortcode``,
``taken_at_timestamp``, ``edge_media_to_caption``, ``owner``…), read as well.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.translation import gettext as _

from netra.social.sources.capture.common import epoch_seconds, mentions, raw_of
from netra.social.sources.meta.common import INSTAGRAM, media_pk
from netra.social.sources.reading import (
    JsonObject,
    RecordError,
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
)
from netra.social.sources.records import (
    AccountRecord,
    Capture,
    ItemKind,
    ItemRecord,
    Media,
    Parsed,
    metrics_from,
)

PLATFORM = INSTAGRAM

_VIDEO = 2
# Usernames: letters, digits, "_" and ".", at most 30, not ending with a dot. An e-mail
# address ("a@b.id") is not a mention, hence the look-behind.
_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")


def caption_handles(text: str) -> list[str]:
    """The @handles written in a caption, in order."""
    return _HANDLE.findall(text)


def profile_url(handle: str) -> str:
    return f"https://www.instagram.com/{handle}/" if handle else ""


def best_media(node: JsonObject) -> list[Media]:
    """Each media of a post (every carousel item): its video, else its largest full image."""
    found: list[Media] = []
    parts = get_list(node, "carousel_media") or [node]
    for part in parts:
        if not isinstance(part, dict):
            raise RecordError(_("entri 'carousel_media' bukan objek"))
        videos = get_list(part, "video_versions")
        if videos and isinstance(videos[0], dict) and get_str(videos[0], "url"):
            found.append(Media("video", get_str(videos[0], "url")))
            continue
        # The first candidate is the largest that still shows the whole image.
        for candidate in get_list(get_obj(part, "image_versions2"), "candidates"):
            if isinstance(candidate, dict) and get_str(candidate, "url"):
                found.append(Media("photo", get_str(candidate, "url")))
                break
        else:
            display = get_str(part, "display_uri")
            if display:
                found.append(Media("photo", display))
    return found


def post(data: JsonObject, capture: Capture) -> list[Parsed]:
    """A captured Instagram post or reel: its author, the item, its mentions."""
    if get_str(data, "__typename").startswith("Graph"):
        return _graph_post(data, capture)
    code = get_str(data, "code")
    pk = media_pk(data, code=code)
    # The author may sit under "user", "owner" or both, either possibly empty.
    author: JsonObject = {**get_obj(data, "owner")}
    author.update({k: v for k, v in get_obj(data, "user").items() if v is not None})
    author_id = get_str(author, "pk") or get_str(author, "id")
    whole_id = get_str(data, "id")
    if not author_id and "_" in whole_id:
        author_id = whole_id.split("_", 1)[1]
    caption = data.get("caption")
    text = get_str(caption, "text") if isinstance(caption, dict) else ""
    hidden = data.get("like_and_view_counts_disabled") is True
    counts = {
        # With likes hidden Instagram still sends a small, made-up like_count.
        "likes": None if hidden else get_int(data, "like_count"),
        "comments": get_int(data, "comment_count"),
        "views": get_int(data, "view_count") or get_int(data, "play_count"),
    }
    tagged = [get_obj(tag, "user") for tag in get_list(get_obj(data, "usertags"), "in")]
    return _records(
        capture,
        pk=pk,
        code=code,
        author=author,
        author_id=author_id,
        kind=ItemKind.VIDEO if get_int(data, "media_type") == _VIDEO else ItemKind.POST,
        created=epoch_seconds(data, "taken_at"),
        text=text,
        media=best_media(data),
        counts=counts,
        tagged=tagged,
    )


def _graph_post(node: JsonObject, capture: Capture) -> list[Parsed]:
    """A post in the website's older ``GraphImage``/``GraphVideo``/``GraphSidecar`` form."""
    code = get_str(node, "shortcode")
    pk = media_pk(node, code=code)
    owner = get_obj(node, "owner")
    edges = get_list(get_obj(node, "edge_media_to_caption"), "edges")
    text = get_str(get_obj(edges[0], "node"), "text") if edges else ""
    hidden = node.get("like_and_view_counts_disabled") is True
    likes = get_int(get_obj(node, "edge_media_preview_like"), "count")
    if likes is None:
        likes = get_int(get_obj(node, "edge_liked_by"), "count")
    comments = get_int(get_obj(node, "edge_media_to_comment"), "count")
    if comments is None:
        comments = get_int(get_obj(node, "edge_media_preview_comment"), "count")
    children = [
        get_obj(edge, "node")
        for edge in get_list(get_obj(node, "edge_sidecar_to_children"), "edges")
    ] or [node]
    media = [
        Media("video", get_str(child, "video_url"))
        if child.get("is_video") is True and get_str(child, "video_url")
        else Media("photo", get_str(child, "display_url"))
        for child in children
        if get_str(child, "video_url") or get_str(child, "display_url")
    ]
    tagged = [
        get_obj(get_obj(edge, "node"), "user")
        for edge in get_list(get_obj(node, "edge_media_to_tagged_user"), "edges")
    ]
    return _records(
        capture,
        pk=pk,
        code=code,
        author=owner,
        author_id=get_str(owner, "id") or get_str(owner, "pk"),
        kind=ItemKind.VIDEO if get_str(node, "__typename") == "GraphVideo" else ItemKind.POST,
        created=epoch_seconds(node, "taken_at_timestamp"),
        text=text,
        media=media,
        counts={
            "likes": None if hidden else likes,
            "comments": comments,
            "views": get_int(node, "video_view_count"),
        },
        tagged=tagged,
    )


def _records(
    capture: Capture,
    *,
    pk: str,
    code: str,
    author: JsonObject,
    author_id: str,
    kind: ItemKind,
    created: datetime | None,
    text: str,
    media: list[Media],
    counts: dict[str, int | None],
    tagged: list[JsonObject],
) -> list[Parsed]:
    handle = get_str(author, "username")
    records: list[Parsed] = []
    if get_str(author, "pk") or get_str(author, "id") or handle:
        records.append(
            AccountRecord(
                platform=PLATFORM,
                platform_id=author_id,
                handle=handle,
                display_name=get_opt_str(author, "full_name"),
                bio=get_opt_str(author, "biography"),
                url=profile_url(handle),
                followers=get_int(author, "follower_count"),
                following=get_int(author, "following_count"),
                posts=get_int(author, "media_count"),
                seen_at=capture.seen,
                raw=raw_of(author),
            )
        )
    records.append(
        ItemRecord(
            platform=PLATFORM,
            platform_id=pk,
            kind=kind,
            author_id=author_id,
            author_handle=handle,
            created_at=created,
            text=text,
            root_id=pk,
            media=tuple(media),
            # /p/ opens reels as well as posts.
            permalink=f"https://www.instagram.com/p/{code}/" if code else "",
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=capture.seen,
            raw=capture.raw,
        )
    )
    # People tagged in the photo, then those written as @handle in the caption.
    targets = [
        (get_str(user, "pk") or get_str(user, "id"), get_str(user, "username")) for user in tagged
    ]
    targets += [("", handle) for handle in caption_handles(text)]
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
