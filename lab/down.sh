#!/usr/bin/env bash
# Stops Tianshu and the lab (PostgreSQL too with --all). Usage: lab/down.sh [--all]
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bash "$LAB_HOME/tianshu.sh" stop
bash "$LAB_HOME/kubernetes.sh" stop
bash "$LAB_HOME/openstack.sh" stop
bash "$LAB_HOME/influx.sh" stop
bash "$LAB_HOME/opendaylight.sh" stop
bash "$LAB_HOME/srv6.sh" down
[ "${1:-}" = --all ] && bash "$LAB_HOME/postgres.sh" stop
exit 0
