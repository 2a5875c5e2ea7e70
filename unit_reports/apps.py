from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitReportsConfig(AppConfig):
    name = "unit_reports"
    verbose_name = _("Unit performance reports")
