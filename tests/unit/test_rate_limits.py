"""The wait a refusal states, from the window of the limit that refused."""
from django.utils import translation

from sajad.rate_limits import Refusal, refusal, wait_minutes, wait_phrase


def test_the_wait_is_the_rest_of_the_window_in_whole_minutes_and_at_least_one():
    assert wait_minutes({"time_left": 2650}) == 45
    assert wait_minutes({"time_left": 5}) == 1
    assert wait_minutes({"time_left": -1}) is None  # the cache could not be asked
    assert wait_minutes(None) is None


def test_in_persian_the_wait_reads_naturally_with_persian_digits():
    with translation.override("fa"):
        assert wait_phrase(45) == "حدود ۴۵ دقیقه"
        assert wait_phrase(1) == "حدود یک دقیقه"
        assert wait_phrase(60) == "حدود یک ساعت"
        assert wait_phrase(150) == "حدود ۳ ساعت"
        assert wait_phrase(None) == "چند دقیقه"


def test_in_english_the_wait_keeps_its_digits():
    with translation.override("en"):
        assert wait_phrase(45) == "about 45 minutes"


def test_when_two_limits_are_spent_the_longer_wait_is_the_true_one():
    spent_soon = {"count": 5, "limit": 5, "time_left": 120}
    spent_later = {"count": 9, "limit": 5, "time_left": 1800}
    free = {"count": 1, "limit": 5, "time_left": 3000}
    assert refusal([free, None]) is None
    assert refusal([spent_soon, free, spent_later]) == Refusal(30)
    assert refusal([spent_soon, {"count": 0, "limit": 0, "time_left": -1}]) == Refusal(None)
