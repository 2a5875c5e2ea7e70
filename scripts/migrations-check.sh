#!/usr/bin/env bash
# Fail when the models need a migration that is not committed. Needs PostgreSQL only to read the
# applied-migrations table; the check itself compares models with the migration files.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
export DATABASE_URL="${DATABASE_URL:-postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB}"
export DJANGO_SETTINGS_MODULE=sajad.settings.test
"$VENV/bin/python" manage.py makemigrations --check --dry-run -v 1
