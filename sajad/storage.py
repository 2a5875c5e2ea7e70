"""Static and private file storages."""
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names, gzip and brotli files written by collectstatic (WhiteNoise serves them), and
    a reference to a file nobody ships left unhashed.

    django-jalali's jQuery-UI stylesheet names five images it does not include; the strict parent
    would abort `collectstatic` over them.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name


class PrivateStorage(LazyObject):
    """Attachment storage: a folder outside every URL, so files are reachable only through views."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def get_private_storage():
    """The attachment storage, for `FileField(storage=…)`.

    A callable, so migrations record this function's path instead of the folder the storage
    points at on the machine that generated them (PRIVATE_MEDIA_ROOT is a setting).
    """
    return private_storage
