#!/usr/bin/env bash
# InfluxDB 1.6.7 (Debian's 'influxdb' package) for Tianshu's metrics, on 127.0.0.1:8086, started by hand
# (no systemd). State under $LAB_DIR/influx; creates database 'tianshu'. 1.x HTTP API only (/write, /query).
# Usage: lab/influx.sh start|stop|status
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. "$(dirname "$0")/lib.sh"

D="$LAB_DIR/influx"
PORT=8086
PIDFILE="$D/influxd.pid"

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
ping_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ping")" = 204 ]; }

case "${1:-start}" in
  start)
    apt_ensure influxdb curl
    mkdir -p "$D"
    if ! running; then
      port_open $PORT && die "port $PORT is taken by another process"
      cat > "$D/influxdb.conf" <<EOC
reporting-disabled = true
bind-address = "127.0.0.1:8088"
[meta]
  dir = "$D/meta"
[data]
  dir = "$D/data"
  wal-dir = "$D/wal"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$PORT"
  auth-enabled = false
  log-enabled = false
EOC
      setsid nohup influxd -config "$D/influxdb.conf" > "$D/influxd.log" 2>&1 < /dev/null &
      echo $! > "$PIDFILE"
    fi
    for _ in $(seq 1 150); do ping_ok && break; running || die "influxd exited, see $D/influxd.log"; sleep 0.2; done
    ping_ok || die "influxd did not answer /ping within 30s, see $D/influxd.log"
    curl -sf -XPOST "http://127.0.0.1:$PORT/query" --data-urlencode 'q=CREATE DATABASE tianshu' >/dev/null \
      || die "CREATE DATABASE tianshu failed"
    log "influxdb ready on 127.0.0.1:$PORT (database tianshu)"
    ;;
  stop)
    if running; then
      pid=$(cat "$PIDFILE"); kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      log "influxdb stopped"
    fi
    rm -f "$PIDFILE"
    ;;
  status)
    running && ping_ok && echo "influxdb: running on 127.0.0.1:$PORT" || { echo "influxdb: stopped"; exit 1; }
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
