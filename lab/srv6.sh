#!/usr/bin/env bash
# The kernel SRv6 dataplane lab: an emulated provincial backbone of 8 routers in network namespaces ts-<router>
# (2 core routers in the capital, aggregation and access routers in 3 cities; topology in lab/srv6-topology.py),
# veth links with an IPv6 static underlay, SRv6 locators and End SIDs, link capacity enforced with tc tbf, and
# attachment ports p1..p3 on aggregation/access routers, each with a host namespace ts-h-<router>-<port> standing
# for a department's equipment (no addresses until a business plane binds the port: adapters/srv6 does that).
# Writes the topology to $LAB_DIR/srv6/topology.json for adapters/srv6.
# Usage: lab/srv6.sh up|down|status
#        lab/srv6.sh impair LINK loss=PCT|rate=RATE|delay=MS|down   e.g. impair my-acc~zg-agg loss=10, rate=1mbit, delay=200ms
#        lab/srv6.sh clear LINK                              back to up, no loss, no delay, the link's own capacity
# (a LINK is "a~b", see topology.json; loss drops on a's side towards b; down sets both ends down)
# delay: this kernel has no netem, so the delay is real queueing (bufferbloat): both ends get a deep tbf queue at
# $DELAY_RATE and a UDP sender in each end's namespace (srv6-load.py) keeps MS of traffic standing in it, so every
# packet crossing the link waits about MS in each direction (a round trip about 2*MS more); nothing is dropped.
# Environment: SRV6_LAB_PORTS=N gives every aggregation and access router N attachment ports (default 2 and 3);
# up rebuilds the lab when the number of namespaces differs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STATE="$LAB_DIR/srv6"
TOPO=(python3 "$LAB_HOME/srv6-topology.py")
P=${SRV6_LAB_PREFIX:-ts-}
export SRV6_LAB_PREFIX=$P
DELAY_RATE=10000000  # bit/s of a link impaired with delay=: the load senders cost about 3 % of a core each

routers() { "${TOPO[@]}" json | python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["routers"]))'; }
namespaces() { ip netns list | awk '{print $1}' | grep "^$P" || true; }
expected() { echo $(( $(routers | wc -w) + $("${TOPO[@]}" hosts | wc -l) )); }

# tbf for a link end: the burst must hold at least one MTU-sized packet and about 1 ms of traffic at the link's
# capacity (128kb); an impairment uses 4kb, else a short probe fits in the burst and never sees the limit
tbf() { # ns dev rate [burst]
  ip netns exec "$1" tc qdisc replace dev "$2" root tbf rate "$3" burst "${4:-128kb}" latency 20ms
}

down() {
  local n pid
  for n in $(namespaces); do
    for pid in $(ip netns pids "$n" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$n"
  done
  rm -f "$STATE/topology.json" "$STATE/load/"*.pids
  log "srv6 lab down: $(namespaces | wc -l) namespaces left with prefix $P"
}

up() {
  apt_ensure iproute2 nftables iputils-ping python3
  if [ -f "$STATE/topology.json" ] && [ "$(namespaces | wc -l)" = "$(expected)" ]; then
    log "srv6 lab already up ($(expected) namespaces)"; return 0
  fi
  down >/dev/null
  mkdir -p "$STATE/batch" && rm -f "$STATE/batch/"*
  local r a b cap port host
  for r in $(routers); do
    ip netns add "$P$r"
    # before any interface exists, so that every interface inherits them
    ip netns exec "$P$r" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 \
      net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.default.seg6_enabled=1 \
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
      net.ipv6.conf.all.keep_addr_on_down=1 net.ipv6.conf.default.keep_addr_on_down=1
  done
  while read -r a b cap; do
    ip link add "$b" netns "$P$a" type veth peer name "$a" netns "$P$b"
  done < <("${TOPO[@]}" links)
  while read -r r port host; do
    ip netns add "$host"
    ip netns exec "$host" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip link add eth0 netns "$host" type veth peer name "$port" netns "$P$r"
  done < <("${TOPO[@]}" hosts)
  "${TOPO[@]}" build "$STATE/batch"
  for f in "$STATE/batch/"*.batch; do ip -n "$(basename "$f" .batch)" -6 -batch "$f"; done
  while read -r a b cap; do tbf "$P$a" "$b" "${cap}mbit"; tbf "$P$b" "$a" "${cap}mbit"; done < <("${TOPO[@]}" links)
  # customer ports never reach the SID space (else a host could send an SRH packet into another plane's decap SID)
  for r in $(routers); do
    ip netns exec "$P$r" nft -f - <<EOF
table inet ts-guard {
  chain pre { type filter hook prerouting priority -150; iifname "p*" ip6 daddr fd00:0::/32 drop; }
}
EOF
  done
  "${TOPO[@]}" json > "$STATE/topology.json.tmp" && mv "$STATE/topology.json.tmp" "$STATE/topology.json"
  log "srv6 lab up: $(namespaces | wc -l) namespaces, topology in $STATE/topology.json"
}

status() {
  local have; have=$(namespaces | wc -l)
  echo "srv6 lab: $have of $(expected) namespaces with prefix $P; topology $( [ -f "$STATE/topology.json" ] && echo "$STATE/topology.json" || echo missing)"
  [ "$have" = "$(expected)" ] && [ -f "$STATE/topology.json" ]
}

impair() { # LINK what
  local a b cap; read -r a b cap < <("${TOPO[@]}" link "$1")
  case "$2" in
    loss=*)
      ip netns exec "$P$a" nft -f - <<EOF
table inet ts-impair { chain post { type filter hook postrouting priority 0; }; }
flush chain inet ts-impair post
add rule inet ts-impair post oifname "$b" numgen random mod 100 < ${2#loss=} counter drop
EOF
      ;;
    rate=*) tbf "$P$a" "$b" "${2#rate=}" 4kb; tbf "$P$b" "$a" "${2#rate=}" 4kb ;;
    delay=*) delay "$1" "$a" "$b" "${2#delay=}" ;;
    down) ip -n "$P$a" link set "$b" down; ip -n "$P$b" link set "$a" down ;;
    *) die "impair $1: loss=PCT, rate=RATE, delay=MS or down, got $2" ;;
  esac
  log "link $1: $2"
}

