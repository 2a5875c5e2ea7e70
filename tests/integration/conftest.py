import pytest

from tests import factories

# The smallest real files of each accepted type: their magic bytes are what the checker reads.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def monitoring_unit(db):
    return factories.monitoring_unit()


@pytest.fixture
def unit(db):
    return factories.unit(name="امور رفاهی")


@pytest.fixture
def people(unit, monitoring_unit):
    """One staff user per role, for tests that drive cases through the workflow."""
    return {
        "monitoring": factories.monitoring_user(),
        "head": factories.monitoring_head(),
        "unit": factories.unit_user(unit),
        "other_unit": factories.unit_user(factories.unit(name="واحد دیگر")),
    }


@pytest.fixture
def service(unit):
    return factories.service(unit_=unit, name="وام شهریه")
