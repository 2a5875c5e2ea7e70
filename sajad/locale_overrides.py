"""Django's own messages that our Persian catalogue words differently.

Django's Persian translation calls a file «پرونده», which on this portal means a case; citizens
reading "the submitted پرونده is empty" under the attachments field would think their case was
lost. Listing the msgids here keeps them in `makemessages` output, so locale/fa overrides them.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_FILE_MESSAGES = [
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Please either submit a file or check the clear checkbox, not both."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
]

DJANGO_FILE_NAME_LENGTH = ngettext_lazy(
    "Ensure this filename has at most %(max)d character (it has %(length)d).",
    "Ensure this filename has at most %(max)d characters (it has %(length)d).",
    "max",
)
