"""The draft a unit's report starts from: its scorecard for the call's period, as text to edit.

The one place that reads the scorecard, so a change in the scorecard's source is a change here.
"""
from django.utils.translation import gettext as _

from sajad.models import Unit

from .period import Period


def scorecard_lines(*, unit: Unit, period: Period) -> list[str]:
    """One line per scorecard figure: value, previous period, organisation average.

    The scorecards of the dashboards are not on main yet; until they are, the draft has no figures.
    """
    return []


def self_assessment_draft(*, unit: Unit, period: Period) -> str:
    lines = scorecard_lines(unit=unit, period=period)
    heading = _("Scorecard of %(unit)s for %(period)s") % {"unit": unit.name, "period": period.label}
    if not lines:
        return "\n".join([heading, _("No scorecard figures are available for this period yet."), ""])
    return "\n".join([heading, *lines, "", _("Our assessment of these figures:"), ""])
