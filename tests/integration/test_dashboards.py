"""Dashboard pages: who may see them, what they show, scorecards against a hand-computed fixture,
the Excel export read back, and the public statistics with the privacy floor."""
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import services
from dashboards import rollups
from dashboards.models import DailyCaseRollup, DailyClockStat
from dashboards.periods import Period, current_period, period_containing
from dashboards.scorecards import unit_scorecard
from sajad.persian import to_persian_digits
from surveys import rollups as survey_rollups
from surveys.models import Answer, Response
from tests import factories

pytestmark = pytest.mark.django_db

LATER = timezone.now() + dt.timedelta(days=400)
MONTH = Period("month", 1405, 7)  # مهر ۱۴۰۵
PREVIOUS = MONTH.previous()


def _rollup(unit, service, day, **counts):
    DailyCaseRollup.objects.create(day=day, unit=unit, service=service, kind="complaint", **counts)


def _clock(unit, service, day, *, bucket, stopped, minutes, on_time, clock="unit_answer"):
    DailyClockStat.objects.create(day=day, unit=unit, service=service, kind="complaint", clock=clock,
                                  bucket=bucket, stopped=stopped, minutes=minutes, on_time=on_time)


def _handling_answers(unit, service, when, values, kind="csat"):
    survey = factories.handling_survey(slug=f"handling-{kind}-{unit.pk}-{when:%j}")
    question = survey.questions.get(kind=kind)
    for n, value in enumerate(values):
        response = Response.objects.create(survey=survey, unit=unit, service=service, channel="public",
                                           browser_key=f"b{n}", submitted_at=when)
        Answer.objects.create(response=response, question=question, survey=survey, kind=kind,
                              value=value, unit=unit, service=service, channel="public",
                              answered_at=when)
    survey_rollups.rebuild()  # rows written directly: bring the survey summaries up to date


@pytest.fixture
def scored_unit(unit, service):
    """Hand-computed: in Mehr 1405 the unit received 10, answered 8 (6 on time), escalated 2,
    returned 1, one objection upheld, none reopened; answer times: 4 in 60–120 min and 4 in
    420–630 min, so the median is the top of the 60–120 bucket (120); handling CSAT 5 answers,
    4 of them 4 or 5 (80 %). In Shahrivar it received 5 and answered 4, 2 on time."""
    other = factories.unit(name="واحد دیگر")
    day, before = MONTH.first_day + dt.timedelta(days=3), PREVIOUS.first_day + dt.timedelta(days=3)
    _rollup(unit, service, day, routed=10, answered=8, escalated=2, returned=1, upheld=1)
    _clock(unit, service, day, bucket=3, stopped=4, minutes=4 * 90, on_time=4)
    _clock(unit, service, day, bucket=9, stopped=4, minutes=4 * 500, on_time=2)
    _rollup(unit, service, before, routed=5, answered=4)
    _clock(unit, service, before, bucket=9, stopped=4, minutes=4 * 500, on_time=2)
    _rollup(other, service, day, routed=20, answered=10)
    _clock(other, service, day, bucket=9, stopped=10, minutes=10 * 500, on_time=10)
    moment = dt.datetime.combine(day, dt.time(10), dt.timezone.utc)
    _handling_answers(unit, service, moment, [5, 4, 4, 5, 2])
    return unit


def test_periods_follow_the_jalali_calendar():
    assert (MONTH.first_day, MONTH.last_day) == (dt.date(2026, 9, 23), dt.date(2026, 10, 22))
    assert Period("quarter", 1405, 3).months()[0] == Period("month", 1405, 7)
    assert Period("month", 1405, 1).previous() == Period("month", 1404, 12)
    assert period_containing(dt.date(2026, 11, 24)) == Period("month", 1405, 9)
    assert MONTH.label == "مهر ۱۴۰۵"
    with pytest.raises(ValueError):
        Period("month", 1405, 13)


