"""The public FAQ pages render in Persian, count views and votes once per visitor, and stay safe."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from faq import services
from faq.models import DeflectionClick, FaqEntry, FaqVote
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan_service():
    return factories.service(name="وام شهریه")


@pytest.fixture
def entry(loan_service):
    category = services.faq_category_create(name="درخواست وام", service=loan_service)
    return services.faq_entry_create(
        category=category, question="چگونه وام شهریه بگیرم؟",
        answer="در سامانه **ثبت‌نام** کنید.\n\n- کارت ملی\n- گواهی اشتغال به تحصیل",
        is_published=True,
    )


def vote(client, entry, helpful="yes", next_url="/faq/"):
    return client.post(reverse("faq:vote", args=[entry.pk]), {"helpful": helpful, "next": next_url})


def test_the_faq_index_renders_in_persian_right_to_left_with_the_most_useful_entries(client, entry):
    response = client.get("/faq/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert "پرسش‌های متداول" in html
    assert entry.question in html
    assert "<strong>ثبت‌نام</strong>" in html and "<li>کارت ملی</li>" in html
    assert "آیا این پاسخ مفید بود؟" in html
    assert reverse("faq:service", args=[entry.category.service.slug]) in html


def test_a_search_shows_matching_entries_and_says_so_when_nothing_matches(client, entry):
    response = client.get("/faq/", {"q": "وام شهريه"})
    assert response.status_code == 200 and entry.question in response.content.decode()
    response = client.get("/faq/", {"q": "گذرنامه"})
    assert entry.question not in response.content.decode()
    assert "پاسخی برای «گذرنامه» پیدا نشد" in response.content.decode()


def test_the_service_page_lists_its_categories_and_published_entries_only(client, entry):
    draft = services.faq_entry_create(
        category=entry.category, question="پرسش پیش‌نویس", answer="x", is_published=False
    )
    response = client.get(reverse("faq:service", args=[entry.category.service.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "درخواست وام" in html and entry.question in html and draft.question not in html


def test_an_inactive_or_unknown_service_page_is_not_found(client):
    hidden = factories.service(is_active=False)
    assert client.get(reverse("faq:service", args=[hidden.slug])).status_code == 404
    assert client.get("/faq/no-such-service/").status_code == 404


def test_a_page_view_is_counted_once_per_session(client, entry):
    url = reverse("faq:service", args=[entry.category.service.slug])
    client.get(url)
    client.get(url)
    assert FaqEntry.objects.get(pk=entry.pk).view_count == 1
    type(client)().get(url)
    assert FaqEntry.objects.get(pk=entry.pk).view_count == 2


def test_a_vote_is_counted_once_per_visitor(client, entry):
    first = vote(client, entry, "yes")
    second = vote(client, entry, "no")
    entry.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert (entry.helpful_yes, entry.helpful_no) == (1, 0)
    assert FaqVote.objects.filter(entry=entry).count() == 1


def test_a_visitor_without_a_session_gets_one_and_another_visitor_votes_separately(client, entry):
    assert "sessionid" not in client.cookies
    vote(client, entry, "yes")
    assert client.cookies["sessionid"].value
    vote(type(client)(), entry, "no")
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (1, 1)


def test_after_voting_the_page_thanks_the_visitor_instead_of_asking_again(client, entry):
    vote(client, entry, "yes")
    html = client.get("/faq/").content.decode()
    assert "آیا این پاسخ مفید بود؟" not in html


def test_the_database_refuses_a_second_vote_from_the_same_visitor(entry):
    FaqVote.objects.create(entry=entry, voter_key="k", helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FaqVote.objects.create(entry=entry, voter_key="k", helpful=False)


def test_an_unpublished_entry_cannot_be_voted_on(client, entry):
    services.faq_entry_update(entry=entry, is_published=False)
    assert vote(client, entry).status_code == 404


def test_voting_requires_post(client, entry):
    assert client.get(reverse("faq:vote", args=[entry.pk])).status_code == 405


def test_vote_redirects_back_to_a_local_next_url_only(client, entry):
    assert vote(client, entry, next_url="/faq/?q=x#faq-1")["Location"] == "/faq/?q=x#faq-1"
    other = type(client)()
    assert vote(other, entry, next_url="https://evil.example/")["Location"] == "/faq/"
    third = type(client)()
    assert vote(third, entry, next_url="//evil.example/")["Location"] == "/faq/"


def test_answered_click_is_counted_once_per_visitor_and_returns_to_a_safe_next(client, entry):
    url = reverse("faq:answered", args=[entry.pk])
    first = client.post(url, {"next": "/complaints/new/"})
    client.post(url, {"next": "https://evil.example/"})
    assert first["Location"] == "/complaints/new/"
    assert DeflectionClick.objects.filter(entry=entry).count() == 1
    type(client)().post(url)
    assert DeflectionClick.objects.filter(entry=entry).count() == 2


def test_a_script_in_an_answer_is_shown_as_text_on_the_page(client, entry):
    services.faq_entry_update(
        entry=entry, answer="<script>alert('x')</script> [بزن](javascript:alert(1))"
    )
    html = client.get("/faq/").content.decode()
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_the_search_page_runs_a_bounded_number_of_queries(client, entry, django_assert_max_num_queries):
    for n in range(5):
        services.faq_entry_create(
            category=entry.category, question=f"وام شماره {n}", answer="پاسخ", is_published=True
        )
    client.get("/faq/")  # creates the session once
    with django_assert_max_num_queries(8):
        client.get("/faq/", {"q": "وام"})
