from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints, criticisms and suggestions")

    def ready(self) -> None:
        # Routing, SLA and outbox admin live apart from the case triage admin (complaints/admin.py).
        from . import admin_sla  # noqa: F401
        from sajad.calendar_store import calendar_changed

        calendar_changed.connect(_recompute_after_calendar_change, dispatch_uid="complaints-recompute")


def _recompute_after_calendar_change(sender, reason, **kwargs) -> None:
    from sajad.queue import enqueue_on_commit

    from .tasks import recompute_deadlines

    enqueue_on_commit(recompute_deadlines, str(reason))
