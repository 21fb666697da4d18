#!/usr/bin/env bash
# A real OpenStack Zed from Debian's packages, for the OpenStack adapter's integration tests:
# Keystone (:5000), Placement (:8778), Glance (:9292, file store), Neutron (:9696, ML2 with a
# bind-every-port driver, no agents), Nova API (:8774) + conductor + scheduler + compute hosts
# lab-compute-1..N (N = TIANSHU_OS_COMPUTES, default 2, so live migration has somewhere to go) on a
# sized fake virt driver, RabbitMQ (:5672). PostgreSQL comes from lab/postgres.sh (shared).
# Seeds image 'cirros', flavors m1.tiny/m1.small/m1.medium and the shared network 'lab-net'.
#
# Usage: lab/openstack.sh install|start|stop|status
#   install  Debian packages + the daemon packages' paste .ini files (no daemons started)
#   start    install if needed, configure, start what is not running, seed; returns once every
#            compute host is registered in Nova and Placement (quick when already up; on a running
#            lab it only adds what is missing, e.g. a compute host added by raising N)
#   stop     stops the OpenStack services and RabbitMQ (PostgreSQL stays up: it is shared)
#   status   one line per service; exit 1 unless all run
# Admin: http://127.0.0.1:5000/v3 admin/secret, project admin, domain Default, region RegionOne.
# State under $LAB_DIR/openstack (etc/ log/ run/ state/); logs in log/.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin   # Debian's /usr/bin/python3, not a pyenv shim
. "$(dirname "$0")/lib.sh"

OS=$LAB_DIR/openstack
E=$OS/etc; L=$OS/log; R=$OS/run; S=$OS/state; BIN=$OS/bin; PY=$OS/py
HOST=127.0.0.1
PW=${TIANSHU_OS_PASSWORD:-secret}
# Compute hosts lab-compute-1..N, one nova-compute each: the first runs as service 'nova-compute'
# (pid run/nova-compute.pid, log log/nova-compute.log), host i>1 as 'nova-compute-i' with its own
# config overlay etc/nova/nova-compute-i.conf, state, pid and log.
COMPUTES=${TIANSHU_OS_COMPUTES:-2}
[[ "$COMPUTES" =~ ^[1-9][0-9]*$ ]] || { echo "TIANSHU_OS_COMPUTES must be a positive integer, not '$COMPUTES'" >&2; exit 1; }
COMPUTE_HOSTS=(); for i in $(seq 1 "$COMPUTES"); do COMPUTE_HOSTS+=("lab-compute-$i"); done
COMPUTE_HOST=${COMPUTE_HOSTS[0]}
# Size of each fake compute host. nova.virt.fake.FakeDriver hard-codes 1000 vCPU, 800000 MiB and
# 600000 GiB (no option changes it; reserved_host_* only shift Placement), so the lab runs a
# FakeDriver subclass with these class attributes instead, like nova's own Small/MediumFakeDriver.
VCPUS=${TIANSHU_OS_VCPUS:-32}
MEMORY_MB=${TIANSHU_OS_MEMORY_MB:-131072}
DISK_GB=${TIANSHU_OS_DISK_GB:-2000}
RESERVED_MEMORY_MB=2048

PACKAGES=(python3-keystone python3-nova python3-placement python3-glance python3-neutron
  python3-psycopg2 python3-openstackclient rabbitmq-server uwsgi-core uwsgi-plugin-python3)
DATABASES=(keystone placement glance nova_api nova nova_cell0 neutron)
DB="postgresql+psycopg2://os:$PW@127.0.0.1"
TRANSPORT="rabbit://guest:guest@127.0.0.1:5672/"
# name:port of each long-running service (port 0: no port, pid only)
SERVICES=(keystone:5000 placement:8778 glance:9292 neutron:9696 nova-api:8774
  nova-conductor:0 nova-scheduler:0 nova-compute:0)
for i in $(seq 2 "$COMPUTES"); do SERVICES+=("nova-compute-$i:0"); done

export OS_AUTH_URL=http://$HOST:5000/v3 OS_USERNAME=admin OS_PASSWORD=$PW OS_PROJECT_NAME=admin \
  OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3 \
  OS_REGION_NAME=RegionOne OS_INTERFACE=public

