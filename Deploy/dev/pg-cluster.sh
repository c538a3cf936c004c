#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests, reachable only through a Unix
# socket inside its own folder.
#
#   pg-cluster.sh start DIR DBNAME   initdb if needed, start, create role and database;
#                                    prints the libpq connection string
#   pg-cluster.sh stop DIR           fast shutdown
#   pg-cluster.sh restart DIR        fast restart (tests use it to prove the pool recovers)
#   pg-cluster.sh crash DIR          immediate stop, as after a power cut
#   pg-cluster.sh conninfo DIR DBNAME
#
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user. When
# that user cannot reach DIR (a checkout under /root), the data lives under /var/tmp and DIR
# is a link to it.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|restart|crash|conninfo DIR [DBNAME]}
dir=${2:?missing DIR}
db=${3:-marelle}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

resolve_dir() {
    mkdir -p "$(dirname "$dir")"
    dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
    if [ -L "$dir" ]; then dir=$(readlink -f "$dir"); return; fi
    if [ "$(id -u)" -eq 0 ] && [ ! -d "$dir" ] && ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
        local real="/var/tmp/marelle-pg-$(echo -n "$dir" | md5sum | cut -c1-12)"
        mkdir -p "$real"
        ln -s "$real" "$dir"
        dir=$real
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
}

conninfo() {
    echo "host=$dir/socket port=5432 dbname=$db user=marelle"
}

case "$cmd" in
start)
    resolve_dir
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        as_owner mkdir -p "$dir/socket"
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
port = 5432
unix_socket_directories = '$dir/socket'
max_connections = 300
shared_buffers = 256MB
log_min_messages = warning
CONF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    psql() { as_owner "$bin/psql" -h "$dir/socket" -p 5432 -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
    psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'marelle'" | grep -q 1 \
        || psql -d postgres -c "CREATE ROLE marelle LOGIN CREATEROLE"
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
        || psql -d postgres -c "CREATE DATABASE \"$db\" OWNER marelle"
    # Nothing of a tenant's may land in, or be read from, public.
    psql -d "$db" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO marelle"
    conninfo
    ;;
stop)
    resolve_dir
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
restart)
    resolve_dir
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
crash)
    resolve_dir
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
conninfo)
    resolve_dir
    conninfo
    ;;
*)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
