"""The triage list's text search over subject, name and description, Persian-normalised.

`search_text` holds the compact search form (`complaints.models.case_search_text`); a GIN trigram
index on it lets every query word be found with LIKE '%word%' without reading the table. Existing
cases are filled in batches before the index is built (building it once is cheaper than keeping
it current during the fill). The subject and name trigram indexes of migration 0012 served the
old search only and are dropped. PostgreSQL only for the indexes, as in 0012.
"""
from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from complaints.models import case_search_text

    Case = apps.get_model("complaints", "Case")
    last = 0
    while True:
        rows = list(
            Case.objects.filter(pk__gt=last).order_by("pk")
            .values_list("pk", "subject", "full_name", "description")[:BATCH]
        )
        if not rows:
            return
        for pk, subject, full_name, description in rows:
            Case.objects.filter(pk=pk).update(search_text=case_search_text(
                subject=subject, full_name=full_name, description=description,
            ))
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS case_subject_trgm_idx")
    schema_editor.execute("DROP INDEX IF EXISTS case_full_name_trgm_idx")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_search_text_trgm_idx ON complaints_case "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS case_search_text_trgm_idx")
    for name, column in (("case_subject_trgm_idx", "subject"),
                         ("case_full_name_trgm_idx", "full_name")):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON complaints_case "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0014_role_permissions")]
    operations = [
        migrations.AddField(
            model_name="case", name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
