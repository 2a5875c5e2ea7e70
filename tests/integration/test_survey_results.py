"""Results match hand-computed figures; the privacy floor hides small groups; exports read back.

The fixture: ten responses in Mehr 1405 (one service), four in Aban 1405.
  CSAT  5 5 4 4 4 3 2 1 5 4  -> 7 of 10 answer 4–5: 70 %, ±1.96·√(.7·.3/10) = ±28.4
  NPS  10 9 9 8 7 6 5 10 0 3 -> 4 promoters, 4 detractors: 0, ±1.96·√((.4+.4−0)/10) = ±55.4
  CES   1 2 3 4 5 6 7 2 2 3  -> mean 3.5, s² = (157 − 10·3.5²)/9 = 3.833, ±1.96·s/√10 = ±1.21
  need  2 2 2 1 1 0 2 2 0 1  -> 5 of 10 fully: 50 %, ±1.96·√(.25/10) = ±31.0
"""
import csv
import datetime as dt
import io
import secrets

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from surveys import results, services
from surveys.models import SurveyKind
from tests import factories

pytestmark = pytest.mark.django_db

CSAT = [5, 5, 4, 4, 4, 3, 2, 1, 5, 4]
NPS = [10, 9, 9, 8, 7, 6, 5, 10, 0, 3]
CES = [1, 2, 3, 4, 5, 6, 7, 2, 2, 3]
NEED = [2, 2, 2, 1, 1, 0, 2, 2, 0, 1]
TEXTS = ["پرداخت كند بود", "کارکنان مؤدب بودند", "", "", "", "", "", "", "", "صف طولانی"]
MEHR = results.month(1405, 7)
ABAN = results.month(1405, 8)


def answer(survey, day_start, hour, **values):
    by_kind = {q.kind: q for q in survey.questions.all()}
    data = QueryDict(mutable=True)
    for kind, value in values.items():
        if value != "":
            data[f"q{by_kind[kind].pk}"] = str(value)
    now = day_start.replace(hour=hour)
    services.response_submit_public(slug=survey.slug, data=data, browser_id=secrets.token_hex(8), now=now)


@pytest.fixture
def fixture_survey():
    survey = factories.survey()
    start = MEHR.bounds()[0]
    for i in range(10):
        answer(survey, start.replace(day=start.day) + __import__("datetime").timedelta(days=i), 10,
               csat=CSAT[i], nps=NPS[i], ces=CES[i], need_met=NEED[i], text=TEXTS[i])
    aban = ABAN.bounds()[0]
    for i in range(4):
        answer(survey, aban, 9 + i, csat=5, need_met=2)
    return survey


def scope_of(survey):
    return results.Scope(kind=SurveyKind.SERVICE, service_id=survey.service_id)


def test_summary_matches_the_hand_computed_figures(fixture_survey):
    mehr, aban = results.summaries(scope=scope_of(fixture_survey), periods=[MEHR, ABAN])
    assert mehr.responses == 10
    assert (mehr.csat.n, mehr.csat.value, mehr.csat.margin) == (10, 70.0, 28.4)
    assert (mehr.nps.n, mehr.nps.value, mehr.nps.margin) == (10, 0.0, 55.4)
    assert (mehr.ces.n, mehr.ces.value, mehr.ces.margin) == (10, 3.5, 1.21)
    assert (mehr.resolved.n, mehr.resolved.value, mehr.resolved.margin) == (10, 50.0, 31.0)
    # Aban has four responses: under the privacy floor nothing is computed.
    assert aban.responses == 4 and aban.below_floor
    assert aban.csat.value is None and aban.resolved.value is None and aban.response_rate is None


