"""The loader's hand-written SQL agrees with the tables the models make, on this database.

``netra/social/store.py`` writes its statements by hand for speed, so nothing in Django
checks them. Each test here reads every SQL string in that module (``ast``), and holds its
table and column names, its placeholders and the prepared rows (``batches.ItemColumns``)
to the tables as migrated here, on SQLite and on PostgreSQL alike: a renamed, added or
removed column fails here, not in a load.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from netra.social import store
from netra.social.batches import ITEM_COLUMNS, PreparedItem
from netra.social.ingest import ingest_file
from netra.social.models import (
    Account,
    AccountSnapshot,
    Interaction,
    Item,
    ItemProvenance,
    ItemVersion,
    QuarantinedRecord,
)

STORE = Path(store.__file__)
_SQL = re.compile(r"^\s*(INSERT INTO|UPDATE|SELECT|DELETE FROM)\b")
_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(social_\w+)(?:\s+(?!WHERE|SET|ON|AS\b)(\w+))?")
_KEYWORDS = {
    "and", "as", "asc", "by", "case", "coalesce", "conflict", "count", "desc", "do", "else",
    "end", "from", "group", "in", "insert", "into", "is", "join", "jsonb", "left", "lower",
    "max", "not", "nothing", "null", "on", "or", "order", "select", "set", "then", "update",
    "values", "when", "where",
}  # fmt: skip


@dataclass(frozen=True)
class Statement:
    line: int
    sql: str

    def __str__(self) -> str:
        return f"store.py:{self.line}: {self.sql[:70]}…"


def statements() -> list[Statement]:
    """Every string constant of store.py that is an SQL statement (adjacent literals are
    one constant already), ``{in}`` and ``%j`` as the code fills them in."""
    found = []
    tree = ast.parse(STORE.read_text(encoding="utf-8"))
    # Pieces of f-strings: the COPY path's statements, made from the INSERTs read here.
    pieces = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) not in pieces and (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _SQL.match(node.value)
            and "(?P<" not in node.value  # the pattern the store reads its INSERTs with
        ):
            sql = node.value.replace("{in}", "%s").replace("%j", "%s")
            found.append(Statement(node.lineno, sql))
    return found


def columns_of(table: str) -> dict[str, bool]:
    """The table's columns as this database has them: name -> whether it may be NULL."""
    with connection.cursor() as cursor:
        return {
            column.name: bool(column.null_ok)
            for column in connection.introspection.get_table_description(cursor, table)
        }


def _insert_columns(sql: str) -> tuple[str, list[str]]:
    match = re.match(r"\s*INSERT INTO (\w+) \(([^)]*)\)", sql)
    assert match, sql
    return match.group(1), [name.strip().strip('"') for name in match.group(2).split(",")]


def test_the_store_holds_the_statements_this_test_reads() -> None:
    kinds = {_SQL.match(s.sql).group(1) for s in statements()}  # type: ignore[union-attr]
    assert {"INSERT INTO", "UPDATE", "SELECT"} <= kinds
    assert len(statements()) >= 15


@pytest.mark.django_db
def test_every_table_and_column_the_store_names_exists() -> None:
    wrong = []
    for statement in statements():
        sql = statement.sql
        aliases: dict[str, str] = {}
        tables = []
        for table, alias in _TABLE.findall(sql):
            tables.append(table)
            if alias and alias.lower() not in _KEYWORDS:
                aliases[alias] = table
        known = {table: columns_of(table) for table in tables}
        for table, names in known.items():
            if not names:
                wrong.append(f"{statement}: no table {table}")
        # alias.column
        for alias, name in re.findall(r"\b([a-z])\.(\w+)\b", sql):
            if alias not in aliases or name not in known[aliases[alias]]:
                wrong.append(f"{statement}: {alias}.{name}")
        if sql.lstrip().startswith("INSERT"):
            table, listed = _insert_columns(sql)
            wrong += [f"{statement}: {table}.{n}" for n in listed if n not in known[table]]
        # Bare names compared, set or ordered by, in a statement over one table.
        if len(set(tables)) == 1 and not aliases:
            (only,) = set(tables)
            bare: set[str] = set(re.findall(r'(?<![%\w])"?([a-z_]+)"?\s*(?:=|<>|IN\b|IS\b)', sql))
            bare.update(re.findall(r"(?:ORDER|GROUP) BY ([a-z_]+)", sql))
            selected = re.match(r"\s*SELECT (.*?) FROM ", sql)
            if selected:
                bare.update(
                    n.strip() for n in selected.group(1).split(",") if n.strip().isidentifier()
                )
            for name in bare:
                if name and name.lower() not in _KEYWORDS and name not in known[only]:
                    wrong.append(f"{statement}: {only}.{name}")
    assert wrong == []