def test_the_scorecard_matches_the_hand_computed_fixture(scored_unit):
    card = unit_scorecard(unit=scored_unit, period=MONTH)
    f = {fig.key: fig for fig in card.figures}
    assert (f["received"].value, f["received"].previous, f["received"].org_average) == (10, 5, 15)
    assert (f["answered"].value, f["answered"].previous) == (8, 4)
    assert f["on_time_percent"].value == 75 and f["on_time_percent"].previous == 50
    assert f["on_time_percent"].org_average == (75 + 100) / 2
    assert f["median_answer_minutes"].value == 120
    assert (f["escalated"].value, f["returned"].value, f["upheld"].value, f["reopened"].value) == (2, 1, 1, 0)
    assert f["csat_percent"].value == 80 and f["csat_percent"].previous is None
    assert f["resolved_percent"].value is None  # no need-met answers: no figure
    assert f["on_time_percent"].trend == "better" and f["escalated"].trend == "worse"
    assert f["on_time_percent"].value_display == to_persian_digits("75٪")


def test_the_privacy_floor_hides_satisfaction_under_five_answers(unit, service):
    day = MONTH.first_day
    _rollup(unit, service, day, routed=1)
    _handling_answers(unit, service, dt.datetime.combine(day, dt.time(10), dt.timezone.utc), [5, 5, 5, 5])
    card = unit_scorecard(unit=unit, period=MONTH)
    assert card.figure("csat_percent").value is None


