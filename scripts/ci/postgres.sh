#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print RASD_TEST_PG_DSN=... on stdout.
#
# Installs Debian's postgresql package when no server is installed (needs root and apt-get), creates a cluster
# in $RASD_PG_DIR (default /tmp/rasd-pg-$PORT) owned by a non-root user (postgres; root cannot run the
# server), starts it on 127.0.0.1:$RASD_PG_PORT (default 54329) with trust auth for local connections only,
# creates the database rasd_test, and prints the DSN. Idempotent: a server already running there is reused.
# Everything but the final KEY=VALUE line goes to stderr. Exit status non-zero (with the reason on stderr)
# when no server can be started; the PostgreSQL tests then skip with that reason.
#
#   eval "$(scripts/ci/postgres.sh | sed 's/^/export /')"      # then: pytest -m postgres
#   scripts/ci/postgres.sh stop                                   # stop the server
set -euo pipefail

PORT=${RASD_PG_PORT:-54329}
DIR=${RASD_PG_DIR:-/tmp/rasd-pg-$PORT}
DB=rasd_test
PGUSER_NAME=rasd
log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "no PostgreSQL server found: installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; } || {
      log "apt-get install postgresql failed"; exit 1; }
    BIN=$(find_bin || true)
  fi
  if [ -z "$BIN" ]; then
    log "no PostgreSQL server and cannot install one (needs root and apt-get)"; exit 1
  fi
fi

# the server refuses to run as root: run it as 'postgres' (created when missing) when we are root
RUN=()
if [ "$(id -u)" = 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres >&2
  fi
  RUN=(runuser -u postgres --)
fi

if [ "${1:-}" = "stop" ]; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -m fast stop >&2 || true
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
chmod 700 "$DIR"
if [ ! -f "$DIR/PG_VERSION" ]; then
  log "creating a cluster in $DIR"
  "${RUN[@]}" "$BIN/initdb" -D "$DIR" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C.UTF-8 >&2 \
    || "${RUN[@]}" "$BIN/initdb" -D "$DIR" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C >&2
fi
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  log "starting PostgreSQL ($BIN) on 127.0.0.1:$PORT"
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >&2 || {
      log "server did not start; its log:"; tail -n 20 "$DIR/server.log" >&2 || true; exit 1; }
fi
if ! "${RUN[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  "${RUN[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" "$DB" >&2
fi
echo "RASD_TEST_PG_DSN=postgresql://$PGUSER_NAME@127.0.0.1:$PORT/$DB"
