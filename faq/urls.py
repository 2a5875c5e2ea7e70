from django.urls import path

from . import views

app_name = "faq"

urlpatterns = [
    path("", views.index, name="index"),
    # Before "<slug>/": a service may not be called "suggest".
    path("suggest/", views.suggest, name="suggest"),
    path("<int:entry_id>/vote/", views.vote, name="vote"),
    path("<int:entry_id>/answered/", views.answered, name="answered"),
    path("<str:slug>/", views.service_faq, name="service"),
]
