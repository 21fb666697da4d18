#!/usr/bin/env bash
# The Tianshu runtime from the built distribution, on its embedded defaults (H2 under data/).
# Usage: lab/tianshu.sh start|stop|status|restart
#   start   unpacks karaf-assembly/target/tianshu-karaf-*.tar.gz into $LAB_DIR/runtime (again when the
#           build is newer), starts it and waits until the REST API answers
# Env: TIANSHU_HEAP (default 1g).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$LAB_HOME/.." && pwd)
DIST=$(ls "$REPO"/karaf-assembly/target/tianshu-karaf-*.tar.gz 2>/dev/null | head -1 || true)
RUNTIME=$LAB_DIR/runtime
HOME_DIR=$RUNTIME/$(basename "${DIST:-tianshu-karaf-x.tar.gz}" .tar.gz)
API=http://127.0.0.1:8181/api/v1

running() { [ -x "$HOME_DIR/bin/status" ] && "$HOME_DIR/bin/status" >/dev/null 2>&1; }

case "${1:-start}" in
  start)
    [ -n "$DIST" ] || die "no distribution: build it first (mvn -B install -DskipTests)"
    if running; then log "tianshu already running ($HOME_DIR)"; exit 0; fi
    if [ ! -d "$HOME_DIR" ] || [ "$DIST" -nt "$HOME_DIR/.unpacked" ]; then
      rm -rf "$HOME_DIR"; mkdir -p "$RUNTIME"
      tar xzf "$DIST" -C "$RUNTIME"
      touch "$HOME_DIR/.unpacked"
    fi
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
