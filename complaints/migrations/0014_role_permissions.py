"""Staff roles become stable codes (permissions of the case model) carried by the three groups.

The groups of 0003 keep their names (labels an administrator may change); each gets the permission
of its role, which is what complaints/roles.py checks from now on.
"""
from django.db import migrations

# The groups as migration 0003 named them, and the role each carries.
GROUP_ROLES = {
    "مدیران نظارت": "role_monitoring_head",
    "کارشناسان نظارت": "role_monitoring",
    "کارکنان واحدها": "role_unit_staff",
}


def grant_role_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrations; this migration needs them now.
    app_config = apps.get_app_config("complaints")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codename in GROUP_ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="complaints", codename=codename)
        )


def revoke_role_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="complaints", codename__in=GROUP_ROLES.values()
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_outbox_moves_to_notifications'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='case',
            options={'ordering': ['-created_at', '-id'], 'permissions': [('role_monitoring', 'Acts as a monitoring-unit expert'), ('role_monitoring_head', 'Acts as the head of the monitoring unit'), ('role_unit_staff', 'Acts as staff of a unit (the desk)')], 'verbose_name': 'case', 'verbose_name_plural': 'cases'},
        ),
        migrations.RunPython(grant_role_permissions, revoke_role_permissions),
    ]
