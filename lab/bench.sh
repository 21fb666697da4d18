#!/usr/bin/env bash
# Runs Tianshu's benchmark scenarios (module lab/bench) and prints their figures, one per line starting with "bench ".
# Usage: lab/bench.sh [startup|inventory|all|placement|paths|dataplane|planes|failover|chain]   (default all; placement is the scheduler's engine alone, paths the
# path engine of bundles/slicing against JGraphT, dataplane the kernel SRv6 lab through adapters/srv6,
# planes the plane manager of bundles/planes end to end but the network, failover a DR plan of 1,000
# workloads between two lab clusters, chain OpenDaylight programming the kernel SRv6 lab
# through the router agents, see below)
#        lab/bench.sh events   (events through Camel into the real InfluxDB vs a raw bulk write; link-down route latency)
#        lab/bench.sh reroute  (link failure -> traffic restored, in the runtime started by lab/up.sh; needs root)
# Environment: BENCH_SKIP_BUILD=1 (use the modules already in ~/.m2), BENCH_HEAP (benchmark JVM heap, default 6g), BENCH_PORT_OFFSET (added to Karaf's ports when another
# Karaf holds 8181/8101/1099/44444), BENCH_OPTS (more JVM options, e.g. -Dbench.runs=5 -Dbench.databases=h2).
# Progress and library logs go to lab/bench/target/bench-<scenario>.log, GC log to lab/bench/target/bench-gc.log.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-all}
case "$scenario" in startup|inventory|all|placement|paths|events|dataplane|planes|failover|chain|reroute) ;; *) echo "usage: $0 [startup|inventory|all|placement|paths|events|dataplane|planes|failover|chain|reroute]" >&2; exit 2 ;; esac

if [ "$scenario" = placement ]; then
  # the placement engine in one JVM (org.tianshu.scheduler.PlacementBench in the scheduler's test sources): no
  # database, no Karaf; BENCH_OPTS may set -Dbench.hosts, -Dbench.requests, -Dbench.seed
  if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    mvn -q -f bundles/api/pom.xml install -DskipTests
    mvn -q -f bundles/scheduler/pom.xml test-compile
  fi
  # a private copy of the classes: other builds may clean or re-install them while the benchmark runs
  copy=lab/bench/target/placement
  rm -rf "$copy" && mkdir -p "$copy"
  cp -r bundles/api/target/classes "$copy/api" && cp -r bundles/scheduler/target/classes "$copy/main"
  cp -r bundles/scheduler/target/test-classes "$copy/test"
  # the Timefold Solver peer (test scope of the scheduler) and its dependencies
  mvn -q -f bundles/scheduler/pom.xml dependency:copy-dependencies -DincludeScope=test -DexcludeGroupIds=org.tianshu \
    -DoutputDirectory="$PWD/$copy/lib" >/dev/null
  # Timefold 1.x calls the slf4j 2 API; the project's slf4j is 1.7, so the benchmark JVM gets slf4j 2 (no provider: silent)
  rm -f "$copy"/lib/slf4j-*.jar
  mvn -q dependency:copy -Dartifact=org.slf4j:slf4j-api:2.0.17 -DoutputDirectory="$PWD/$copy/lib" >/dev/null
  echo "[bench] $(date -Is) placement on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # shellcheck disable=SC2086
  exec java -Xmx"${BENCH_HEAP:-3g}" -Xlog:gc:file=lab/bench/target/bench-placement-gc.log ${BENCH_OPTS:-} \
    -cp "$copy/main:$copy/test:$copy/api:$copy/lib/*" org.tianshu.scheduler.PlacementBench
fi