def test_per_question_mean_and_distribution(fixture_survey):
    figures = {f.question.kind: f for f in results.question_figures(
        scope=scope_of(fixture_survey), period=MEHR, survey=fixture_survey)}
    csat = figures["csat"]
    assert csat.n == 10 and csat.mean.value == 3.7
    # s² = (153 − 10·3.7²)/9 = 1.789 ; ±1.96·√(1.789/10) = ±0.83
    assert csat.mean.margin == 0.83
    assert [(label, count) for label, count, _ in csat.distribution] == [
        ("۱", 1), ("۲", 1), ("۳", 1), ("۴", 4), ("۵", 3)]
    need = figures["need_met"]
    assert [count for _, count, _ in need.distribution] == [5, 3, 2]  # fully, partly, not at all
    assert figures["single"].n == 0 and figures["single"].below_floor


def test_multiple_choice_counts_each_ticked_option(monitoring_unit):
    survey = factories.survey(questions=[("csat", "رضایت", True, ""), ("multiple", "مشکل", False, "الف\nب\nج")])
    multiple = survey.questions.get(kind="multiple")
    csat = survey.questions.get(kind="csat")
    for ticks in (["1", "3"], ["3"], ["1", "2", "3"], ["2"], ["3"]):
        data = QueryDict(mutable=True)
        data[f"q{csat.pk}"] = "4"
        data.setlist(f"q{multiple.pk}", ticks)
        services.response_submit_public(slug=survey.slug, data=data, browser_id=secrets.token_hex(8))
    period = results.date_range(*(2 * [__import__("django.utils.timezone", fromlist=["x"]).localdate()]))
    figures = {f.question.kind: f for f in results.question_figures(scope=scope_of(survey), period=period,
                                                                     survey=survey)}
    assert [(label, count) for label, count, _ in figures["multiple"].distribution] == [
        ("الف", 2), ("ب", 2), ("ج", 4)]


def test_free_text_search_is_persian_normalised(fixture_survey):
    count, texts = results.free_text(scope=scope_of(fixture_survey), period=MEHR, query="كند")
    assert count == 1 and texts[0].text == "پرداخت کند بود"
    assert results.free_text(scope=scope_of(fixture_survey), period=MEHR)[0] == 3
    assert results.free_text(scope=scope_of(fixture_survey), period=ABAN) == (0, [])


def test_the_handling_figures_do_not_mix_with_the_service_survey(fixture_survey):
    handling = results.summaries(scope=results.Scope(kind=SurveyKind.HANDLING,
                                                     service_id=fixture_survey.service_id), periods=[MEHR])[0]
    assert handling.responses == 0


@pytest.fixture
def monitor_client(client, monitoring_unit):
    client.force_login(factories.monitoring_user())
    return client


def test_the_results_page_shows_figures_and_the_floor(monitor_client, fixture_survey):
    url = reverse("surveys_staff:service_results", args=[fixture_survey.service.slug])
    page = monitor_client.get(url, {"period": "month", "y": 1405, "m": 7}).content.decode()
    assert "۷۰.۰٪" in page and "±۲۸.۴" in page and "مهر ۱۴۰۵" in page
    assert 'id="trend-chart"' in page and "vendor/chartjs/chart.umd.min.js" in page
    floor = monitor_client.get(url, {"period": "month", "y": 1405, "m": 8}).content.decode()
    assert "کمتر از ۵ پاسخ" in floor and "±" not in floor.split("sr-floor")[1].split("</p>")[0]


def test_outsiders_and_unit_staff_get_404(client, fixture_survey, unit):
    url = reverse("surveys_staff:service_results", args=[fixture_survey.service.slug])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(factories.unit_user(unit))
    assert client.get(url).status_code in (302, 404)


