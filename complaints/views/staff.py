"""Staff views outside the admin forms: downloading a case's attachment.

Attachments never have a public URL (§4); this view streams one only after the access gate in
`complaints.selectors` says the user may see its case, and it records the access in the case log.
"""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .. import selectors, services
from ..models import EventKind


@require_GET
@login_required
def attachment_download(request, attachment_id: int):
    attachment = selectors.attachment_get_for_staff(user=request.user, attachment_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    services.case_record_staff_view(
        case=attachment.case, actor=request.user, what=EventKind.ATTACHMENT_VIEWED,
        data={"attachment_id": attachment.pk, "name": attachment.original_name},
    )
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
