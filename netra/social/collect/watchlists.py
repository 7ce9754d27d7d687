"""Watchlists: the searches and accounts live collection follows for one election.

Queries are built from the election's candidates (their names, running mates, aliases
and hashtags) in a platform-neutral form every collector understands:

* a name or alias of several words becomes a quoted phrase: ``"Hendra Kusumawardhana"``;
  of one word, the word: ``Hendra``;
* every name also becomes a hashtag of its words joined: ``#HendraKusumawardhana``;
  an alias or hashtag given with ``#`` stays a hashtag (spaces and punctuation dropped);
* titles are dropped from names as Indonesian writes them: degrees after a comma
  (``, S.H., M.M.``) and honorifics before the name (``Dr. H.``, ``Hj.``, ``K.H.``).

Text is NFC-normalised, whitespace collapsed, outer quotes and punctuation trimmed, and
queries are deduplicated without regard to case (the first spelling kept), in candidate
order. Slogans are left out: they are phrases anyone may write, so they match too much.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from netra.core.events import event_record
from netra.elections.models import Candidate, Election
from netra.social.events import SocialEvent
from netra.social.models import Account, Watchlist
from netra.staff.models import User

# The longest query kept (CollectionCursor.target holds 300 characters; X allows 512).
MAX_QUERY_LENGTH = 200

_HONORIFICS = frozenset(
    {"h", "hj", "dr", "drs", "dra", "ir", "prof", "kh", "k.h", "ny", "tn", "hc", "gus"}
)
_SPACES = re.compile(r"\s+")
_TRIM = " \t\"'“”‘’.,;:!?()[]{}"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    return _SPACES.sub(" ", text).strip(_TRIM).strip()


def _bare_name(name: str) -> str:
    """A person's name without degrees (after the comma) and leading honorifics."""
    name = _clean(name.split(",", 1)[0])
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return _clean(" ".join(words))


def _phrase(text: str) -> str:
    text = _clean(text)
    return f'"{text}"' if " " in text else text


def _tag_character(char: str) -> bool:
    # Letters, marks (the vowel signs of Javanese or Arabic script) and digits of any
    # script, and "_", as X and TikTok allow them in a hashtag.
    return char == "_" or unicodedata.category(char)[0] in "LMN"


def _hashtag(text: str) -> str:
    tag = "".join(char for char in _clean(text).lstrip("#") if _tag_character(char))
    return f"#{tag}" if tag and not tag.isdigit() else ""


def candidate_queries(candidate: Candidate) -> list[str]:
    """The queries of one candidate, in a stable order (module docstring)."""
    found: list[str] = []
    for name in (candidate.name, candidate.running_mate):
        bare = _bare_name(name) if name else ""
        if bare:
            found += [_phrase(bare), _hashtag(bare)]
    for alias in _strings(candidate.aliases):
        found.append(_hashtag(alias) if alias.strip().startswith("#") else _phrase(alias))
    found += [_hashtag(tag) for tag in _strings(candidate.hashtags)]
    return found


def watchlist_queries(candidates: Iterable[Candidate]) -> list[str]:
    """The deduplicated queries of several candidates, in candidate order."""
    seen: set[str] = set()
    queries: list[str] = []
    for candidate in candidates:
        for query in candidate_queries(candidate):
            key = query.casefold()
            if query and len(query) <= MAX_QUERY_LENGTH and key not in seen:
                seen.add(key)
                queries.append(query)
    return queries


def _strings(value: Any) -> list[str]:
    """The strings of a JSON list field (a lone string counts as one); others dropped."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str) and _clean(item)]


def watchlist_build(
    *, election: Election, platform: str, accounts: Iterable[Account], actor: User | None
) -> Watchlist:
    """Create or rebuild the election's watchlist for one platform.

    Queries come from the election's candidates; ``accounts`` (the caller picks them,
    e.g. the confirmed links of the registry) replace the watched accounts, those of
    another platform left out. ``active`` is kept as it was. One event is recorded.
    """
    candidates = Candidate.objects.filter(election=election).order_by("number", "pk")
    queries = watchlist_queries(candidates)
    chosen = sorted({a.pk for a in accounts if a.platform == platform})
    with transaction.atomic():
        watchlist, created = Watchlist.objects.select_for_update().get_or_create(
            election=election, platform=platform, defaults={"queries": queries}
        )
        watchlist.queries = queries
        watchlist.full_clean()
        watchlist.save(update_fields=["queries", "updated_at"])
        watchlist.accounts.set(chosen)
        event_record(
            kind=SocialEvent.WATCHLIST_BUILT,
            subject=watchlist,
            actor=actor,
            params={"created": created, "queries": len(queries), "accounts": len(chosen)},
        )
    return watchlist
