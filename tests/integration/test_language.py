"""The portal speaks Persian whatever the browser prefers, and English only when chosen."""
import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_the_persian_rtl_portal(client):
    response = client.get("/complaints/track/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    assert response["Content-Language"] == "fa"


def test_english_is_available_when_the_visitor_chooses_it(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/complaints/track/")
    assert 'lang="en"' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_admin_login_is_persian_for_an_english_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'dir="rtl"' in response.content.decode()
