"""The personal data archive of X ("Download an archive of your data"): ``twitter-archive-js``.

Pure: bytes in, records out (records.py states the conventions). Reads ``tweets.js``,
``deleted-tweets.js``, ``like.js`` or ``account.js`` from the archive's ZIP
(``window.YTD.tweets.part0 = [...]``); archive tweets are v1.1 statuses without their user.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netra.social.sources.reading import (
    BOM,
    RECORD_ERRORS,
    JsonObject,
    RecordError,
    get_obj,
    get_opt_str,
    get_str,
    load_document,
    to_raw,
)
from netra.social.sources.records import (
    AccountRecord,
    InteractionKind,
    InteractionRecord,
    Parsed,
    ParseOptions,
    ParseProblem,
    UnrecognisedFormat,
)
from netra.social.sources.x.common import PLATFORM, problem, profile_url, require_id, require_object
from netra.social.sources.x.v1 import v1_status

ARCHIVE_LABEL = gettext_lazy("arsip Twitter (window.YTD)")

_ARCHIVE_HEAD = re.compile(rb"\s*window\.YTD\.(?P<name>\w+)\.part\d+\s*=\s*")

ARCHIVE_PARTS = {
    "tweets": "tweet",
    "deleted_tweets": "tweet",
    "account": "account",
    "like": "like",
}


def archive_part(head: bytes) -> str | None:
    """The archive file's part name (``tweets``, ``account``…) if it starts like one."""
    match = _ARCHIVE_HEAD.match(head.removeprefix(BOM))
    return match["name"].decode("ascii") if match else None


def parse_archive_js(stream: IO[bytes], options: ParseOptions) -> Iterator[Parsed]:
    """Records of ``tweets.js``, ``deleted-tweets.js``, ``like.js`` or ``account.js`` of an archive.

    Archive tweets and likes carry no author: they are the owner's, whose id and handle
    (from ``account.js``) the caller passes in ``options``; without them they stay empty.
    """
    content = stream.read()
    start = len(BOM) if content.startswith(BOM) else 0
    match = _ARCHIVE_HEAD.match(content, start)
    if match is None:
        raise UnrecognisedFormat(
            _("Berkas ini tidak diawali 'window.YTD.…', jadi bukan %(format)s.")
            % {"format": ARCHIVE_LABEL}
        )
    name = match["name"].decode("ascii")
    document = load_document(content[match.end() :], match.end())
    if isinstance(document, ParseProblem):
        yield document
        return
    value, raw = document
    # A part not read, or one that holds no list, is one record this format cannot use.
    if name not in ARCHIVE_PARTS:
        yield ParseProblem(
            reason=_("bagian arsip Twitter '%(name)s' belum didukung; yang didukung: %(supported)s")
            % {"name": name, "supported": ", ".join(sorted(ARCHIVE_PARTS))},
            offset=match.end(),
            path="$",
            raw=raw,
        )
        return
    if not isinstance(value, list):
        yield ParseProblem(
            reason=_("isi arsip Twitter '%(name)s' bukan daftar JSON") % {"name": name},
            offset=match.end(),
            path="$",
            raw=raw,
        )
        return
    wrapper = ARCHIVE_PARTS[name]
    owner = (options.owner_id, options.owner_handle)
    for index, entry in enumerate(value):
        try:
            inner = get_obj(require_object(entry), wrapper)
            if not inner:
                raise RecordError(_("entri tidak berisi '%(key)s'") % {"key": wrapper})
            if wrapper == "account":
                records: list[Parsed] = [_archive_account(inner, options)]
            elif wrapper == "like":
                records = [_archive_like(inner, options)]
            else:
                records = list(v1_status(inner, options=options, owner=owner))
        except RECORD_ERRORS as error:
            yield problem(error, line=None, offset=None, path=f"$[{index}]", value=entry)
            continue
        yield from records


def _archive_like(like: JsonObject, options: ParseOptions) -> InteractionRecord:
    return InteractionRecord(
        platform=PLATFORM,
        kind=InteractionKind.LIKE,
        actor_id=options.owner_id,
        actor_handle=options.owner_handle,
        target_item_id=require_id(like, "tweetId"),
        observed_at=options.collected_at,
    )


def _archive_account(account: JsonObject, options: ParseOptions) -> AccountRecord:
    handle = get_str(account, "username")
    return AccountRecord(
        platform=PLATFORM,
        platform_id=require_id(account, "accountId"),
        handle=handle,
        display_name=get_opt_str(account, "accountDisplayName"),
        url=profile_url(handle),
        seen_at=options.collected_at,
        raw=to_raw(account),
    )
