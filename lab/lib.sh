# Shared helpers for the lab scripts (sourced, not run).
# State lives under $TIANSHU_LAB_DIR (default /var/tmp/tianshu-lab); every script is idempotent.
LAB_DIR=${TIANSHU_LAB_DIR:-/var/tmp/tianshu-lab}
LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$LAB_DIR"

log() { echo "[lab $(date +%T)] $*"; }
die() { echo "[lab] ERROR: $*" >&2; exit 1; }

# port_open PORT: true if something listens on 127.0.0.1:PORT
port_open() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT [SECONDS]
wait_port() {
  local i
  for i in $(seq 1 $(( ${2:-60} * 5 ))); do port_open "$1" && return 0; sleep 0.2; done
  die "port $1 did not open within ${2:-60}s"
}

# apt_ensure PKG...: installs the Debian packages that are missing, without starting daemons
apt_ensure() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  if [ ! -f "$LAB_DIR/.apt-updated" ]; then apt-get update -qq && touch "$LAB_DIR/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
}
