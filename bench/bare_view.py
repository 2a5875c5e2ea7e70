"""The limit the public path is measured against: a bare Django view doing one primary-key SELECT.

    gunicorn bench.bare_view --workers 2 --bind 127.0.0.1:8111

No middleware, no templates, no sessions: Django's request/response cycle, one persistent database
connection (the same CONN_MAX_AGE as the portal) and one `SELECT … WHERE id = %s` on the case table.
`bench/public_path.py` serves it under the same gunicorn settings as the portal, in the same run.
"""
import os
import random

import django
from django.conf import settings

if not settings.configured:
    import environ

    database = environ.Env.db_url_config(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sajad")
    )
    database["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-view",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={"default": database},
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

MIN_ID = int(os.environ.get("BARE_MIN_ID", "1"))
MAX_ID = int(os.environ.get("BARE_MAX_ID", "100000"))


def one_select(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, tracking_number, status, subject FROM complaints_case WHERE id = %s",
            [random.randint(MIN_ID, MAX_ID)],
        )
        row = cursor.fetchone()
    return HttpResponse(repr(row), content_type="text/plain; charset=utf-8")


urlpatterns = [path("", one_select)]
application = get_wsgi_application()
