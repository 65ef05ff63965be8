# Sourced by .ci/run: a throwaway PostgreSQL server for the workspace tests, stopped on exit.
# Runs Debian's server binaries as the postgres user, in a temporary folder, on a unix socket
# there and 127.0.0.1 on a free port; exports POLICYRANK_TEST_POSTGRES_URL.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$PG_BIN" ] || ! id postgres >/dev/null 2>&1; then
    echo "postgresql not installed: the workspace tests run on SQLite only" >&2
    return 0
fi
PG_DIR="$(mktemp -d /tmp/policyrank-pg.XXXXXX)"
chown postgres "$PG_DIR"
PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
trap stop_postgres EXIT
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
    -o "-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c fsync=off" start >/dev/null
as_postgres "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres policyrank_test
export POLICYRANK_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/policyrank_test"
