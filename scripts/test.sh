#!/usr/bin/env bash
# Run the whole test suite against real PostgreSQL and Redis (never SQLite, never eager Celery).
# Extra arguments go to pytest: scripts/test.sh -k health -x
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

if ! pg_answers || ! redis_answers; then
  say "starting PostgreSQL and Redis"
  services_up
fi
pg_answers || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT: the tests need it (see README)"
redis_answers || die "Redis does not answer on $REDIS_HOST:$REDIS_PORT: the tests need it (see README)"

# The suite's own addresses; a developer's .env (which may point at SQLite) must not leak in.
export DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/15}"
unset CELERY_BROKER_URL CACHE_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=sajad.settings.test
export PATH="$VENV/bin:$PATH"
mkdir -p var/staticfiles  # WhiteNoise warns on every request when STATIC_ROOT is missing

set +e
python -m pytest "$@"
status=$?
set -e
exit $status
