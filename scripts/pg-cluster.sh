#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.
#
#   source scripts/pg-cluster.sh; pg_cluster_start; ...; pg_cluster_stop
#
# pg_cluster_start installs Debian's postgresql when missing (root only), runs initdb into a temp
# folder as the `postgres` user (initdb refuses root) or as the current non-root user, starts the
# server on a free 127.0.0.1 port with a private socket folder, and exports PG_URL
# (postgresql+psycopg://postgres@127.0.0.1:PORT/postgres). Durability is switched off: the cluster
# lives for one run. pg_cluster_stop stops it and deletes the folder.

pg_bindir() {
  # The newest installed PostgreSQL server binaries folder, or nothing.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

pg_install_if_missing() {
  # Install Debian's postgresql when no server binaries are found (root only).
  if [ -n "$(pg_bindir)" ]; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed; as root run: apt-get install -y postgresql" >&2
    return 1
  fi
  echo "installing Debian's postgresql ..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  # Debian starts a system cluster on 5432 when it can; we do not use it.
}

pg_as_owner() {
  # Run a command as the cluster owner: `postgres` when we are root, else ourselves.
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_free_port() {
  # A free TCP port on 127.0.0.1.
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_cluster_start() {
  # Create and start the throwaway cluster; exports PG_URL, PG_DIR, PG_PORT.
  pg_install_if_missing || return 1
  local bin
  bin=$(pg_bindir)
  PG_DIR=$(mktemp -d /tmp/kpi-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$(pg_free_port)}
  mkdir -p "$PG_DIR/sock"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PG_DIR"; fi
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
        -c shared_buffers=256MB" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  export PG_URL PG_DIR PG_PORT
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_DIR)" >&2
}

pg_cluster_stop() {
  # Stop the throwaway cluster (fast) and delete its folder.
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
}
