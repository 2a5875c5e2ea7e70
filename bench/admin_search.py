"""Benchmark of the triage list's text search at a million cases (admin changelist, real requests).

    .venv/bin/python bench/admin_search.py                 # loads sajad_bench_search, then measures
    .venv/bin/python bench/admin_search.py --no-load       # measures the loaded database again

Loads a scratch database (`sajad_bench_search`, dropped and re-created) with N cases in bulk:
subjects of 3–6 words and descriptions of 20–40 words drawn with a skewed (Zipf-like) frequency
from a vocabulary of real Persian words and generated filler words, so some words are common and
most are rare. A few words are planted with a known count: «نوبت‌دهی» in 16 descriptions, «تأخیر»
in about 0.1% of subjects. `search_text` is built in SQL from the per-word search keys computed in
Python by `case_search_text`'s own function (`sajad.persian.search_keys`), and a sample of rows is
checked against `case_search_text` before measuring. The trigram index is built after the load.

Then a monitoring expert's changelist searches are timed through Django's test client, each shape
`--repeat` times; the script prints p50/p95 and the queries per request.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DB = "sajad_bench_search"

REAL_WORDS = (
    "دانشجو دانشگاه خوابگاه سلف غذا وام شهریه پرداخت کارت دانشجویی تغذیه رزرو سامانه ثبت نام "
    "انتقال مهمان پزشکی بیمه درمان مشاوره کتابخانه آزمایشگاه استاد کلاس امتحان نمره ترم بورسیه "
    "پاسخ پیگیری درخواست مسئول کارشناس اداره معاونت فرم مدارک گواهی تحصیل فارغ تحصیلی اتاق آب گرم "
    "سرد برق اینترنت شبکه ورزشی سالن باشگاه رفت آمد سرویس اتوبوس هزینه ودیعه مسکن متاهلی"
).split()
SYLLABLES = "با ری سا نو ده کا مه پر تو شی دا ور گل زن هم بی من رو سی لا فر".split()
PLANTED_RARE = "نوبت\u200cدهی"
PLANTED_RARE_COUNT = 16

SEARCHES = [
    ("rare word, half-space", "نوبت\u200cدهی"),
    ("rare word, spaced", "نوبت دهی"),
    ("rare word, joined", "نوبتدهی"),
    ("hamza left out", "تاخیر"),
    ("two common words", "خوابگاه سلف"),
    ("common + rare", "دانشجو نوبتدهی"),
    ("description phrase", "ودیعه مسکن متاهلی"),
    ("Arabic letters", "كارت دانشجويي"),
    ("nothing matches", "زرافه"),
    ("tracking number", "{number}"),
]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = list(REAL_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def prepare_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT)


def load(cases: int) -> None:
    from django.db import connection

    from sajad.models import Service, Unit
    from sajad.persian import search_keys

    rng = random.Random(1405)
    words = vocabulary(3000, rng)
    keys = [search_keys(w)[1] for w in words]
    unit = Unit.objects.create(name="واحد", slug="u", email="u@example.ir")
    service = Service.objects.create(
        name="خدمت", slug="s", unit=unit, definition="-", recipients="-", provider="-",
        responsibilities="-", mutual_obligations="-", required_data="-", dispute_resolution="-",
        termination="-",
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS case_search_text_trgm_idx")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # idx(k): a skewed draw (power 3 favours the first words) of word k of this case.
        cursor.execute(
            """
            CREATE TEMP TABLE draw AS
            SELECT g, array(SELECT 1 + floor(%s * power(random(), 3))::int
                            FROM generate_series(1, 46) WHERE g > 0) AS w,
                   3 + g %% 4 AS subject_len, 20 + g %% 21 AS description_len
            FROM generate_series(1, %s) AS g
            """,
            [len(words), cases],
        )
        cursor.execute(
            """
            INSERT INTO complaints_case (kind, tracking_number, identity_tier, full_name,
                national_code, mobile, email, pin_hash, service_id, subject, description,
                search_text, status, unit_id, priority, created_at, updated_at, status_changed_at,
                routed_at, referred_body_name, referred_body_url, is_overdue, escalation_level)
            SELECT 'complaint', (100000000 + d.g)::text, 'contact_only', '', '', '09120000000',
                '', '', %(service)s,
                s.subject, t.description, s.subject_key || t.description_key,
                'assigned', %(unit)s, 2, now() - (d.g || ' seconds')::interval, now(), now(),
                now(), '', '', false, 0
            FROM draw d
            CROSS JOIN LATERAL (
                SELECT string_agg((%(words)s::text[])[w], ' ' ORDER BY n) AS subject,
                       string_agg((%(keys)s::text[])[w], '' ORDER BY n) AS subject_key
                FROM unnest(d.w[1:d.subject_len]) WITH ORDINALITY AS x(w, n)
            ) s
            CROSS JOIN LATERAL (
                SELECT string_agg((%(words)s::text[])[w], ' ' ORDER BY n) AS description,
                       string_agg((%(keys)s::text[])[w], '' ORDER BY n) AS description_key
                FROM unnest(d.w[7:6 + d.description_len]) WITH ORDINALITY AS x(w, n)
            ) t
            """,
            {"service": service.pk, "unit": unit.pk, "words": words, "keys": keys},
        )
        # Planted words with a known count: one rare, one in about 0.1% of subjects.
        cursor.execute(
            """
            UPDATE complaints_case SET description = description || ' ' || %s,
                search_text = search_text || %s
            WHERE id IN (SELECT id FROM complaints_case ORDER BY id DESC OFFSET 5000 LIMIT 1)
               OR id IN (SELECT id FROM complaints_case ORDER BY random() LIMIT %s)
            """,
            [PLANTED_RARE, search_keys(PLANTED_RARE)[1], PLANTED_RARE_COUNT - 1],
        )
        cursor.execute(
            """
            UPDATE complaints_case SET subject = 'تأخیر در ' || subject,
                search_text = 'تاخیردر' || search_text
            WHERE id %% 1000 = 7
            """,
            [],
        )
        loaded = time.perf_counter()
        cursor.execute(
            "CREATE INDEX case_search_text_trgm_idx ON complaints_case "
            "USING gin (search_text gin_trgm_ops)"
        )
        indexed = time.perf_counter()
        cursor.execute("VACUUM ANALYZE complaints_case")
        cursor.execute("CHECKPOINT")
    print(f"loaded {cases:,} cases in {loaded - started:.0f} s, "
          f"trigram index built in {indexed - loaded:.0f} s")


def check_sample() -> None:
    """The SQL-built search_text must equal what case_file would have stored."""
    from complaints.models import Case, case_search_text

    sample = Case.objects.order_by("?")[:200]
    for case in sample:
        expected = case_search_text(
            subject=case.subject, full_name=case.full_name, description=case.description
        )
        assert case.search_text == expected, (case.pk, case.search_text, expected)


def sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('complaints_case')), "
            "pg_size_pretty(pg_relation_size('case_search_text_trgm_idx')), "
            "(SELECT avg(length(description))::int FROM complaints_case)"
        )
        table, index, avg_description = cursor.fetchone()
    print(f"table {table}, trigram index {index}, average description {avg_description} chars")


def measure(repeat: int) -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints import roles
    from complaints.models import Case
    from complaints.workflow import Role

    from django.test.utils import setup_test_environment

    setup_test_environment()  # so the test client keeps the template context (result counts)
    settings.ALLOWED_HOSTS = ["*"]
    user, _ = User.objects.get_or_create(username="bench-monitor", defaults={"is_staff": True})
    user.groups.add(roles.staff_group(Role.MONITORING))
    client = Client()
    client.force_login(user)
    number = Case.objects.order_by("-id").values_list("tracking_number", flat=True)[100]
    print(f"{Case.objects.count():,} cases; {repeat} requests per search")
    for label, term in SEARCHES:
        url = "/admin/complaints/case/?" + urlencode({"q": term.format(number=number)})
        client.get(url)  # warm the cache for this shape once
        times, queries, found = [], 0, 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            queries = len(captured)
            found = response.context["cl"].result_count
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"{label:22} p50 {statistics.median(times) * 1000:7.1f} ms  "
              f"p95 {p95 * 1000:7.1f} ms  {queries:2} queries  {found:>6} found  "
              f"HTTP {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    if not args.no_load:
        prepare_database()
    import django

    django.setup()
    if not args.no_load:
        load(args.cases)
    check_sample()
    sizes()
    measure(args.repeat)


if __name__ == "__main__":
    main()
