# Throwaway database servers for scripts/test and bench/run: loopback only, in temp dirs,
# stopped by stop_servers (scripts install it as an EXIT trap). Source this file; do not run it.

SERVERS_ROOT=${SERVERS_ROOT:-$(mktemp -d /tmp/customerflow-servers.XXXXXX)}
# Absolute, because the control scripts written below run it from anywhere.
WAIT_FOR_PORT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/wait-for-port"
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

# start_postgres [--fsync]: starts PostgreSQL 15 and exports POSTGRES_PORT, POSTGRES_URL (database
# "customerflow", user "postgres", no password) and POSTGRES_CONTROL (a script taking stop|start,
# for outage tests; it keeps the data directory). Each call starts another server.
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
    POSTGRES_PORT=$(free_port)
    local dir="$SERVERS_ROOT/postgres-$POSTGRES_PORT"
    mkdir -p "$dir"
    local user=postgres
    [ "$(id -u)" = 0 ] || user=$(id -un)
    [ "$(id -u)" = 0 ] && chown "$user": "$dir"
    as_user "$user" "$bin/initdb" -D "$dir/data" --username=postgres --auth=trust -E UTF8 --no-locale -N >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    local run=""
    [ "$(id -u)" = 0 ] && run="runuser -u $user --"
    cat > "$dir/control.sh" <<SH
#!/usr/bin/env bash
# stop|start the throwaway PostgreSQL server of this run (stop: fast shutdown, every connection cut).
case "\$1" in
  start) $run $bin/pg_ctl -D $dir/data -l $dir/log -w -t 60 \\
           -o "-p $POSTGRES_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=600" start >/dev/null ;;
  stop) $run $bin/pg_ctl -D $dir/data -m fast -w stop >/dev/null ;;
esac
SH
    chmod +x "$dir/control.sh"
    "$dir/control.sh" start || { cat "$dir/log" >&2; return 1; }
    STOP_ACTIONS+=("$dir/control.sh stop")
    "$bin/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -qc "CREATE DATABASE customerflow" postgres >/dev/null \
        || { say "could not create the database"; return 1; }
    export POSTGRES_PORT POSTGRES_CONTROL="$dir/control.sh"
    export POSTGRES_URL="postgres://postgres@127.0.0.1:$POSTGRES_PORT/customerflow?sslmode=disable"
    export POSTGRES_BIN=$bin
    say "PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
}

# start_mariadb [--durable]: starts MariaDB and exports MYSQL_PORT, MYSQL_URL (database
# "customerflow", user "root", no password, over TCP) and MYSQL_CONTROL (stop|start, keeping the
# data). Tests run without flushing the log at each commit; --durable flushes it (for benchmarks
# against a PostgreSQL with fsync on). Each call starts another server. The test run holds hundreds
# of connections at once (every suite's pools, in parallel), each caching up to 64 prepared
# statements: more than the default max_prepared_stmt_count, so it is raised.
start_mariadb() {
    local flush=0
    [ "${1:-}" = "--durable" ] && flush=1
    install_packages mariadb-server || return 1
    MYSQL_PORT=$(free_port)
    local dir="$SERVERS_ROOT/mariadb-$MYSQL_PORT"
    mkdir -p "$dir"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
    cat > "$dir/control.sh" <<SH
#!/usr/bin/env bash
# stop|start the throwaway MariaDB server of this run (stop: SIGTERM, then SIGKILL after 10 s).
case "\$1" in
  start)
    setsid mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$MYSQL_PORT" \\
        --bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$dir/pid" --log-error="$dir/error.log" --skip-log-bin \\
        --innodb-flush-log-at-trx-commit=$flush --max-connections=1000 --character-set-server=utf8mb4 \\
        --collation-server=utf8mb4_unicode_ci --innodb-lock-wait-timeout=10 --max-prepared-stmt-count=1048576 \\
        </dev/null >/dev/null 2>&1 &
    echo \$! > "$dir/server.pid"
    "$WAIT_FOR_PORT" $MYSQL_PORT 60 || { echo "MariaDB did not start; see $dir/error.log" >&2; exit 1; }
    ;;
  stop)
    pid=\$(cat "$dir/server.pid" 2>/dev/null)
    [ -n "\$pid" ] || exit 0
    kill "\$pid" 2>/dev/null
    for _ in \$(seq 1 100); do kill -0 "\$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "\$pid" 2>/dev/null
    for _ in \$(seq 1 50); do kill -0 "\$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/server.pid"
    ;;
