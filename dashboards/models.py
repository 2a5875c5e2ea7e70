"""Summary tables: what the dashboard, scorecards and public statistics read instead of cases.

All of them are projections of the append-only case log (`complaints.CaseEvent`), kept current by
the rollup task (`dashboards.rollups`) from a watermark, and rebuildable for any range of days.
A case's unit at an event is the unit of its latest assignment up to that event, so a projection
never changes once written, whatever happens to the case later.
"""
from django.db import models

# Upper bounds (working minutes) of the buckets in which stopped clocks are counted; medians and
# 90th percentiles are read from these histograms. Dense where deadlines usually fall.
DURATION_BOUNDS = (15, 30, 60, 120, 180, 240, 300, 360, 420, 630, 840, 1260, 1680, 2100, 2520,
                   3360, 4200, 6300, 8400, 12600, 16800, 25200, 42000)


class RollupWatermark(models.Model):
    """The last case event folded into the summary tables; its row lock serialises the task."""

    name = models.CharField(max_length=40, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class DailyCaseRollup(models.Model):
    """Counts of one Tehran day's steps, per unit, service and kind of case."""

    day = models.DateField()
    unit = models.ForeignKey("sajad.Unit", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    service = models.ForeignKey("sajad.Service", on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    kind = models.CharField(max_length=12)
    filed = models.IntegerField(default=0)
    routed = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    published = models.IntegerField(default=0)
    went_overdue = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    objected = models.IntegerField(default=0)
    upheld = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "service", "kind"], nulls_distinct=False,
                                    name="daily_case_rollup_key"),
        ]
        indexes = [
            # Scorecards and statistics: a unit's or a service's days in a period.
            models.Index(fields=["unit", "day"], name="rollup_unit_day_idx"),
            models.Index(fields=["service", "day"], name="rollup_service_day_idx"),
        ]


class DailyClockStat(models.Model):
    """Clocks stopped on one Tehran day, per unit, service, kind, clock and duration bucket."""

    day = models.DateField()
    unit = models.ForeignKey("sajad.Unit", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    service = models.ForeignKey("sajad.Service", on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    kind = models.CharField(max_length=12)
    clock = models.CharField(max_length=20)
    bucket = models.SmallIntegerField()  # index into DURATION_BOUNDS (len = the open last bucket)
    stopped = models.IntegerField(default=0)
    minutes = models.BigIntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "service", "kind", "clock", "bucket"],
                                    nulls_distinct=False, name="daily_clock_stat_key"),
        ]
        indexes = [
            models.Index(fields=["unit", "day"], name="clockstat_unit_day_idx"),
            models.Index(fields=["service", "day"], name="clockstat_service_day_idx"),
            models.Index(fields=["day"], name="clockstat_day_idx"),
        ]


class OpenCase(models.Model):
    """One row per case still open: the backlog, its age and its deadlines, for the dashboard.

    Deadlines are the ones the last step recorded for each clock, so "overdue" is read against the
    time of the page view, never stored.
    """

    case_id = models.BigIntegerField(primary_key=True)
    tracking_number = models.CharField(max_length=9)
    unit = models.ForeignKey("sajad.Unit", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    service = models.ForeignKey("sajad.Service", on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    kind = models.CharField(max_length=12)
    status = models.CharField(max_length=20)
    filed_at = models.DateTimeField()
    first_response_due = models.DateTimeField(null=True)
    unit_answer_due = models.DateTimeField(null=True)
    resolution_due = models.DateTimeField(null=True)
    # The nearest of the three (NULL when no clock runs), kept by the rollup for the overdue list.
    next_due = models.DateTimeField(null=True)
    escalation_level = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["status"], name="opencase_status_idx"),
            models.Index(fields=["unit", "status"], name="opencase_unit_status_idx"),
            models.Index(fields=["filed_at"], name="opencase_filed_idx"),
            # The dashboard's overdue list: nearest deadlines first, running clocks only.
            models.Index(fields=["next_due"], name="opencase_next_due_idx",
                         condition=models.Q(next_due__isnull=False)),
        ]


class DailyTermCount(models.Model):
    """How often a (normalised) word appeared in the subjects of one day's new cases."""

    day = models.DateField()
    term = models.CharField(max_length=60)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "term"], name="daily_term_key")]
        indexes = [models.Index(fields=["day", "term"], name="term_day_idx")]


class DailyFilerCount(models.Model):
    """Cases filed per mobile number per day, for the monitoring unit's repeat-filer list."""

    day = models.DateField()
    mobile = models.CharField(max_length=11)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "mobile"], name="daily_filer_key")]
        indexes = [models.Index(fields=["day"], name="filer_day_idx")]
