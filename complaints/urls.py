from django.urls import path

from .views import public

app_name = "complaints"

urlpatterns = [
]
