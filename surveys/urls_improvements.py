"""The public "you said, we did" page, mounted at /improvements/ (URL name: improvements)."""
from django.urls import path

from .views import improvements

urlpatterns = [path("", improvements.improvements, name="improvements")]
