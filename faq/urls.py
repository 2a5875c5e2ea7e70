from django.urls import path

from . import views

app_name = "faq"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:entry_id>/vote/", views.vote, name="vote"),
    path("<int:entry_id>/answered/", views.answered, name="answered"),
    path("<str:slug>/", views.service_faq, name="service"),
]