# the load senders of a delayed link, one pid a line
loadfile() { echo "$STATE/load/$1.pids"; }

delay() { # LINK a b MS: a standing queue of MS on both ends (see the header)
  local ms=${4%ms} addr_a addr_b
  [[ "$ms" =~ ^[0-9]+$ ]] && [ "$ms" -ge 1 ] && [ "$ms" -le 5000 ] || die "impair $1: delay=MS with MS 1 to 5000, got $4"
  stop_load "$1"
  read -r addr_a addr_b < <("${TOPO[@]}" addresses "$1")
  mkdir -p "$STATE/load"
  # the queue may hold twice the standing load: the link's own packets queue behind it, never dropped
  ip netns exec "$P$a" tc qdisc replace dev "$b" root tbf rate "$DELAY_RATE" burst 4kb latency $(( 2 * ms + 100 ))ms
  ip netns exec "$P$b" tc qdisc replace dev "$a" root tbf rate "$DELAY_RATE" burst 4kb latency $(( 2 * ms + 100 ))ms
  # detached, with no inherited output (else whoever runs this script waits for the senders' end)
  ip netns exec "$P$a" setsid python3 "$LAB_HOME/srv6-load.py" "$addr_b" "$DELAY_RATE" "$ms" </dev/null >/dev/null 2>&1 &
  echo $! >> "$(loadfile "$1")"
  ip netns exec "$P$b" setsid python3 "$LAB_HOME/srv6-load.py" "$addr_a" "$DELAY_RATE" "$ms" </dev/null >/dev/null 2>&1 &
  echo $! >> "$(loadfile "$1")"
}

stop_load() { # LINK
  local f pid; f=$(loadfile "$1")
  [ -f "$f" ] || return 0
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$f"
  rm -f "$f"
}

clear() { # LINK
  local a b cap; read -r a b cap < <("${TOPO[@]}" link "$1")
  stop_load "$1"
  ip netns exec "$P$a" nft delete table inet ts-impair 2>/dev/null || true
  tbf "$P$a" "$b" "${cap}mbit"; tbf "$P$b" "$a" "${cap}mbit"
  ip -n "$P$a" link set "$b" up; ip -n "$P$b" link set "$a" up
  # a device set down loses its IPv6 routes: put the static underlay back
  "${TOPO[@]}" underlay "$STATE/batch"
  ip -n "$P$a" -batch "$STATE/batch/$P$a.underlay"; ip -n "$P$b" -batch "$STATE/batch/$P$b.underlay"
  log "link $1: clear"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  impair) [ $# = 3 ] || die "usage: $0 impair LINK loss=PCT|rate=RATE|delay=MS|down"; impair "$2" "$3" ;;
  clear) [ $# = 2 ] || die "usage: $0 clear LINK"; clear "$2" ;;
  *) die "usage: $0 up|down|status|impair LINK loss=PCT|rate=RATE|delay=MS|down|clear LINK" ;;
esac
