"""Benchmark of survey results and the continuous watch at scale.

    .venv/bin/python bench/surveys.py [--db sajad_bench_surveys] [--reuse] [--runs 20]

Loads (unless --reuse) 200 services with a published survey each: one service with 1,000,000
answers (250,000 responses × CSAT, NPS, CES, need met) over the last year, and 1,000,000 more
answers spread over the other 199 services; the rows are written in bulk by SQL
(`INSERT … SELECT generate_series`), summarised into the daily tables (`rollups.rebuild`), then
vacuumed and analysed. Then times, through Django's test
client as a monitoring expert, the results page of the big service (this month, a quarter, a
quarter's Excel export) and `watch_run()` over the 200 services. Prints p50/p95 and queries.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = 200
BIG_RESPONSES = 250_000
OTHER_RESPONSES = 250_000


def percentile(values, p):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[index]


def load(db: str) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.utils import timezone

    from surveys import services as survey_services
    from surveys.models import Question, Survey
    from tests import factories

    started = time.perf_counter()
    factories.monitoring_unit()
    unit = factories.unit(name="واحد سنجش")
    for n in range(SERVICES):
        service = factories.service(unit_=unit, name=f"خدمت {n}")
        survey = Survey.objects.create(service=service, slug=f"bench-{n}", title=f"نظرسنجی {n}")
        for order, kind in enumerate(("csat", "nps", "ces", "need_met", "text"), start=1):
            Question.objects.create(survey=survey, order=order, kind=kind, text=kind, required=kind == "csat")
        survey_services.survey_publish(survey_id=survey.pk)
    surveys = list(Survey.objects.order_by("id").values_list("id", "service_id"))
    big_survey, big_service = surveys[0]
    now = timezone.now()
    with connection.cursor() as cursor:
        # Responses: the big service's, then the others' spread evenly, over the last 365 days.
        cursor.execute("""
            INSERT INTO surveys_response (survey_id, service_id, unit_id, channel, browser_key, submitted_at)
            SELECT %s, %s, %s, 'public', '', %s - (random() * interval '365 days')
            FROM generate_series(1, %s)""", [big_survey, big_service, unit.pk, now, BIG_RESPONSES])
        cursor.execute("""
            INSERT INTO surveys_response (survey_id, service_id, unit_id, channel, browser_key, submitted_at)
            SELECT s.id, s.service_id, %s, 'public', '', %s - (random() * interval '365 days')
            FROM generate_series(1, %s) g
            JOIN (SELECT id, service_id, row_number() OVER (ORDER BY id) - 1 AS k
                  FROM surveys_survey WHERE id <> %s) s ON s.k = g %% %s""",
                       [unit.pk, now, OTHER_RESPONSES, big_survey, SERVICES - 1])
        # Four scale answers per response, with the response's facts copied onto each row.
        cursor.execute("""
            INSERT INTO surveys_answer (response_id, question_id, survey_id, kind, value, text, text_key,
                                        service_id, unit_id, case_id, channel, answered_at)
            SELECT r.id, q.id, r.survey_id, q.kind,
                   CASE q.kind WHEN 'csat' THEN 1 + floor(random() * 5)
                               WHEN 'nps' THEN floor(random() * 11)
                               WHEN 'ces' THEN 1 + floor(random() * 7)
                               ELSE floor(random() * 3) END,
                   '', '', r.service_id, r.unit_id, NULL, r.channel, r.submitted_at
            FROM surveys_response r JOIN surveys_question q ON q.survey_id = r.survey_id AND q.kind <> 'text'""")
        # A free-text answer on one response in twenty.
        cursor.execute("""
            INSERT INTO surveys_answer (response_id, question_id, survey_id, kind, value, text, text_key,
                                        service_id, unit_id, case_id, channel, answered_at)
            SELECT r.id, q.id, r.survey_id, 'text', NULL, 'صف پرداخت طولانی بود ' || r.id,
                   'صف پرداخت طولانی بود ' || r.id, r.service_id, r.unit_id, NULL, r.channel, r.submitted_at
            FROM surveys_response r JOIN surveys_question q ON q.survey_id = r.survey_id AND q.kind = 'text'
            WHERE r.id % 20 = 0""")
    from surveys import rollups

    rollups.rebuild()  # the bulk load bypassed the services: summarise it once
    connection.close()
    with connection.cursor() as cursor:
        connection.connection.autocommit = True
        cursor.execute("VACUUM ANALYZE surveys_answer")
        cursor.execute("VACUUM ANALYZE surveys_response")
        cursor.execute("VACUUM ANALYZE surveys_answerday")
        cursor.execute("VACUUM ANALYZE surveys_responseday")
        cursor.execute("CHECKPOINT")
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sajad_bench_h11")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild the daily summaries")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if not args.reuse:
        load(args.db)
    elif args.rebuild:
        from surveys import rollups

        started = time.perf_counter()
        rollups.rebuild()
        print(f"daily summaries rebuilt in {time.perf_counter() - started:.1f} s")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from surveys import results, watch
    from surveys.models import Answer, Survey
    from tests import factories

    settings.ALLOWED_HOSTS = ["*"]
    big = Survey.objects.order_by("id").select_related("service").first()
    print(f"{Answer.objects.count():,} answers in the table; "
          f"{Answer.objects.filter(service=big.service).count():,} for the measured service")
    client = Client()
    client.force_login(factories.monitoring_user())
    today = results.current_jalali()
    base = f"/admin/surveys/results/service/{big.service.slug}/"
    quarter = (today.month - 1) // 3 + 1
    pages = [
        ("results, this month (12-month trend)", f"{base}?period=month&y={today.year}&m={today.month}"),
        ("results, a quarter (8-quarter trend)", f"{base}?period=quarter&y={today.year}&q={quarter}"),
        ("results, quarter + text search", f"{base}?period=quarter&y={today.year}&q={quarter}&text=%D8%B5%D9%81"),
        ("Excel export, a quarter", f"{base}?period=quarter&y={today.year}&q={quarter}&export=xlsx"),
    ]
    for label, url in pages:
        client.get(url)  # warm
        times, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append(time.perf_counter() - started)
            queries = len(captured)
        print(f"{label:40} p50 {statistics.median(times) * 1000:7.1f} ms  p95 {percentile(times, 95) * 1000:7.1f} ms"
              f"  {queries:3} queries  HTTP {status}")
    times = []
    for _ in range(max(5, args.runs // 2)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            alarms = watch.watch_run()
            times.append(time.perf_counter() - started)
    print(f"{'watch over %d services' % SERVICES:40} p50 {statistics.median(times) * 1000:7.1f} ms  "
          f"p95 {percentile(times, 95) * 1000:7.1f} ms  {len(captured):3} queries  {len(alarms)} alarms")


if __name__ == "__main__":
    main()
