from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SajadConfig(AppConfig):
    name = "sajad"
    verbose_name = _("Organisation and services")

    def ready(self) -> None:
        # Admin's own ready() ran autodiscover first (it is listed first), so every app's admin,
        # third-party ones too, is registered by now.
        from django.contrib import admin

        from .admin_guard import guard_changelists

        guard_changelists(admin.site)

        from django.contrib.auth.signals import user_login_failed

        from .security import login_failed

        user_login_failed.connect(login_failed, dispatch_uid="sajad.login_spray")
