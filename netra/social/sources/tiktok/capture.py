"""TikTok's web objects as Zeeschuimer captures them: videos and photo posts, and comments.

A video (``source_platform`` ``tiktok.com``) is the ``itemStruct`` of TikTok's web API:
``id``, ``desc``, ``createTime``, ``author`` (an object, or in pages read from the embedded
``SIGI_STATE`` the handle alone with ``nickname`` and ``authorId`` beside it),
``authorStats``, ``stats`` and ``statsV2`` (the same counters as exact strings),
``textExtra`` (hashtags and @mentions), ``video``, ``imagePost``, ``duetInfo`` and
``privateItem``. A comment (``tiktok-comments``) is the app API's: ``cid``, ``aweme_id``,
``text``, ``create_time``, ``user``, ``digg_count``, ``reply_id``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from netra.social.sources.capture.common import (
    epoch_seconds,
    language,
    mentions,
    raw_of,
)
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
from netra.social.sources.tiktok.parse import PLATFORM

_METRICS = {
    "diggCount": "likes",
    "shareCount": "shares",
    "commentCount": "comments",
    "playCount": "views",
    "collectCount": "bookmarks",
    "repostCount": "reposts",  # reposted to the reposter's followers, unlike shareCount
}
_NONE = frozenset({"", "0"})


def _profile_url(handle: str) -> str:
    return f"https://www.tiktok.com/@{handle}" if handle else ""


def _count(key: str, *sources: JsonObject) -> int | None:
    """A counter from the last of ``sources`` that has it (``statsV2`` is exact, ``stats`` rounds).

    Only known counters are read: these objects also hold flags such as ``needFix``.
    """
    found = None
    for source in sources:
        value = get_int(source, key)
        if value is not None:
            found = value
    return found


def video(data: JsonObject, capture: Capture) -> list[Parsed]:
    """A captured TikTok video or photo post: its author, the item, its mentions."""
    item_id = get_str(data, "id", required=True)
    author = data.get("author")
    if isinstance(author, dict):
        author_id = get_str(author, "id")
        handle = get_str(author, "uniqueId")
        display_name = get_opt_str(author, "nickname")
        bio = get_opt_str(author, "signature")
        author_raw: JsonObject = author
    else:
        # Pages read from the embedded SIGI_STATE give the handle alone.
        author_id = get_str(data, "authorId")
        handle = get_str(data, "author")
        display_name = get_opt_str(data, "nickname")
        bio = None
        author_raw = {}
    author_stats = (get_obj(data, "authorStats"), get_obj(data, "authorStatsV2"))
    records: list[Parsed] = []
    if author_id or handle:
        records.append(
            AccountRecord(
                platform=PLATFORM,
                platform_id=author_id,
                handle=handle,
                display_name=display_name,
                bio=bio,
                url=_profile_url(handle),
                followers=_count("followerCount", *author_stats),
                following=_count("followingCount", *author_stats),
                posts=_count("videoCount", *author_stats),
                seen_at=capture.seen,
                raw=raw_of(author_raw),
            )
        )
    images = get_list(get_obj(data, "imagePost"), "images")
    duet_of = get_str(get_obj(data, "duetInfo"), "duetFromId")
    if duet_of not in _NONE:
        kind = ItemKind.QUOTE  # a duet shows another video beside its own
    elif images:
        kind = ItemKind.POST
    else:
        kind = ItemKind.VIDEO
    created_at = epoch_seconds(data, "createTime")
    private = data.get("privateItem") is True or data.get("secret") is True
    path = "photo" if images else "video"
    stats = (get_obj(data, "stats"), get_obj(data, "statsV2"))
    counts = {name: _count(key, *stats) for key, name in _METRICS.items()}
    records.append(
        ItemRecord(
            platform=PLATFORM,
            platform_id=item_id,
            kind=kind,
            author_id=author_id,
            author_handle=handle,
            created_at=created_at,
            text=get_str(data, "desc"),
            parent_id="" if duet_of in _NONE else duet_of,
            root_id=item_id,
            language=language(get_str(data, "textLanguage")),
            media=_media(data, images),
            permalink=f"https://www.tiktok.com/@{handle}/{path}/{item_id}" if handle else "",
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=capture.seen,
            withheld=private,
            reason=_("hanya dapat dilihat pengunggahnya (privat)") if private else "",
            raw=capture.raw,
        )
    )
    targets: list[tuple[str, str]] = []
    for extra in get_list(data, "textExtra"):
        if not isinstance(extra, dict):
            raise RecordError(_("entri 'textExtra' bukan objek"))
        # Hashtags leave these empty; an @mention names the account.
        targets.append((get_str(extra, "userId"), get_str(extra, "userUniqueId")))
    records.extend(
        mentions(
            PLATFORM,
            targets,
            actor_id=author_id,
            actor_handle=handle,
            via_item_id=item_id,
            occurred_at=created_at,
            observed_at=capture.seen,
        )
    )
    return records


def _media(data: JsonObject, images: list[Any]) -> tuple[Media, ...]:
    found: list[Media] = []
    for image in images:
        urls = get_list(get_obj(image if isinstance(image, dict) else {}, "imageURL"), "urlList")
        if urls and isinstance(urls[0], str):
            found.append(Media("photo", urls[0]))
    if found:
        return tuple(found)
    clip = get_obj(data, "video")
    cover = get_str(clip, "cover") or get_str(clip, "originCover")
    if cover:
        found.append(Media("thumbnail", cover))
    play = get_str(clip, "playAddr") or get_str(clip, "downloadAddr")
    if play:
        found.append(Media("video", play))
    return tuple(found)


def comment(data: JsonObject, capture: Capture) -> list[Parsed]:
    """A captured TikTok comment or reply: its author and the item."""
    comment_id = get_str(data, "cid", required=True)
    video_id = get_str(data, "aweme_id")
    user = get_obj(data, "user")
    author_id = get_str(user, "uid")
    handle = get_str(user, "unique_id")
    records: list[Parsed] = []
    if author_id or handle:
        records.append(
            AccountRecord(
                platform=PLATFORM,
                platform_id=author_id,
                handle=handle,
                display_name=get_opt_str(user, "nickname"),
                bio=get_opt_str(user, "signature"),
                url=_profile_url(handle),
                seen_at=capture.seen,
                raw=raw_of(user),
            )
        )
    thread = get_str(data, "reply_id")
    answered = get_str(data, "reply_to_reply_id")
    is_reply = thread not in _NONE
    if answered not in _NONE:
        parent = answered
    elif is_reply:
        parent = thread
    else:
        parent = video_id
    counts = {"likes": get_int(data, "digg_count"), "replies": get_int(data, "reply_comment_total")}
    records.append(
        ItemRecord(
            platform=PLATFORM,
            platform_id=comment_id,
            kind=ItemKind.REPLY if is_reply else ItemKind.COMMENT,
            author_id=author_id,
            author_handle=handle,
            created_at=epoch_seconds(data, "create_time"),
            text=get_str(data, "text"),
            parent_id=parent,
            root_id=video_id,
            language=language(get_str(data, "comment_language")),
            permalink=get_str(get_obj(data, "share_info"), "url"),
            metrics=metrics_from({k: v for k, v in counts.items() if v is not None}),
            collected_at=capture.seen,
            raw=capture.raw,
        )
    )
    return records
