#!/usr/bin/env bash
# Create the application database on the local PostgreSQL server if it is missing (idempotent).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pg_answers || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT"
ensure_pg_database
