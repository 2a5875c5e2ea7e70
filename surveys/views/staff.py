"""Results pages for the monitoring unit (staff only): figures, charts, free text, CSV/Excel.

Thin: parse the period from the query string, ask `surveys.results`, render or export.
"""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from complaints.views.staff import monitoring_required
from sajad.jalali import parse_jalali_date
from sajad.models import Service, Unit
from sajad.persian import to_persian_digits

from .. import results
from ..models import SurveyKind

TREND_LENGTH = {"month": 12, "quarter": 8}


def _period(request) -> tuple[str, results.Period, str]:
    """The chosen period (default: the current Jalali month) and a Persian error, if any."""
    today = results.current_jalali()
    kind = request.GET.get("period", "month")
    error = ""
    try:
        if kind == "quarter":
            year = int(request.GET.get("y", today.year))
            q = int(request.GET.get("q", (today.month - 1) // 3 + 1))
            if not 1 <= q <= 4:
                raise ValueError
            return kind, results.quarter(year, q), error
        if kind == "range":
            start = parse_jalali_date(request.GET.get("from", ""))
            end = parse_jalali_date(request.GET.get("to", ""))
            if end < start:
                raise ValueError
            return kind, results.date_range(start, end), error
        year = int(request.GET.get("y", today.year))
        month = int(request.GET.get("m", today.month))
        if not 1 <= month <= 12:
            raise ValueError
        return "month", results.month(year, month), error
    except (ValueError, TypeError):
        error = _("That period is not valid; showing the current month. Dates are Jalali, e.g. 1405/08/01.")
        return "month", results.month(today.year, today.month), error


def _render_results(request, *, scope: results.Scope, title: str, subtitle: str, units=None):
    kind, period, period_error = _period(request)
    trend_kind = "quarter" if kind == "quarter" else "month"
    trend = results.summaries(scope=scope, periods=results.trend_periods(trend_kind, period, TREND_LENGTH[trend_kind])
                              if kind != "range" else [period])
    current = results.summaries(scope=scope, periods=[period])[0] if kind == "range" or trend[-1].period != period \
        else trend[-1]
    survey = results.survey_for_scope(scope)
    questions = results.question_figures(scope=scope, period=period, survey=survey)
    query = request.GET.get("text", "")
    text_count, texts = results.free_text(scope=scope, period=period, query=query)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        from .. import exports

        stem = f"survey-results-{period.start:%Y%m%d}"
        if export == "csv":
            response = HttpResponse(exports.summary_csv(title=f"{title} – {period.label}", summaries=trend),
                                    content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
            return response
        response = HttpResponse(
            exports.results_xlsx(title=f"{title} – {period.label}", summaries=trend, questions=questions,
                                 texts=texts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    today = results.current_jalali()
    chart = {
        "labels": [s.period.label for s in trend],
        "csat": [s.csat.value for s in trend],
        "resolved": [s.resolved.value for s in trend],
        "nps": [s.nps.value for s in trend],
        "questions": [
            {"id": f.question.pk, "labels": [d[0] for d in f.distribution], "percents": [d[2] for d in f.distribution]}
            for f in questions if not f.below_floor
        ],
    }
    return render(request, "surveys/staff/results.html", {
        **admin.site.each_context(request),
        "title": title, "scope_label": subtitle, "scope": scope, "period": period, "period_kind": kind,
        "period_error": period_error, "current": current, "trend": trend, "questions": questions,
        "texts": texts, "text_count": text_count, "text_query": query, "survey": survey, "chart": chart,
        "floor": results.PRIVACY_FLOOR, "units": units,
        "years": [today.year - i for i in range(0, 4)], "months": list(enumerate(results.JALALI_MONTHS, start=1)),
        "quarters": list(enumerate(results.QUARTER_NAMES, start=1)),
        "selected": {"y": request.GET.get("y", str(today.year)), "m": request.GET.get("m", str(today.month)),
                     "q": request.GET.get("q", str((today.month - 1) // 3 + 1)),
                     "from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
                     "unit": request.GET.get("unit", "")},
    })


@monitoring_required
def index(request):
    from ..models import Survey

    surveys = (Survey.objects.filter(is_current=True).select_related("service", "service__unit")
               .order_by("kind", "service__name"))
    return render(request, "surveys/staff/index.html", {
        **admin.site.each_context(request), "surveys": surveys, "title": _("Survey results")})


@monitoring_required
def service_results(request, slug: str):
    service = get_object_or_404(Service, slug=slug)
    return _render_results(request, scope=results.Scope(kind=SurveyKind.SERVICE, service_id=service.pk),
                           title=_("Satisfaction with «%(name)s»") % {"name": service.name},
                           subtitle=service.unit.name)


@monitoring_required
def handling_results(request):
    unit_id = request.GET.get("unit") or ""
    unit = get_object_or_404(Unit, pk=int(unit_id)) if unit_id.isdigit() else None
    subtitle = unit.name if unit else _("All units")
    return _render_results(request, scope=results.Scope(kind=SurveyKind.HANDLING, unit_id=unit.pk if unit else None),
                           title=_("Satisfaction with how cases were handled"), subtitle=subtitle,
                           units=Unit.objects.filter(is_active=True).order_by("name"))


@monitoring_required
def watch_page(request):
    """The watch's rules and parameters, in words, and the services it has flagged."""
    from .. import watch
    from ..models import AlarmEpisode, ServiceWatch, WatchRule

    def percent(value):
        return "—" if value is None else to_persian_digits(f"{100 * value:.1f}") + "٪"

    labels = dict(WatchRule.choices)
    flagged = [
        {"service": w.service, "share": percent(w.last_result.get("share")),
         "baseline": percent(w.last_result.get("baseline"))}
        for w in ServiceWatch.objects.filter(is_flagged=True).select_related("service").order_by("service__name")
    ]
    episodes = list(AlarmEpisode.objects.select_related("service", "plan").order_by("-opened_at")[:30])
    for episode in episodes:
        episode.rules_text = "، ".join(str(labels.get(r, r)) for r in episode.rules)
    return render(request, "surveys/staff/watch.html", {
        **admin.site.each_context(request), "title": _("The continuous watch"), "p": watch.parameters(), "flagged": flagged, "episodes": episodes,
    })
