"""The working calendar in the database: shipped data, constraints, the admin and the loader."""
import datetime as dt

import jdatetime
import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse

from sajad.calendar import FRIDAY, SATURDAY, TEHRAN, THURSDAY
from sajad.calendar_store import load_calendar, recurring_dates
from sajad.models import Holiday, WorkingWeek

pytestmark = pytest.mark.django_db

SHIPPED_SOLAR_HOLIDAYS = {(1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22),
                          (12, 29)}


def jalali(y: int, m: int, d: int) -> dt.date:
    return jdatetime.date(y, m, d).togregorian()


@pytest.fixture
def superuser():
    return User.objects.create_superuser("calendar-admin", "cal@example.org", "x")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_migration_shipped_the_fixed_solar_holidays_of_iran():
    shipped = set(Holiday.objects.filter(recurring=True).values_list("jalali_month", "jalali_day"))
    assert shipped == SHIPPED_SOLAR_HOLIDAYS
    assert not Holiday.objects.filter(recurring=False).exists()  # lunar holidays are added per year


def test_the_migration_shipped_a_saturday_to_wednesday_week_from_half_past_seven_to_half_past_two():
    rows = list(WorkingWeek.objects.all())
    assert [row.weekday for row in rows] == [5, 6, 0, 1, 2, 3, 4]  # listed Saturday first
    working = {row.weekday for row in rows if row.is_working}
    assert working == {SATURDAY, 6, 0, 1, 2}
    assert {(row.start, row.end) for row in rows} == {(dt.time(7, 30), dt.time(14, 30))}


def test_the_loaded_calendar_has_nowruz_off_and_thursday_and_friday_off():
    cal = load_calendar(range(1404, 1407))
    assert not cal.is_working_day(dt.date(2026, 3, 21))  # 1 Farvardin 1405, a Saturday
    assert not cal.is_working_day(dt.date(2026, 3, 20))  # 29 Esfand 1404
    assert cal.is_working_day(dt.date(2026, 3, 25))  # 5 Farvardin 1405, a Wednesday
    thursday, friday = dt.date(2026, 9, 24), dt.date(2026, 9, 25)
    assert (thursday.weekday(), friday.weekday()) == (THURSDAY, FRIDAY)
    assert not cal.is_working_day(thursday) and not cal.is_working_day(friday)


def test_esfand_30_recurs_only_in_leap_years():
    Holiday.objects.create(name="آزمایشی", recurring=True, jalali_month=12, jalali_day=30)
    assert recurring_dates(12, 30, range(1403, 1405)) == [jalali(1403, 12, 30)]  # 1403 is leap
    cal = load_calendar(range(1403, 1405))
    assert jalali(1403, 12, 30) in cal.holidays
    assert jalali(1405, 1, 1) - dt.timedelta(days=1) == jalali(1404, 12, 29)  # no 30 Esfand 1404


def test_a_holiday_is_either_recurring_or_dated_never_both():
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(
            name="x", recurring=True, jalali_month=1, jalali_day=5, date=dt.date(2026, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(name="x", recurring=False)


def test_the_database_refuses_impossible_jalali_days_and_duplicates():
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(name="x", recurring=True, jalali_month=7, jalali_day=31)
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(name="x", recurring=True, jalali_month=1, jalali_day=1)  # Nowruz again
    Holiday.objects.create(name="عید فطر", date=dt.date(2026, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(name="تکراری", date=dt.date(2026, 3, 20))


def test_a_working_day_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingWeek.objects.filter(weekday=SATURDAY).update(start=dt.time(15), end=dt.time(8))


def test_a_one_off_holiday_entered_in_admin_by_persian_jalali_date_moves_deadlines(admin_client):
    # 25 Farvardin 1405 is Monday 14 April 2026; before the holiday it is an ordinary working day.
    monday = dt.date(2026, 4, 14)
    start = dt.datetime(2026, 4, 13, 14, 0, tzinfo=TEHRAN)  # Sunday, half an hour before closing
    before = load_calendar()
    assert before.is_working_day(monday)
    assert before.add_working_minutes(start, 60) == dt.datetime(2026, 4, 14, 8, 0, tzinfo=TEHRAN)

    response = admin_client.post(
        reverse("admin:sajad_holiday_add"),
        {"name": "تعطیلی آزمایشی", "recurring": "", "jalali_month": "", "jalali_day": "",
         "date": "۱۴۰۵/۰۱/۲۵"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = Holiday.objects.get(name="تعطیلی آزمایشی")
    assert holiday.date == monday and not holiday.recurring

    after = load_calendar()
    assert not after.is_working_day(monday)
    assert after.add_working_minutes(start, 60) == dt.datetime(2026, 4, 15, 8, 0, tzinfo=TEHRAN)


def test_the_admin_refuses_a_date_that_is_not_jalali(admin_client):
    response = admin_client.post(
        reverse("admin:sajad_holiday_add"),
        {"name": "نادرست", "date": "۱۴۰۵/۱۳/۰۱"},
    )
    assert response.status_code == 200
    assert not Holiday.objects.filter(name="نادرست").exists()
    assert response.context["adminform"].form.errors["date"]


def test_the_admin_adds_a_recurring_holiday_by_month_and_day(admin_client):
    response = admin_client.post(
        reverse("admin:sajad_holiday_add"),
        {"name": "روز آزمایشی", "recurring": "on", "jalali_month": "8", "jalali_day": "10", "date": ""},
    )
    assert response.status_code == 302
    assert load_calendar(range(1405, 1406)).is_holiday(jalali(1405, 8, 10))


def test_the_admin_shows_holidays_in_jalali_with_persian_digits(admin_client):
    Holiday.objects.create(name="تعطیلی آزمایشی", date=dt.date(2026, 4, 14))
    listing = admin_client.get(reverse("admin:sajad_holiday_changelist")).content.decode()
    assert "۲۵ فروردین ۱۴۰۵" in listing
    assert "2026-04-14" not in listing
    holiday = Holiday.objects.get(name="تعطیلی آزمایشی")
    form = admin_client.get(reverse("admin:sajad_holiday_change", args=[holiday.pk])).content.decode()
    assert 'value="۱۴۰۵/۰۱/۲۵"' in form


def test_the_admin_edits_the_working_week_and_the_loader_follows(admin_client):
    saturday = WorkingWeek.objects.get(weekday=SATURDAY)
    response = admin_client.post(
        reverse("admin:sajad_workingweek_change", args=[saturday.pk]),
        {"is_working": "on", "start": "08:00", "end": "12:00"},
    )
    assert response.status_code == 302
    assert load_calendar().week[SATURDAY] == ((dt.time(8), dt.time(12)),)


def test_the_admin_will_not_switch_off_the_last_working_day(admin_client):
    WorkingWeek.objects.exclude(weekday=SATURDAY).update(is_working=False)
    saturday = WorkingWeek.objects.get(weekday=SATURDAY)
    response = admin_client.post(
        reverse("admin:sajad_workingweek_change", args=[saturday.pk]),
        {"start": "07:30", "end": "14:30"},
    )
    assert response.status_code == 200
    assert WorkingWeek.objects.get(weekday=SATURDAY).is_working
    assert admin_client.get(reverse("admin:sajad_workingweek_add")).status_code == 403
