"""The wait a refusal states, from the window of the limit that refused."""
from django.utils import translation

from sajad.rate_limits import Refusal, refusal, wait_phrase
from sajad.rate_windows import Usage


def test_the_wait_is_the_rest_of_the_window_in_whole_minutes_and_at_least_one():
    assert Usage(count=5, limit=5, seconds_left=2650).wait_minutes == 45
    assert Usage(count=5, limit=5, seconds_left=5).wait_minutes == 1
    # The windows are aligned to the clock, so the wait is always known (no "-1" as
    # django-ratelimit gave when the cache could not be asked); an unknown wait reads «چند دقیقه».


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
    spent_soon = Usage(count=5, limit=5, seconds_left=120)
    spent_later = Usage(count=9, limit=5, seconds_left=1800)
    free = Usage(count=1, limit=5, seconds_left=3000)
    assert refusal([free]) is None
    assert refusal([spent_soon, free, spent_later]) == Refusal(30)


def test_a_counted_request_is_refused_only_over_the_limit_a_check_already_at_it():
    # Counting includes this request: the fifth of five passes. A read-only check before acting
    # refuses once five were used.
    assert refusal([Usage(count=5, limit=5, seconds_left=60, counted=True)]) is None
    assert refusal([Usage(count=6, limit=5, seconds_left=60, counted=True)]) == Refusal(1)
    assert refusal([Usage(count=5, limit=5, seconds_left=60)]) == Refusal(1)
