from django.urls import path

from .views import desk

app_name = "surveys_desk"

urlpatterns = [
    path("", desk.actions, name="actions"),
    path("<int:action_id>/progress/", desk.action_progress, name="progress"),
]
