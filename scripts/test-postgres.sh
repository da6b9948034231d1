#!/usr/bin/env bash
# Run the whole test suite against a throwaway PostgreSQL cluster (make test-postgres).
#
# Starts a cluster on a free loopback port (scripts/pg-cluster.sh), points TEST_DATABASE_URL at its
# `postgres` database (tests/conftest.py creates fresh databases and copies of a seeded template
# database from it), runs pytest with two workers, then stops and deletes the cluster whatever the
# outcome. Extra arguments go to pytest, e.g. scripts/test-postgres.sh tests/test_queries.py -x
# (the parity check then is skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

trap pg_cluster_stop EXIT INT TERM
pg_cluster_start
export TEST_DATABASE_URL="$PG_URL"
PY=${PY:-.venv/bin/python}
status=0
"$PY" -m pytest -n 2 --dist loadfile -q "$@" || status=$?
# Every test module above ran on PostgreSQL (seeded stores are copies of a PostgreSQL template
# database; only SQLite-specific tests skip, with a reason). The parity check then compares the two
# engines' answers: migrate, seed, every named query, import, undo, slides and every page.
if [ $# -eq 0 ]; then "$PY" scripts/pg_parity.py "$PG_URL" || status=1; fi
exit $status