esac
SH
    chmod +x "$dir/control.sh"
    "$dir/control.sh" start || { say "MariaDB did not start"; cat "$dir/error.log" >&2; return 1; }
    STOP_ACTIONS+=("$dir/control.sh stop")
    mariadb --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -uroot -e "CREATE DATABASE customerflow CHARACTER SET utf8mb4" \
        || { say "could not create the MariaDB database"; return 1; }
    export MYSQL_PORT MYSQL_CONTROL="$dir/control.sh"
    export MYSQL_URL="mysql://root@127.0.0.1:$MYSQL_PORT/customerflow?ssl-mode=disabled"
    say "MariaDB on 127.0.0.1:$MYSQL_PORT"
}

# install_packages PKG...: installs missing Debian packages when root; fails loudly otherwise.
install_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]}"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { say "could not install ${missing[*]}"; return 1; }
    else
        say "missing packages: ${missing[*]} (run as root to install them, or install them yourself)"
        return 1
    fi
}


# start_rabbitmq: starts a RabbitMQ node and exports RABBITMQ_PORT, RABBITMQ_URL and
# RABBITMQ_CONTROL (a script taking stop|start, for outage tests; it keeps the data directory).
start_rabbitmq() {
    install_packages rabbitmq-server || return 1
    local server
    server=$(ls /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server 2>/dev/null | sort -V | tail -n 1)
    [ -x "$server" ] || { say "rabbitmq-server is not installed"; return 1; }
    RABBITMQ_PORT=$(free_port)
    # One directory per node: a second node must not take over the first one's files (its pid
    # file above all, or the first node would never be stopped).
    local dir="$SERVERS_ROOT/rabbitmq-$RABBITMQ_PORT"
    mkdir -p "$dir/log" "$dir/mnesia"
    echo '[].' > "$dir/enabled_plugins"
    local epmd_port dist_port
    epmd_port=$(free_port)
    dist_port=$(free_port)
    cat > "$dir/control.sh" <<SH
#!/usr/bin/env bash
# stop|start the throwaway RabbitMQ node of this test run.
export HOME=$dir ERL_EPMD_PORT=$epmd_port RABBITMQ_NODENAME=cf$RABBITMQ_PORT@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$RABBITMQ_PORT RABBITMQ_DIST_PORT=$dist_port RABBITMQ_BASE=$dir RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log RABBITMQ_CONFIG_FILE=$dir/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_PID_FILE=$dir/rabbit.pid
case "\$1" in
  start)
    setsid $server >> $dir/server.out 2>&1 < /dev/null &
    "$WAIT_FOR_PORT" $RABBITMQ_PORT 90 || { echo "RabbitMQ did not start; see $dir/log" >&2; exit 1; }
    # The node removes its pid file as soon as it starts stopping: keep our own copy.
    cp $dir/rabbit.pid $dir/node.pid
    ;;
  stop)
    pid=\$(cat $dir/node.pid 2>/dev/null)
    [ -n "\$pid" ] || exit 0
    kill "\$pid" 2>/dev/null
    for _ in \$(seq 1 150); do
      kill -0 "\$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "\$pid" 2>/dev/null
    rm -f $dir/node.pid $dir/rabbit.pid
    ;;
  stop-epmd)
    pid=\$(ss -ltnpH "sport = :$epmd_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
    [ -n "\$pid" ] && kill "\$pid" 2>/dev/null
    ;;
esac
SH
    chmod +x "$dir/control.sh"
    "$dir/control.sh" start || return 1
    STOP_ACTIONS+=("$dir/control.sh stop; $dir/control.sh stop-epmd")
    export RABBITMQ_PORT RABBITMQ_CONTROL="$dir/control.sh"
    export RABBITMQ_URL="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/%2F"
    say "RabbitMQ on 127.0.0.1:$RABBITMQ_PORT"
}

stop_servers() {
    local action
    for action in "${STOP_ACTIONS[@]}"; do eval "$action" || true; done
    STOP_ACTIONS=()
    rm -rf "$SERVERS_ROOT"
}
