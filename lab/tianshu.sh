#!/usr/bin/env bash
# The Tianshu runtime from the built distribution, on its embedded defaults (H2 under data/).
# Usage: lab/tianshu.sh start|stop|status|restart
#   start   unpacks karaf-assembly/target/tianshu-karaf-*.tar.gz into $LAB_DIR/runtime (again when the
#           build is newer), starts it and waits until the REST API answers
# Env: TIANSHU_HEAP (default 1g); to run a second copy beside the first: TIANSHU_RUNTIME_DIR (default
# $LAB_DIR/runtime) and TIANSHU_PORT_BASE (HTTP on BASE, SSH BASE+1, JMX RMI BASE+2 and BASE+3;
# default: Karaf's 8181, 8101, 1099, 44444).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$LAB_HOME/.." && pwd)
DIST=$(ls "$REPO"/karaf-assembly/target/tianshu-karaf-*.tar.gz 2>/dev/null | head -1 || true)
RUNTIME=${TIANSHU_RUNTIME_DIR:-$LAB_DIR/runtime}
HOME_DIR=$RUNTIME/$(basename "${DIST:-tianshu-karaf-x.tar.gz}" .tar.gz)
HTTP_PORT=8181
if [ -n "${TIANSHU_PORT_BASE:-}" ]; then HTTP_PORT=$TIANSHU_PORT_BASE; fi
API=http://127.0.0.1:$HTTP_PORT/api/v1

# set_ports: moves every listening port of this copy to TIANSHU_PORT_BASE and up
set_ports() {
  local b=$TIANSHU_PORT_BASE etc=$HOME_DIR/etc
  sed -i "s/^org.osgi.service.http.port *=.*/org.osgi.service.http.port = $b/" "$etc/org.ops4j.pax.web.cfg"
  sed -i "s/^sshPort *=.*/sshPort = $((b + 1))/" "$etc/org.apache.karaf.shell.cfg"
  sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $((b + 2))/; s/^rmiServerPort *=.*/rmiServerPort = $((b + 3))/" \
    "$etc/org.apache.karaf.management.cfg"
}

running() { [ -x "$HOME_DIR/bin/status" ] && "$HOME_DIR/bin/status" >/dev/null 2>&1; }

case "${1:-start}" in
  start)
    [ -n "$DIST" ] || die "no distribution: build it first (mvn -B install -DskipTests)"
    if running; then log "tianshu already running ($HOME_DIR)"; exit 0; fi
    port_open "$HTTP_PORT" && die "port $HTTP_PORT is taken: another Tianshu runs (stop it, or set TIANSHU_PORT_BASE)"
    if [ ! -d "$HOME_DIR" ] || [ "$DIST" -nt "$HOME_DIR/.unpacked" ]; then
      rm -rf "$HOME_DIR"; mkdir -p "$RUNTIME"
      tar xzf "$DIST" -C "$RUNTIME"
      [ -n "${TIANSHU_PORT_BASE:-}" ] && set_ports
      touch "$HOME_DIR/.unpacked"
    fi
    bash "$LAB_HOME/fonts.sh"   # the CJK font of the DR PDF reports (reportFont of etc/org.tianshu.dr.cfg)
    log "starting tianshu from $HOME_DIR"
    T0=$(date +%s)
    EXTRA_JAVA_OPTS="-Xmx${TIANSHU_HEAP:-1g}" "$HOME_DIR/bin/start"
    for i in $(seq 1 180); do
      code=$(curl -s -o /dev/null -w '%{http_code}' -u operator:operator "$API/clouds" || true)
      [ "$code" = 200 ] && break
      sleep 1
    done
    [ "$code" = 200 ] || die "REST API did not answer within 180 s; see $HOME_DIR/data/log/karaf.log"
    log "tianshu ready in $(( $(date +%s) - T0 )) s: REST $API, shell: $HOME_DIR/bin/client -u admin -p admin"
    ;;
  stop)
    if running; then "$HOME_DIR/bin/stop"; for i in $(seq 1 30); do running || break; sleep 1; done; fi
    pkill -f "karaf.home=$HOME_DIR" 2>/dev/null || true
    log "tianshu stopped"
    ;;
  restart) "$0" stop; "$0" start ;;
  status) running && echo "tianshu: running ($HOME_DIR)" || { echo "tianshu: stopped"; exit 1; } ;;
  *) die "usage: $0 start|stop|status|restart" ;;
esac
