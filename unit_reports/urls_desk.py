"""The unit's side of report calls, on the unit desk (/desk/reports/)."""
from django.urls import path

from . import views

app_name = "desk_reports"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("<int:call_id>/", views.report_page, name="report"),
    path("<int:call_id>/files/<int:file_id>/delete/", views.file_delete, name="file_delete"),
    path("files/<int:file_id>/", views.file_download, name="file"),
]
