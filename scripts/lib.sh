# Shared helpers for the scripts in this folder; source it, do not run it.
# Every address can be overridden from the environment (or `make run PG_PORT=1 ...`).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
PY="$VENV/bin/python"

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
PG_DB="${PG_DB:-sajad}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"

# The portal's public base URL for `make run`: where the web server listens (WEB_HOST, WEB_PORT),
# with a wildcard bind address shown as the loopback address a browser can open.
public_url() {
  local host="${WEB_HOST:-127.0.0.1}"
  case "$host" in 0.0.0.0|"::"|"[::]") host=127.0.0.1 ;; esac
  printf 'http://%s:%s' "$host" "${WEB_PORT:-8000}"
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33m!!  %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mxx  %s\033[0m\n' "$*" >&2; exit 1; }

# True when PostgreSQL accepts connections. pg_isready may be missing (no client installed), so
# fall back to a psycopg2 connection attempt from the virtualenv.
pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 2>/dev/null
    return
  fi
  "$PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" <<'PYEOF' 2>/dev/null
import sys, psycopg2
psycopg2.connect(host=sys.argv[1], port=int(sys.argv[2]), user=sys.argv[3], dbname="postgres",
                 connect_timeout=3).close()
PYEOF
}

# True when Redis answers PING. redis-cli is often absent on a laptop, so speak RESP over a socket.
redis_answers() {
  "$PY" - "$REDIS_HOST" "$REDIS_PORT" <<'PYEOF' 2>/dev/null
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PYEOF
}

# Make sure the application database exists on a PostgreSQL server that answers.
ensure_pg_database() {
  "$PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$PG_DB" <<'PYEOF'
import sys, psycopg2
from psycopg2 import sql
host, port, user, name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=5)
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
conn.close()
PYEOF
}

# Start PostgreSQL and Redis on localhost when they are not answering: the shared CI helper when it
# sits beside the repository, otherwise the same steps done here.
services_up() {
  local shared="$REPO_ROOT/../shared/services-up"
  if [ -x "$shared" ] || [ -f "$shared" ]; then
    bash "$shared" >/dev/null 2>&1 || true
    return 0
  fi
  if ! pg_answers; then
    local v
    v=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
    if [ -n "$v" ] && command -v pg_ctlcluster >/dev/null; then
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    fi
  fi
  if ! redis_answers && command -v redis-server >/dev/null; then
    mkdir -p /tmp/sajad-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /tmp/sajad-redis --logfile /tmp/sajad-redis/redis.log || true
  fi
  local i
  for i in $(seq 1 20); do
    pg_answers && redis_answers && return 0
    sleep 0.5
  done
}

# Install a Debian package when we are root and apt-get exists; otherwise say how.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    if ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then
      apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
             --no-install-recommends "$@"; }
  else
    return 1
  fi
}
