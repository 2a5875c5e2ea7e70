"""The monitoring unit's groups may open calls, grant extensions and review reports in admin.

Groups are found by the role permission they carry (complaints/roles.py), never by their label.
Unit staff get nothing here: they write reports on the desk.
"""
from django.db import migrations

ROLE_CODES = ("role_monitoring", "role_monitoring_head")
GRANTS = [
    ("reportcall", ["view", "add", "change"]),
    ("callsection", ["view", "add", "change", "delete"]),
    ("callextension", ["view", "add"]),
    ("unitreport", ["view", "change"]),
    ("reportanswer", ["view"]),
    ("reportfile", ["view"]),
    ("unitcontact", ["view", "add", "change", "delete"]),
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrations; this migration needs them now.
    app_config = apps.get_app_config("unit_reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(
        content_type__app_label="unit_reports",
        codename__in=[f"{verb}_{model}" for model, verbs in GRANTS for verb in verbs],
    ))
    for group in Group.objects.filter(
        permissions__content_type__app_label="complaints", permissions__codename__in=ROLE_CODES,
    ).distinct():
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    perms = Permission.objects.filter(content_type__app_label="unit_reports")
    for group in Group.objects.all():
        group.permissions.remove(*perms)


class Migration(migrations.Migration):

    dependencies = [
        ("unit_reports", "0001_initial"),
        ("complaints", "0014_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
