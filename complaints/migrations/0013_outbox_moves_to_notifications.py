"""The outbox model now belongs to the notifications app (its table is kept; see notifications 0001)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_case_text_search_indexes"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
