"""FAQ search finds entries the way citizens type Persian, ranks by relevance, hides drafts."""
import pytest
from django.db import connection

from faq import services
from faq.search import faq_search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan_service():
    return factories.service(name="وام شهریه")


@pytest.fixture
def category(loan_service):
    return services.faq_category_create(name="درخواست وام", service=loan_service)


def entry(category, question, answer="پاسخ کوتاه.", **kw):
    kw.setdefault("is_published", True)
    return services.faq_entry_create(category=category, question=question, answer=answer, **kw)


def found(query, **kw):
    return [e.pk for e in faq_search(query, **kw)]


@pytest.fixture
def want_loan(category):
    """Stored with a ZWNJ, Persian ی/ک and Persian digits."""
    return entry(category, "می‌خواهم وام شهریه بگیرم؛ مدارک لازم کدام است؟",
                 "فرم شماره ۱۲۳ را در سامانه تکمیل کنید و کارت ملی را بارگذاری کنید.")


@pytest.fixture
def decoy(category):
    return entry(category, "ساعات کاری دفتر امور دانشجویان", "شنبه تا چهارشنبه از ساعت ۸ تا ۱۴.")


@pytest.mark.parametrize("query", ["می‌خواهم", "می خواهم", "میخواهم", "مي‌خواهم", "ميخواهم"])
def test_zwnj_space_or_nothing_between_word_parts_finds_the_same_entry(want_loan, decoy, query):
    assert found(query) == [want_loan.pk]


@pytest.mark.parametrize("query", ["مدارك لازم", "مدارک لازم", "مدارك لازم كدام"])
def test_arabic_kaf_and_yeh_find_the_entry_stored_with_persian_letters(want_loan, decoy, query):
    assert found(query) == [want_loan.pk]


@pytest.mark.parametrize("query", ["فرم ۱۲۳", "فرم ١٢٣", "فرم 123", "123"])
def test_digits_in_persian_arabic_or_ascii_script_find_the_same_entry(want_loan, decoy, query):
    assert found(query) == [want_loan.pk]


def test_an_entry_stored_with_arabic_letters_and_digits_is_found_by_persian_typing(category):
    stored_arabic = entry(category, "كارت دانشجويي خود را گم كرده‌ام", "فرم ٤٥ را پر كنيد.")
    assert found("کارت دانشجویی") == [stored_arabic.pk]
    assert found("فرم ۴۵") == [stored_arabic.pk]


def test_a_word_written_without_a_space_finds_an_entry_that_has_one(category):
    stored_spaced = entry(category, "نحوه ثبت نام در خوابگاه", "در سامانه ثبت نام کنید.")
    assert found("ثبتنام خوابگاه") == [stored_spaced.pk]


def test_words_in_a_different_order_still_find_the_entry(want_loan, decoy):
    assert found("شهریه وام") == [want_loan.pk]


def test_a_small_typo_still_finds_the_entry(category):
    target = entry(category, "بازپرداخت اقساط وام ودیعه مسکن", "از طریق درگاه بانک.")
    assert target.pk in found("بازپرداخت اقصاط")


def test_an_exact_question_match_ranks_above_a_passing_mention_in_another_answer(category):
    mention = entry(category, "ساعات پاسخگویی تلفنی",
                    "کارشناسان درباره موضوعاتی مانند تمدید معافیت تحصیلی نیز پاسخ می‌دهند.",
                    order=0)
    exact = entry(category, "تمدید معافیت تحصیلی", "درخواست را در سامانه ثبت کنید.", order=9)
    assert found("تمدید معافیت تحصیلی")[:2] == [exact.pk, mention.pk]


def test_unpublished_entries_never_appear(category, want_loan):
    draft = entry(category, "می‌خواهم وام شهریه بگیرم (پیش‌نویس)", is_published=False)
    assert draft.pk not in found("میخواهم وام")
    assert want_loan.pk in found("میخواهم وام")
    services.faq_entry_update(entry=want_loan, is_published=False)
    assert found("میخواهم وام") == []


def test_service_filter_keeps_that_service_and_general_questions_only(category, want_loan):
    other = factories.service(name="خوابگاه")
    other_cat = services.faq_category_create(name="عمومی", service=other)
    general_cat = services.faq_category_create(name="پرسش‌های عمومی")
    elsewhere = entry(other_cat, "می‌خواهم خوابگاه بگیرم")
    general = entry(general_cat, "می‌خواهم با سازمان تماس بگیرم")
    results = found("میخواهم", service=category.service)
    assert set(results) == {want_loan.pk, general.pk}
    assert elsewhere.pk in found("میخواهم")


def test_editing_an_entry_reindexes_it(want_loan):
    services.faq_entry_update(entry=want_loan, question="انتقال دانشجو", answer="به دانشگاه مقصد")
    assert found("میخواهم") == []
    assert found("انتقال") == [want_loan.pk]


def test_empty_or_punctuation_only_queries_return_nothing(want_loan):
    assert found("") == [] and found("  ؟!  ") == []


def test_search_takes_one_query_when_words_match_and_two_when_it_falls_back_to_fuzzy(
    want_loan, decoy, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert len(faq_search("میخواهم وام", limit=1)) == 1
    with django_assert_num_queries(2):
        faq_search("میخواهم وام", limit=10)


@pytest.mark.parametrize(
    "condition, index",
    [
        ("search_compact LIKE '%%خواهم%%'", "faq_entry_compact_trgm"),
        ("search_question %%> 'خواهم'", "faq_entry_question_trgm"),
    ],
)
def test_both_search_conditions_can_use_their_trigram_index(want_loan, condition, index):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM faq_faqentry WHERE {condition}", [])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
