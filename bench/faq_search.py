"""FAQ search latency over 10,000 Persian entries, in a scratch database.

Run: DJANGO_SETTINGS_MODULE=sajad.settings.base .venv/bin/python bench/faq_search.py [--entries N]

Creates (if missing) and migrates the `sajad_bench` database, replaces its FAQ data with N generated
entries (bulk insert; search columns from faq.search.index_keys, exactly as faq.services writes
them), runs ANALYZE, then times a mix of queries typed the ways citizens type them and prints the
median and 95th-percentile latency of `faq_search` and the number of SQL queries per search.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DB = "sajad_bench"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = [
    "وام شهریه", "وام ودیعه مسکن", "خوابگاه دانشجویی", "معافیت تحصیلی", "ارزشیابی مدرک تحصیلی",
    "بورسیه تحصیلی", "انتقال دانشجو", "مهمان شدن در دانشگاه دیگر", "تأیید مدارک خارج از کشور",
    "کارت دانشجویی", "بیمه دانشجویی", "تغذیه دانشجویی", "اعزام دانشجو", "گواهی اشتغال به تحصیل",
    "فارغ‌التحصیلی", "تسویه حساب", "بازپرداخت اقساط وام", "سامانه سجاد", "دانشجویان بین‌الملل",
    "المپیاد علمی", "استعدادهای درخشان", "کمک‌هزینه تحصیلی", "تغییر رشته", "حذف ترم",
]
TEMPLATES = [
    "چگونه می‌توانم درخواست {s} را ثبت کنم؟",
    "مدارک لازم برای {s} کدام است؟",
    "مهلت ثبت‌نام {s} تا چه زمانی است؟",
    "آیا برای {s} باید هزینه پرداخت کنم؟",
    "پیگیری وضعیت {s} چگونه است؟",
    "شرایط {s} برای دانشجویان شبانه چیست؟",
    "می‌خواهم {s} را لغو کنم؛ چه کنم؟",
    "چرا درخواست {s} من رد شد؟",
    "{s} در ترم {n} چگونه انجام می‌شود؟",
    "فرم شماره {n} مربوط به {s} را از کجا دریافت کنم؟",
]
SENTENCES = [
    "ابتدا وارد سامانه شوید و از منوی خدمات گزینه مربوط را انتخاب کنید.",
    "تصویر کارت ملی و شناسنامه را بارگذاری کنید.",
    "بررسی درخواست حداکثر {n} روز کاری طول می‌کشد.",
    "در صورت نقص مدارک، پیامکی برای شما ارسال می‌شود.",
    "پرداخت از طریق درگاه الکترونیکی بانک انجام می‌شود.",
    "برای اطلاعات بیشتر با خط راهنمای سازمان تماس بگیرید.",
    "این خدمت برای دانشجویان دوره‌های روزانه رایگان است.",
    "نتیجه بررسی در کارتابل شما در سامانه نمایش داده می‌شود.",
    "درخواست‌هایی که پس از مهلت ثبت شوند بررسی نخواهند شد.",
    "کد رهگیری را تا پایان فرایند نگه دارید.",
]
QUERIES = [
    "وام شهریه", "وام شهريه", "میخواهم", "می خواهم لغو", "می‌خواهم", "خوابگاه", "خوابگاه دانشجويي",
    "معافیت تحصیلی", "مدارك لازم", "فرم ۱۲", "فرم 12", "فرم ١٢", "ترم ۳", "بازپرداخت اقصاط",
    "ارزشیابی مدرک", "کارت دانشجویی گم", "بورسیه", "هزینه", "پیگیری وضعیت", "تسویه حساب",
    "فارغ التحصیلی", "فارغالتحصیلی", "کمک هزینه", "استعدادهای درخشان", "گواهی اشتغال به تحصیل",
    "سامانه سجاد", "چرا رد شد", "گذرنامه", "تغییر رشته در ترم ۲", "ودیعه مسکن",
]


def ensure_database() -> None:
    exists = subprocess.run(
        ["psql", "-U", "postgres", "-h", "127.0.0.1", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'", "postgres"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-U", "postgres", "-h", "127.0.0.1", BENCH_DB], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()

    ensure_database()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from faq.models import FaqCategory, FaqEntry
    from faq.search import faq_search, index_keys
    from sajad.models import Service, Unit
    from sajad.persian import normalize_text

    call_command("migrate", verbosity=0)
    rng = random.Random(4)

    started = time.perf_counter()
    FaqEntry.objects.all().delete()
    FaqCategory.objects.all().delete()
    unit, _ = Unit.objects.get_or_create(slug="bench-unit", defaults={"name": "واحد آزمون"})
    services = []
    for i, subject in enumerate(SUBJECTS):
        service, _ = Service.objects.get_or_create(
            slug=f"bench-{i}",
            defaults=dict(
                name=subject, unit=unit, definition="-", recipients="-", provider="-",
                responsibilities="-", mutual_obligations="-", required_data="-",
                dispute_resolution="-", termination="-",
            ),
        )
        services.append(service)
    categories = FaqCategory.objects.bulk_create(
        [FaqCategory(service=s, name=name) for s in services for name in ("عمومی", "مدارک", "مالی")]
        + [FaqCategory(service=None, name="پرسش‌های عمومی")]
    )
    entries = []
    for i in range(args.entries):
        subject = rng.choice(SUBJECTS)
        n = rng.randint(1, 40)
        question = normalize_text(rng.choice(TEMPLATES).format(s=subject, n=n))
        sentences = rng.sample(SENTENCES, k=rng.randint(2, 5))
        answer = normalize_text(
            " ".join(s.format(n=rng.randint(2, 30)) for s in sentences)
            + f"\n\n- مورد {rng.choice(SUBJECTS)}\n- **نکته:** {rng.choice(SENTENCES).format(n=n)}"
        )
        entries.append(
            FaqEntry(
                category=rng.choice(categories), question=question, answer=answer,
                is_published=rng.random() < 0.9, order=i % 50,
                helpful_yes=rng.randint(0, 50), view_count=rng.randint(0, 900),
                **index_keys(question=question, answer=answer),
            )
        )
    FaqEntry.objects.bulk_create(entries, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE faq_faqentry")
    loaded = time.perf_counter() - started
    print(f"loaded {args.entries:,} entries in {loaded:.1f}s into {BENCH_DB}")

    # Warm up connection and caches, then time.
    for query in QUERIES:
        faq_search(query)
    timings, query_counts, hits = [], [], []
    for i in range(args.searches):
        query = QUERIES[i % len(QUERIES)]
        service = services[i % len(services)] if i % 4 == 0 else None
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            found = faq_search(query, service=service)
            timings.append((time.perf_counter() - t0) * 1000)
        query_counts.append(len(ctx.captured_queries))
        hits.append(len(found))
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"searches: {len(timings)} over {len(QUERIES)} distinct queries (1 in 4 filtered by service)")
    print(f"latency ms: median {statistics.median(timings):.1f}  p95 {p95:.1f}  max {timings[-1]:.1f}")
    print(f"SQL queries per search: {min(query_counts)}–{max(query_counts)}")
    print(f"results per search: median {statistics.median(hits):.0f}, "
          f"zero-result searches {sum(1 for h in hits if h == 0)}")


if __name__ == "__main__":
    main()
