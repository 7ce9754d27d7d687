"""The "label_values" entries of Meta's Accounts Center exports (2024 onward).

Since Meta moved "Download Your Information" into the Accounts Center, several files of
the Instagram and Facebook exports (``liked_posts.json``, ``saved_posts.json``, comments,
posts on other pages) are a bare array of entries, each::

    {"timestamp": 1727751600, "media": [...], "fbid": "18056521565574781",
     "label_values": [
        {"label": "URL", "value": "https://www.instagram.com/p/…/", "href": "…"},
        {"label": "Caption", "value": "…"},
        {"title": "Hashtags", "dict": []},
        {"title": "Owner", "dict": [{"title": "", "dict": [
            {"label": "URL", "value": "…"}, {"label": "Name", "value": "…"},
            {"label": "Username", "value": "…"}]}]},
        {"title": "Tagged users", "vec": [{"value": "…"}]}]}

A ``label_values`` entry is a field (``label`` with ``value``, ``href``, sometimes
``timestamp`` or ``media``), or a titled group whose fields nest one level deeper in
``dict`` (a list of fields, or of untitled groups of fields) or ``vec`` (a list of values).
Labels are in the account's language and, like every text of the export, Latin-1 mojibake
of UTF-8 (``\\u00e2\\u0080\\u0099`` for a right quote): both are repaired with
``fix_mojibake``, and each field is looked up by its English label or the Indonesian word
for it (the interface's wording; no Indonesian export was at hand to check it). The URL of
a post is also recognised by its shape, in any field, so a label in another language
still finds the post.

The arrays do not say which file they are (liked and saved posts are alike); the file's
name does (``ParseOptions.file_name``, see ``file_part``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from netra.social.sources.meta.common import fix_mojibake
from netra.social.sources.reading import JsonObject

# The English label and the Indonesian one, for each field read.
URL = ("URL", "Tautan")
CAPTION = ("Caption", "Keterangan", "Title")
MESSAGE = ("Message", "Pesan", "Post", "Kiriman")
COMMENT = ("Comment", "Komentar")
MEDIA_OWNER = ("Media Owner", "Pemilik Media", "Pemilik media")
REACTION = ("Reaction", "Reaksi")
OWNER = ("Owner", "Pemilik")
USERNAME = ("Username", "Nama pengguna", "Nama Pengguna")
NAME = ("Name", "Nama")
MEDIA = ("Media",)

# File names (without the page number Meta adds: "_1") and the part each one holds.
_FILE_PARTS = {
    "liked_posts": "likes",
    "saved_posts": "saved",
    "post_comments": "comments",
    "reels_comments": "comments",
    "comments": "comments",
    "your_comments": "comments",
    "posts": "posts",
    "reels": "posts",
    "your_posts": "posts",
    "posts_on_other_pages_and_profiles": "posts",
    "archived_posts": "archived",
    "likes_and_reactions": "reactions",
}
_PAGE_NUMBER = re.compile(r"_\d+$")
_BY_LENGTH = sorted(_FILE_PARTS, key=len, reverse=True)


def file_part(file_name: str) -> str:
    """The part an export file holds, by its name: ``likes``, ``saved``, ``comments``…

    ``""`` when the name tells nothing (``liked_posts.json`` and ``saved_posts.json``
    hold entries of one shape; only their names tell them apart). A name may carry a
    prefix (``2024-10-09 liked_posts.json``) and Meta's page number (``_1``).
    """
    stem = _PAGE_NUMBER.sub("", PurePath(file_name).stem.casefold()) if file_name else ""
    for name in _BY_LENGTH:
        if stem == name or stem.endswith(("_" + name, "-" + name, " " + name, "." + name)):
            return _FILE_PARTS[name]
    # "your_posts__check_ins__photos_and_videos_1.json" and the like.
    for name in ("your_posts", "liked_posts", "saved_posts", "post_comments"):
        if stem.startswith(name):
            return _FILE_PARTS[name]
    return ""


def is_entry(value: object) -> bool:
    """One Accounts Center entry: an object with a ``label_values`` list."""
    return isinstance(value, dict) and isinstance(value.get("label_values"), list)


def entries_of(value: object) -> tuple[str, list[Any]] | None:
    """The path and list of Accounts Center entries a document holds, or None.

    A bare array, or an object whose only list is one (Meta wraps some files again).
    """
    if isinstance(value, list):
        first = next((entry for entry in value if isinstance(entry, dict)), None)
        return ("$", value) if first is not None and is_entry(first) else None
    if isinstance(value, dict):
        lists = [(key, entries) for key, entries in value.items() if isinstance(entries, list)]
        if len(lists) == 1:
            key, entries = lists[0]
            first = next((entry for entry in entries if isinstance(entry, dict)), None)
            if first is not None and is_entry(first):
                return f"$.{key}", entries
    return None


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled field, repaired: its value, its link, its own media and time."""

    label: str
    value: str
    href: str
    media: tuple[JsonObject, ...]
    timestamp: object