@pytest.mark.django_db
def test_every_insert_gives_each_required_column_and_one_value_per_column() -> None:
    wrong = []
    for statement in statements():
        if not statement.sql.lstrip().startswith("INSERT"):
            continue
        table, names = _insert_columns(statement.sql)
        values = re.search(r"VALUES \(([^)]*)\)", statement.sql)
        assert values, statement
        given = values.group(1).split(",")
        if len(given) != len(names):
            wrong.append(f"{statement}: {len(names)} columns, {len(given)} values")
        # A NOT NULL column the statement leaves out has no default in the database
        # (Django keeps defaults in Python): the INSERT would fail.
        required = {name for name, null in columns_of(table).items() if not null and name != "id"}
        wrong += [
            f"{statement}: {table}.{name} not given" for name in sorted(required - set(names))
        ]
    assert wrong == []


def _insert_into(table: str) -> list[str]:
    (names,) = [
        _insert_columns(s.sql)[1]
        for s in statements()
        if s.sql.lstrip().startswith(f"INSERT INTO {table} ")
    ]
    return names


def _named_item() -> PreparedItem:
    """A prepared item whose every value is its own field's name."""
    names: Any = PreparedItem._fields
    return PreparedItem(*names)


def _named(name: str) -> Any:
    """A column's name where the store takes its value."""
    return name


def _set_placeholders(sql: str) -> list[str]:
    """The column each placeholder of an UPDATE's SET clause is about, in order."""
    assignments = sql.split(" SET ", 1)[1].rsplit(" WHERE ", 1)
    names = []
    for assignment in re.split(r",\s*(?=\w+ = )", assignments[0]):
        name, expression = assignment.split(" = ", 1)
        names += [name.strip()] * expression.count("%s")
    return [*names, re.findall(r"(\w+) = %s", assignments[1])[0]]


def test_the_prepared_item_is_the_item_insert_column_for_column() -> None:
    """``BatchPreparer`` builds ``PreparedItem``; ``BatchWriter._items`` sends its values
    from ``platform`` on (``item[5:]``) between the author and what the store sets."""
    assert PreparedItem._fields.index("platform") == 5
    assert PreparedItem._fields[5:] == ITEM_COLUMNS
    times = ["first_seen_at", "updated_at"]
    assert _insert_into("social_item") == ["author_id", *ITEM_COLUMNS, "shown_source_id", *times]
    assert set(ITEM_COLUMNS) <= {field.column for field in Item._meta.concrete_fields}


def test_an_items_newer_version_is_the_update_value_for_value() -> None:
    (update,) = [s.sql for s in statements() if s.sql.startswith("UPDATE social_item SET")]
    values = store._item_update(
        _named_item(), _named("author_id"), _named("shown_source_id"), "updated_at", _named("id")
    )
    expected = _set_placeholders(update)
    assert len(values) == len(expected)
    # A flag (``CASE WHEN %s THEN``: whether the JSON says anything) is the one non-name.
    assert [name for value, name in zip(values, expected, strict=True) if value != name] == [
        "media",
        "metrics",
    ]


def test_an_item_version_is_the_insert_value_for_value() -> None:
    values = store._item_version(
        _named_item(), _named("author_id"), _named("source_id"), _named("item_id")
    )
    assert list(values) == _insert_into("social_itemversion")
    version_columns = {field.column for field in ItemVersion._meta.concrete_fields}
    assert set(values) == version_columns - {"id"}


def test_the_tables_named_are_the_models_tables() -> None:
    tables = {model._meta.db_table for model in apps.get_app_config("social").get_models()}
    named = {table for s in statements() for table, _alias in _TABLE.findall(s.sql)}
    assert named <= tables


# --- PostgreSQL's COPY path stores what the row-by-row path stores ----------------------------