T0=$(date +%s)
since() { echo "$(( $(date +%s) - ${1:-$T0} ))s"; }

# running NAME: its pid file names a live process
running() { [ -f "$R/$1.pid" ] && kill -0 "$(cat "$R/$1.pid")" 2>/dev/null; }

rabbit_up() { port_open 5672 && rabbitmqctl -q status >/dev/null 2>&1; }

all_up() {
  local s name port
  rabbit_up || return 1
  for s in "${SERVICES[@]}"; do
    name=${s%%:*}; port=${s##*:}
    running "$name" || return 1
    [ "$port" = 0 ] || port_open "$port" || return 1
  done
}

# done_step NAME / mark NAME: one-time steps (schema sync, bootstrap, seed) are remembered in state/
done_step() { [ -f "$S/done.$1" ]; }
mark() { touch "$S/done.$1"; }

do_install() {
  local t=$(date +%s)
  apt_ensure "${PACKAGES[@]}"
  # paste .ini files live in the daemon packages, whose postinst needs debconf and systemd:
  # unpack them instead of installing them
  if [ ! -f "$OS/debs/x/usr/share/nova-common/api-paste.ini" ]; then
    mkdir -p "$OS/debs"
    ( cd "$OS/debs" && { apt-get download nova-common glance-common neutron-common >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get download nova-common glance-common neutron-common >/dev/null; }; } \
      && for f in *.deb; do dpkg -x "$f" x; done )
  fi
  log "install ready in $(since "$t")"
}

# ---------------------------------------------------------------- databases and RabbitMQ
start_databases() {
  "$LAB_HOME/postgres.sh" start >/dev/null
  local db
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='os'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE os LOGIN SUPERUSER PASSWORD '$PW'\""
  for db in "${DATABASES[@]}"; do
    if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1; then
      su postgres -c "createdb -O os $db"
      rm -f "$S"/done.*   # a new database: every one-time step runs again
    fi
  done
}

start_rabbitmq() {
  rabbit_up && return 0
  mkdir -p "$S/rabbitmq"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=25672 \
    setsid nohup rabbitmq-server >"$L/rabbitmq.log" 2>&1 &
  wait_port 5672 90
}

# ---------------------------------------------------------------- config helpers
authtoken() { cat <<EOA
[keystone_authtoken]
www_authenticate_uri = http://$HOST:5000/
auth_url = http://$HOST:5000/
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
service_token_roles_required = true
EOA
}

svcauth() { cat <<EOA
[$1]
auth_type = password
auth_url = http://$HOST:5000/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $PW
region_name = RegionOne
EOA
}

