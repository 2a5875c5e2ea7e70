"""A default SLA policy so every case has deadlines from the first day; admins refine it."""
from django.db import migrations

WORKING_DAY = 7 * 60  # minutes in one default working day (07:30–14:30)


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("complaints", "SlaPolicy")
    SlaPolicy.objects.get_or_create(
        name="سیاست پیش‌فرض",
        defaults=dict(
            first_response_minutes=WORKING_DAY, unit_answer_minutes=5 * WORKING_DAY,
            resolution_minutes=10 * WORKING_DAY, reminder_percents="50,80",
            escalate_to_monitoring_after_days=2, escalate_to_deputy_after_days=5,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_sla_clocks")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
