#!/usr/bin/env bash
# Stop the local PostGIS started by pg-up.sh (data stays in .pg/; delete the folder to start afresh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${PGUP_DIR:-$root/.pg}"
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  echo "stopped" >&2
else
  echo "not running" >&2
fi
