"""Staff results pages, mounted under the admin's address (/admin/surveys/results/)."""
from django.urls import path

from .views import staff

app_name = "surveys_staff"

urlpatterns = [
    path("", staff.index, name="index"),
    path("handling/", staff.handling_results, name="handling_results"),
    path("watch/", staff.watch_page, name="watch"),
    path("service/<str:slug>/", staff.service_results, name="service_results"),
]