def test_excel_and_csv_read_back_with_jalali_dates(monitor_client, fixture_survey):
    url = reverse("surveys_staff:service_results", args=[fixture_survey.service.slug])
    xlsx = monitor_client.get(url, {"period": "quarter", "y": 1405, "q": 3, "export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    header = summary[1]
    rows = {row[0]: dict(zip(header, row)) for row in summary[2:] if row[0] and "1405" in str(row[0])}
    autumn = rows["پاییز 1405"]  # files are read by programs: ASCII digits throughout
    assert autumn["از"] == "1405/07/01" and autumn["تا"] == "1405/09/30"
    assert autumn["پاسخ‌ها"] == 14
    assert autumn["رضایت (CSAT ٪)"] == round(100 * 11 / 14, 1)
    texts = list(book.worksheets[2].iter_rows(values_only=True))[1:]
    assert texts == [("1405/07/10", "صف طولانی"), ("1405/07/02", "کارکنان مؤدب بودند"),
                     ("1405/07/01", "پرداخت کند بود")]
    csv_response = monitor_client.get(url, {"period": "month", "y": 1405, "m": 7, "export": "csv"})
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    mehr = next(line for line in lines if line and line[0] == "مهر 1405")
    assert mehr[1:3] == ["1405/07/01", "1405/07/30"] and mehr[6] == "70.0"


def test_the_sla_page_links_the_survey_and_shows_last_months_satisfaction_with_n(client, monitoring_unit):
    from dashboards.public_figures import sla_page_period
    from sajad.calendar import TEHRAN

    survey = factories.survey()
    url = reverse("services:detail", args=[survey.service.slug])
    page = client.get(url).content.decode()
    assert f'href="/surveys/{survey.slug}/"' in page and 'id="figure-satisfaction"' not in page
    for value in (5, 4, 4, 2, 1, 5):  # this month: not the month the SLA page reports
        answer_now(survey, csat=value, need_met=2)
    assert 'id="figure-satisfaction"' not in client.get(url).content.decode()
    last_month = dt.datetime.combine(sla_page_period().first_day, dt.time(12), TEHRAN)
    factories.survey_answers(survey, last_month, csat=(5, 4, 4, 2, 1, 5), need_met=(2,) * 6)
    page = client.get(url).content.decode()  # 4 of 6 satisfied: 67 %
    assert "۶۷٪" in page and "(n=۶)" in page


def answer_now(survey, **values):
    by_kind = {q.kind: q for q in survey.questions.all()}
    data = QueryDict(mutable=True)
    for kind, value in values.items():
        data[f"q{by_kind[kind].pk}"] = str(value)
    services.response_submit_public(slug=survey.slug, data=data, browser_id=secrets.token_hex(8))


def test_handling_results_per_unit_count_invitations_and_the_response_rate(monitor_client, unit):
    from surveys.models import Invitation

    handling = factories.handling_survey()
    other = factories.unit(name="واحد دیگر")
    for n in range(6):
        target = unit if n < 5 else other
        case = factories.filed_case(service_=factories.service(unit_=target)).case
        Invitation.objects.create(survey=handling, case=case, service=case.service, unit=target,
                                  token=secrets.token_hex(8), mobile="0912000000%d" % n,
                                  created_at=__import__("django.utils.timezone", fromlist=["x"]).now())
    by_kind = {q.kind: q for q in handling.questions.all()}
    for invitation in Invitation.objects.filter(unit=unit):
        data = QueryDict(mutable=True)
        data[f"q{by_kind['csat'].pk}"] = "5"
        data[f"q{by_kind['need_met'].pk}"] = "2"
        services.response_submit_invited(token=invitation.token, data=data)
    today = results.current_jalali()
    page = monitor_client.get(reverse("surveys_staff:handling_results"),
                              {"unit": unit.pk, "y": today.year, "m": today.month}).content.decode()
    assert "۱۰۰.۰٪" in page  # 5 responses to 5 invitations of this unit
    scope = results.Scope(kind=SurveyKind.HANDLING, unit_id=other.pk)
    (summary,) = results.summaries(scope=scope, periods=[results.month(today.year, today.month)])
    assert (summary.invitations, summary.responses, summary.below_floor) == (1, 0, True)


def test_the_daily_summaries_kept_with_each_response_match_a_rebuild(fixture_survey):
    from surveys import rollups
    from surveys.models import AnswerDay, ResponseDay

    def snapshot():
        return (sorted(AnswerDay.objects.values_list("day", "question_id", "service_id", "unit_id", "value", "n")),
                sorted(ResponseDay.objects.values_list("day", "survey_id", "service_id", "channel", "n")))

    kept = snapshot()
    assert kept[0] and kept[1]
    rollups.rebuild()
    assert snapshot() == kept