# console scripts (their /usr/bin wrappers come with the daemon packages we do not install),
# the bind-all ML2 driver and the sized fake virt driver
write_support_files() {
  mkdir -p "$BIN" "$PY/lab_mech" "$PY/lab_mech-0.1.dist-info"
  local spec name mod
  for spec in nova-manage:nova.cmd.manage nova-conductor:nova.cmd.conductor nova-scheduler:nova.cmd.scheduler \
      glance-manage:glance.cmd.manage glance-api:glance.cmd.api \
      neutron-server:neutron.cmd.eventlet.server neutron-db-manage:neutron.db.migration.cli; do
    name=${spec%%:*}; mod=${spec#*:}
    printf '#!/usr/bin/python3\nimport sys\nfrom %s import main\nsys.argv[0] = "%s"\nsys.exit(main())\n' \
      "$mod" "$name" >"$BIN/$name"
    chmod +x "$BIN/$name"
  done
  # nova loads compute_driver from the nova.virt package: register the lab driver there
  printf '#!/usr/bin/python3\nimport sys\nfrom nova.cmd.compute import main\nimport lab_fake\nsys.modules["nova.virt.lab_fake"] = lab_fake\nsys.argv[0] = "nova-compute"\nsys.exit(main())\n' \
    >"$BIN/nova-compute"
  chmod +x "$BIN/nova-compute"
  printf 'from nova.api.openstack.compute.wsgi import init_application\napplication = init_application()\n' \
    >"$BIN/nova-api-wsgi.py"

  # Neutron's in-tree 'test' mechanism driver fails binding on real port updates
  cat >"$PY/lab_mech/__init__.py" <<'EOPY'
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants as const
from neutron_lib.plugins.ml2 import api


class BindAllDriver(api.MechanismDriver):
    """Binds every port on any host (vif_type ovs, status ACTIVE). No agents, no data plane."""

    def initialize(self):
        pass

    def bind_port(self, context):
        for seg in context.segments_to_bind:
            context.set_binding(seg[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True},
                                status=const.PORT_STATUS_ACTIVE)
            return
EOPY
  printf 'Metadata-Version: 2.1\nName: lab-mech\nVersion: 0.1\n' >"$PY/lab_mech-0.1.dist-info/METADATA"
  printf '[neutron.ml2.mechanism_drivers]\nbindall = lab_mech:BindAllDriver\n' \
    >"$PY/lab_mech-0.1.dist-info/entry_points.txt"

  cat >"$PY/lab_fake.py" <<EOPY
from nova.virt import fake


class LabFakeDriver(fake.FakeDriver):
    """nova.virt.fake.FakeDriver with the size of a real compute node."""
    vcpus = $VCPUS
    memory_mb = $MEMORY_MB
    local_gb = $DISK_GB
EOPY
}

write_configs() {
  mkdir -p "$E"/{keystone,placement,glance,neutron,nova} "$S"/{fernet-keys,credential-keys,images,glance-staging,lock,neutron,nova/instances}
  local X=$OS/debs/x/usr/share
  cp "$X/glance-common/glance-api-paste.ini" "$E/glance/"
  cp "$X/neutron-common/api-paste.ini" "$E/neutron/"
  cp "$X/nova-common/api-paste.ini" "$E/nova/"

  cat >"$E/keystone/keystone.conf" <<EOC
[DEFAULT]
log_file = $L/keystone.log
[database]
connection = $DB/keystone
[fernet_tokens]
key_repository = $S/fernet-keys
[fernet_receipts]
key_repository = $S/fernet-keys
[credential]
key_repository = $S/credential-keys
[token]
provider = fernet
EOC

  { cat <<EOC
[DEFAULT]
log_file = $L/placement.log
[placement_database]
connection = $DB/placement
[api]
auth_strategy = keystone
EOC
    authtoken placement; } >"$E/placement/placement.conf"

  { cat <<EOC
[DEFAULT]
bind_host = $HOST
bind_port = 9292
workers = 1
log_file = $L/glance-api.log
enabled_backends = fs:file
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $S/images
[os_glance_staging_store]
filesystem_store_datadir = $S/glance-staging
[os_glance_tasks_store]
filesystem_store_datadir = $S/glance-staging
[database]
connection = $DB/glance
[paste_deploy]
flavor = keystone
config_file = $E/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $S/lock
EOC
    authtoken glance; } >"$E/glance/glance-api.conf"

  { cat <<EOC
[DEFAULT]
bind_host = $HOST
bind_port = 9696
core_plugin = ml2
service_plugins =
auth_strategy = keystone
transport_url = $TRANSPORT
api_paste_config = $E/neutron/api-paste.ini
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
state_path = $S/neutron
log_file = $L/neutron-server.log
[database]
connection = $DB/neutron
[oslo_concurrency]
lock_path = $S/lock
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = bindall
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vxlan]
vni_ranges = 1:1000
EOC
    authtoken neutron; } >"$E/neutron/neutron.conf"

  { cat <<EOC
[DEFAULT]
transport_url = $TRANSPORT
compute_driver = lab_fake.LabFakeDriver
host = $COMPUTE_HOST
my_ip = $HOST
reserved_host_memory_mb = $RESERVED_MEMORY_MB
state_path = $S/nova
instances_path = $S/nova/instances
log_dir = $L
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $E/nova/api-paste.ini
[api_database]
connection = $DB/nova_api
[database]
connection = $DB/nova
[oslo_concurrency]
lock_path = $S/lock
[scheduler]
discover_hosts_in_cells_interval = 2
workers = 1
[vnc]
enabled = false
[oslo_messaging_notifications]
driver = noop
[conductor]
workers = 1
EOC
    authtoken nova; svcauth placement placement; svcauth neutron neutron
    echo "service_metadata_proxy = false"
    svcauth service_user nova; echo "send_service_user_token = true"; } >"$E/nova/nova.conf"
  local i
  for i in $(seq 2 "$COMPUTES"); do
    mkdir -p "$S/nova-$i/instances"
    cat >"$E/nova/nova-compute-$i.conf" <<EOC
[DEFAULT]
host = lab-compute-$i
log_file = nova-compute-$i.log
state_path = $S/nova-$i
instances_path = $S/nova-$i/instances
EOC
  done
}

