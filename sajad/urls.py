from django.contrib import admin
from django.urls import include, path

from . import views, views_public

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("complaints/", include("complaints.urls")),
    path("faq/", include("faq.urls")),
    path("desk/", include("complaints.urls_desk")),
    path("services/", include("sajad.urls_services")),
    path("participation/", views_public.participation, name="participation"),
    path("admin/", admin.site.urls),
    # Django's set_language view: the only way to leave Persian (see sajad/middleware.py).
    path("i18n/", include("django.conf.urls.i18n")),
]
