"""Working-time arithmetic: worked examples from the organisation's week, then properties.

No database: the calendar is a pure object. Jalali dates are turned into Gregorian with jdatetime,
so the examples read the way the monitoring unit talks about them.
"""
import datetime as dt
import re

import jdatetime
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sajad import calendar as calendar_module
from sajad.calendar import (
    FRIDAY,
    SATURDAY,
    TEHRAN,
    THURSDAY,
    WEDNESDAY,
    WorkingCalendar,
    default_calendar,
)

UTC = dt.timezone.utc
TEHRAN_OFFSET = dt.timedelta(hours=3, minutes=30)
FIXED_SOLAR_HOLIDAYS = [(1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22),
                        (12, 29)]


def jalali(y: int, m: int, d: int) -> dt.date:
    return jdatetime.date(y, m, d).togregorian()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TEHRAN)


def solar_holidays(years=range(1400, 1412)) -> set[dt.date]:
    found = set()
    for year in years:
        for month, day in FIXED_SOLAR_HOLIDAYS:
            found.add(jalali(year, month, day))
    return found


@pytest.fixture
def office():
    """The organisation's default week with the fixed solar holidays of a dozen Jalali years."""
    return default_calendar(solar_holidays())


# --- worked examples --------------------------------------------------------------------------


def test_three_working_hours_from_wednesday_1pm_end_on_saturday_at_nine(office):
    # 13:00–14:30 Wednesday is 90 minutes; the other 90 start at 07:30 on Saturday: 09:00.
    filed = at(jalali(1405, 7, 8), 13)
    assert filed.weekday() == WEDNESDAY
    deadline = office.add_working_minutes(filed, 180)
    assert deadline == at(jalali(1405, 7, 11), 9)
    assert deadline.weekday() == SATURDAY
    assert office.working_minutes_between(filed, deadline) == 180


def test_the_thursday_friday_weekend_is_not_working_time(office):
    thursday, friday = at(jalali(1405, 7, 9), 10), at(jalali(1405, 7, 10), 10)
    assert (thursday.weekday(), friday.weekday()) == (THURSDAY, FRIDAY)
    assert not office.is_working_day(thursday.date()) and not office.is_working_day(friday.date())
    assert office.working_minutes_between(at(jalali(1405, 7, 8), 14, 30), at(jalali(1405, 7, 11), 7, 30)) == 0


def test_a_deadline_across_nowruz_1405_skips_the_six_days_off(office):
    # Wednesday 27 Esfand 1404 (18 March 2026), 13:00. Off: Thursday and Friday (29 Esfand, also a
    # holiday), then Nowruz 1–4 Farvardin 1405 = Saturday 21 … Tuesday 24 March. Next work: Wednesday
    # 5 Farvardin (25 March).
    filed = at(jalali(1404, 12, 27), 13)
    assert filed.date() == dt.date(2026, 3, 18)
    assert jalali(1405, 1, 1) == dt.date(2026, 3, 21) and jalali(1404, 12, 29) == dt.date(2026, 3, 20)
    days_off = [dt.date(2026, 3, 19) + dt.timedelta(days=i) for i in range(6)]
    assert [office.is_working_day(d) for d in days_off] == [False] * 6
    assert office.is_working_day(dt.date(2026, 3, 25))

    deadline = office.add_working_minutes(filed, 180)
    assert deadline == at(dt.date(2026, 3, 25), 9)  # 5 Farvardin 1405, 09:00


def test_five_working_days_across_nowruz_end_on_11_farvardin(office):
    # Day under way does not count; then 5 Farvardin (Wed), 8, 9, 10, 11 Farvardin (Sat–Tue).
    filed = at(jalali(1404, 12, 27), 13)
    assert office.add_working_days(filed, 5) == at(jalali(1405, 1, 11), 14, 30)
    # The sixth day skips 12 Farvardin (Wednesday, a holiday), 13 (Thursday) and Friday: 15 Farvardin.
    assert office.add_working_days(filed, 6) == at(jalali(1405, 1, 15), 14, 30)


