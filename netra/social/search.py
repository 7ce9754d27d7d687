"""Full-text search over items' titles and texts, on each database in its own way.

SQLite: an FTS5 table (``social_item_search``, external content over ``social_item``,
``unicode61`` with diacritics removed) that triggers keep in step with every insert,
update and delete of an item, the loader's plain-SQL writes included. PostgreSQL: a
generated ``tsvector`` column (``social_item.search``, the ``simple`` configuration: no
stemming, which suits Indonesian and its affixes poorly but evenly) with a GIN index.
Both are made by migration ``0007_item_search``; neither is a model field.

A query is its words (letters and digits), each matched as a prefix ("paslon" finds
"paslonnya"), all of them required; nothing the user types is taken as query syntax.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models.expressions import RawSQL

# Words beyond this many are not searched for (each one is a look-up in the index).
MAX_TERMS = 12
# Letters and digits; an underscore separates words, as both databases' tokenizers have it.
_WORD = re.compile(r"[^\W_]+")


def search_terms(text: str) -> list[str]:
    """The words of a query, in lower case, at most ``MAX_TERMS``."""
    return _WORD.findall(text.casefold())[:MAX_TERMS]


def items_matching(text: str) -> RawSQL | None:
    """A subquery of the keys of the items whose title or text hold every word of
    ``text`` (each as a prefix), for ``pk__in``; None when ``text`` has no words."""
    terms = search_terms(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        query = " & ".join(f"'{term}':*" for term in terms)
        return RawSQL(
            "SELECT id FROM social_item WHERE search @@ to_tsquery('simple', %s)", (query,)
        )
    query = " ".join('"' + term.replace('"', '""') + '"*' for term in terms)
    return RawSQL(
        "SELECT rowid FROM social_item_search WHERE social_item_search MATCH %s", (query,)
    )
