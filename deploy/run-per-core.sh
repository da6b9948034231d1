#!/usr/bin/env bash
# One app server per CPU core behind nginx on one machine, in one command (`make run-cores`):
#
#   deploy/run-per-core.sh [PORT] [N]      # nginx on PORT (default 8501), N app servers (default: cores)
#
# The app servers listen on 127.0.0.1:PORT+1 … PORT+N (only nginx talks to them) and share one store:
# DATABASE_URL if set, else data/kpi.db (SQLite in WAL mode takes several reading processes and
# serialises their writes; for several machines use PostgreSQL, see deploy/README.md). One cookie
# secret is generated for all of them when STREAMLIT_SERVER_COOKIE_SECRET is unset, so a sign-in
# made through one process holds in the others. nginx is deploy.nginx's site (sticky sessions by
# client address) in a standalone config under deploy/logs/nginx/; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8501}
N=${2:-$(nproc)}
PY=${PY:-.venv/bin/python}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  echo "nginx is not installed: apt-get install nginx-light (as root), then run this again" >&2
  exit 1
fi
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/data/kpi.db}
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET=$("$PY" -c "import secrets; print(secrets.token_urlsafe(32))")
  export STREAMLIT_SERVER_COOKIE_SECRET
fi
folder="$PWD/deploy/logs/nginx"
mkdir -p "$folder"
backends=$(seq -s, -f "127.0.0.1:%g" $((PORT + 1)) $((PORT + N)))
"$PY" - "$backends" "$PORT" "$folder" >"$folder/nginx.conf" <<'PYEOF'
import os, sys
from pathlib import Path
from deploy import nginx
backends, port, folder = sys.argv[1].split(","), sys.argv[2], Path(sys.argv[3])
site = nginx.render(backends, listen=f"0.0.0.0:{port}")
sys.stdout.write(nginx.standalone(site, folder, user="root" if os.geteuid() == 0 else None))
PYEOF
deploy/run-app-servers.sh "$N" $((PORT + 1)) &
apps=$!
nginx_pid=""
trap 'kill "$apps" 2>/dev/null; kill "$nginx_pid" 2>/dev/null; wait' EXIT INT TERM
"$NGINX" -c "$folder/nginx.conf" -p "$folder" &
nginx_pid=$!
echo "nginx on :$PORT in front of $N app servers ($backends); Ctrl-C stops them all"
wait