# One JVM, no Karaf, for the scenarios of org.tianshu.bench.Bench below: builds lab/bench with its upstreams, copies
# its runtime classpath and runs the scenario with the given heap. What each may set in BENCH_OPTS:
#   paths      the path engine (bundles/slicing) against JGraphT: -Dbench.paths.routers, .planes, .pairs, .queries, -Dbench.seed
#   events     bus, Camel routes (bundles/integration), metrics and the InfluxDB sink against lab/influx.sh's InfluxDB:
#              -Dbench.events.count, -Dbench.events.batch, -Dbench.runs, -Dbench.linkdown.reservations, .samples,
#              -Dbench.events.writers (the sink's writers setting; default the sink's own, 2)
#              (4g heap: with 2g the 200,000 events and points held by both paths cost 6 s of GC pauses per run;
#              also the initial heap, so that the full GC before each timed path does not shrink it)
#   dataplane  the kernel SRv6 lab (lab/srv6.sh, needs root) through adapters/srv6: -Dbench.dataplane.planes, .sites,
#              .ports, .failures
#   chain      OpenDaylight programming the kernel SRv6 lab (lab/opendaylight.sh on lab/srv6.sh's topology, prefix
#              tc-, needs root and a JDK 21+ for the controller): -Dbench.chain.samples
#   planes     the plane manager (bundles/planes) with the path engine, embedded H2 and the in-memory controller:
#              -Dbench.planes.count, .sites, -Dbench.paths.routers, -Dbench.seed
#   reroute    a link of an unprotected demo plane's path set down in the running lab/up.sh runtime, timed until traffic
#              flows again: -Dbench.api, -Dbench.reroute.samples, -Dbench.reroute.prefix
#   failover   DR failover (bundles/dr) between two lab Kubernetes clusters, journalled in PostgreSQL:
#              -Dbench.dr.workloads, .concurrency, .pollMillis, -Dbench.pg.url
run_in_jvm() {
  local heap=$1
  if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    mvn -q install -pl lab/bench -am -DskipTests
  fi
  rm -rf lab/bench/target/lib
  mvn -q -f lab/bench/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime >/dev/null
  echo "[bench] $(date -Is) $scenario on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # shellcheck disable=SC2086
  exec java -Xmx"${BENCH_HEAP:-$heap}" -Xlog:gc:file=lab/bench/target/bench-"$scenario"-gc.log \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.root="$PWD" ${BENCH_OPTS:-} \
    -cp "lab/bench/target/classes:lab/bench/target/lib/*" org.tianshu.bench.Bench "$scenario"
}

case "$scenario" in
  paths) run_in_jvm 2g ;;
  events) bash lab/influx.sh start >&2; BENCH_OPTS="-Xms${BENCH_HEAP:-4g} ${BENCH_OPTS:-}" run_in_jvm 4g ;;
  dataplane) run_in_jvm 1g ;;
  chain) run_in_jvm 512m ;;
  reroute) run_in_jvm 256m ;;
  planes) run_in_jvm 2g ;;
  failover) bash lab/postgres.sh start >&2; run_in_jvm 3g ;;
esac

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -q install -pl lab/bench -am -DskipTests
fi
if [ "$scenario" != inventory ] && [ ! -f karaf-assembly/target/tianshu-karaf-0.1.0-SNAPSHOT.tar.gz ]; then
  mvn -q install -pl karaf-assembly -am -DskipTests
fi
if [ "$scenario" != startup ]; then
  bash lab/postgres.sh start >&2
fi
# a private copy of the jars: other builds may re-install ~/.m2 snapshots while the benchmark runs
rm -rf lab/bench/target/lib
mvn -q -f lab/bench/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime >/dev/null

log=lab/bench/target/bench-$scenario.log
echo "[bench] $(date -Is) $scenario on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); log: $log" >&2
# shellcheck disable=SC2086
java -Xmx"${BENCH_HEAP:-6g}" -Xlog:gc:file=lab/bench/target/bench-gc.log \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.vertx=error \
  -Dbench.root="$PWD" -Dbench.portOffset="${BENCH_PORT_OFFSET:-0}" ${BENCH_OPTS:-} \
  -cp "lab/bench/target/classes:lab/bench/target/lib/*" org.tianshu.bench.Bench "$scenario" 2>"$log"
