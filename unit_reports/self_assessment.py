"""The draft a unit's report starts from: its scorecard for the call's period, as text to edit.

The one place that reads the scorecard (dashboards.scorecards, from the summary tables), so a
change in the scorecard is a change here only.
"""
from django.utils.translation import gettext as _

from dashboards.periods import Period
from dashboards.scorecards import unit_scorecard
from sajad.models import Unit


def scorecard_lines(*, unit: Unit, period: Period) -> list[str]:
    """One line per scorecard figure: the value, the previous period, the organisation's average."""
    return [
        _("%(label)s: %(value)s (previous period: %(previous)s; organisation average: %(average)s)")
        % {"label": figure.label, "value": figure.value_display,
           "previous": figure.previous_display, "average": figure.org_average_display}
        for figure in unit_scorecard(unit=unit, period=period).figures
    ]


def self_assessment_draft(*, unit: Unit, period: Period) -> str:
    heading = _("Scorecard of %(unit)s for %(period)s") % {"unit": unit.name, "period": period.label}
    lines = scorecard_lines(unit=unit, period=period)
    return "\n".join([heading, *lines, "", _("Our assessment of these figures:"), ""])
