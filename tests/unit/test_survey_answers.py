"""Each question type checks its answers (surveys.services.answers_clean); no database needed."""
import pytest
from django.http import QueryDict

from surveys.models import Question
from surveys.services import AnswerErrors, answers_clean


def q(pk, kind, required=True, choices=""):
    return Question(pk=pk, kind=kind, text=f"q{pk}", required=required, choices=choices)


def data(**values):
    qd = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    return qd


@pytest.mark.parametrize("kind,low,high", [("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7), ("need_met", 0, 2)])
def test_a_scale_accepts_its_ends_and_refuses_one_beyond(kind, low, high):
    question = q(1, kind)
    assert answers_clean(questions=[question], data=data(q1=str(low)))[0].value == low
    assert answers_clean(questions=[question], data=data(q1=str(high)))[0].value == high
    for bad in (str(low - 1), str(high + 1), "abc", "2.5"):
        with pytest.raises(AnswerErrors) as refused:
            answers_clean(questions=[question], data=data(q1=bad))
        assert refused.value.errors[1] == "Choose one of the options shown." or "گزینه" in refused.value.errors[1]


def test_persian_digits_are_read_as_numbers():
    assert answers_clean(questions=[q(1, "nps")], data=data(q1="۱۰"))[0].value == 10


def test_a_missing_required_answer_is_refused_and_an_optional_one_skipped():
    with pytest.raises(AnswerErrors) as refused:
        answers_clean(questions=[q(1, "csat"), q(2, "text", required=False)], data=data(q2="خوب"))
    assert set(refused.value.errors) == {1}
    clean = answers_clean(questions=[q(1, "csat"), q(2, "text", required=False)], data=data(q1="4"))
    assert [a.question.pk for a in clean] == [1]


def test_single_choice_takes_one_listed_position():
    question = q(1, "single", choices="الف\nب\nج")
    assert answers_clean(questions=[question], data=data(q1="3"))[0].value == 3
    with pytest.raises(AnswerErrors):
        answers_clean(questions=[question], data=data(q1="4"))


def test_multiple_choice_is_stored_as_a_bit_mask_of_positions():
    question = q(1, "multiple", choices="الف\nب\nج")
    assert answers_clean(questions=[question], data=data(q1=["1", "3"]))[0].value == 0b101
    with pytest.raises(AnswerErrors):
        answers_clean(questions=[question], data=data(q1=["1", "0"]))


def test_free_text_is_normalised_and_bounded():
    question = q(1, "text")
    assert answers_clean(questions=[question], data=data(q1="  كيفيت ۱۲  "))[0].text == "کیفیت 12"
    with pytest.raises(AnswerErrors):
        answers_clean(questions=[question], data=data(q1="x" * 2001))
    with pytest.raises(AnswerErrors):
        answers_clean(questions=[question], data=data(q1="   "))


def test_an_empty_form_is_refused_even_when_nothing_is_required():
    with pytest.raises(AnswerErrors) as refused:
        answers_clean(questions=[q(1, "text", required=False)], data=data())
    assert 0 in refused.value.errors
