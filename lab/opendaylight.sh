#!/usr/bin/env bash
# The lab's OpenDaylight controller beside Karaf: lighty.io 21.1.0 (lab/opendaylight, its own Maven project: JDK 21+)
# with RESTCONF on 127.0.0.1:8888, plus one NETCONF device (OpenDaylight's netconf-testtool 10.0.2, all devices in one
# process) per backbone router carrying the tianshu-plane YANG model (lab/opendaylight/yang). start mounts every
# device through RESTCONF (topology-netconf, node-id = router id) and seeds its tianshu-plane:router container from
# the lab topology.
# Usage: lab/opendaylight.sh build|start|agents|stop|status
# Environment (all optional):
#   ODL_LAB_TOPOLOGY     topology JSON (routers, links, attachments)  (lab/opendaylight/topology.json; the kernel lab's
#                        $LAB_DIR/srv6/topology.json has the same shape)
#   ODL_LAB_PORT         RESTCONF port                                (8888)
#   ODL_LAB_DEVICE_PORT  NETCONF port of the first device, then +1...  (17830)
#   ODL_LAB_HEAP         controller heap                              (512m)
#   ODL_JAVA_HOME        a JDK 21+                                    (/usr/lib/jvm/temurin-25-jdk-amd64)
#   ODL_LAB_MAVEN_ARGS   extra Maven arguments for build, e.g. -Dmaven.repo.local=...
#   ODL_LAB_NETNS_PREFIX routers' network namespaces, <prefix><router id>, hosts <prefix>h-<router>-<port>
#                        (ts-, those of lab/srv6.sh; SRV6_LAB_PREFIX there)
#   TIANSHU_LAB_DIR      state directory (lib.sh), e.g. for a second lab beside another one
# Router agents: for every router whose namespace exists, start (and again: start, or "agents" once the namespaces
# are up) runs lab/opendaylight/router-agent.py, which reads the router's planes from its device over NETCONF and
# programs them into the namespace (and its hosts) with iproute2, as adapters/srv6 would: Tianshu -> OpenDaylight ->
# NETCONF -> kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC="$LAB_HOME/opendaylight"
STATE="$LAB_DIR/opendaylight"
JAVA_HOME_ODL=${ODL_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME_ODL/bin/java"
JAR="$SRC/target/org.tianshu.lab.opendaylight-0.1.0-SNAPSHOT.jar"
TESTTOOL="$SRC/target/netconf-testtool.jar"
TOPOLOGY=${ODL_LAB_TOPOLOGY:-$SRC/topology.json}
PORT=${ODL_LAB_PORT:-8888}
DEVICE_PORT=${ODL_LAB_DEVICE_PORT:-17830}
NETNS_PREFIX=${ODL_LAB_NETNS_PREFIX:-ts-}
NODES="http://127.0.0.1:$PORT/restconf/data/network-topology:network-topology/topology=topology-netconf"
mkdir -p "$STATE"

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }
rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' "/proc/$(cat "$STATE/$1.pid")/status") / 1024 )); }

build() {
  [ -x "$JAVA" ] || die "no JDK 21+ at $JAVA_HOME_ODL (set ODL_JAVA_HOME): lighty.io 21 needs it"
  if [ -f "$JAR" ] && [ -f "$TESTTOOL" ] && [ -z "$(find "$SRC/pom.xml" "$SRC/src" -newer "$JAR" -type f)" ]; then
    return 0
  fi
  log "building $SRC (lighty.io 21.1.0, JDK $JAVA_HOME_ODL)"
  # -Denforcer.skip: odlparent requires Maven 3.9.5+, Debian 12 has 3.8.7
  (cd "$SRC" && JAVA_HOME="$JAVA_HOME_ODL" mvn -B -ntp -q -Denforcer.skip ${ODL_LAB_MAVEN_ARGS:-} package) \
    || die "build of lab/opendaylight failed"
}

stop_one() {
  if running "$1"; then
    local pid; pid=$(cat "$STATE/$1.pid")
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$STATE/$1.pid"
}

# agents: one router agent per router whose namespace exists and that has none running
agents() {
  local i=0 r
  for r in $(cat "$STATE/routers.list"); do
    if [ -e "/var/run/netns/$NETNS_PREFIX$r" ] && ! running "agent-$r"; then
      (exec setsid nohup /usr/bin/python3 "$SRC/router-agent.py" "$r" $(( DEVICE_PORT + i )) "$NETNS_PREFIX" \
        >"$STATE/agent-$r.log" 2>&1 </dev/null) &
      echo $! >"$STATE/agent-$r.pid"
      log "router agent for $r programs namespace $NETNS_PREFIX$r (log: $STATE/agent-$r.log)"
    fi
    i=$(( i + 1 ))
  done
}

stop_agents() {
  local f
  for f in "$STATE"/agent-*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
  return 0
}

