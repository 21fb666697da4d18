#!/usr/bin/env bash
# Quick start, one command: builds the distribution, starts the lab (Kubernetes city clusters, the
# real OpenStack unless --no-openstack, InfluxDB) and Tianshu on its embedded defaults with metrics
# going to that InfluxDB, then onboards the demo province. Usage: lab/up.sh [--no-openstack] [--no-build]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$LAB_HOME/.." && pwd)
openstack=1; build=1
for a in "$@"; do
  case "$a" in
    --no-openstack) openstack=0 ;;
    --no-build) build=0 ;;
    *) die "usage: $0 [--no-openstack] [--no-build]" ;;
  esac
done

if [ $build = 1 ]; then
  log "building (mvn install -DskipTests)"
  (cd "$REPO" && mvn -q -B install -DskipTests)
fi
bash "$LAB_HOME/kubernetes.sh" start
[ $openstack = 1 ] && bash "$LAB_HOME/openstack.sh" start
bash "$LAB_HOME/influx.sh" start
bash "$LAB_HOME/srv6.sh" up
bash "$LAB_HOME/tianshu.sh" start
# metrics to the lab's InfluxDB: the runtime picks the file up while it runs
etc=$(ls -d "${TIANSHU_RUNTIME_DIR:-$LAB_DIR/runtime}"/tianshu-karaf-*/etc | head -1)
sed -e 's|^#url = .*|url = http://127.0.0.1:8086|' "$etc/org.tianshu.adapter.influxdb.cfg.example" \
  > "$etc/org.tianshu.adapter.influxdb.cfg"
bash "$LAB_HOME/demo-province.sh"
bash "$LAB_HOME/demo-planes.sh"
cat <<EOM

Tianshu is running.
  REST API   http://127.0.0.1:8181/api/v1   (OpenAPI: /api/v1/openapi.json)
  Shell      ssh -p 8101 admin@127.0.0.1   (password admin), then e.g. tianshu:cloud-list, tianshu:metrics
  Planes     tianshu:plane-list, tianshu:plane-show emergency-command (paths, SR policies, SLO checks)
  Metrics    curl -G 127.0.0.1:8086/query --data-urlencode db=tianshu --data-urlencode 'q=SELECT last(*) FROM capacity GROUP BY cloud'
  Users      admin/admin, operator/operator, health/health (department health), finance/finance
  Stop       lab/down.sh
EOM
