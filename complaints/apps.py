from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints, criticisms and suggestions")

    def ready(self) -> None:
        from notifications.api import register_late_context_builder
        from sajad.calendar_store import calendar_changed

        from .notifications import DIGEST_TEMPLATES, digest_context

        calendar_changed.connect(_recompute_after_calendar_change, dispatch_uid="complaints-recompute")
        for template in DIGEST_TEMPLATES:
            register_late_context_builder(template, digest_context)


def _recompute_after_calendar_change(sender, reason, **kwargs) -> None:
    from sajad.queue import enqueue_on_commit

    enqueue_on_commit("complaints.recompute_deadlines", str(reason))
