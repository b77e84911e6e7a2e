"""The full-text index of the embedded engine: FTS5 (trigram) on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_search_offertext "
    "USING fts5(title_text, text, tokenize='trigram')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS catalogue_search_offertext"
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS catalogue_search_offerdocument_text_fts "
    "ON catalogue_search_offerdocument USING gin (to_tsvector('simple', text))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS catalogue_search_offerdocument_text_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
