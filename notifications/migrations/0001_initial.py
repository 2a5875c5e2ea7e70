"""Take over the outbox table that complaints created (complaints_notification), rows and all.

State only: the table, its indexes and constraints already exist. The old `case` foreign key is
carried over as `legacy_case_id` so that 0002 can turn it into the generic `about` reference.
"""
import django.db.models.deletion  # noqa: F401
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("complaints", "0012_case_text_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Message",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("channel", models.CharField(choices=[("sms", "SMS"), ("email", "E-mail")], max_length=8, verbose_name="channel")),
                        ("recipient", models.CharField(max_length=254, verbose_name="recipient")),
                        ("template", models.CharField(max_length=60, verbose_name="template")),
                        ("subject", models.CharField(blank=True, max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="text")),
                        ("legacy_case_id", models.BigIntegerField(blank=True, null=True, db_column="case_id")),
                        ("dedupe_key", models.CharField(max_length=120, unique=True)),
                        ("context", models.JSONField(blank=True, default=dict)),
                        ("state", models.CharField(choices=[("pending", "Waiting to be sent"), ("sending", "Being sent"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=8, verbose_name="state")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("next_attempt_at", models.DateTimeField(auto_now_add=True, verbose_name="next attempt")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                    ],
                    options={
                        "verbose_name": "message",
                        "verbose_name_plural": "outbox",
                        "ordering": ["-created_at"],
                        "db_table": "complaints_notification",
                        "indexes": [
                            models.Index(condition=Q(state="pending"), fields=["next_attempt_at"], name="notification_due_idx"),
                            models.Index(condition=Q(state="sending"), fields=["claimed_at"], name="notification_stuck_idx"),
                        ],
                        "constraints": [
                            models.CheckConstraint(condition=Q(state__in=["pending", "sending", "sent", "failed"]), name="notification_state_valid"),
                            models.CheckConstraint(condition=~Q(state="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
