"""Surveys: versions, frozen questions, answering by public link and by invitation token."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sajad.errors import DomainError
from surveys import services
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.views.public import BROWSER_COOKIE
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {"q_csat": "4", "q_need": "2"}


def post_data(survey, **overrides):
    by_kind = {q.kind: q for q in survey.questions.all()}
    data = {f"q{by_kind['csat'].pk}": "4", f"q{by_kind['need_met'].pk}": "2"}
    if "text" in by_kind:
        data[f"q{by_kind['text'].pk}"] = "پرداخت كند بود"
    for kind, value in overrides.items():
        data[f"q{by_kind[kind].pk}"] = value
    return data


def invitation_for(survey, case=None):
    case = case or factories.filed_case().case
    return Invitation.objects.create(
        survey=survey, case=case, service=case.service, unit=case.service.unit, token=services.new_browser_id(),
        mobile=case.mobile, created_at=timezone.now(),
    )


def test_publishing_a_new_version_makes_it_the_only_current_one():
    first = factories.survey()
    second = services.survey_new_version(survey_id=first.pk)
    assert second.version == 2 and not second.is_published
    assert [q.text for q in second.questions.all()] == [q.text for q in first.questions.all()]
    services.survey_publish(survey_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert services.survey_get_public(slug=first.slug) == second


def test_a_survey_without_questions_cannot_be_published():
    survey = factories.survey(questions=[], publish=False)
    with pytest.raises(DomainError):
        services.survey_publish(survey_id=survey.pk)


def test_the_database_refuses_two_current_surveys_for_one_service():
    first = factories.survey()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(service=first.service, title="x", slug="other", is_published=True, is_current=True)


def test_questions_of_a_version_with_answers_cannot_change(client):
    survey = factories.survey()
    client.get(reverse("surveys:public", args=[survey.slug]))
    client.post(reverse("surveys:public", args=[survey.slug]), post_data(survey))
    question = survey.questions.first()
    question.text = "تغییر"
    with pytest.raises(Exception, match="cannot change"), transaction.atomic():
        question.save()
    with pytest.raises(Exception, match="cannot change"), transaction.atomic():
        Question.objects.create(survey=survey, kind="text", text="سؤال تازه")
    assert services.survey_questions_locked(survey=survey)


def test_a_public_answer_is_stored_one_row_per_question_with_the_service(client):
    survey = factories.survey()
    url = reverse("surveys:public", args=[survey.slug])
    page = client.get(url)
    assert page.status_code == 200 and BROWSER_COOKIE in page.cookies
    answered = client.post(url, post_data(survey))
    assert answered.status_code == 200
    response = Response.objects.get()
    assert (response.service, response.unit, response.channel) == (survey.service, survey.service.unit, "public")
    rows = {a.kind: a for a in Answer.objects.all()}
    assert set(rows) == {"csat", "need_met", "text"}
    assert rows["csat"].value == 4 and rows["csat"].service == survey.service
    assert rows["text"].text == "پرداخت کند بود"


def test_the_same_browser_cannot_answer_twice(client):
    survey = factories.survey()
    url = reverse("surveys:public", args=[survey.slug])
    client.get(url)
    client.post(url, post_data(survey))
    again = client.post(url, post_data(survey))
    assert again.status_code == 400
    assert "قبلاً" in again.content.decode()
    assert Response.objects.count() == 1
    assert "قبلاً" in client.get(url).content.decode()


def test_a_missing_required_answer_shows_a_persian_message_and_stores_nothing(client):
    survey = factories.survey()
    url = reverse("surveys:public", args=[survey.slug])
    client.get(url)
    data = post_data(survey)
    csat = survey.questions.get(kind="csat")
    del data[f"q{csat.pk}"]
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "لطفاً به این پرسش پاسخ دهید" in refused.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_out_of_range_value_is_refused(client):
    survey = factories.survey()
    url = reverse("surveys:public", args=[survey.slug])
    client.get(url)
    refused = client.post(url, post_data(survey, csat="6"))
    assert refused.status_code == 400 and not Response.objects.exists()


def test_a_closed_window_refuses_answers(client):
    survey = factories.survey(closes_at=timezone.now() - dt.timedelta(days=1),
                              opens_at=timezone.now() - dt.timedelta(days=30))
    url = reverse("surveys:public", args=[survey.slug])
    assert "در حال حاضر" in client.get(url).content.decode()
    refused = client.post(url, post_data(survey))
    assert refused.status_code == 400 and not Response.objects.exists()


def test_without_the_cookie_the_answer_is_refused(client):
    survey = factories.survey()
    refused = client.post(reverse("surveys:public", args=[survey.slug]), post_data(survey))
    assert refused.status_code == 400 and not Response.objects.exists()


def test_an_invitation_token_answers_once_and_links_the_case(client, people):
    survey = factories.handling_survey()
    invitation = invitation_for(survey)
    url = reverse("surveys:invited", args=[invitation.token])
    assert client.get(url).status_code == 200
    assert client.post(url, post_data(survey)).status_code == 200
    response = Response.objects.get()
    assert (response.case, response.channel, response.invitation) == (invitation.case, "invitation", invitation)
    assert Answer.objects.filter(case=invitation.case).count() == 3
    again = client.post(url, post_data(survey))
    assert again.status_code == 400 and "استفاده شده" in again.content.decode()
    assert Response.objects.count() == 1


def test_an_unknown_token_is_refused(client):
    factories.handling_survey()
    page = client.get(reverse("surveys:invited", args=["not-a-token"]))
    assert page.status_code == 404 and "معتبر نیست" in page.content.decode()


def test_admin_shows_the_question_editor_and_locks_it_once_answered(client, monitoring_unit):
    from django.contrib.auth.models import User

    admin_user = User.objects.create_superuser("root", "r@example.com", "x")
    survey = factories.survey()
    client.force_login(admin_user)
    page = client.get(reverse("admin:surveys_survey_change", args=[survey.pk]))
    assert page.status_code == 200 and 'name="questions-0-text"' in page.content.decode()
    Response.objects.create(survey=survey, channel="public", submitted_at=timezone.now())
    locked = client.get(reverse("admin:surveys_survey_change", args=[survey.pk])).content.decode()
    assert 'name="questions-0-text"' not in locked
    changed = client.post(reverse("admin:surveys_survey_changelist"),
                          {"action": "new_version", "_selected_action": [survey.pk]})
    assert changed.status_code == 302
    assert Survey.objects.get(slug=survey.slug, version=2).questions.count() == 7
