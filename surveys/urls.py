from django.urls import path

from .views import public

app_name = "surveys"

urlpatterns = [
    path("i/<str:token>/", public.answer_invited, name="invited"),
    path("<str:slug>/", public.answer_public, name="public"),
]
