from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SajadConfig(AppConfig):
    name = "sajad"
    verbose_name = _("Organisation and services")
