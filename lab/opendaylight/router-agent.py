"""NETCONF agent of one lab router: the router's dataplane side of the tianshu-plane model.

Reads its device's running configuration (tianshu-plane:planes) over NETCONF (ncclient, get-config every 0.3 s) and
reconciles the router's network namespace, and the host namespaces behind its customer ports, with iproute2 whenever
it changes. It writes the kernel state adapters/srv6 writes for the same plane (PlaneRenderer/KernelObject, the
kernel lab's conventions; OpenDaylightChainIT checks that applying the plane with adapters/srv6 afterwards finds
nothing to change): per site on this router, the port's alias tianshu:<plane>/<site>, rule iif <port> lookup <table>
pref 1000, the gateway (the prefix's 2nd address, noprefixroute), unreachable default and the site prefix in the
plane's table, End.DT6 into the table at the decap SID; dual stack: the same for IPv4, End.DX4 to the host at the decap
SID with bit ::4:0:0 set and the host's /32 in main; the host namespace gets the prefix's 1st address and a default
route to the gateway; per policy starting here, H.Encaps in the plane's table (primary metric 100, backup 200). The
SIDs are reached through the lab's rule "to fd00::/32 lookup main pref 900", the customer ports are kept out of the
SID space by the lab's nftables guard (lab/srv6.sh).

The agent diffs against what it applied last (kept in memory), so it deletes exactly what it added; when it starts,
it first deletes what an earlier run left on the ports marked tianshu:... (their rules and tables, gateway addresses,
SIDs, and the hosts' addresses and routes), since its device may no longer hold those planes.

Usage: router-agent.py ROUTER NETCONF_PORT NETNS_PREFIX
"""
import ipaddress
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from ncclient import manager

NS = "{urn:tianshu:yang:plane}"
FILTER = ('subtree', '<planes xmlns="urn:tianshu:yang:plane"/>')
RULE_PRIORITY = 1000
METRIC_PRIMARY, METRIC_BACKUP = 100, 200
# creation order, as KernelObject.Kind; deletion runs the reverse
ALIAS, RULE, ADDRESS, ROUTE, SID, HOST_ADDRESS, HOST_ROUTE = range(7)


def text(e, name):
    c = e.find(NS + name)
    return c.text if c is not None else None


def nth(prefix, n):
    """The prefix's n-th address with the prefix's length, e.g. 10.16.1.2/24."""
    net = ipaddress.ip_network(prefix)
    return f"{net.network_address + n}/{net.prefixlen}"


def sid4(sid6):
    """A dual-stack site's IPv4 (End.DX4) SID: its decap SID with bit ::4:0:0 set."""
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(sid6)) | (4 << 32)))


def desired(data, router, prefix):
    """{(namespace, family, key): (kind, add line, delete line)} for the planes in a <data> element."""
    out = {}
    ns = prefix + router

    def put(namespace, family, kind, key, add, delete):
        out[(namespace, family, key)] = (kind, add, delete)

    for plane in data.iter(NS + "plane"):
        name, table = text(plane, "name"), text(plane, "table")
        sites = {}
        for site in plane.findall(NS + "site"):
            port, p6, p4, sid = (text(site, k) for k in ("port", "ipv6-prefix", "ipv4-prefix", "decap-sid"))
            sites[text(site, "name")] = (port, p4, sid)
            host = f"{prefix}h-{router}-{port}"
            put(ns, 6, ALIAS, f"alias {port}", f"link set dev {port} alias tianshu:{name}/{text(site, 'name')}",
                f'link set dev {port} alias ""')
            for family, pfx in ((6, p6), (4, p4)) if p4 else ((6, p6),):
                rule = f"iif {port} lookup {table} pref {RULE_PRIORITY}"
                gw, addr = nth(pfx, 2), nth(pfx, 1)
                put(ns, family, RULE, f"rule {port}", f"rule add {rule}", f"rule del {rule}")
                put(ns, family, ADDRESS, f"address {port} {gw}",
                    f"address add {gw} dev {port}{' nodad' if family == 6 else ''} noprefixroute",
                    f"address del {gw} dev {port}")
                put(ns, family, ROUTE, f"route {table} default", f"route add unreachable default table {table}",
                    f"route del unreachable default table {table}")
                r = f"{pfx} dev {port} table {table}"
                put(ns, family, ROUTE, f"route {table} {pfx}", f"route add {r}", f"route del {r}")
                if os.path.exists(f"/var/run/netns/{host}"):
                    put(host, family, HOST_ADDRESS, f"address {addr}",
                        f"address add {addr} dev eth0{' nodad' if family == 6 else ''}", f"address del {addr} dev eth0")
                    r = f"default via {gw.split('/')[0]} dev eth0"
                    put(host, family, HOST_ROUTE, "route default", f"route add {r}", f"route del {r}")
            put(ns, 6, SID, f"sid {sid}",
                f"route add {sid}/128 encap seg6local action End.DT6 table {table} dev {port}", f"route del {sid}/128")
            if p4:
                h4 = nth(p4, 1).split("/")[0]
                put(ns, 6, SID, f"sid {sid4(sid)}",
                    f"route add {sid4(sid)}/128 encap seg6local action End.DX4 nh4 {h4} dev {port}",
                    f"route del {sid4(sid)}/128")
                put(ns, 4, SID, f"route main {h4}/32", f"route add {h4}/32 dev {port}", f"route del {h4}/32 dev {port}")
        # sites of one plane on one router share its table: policies leave through the first of their ports
        first = min((p for p, _, _ in sites.values()), default=None)
        for policy in plane.findall(NS + "policy"):
            segs = [text(s, "sid") for s in sorted(policy.findall(NS + "segment"), key=lambda s: int(text(s, "index")))]
            backup = text(policy, "backup") == "true"
            metric = METRIC_BACKUP if backup else METRIC_PRIMARY
            kind = "backup" if backup else "primary"
            routes = [(6, text(policy, "destination-ipv6"), segs)]
            if sites[text(policy, "from")][1] and text(policy, "destination-ipv4"):
                routes.append((4, text(policy, "destination-ipv4"), segs[:-1] + [sid4(segs[-1])]))
            for family, dst, s in routes:
                put(ns, family, ROUTE, f"route {table} {dst} {kind}",
                    f"route add {dst} encap seg6 mode encap segs {','.join(s)} dev {first} table {table} metric {metric}",
                    f"route del {dst} table {table} metric {metric}")
    return out