# start_uwsgi NAME PORT WSGI-FILE [ENV=VALUE...]
start_uwsgi() {
  local name=$1 port=$2 wsgi=$3; shift 3
  running "$name" && return 0
  env "$@" setsid nohup uwsgi --plugin python3 --http11-socket "$HOST:$port" --wsgi-file "$wsgi" \
    --master --processes 1 --threads 4 --lazy-apps --die-on-term --pidfile "$R/$name.pid" \
    >"$L/$name-uwsgi.log" 2>&1 &
  # uwsgi writes its pid file itself; wait for it so that 'running' sees it
  local i; for i in $(seq 1 50); do [ -s "$R/$name.pid" ] && return 0; sleep 0.1; done
}

# start_daemon NAME COMMAND...
start_daemon() {
  local name=$1; shift
  running "$name" && return 0
  setsid nohup "$@" >"$L/$name-stdout.log" 2>&1 &
  echo $! >"$R/$name.pid"
}

# ---------------------------------------------------------------- services
start_keystone() {
  local KS="keystone-manage --config-file $E/keystone/keystone.conf"
  if ! done_step keystone; then
    $KS db_sync >"$L/keystone-manage.log" 2>&1
    $KS fernet_setup --keystone-user root --keystone-group root >>"$L/keystone-manage.log" 2>&1
    $KS credential_setup --keystone-user root --keystone-group root >>"$L/keystone-manage.log" 2>&1
    $KS bootstrap --bootstrap-password "$PW" --bootstrap-region-id RegionOne \
      --bootstrap-admin-url "http://$HOST:5000/v3/" --bootstrap-internal-url "http://$HOST:5000/v3/" \
      --bootstrap-public-url "http://$HOST:5000/v3/" >>"$L/keystone-manage.log" 2>&1
    mark keystone
  fi
  start_uwsgi keystone 5000 /usr/bin/keystone-wsgi-public "OS_KEYSTONE_CONFIG_DIR=$E/keystone"
  wait_port 5000 60
  local i
  for i in $(seq 1 120); do openstack token issue -f value -c id >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "keystone does not issue tokens; see $L/keystone.log"
}

register_catalog() {
  done_step catalog && return 0
  # one CLI process reading commands from stdin: a fraction of the time of one process per command
  local existing svc name type path i
  existing=$(openstack service list -f value -c Type)
  {
    echo "project create --domain default --or-show service"
    echo "role create --or-show service"
    for svc in nova:compute:8774/v2.1 placement:placement:8778 glance:image:9292 neutron:network:9696; do
      IFS=: read -r name type path <<<"$svc"
      echo "user create --domain default --password $PW --or-show $name"
      echo "role add --project service --user $name admin"
      echo "role add --project service --user $name service"
      if ! grep -qx "$type" <<<"$existing"; then
        echo "service create --name $name $type"
        for i in public internal admin; do echo "endpoint create --region RegionOne $type $i http://$HOST:$path"; done
      fi
    done
  } | openstack >"$L/catalog.log" 2>&1
  [ "$(openstack service list -f value -c Type | sort | tr '\n' ' ')" = "compute identity image network placement " ] \
    || die "service catalog incomplete; see $L/catalog.log"
  mark catalog
}

start_placement() {
  if ! done_step placement; then
    placement-manage --config-file "$E/placement/placement.conf" db sync >"$L/placement-manage.log" 2>&1
    mark placement
  fi
  start_uwsgi placement 8778 /usr/bin/placement-api "OS_PLACEMENT_CONFIG_DIR=$E/placement"
}

