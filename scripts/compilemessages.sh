#!/usr/bin/env bash
# Compile locale/*.po into .mo files (they are build output, not committed). Needs GNU gettext.
# Usage: scripts/compilemessages.sh [--required]   (--required: fail instead of warn without gettext)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# Django refuses to run when no catalogue exists at all (e.g. before the first makemessages).
if [ -z "$(find . \( -path ./node_modules -o -path ./.venv -o -path ./var \) -prune -o \
             -name '*.po' -print -quit)" ]; then
  echo "compilemessages: no .po catalogues yet, nothing to compile"
  exit 0
fi

if ! command -v msgfmt >/dev/null 2>&1; then
  say "gettext is missing; installing it"
  if ! apt_install gettext; then
    msg="msgfmt (GNU gettext) is not installed: sudo apt-get install gettext  (macOS: brew install gettext)"
    if [ "${1:-}" = "--required" ]; then die "$msg"; fi
    warn "$msg"
    warn "continuing without compiled translations: the interface will show its English source text"
    exit 0
  fi
fi
"$PY" manage.py compilemessages --ignore=node_modules --ignore=.venv --ignore=var -v 0
