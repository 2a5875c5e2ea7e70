"""Trigram indexes for the triage list's text search (subject and name), PostgreSQL only.

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%…%')`; a GIN trigram index on
that same expression lets it find a few cases among a million without reading the table. They
are created here rather than in Meta.indexes because the embedded SQLite default has no GIN.
The description is left out on purpose: a trigram index over long free text would be larger
than the table; the admin search says it covers subject and name.
"""
from django.db import migrations

INDEXES = {
    "case_subject_trgm_idx": "subject",
    "case_full_name_trgm_idx": "full_name",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON complaints_case "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0011_list_indexes_total_order")]
    operations = [migrations.RunPython(forward, backward)]