start_glance() {
  if ! done_step glance; then
    "$BIN/glance-manage" --config-file "$E/glance/glance-api.conf" db_sync >"$L/glance-manage.log" 2>&1
    mark glance
  fi
  start_daemon glance "$BIN/glance-api" --config-file "$E/glance/glance-api.conf"
}

start_neutron() {
  if ! done_step neutron; then
    "$BIN/neutron-db-manage" --config-file "$E/neutron/neutron.conf" upgrade heads >"$L/neutron-db-manage.log" 2>&1
    mark neutron
  fi
  start_daemon neutron env PYTHONPATH="$PY" "$BIN/neutron-server" --config-file "$E/neutron/neutron.conf"
}

start_nova() {
  local NM="$BIN/nova-manage --config-file $E/nova/nova.conf" s
  if ! done_step nova; then
    $NM api_db sync >>"$L/nova-manage-cli.log" 2>&1
    $NM cell_v2 list_cells | grep -q ' cell0 ' || $NM cell_v2 map_cell0 --database_connection "$DB/nova_cell0" >>"$L/nova-manage-cli.log" 2>&1
    $NM cell_v2 list_cells | grep -q ' cell1 ' \
      || $NM cell_v2 create_cell --name cell1 --transport-url "$TRANSPORT" --database_connection "$DB/nova" >>"$L/nova-manage-cli.log" 2>&1
    $NM db sync >>"$L/nova-manage-cli.log" 2>&1
    mark nova
  fi
  for s in conductor scheduler compute; do
    start_daemon "nova-$s" env PYTHONPATH="$PY" "$BIN/nova-$s" --config-file "$E/nova/nova.conf"
  done
  for s in $(seq 2 "$COMPUTES"); do
    start_daemon "nova-compute-$s" env PYTHONPATH="$PY" "$BIN/nova-compute" --config-file "$E/nova/nova.conf" \
      --config-file "$E/nova/nova-compute-$s.conf"
  done
  start_uwsgi nova-api 8774 "$BIN/nova-api-wsgi.py" "OS_NOVA_CONFIG_DIR=$E/nova"
}

# ---------------------------------------------------------------- readiness and seed (openstacksdk)
sdk() { /usr/bin/python3 - "$@" <<'EOPY'
import sys, time, openstack

conn = openstack.connect(cloud=None, load_yaml_config=False, load_envvars=True)
cmd = sys.argv[1]

if cmd == "wait-compute":          # nova-compute up and its inventory in Placement
    # (not the hypervisor API: at recent microversions it asks the fake driver for an uptime it lacks)
    # a heartbeat older than the running nova-compute (a restart) does not count: its queues may not exist yet
    import datetime
    host, timeout, started = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    def fresh(s):
        t = datetime.datetime.fromisoformat(s.updated_at.rstrip("Z")).replace(tzinfo=datetime.timezone.utc)
        return t.timestamp() > started
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            up = [s for s in conn.compute.services() if s.binary == "nova-compute" and s.host == host
                  and s.state == "up" and s.updated_at and fresh(s)]
            rps = [r for r in conn.placement.resource_providers() if r.name == host]
            if up and rps:
                inv = conn.placement.get("/resource_providers/%s/inventories" % rps[0].id).json()["inventories"]
                if "VCPU" in inv:
                    print("compute host %s: %s vCPU, %s MiB, %s GiB" % (host, inv["VCPU"]["total"],
                          inv["MEMORY_MB"]["total"], inv["DISK_GB"]["total"]))
                    sys.exit(0)
            last = "nova-compute up: %s, resource provider: %s" % (bool(up), bool(rps))
        except Exception as e:   # services still coming up
            last = repr(e)
        time.sleep(1)
    print("compute host %s not registered after %ss (%s)" % (host, timeout, last), file=sys.stderr)
    sys.exit(1)

if cmd == "seed":
    flavors = {f.name: f for f in conn.compute.flavors(is_public=None)}
    for name, vcpus, ram, disk in (("m1.tiny", 1, 512, 1), ("m1.small", 1, 2048, 20), ("m1.medium", 2, 4096, 40)):
        if name not in flavors:
            conn.compute.create_flavor(name=name, vcpus=vcpus, ram=ram, disk=disk, is_public=True)
            print("created flavor", name)
    image = conn.image.find_image("cirros")
    if image is not None and image.status != "active":
        conn.image.delete_image(image)      # left half-uploaded by an interrupted seed
        image = None
    if image is None:
        image = conn.image.create_image(name="cirros", disk_format="raw", container_format="bare",
                                        visibility="public")
        # 1 MiB of zeros as a raw disk: the fake driver never reads it
        conn.image.put("/images/%s/file" % image.id, data=b"\0" * (1 << 20),
                       headers={"Content-Type": "application/octet-stream"}, raise_exc=True)
        image = conn.image.get_image(image.id)
        if image.status != "active":
            sys.exit("image cirros is %s after upload" % image.status)
        print("created image cirros", image.id)
    net = conn.network.find_network("lab-net")
    if net is None:
        net = conn.network.create_network(name="lab-net", is_shared=True)
        print("created network lab-net", net.id)
    if not list(conn.network.subnets(network_id=net.id)):
        conn.network.create_subnet(name="lab-subnet", network_id=net.id, ip_version=4, cidr="10.10.0.0/24")
        print("created subnet lab-subnet 10.10.0.0/24")
    sys.exit(0)

sys.exit("unknown command " + cmd)
EOPY
}

