"""Writing to the append-only case log. Called only from services, inside their transaction."""
from .models import Case, CaseEvent
from .workflow import Role


def actor_or_none(actor):
    """The user an event names: staff and signed-in users; anonymous visitors are no one."""
    return actor if getattr(actor, "is_authenticated", False) else None


def event_record(
    *, case: Case, kind: str, actor=None, role: Role | str, from_status: str = "",
    to_status: str = "", note: str = "", is_public: bool = False, data: dict | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor_or_none(actor),
        actor_role=str(role), from_status=from_status, to_status=to_status, note=note,
        is_public=is_public, data=data or {},
    )
