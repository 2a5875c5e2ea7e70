"""Benchmark of the monitoring unit's triage list at scale (admin changelist, real requests).

    .venv/bin/python bench/sla_sweep.py --cases 1000000 --due 50000   # loads sajad_bench_sweep
    .venv/bin/python bench/admin_list.py

Runs against the database the sweep benchmark loaded (1M cases), logs a monitoring expert in with
Django's test client and times the list pages an expert uses: the default list, filters, searches
and a case page. Prints the median of 5 requests per page and the queries per request.
"""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "sajad_bench_sweep"

PAGES = [
    ("default list", "/admin/complaints/case/"),
    ("status filter", "/admin/complaints/case/?status__exact=assigned"),
    ("overdue filter", "/admin/complaints/case/?is_overdue__exact=1"),
    ("unit + status", "/admin/complaints/case/?status__exact=assigned&unit__id__exact={unit}"),
    ("page 50", "/admin/complaints/case/?p=50"),
    ("search tracking number", "/admin/complaints/case/?q={number}"),
    ("search mobile", "/admin/complaints/case/?q=%2B989120000000"),
    ("search text", "/admin/complaints/case/?q=%D8%AA%D8%A3%D8%AE%DB%8C%D8%B1+%D8%AF%D8%B1+%D9%BE%D8%A7%D8%B3%D8%AE+999999"),
    ("case page", "/admin/complaints/case/{case}/change/"),
]


def main() -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints import roles
    from complaints.workflow import Role
    from complaints.models import Case

    settings.ALLOWED_HOSTS = ["*"]
    user, _ = User.objects.get_or_create(username="bench-monitor", defaults={"is_staff": True})
    user.groups.add(roles.staff_group(Role.MONITORING))
    client = Client()
    client.force_login(user)
    sample = Case.objects.order_by("-id").first()
    fill = {"unit": sample.unit_id, "number": sample.tracking_number, "case": sample.pk}
    print(f"{Case.objects.count():,} cases")
    for label, template in PAGES:
        url = template.format(**fill)
        times, queries, status = [], 0, None
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append(time.perf_counter() - started)
            queries = len(captured)
        print(f"{label:24} {statistics.median(times) * 1000:8.1f} ms median  "
              f"{max(times) * 1000:8.1f} ms max  {queries:3} queries  HTTP {status}")


if __name__ == "__main__":
    main()
