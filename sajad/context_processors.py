from django.conf import settings


def organisation(request):
    """The organisation's name, phone line and address for the footer and headers."""
    return {"ORGANISATION": settings.ORGANISATION}
