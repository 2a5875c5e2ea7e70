"""The outbox gets its own table name and a generic `about` instead of a foreign key to cases.

Existing rows keep everything: a case's messages point at the same case through `about`, with its
tracking number as the label. Dropping `legacy_case_id` drops the old foreign key with it.
"""
import django.db.models.deletion
from django.db import migrations, models


def case_to_about(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    if not Message.objects.filter(legacy_case_id__isnull=False).exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type, _ = ContentType.objects.get_or_create(app_label="complaints", model="case")
    schema_editor.execute(
        "UPDATE notifications_message m SET about_type_id = %s, about_id = m.case_id, "
        "about_label = c.tracking_number FROM complaints_case c WHERE c.id = m.case_id",
        [case_type.pk],
    )


def about_to_case(apps, schema_editor):
    schema_editor.execute(
        "UPDATE notifications_message m SET case_id = m.about_id FROM django_content_type t "
        "WHERE t.id = m.about_type_id AND t.app_label = 'complaints' AND t.model = 'case'"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="message", table=None),
        migrations.AddField(
            model_name="message", name="about_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(
            model_name="message", name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="message", name="about_label",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="about"),
            preserve_default=False,
        ),
        migrations.RunPython(case_to_about, about_to_case),
        migrations.RemoveField(model_name="message", name="legacy_case_id"),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["about_type", "about_id"], name="message_about_idx"),
        ),
    ]
