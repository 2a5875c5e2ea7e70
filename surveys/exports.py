"""CSV and Excel files of survey results, with Jalali dates and Persian headings.

Files are read by programs: every digit in them is ASCII, dates and period names included (the
page shows the same in Persian digits).

Built from the same `results` figures the page shows (never from raw answers), plus the page of
free-text answers. Excel through openpyxl; the sheets are right-to-left.
"""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sajad.jalali import format_jalali
from sajad.persian import to_ascii_digits

from .results import PRIVACY_FLOOR, QuestionFigures, Summary


def _summary_header() -> list[str]:
    return [_("Period"), _("From"), _("To"), _("Invitations"), _("Responses"), _("Response rate (%)"),
            _("CSAT (%)"), _("CSAT margin (±)"), _("NPS"), _("NPS margin (±)"), _("CES (mean)"),
            _("CES margin (±)"), _("Resolved (%)"), _("Resolved margin (±)")]


def _summary_row(s: Summary) -> list:
    last_day = s.period.end.fromordinal(s.period.end.toordinal() - 1)
    hidden = s.below_floor
    return [to_ascii_digits(s.period.label), format_jalali(s.period.start, "%Y/%m/%d", persian_digits=False),
            format_jalali(last_day, "%Y/%m/%d", persian_digits=False), s.invitations, s.responses,
            s.response_rate, None if hidden else s.csat.value, None if hidden else s.csat.margin,
            None if hidden else s.nps.value, None if hidden else s.nps.margin,
            None if hidden else s.ces.value, None if hidden else s.ces.margin,
            None if hidden else s.resolved.value, None if hidden else s.resolved.margin]


def summary_csv(*, title: str, summaries: list[Summary]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([to_ascii_digits(title)])
    writer.writerow(_summary_header())
    for s in summaries:
        writer.writerow(["" if v is None else v for v in _summary_row(s)])
    writer.writerow([_("Groups with fewer than %(n)s responses show no figures.") % {"n": PRIVACY_FLOOR}])
    # A BOM so that Excel opens the Persian text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_xlsx(*, title: str, summaries: list[Summary], questions: list[QuestionFigures], texts: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet.sheet_view.rightToLeft = True
    sheet.append([to_ascii_digits(title)])
    sheet.append(_summary_header())
    for s in summaries:
        sheet.append(_summary_row(s))
    sheet.append([_("Groups with fewer than %(n)s responses show no figures.") % {"n": PRIVACY_FLOOR}])

    per_question = book.create_sheet(_("Questions")[:31])
    per_question.sheet_view.rightToLeft = True
    per_question.append([_("Question"), _("Answers"), _("Mean"), _("Margin (±)"), _("Option"), _("Count"),
                         _("Percent")])
    for figures in questions:
        if figures.below_floor:
            per_question.append([to_ascii_digits(figures.question.text), figures.n, None, None,
                                 _("too few answers")])
            continue
        for label, count, percent in figures.distribution:
            per_question.append([to_ascii_digits(figures.question.text), figures.n,
                                 figures.mean.value if figures.mean else None,
                                 figures.mean.margin if figures.mean else None,
                                 to_ascii_digits(str(label)), count, percent])

    free = book.create_sheet(_("Free text")[:31])
    free.sheet_view.rightToLeft = True
    free.append([_("Date"), _("Answer")])
    for answer in texts:
        free.append([format_jalali(answer.answered_at, "%Y/%m/%d", persian_digits=False), answer.text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