def test_monitoring_reads_any_units_scorecard_and_downloads_it_as_excel(client, scored_unit):
    client.force_login(factories.monitoring_user())
    url = reverse("dashboards:scorecards")
    page = client.get(url, {"unit": scored_unit.pk, "period": MONTH.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert "مهر ۱۴۰۵" in html and scored_unit.name in html and to_persian_digits("75٪") in html
    sheet = client.get(url, {"unit": scored_unit.pk, "period": MONTH.slug, "export": "xlsx"})
    book = load_workbook(io.BytesIO(sheet.content))
    rows = [tuple(v for v in r if v is not None) for r in book.active.iter_rows(values_only=True)]
    # A file for programs: ASCII digits and figures as numbers that a spreadsheet can sum.
    assert rows[1] == ("دوره", "مهر 1405")
    assert re.fullmatch(r"[0-9]{4}/[0-9]{2}/[0-9]{2}", rows[2][1])  # made on, a Jalali date
    assert ("پاسخ به‌موقع (٪)", 75, 50, 87.5) in rows  # the page rounds it to ۸۸٪


def test_the_head_sees_only_the_own_units_scorecard_on_the_desk(client, scored_unit, service):
    other = factories.unit(name="واحد سوم")
    client.force_login(factories.unit_user(scored_unit, is_head=True))
    page = client.get(reverse("dashboards:desk_scorecard"), {"period": MONTH.slug, "unit": other.pk})
    assert page.status_code == 200
    assert scored_unit.name in page.content.decode() and other.name not in page.content.decode()
    client.force_login(factories.monitoring_user())
    assert client.get(reverse("dashboards:desk_scorecard")).status_code == 403


def test_the_dashboard_is_for_the_monitoring_unit_only(client, unit):
    url = reverse("dashboards:monitoring")
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(factories.unit_user(unit))
    assert client.get(url).status_code == 302  # unit staff are not admin users
    staff_without_role = factories.staff_user(role=None)
    client.force_login(staff_without_role)
    assert client.get(url).status_code == 404


def test_the_dashboard_page_shows_the_log_without_reading_the_case_table(client, unit, service, people):
    for _ in range(3):
        case = factories.filed_case(service_=service).case
        services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    rollups.rollups_update_all(now=LATER)
    client.force_login(people["monitoring"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboards:monitoring"))
    assert page.status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not re.search(r'"?complaints_case"?(?!\w)', sql)
    html = page.content.decode()
    assert "داشبورد نظارت" in html and unit.name in html and 'id="trend-chart"' in html


def test_an_unknown_period_falls_back_to_the_current_month(client, people):
    client.force_login(people["monitoring"])
    page = client.get(reverse("dashboards:monitoring"), {"period": "month-1405-13"})
    assert page.status_code == 200 and current_period("month").label in page.content.decode()


def test_the_public_statistics_show_each_services_month_and_hide_small_groups(client, unit, service):
    month = current_period("month").previous()
    day = month.first_day + dt.timedelta(days=1)
    _rollup(unit, service, day, filed=12)
    _clock(unit, service, day, bucket=3, stopped=2, minutes=180, on_time=2, clock="first_response")
    _clock(unit, service, day, bucket=3, stopped=4, minutes=360, on_time=3)
    survey = factories.survey(service_=service, slug="loans")
    moment = dt.datetime.combine(day, dt.time(10), dt.timezone.utc)
    factories.survey_answers(survey, moment, csat=(5, 4, 3))
    page = client.get(reverse("dashboards:statistics"), {"period": month.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert service.name in html and month.label in html
    assert to_persian_digits("12") in html and to_persian_digits("75٪") in html
    assert "n=" + to_persian_digits("3") not in html  # three answers: under the floor
    factories.survey_answers(survey, moment, csat=(5, 5))
    html = client.get(reverse("dashboards:statistics"), {"period": month.slug}).content.decode()
    assert to_persian_digits("80٪") in html and "n=" + to_persian_digits("5") in html


def test_the_public_statistics_open_on_the_last_full_month(client, unit, service):
    last_month = current_period("month").previous()
    html = client.get(reverse("dashboards:statistics")).content.decode()
    selected = re.search(r'<option[^>]*value="([^"]+)"[^>]*selected', html)
    assert selected and selected.group(1) == last_month.slug
    this_month = client.get(reverse("dashboards:statistics"),
                            {"period": current_period("month").slug}).content.decode()
    assert re.search(r'<option[^>]*value="%s"[^>]*selected' % current_period("month").slug, this_month)


def test_the_dashboard_lists_flagged_services_and_units_yet_to_report(client, unit, service, people):
    from surveys.models import AlarmEpisode
    from unit_reports import services as report_services

    AlarmEpisode.objects.create(service=service, rules=["p_chart"], week_start=dt.date(2026, 11, 14),
                                opened_at=timezone.now())
    quiet = factories.service(unit_=unit, name="خدمت آرام")
    AlarmEpisode.objects.create(service=quiet, rules=["cusum"], week_start=dt.date(2026, 10, 3),
                                opened_at=timezone.now() - dt.timedelta(days=40),
                                closed_at=timezone.now() - dt.timedelta(days=20))
    late_unit = factories.unit(name="واحد بدون گزارش")
    call = factories.report_call(units=[unit, late_unit])
    head = factories.unit_user(unit, is_head=True)
    report = report_services.report_save(
        call=call, unit=unit, actor=head, self_assessment="خوب",
        answers={section.pk: "انجام شد" for section in call.sections.all()})
    report_services.report_submit(report_id=report.pk, actor=head)
    client.force_login(people["monitoring"])
    html = client.get(reverse("dashboards:monitoring")).content.decode()
    flagged = html.split("خدمت‌هایی که پایش نظرسنجی علامت زده است")[1].split("</div>")[0]
    assert service.name in flagged and quiet.name not in flagged
    calls = html.split("فراخوان‌های گزارش عملکرد")[1].split("</div>")[0]
    assert call.title in calls and late_unit.name in calls and unit.name not in calls


def test_a_subject_word_far_above_its_usual_week_is_rising_and_repeat_filers_are_listed():
    from dashboards.dashboard import repeat_filers, rising_topics
    from dashboards.models import DailyFilerCount, DailyTermCount

    today = dt.date(2026, 11, 24)
    for weeks_back in range(1, 9):  # a usual week: two mentions of «خوابگاه», twenty of «وام»
        day = today - dt.timedelta(weeks=weeks_back)
        DailyTermCount.objects.create(day=day, term="خوابگاه", count=2)
        DailyTermCount.objects.create(day=day, term="وام", count=20)
    DailyTermCount.objects.create(day=today, term="خوابگاه", count=9)
    DailyTermCount.objects.create(day=today, term="وام", count=22)
    DailyTermCount.objects.create(day=today, term="نوبتدهی", count=2)  # under the minimum count
    assert [t.term for t in rising_topics(today=today)] == ["خوابگاه"]
    for offset, n in ((0, 2), (3, 1), (40, 5)):
        DailyFilerCount.objects.create(day=today - dt.timedelta(days=offset), mobile="09121111111", count=n)
    DailyFilerCount.objects.create(day=today, mobile="09122222222", count=2)
    assert repeat_filers(today=today) == [("09121111111", 3)]
