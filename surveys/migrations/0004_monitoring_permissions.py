"""What the monitoring unit may do with surveys in admin.

Groups are found by the role they carry (complaints 0014: role permissions), not by their names,
which are labels an administrator may change. Experts build surveys, read responses and
invitations, set the watch's thresholds and write improvement plans; heads may also delete drafts.
"""
from django.db import migrations

EXPERT = [
    ("survey", ["view", "add", "change"]),
    ("question", ["view", "add", "change", "delete"]),
    ("response", ["view"]),
    ("invitation", ["view"]),
    ("servicewatch", ["view", "change"]),
    ("alarmepisode", ["view"]),
    ("improvementplan", ["view", "add", "change"]),
    ("planaction", ["view", "add", "change", "delete"]),
    ("planhistory", ["view"]),
]
HEAD_EXTRA = [("survey", ["delete"]), ("improvementplan", ["delete"])]
ROLES = {"role_monitoring": EXPERT, "role_monitoring_head": EXPERT + HEAD_EXTRA}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("surveys")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLES.items():
        codenames = [f"{verb}_{model}" for model, verbs in grants for verb in verbs]
        perms = list(Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames))
        for group in Group.objects.filter(permissions__content_type__app_label="complaints",
                                          permissions__codename=role):
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="surveys"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_covering_indexes"),
        ("complaints", "0014_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
