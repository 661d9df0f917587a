#!/usr/bin/env bash
# Start (or reuse) a real local PostgreSQL 15 + PostGIS 3 for tests, CI and development.
# Idempotent: installs postgresql-15-postgis-3 with apt when missing, initialises a cluster in
# .pg/ of the project as the postgres user, listens on 127.0.0.1 only, prints the DATABASE_URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${PGUP_DIR:-$root/.pg}"
port="${PGUP_PORT:-54329}"
bin=/usr/lib/postgresql/15/bin
db=gridcc

if [ ! -x "$bin/postgres" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "installing postgresql-15-postgis-3 with apt..." >&2
  if [ "$(id -u)" != 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15-postgis-3 >&2
fi

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
CONF
fi

if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null
fi

psql_pg() { as_pg psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql_pg -d postgres -c "CREATE DATABASE $db" >/dev/null
fi
psql_pg -d "$db" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null

echo "postgres://postgres@127.0.0.1:$port/$db"
