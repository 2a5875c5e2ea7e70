#!/usr/bin/env bash
# Bring the portal up with demo data: web, Celery worker and beat in one foreground command.
#
# Backing services: PostgreSQL and Redis on localhost when they answer; otherwise the embedded
# defaults (SQLite in var/, Celery's filesystem broker and a file cache in var/) so that a newcomer
# without either server still sees the portal. Variables already set in the environment or in .env
# win over this choice. Called by `make run` after the install steps.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

if [ -f .env ]; then
  set -a; source .env; set +a
fi
export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-sajad.settings.base}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export WEB_HOST="${WEB_HOST:-127.0.0.1}"
export WEB_PORT="${WEB_PORT:-8000}"
# Links in SMS and e-mail (written by seed_demo and the worker) point where this run listens.
export SITE_URL="${SITE_URL:-$(public_url)}"
mkdir -p var

embedded=()
runtime_url=""
if [ -z "${DATABASE_URL:-}" ]; then
  if pg_answers; then
    ensure_pg_database
    export DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
    # Migrations as $PG_USER (the owner); web, worker and beat as the runtime role, which cannot
    # change or truncate the case log (manage.py grant_runtime_role, below). Trust auth locally.
    runtime_role="${DATABASE_RUNTIME_ROLE:-sajad_app}"
    runtime_url="postgres://$runtime_role${DATABASE_RUNTIME_PASSWORD:+:$DATABASE_RUNTIME_PASSWORD}@$PG_HOST:$PG_PORT/$PG_DB"
  else
    # Web, worker and beat write at once: take the write lock when a transaction starts (a
    # deferred one that upgrades fails at once with "database is locked") and let readers run
    # beside the writer (WAL).
    export DATABASE_URL="sqlite:///$REPO_ROOT/var/db.sqlite3?timeout=30&transaction_mode=IMMEDIATE&init_command=PRAGMA%20journal_mode%3DWAL"
    export WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-1}"
    embedded+=("SQLite (var/db.sqlite3)")
  fi
fi
if [ -z "${CELERY_BROKER_URL:-}" ] && [ -z "${CACHE_URL:-}" ]; then
  if redis_answers; then
    export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/0}"
  else
    # A broker and a cache that need no server; both live in var/ and are shared by all processes.
    export CELERY_BROKER_URL="filesystem://"
    export CACHE_URL="filecache://$REPO_ROOT/var/cache"
    embedded+=("Celery filesystem broker (var/broker)" "file cache (var/cache)")
  fi
fi

say "database: ${DATABASE_URL%%\?*}"
say "broker: ${CELERY_BROKER_URL:-${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/0}}"
DATABASE_URL="${DATABASE_OWNER_URL:-$DATABASE_URL}" python manage.py migrate --noinput -v 0
if [ -n "${DATABASE_OWNER_URL:-}" ]; then
  # .env names both: DATABASE_OWNER_URL migrates and grants, DATABASE_URL is the runtime role.
  DATABASE_URL="$DATABASE_OWNER_URL" python manage.py grant_runtime_role
fi
python manage.py collectstatic --noinput -v 0 \
  --ignore '*.scss' --ignore '*.less' --ignore '*.md' --ignore 'LICENSE*' --ignore '.DS_Store'
if python manage.py help seed_demo >/dev/null 2>&1; then
  say "demo data (seed_demo)"
  python manage.py seed_demo
  python manage.py seed_demo_reports
  say "demo surveys, a year of answers, a watch alarm and a completed plan (seed_demo_surveys)"
  python manage.py seed_demo_surveys
else
  warn "no seed_demo command yet: starting without demo data"
fi
python manage.py sync_schedules -v 0
# The dashboard's summary tables, so the seeded year shows at once (beat keeps them current).
python manage.py update_rollups --now
if [ -n "$runtime_url" ]; then
  python manage.py grant_runtime_role
  export DATABASE_URL="$runtime_url"
fi

url="$SITE_URL"
cat <<BANNER

  Sajad portal:     $url/
  Admin:            $url/admin/      Unit desk: $url/desk/
  Health:           $url/healthz
  Demo logins (password demo-pass-1405 for all):
    admin        administrator
    monitor      monitoring-unit expert
    monitorhead  head of the monitoring unit
    unithead     department head
    unitstaff    unit staff
BANNER
if [ ${#embedded[@]} -gt 0 ]; then
  echo "  Embedded fallback in use (no server answered): ${embedded[*]}."
  echo "  Start PostgreSQL and Redis on localhost and run make run again for the real stack."
fi
printf '  Stop everything with Ctrl-C.\n\n'

# supervisord restarts whichever process dies and keeps the others up (supervisord.conf).
export WEB_WORKERS="${WEB_WORKERS:-2}" WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-2}"
export SUPERVISOR_RUN_DIR="${SUPERVISOR_RUN_DIR:-$REPO_ROOT/var/run}"
mkdir -p "$SUPERVISOR_RUN_DIR"
exec supervisord -c "$REPO_ROOT/supervisord.conf"