PAYLOADS = Path(__file__).parent / "sources" / "payloads"
FILES = [PAYLOADS / "x" / "twarc2_pages.jsonl", PAYLOADS / "generic" / "records.jsonl"]
_TABLES = {
    # table: the columns that tell its rows apart and say what they hold (no surrogate
    # keys, nor the times a load sets from its own clock)
    Item: ("platform", "platform_id", "kind", "author__handle", "text", "media", "metrics",
           "created_at", "collected_at", "deleted", "raw_sha256"),
    ItemProvenance: ("item__platform_id", "line", "offset", "raw_sha256", "raw_length"),
    Interaction: ("via_item_platform_id", "kind", "actor__handle", "target_item_platform_id",
                  "target_account__handle", "occurred_at"),
    AccountSnapshot: ("account__handle", "seen_at", "display_name", "bio", "followers", "digest"),
    Account: ("platform", "platform_id", "handle", "display_name", "bio", "url"),
    QuarantinedRecord: ("position", "line", "offset", "reason"),
}  # fmt: skip


def _contents() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model.__name__: sorted(
            model.objects.values_list(*columns),  # type: ignore[attr-defined]
            key=repr,
        )
        for model, columns in _TABLES.items()
    }


def _load_all() -> dict[str, list[tuple[Any, ...]]]:
    for path in FILES:
        ingest_file(path)
    for path in FILES:  # again: everything duplicate
        assert ingest_file(path).tally.totals()["new"] == 0
    return _contents()