connected() { # node-id
  curl -sf "$NODES/node=$1?content=nonconfig" | grep -q '"connection-status":"connected"'
}

start() {
  apt_ensure curl python3 python3-ncclient iproute2
  [ -f "$TOPOLOGY" ] || die "no topology file $TOPOLOGY"
  if running controller && running devices; then
    agents
    log "opendaylight lab already running: RESTCONF http://127.0.0.1:$PORT/restconf"; return 0
  fi
  stop_agents; stop_one controller; stop_one devices
  build
  local t0 routers n i r
  t0=$(date +%s%N)
  rm -rf "$STATE/routers" "$STATE/controller" "$STATE/schemas"
  mkdir -p "$STATE/routers" "$STATE/controller" "$STATE/schemas"
  # the simulator writes its own base models into its schemas directory: a copy, not the source folder
  cp "$SRC"/yang/*.yang "$STATE/schemas/"
  routers=$(python3 "$SRC/seed.py" "$TOPOLOGY" "$STATE/routers")
  echo $routers >"$STATE/routers.list"
  n=$(wc -w <<<"$routers")
  port_open "$PORT" && die "port $PORT is already in use"
  for i in $(seq 0 $(( n - 1 ))); do port_open $(( DEVICE_PORT + i )) && die "port $(( DEVICE_PORT + i )) is already in use"; done

  log "starting the NETCONF devices ($n, ports $DEVICE_PORT..$(( DEVICE_PORT + n - 1 ))) and the controller"
  (cd "$STATE" && exec setsid nohup "$JAVA" -Xmx256m -jar "$TESTTOOL" --schemas-dir "$STATE/schemas" --device-count "$n" \
    --starting-port "$DEVICE_PORT" --ip 127.0.0.1 --ssh true --md-sal true >"$STATE/devices.log" 2>&1 </dev/null) &
  echo $! >"$STATE/devices.pid"
  # the controller keeps its datastore under its working directory: a fresh one each start
  (cd "$STATE/controller" && exec setsid nohup "$JAVA" "-Xmx${ODL_LAB_HEAP:-512m}" -jar "$JAR" 127.0.0.1 "$PORT" \
    >"$STATE/controller.log" 2>&1 </dev/null) &
  echo $! >"$STATE/controller.pid"
  for _ in $(seq 1 600); do
    grep -q '^READY' "$STATE/controller.log" && break
    running controller || { tail -20 "$STATE/controller.log" >&2; die "controller exited during start (log: $STATE/controller.log)"; }
    running devices || { tail -20 "$STATE/devices.log" >&2; die "devices exited during start (log: $STATE/devices.log)"; }
    sleep 0.2
  done
  grep -q '^READY' "$STATE/controller.log" || die "controller not ready after 120 s (log: $STATE/controller.log)"
  for i in $(seq 0 $(( n - 1 ))); do wait_port $(( DEVICE_PORT + i )) 30; done

  i=0
  for r in $routers; do
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' "$NODES/node=$r" -d "{\"network-topology:node\":[{
      \"node-id\":\"$r\",\"netconf-node-topology:netconf-node\":{\"host\":\"127.0.0.1\",\"port\":$(( DEVICE_PORT + i )),
      \"tcp-only\":false,\"keepalive-delay\":0,\"login-password-unencrypted\":{\"username\":\"admin\",\"password\":\"admin\"}}}]}" \
      || die "mounting $r failed"
    i=$(( i + 1 ))
  done
  for r in $routers; do
    for _ in $(seq 1 300); do connected "$r" && break; sleep 0.2; done
    connected "$r" || die "$r did not connect within 60 s (log: $STATE/controller.log)"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' "$NODES/node=$r/yang-ext:mount/tianshu-plane:router" \
      -d @"$STATE/routers/$r.json" || die "seeding $r's tianshu-plane:router failed"
  done
  agents
  log "opendaylight lab ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms: RESTCONF" \
    "http://127.0.0.1:$PORT/restconf, $n routers mounted ($(echo $routers));" \
    "RSS controller $(rss_mb controller) MB, devices $(rss_mb devices) MB"
}

case "${1:-start}" in
  build) build ;;
  start) start ;;
  agents) running controller || die "the opendaylight lab is not running"; agents ;;
  stop)
    stop_agents; stop_one controller; stop_one devices
    log "opendaylight lab stopped"
    ;;
  status)
    if running controller && running devices; then
      echo "opendaylight lab: running, RESTCONF http://127.0.0.1:$PORT/restconf" \
        "(controller pid $(cat "$STATE/controller.pid") $(rss_mb controller) MB, devices pid $(cat "$STATE/devices.pid") $(rss_mb devices) MB)"
    else
      echo "opendaylight lab: stopped"; exit 1
    fi
    ;;
  *) die "usage: $0 build|start|agents|stop|status" ;;
esac
