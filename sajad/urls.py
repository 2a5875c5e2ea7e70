from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("complaints/", include("complaints.urls")),
    path("faq/", include("faq.urls")),
    path("admin/", admin.site.urls),
    # Django's set_language view: the only way to leave Persian (see sajad/middleware.py).
    path("i18n/", include("django.conf.urls.i18n")),
]
