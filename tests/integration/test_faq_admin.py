"""Editors manage the FAQ in admin; saving goes through the service, so search sees the edit."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from faq import services
from faq.models import FaqEntry
from faq.search import faq_search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("editor", password="x"))
    return client


@pytest.fixture
def category():
    return services.faq_category_create(name="وام", service=factories.service(name="وام شهریه"))


def test_an_entry_added_in_admin_is_normalised_and_found_by_search(editor_client, category):
    response = editor_client.post(
        reverse("admin:faq_faqentry_add"),
        {"category": category.pk, "question": "مي‌خواهم وام بگيرم", "answer": "در سامانه ثبت كنيد",
         "is_published": "on", "order": 0},
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.question == "می‌خواهم وام بگیرم"
    assert [e.pk for e in faq_search("میخواهم")] == [entry.pk]


def test_editing_in_admin_keeps_the_counters_and_reindexes(editor_client, category):
    entry = services.faq_entry_create(category=category, question="الف", answer="ب", is_published=True)
    FaqEntry.objects.filter(pk=entry.pk).update(helpful_yes=7, view_count=40)
    editor_client.post(
        reverse("admin:faq_faqentry_change", args=[entry.pk]),
        {"category": category.pk, "question": "تمدید معافیت", "answer": "ب", "is_published": "on",
         "order": 0},
    )
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.view_count) == (7, 40)
    assert [e.pk for e in faq_search("تمديد معافيت")] == [entry.pk]


def test_admin_lists_render_and_search_understands_arabic_letters(editor_client, category):
    entry = services.faq_entry_create(category=category, question="کارت دانشجویی", answer="x")
    response = editor_client.get(reverse("admin:faq_faqentry_changelist"), {"q": "كارت"})
    assert response.status_code == 200 and entry.question in response.content.decode()
    assert editor_client.get(reverse("admin:faq_faqcategory_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:faq_faqcategory_change", args=[category.pk])).status_code == 200
