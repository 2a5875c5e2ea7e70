"""Routing rules match by service, kind and Persian keywords as people type them."""
from types import SimpleNamespace

from complaints.routing import first_matching_rule, rule_keywords


def rule(pk, *, service_id=None, kind="", keywords=""):
    return SimpleNamespace(pk=pk, service_id=service_id, kind=kind, keywords=keywords)


def test_keywords_split_on_commas_persian_commas_and_lines_and_are_normalised():
    assert rule_keywords("وام،  شهريه\nثبت‌نام , ") == ["وام", "شهریه", "ثبت نام"]


def test_the_first_matching_rule_in_order_wins():
    rules = [rule(1, keywords="خوابگاه"), rule(2, keywords="وام"), rule(3)]
    match = first_matching_rule(rules, service_id=5, kind="complaint",
                                subject="مشکل وام", description="")
    assert match.pk == 2


def test_a_keyword_matches_with_zwnj_space_or_nothing_between_word_parts():
    rules = [rule(1, keywords="ثبت‌نام")]
    for typed in ("ثبت نام", "ثبتنام", "ثبت‌نام", "ثبت‌ نام"):
        assert first_matching_rule(rules, service_id=1, kind="complaint", subject=typed,
                                   description="").pk == 1, typed


def test_arabic_letters_in_the_case_still_match_a_persian_keyword():
    rules = [rule(1, keywords="کارت دانشجویی")]
    assert first_matching_rule(rules, service_id=1, kind="complaint",
                               subject="كارت دانشجويي", description="").pk == 1


def test_service_and_kind_must_both_fit_when_given():
    rules = [rule(1, service_id=7, kind="suggestion"), rule(2, service_id=7)]
    assert first_matching_rule(rules, service_id=7, kind="complaint", subject="x",
                               description="").pk == 2
    assert first_matching_rule(rules, service_id=8, kind="suggestion", subject="x",
                               description="") is None


def test_no_rule_means_none_so_the_case_waits_for_triage():
    assert first_matching_rule([rule(1, keywords="وام")], service_id=1, kind="complaint",
                               subject="خوابگاه", description="سرمایش") is None
