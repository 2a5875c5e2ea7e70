"""The FAQ answer markup renders only the HTML we write; everything else is escaped text."""
from sajad.markup import plain_text, render


def test_paragraphs_are_separated_by_a_blank_line():
    assert render("اول\n\nدوم") == "<p>اول</p>\n<p>دوم</p>"


def test_a_single_line_break_stays_inside_the_paragraph():
    assert render("اول\nدوم") == "<p>اول<br>دوم</p>"


def test_double_asterisks_make_bold_text():
    assert render("این **مهم** است") == "<p>این <strong>مهم</strong> است</p>"


def test_lines_starting_with_a_dash_make_a_list():
    assert render("- کارت ملی\n- شناسنامه") == "<ul><li>کارت ملی</li><li>شناسنامه</li></ul>"


def test_an_https_link_becomes_an_anchor():
    html = render("[سامانه](https://portal.saorg.ir/x?a=1&b=2)")
    assert html == (
        '<p><a href="https://portal.saorg.ir/x?a=1&amp;b=2" rel="nofollow noopener">سامانه</a></p>'
    )


def test_a_script_tag_is_escaped_not_rendered():
    html = render("<script>alert(document.cookie)</script> **<b>x</b>**")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html
    assert "<strong>&lt;b&gt;x&lt;/b&gt;</strong>" in html


def test_a_javascript_link_is_left_as_plain_text():
    html = render("[کلیک](javascript:alert(1))")
    assert "<a" not in html and "href" not in html


def test_a_data_link_is_left_as_plain_text():
    assert "<a" not in render("[x](data:text/html;base64,PHNjcmlwdD4=)")


def test_a_quote_in_a_link_target_cannot_break_out_of_the_attribute():
    html = render('[x](https://a.ir/"onmouseover="alert(1))')
    assert "onmouseover=\"" not in html and "<a" not in html


def test_event_handler_text_stays_text():
    html = render('<img src=x onerror="alert(1)">')
    assert "<img" not in html and html.startswith("<p>&lt;img")


def test_plain_text_drops_markup_and_link_targets():
    text = plain_text("**مهم**\n- مورد\n[سامانه](https://a.ir)")
    assert text == "مهم\nمورد\nسامانه"


def test_empty_answer_renders_nothing():
    assert render("") == "" and render("\n\n  \n") == ""


def test_digits_are_shown_in_persian_but_link_targets_keep_ascii_digits():
    html = render("فرم 12 را از [صفحه 3](https://a.ir/forms/12) بگیرید")
    assert "فرم ۱۲" in html and "صفحه ۳</a>" in html and 'href="https://a.ir/forms/12"' in html
