# Throwaway database servers for scripts/test and bench/run: loopback only, in temp dirs,
# stopped by stop_servers (scripts install it as an EXIT trap). Source this file; do not run it.

SERVERS_ROOT=${SERVERS_ROOT:-$(mktemp -d /tmp/customerflow-servers.XXXXXX)}
chmod 755 "$SERVERS_ROOT"
STOP_ACTIONS=()

say() { printf '[servers] %s\n' "$*" >&2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_user() { # as_user USER CMD... : run as USER when we are root, else as ourselves
    local user=$1; shift
    if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# start_postgres [--fsync]: starts PostgreSQL 15 and exports POSTGRES_PORT and POSTGRES_URL
# (database "customerflow", user "postgres", no password).
start_postgres() {
    local fsync=off
    [ "${1:-}" = "--fsync" ] && fsync=on
    local bin=/usr/lib/postgresql/15/bin
    if [ ! -x "$bin/initdb" ]; then
        bin=$(dirname "$(command -v initdb 2>/dev/null || true)")
    fi
    if [ ! -x "$bin/initdb" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "installing PostgreSQL"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
            bin=/usr/lib/postgresql/15/bin
        fi
    fi
    [ -x "$bin/initdb" ] || { say "PostgreSQL 15 is not installed and cannot be installed here"; return 1; }
    local dir="$SERVERS_ROOT/postgres"
    mkdir -p "$dir"
    local user=postgres
    [ "$(id -u)" = 0 ] || user=$(id -un)
    [ "$(id -u)" = 0 ] && chown "$user": "$dir"
    as_user "$user" "$bin/initdb" -D "$dir/data" --username=postgres --auth=trust -E UTF8 --no-locale -N >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    POSTGRES_PORT=$(free_port)
    as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
        -o "-p $POSTGRES_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300" start >/dev/null \
        || { cat "$dir/log" >&2; return 1; }
    STOP_ACTIONS+=("as_user $user $bin/pg_ctl -D $dir/data -m fast -w stop >/dev/null 2>&1")
    "$bin/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -qc "CREATE DATABASE customerflow" postgres >/dev/null \
        || { say "could not create the database"; return 1; }
    export POSTGRES_PORT
    export POSTGRES_URL="postgres://postgres@127.0.0.1:$POSTGRES_PORT/customerflow?sslmode=disable"
    export POSTGRES_BIN=$bin
    say "PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
}

stop_servers() {
    local action
    for action in "${STOP_ACTIONS[@]}"; do eval "$action" || true; done
    STOP_ACTIONS=()
    rm -rf "$SERVERS_ROOT"
}
