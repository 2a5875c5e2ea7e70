"""Exports of the dashboard pages: the charts' data as JSON and scorecards as Excel (openpyxl).

A chart's labels are read by people (Persian digits); its data and the Excel files are read by
programs and stay ASCII.
"""
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sajad.jalali import JALALI_DATE, format_jalali
from sajad.persian import to_ascii_digits, to_persian_digits

from .scorecards import Scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dashboard_chart_data(content: dict) -> dict:
    """What the dashboard's Chart.js charts draw: months of filed/answered and on-time share."""
    series = content["series"]
    return {
        "labels": [row["period"].label for row in series],
        "filed": [row["filed"] for row in series],
        "answered": [row["answered"] for row in series],
        "on_time": [row["on_time"] for row in series],
        "age_labels": [_age_label(band) for band, _count in content["backlog_by_age"]],
        "age_counts": [count for _band, count in content["backlog_by_age"]],
        "legend": {"filed": _("Filed"), "answered": _("Answered"), "on_time": _("On time (%)"),
                   "backlog": _("Open cases")},
    }


def _age_label(band) -> str:
    low, high = band
    if high is None:
        return to_persian_digits(_("over %(days)s days") % {"days": low})
    return to_persian_digits(_("%(low)s–%(high)s days") % {"low": low, "high": high})


def _export_value(figure, value):
    """A scorecard figure as a spreadsheet number (ASCII, computable); None stays empty."""
    if value is None:
        return None
    return round(value) if figure.unit == "minutes" else round(value, 1)


def _export_label(figure) -> str:
    if figure.unit == "percent":
        return _("%(label)s (%%)") % {"label": figure.label}
    if figure.unit == "minutes":
        return _("%(label)s (working minutes)") % {"label": figure.label}
    return figure.label


def scorecard_xlsx(card: Scorecard) -> HttpResponse:
    """The scorecard as a right-to-left sheet, with its Jalali period and the date it was made.

    Figures are numbers and every digit is ASCII, so the sheet can be sorted and summed (the page
    shows the same figures in Persian digits).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scorecard")[:31]
    sheet.sheet_view.rightToLeft = True
    sheet.append([_("Unit scorecard"), to_ascii_digits(card.unit.name)])
    sheet.append([_("Period"), to_ascii_digits(card.period.label)])
    sheet.append([_("Made on"), format_jalali(timezone.now(), JALALI_DATE, persian_digits=False)])
    sheet.append([])
    sheet.append([_("Figure"), _("This period"), _("Previous period"), _("Organisation average")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for figure in card.figures:
        sheet.append([_export_label(figure)] + [
            _export_value(figure, value)
            for value in (figure.value, figure.previous, figure.org_average)
        ])
    sheet.column_dimensions["A"].width = 40
    for column in "BCD":
        sheet.column_dimensions[column].width = 18
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scorecard-unit{card.unit.pk}-{card.period.slug}.xlsx"'
    return response
