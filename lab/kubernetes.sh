#!/usr/bin/env bash
# Emulated Kubernetes city clusters for Tianshu: fabric8 mock API servers (CRUD mode, plain HTTP on 127.0.0.1)
# plus an emulated control loop, all in one Java process (lab/kubernetes-lab).
# Usage: lab/kubernetes.sh start|stop|status
# Environment (all optional):
#   K8S_LAB_CLUSTERS    cluster names, comma-separated        (chengdu,mianyang,zigong)
#   K8S_LAB_BASE_PORT   port of the first cluster, then +1...  (16443)
#   K8S_LAB_NODES       nodes per cluster                      (4)
#   K8S_LAB_WORKLOADS   pre-seeded workloads per cluster       (0)
#   K8S_LAB_REPLICAS    replicas of each pre-seeded workload   (1)
#   K8S_LAB_TOKEN       bearer token the clusters require      (none: open clusters)
#   K8S_LAB_CONFIG      properties file with more keys (see lab/kubernetes-lab/README.md)
#   K8S_LAB_HEAP        JVM heap                               (1g; use 4g or more for 100,000 workloads)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$LAB_HOME/.." && pwd)
STATE="$LAB_DIR/kubernetes"
PIDFILE="$STATE/lab.pid"
LOG="$STATE/lab.log"
JAR="$REPO/lab/kubernetes-lab/target/org.tianshu.lab.kubernetes-0.1.0-SNAPSHOT-all.jar"
CLUSTERS=${K8S_LAB_CLUSTERS:-chengdu,mianyang,zigong}
BASE_PORT=${K8S_LAB_BASE_PORT:-16443}
mkdir -p "$STATE"

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

ports() {
  local n; n=$(tr ',' '\n' <<<"$CLUSTERS" | grep -c .)
  seq "$BASE_PORT" $(( BASE_PORT + n - 1 ))
}

endpoints() {
  local i=0 c
  for c in ${CLUSTERS//,/ }; do echo "$c=http://127.0.0.1:$(( BASE_PORT + i ))"; i=$(( i + 1 )); done
}

case "${1:-start}" in
  start)
    if running; then
      log "kubernetes lab already running (pid $(cat "$PIDFILE")): $(tr '\n' ' ' <"$STATE/endpoints" 2>/dev/null)"
      exit 0
    fi
    if [ ! -f "$JAR" ]; then
      log "building $JAR"
      (cd "$REPO" && mvn -q -pl lab/kubernetes-lab -am package -DskipTests) || die "build of lab/kubernetes-lab failed"
    fi
    for p in $(ports); do port_open "$p" && die "port $p is already in use"; done
    args=("clusters=$CLUSTERS" "basePort=$BASE_PORT")
    [ -n "${K8S_LAB_CONFIG:-}" ] && args=(--config "$K8S_LAB_CONFIG" "${args[@]}")
    [ -n "${K8S_LAB_NODES:-}" ] && args+=("nodesPerCluster=$K8S_LAB_NODES")
    [ -n "${K8S_LAB_WORKLOADS:-}" ] && args+=("workloadsPerCluster=$K8S_LAB_WORKLOADS")
    [ -n "${K8S_LAB_REPLICAS:-}" ] && args+=("workloadReplicas=$K8S_LAB_REPLICAS")
    [ -n "${K8S_LAB_TOKEN:-}" ] && args+=("token=$K8S_LAB_TOKEN")
    log "starting kubernetes lab: ${args[*]}"
    nohup java "-Xmx${K8S_LAB_HEAP:-1g}" -jar "$JAR" "${args[@]}" >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    for i in $(seq 1 600); do
      grep -q '^READY' "$LOG" && break
      running || { tail -20 "$LOG" >&2; rm -f "$PIDFILE"; die "kubernetes lab exited during start (log: $LOG)"; }
      sleep 0.5
    done
    grep -q '^READY' "$LOG" || die "kubernetes lab not ready after 300 s (log: $LOG)"
    for p in $(ports); do wait_port "$p" 10; done
    endpoints >"$STATE/endpoints"
    log "kubernetes lab ready (pid $(cat "$PIDFILE")): $(endpoints | tr '\n' ' ')"
    ;;
  stop)
    if running; then
      pid=$(cat "$PIDFILE")
      kill -TERM "$pid"
      for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      log "kubernetes lab stopped"
    fi
    rm -f "$PIDFILE" "$STATE/endpoints"
    ;;
  status)
    if running; then
      echo "kubernetes lab: running (pid $(cat "$PIDFILE"))"; cat "$STATE/endpoints" 2>/dev/null || true
    else
      echo "kubernetes lab: stopped"; exit 1
    fi
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
