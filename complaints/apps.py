from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints, criticisms and suggestions")

    def ready(self) -> None:
        # Routing, SLA and outbox admin live apart from the case triage admin (complaints/admin.py).
        from . import admin_sla  # noqa: F401
