from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Summary tables kept current from the case log, and what reads them: the monitoring
    dashboard, unit scorecards and the public statistics. Nothing here reads the case table on a
    page view; the rollup task is the only reader of the raw log."""

    name = "dashboards"
    verbose_name = _("Dashboards and figures")
    default_auto_field = "django.db.models.BigAutoField"
