from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The public catalogue, SLA pages with live figures, home and static pages.

    It sits above the apps whose figures it shows (complaints, faq, surveys) and owns no tables:
    units, services and pages are the core's (`sajad.models`).
    """

    name = "catalogue"
    verbose_name = _("Service catalogue")
