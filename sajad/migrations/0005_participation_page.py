"""The citizen-participation commitments page, and who may edit it.

The text is the organisation's own first draft; staff of the monitoring head group keep it current
in admin. Rolling back removes the page only if nobody has edited it since.
"""
from django.db import migrations

SLUG = "participation"
MONITORING_HEAD = "مدیران نظارت"  # complaints/migrations/0003_staff_groups.py
TITLE = "تعهدات ما در مشارکت شهروندان"
BODY = """سازمان امور دانشجویان شنیدن صدای دانشجویان، خانواده‌ها و دانشگاه‌ها را بخشی از کار هر روز خود می‌داند. در این صفحه می‌گوییم چگونه به شما گوش می‌دهیم و در برابر آن چه قولی می‌دهیم.

- **ثبت آسان:** شکایت، انتقاد یا پیشنهاد خود را بی‌نیاز از حساب کاربری و در چند دقیقه در بخش «نظارت مردمی» سامانه سجاد ثبت کنید. انتقاد و پیشنهاد را بی‌نام هم می‌توانید بفرستید.
- **پیگیری شفاف:** پس از ثبت، شماره پیگیری می‌گیرید و با آن مرحله رسیدگی، پاسخ‌ها و تاریخ هر اقدام را می‌بینید.
- **مهلت‌های روشن:** برای نخستین بررسی، پاسخ واحد مسئول و رسیدگی نهایی هر پرونده زمان مشخصی تعیین شده است. واحد نظارت و ارزیابی این مهلت‌ها را پیوسته پایش می‌کند و تأخیرها را به مدیران بالاتر گزارش می‌دهد.
- **حق اعتراض:** اگر پاسخ را قانع‌کننده ندانستید، در مهلت اعلام‌شده اعتراض کنید تا پرونده در سطحی بالاتر دوباره بررسی شود.
- **نظرسنجی و برنامه اصلاح:** رضایت شما از هر خدمت الکترونیکی با نظرسنجی سنجیده می‌شود. نتیجه‌ها را مرور می‌کنیم و برای هر کاستی برنامه اصلاحی با مسئول و موعد مشخص می‌نویسیم.
- **پرسش‌های متداول:** پاسخ پرسش‌های رایج هر خدمت در بخش «پرسش‌های متداول» آمده است و با پرسش‌های تازه شما کامل‌تر می‌شود.
- **راهنمایی تلفنی:** اگر پاسخ خود را نیافتید، در ساعات اداری با خط راهنمایی سازمان که شماره آن در پایین همه صفحه‌ها آمده است تماس بگیرید."""


def create_page(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the group needs them now.
    sajad = apps.get_app_config("sajad")
    sajad.models_module = True
    create_permissions(sajad, apps=apps, verbosity=0)
    sajad.models_module = None

    StaticPage = apps.get_model("sajad", "StaticPage")
    StaticPage.objects.get_or_create(slug=SLUG, defaults={"title": TITLE, "body": BODY})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MONITORING_HEAD)
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="sajad", codename__in=["view_staticpage", "change_staticpage"],
    ))


def remove_page(apps, schema_editor):
    apps.get_model("sajad", "StaticPage").objects.filter(slug=SLUG, title=TITLE, body=BODY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sajad", "0004_static_page"),
        ("complaints", "0003_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_page, remove_page)]