def test_a_filing_on_friday_night_starts_counting_on_saturday_morning(office):
    friday_night = at(jalali(1405, 7, 10), 23, 40)
    assert friday_night.weekday() == FRIDAY
    assert office.next_working_instant(friday_night) == at(jalali(1405, 7, 11), 7, 30)
    assert office.add_working_minutes(friday_night, 1) == at(jalali(1405, 7, 11), 7, 31)
    assert office.add_working_minutes(friday_night, 60) == at(jalali(1405, 7, 11), 8, 30)
    assert office.add_working_days(friday_night, 1) == at(jalali(1405, 7, 11), 14, 30)


def test_a_deadline_that_fills_the_day_exactly_stays_at_its_end(office):
    wednesday_morning = at(jalali(1405, 7, 8), 7, 30)
    assert office.add_working_minutes(wednesday_morning, 420) == at(jalali(1405, 7, 8), 14, 30)
    assert office.add_working_minutes(wednesday_morning, 421) == at(jalali(1405, 7, 11), 7, 31)


def test_the_end_of_the_working_day_is_not_working_time(office):
    wednesday = jalali(1405, 7, 8)
    assert office.is_working_time(at(wednesday, 7, 30))
    assert office.is_working_time(at(wednesday, 14, 29))
    assert not office.is_working_time(at(wednesday, 14, 30))
    assert office.next_working_instant(at(wednesday, 14, 30)) == at(jalali(1405, 7, 11), 7, 30)


def test_a_working_day_counts_only_when_it_has_not_started_yet(office):
    saturday = jalali(1405, 7, 11)
    assert office.add_working_days(at(saturday, 6), 1) == at(saturday, 14, 30)
    assert office.add_working_days(at(saturday, 7, 30), 1) == at(saturday, 14, 30)
    assert office.add_working_days(at(saturday, 9), 1) == at(saturday + dt.timedelta(days=1), 14, 30)


def test_adding_zero_returns_the_start_itself(office):
    friday_night = at(jalali(1405, 7, 10), 23, 40)
    assert office.add_working_minutes(friday_night, 0) == friday_night
    assert office.add_working_days(friday_night, 0) == friday_night


def test_results_are_in_tehran_at_plus_three_thirty_without_daylight_saving(office):
    # Summer dates too: Iran stopped daylight saving time in 2022.
    for start in (dt.datetime(2026, 7, 1, 5, 0, tzinfo=UTC), at(jalali(1405, 1, 1), 0)):
        for result in (office.add_working_minutes(start, 500), office.add_working_days(start, 3)):
            assert result.tzinfo == TEHRAN
            assert result.utcoffset() == TEHRAN_OFFSET
            assert result.isoformat().endswith("+03:30")


def test_instants_in_other_zones_mean_the_same_moment(office):
    in_utc = dt.datetime(2026, 9, 30, 9, 30, tzinfo=UTC)  # 13:00 Tehran, a Wednesday
    assert office.add_working_minutes(in_utc, 180) == office.add_working_minutes(
        in_utc.astimezone(TEHRAN), 180
    )


def test_naive_datetimes_are_refused(office):
    naive = dt.datetime(2026, 10, 1, 9, 30)
    aware = at(dt.date(2026, 10, 1), 9)
    with pytest.raises(ValueError):
        office.add_working_minutes(naive, 10)
    with pytest.raises(ValueError):
        office.add_working_days(naive, 1)
    with pytest.raises(ValueError):
        office.working_minutes_between(naive, aware)
    with pytest.raises(ValueError):
        office.working_minutes_between(aware, aware + dt.timedelta(hours=1), pauses=[(naive, None)])


def test_negative_amounts_and_reversed_intervals_are_refused(office):
    start = at(dt.date(2026, 10, 1), 9)
    with pytest.raises(ValueError):
        office.add_working_minutes(start, -1)
    with pytest.raises(ValueError):
        office.add_working_days(start, -1)
    with pytest.raises(ValueError):
        office.working_minutes_between(start, start - dt.timedelta(minutes=1))
    with pytest.raises(ValueError):
        office.working_minutes_between(
            start, start + dt.timedelta(days=1), pauses=[(start + dt.timedelta(hours=2), start)]
        )


def test_a_calendar_without_any_working_hours_is_refused():
    with pytest.raises(ValueError):
        WorkingCalendar({}, ())