class Labels:
    """The fields and groups of one ``label_values`` list (or of one nested ``dict``)."""

    def __init__(self, entries: list[Any]) -> None:
        self.fields: list[Field] = []
        self.groups: list[tuple[str, list[Any]]] = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            if "label" in entry:
                media = entry.get("media")
                self.fields.append(
                    Field(
                        label=_text(entry.get("label")).casefold(),
                        value=_text(entry.get("value")),
                        href=_text(entry.get("href")),
                        media=tuple(m for m in media if isinstance(m, dict))
                        if isinstance(media, list)
                        else (),
                        timestamp=entry.get("timestamp"),
                    )
                )
            if "title" in entry and ("dict" in entry or "vec" in entry):
                nested = entry.get("dict")
                if not isinstance(nested, list):
                    nested = entry.get("vec")
                self.groups.append(
                    (
                        _text(entry.get("title")).casefold(),
                        nested if isinstance(nested, list) else [],
                    )
                )

    def field(self, labels: tuple[str, ...]) -> Field | None:
        wanted = {label.casefold() for label in labels}
        return next((f for f in self.fields if f.label in wanted), None)

    def value(self, labels: tuple[str, ...]) -> str:
        found = self.field(labels)
        return found.value if found else ""

    def group(self, titles: tuple[str, ...]) -> Labels | None:
        """The fields of a titled group, its untitled inner groups flattened in."""
        wanted = {title.casefold() for title in titles}
        for title, nested in self.groups:
            if title in wanted:
                flat: list[Any] = []
                for entry in nested:
                    if isinstance(entry, dict) and "label" not in entry and "dict" in entry:
                        inner = entry.get("dict")
                        flat.extend(inner if isinstance(inner, list) else [])
                    else:
                        flat.append(entry)
                return Labels(flat)
        return None

    def values(self, titles: tuple[str, ...]) -> list[str]:
        """The values of a ``vec`` (or ``dict``) group: tagged users, hashtags."""
        wanted = {title.casefold() for title in titles}
        found: list[str] = []
        for title, nested in self.groups:
            if title in wanted:
                for entry in nested:
                    if isinstance(entry, dict) and entry.get("value"):
                        found.append(_text(entry.get("value")))
        return found

    def links(self) -> Iterator[str]:
        """Every value and href of every field, nested ones too (for URLs by their shape)."""
        for f in self.fields:
            yield from (text for text in (f.href, f.value) if text)
        for _title, nested in self.groups:
            yield from Labels(
                [e for e in nested if isinstance(e, dict) and "label" in e]
                + [
                    inner
                    for e in nested
                    if isinstance(e, dict) and isinstance(e.get("dict"), list)
                    for inner in e["dict"]
                ]
            ).links()


def _text(value: object) -> str:
    return fix_mojibake(value) if isinstance(value, str) else ""
