"""The unit desk (§3.1 "Unit desk"): login, inbox, case page and the unit's actions."""
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import desk

app_name = "desk"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(
        template_name="registration/login.html", redirect_authenticated_user=True,
        next_page="desk:inbox",
    ), name="login"),
    # Django's LogoutView accepts POST only, so a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("", desk.inbox, name="inbox"),
    path("cases/<int:case_id>/", desk.case_detail, name="case"),
    path("cases/<int:case_id>/answer/", desk.case_answer, name="answer"),
    path("cases/<int:case_id>/request-info/", desk.case_request_info, name="request_info"),
    path("cases/<int:case_id>/return/", desk.case_return, name="return"),
    path("cases/<int:case_id>/note/", desk.case_note, name="note"),
    path("cases/<int:case_id>/assignee/", desk.case_assign_staff, name="assign_staff"),
]
