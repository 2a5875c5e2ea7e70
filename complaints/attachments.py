"""Checks an uploaded attachment by its content, not by the name or type the browser claims."""
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension as typed → the content type the bytes must really have.
ALLOWED = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Refuse anything but a real PDF, JPEG or PNG within the size limit; never trust the name."""
    name = PurePath(upload.name or "file").name[-200:]
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = filetype.guess(head)
    expected = ALLOWED.get(PurePath(name).suffix.lower())
    if sniffed is None or expected is None or sniffed.mime != expected:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file. Only these formats are accepted.")
            % {"name": name},
            code="bad_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(upload, name, expected, upload.size, digest.hexdigest())


def check_uploads(uploads) -> list[CheckedUpload]:
    uploads = list(uploads or [])
    if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            _("You can attach at most %(count)d files.") % {"count": settings.ATTACHMENT_MAX_COUNT},
            code="too_many",
        )
    return [check_upload(upload) for upload in uploads]
