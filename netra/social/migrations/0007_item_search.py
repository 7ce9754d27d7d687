"""Full-text search over items (``netra.social.search``): an FTS5 table kept in step by
triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE social_item_search USING fts5(title, text, content='social_item',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=none)",
    "CREATE TRIGGER social_item_search_insert AFTER INSERT ON social_item BEGIN"
    " INSERT INTO social_item_search (rowid, title, text) VALUES (new.id, new.title, new.text);"
    " END",
    "CREATE TRIGGER social_item_search_delete AFTER DELETE ON social_item BEGIN"
    " INSERT INTO social_item_search (social_item_search, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER social_item_search_update AFTER UPDATE OF title, text ON social_item BEGIN"
    " INSERT INTO social_item_search (social_item_search, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO social_item_search (rowid, title, text) VALUES (new.id, new.title, new.text);"
    " END",
    # The items already stored.
    "INSERT INTO social_item_search (social_item_search) VALUES ('rebuild')",
)
SQLITE_SCHEMA_DROP = (
    "DROP TRIGGER IF EXISTS social_item_search_insert",
    "DROP TRIGGER IF EXISTS social_item_search_delete",
    "DROP TRIGGER IF EXISTS social_item_search_update",
    "DROP TABLE IF EXISTS social_item_search",
)
POSTGRESQL_SCHEMA = (
    "ALTER TABLE social_item ADD COLUMN search tsvector GENERATED ALWAYS AS"
    " (to_tsvector('simple', title || ' ' || text)) STORED",
    "CREATE INDEX item_search ON social_item USING gin (search)",
)
POSTGRESQL_SCHEMA_DROP = (
    "DROP INDEX IF EXISTS item_search",
    "ALTER TABLE social_item DROP COLUMN IF EXISTS search",
)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("social", "0006_versions_per_source")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_SCHEMA, "postgresql": POSTGRESQL_SCHEMA}),
            _run({"sqlite": SQLITE_SCHEMA_DROP, "postgresql": POSTGRESQL_SCHEMA_DROP}),
        )
    ]
