#!/usr/bin/env bash
# All tests, one command: unit tests, integration tests against the real lab servers (each starts what
# it needs: PostgreSQL, OpenStack, the Kubernetes lab clusters), feature resolution, and the Pax Exam
# test of the built distribution. Usage: lab/test.sh [extra maven args]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LAB_HOME/.."
# install, not verify: the distribution resolves the bundles of its features from the local repository
mvn -B -ntp install "$@"
