"""Settings per environment: production passes `check --deploy`, the embedded fallback checks clean,
and the test settings keep the real stack."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

REPO_ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )


def _clean_env(**overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.pop("CACHE_URL", None)
    env.update(overrides)
    return env


def test_production_settings_pass_check_deploy_at_warning_level():
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="sajad.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="sajad.example.ir",
        SITE_URL="https://sajad.example.ir",
    )

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _embedded_env(tmp_path) -> dict:
    """What scripts/run.sh sets when neither PostgreSQL nor Redis answers."""
    return _clean_env(
        DJANGO_SETTINGS_MODULE="sajad.settings.base",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "broker"),
        CACHE_URL=f"filecache://{tmp_path}/cache",
    )


def test_the_embedded_fallback_of_make_run_passes_the_system_checks(tmp_path):
    env = _embedded_env(tmp_path)

    result = _manage("check", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    # kombu does not create the filesystem broker's folders; the settings must.
    assert (tmp_path / "broker" / "out").is_dir()
    assert (tmp_path / "broker" / "processed").is_dir()


def test_the_embedded_fallback_of_make_run_migrates_a_fresh_database_and_files_a_case(tmp_path):
    """Without PostgreSQL `make run` uses SQLite: every migration must run there (no LEAST, no
    pg_trgm), and filing takes the ORM write instead of the one-statement one."""
    env = _embedded_env(tmp_path)
    migrated = _manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    filed = _manage("shell", "-c", (
        "from tests import factories; from notifications.models import Message; "
        "case = factories.filed_case(email='zahra@example.ir').case; "
        "print(case.clocks.count(), case.events.count(), Message.objects.about(case).count())"
    ), env=env)
    assert filed.returncode == 0, filed.stdout + filed.stderr
    assert filed.stdout.split()[-3:] == ["2", "1", "2"]


def test_the_suite_itself_runs_on_postgresql_and_redis():
    assert django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    # Django's Redis cache (sajad.resilient_cache subclasses it), never a local stand-in.
    assert isinstance(caches["default"], RedisCache)
    assert django_settings.CELERY_BROKER_URL.startswith("redis://")


def test_production_refuses_to_start_without_the_public_base_url():
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="sajad.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="sajad.example.ir",
    )
    env.pop("SITE_URL", None)

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_make_run_links_follow_the_host_and_port_it_serves_on():
    """scripts/run.sh exports SITE_URL from `public_url` unless SITE_URL is set."""
    def public_url(**env_vars):
        env = {k: v for k, v in os.environ.items() if k not in ("WEB_HOST", "WEB_PORT")}
        env.update(env_vars)
        return subprocess.run(
            ["bash", "-c", "source scripts/lib.sh && public_url"], cwd=REPO_ROOT, env=env,
            capture_output=True, text=True, check=True,
        ).stdout

    assert public_url(WEB_PORT="8108") == "http://127.0.0.1:8108"
    assert public_url(WEB_HOST="10.0.0.5", WEB_PORT="8001") == "http://10.0.0.5:8001"
    assert public_url(WEB_HOST="0.0.0.0", WEB_PORT="80") == "http://127.0.0.1:80"
    run_script = (REPO_ROOT / "scripts" / "run.sh").read_text()
    assert 'export SITE_URL="${SITE_URL:-$(public_url)}"' in run_script
