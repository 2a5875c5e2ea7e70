"""Ship the default working week and Iran's fixed solar holidays as data.

The week is Saturday–Wednesday 07:30–14:30 with Thursday and Friday off. The solar holidays fall on
the same Jalali day every year; lunar holidays move against the solar calendar and are entered per
year in admin. Names are stored in Persian because they are data the monitoring unit edits, not
interface text.
"""
import datetime

from django.db import migrations

# Python weekday numbers: Monday 0 … Sunday 6.
WORKING_WEEKDAYS = {5, 6, 0, 1, 2}  # Saturday, Sunday, Monday, Tuesday, Wednesday

SOLAR_HOLIDAYS = [
    (1, 1, "نوروز"),
    (1, 2, "نوروز"),
    (1, 3, "نوروز"),
    (1, 4, "نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "روز ملی شدن صنعت نفت"),
]


def seed(apps, schema_editor):
    WorkingWeek = apps.get_model("sajad", "WorkingWeek")
    Holiday = apps.get_model("sajad", "Holiday")
    for weekday in range(7):
        WorkingWeek.objects.get_or_create(
            weekday=weekday,
            defaults={
                "is_working": weekday in WORKING_WEEKDAYS,
                "start": datetime.time(7, 30),
                "end": datetime.time(14, 30),
            },
        )
    for month, day, name in SOLAR_HOLIDAYS:
        Holiday.objects.get_or_create(
            recurring=True, jalali_month=month, jalali_day=day, defaults={"name": name}
        )


def unseed(apps, schema_editor):
    apps.get_model("sajad", "WorkingWeek").objects.all().delete()
    Holiday = apps.get_model("sajad", "Holiday")
    for month, day, _name in SOLAR_HOLIDAYS:
        Holiday.objects.filter(recurring=True, jalali_month=month, jalali_day=day).delete()


class Migration(migrations.Migration):

    dependencies = [("sajad", "0002_working_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
