"""Full-text search over items' titles and texts, on each database in its own way.

SQLite: an FTS5 table (``social_item_search``, external content over ``social_item``,
``unicode61`` with diacritics removed) that triggers keep in step with every insert,
update and delete of an item, the loader's plain-SQL writes included. PostgreSQL: a
generated ``tsvector`` column (``social_item.search``, the ``simple`` configuration: no
stemming, which suits Indonesian and its affixes poorly but evenly) with a GIN index.
Both are made by migration ``0007_item_search``; neither is a model field. A large load into
SQLite drops the triggers and rebuilds the index once at its end (``search_index_defer``,
``search_index_restore``), as it does its scattered indexes (``store.bulk_session``).

A query is its words (letters and digits), each matched as a prefix ("paslon" finds
"paslonnya"), all of them required; nothing the user types is taken as query syntax.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# Words beyond this many are not searched for (each one is a look-up in the index).
MAX_TERMS = 12
# Up to this many matches a search fetches and sorts them; more, and it walks the list.
FEW_MATCHES = 2000
# Letters and digits; an underscore separates words, as both databases' tokenizers have it.
_WORD = re.compile(r"[^\W_]+")


def search_terms(text: str) -> list[str]:
    """The words of a query, in lower case, at most ``MAX_TERMS``."""
    return _WORD.findall(text.casefold())[:MAX_TERMS]


def items_matching(text: str) -> Q | None:
    """A filter of the items whose title or text hold every word of ``text`` (each as a
    prefix); None when ``text`` has no words.

    How the database goes about it depends on how many items match, counted first (up to
    ``FEW_MATCHES``, through the index): few, and the matches are fetched through the index
    and sorted (a rare name among a million items); many, and the list is walked in its
    own order, each item tested until a page is full (a common word). Left to itself,
    PostgreSQL's planner takes words for independent and fetches thousands of rows for
    two common ones.
    """
    terms = search_terms(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        query = " & ".join(f"'{term}':*" for term in terms)
        matches = "SELECT id FROM social_item WHERE search @@ to_tsquery('simple', %s)"
        indexed = '"social_item"."search" @@ to_tsquery(\'simple\', %s)'
        # The same test on an expression no index holds: each row of the list tested.
        walked = "(\"social_item\".\"search\" || ''::tsvector) @@ to_tsquery('simple', %s)"
    else:
        query = " ".join('"' + term.replace('"', '""') + '"*' for term in terms)
        matches = "SELECT rowid FROM social_item_search WHERE social_item_search MATCH %s"
        indexed = f'"social_item"."id" IN ({matches})'
        # ``+``: the key is not used to look the matches up one by one; each row of the
        # list is tested against them instead.
        walked = f'+"social_item"."id" IN ({matches})'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({matches} LIMIT {FEW_MATCHES + 1}) AS hits",  # noqa: S608
            [query],
        )
        (hits,) = cursor.fetchone()
    condition = indexed if hits <= FEW_MATCHES else walked
    return Q(RawSQL(condition, (query,), output_field=BooleanField()))  # noqa: S611 - our SQL


# The triggers of migration 0007 that keep SQLite's index in step with social_item.
_SQLITE_TRIGGERS = {
    "social_item_search_insert": (
        "CREATE TRIGGER social_item_search_insert AFTER INSERT ON social_item BEGIN"
        " INSERT INTO social_item_search (rowid, title, text) VALUES (new.id, new.title, new.text);"
        " END"
    ),
    "social_item_search_delete": (
        "CREATE TRIGGER social_item_search_delete AFTER DELETE ON social_item BEGIN"
        " INSERT INTO social_item_search (social_item_search, rowid, title, text)"
        " VALUES ('delete', old.id, old.title, old.text); END"
    ),
    "social_item_search_update": (
        "CREATE TRIGGER social_item_search_update AFTER UPDATE OF title, text ON social_item"
        " BEGIN INSERT INTO social_item_search (social_item_search, rowid, title, text)"
        " VALUES ('delete', old.id, old.title, old.text);"
        " INSERT INTO social_item_search (rowid, title, text) VALUES (new.id, new.title, new.text);"
        " END"
    ),
}


def search_index_defer() -> None:
    """SQLite: stop keeping the index in step, for a load that will rebuild it at its end.

    Every trigger goes, not only the insert one: an item inserted and then updated in the
    same load would otherwise be deleted from an index it was never added to."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def search_index_restore() -> None:
    """SQLite: if a load deferred the index (it may have been killed since), build it anew
    from social_item and keep it in step again. Nothing when its triggers are there."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            list(_SQLITE_TRIGGERS),
        )
        present = {name for (name,) in cursor.fetchall()}
        if present == _SQLITE_TRIGGERS.keys():
            return
        cursor.execute("INSERT INTO social_item_search (social_item_search) VALUES ('rebuild')")
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
