#!/usr/bin/env bash
# The rules of STYLE.md point 19 that a grep can check. Prints every violation as file:line and
# exits 1 if there is any. Only files git knows about (tracked, or new and not ignored) are read.
# A line may opt out with the comment `grep-rules: allow` when a reviewer agreed it is a false hit.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
files() { git ls-files -co --exclude-standard -- "$@" | while read -r f; do [ -f "$f" ] && echo "$f"; done; }

# check NAME PCRE FILE... : report lines matching PCRE (comments and opted-out lines excluded).
check() {
  local name=$1 pattern=$2; shift 2
  [ $# -gt 0 ] || return 0
  local hits
  hits=$(grep -nHP -- "$pattern" "$@" 2>/dev/null | grep -vP '^[^:]+:\d+:\s*(#|//|/?\*|\{#)' \
         | grep -v 'grep-rules: allow' || true)
  if [ -n "$hits" ]; then
    printf '\n[%s]\n%s\n' "$name" "$hits"
    failed=1
  fi
}

# 1. Status changes go through services (the one state machine); migrations may set data too.
mapfile -t py_outside_services < <(files '*.py' | grep -vP '(^|/)services(\.py|/)|/migrations/')
check "status written outside services.py (use the transition service)" \
  '(\.status\s*=(?!=)|\.(update|create|update_or_create|get_or_create)\([^)#]*\bstatus\s*=(?!=)|setattr\([^,]+,\s*["'"'"']status["'"'"']|bulk_update\(.*["'"'"']status["'"'"'])' \
  "${py_outside_services[@]}"

# 2. Services enqueue after commit only: delay_on_commit() or transaction.on_commit(...).
mapfile -t services < <(files '*services.py' '*/services/*.py')
check "bare .delay()/.apply_async() in services (enqueue on commit)" \
  '^(?!.*on_commit).*\.(delay|apply_async)\(' "${services[@]}"

# 3. The portal must work when foreign hosts are unreachable: no CDN assets in templates.
mapfile -t templates < <(files '*.html' '*.txt' | grep -P '(^|/)templates/')
check "CDN URL in a template (serve it from node_modules through static)" \
  '(?i)(https?:)?//[^"'"'"'\s>]*(cdn|jsdelivr|unpkg|googleapis|gstatic|cloudflare|fontawesome)' \
  "${templates[@]}"

# 4. Right-to-left first: logical properties in our CSS and inline styles.
mapfile -t css < <(files 'static/*.css' '*/static/*.css')
mapfile -t html < <(files '*.html')
check "physical left/right spacing (use margin-inline-start/-end, padding-inline-*)" \
  '(?i)\b(margin|padding)-(left|right)\b' "${css[@]}" "${html[@]}"

# 5. Tests and settings never switch Celery to eager mode.
mapfile -t code < <(files '*.py' '*.ini' '*.cfg' '*.toml' '*.env*' '*.yml' '*.yaml' '*.sh' \
                    | grep -v '^scripts/grep-rules.sh$')
check "eager Celery (tests use a real worker)" \
  '(?i)(task_always_eager|always_eager)' "${code[@]}"

# 6. A case's SLA state has one owner (complaints/escalation.py): nothing else writes the overdue
#    flag or the escalation level, in Python or in SQL. Migrations and bench data loaders aside.
mapfile -t py_outside_escalation < <(files '*.py' \
  | grep -vP '^complaints/escalation\.py$|/migrations/|^bench/')
check "is_overdue/escalation_level written outside complaints/escalation.py" \
  '(\.(is_overdue|escalation_level)\s*[-+]?=(?!=)|\.(update|create|update_or_create|get_or_create)\([^)#]*\b(is_overdue|escalation_level)\s*=(?!=)|update_fields=[^)]*["'"'"'](is_overdue|escalation_level)["'"'"']|(?i)\bSET\s+(is_overdue|escalation_level)\b)' \
  "${py_outside_escalation[@]}"

if [ "$failed" -ne 0 ]; then
  printf '\ngrep rules: violations found (STYLE.md point 19)\n' >&2
  exit 1
fi
echo "grep rules: clean"
