"""How refusals look: the site's own CSRF page, «فایل» for files, Persian digits in messages."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.integration.test_public_views import FILE_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return factories.service(name="وام شهریه دانشجویی")


def test_a_form_without_its_csrf_token_gets_the_sites_persian_page_not_djangos(service):
    client = Client(enforce_csrf_checks=True)
    response = client.post(FILE_URL, factories.filing_form_data(service))
    html = response.content.decode()
    assert response.status_code == 403
    assert "این فرم منقضی شده است" in html and "دوباره بفرستید" in html
    assert 'dir="rtl"' in html
    assert "DEBUG" not in html and "CSRF verification failed" not in html


def test_a_wrong_file_type_is_called_a_file_not_a_case(client, service, private_media):
    fake = SimpleUploadedFile("scan.pdf", b"MZ" + b"\x00" * 100)
    html = client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": [fake]}).content.decode()
    assert "فایل PDF، JPEG یا PNG نیست" in html
    assert "پرونده PDF" not in html


def test_djangos_own_file_messages_say_file_not_case():
    from django.forms import FileField
    from django.utils import translation

    with translation.override("fa"):
        messages = {str(m) for m in FileField().error_messages.values()}
    assert any("فایل" in m for m in messages)
    assert not any("پرونده" in m for m in messages), messages


def test_numbers_in_form_errors_are_shown_in_persian_digits(client, service, private_media):
    files = [SimpleUploadedFile(f"p{i}.png", factories.PNG_BYTES) for i in range(6)]
    html = client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": files}).content.decode()
    assert "حداکثر ۵ پیوست" in html
    assert "حداکثر 5" not in html

    html = client.post(FILE_URL, factories.filing_form_data(service, subject="ب" * 250)).content.decode()
    assert "۲۰۰" in html and "۲۵۰" in html  # Django's "at most 200 characters (it has 250)"
    assert "(it has 250)" not in html and " 250" not in html


def test_messages_keep_links_and_entities_intact_while_digits_turn_persian():
    from django.utils.html import format_html

    from sajad.templatetags.sajad_tags import fa_digits

    html = fa_digits(format_html('<a href="/admin/case/12/">پرونده {}</a> &#39;3&#39;', 45))
    assert html == '<a href="/admin/case/12/">پرونده ۴۵</a> &#39;۳&#39;'
