#!/usr/bin/env bash
# Start N app servers of the Union KPI Board on consecutive loopback ports, sharing one store.
#
#   DATABASE_URL=postgresql+psycopg://kpi:...@db-host/kpi \
#   STREAMLIT_SERVER_COOKIE_SECRET=... deploy/run-app-servers.sh 4 8501
#
# Migrates and seeds the store once first (two processes booting on an empty store would race),
# then runs `streamlit run serve.py` on ports FIRST..FIRST+N-1 bound to 127.0.0.1 (only nginx talks to
# them) and waits; Ctrl-C or SIGTERM stops them all. Logs go to deploy/logs/app-PORT.log.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2}
FIRST=${2:-8501}
: "${DATABASE_URL:?set DATABASE_URL to the shared PostgreSQL store}"
: "${STREAMLIT_SERVER_COOKIE_SECRET:?set one cookie secret shared by every app server}"
export KPI_TRUSTED_PROXIES=${KPI_TRUSTED_PROXIES:-1}   # one proxy hop: the address nginx saw
PY=${PY:-.venv/bin/python}
mkdir -p deploy/logs

"$PY" -m lib.cli db init

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
for ((i = 0; i < N; i++)); do
  port=$((FIRST + i))
  "$PY" -m streamlit run serve.py --server.port "$port" --server.address 127.0.0.1 \
    --server.headless true >"deploy/logs/app-$port.log" 2>&1 &
  pids+=($!)
  echo "app server on 127.0.0.1:$port (pid $!)"
done
wait