def _empty_social_tables() -> None:
    with connection.cursor() as cursor:
        for table in (
            "social_itemversion",
            "social_itemprovenance",
            "social_interaction",
            "social_accountsnapshot",
            "social_item",
            "social_quarantinedrecord",
            "social_ingestrun",
            "social_source",
            "social_account",
            "social_rawblock",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names


@pytest.mark.django_db
def test_the_copy_path_stores_what_the_row_by_row_path_stores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL, INSERTs of ``COPY_ROWS`` rows or more go through COPY and a staging
    table; here every INSERT does (``COPY_ROWS = 1``), then none does."""
    monkeypatch.setattr(store, "COPY_ROWS", 1)
    copied = _load_all()
    _empty_social_tables()
    monkeypatch.setattr(store, "COPY_ROWS", 10**9)
    assert _load_all() == copied
    assert all(copied[name] for name in ("Item", "Interaction", "AccountSnapshot", "Account"))


def _records(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def _versions(folder: Path) -> list[Path]:
    """Two files of the same accounts, items and interactions, the second collected later:
    it updates every item and account row and the interactions' last times, and names
    one account twice with two profiles in one batch."""
    accounts = [f"690000000000000000{number}" for number in range(3)]

    def account(number: int, day: int, bio: str, name: str | None, url: str) -> dict[str, Any]:
        return {
            "record": "account",
            "platform": "tiktok",
            "id": accounts[number],
            "handle": f"akun_{number}",
            "display_name": name,
            "bio": bio,
            "permalink": url,
            "followers": day * 10,
            "seen_at": f"2024-10-0{day}T09:00:00+07:00",
        }

    def item(number: int, day: int) -> dict[str, Any]:
        return {
            "record": "item",
            "platform": "tiktok",
            "id": f"742000000000000000{number}",
            "author_id": accounts[number % 3],
            "text": f'Kampanye hari ke-{day} 🕊️ "kutip" \\ garis',
            "media": [f"https://contoh.example/{number}-{day}.jpg"] if day > 1 else [],
            "metric_likes": day * number,
            "created_at": "2024-10-01T01:00:00Z",
            "collected_at": f"2024-10-0{day}T02:00:00Z",
        }

    def interaction(number: int, day: int) -> dict[str, Any]:
        return {
            "record": "interaction",
            "platform": "tiktok",
            "kind": "like",
            "actor_id": accounts[number % 3],
            "actor_handle": f"akun_{number % 3}",
            "target_item_id": f"742000000000000000{number}",
            "collected_at": f"2024-10-0{day}T02:00:00Z",
        }

    first = [account(n, 1, "lama", f"Akun {n}", "") for n in range(3)]
    first += [item(n, 1) for n in range(5)] + [interaction(n, 1) for n in range(5)]
    second = [
        account(0, 2, "baru", "Nama Baru", "https://contoh.example/0"),
        account(0, 3, "", None, ""),
        account(1, 2, "", "", "https://contoh.example/1"),
    ]
    second += [item(n, 2) for n in range(5)] + [interaction(n, 3) for n in range(5)]
    return [_records(folder / "first.jsonl", first), _records(folder / "second.jsonl", second)]


@pytest.mark.django_db
def test_the_set_based_updates_leave_what_row_by_row_updates_leave(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On PostgreSQL, UPDATEs of ``COPY_ROWS`` rows or more are one UPDATE … FROM a copied
    table, a key named twice updated once per round; here every UPDATE is, then none."""
    files = _versions(tmp_path)
    contents = []
    for copy_rows in (1, 10**9):
        monkeypatch.setattr(store, "COPY_ROWS", copy_rows)
        summaries = [ingest_file(path).tally.counts for path in files]
        assert [counts["item"]["updated"] for counts in summaries] == [0, 5]
        assert [counts["interaction"]["updated"] for counts in summaries] == [0, 5]
        assert [counts["account"]["updated"] for counts in summaries] == [0, 3]
        contents.append(
            {
                **_contents(),
                "Interaction": sorted(
                    Interaction.objects.values_list(
                        "target_item_platform_id", "first_seen_at", "last_seen_at"
                    )
                ),
                "Item": sorted(
                    Item.objects.values_list(
                        "platform_id", "text", "media", "metrics", "collected_at"
                    )
                ),
                "Account": sorted(
                    Account.objects.values_list(
                        "platform_id", "handle", "display_name", "bio", "url"
                    )
                ),
            }
        )
        _empty_social_tables()
    for name in contents[0]:
        assert contents[0][name] == contents[1][name], name
    accounts = {platform_id: rest for platform_id, *rest in contents[0]["Account"]}
    # Row after row: the second profile says no name and no address, so the first's stay;
    # its empty bio replaces the first's.
    assert accounts["6900000000000000000"] == [
        "akun_0", "Nama Baru", "", "https://contoh.example/0"
    ]  # fmt: skip
    assert accounts["6900000000000000001"] == ["akun_1", "", "", "https://contoh.example/1"]


@pytest.mark.django_db
def test_an_array_for_any_holds_each_value_as_it_is() -> None:
    values = ['a"b', "c\\d", "", "NULL", "e,f", "{g}", " h ", "ꦩꦭꦁ 🗳️"]
    # The literal as PostgreSQL's array syntax has it: every text quoted, \ and " escaped.
    assert store._array(values) == ('{"a\\"b","c\\\\d","","NULL","e,f","{g}"," h ","ꦩꦭꦁ 🗳️"}')
    if connection.vendor != "postgresql":
        return  # only PostgreSQL reads array literals; SQLite's loader never writes one
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::text[])", [store._array(values)])
        assert [value for (value,) in cursor.fetchall()] == values
        cursor.execute("SELECT unnest(%s::bigint[])", [store._array([1, 2**40])])
        assert [value for (value,) in cursor.fetchall()] == [1, 2**40]


@pytest.mark.django_db
def test_the_columns_analysed_during_a_load_exist() -> None:
    for entry in store._GROWING_TABLES:
        table, listed = re.fullmatch(r"(\w+) \(([^)]*)\)", entry).groups()  # type: ignore[union-attr]
        assert {name.strip() for name in listed.split(",")} <= set(columns_of(table)), entry


@pytest.mark.django_db
def test_rows_another_load_wrote_meanwhile_are_not_stored_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As if another load had written the rows between the look-up and the write: on
    PostgreSQL the COPY into the table fails on the unique keys and the rows go through
    the staging table's ``ON CONFLICT DO NOTHING`` instead, in the same transaction."""
    path = FILES[0]
    ingest_file(path)
    stored = _contents()
    looked_up = store.BatchWriter._select

    def blind(self: store.BatchWriter, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        if "i.raw_sha256" in sql or sql.startswith("SELECT key, first_seen_at"):
            return []  # "nothing there yet"
        return looked_up(self, sql, *args)

    monkeypatch.setattr(store.BatchWriter, "_select", blind)
    monkeypatch.setattr(store, "COPY_ROWS", 1)
    ingest_file(path, reread=True)
    assert _contents() == stored
