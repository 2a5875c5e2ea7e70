"""The project's URLconf: the one module of `sajad/` that names every app (it wires the site)."""
from django.contrib import admin
from django.urls import include, path

from catalogue import views as catalogue_views

from . import views

urlpatterns = [
    path("", catalogue_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("complaints/", include("complaints.urls")),
    path("faq/", include("faq.urls")),
    path("surveys/", include("surveys.urls")),
    # Dashboard pages sit under the addresses of their users: /admin/dashboard/ (monitoring),
    # /desk/scorecard/ (units) and /statistics/ (public); before the desk and admin catch-alls.
    path("", include("dashboards.urls")),
    path("desk/reports/", include("unit_reports.urls_desk")),
    path("improvements/", include("surveys.urls_improvements")),
    path("desk/improvements/", include("surveys.urls_desk")),
    path("desk/", include("complaints.urls_desk")),
    path("services/", include("catalogue.urls")),
    path("participation/", catalogue_views.participation, name="participation"),
    path("admin/surveys/results/", include("surveys.urls_staff")),
    path("contact/", catalogue_views.contact, name="contact"),
    path("admin/", admin.site.urls),
    # Django's set_language view: the only way to leave Persian (see sajad/middleware.py).
    path("i18n/", include("django.conf.urls.i18n")),
]
