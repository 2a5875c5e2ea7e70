"""Dashboard pages: the monitoring unit's (under /admin/), the head's scorecard on the desk, and
the public statistics. Included at the site root so each keeps the address its users expect."""
from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("admin/dashboard/", views.monitoring_dashboard, name="monitoring"),
    path("admin/dashboard/scorecards/", views.scorecard_page, name="scorecards"),
    path("desk/scorecard/", views.desk_scorecard, name="desk_scorecard"),
    path("statistics/", views.statistics, name="statistics"),
]
