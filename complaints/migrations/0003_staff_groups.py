"""The staff groups and what each may do in admin.

Monitoring experts triage in admin (case changes go through admin actions that call services);
monitoring heads also decide objections and manage the catalogue; unit staff work in the desk and
have no admin permissions.
"""
from django.db import migrations

MONITORING = "کارشناسان نظارت"
MONITORING_HEAD = "مدیران نظارت"
UNIT_STAFF = "کارکنان واحدها"

PERMISSIONS = {
    MONITORING: [
        ("complaints", "case", ["view", "change"]),
        ("complaints", "caseevent", ["view"]),
        ("complaints", "attachment", ["view"]),
        ("complaints", "externaltopic", ["view", "add", "change"]),
        ("sajad", "unit", ["view"]),
        ("sajad", "service", ["view"]),
    ],
    MONITORING_HEAD: [
        ("complaints", "case", ["view", "change"]),
        ("complaints", "caseevent", ["view"]),
        ("complaints", "attachment", ["view"]),
        ("complaints", "externaltopic", ["view", "add", "change", "delete"]),
        ("sajad", "unit", ["view", "add", "change"]),
        ("sajad", "unitmember", ["view", "add", "change", "delete"]),
        ("sajad", "service", ["view", "add", "change"]),
        ("sajad", "performancetarget", ["view", "add", "change", "delete"]),
    ],
    UNIT_STAFF: [],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrations; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = []
        for app_label, model, verbs in grants:
            for verb in verbs:
                codenames.append((app_label, f"{verb}_{model}"))
        perms = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_caseevent_append_only"),
        ("sajad", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
