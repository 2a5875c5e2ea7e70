"""Recompute the derived search columns: `sajad.persian.search_keys` now folds hamza forms.

«تأخیر» in an entry was stored as «تأخیر» while a query now becomes «تاخیر»; without this pass
old entries would stop matching their own words. The columns are derived data, so recomputing them
with the current function is the whole migration.
"""
from django.db import migrations


def recompute(apps, schema_editor):
    from faq.search import index_keys

    FaqEntry = apps.get_model("faq", "FaqEntry")
    for entry in FaqEntry.objects.only("pk", "question", "answer").iterator(chunk_size=500):
        FaqEntry.objects.filter(pk=entry.pk).update(
            **index_keys(question=entry.question, answer=entry.answer)
        )


class Migration(migrations.Migration):
    dependencies = [("faq", "0002_search_shortlist")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
