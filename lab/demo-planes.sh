#!/usr/bin/env bash
# Realises the demo business planes (lab/planes/*.yaml) on the kernel SRv6 lab through a running Tianshu: installs the
# lab dataplane's feature (tianshu-adapter-srv6) if missing, points the planes at it (etc/org.tianshu.planes.cfg
# controller.target = (tianshu.controller=srv6-lab)), waits for the topology, then applies every plane file through
# REST (POST /planes, YAML) and prints each plane's status. Idempotent: applying an unchanged plane changes nothing.
# Needs lab/srv6.sh up and lab/demo-province.sh (the planes' departments). Usage: lab/demo-planes.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNTIME=${TIANSHU_RUNTIME_DIR:-$LAB_DIR/runtime}
HOME_DIR=$(ls -d "$RUNTIME"/tianshu-karaf-* 2>/dev/null | head -1 || true)
[ -n "$HOME_DIR" ] || die "no Tianshu runtime under $RUNTIME: start it with lab/tianshu.sh start"
PORT=${TIANSHU_PORT_BASE:-8181}
API=${TIANSHU_API:-http://127.0.0.1:$PORT/api/v1}
AUTH=${TIANSHU_AUTH:-operator:operator}
SSH_PORT=$(sed -n 's/^sshPort *= *//p' "$HOME_DIR/etc/org.apache.karaf.shell.cfg")
bash "$LAB_HOME/srv6.sh" status >/dev/null || die "the SRv6 lab is not up: lab/srv6.sh up"

# controller.target first, so that the planes component binds the lab dataplane as soon as it registers
cfg=$HOME_DIR/etc/org.tianshu.planes.cfg
if ! grep -q '^controller.target *= *(tianshu.controller=srv6-lab)' "$cfg"; then
  sed -i 's/^controller.target *=.*/controller.target = (tianshu.controller=srv6-lab)/' "$cfg"
  log "planes: controller.target = (tianshu.controller=srv6-lab)"
fi
# the adapter follows this lab (TIANSHU_LAB_DIR, SRV6_LAB_PREFIX), also when it is not the default one
acfg=$HOME_DIR/etc/org.tianshu.adapter.srv6.cfg
want="topologyFile = $LAB_DIR/srv6/topology.json
namespacePrefix = ${SRV6_LAB_PREFIX:-ts-}"
if [ "$(cat "$acfg" 2>/dev/null)" != "$want" ]; then
  printf '%s\n' "$want" > "$acfg"
  log "srv6 adapter: lab $LAB_DIR/srv6/topology.json, namespaces ${SRV6_LAB_PREFIX:-ts-}*"
fi
# a Karaf shell command (batch mode from stdin: given as an argument, the client prints nothing here)
karaf() { echo "$1" | "$HOME_DIR/bin/client" -a "$SSH_PORT" -u admin -p admin -b 2>/dev/null; }
if ! karaf "feature:list -i" | grep -q '^tianshu-adapter-srv6 '; then
  log "installing feature tianshu-adapter-srv6"
  karaf "feature:install tianshu-adapter-srv6" >/dev/null
  karaf "feature:list -i" | grep -q '^tianshu-adapter-srv6 ' || die "feature tianshu-adapter-srv6 did not install; see $HOME_DIR/data/log/karaf.log"
fi

# the planes take the lab's topology once the dataplane is bound: 8 routers
for i in $(seq 1 60); do
  n=$(curl -s -u "$AUTH" "$API/topology" | python3 -c 'import json,sys
try: print(len(json.load(sys.stdin).get("routers", [])))
except Exception: print(0)' || echo 0)
  [ "$n" -gt 0 ] && break
  sleep 1
done
[ "$n" -gt 0 ] || die "GET /topology shows no routers after 60 s; see $HOME_DIR/data/log/karaf.log"
log "topology: $n routers"

for f in "$LAB_HOME"/planes/*.yaml; do
  out=$(curl -s -w '\n%{http_code}' -u "$AUTH" -H 'Content-Type: application/yaml' --data-binary @"$f" "$API/planes")
  code=${out##*$'\n'}
  case "$code" in
    2??) echo "  apply $(basename "$f"): $code" ;;
    *) die "apply $(basename "$f"): $code ${out%$'\n'*}" ;;
  esac
done
for f in "$LAB_HOME"/planes/*.yaml; do
  name=$(basename "$f" .yaml)
  curl -s -u "$AUTH" "$API/planes/$name/status" | python3 -c 'import json,sys
s=json.load(sys.stdin); print("  %s: %s, %s" % (s["plane"], s["state"], "in the network as planned" if s["realised"] else "drift %s" % s["drift"]))'
done
