"""Full-text search, native to each database: an FTS5 table on SQLite, a GIN index on
PostgreSQL over the same SearchVector expression the master list queries with."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "number, title, body, tokenize='unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            "INSERT INTO documents_fts (rowid, number, title, body) "
            "SELECT id, number, title, search_text FROM documents_document"
        )
    elif vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        from pdca.documents.search import document_vector

        Document = apps.get_model("documents", "Document")
        schema_editor.add_index(
            Document, GinIndex(document_vector(), name="document_fts_gin")
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS documents_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_fts_gin")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_revisions_signatures")]

    operations = [migrations.RunPython(create, drop)]