def test_overlapping_or_reversed_periods_are_refused():
    with pytest.raises(ValueError):
        WorkingCalendar({SATURDAY: [(dt.time(8), dt.time(12)), (dt.time(11), dt.time(13))]})
    with pytest.raises(ValueError):
        WorkingCalendar({SATURDAY: [(dt.time(12), dt.time(8))]})


def test_a_split_day_counts_both_periods_and_not_the_lunch_break():
    split = WorkingCalendar({SATURDAY: [(dt.time(13), dt.time(16)), (dt.time(8), dt.time(12))]})
    saturday = jalali(1405, 7, 11)
    assert split.add_working_minutes(at(saturday, 11), 90) == at(saturday, 13, 30)
    assert split.working_minutes_between(at(saturday, 0), at(saturday, 23)) == 7 * 60
    assert split.add_working_days(at(saturday, 0), 1) == at(saturday, 16)


def test_pauses_remove_only_the_working_time_they_cover(office):
    wednesday, saturday = jalali(1405, 7, 8), jalali(1405, 7, 11)
    start, end = at(wednesday, 8), at(saturday, 12)  # 390 + 270 working minutes
    assert office.working_minutes_between(start, end) == 660
    waiting = [(at(wednesday, 10), at(saturday, 9))]  # 270 on Wednesday, 90 on Saturday
    assert office.working_minutes_between(start, end, pauses=waiting) == 300
    overlapping = waiting + [(at(wednesday, 9), at(wednesday, 11)), (at(saturday, 8), at(saturday, 9))]
    assert office.working_minutes_between(start, end, pauses=overlapping) == 240
    still_waiting = [(at(saturday, 11), None)]
    assert office.working_minutes_between(start, end, pauses=still_waiting) == 600
    weekend_only = [(at(wednesday, 15), at(saturday, 7))]
    assert office.working_minutes_between(start, end, pauses=weekend_only) == 660


def test_partial_minutes_are_rounded_down(office):
    start = at(jalali(1405, 7, 8), 8)
    assert office.working_minutes_between(start, start + dt.timedelta(seconds=119)) == 1


def test_years_of_working_time_are_added_by_jumping_weeks_not_walking_days(office, monkeypatch):
    calls = []
    original = WorkingCalendar._periods

    def counting(self, day):
        calls.append(day)
        return original(self, day)

    start = at(jalali(1405, 7, 8), 13)
    ten_years = 10 * 250 * 420
    monkeypatch.setattr(WorkingCalendar, "_periods", counting)
    deadline = office.add_working_minutes(start, ten_years)
    # About fifteen holiday weeks a year are walked day by day; the rest are one step each.
    assert len(calls) < 10 * 15 * 7
    monkeypatch.undo()
    assert office.working_minutes_between(start, deadline) == ten_years
    assert office.add_working_days(start, 2500) > deadline - dt.timedelta(days=400)


# --- properties ---------------------------------------------------------------------------------

