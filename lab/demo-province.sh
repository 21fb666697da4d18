#!/usr/bin/env bash
# Onboards the demo province into a running Tianshu through its REST API, idempotently:
# the Kubernetes lab's city clusters (成都, 绵阳, 自贡), the lab OpenStack as 成都's VM cloud when it
# runs, three departments with quotas. Usage: lab/demo-province.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
API=${TIANSHU_API:-http://127.0.0.1:8181/api/v1}
AUTH=${TIANSHU_AUTH:-operator:operator}

# call METHOD PATH [JSON]: prints the outcome; a 409 (already there) counts as done
call() {
  local out code
  out=$(curl -s -w '\n%{http_code}' -u "$AUTH" -H 'Content-Type: application/json' -X "$1" "$API$2" ${3:+-d "$3"})
  code=${out##*$'\n'}
  case "$code" in
    2??) echo "  $1 $2: $code" ;;
    409) echo "  $1 $2: already there" ;;
    *) echo "  $1 $2: $code ${out%$'\n'*}" >&2; return 1 ;;
  esac
}

log "credentials"
call PUT /credentials/k8s-lab '{"values":{}}'
log "Kubernetes city clusters"
port=16443
for city in "chengdu:成都" "mianyang:绵阳" "zigong:自贡"; do
  id=${city%%:*}; name=${city#*:}
  call POST /clouds "{\"id\":\"$id-k8s\",\"name\":\"$name 容器云\",\"kind\":\"kubernetes\",\"city\":\"$name\",\"securityZone\":3,\"xinchuang\":$([ "$id" = zigong ] && echo true || echo false),\"endpoint\":\"http://127.0.0.1:$port\",\"credentialsRef\":\"k8s-lab\"}"
  port=$((port + 1))
done
if port_open 5000; then
  log "OpenStack (成都 政务云)"
  call PUT /credentials/os-lab '{"values":{"username":"admin","password":"secret","project":"admin"}}'
  call POST /clouds '{"id":"chengdu-os","name":"成都 政务云","kind":"openstack","city":"成都","region":"RegionOne","securityZone":3,"endpoint":"http://127.0.0.1:5000/v3","credentialsRef":"os-lab"}'
fi
log "departments and quotas"
call POST /departments '{"id":"health","name":"省卫生健康委","contact":"ops@health.example"}'
call POST /departments '{"id":"emergency","name":"省应急管理厅","contact":"ops@emergency.example"}'
call POST /departments '{"id":"finance","name":"省财政厅","contact":"ops@finance.example"}'
for dept in health emergency finance; do
  call PUT "/departments/$dept/quotas/cpu" '{"limit":64000}'
  call PUT "/departments/$dept/quotas/memory" '{"limit":262144}'
  call PUT "/departments/$dept/quotas/instances" '{"limit":50}'
done
log "demo province ready: try  curl -u operator:operator $API/inventory/capacity"