# ---------------------------------------------------------------- commands
do_start() {
  if all_up && done_step seed; then
    log "openstack already up (keystone http://$HOST:5000/v3, compute hosts ${COMPUTE_HOSTS[*]})"
    return 0
  fi
  mkdir -p "$E" "$L" "$R" "$S"
  local t
  do_install
  t=$(date +%s); start_databases; start_rabbitmq; log "postgres + rabbitmq up in $(since "$t")"
  write_support_files
  write_configs
  t=$(date +%s); start_keystone; register_catalog; log "keystone + catalog up in $(since "$t")"
  t=$(date +%s)
  start_placement
  start_glance
  start_neutron
  start_nova
  local s
  for s in "${SERVICES[@]}"; do
    [ "${s##*:}" = 0 ] || wait_port "${s##*:}" 180
  done
  for s in "${SERVICES[@]}"; do
    running "${s%%:*}" || die "${s%%:*} is not running; see $L/"
  done
  log "all services listening in $(since "$t") ($(since) since start)"
  t=$(date +%s)
  local i pid
  for i in $(seq 1 "$COMPUTES"); do
    pid=nova-compute; [ "$i" = 1 ] || pid=nova-compute-$i
    sdk wait-compute "lab-compute-$i" 300 "$(stat -c %Y "$R/$pid.pid")" || die "see $L/$pid.log"
  done
  "$BIN/nova-manage" --config-file "$E/nova/nova.conf" cell_v2 discover_hosts >/dev/null
  log "compute hosts ${COMPUTE_HOSTS[*]} registered in $(since "$t")"
  if ! done_step seed; then
    t=$(date +%s); sdk seed; mark seed; log "seeded flavors, image cirros, network lab-net in $(since "$t")"
  fi
  log "openstack READY in $(since): keystone http://$HOST:5000/v3 (admin/$PW, project admin)"
}

do_stop() {
  local f p pids=()
  for f in "$R"/*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    if kill "$p" 2>/dev/null; then pids+=("$p"); log "stopping $(basename "$f" .pid) ($p)"; fi
    rm -f "$f"
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  done
  if rabbit_up; then rabbitmqctl -q stop >/dev/null 2>&1 && log "rabbitmq stopped" || true; fi
  log "openstack stopped (postgres left running)"
}

do_status() {
  local s name port ok=0
  if rabbit_up; then echo "rabbitmq: running"; else echo "rabbitmq: stopped"; ok=1; fi
  for s in "${SERVICES[@]}"; do
    name=${s%%:*}; port=${s##*:}
    if running "$name" && { [ "$port" = 0 ] || port_open "$port"; }; then
      if [ "$port" = 0 ]; then echo "$name: running"; else echo "$name: running on :$port"; fi
    else
      echo "$name: stopped"; ok=1
    fi
  done
  return $ok
}

case "${1:-}" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
