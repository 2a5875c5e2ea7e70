"""Staff views outside the admin forms: downloading a case's attachment, and the gate of the
monitoring unit's own report pages (dashboards, survey results).

Attachments never have a public URL (§4); this view streams one only after the access gate in
`complaints.selectors` says the user may see its case, and it records the access in the case log.
"""
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from .. import roles, selectors, services
from ..models import EventKind
from .files import attachment_response


@require_GET
@login_required
def attachment_download(request, attachment_id: int):
    attachment = selectors.attachment_get_for_staff(user=request.user, attachment_id=attachment_id)
    response = attachment_response(attachment)  # 404 before the audit if the file is gone
    services.case_record_staff_view(
        case=attachment.case, actor=request.user, what=EventKind.ATTACHMENT_VIEWED,
        data={"attachment_id": attachment.pk, "name": attachment.original_name},
    )
    return response


def monitoring_required(view):
    """Monitoring experts and heads only: others go to the admin login, or get the same 404."""

    @staff_member_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.is_monitoring(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
