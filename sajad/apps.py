from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SajadConfig(AppConfig):
    name = "sajad"
    verbose_name = _("Organisation and services")

    def ready(self) -> None:
        # The calendar's admin lives in its own module so it does not depend on sajad/admin.py.
        from . import admin_calendar  # noqa: F401
        from . import admin_pages  # noqa: F401
