#!/usr/bin/env bash
# PostgreSQL for Tianshu (and for the OpenStack lab): Debian's cluster 15/main on 127.0.0.1:5432.
# Usage: lab/postgres.sh start|stop|status
# Creates role 'tianshu' (password 'tianshu') and databases 'tianshu' and 'tianshu_test'.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. "$(dirname "$0")/lib.sh"

psql_as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }

case "${1:-start}" in
  start)
    apt_ensure postgresql-15 postgresql-client-15
    [ -d /etc/postgresql/15/main ] || pg_createcluster 15 main >/dev/null
    if ! pg_ctlcluster 15 main status >/dev/null 2>&1; then
      pg_ctlcluster 15 main start
    fi
    wait_port 5432 30
    psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname='tianshu'" | grep -q 1 \
      || psql_as_postgres "CREATE ROLE tianshu LOGIN PASSWORD 'tianshu'"
    for db in tianshu tianshu_test; do
      psql_as_postgres "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
        || su postgres -c "createdb -O tianshu $db"
    done
    log "postgres ready on 127.0.0.1:5432 (databases tianshu, tianshu_test)"
    ;;
  stop)
    pg_ctlcluster 15 main stop 2>/dev/null && log "postgres stopped" || true
    ;;
  status)
    pg_ctlcluster 15 main status >/dev/null 2>&1 && echo "postgres: running" || { echo "postgres: stopped"; exit 1; }
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
