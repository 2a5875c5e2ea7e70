from django.urls import path

from . import views_public

app_name = "services"

urlpatterns = [
    path("", views_public.service_index, name="index"),
    path("<str:slug>/", views_public.service_detail, name="detail"),
]
