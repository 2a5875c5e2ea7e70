"""Thin views over the dashboard selectors: check the role, pick the period, render or export."""
from django.contrib import admin
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.roles import user_unit_id
from complaints.views.desk import desk_view
from complaints.views.staff import monitoring_required
from complaints.models import Clock, Kind
from complaints.workflow import Status
from sajad.calendar_display import describe_working_minutes
from sajad.models import Unit

from . import dashboard, exports, public_figures
from .periods import KINDS, current_period, period_from_params, recent_periods
from .scorecards import unit_scorecard

PERIOD_CHOICES = {"month": 24, "quarter": 8, "year": 3}


def _period_context(request) -> dict:
    """The chosen Jalali period (the current month by default) and the picker's choices."""
    return {
        "period": period_from_params(request.GET),
        "period_kinds": KINDS,
        "period_choices": {k: list(reversed(recent_periods(k, n))) for k, n in PERIOD_CHOICES.items()},
    }


@require_GET
@monitoring_required
def monitoring_dashboard(request):
    context = _period_context(request)
    content = dashboard.dashboard(period=context["period"])
    chart = exports.dashboard_chart_data(content)
    return render(request, "dashboards/monitoring.html", {
        **admin.site.each_context(request), **context, **content, **_display_rows(content, chart),
        "title": _("Monitoring dashboard"), "chart": chart,
    })


def _display_rows(content: dict, chart: dict) -> dict:
    """Labels for the dashboard's codes (statuses, clocks, kinds, age bands), in Persian."""
    statuses = dict(Status.choices)
    clocks = dict(Clock.choices)
    kinds = dict(Kind.choices)

    def minutes(value):
        return describe_working_minutes(round(value)) if value is not None else "—"

    return {
        "status_rows": [(s, statuses.get(s, s), n) for s, n in content["open"]["status"].items()],
        "clock_rows": [
            {"label": clocks.get(name, name), "figures": f, "median": minutes(f.median),
             "p90": minutes(f.p90)}
            for name, f in content["clocks"].items()
        ],
        "kind_rows": [{"kind": r["kind"], "label": kinds.get(r["kind"], r["kind"]),
                       "filed": r["filed"]} for r in content["by_kind"]],
        "age_rows": list(zip(chart["age_labels"], chart["age_counts"])),
    }


@require_GET
@monitoring_required
def scorecard_page(request):
    """Any unit's scorecard, for the monitoring unit; Excel with ?export=xlsx."""
    context = _period_context(request)
    units = list(Unit.objects.filter(is_active=True).order_by("name"))
    chosen = request.GET.get("unit", "")
    unit = get_object_or_404(Unit, pk=chosen) if chosen.isdigit() else (units[0] if units else None)
    card = unit_scorecard(unit=unit, period=context["period"]) if unit else None
    if card is not None and request.GET.get("export") == "xlsx":
        return exports.scorecard_xlsx(card)
    return render(request, "dashboards/scorecards.html", {
        **admin.site.each_context(request), **context,
        "title": _("Unit scorecards"), "units": units, "unit": unit, "card": card,
    })


@require_GET
@desk_view
def desk_scorecard(request):
    """The unit's own scorecard on the desk (desk_view admits unit staff only)."""
    unit = get_object_or_404(Unit, pk=user_unit_id(request.user))
    context = _period_context(request)
    card = unit_scorecard(unit=unit, period=context["period"])
    if request.GET.get("export") == "xlsx":
        return exports.scorecard_xlsx(card)
    return render(request, "dashboards/desk_scorecard.html", {**context, "card": card, "unit": unit})


@require_GET
def statistics(request):
    """Public monthly figures per service (§3.2 "Dashboards and public figures")."""
    months = recent_periods("month", 12)
    period = period_from_params(request.GET)
    if not request.GET.get("period") or period not in months:
        # The last full month, as each SLA page shows it: early in a month the month in progress
        # holds a few days and would read as the service's record. It stays one click away.
        period = public_figures.sla_page_period()
    return render(request, "dashboards/statistics.html", {
        "period": period, "months": list(reversed(months)),
        "rows": public_figures.statistics_for_month(period),
    })
