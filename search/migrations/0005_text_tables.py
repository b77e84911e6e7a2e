"""The words of each offer in a narrow table of their own on both databases.

PostgreSQL matched on an expression index over the wide document table: a common prefix such as
"zwem:*" rechecked tens of thousands of heap rows of several kilobytes. Like SQLite's FTS5
table, a table of (offer_id, tsvector) keeps that work small. SQLite's FTS5 table drops its
title column: relevance is computed from the titles held in memory.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS catalogue_search_offertext",
    "CREATE VIRTUAL TABLE catalogue_search_offertext USING fts5(text, tokenize='trigram')",
    "INSERT INTO catalogue_search_offertext (rowid, text) SELECT offer_id, text FROM catalogue_search_offerdocument",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalogue_search_offertext",
    "CREATE VIRTUAL TABLE catalogue_search_offertext USING fts5(title_text, text, tokenize='trigram')",
    "INSERT INTO catalogue_search_offertext (rowid, title_text, text) "
    "SELECT offer_id, title_text, text FROM catalogue_search_offerdocument",
]
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS catalogue_search_offerdocument_text_fts",
    "CREATE TABLE catalogue_search_offertext (offer_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX catalogue_search_offertext_vector ON catalogue_search_offertext USING gin (vector)",
    "INSERT INTO catalogue_search_offertext (offer_id, vector) "
    "SELECT offer_id, to_tsvector('simple', text) FROM catalogue_search_offerdocument",
]
POSTGRES_BACKWARD = [
    "DROP TABLE IF EXISTS catalogue_search_offertext",
    "CREATE INDEX IF NOT EXISTS catalogue_search_offerdocument_text_fts "
    "ON catalogue_search_offerdocument USING gin (to_tsvector('simple', text))",
]
STATEMENTS = {"sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD), "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)}


def forward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0004_columns_in_memory")]

    operations = [migrations.RunPython(forward, backward)]
