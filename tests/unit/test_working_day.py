""""One working day" follows the working week rather than a fixed 420 minutes."""
import datetime as dt

from sajad.calendar import WorkingCalendar, default_calendar

EIGHT_HOURS = [(dt.time(8, 0), dt.time(16, 0))]


def test_the_default_week_has_seven_hour_days():
    assert default_calendar().typical_day_minutes() == 420


def test_a_longer_working_week_makes_a_longer_working_day():
    week = {day: EIGHT_HOURS for day in (5, 6, 0, 1, 2)}
    assert WorkingCalendar(week=week).typical_day_minutes() == 480


def test_a_short_thursday_does_not_change_the_usual_day():
    week = {day: EIGHT_HOURS for day in (5, 6, 0, 1, 2)} | {3: [(dt.time(8, 0), dt.time(12, 0))]}
    assert WorkingCalendar(week=week).typical_day_minutes() == 480
