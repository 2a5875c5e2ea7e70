"""Who a staff user is to a case.

A role is a stable code: a permission of the case model (`complaints.role_…`). Groups carry those
permissions (migration 0003 made three; an administrator may rename them or make more), so a
group's name is only a label and is never looked up here.
"""
from django.contrib.auth.models import AnonymousUser, Group, Permission, User

from .workflow import Role

# Role → the permission codename that grants it, strongest first.
ROLE_CODES: dict[Role, str] = {
    Role.MONITORING_HEAD: "role_monitoring_head",
    Role.MONITORING: "role_monitoring",
    Role.UNIT: "role_unit_staff",
}
# The label of the group that carries each role when the portal is installed (migration 0003).
DEFAULT_GROUP_NAMES: dict[Role, str] = {
    Role.MONITORING_HEAD: "مدیران نظارت",
    Role.MONITORING: "کارشناسان نظارت",
    Role.UNIT: "کارکنان واحدها",
}


def _role_codes(user) -> set[str]:
    # One query, cached on the user object: admin pages ask many times per request.
    if not hasattr(user, "_sajad_role_codes"):
        user._sajad_role_codes = set(
            Permission.objects.filter(
                group__user=user, content_type__app_label="complaints",
                codename__in=ROLE_CODES.values(),
            ).values_list("codename", flat=True)
        )
    return user._sajad_role_codes


def staff_role(user: User | AnonymousUser | None) -> Role | None:
    """The strongest staff role the user holds, regardless of any particular case."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MONITORING_HEAD
    codes = _role_codes(user)
    for role, code in ROLE_CODES.items():
        if code in codes and (role != Role.UNIT or user_unit_id(user) is not None):
            return role
    return None


def staff_group(role: Role) -> Group:
    """The group that carries `role` (made with its default label if none does), for set-up code."""
    permission = Permission.objects.get(content_type__app_label="complaints", codename=ROLE_CODES[role])
    group = Group.objects.filter(permissions=permission).order_by("pk").first()
    if group is None:
        group, _ = Group.objects.get_or_create(name=DEFAULT_GROUP_NAMES[role])
        group.permissions.add(permission)
    return group


def user_unit_id(user) -> int | None:
    membership = getattr(user, "unit_membership", None)
    return membership.unit_id if membership is not None else None


def is_monitoring(user) -> bool:
    return staff_role(user) in (Role.MONITORING, Role.MONITORING_HEAD)


def role_on_case(user, case) -> Role | None:
    """The role the user may act in on this case; unit staff only on their own unit's cases."""
    role = staff_role(user)
    if role == Role.UNIT and case.unit_id != user_unit_id(user):
        return None
    return role
