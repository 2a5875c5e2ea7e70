"""Settings shared by every environment, read from the environment (12-factor).

`test.py` only speeds things up and `production.py` only hardens; nothing else differs.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from sajad.resilient_cache import resilient

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
# The key of the PINs' keyed hash (complaints.tracking). Never stored in the database; changing it
# makes every anonymous case's PIN stop working, so it is separate from SECRET_KEY's rotation.
PIN_HMAC_KEY = env("PIN_HMAC_KEY", default=SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_jalali",
    "django_celery_beat",
    "axes",
    "sajad",
    "notifications",
    "complaints",
    "surveys",
    "faq",
    "dashboards",
    "catalogue",
    "unit_reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sajad.middleware.PersianFirstLocaleMiddleware",
    "sajad.middleware.AdminPersianDigitsMiddleware",
    # After the language is chosen (its page is Persian), before CSRF, auth and every view.
    "sajad.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Failed logins per address across usernames (password spraying); axes does username+address.
    "sajad.security.LoginSprayGuardMiddleware",
    # Last, so it sees the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sajad.urls"
WSGI_APPLICATION = "sajad.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sajad.context_processors.organisation",
            ],
        },
    },
]

# PostgreSQL is the real database; `make run` may point DATABASE_URL at SQLite when no server answers.
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/sajad"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The portal runs as a role that cannot change or truncate the case log (DATABASE_URL points at
# it in compose and `make run`); migrations run as the owner, which then calls
# `manage.py grant_runtime_role` to create this role and grant its rights.
DATABASE_RUNTIME_ROLE = env("DATABASE_RUNTIME_ROLE", default="sajad_app")
DATABASE_RUNTIME_PASSWORD = env("DATABASE_RUNTIME_PASSWORD", default="")

# Redis serves three jobs: Celery broker, Celery results, and the shared cache behind rate limits.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = "Asia/Tehran"
# How long a process uses its copy of the working calendar and the SLA policies before it asks
# Redis whether they changed (sajad.shared_copy): a change in admin reaches the other processes
# within this many seconds, and a filing saves two round trips to Redis.
SHARED_COPY_CHECK_SECONDS = env.float("SHARED_COPY_CHECK_SECONDS", default=2.0)

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker rides out a broker outage: it reconnects for as long as it takes (no retry limit),
# and tasks running when the connection drops are cancelled and redelivered (acks are late and
# every task is idempotent) instead of failing their ack and taking the worker down.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 4
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Filing must never wait on a broker that is down: fail fast, the sweep re-enqueues later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The embedded default of `make run` (no Redis): Celery's filesystem broker, whose folders kombu
# will not create for itself.
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(BASE_DIR / "var" / "broker")))
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        # Otherwise kombu writes its control exchange into the current directory.
        "control_folder": str(_broker_dir / "control"),
        # kombu sleeps this long between reads; its 1 s default caps a worker at one task a second.
        "polling_interval": 0.1,
    }

# Redis through sajad.resilient_cache: while Redis is unreachable, limits fall back to a local
# in-process cache instead of failing the citizen's request.
CACHES = {"default": resilient(
    env.cache("CACHE_URL", default=REDIS_URL.replace("redis://", "rediscache://"))
)}
RATELIMIT_USE_CACHE = "default"
# Client addresses for every limit and lockout come from sajad.security.client_ip: REMOTE_ADDR,
# or X-Forwarded-For read through at most TRUSTED_PROXY_COUNT proxies in TRUSTED_PROXY_NETWORKS
# (0 by default: the header is ignored; docker compose behind one proxy sets 1).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_NETWORKS = env.list("TRUSTED_PROXY_NETWORKS", default=[
    "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
])
RATELIMIT_IP_META_KEY = "sajad.security.client_ip"
RATELIMIT_VIEW = "sajad.views.rate_limited"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin and desk logins: lock a username+IP pair after five failures for half an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# axes stores the typed username (varchar 255); a longer one would be a database error, and no
# account name is longer than auth's 150 characters anyway.
AXES_USERNAME_CALLABLE = "sajad.security.login_username"
AXES_CLIENT_IP_CALLABLE = "sajad.security.client_ip"
# The site's own 429 page (lang, title, landmarks) instead of axes' bare text.
AXES_LOCKOUT_CALLABLE = "sajad.views.login_locked_out"
LOGIN_URL = "desk:login"  # the admin has its own login; this one serves desk and staff downloads
LOGIN_REDIRECT_URL = "desk:inbox"

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party assets come from npm at install time; only their dist folders are exposed.
# var/build/static/ comes first: `scripts/build-assets.mjs` writes there, at install time, Bootstrap
# with only the selectors we use, Vazirmatn's Persian-only font, and our own CSS and JS minified
# under their source names (so a built file wins over its source in static/).
STATICFILES_DIRS = [
    BASE_DIR / "var" / "build" / "static",
    BASE_DIR / "static",
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "sajad.storage.ForgivingManifestStaticFilesStorage"},
}

# Attachments live outside any URL space and are only streamed by views that check access.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = 5

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Database sessions without the "is this random key taken?" query (see sajad/sessions.py).
SESSION_ENGINE = "sajad.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# A refused form gets the site's Persian page, not Django's English one that mentions DEBUG.
CSRF_FAILURE_VIEW = "sajad.views.csrf_failure"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="sajad@example.ir")

# The organisation's public contact details (footer, home and contact pages, SLA pages); the
# defaults are the facts of SPEC §1.6. Numbers are stored with ASCII digits and shown through the
# fa_digits filter; `phone_tel` is the dialable form behind tel: links (ASCII, international).
ORGANISATION = {
    "name": _("Student Affairs Organization"),
    "portal": _("Sajad"),
    "phone": env("ORG_PHONE", default="021-96664000-9"),
    "phone_tel": env("ORG_PHONE_TEL", default="+982196664000"),
    "address": env(
        "ORG_ADDRESS",
        default="تهران، میدان فردوسی، خیابان انقلاب اسلامی، خیابان شهید موسوی (فرصت جنوبی)، پلاک 27",
    ),
    "postal_code": env("ORG_POSTAL_CODE", default="15819-44734"),
    "po_box": env("ORG_PO_BOX", default="15815-1117"),
    "email": env("ORG_EMAIL", default="info@saorg.ir"),
    "website": env("ORG_WEBSITE", default="www.saorg.ir"),
    "portal_site": env("ORG_PORTAL_SITE", default="portal.saorg.ir"),
    "single_window": env("ORG_SINGLE_WINDOW", default="my.saorg.ir"),
}

# Filing and tracking limits (django-ratelimit rate strings). Filing counts accepted cases only,
# per client address (generous: dormitories share one) and per mobile (complaints/filing_limits.py).
RATE_FILING = env("RATE_FILING", default="40/h")
RATE_FILING_MOBILE = env("RATE_FILING_MOBILE", default="5/h")
RATE_TRACKING = env("RATE_TRACKING", default="20/10m")
# The filing form's live FAQ suggestions fire a request per pause in typing: brisk typing, not scraping.
RATE_FAQ_SUGGEST = env("RATE_FAQ_SUGGEST", default="60/m")
# FAQ "helpful" votes and "this answered my question" clicks per address: a family or a computer
# room votes a few times; fresh sessions from one script do not inflate the counts.
RATE_FAQ_VOTE = env("RATE_FAQ_VOTE", default="20/h")
# Wrong guesses of a case's mobile or PIN: per tracking number from one address, and per number
# from everyone together (only wrong guesses count, so the owner never uses them up).
TRACKING_GUESSES_PER_ADDRESS = env("TRACKING_GUESSES_PER_ADDRESS", default="5/h")
TRACKING_GUESSES_PER_NUMBER = env("TRACKING_GUESSES_PER_NUMBER", default="100/h")
# Password spraying: failed staff logins per address across all usernames (django-axes already
# locks one username+address pair after AXES_FAILURE_LIMIT failures).
RATE_LOGIN_FAILURES = env("RATE_LOGIN_FAILURES", default="20/h")
# Survey answers per client IP: a family on one connection answers a few; a script does not.
RATE_SURVEY = env("RATE_SURVEY", default="20/h")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# SMS: the console backend logs messages; production sets the HTTP gateway backend, URL and key.
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.console.ConsoleBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# Publishing a task must not hang a citizen's request when the broker is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}
# Where links in SMS and e-mail point: the portal's public base URL, without a trailing slash.
# `make run` sets it from WEB_HOST/WEB_PORT; production requires it (settings/production.py).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Surveys (§3.2): one invitation per mobile number per this many days; the one reminder after N days.
SURVEY_FATIGUE_DAYS = env.int("SURVEY_FATIGUE_DAYS", default=30)
SURVEY_REMINDER_DAYS = env.int("SURVEY_REMINDER_DAYS", default=3)
# Close events younger than this wait for the next invitation sweep (see surveys/invitations.py).
SURVEY_INVITE_LAG_SECONDS = env.int("SURVEY_INVITE_LAG_SECONDS", default=120)

# Days after an answer is published during which the citizen may object (§3.1 "After the answer").
DISPUTE_WINDOW_DAYS = env.int("DISPUTE_WINDOW_DAYS", default=30)

# Connections the SLA sweep uses side by side to take a large backlog of due steps (SKIP LOCKED
# splits the work); about the number of database cores.
SLA_SWEEP_PARALLEL = env.int("SLA_SWEEP_PARALLEL", default=2)
