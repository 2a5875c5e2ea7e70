"""Who a staff user is to a case. Groups are created by migration 0003; names are shown in admin."""
from django.contrib.auth.models import AnonymousUser, User

from .workflow import Role

MONITORING_GROUP = "کارشناسان نظارت"
MONITORING_HEAD_GROUP = "مدیران نظارت"
UNIT_STAFF_GROUP = "کارکنان واحدها"


def _groups(user) -> set[str]:
    # Cached on the user object: admin pages ask many times per request.
    if not hasattr(user, "_sajad_groups"):
        user._sajad_groups = set(user.groups.values_list("name", flat=True))
    return user._sajad_groups


def staff_role(user: User | AnonymousUser | None) -> Role | None:
    """The strongest staff role the user holds, regardless of any particular case."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    groups = _groups(user)
    if user.is_superuser or MONITORING_HEAD_GROUP in groups:
        return Role.MONITORING_HEAD
    if MONITORING_GROUP in groups:
        return Role.MONITORING
    if UNIT_STAFF_GROUP in groups and user_unit_id(user) is not None:
        return Role.UNIT
    return None


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
