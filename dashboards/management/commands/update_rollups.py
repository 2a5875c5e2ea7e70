"""Fold the case log into the summary tables now (the beat task does it every five minutes).

`make run` calls it after the demo data, so the dashboard shows the seeded year at once.
`--rebuild FROM TO` (Jalali dates, e.g. 1404/09/01 1405/08/30) recomputes a range of days.
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboards.rollups import SETTLE_SECONDS, rollups_rebuild, rollups_update_all
from sajad.jalali import parse_jalali_date


class Command(BaseCommand):
    help = "Bring the dashboard's summary tables up to date (or rebuild a range of days)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", nargs=2, metavar=("FROM", "TO"),
                            help="Jalali dates of the first and last day to recompute")
        parser.add_argument("--now", action="store_true",
                            help="also fold events younger than the settling time (no writers running)")

    def handle(self, *args, rebuild=None, now=False, **options):
        at = timezone.now() + dt.timedelta(seconds=SETTLE_SECONDS + 1) if now else None
        report = rollups_update_all(now=at)
        self.stdout.write(f"summary tables: {report.events} events folded, watermark {report.last_event_id}")
        if rebuild:
            try:
                first, last = (parse_jalali_date(value) for value in rebuild)
            except ValueError as exc:
                raise CommandError(f"not a Jalali date: {exc}") from exc
            rollups_rebuild(first_day=first, last_day=last)
            self.stdout.write(f"summary tables: rebuilt {first} … {last}")