LOW, HIGH = dt.datetime(2023, 1, 1), dt.datetime(2031, 1, 1)
instants = st.datetimes(min_value=LOW, max_value=HIGH, timezones=st.sampled_from([TEHRAN, UTC]))
minute_instants = instants.map(lambda t: t.replace(second=0, microsecond=0))
amounts = st.integers(min_value=1, max_value=60_000)
grid_times = st.integers(min_value=0, max_value=95).map(lambda q: dt.time(q // 4, q % 4 * 15))


@st.composite
def calendars(draw):
    """Random weeks on a quarter-hour grid (0–2 periods a day) with random holidays."""
    week = {}
    for weekday in range(7):
        points = sorted(draw(st.sets(grid_times, max_size=4)))
        if len(points) % 2:
            points = points[:-1]
        week[weekday] = list(zip(points[0::2], points[1::2]))
    if not any(week.values()):
        week[SATURDAY] = [(dt.time(7, 30), dt.time(14, 30))]
    holidays = draw(st.sets(st.dates(LOW.date(), HIGH.date() + dt.timedelta(days=400)), max_size=80))
    if draw(st.booleans()):
        holidays |= solar_holidays(range(1401, 1412))
    return WorkingCalendar(week, holidays)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(calendars(), instants, amounts, amounts)
def test_adding_minutes_in_two_steps_equals_adding_them_at_once(cal, t, a, b):
    assert cal.add_working_minutes(cal.add_working_minutes(t, a), b) == cal.add_working_minutes(t, a + b)


@PROPERTY_SETTINGS
@given(calendars(), instants, st.integers(1, 300), st.integers(1, 300))
def test_adding_days_in_two_steps_equals_adding_them_at_once(cal, t, a, b):
    assert cal.add_working_days(cal.add_working_days(t, a), b) == cal.add_working_days(t, a + b)


@PROPERTY_SETTINGS
@given(calendars(), instants, amounts, amounts)
def test_more_minutes_never_give_an_earlier_deadline(cal, t, a, b):
    a, b = sorted((a, b))
    assert cal.add_working_minutes(t, a) <= cal.add_working_minutes(t, b)


@PROPERTY_SETTINGS
@given(calendars(), instants, instants, amounts)
def test_a_later_start_never_gives_an_earlier_deadline(cal, t1, t2, n):
    t1, t2 = sorted((t1, t2))
    assert cal.add_working_minutes(t1, n) <= cal.add_working_minutes(t2, n)
    assert cal.add_working_days(t1, n % 400) <= cal.add_working_days(t2, n % 400)


@PROPERTY_SETTINGS
@given(calendars(), instants, st.integers(0, 60_000))
def test_the_working_time_up_to_a_deadline_is_what_was_added(cal, t, n):
    assert cal.working_minutes_between(t, cal.add_working_minutes(t, n)) == n


@PROPERTY_SETTINGS
@given(calendars(), instants, amounts)
def test_a_deadline_is_the_first_instant_with_that_much_working_time(cal, t, n):
    deadline = cal.add_working_minutes(t, n)
    just_before = deadline - dt.timedelta(microseconds=1)
    assert deadline.utcoffset() == TEHRAN_OFFSET
    assert cal.is_working_time(just_before)  # a deadline never sits in idle time
    assert cal.working_minutes_between(t, just_before) == n - 1


@PROPERTY_SETTINGS
@given(calendars(), instants, st.integers(1, 400))
def test_a_working_days_deadline_is_the_close_of_a_working_day(cal, t, n):
    deadline = cal.add_working_days(t, n)
    assert cal.is_working_day(deadline.date())
    assert deadline.time() == cal.week[deadline.weekday()][-1][1]


@PROPERTY_SETTINGS
@given(
    calendars(),
    instants,
    st.integers(0, 40 * 24 * 60),
    st.lists(st.tuples(st.integers(-2000, 60_000), st.integers(0, 20_000)), max_size=6),
)
def test_pauses_never_increase_the_elapsed_working_time(cal, t, span, raw_pauses):
    end = t + dt.timedelta(minutes=span)
    pauses = [
        (t + dt.timedelta(minutes=offset), t + dt.timedelta(minutes=offset + length))
        for offset, length in raw_pauses
    ]
    unpaused = cal.working_minutes_between(t, end)
    paused = cal.working_minutes_between(t, end, pauses=pauses)
    assert 0 <= paused <= unpaused
    fewer = cal.working_minutes_between(t, end, pauses=pauses[:-1])
    assert paused <= fewer  # one more pause can only take time away
    assert cal.working_minutes_between(t, end, pauses=[(t, None)]) == 0


@PROPERTY_SETTINGS
@given(calendars(), minute_instants, minute_instants, minute_instants)
def test_working_time_adds_up_over_consecutive_intervals(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    whole = cal.working_minutes_between(a, c)
    assert whole == cal.working_minutes_between(a, b) + cal.working_minutes_between(b, c)


@settings(max_examples=60, deadline=None)
@given(calendars(), minute_instants, st.integers(1, 1500))
def test_adding_minutes_agrees_with_a_minute_by_minute_walk(cal, t, n):
    """The reference: step one minute at a time and count the minutes that start in working time."""
    walk, counted = t.astimezone(TEHRAN), 0
    limit = walk + dt.timedelta(days=60)
    while counted < n and walk < limit:
        if cal.is_working_time(walk):
            counted += 1
        walk += dt.timedelta(minutes=1)
    assume(counted == n)  # very sparse calendars can need more than the walk's sixty days
    assert cal.add_working_minutes(t, n) == walk


def test_the_module_stays_free_of_the_database():
    source = open(calendar_module.__file__, encoding="utf-8").read()
    assert not re.search(r"^\s*(from|import)\s+django", source, re.MULTILINE)
