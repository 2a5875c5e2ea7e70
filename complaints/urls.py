from django.urls import path

from .views import public
from .views import staff

app_name = "complaints"

urlpatterns = [
    path("new/", public.scope_check, name="new"),
    path("new/elsewhere/<int:topic_id>/", public.elsewhere, name="elsewhere"),
    path("new/form/", public.file_case, name="file"),
    path("new/done/", public.filed, name="filed"),
    path("track/", public.track, name="track"),
    path("track/<str:tracking_number>/", public.case_detail, name="case"),
    path("track/<str:tracking_number>/information/", public.case_provide_info, name="provide_info"),
    path("track/<str:tracking_number>/objection/", public.case_object, name="object"),
    path("track/<str:tracking_number>/rating/", public.case_rate, name="rate"),
    path("track/<str:tracking_number>/escalation/", public.case_escalate, name="escalate"),
    path("attachments/<int:attachment_id>/", public.attachment_download, name="attachment"),
    path("staff/attachments/<int:attachment_id>/", staff.attachment_download, name="staff_attachment"),
]