def leftovers(router, prefix):
    """Delete lines for what an earlier run left on this router (ports marked tianshu:...) and on their hosts."""
    ns = prefix + router
    out = {}
    links = json.loads(subprocess.run(["ip", "-n", ns, "-j", "link", "show"], capture_output=True, text=True,
                                      check=True).stdout)
    for link in links:
        port = link.get("ifname")
        if not link.get("ifalias", "").startswith("tianshu:"):
            continue
        host = f"{prefix}h-{router}-{port}"
        if os.path.exists(f"/var/run/netns/{host}"):
            for family in (6, 4):
                out[(host, family, "addresses")] = (HOST_ADDRESS, None, "address flush dev eth0 scope global")
                out[(host, family, "routes")] = (HOST_ROUTE, None, "route flush proto boot")
        out[(ns, 6, f"alias {port}")] = (ALIAS, None, f'link set dev {port} alias ""')
        for family in (6, 4):
            rules = json.loads(subprocess.run(["ip", "-n", ns, "-j", f"-{family}", "rule", "show"], capture_output=True,
                                              text=True, check=True).stdout)
            for r in rules:
                if r.get("iif") == port and r.get("priority") == RULE_PRIORITY:
                    out[(ns, family, f"rule {port}")] = (RULE, None, f"rule del iif {port} pref {RULE_PRIORITY}")
                    out[(ns, family, f"table {r['table']}")] = (ROUTE, None, f"route flush table {r['table']}")
            out[(ns, family, f"address {port}")] = (ADDRESS, None, f"address flush dev {port} scope global")
            # SIDs and End.DX4's host route: what ip route add put in main through the port
            out[(ns, family, f"sid {port}")] = (SID, None, f"route flush dev {port} proto boot")
    return out


def batches(objects, delete):
    """One ip -batch per namespace and family; -force goes on after an error (e.g. after a restart of the agent)."""
    ok = True
    runs = {}
    for (namespace, family, _), (kind, add, dele) in objects:
        runs.setdefault((namespace, family), []).append(dele if delete else add)
    for (namespace, family), lines in runs.items():
        p = subprocess.run(["ip", "-force", "-n", namespace, f"-{family}", "-batch", "-"], input="\n".join(lines) + "\n",
                           text=True, capture_output=True)
        if p.returncode != 0:
            print(f"ip -n {namespace} -{family}: {p.stderr.strip()}", flush=True)
            ok = False
    return ok


def reconcile(applied, wanted):
    """Deletes what changed or left (hosts first, reverse kind order), then adds (routers first, kind order)."""
    dels = [(k, v) for k, v in applied.items() if wanted.get(k) != v]
    adds = [(k, v) for k, v in wanted.items() if applied.get(k) != v]
    dels.sort(key=lambda o: (o[1][0] < HOST_ADDRESS, o[0][0], o[0][1], -o[1][0]))
    adds.sort(key=lambda o: (o[1][0] >= HOST_ADDRESS, o[0][0], -o[0][1], o[1][0]))
    return batches(dels, True) & batches(adds, False), len(dels), len(adds)


def main():
    router, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    applied = None
    while True:
        try:
            with manager.connect(host="127.0.0.1", port=port, username="admin", password="admin",
                                 hostkey_verify=False, look_for_keys=False, allow_agent=False, timeout=10) as m:
                print(f"{router}: connected to its device on port {port}, programming {prefix}{router}", flush=True)
                if applied is None:
                    # an earlier agent's planes may be gone from the device (a restarted lab): start from a clean slate
                    ok, d, _ = reconcile(leftovers(router, prefix), {})
                    applied = {}
                    print(f"{router}: {d} leftovers deleted{'' if ok else ' (with errors, see above)'}", flush=True)
                while True:
                    data = ET.fromstring(m.get_config(source="running", filter=FILTER).data_xml)
                    wanted = desired(data, router, prefix)
                    if wanted != applied:
                        ok, d, a = reconcile(applied, wanted)
                        applied = wanted
                        print(f"{time.time():.3f} {router}: {d} deleted, {a} added"
                              f"{'' if ok else ' (with errors, see above)'}", flush=True)
                    time.sleep(0.3)
        except Exception as e:  # device restarting: connect again
            print(f"{router}: {type(e).__name__}: {e}", flush=True)
            time.sleep(1)


if __name__ == "__main__":
    main()
