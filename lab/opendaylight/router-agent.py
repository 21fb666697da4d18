"""NETCONF agent of one lab router: the router's dataplane side of the tianshu-plane model.

Reads its device's running configuration (tianshu-plane:planes) over NETCONF (ncclient) and reconciles the
router's network namespace with iproute2 whenever it changes: per plane, for each site on this router, the rule
that puts the customer port's traffic into the plane's table, the site's prefix on its port and the decapsulation
SID (seg6local End.DT6 into the table); for each policy starting here, the destination prefix encapsulated (seg6
H.Encaps) with the segment list; and a throw route for the underlay so the outer lookup falls back to main.
Everything it installs carries routing protocol number PROTO, so it can replace exactly what it owns.

Usage: router-agent.py ROUTER NETCONF_PORT NAMESPACE [UNDERLAY_PREFIX]
"""
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from ncclient import manager

NS = "{urn:tianshu:yang:plane}"
PROTO = "99"
FILTER = ('subtree', '<planes xmlns="urn:tianshu:yang:plane"/>')


def text(e, name):
    c = e.find(NS + name)
    return c.text if c is not None else None


def desired(data, underlay):
    """The iproute2 batch lines (IPv6, IPv4) for the planes in a <data> element."""
    v6, v4 = [], []
    for plane in data.iter(NS + "plane"):
        table = text(plane, "table")
        v6.append(f"route add throw {underlay} table {table} proto {PROTO}")
        for site in plane.findall(NS + "site"):
            port = text(site, "port")
            v6.append(f"rule add iif {port} lookup {table} protocol {PROTO}")
            v6.append(f"route add {text(site, 'ipv6-prefix')} dev {port} table {table} proto {PROTO}")
            v6.append(f"route add {text(site, 'decap-sid')}/128 encap seg6local action End.DT6 table {table}"
                      f" dev {port} table {table} proto {PROTO}")
            if text(site, "ipv4-prefix"):
                v4.append(f"rule add iif {port} lookup {table} protocol {PROTO}")
                v4.append(f"route add {text(site, 'ipv4-prefix')} dev {port} table {table} proto {PROTO}")
        ports = {text(s, "name"): text(s, "port") for s in plane.findall(NS + "site")}
        for policy in plane.findall(NS + "policy"):
            segs = [text(s, "sid") for s in sorted(policy.findall(NS + "segment"), key=lambda s: int(text(s, "index")))]
            dev = ports[text(policy, "from")]
            # a 1+1 backup stands behind its primary (higher metric): the kernel has one route per prefix in use
            metric = 2048 if text(policy, "backup") == "true" else 1024
            v6.append(f"route add {text(policy, 'destination-ipv6')} encap seg6 mode encap segs {','.join(segs)}"
                      f" dev {dev} table {table} proto {PROTO} metric {metric}")
    return sorted(set(v6)), sorted(set(v4))


def ip(namespace, family, *args, batch=None):
    subprocess.run(["ip", "-n", namespace, family, *args], input=batch, text=True, check=True)


def reconcile(namespace, v6, v4):
    for family in ("-6", "-4"):
        ip(namespace, family, "route", "flush", "table", "all", "proto", PROTO)
        ip(namespace, family, "rule", "flush", "protocol", PROTO)
    if v6:
        ip(namespace, "-6", "-batch", "-", batch="\n".join(v6) + "\n")
    if v4:
        ip(namespace, "-4", "-batch", "-", batch="\n".join(v4) + "\n")


def main():
    router, port, namespace = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    underlay = sys.argv[4] if len(sys.argv) > 4 else "fd00::/16"
    applied = None
    while True:
        try:
            with manager.connect(host="127.0.0.1", port=port, username="admin", password="admin",
                                 hostkey_verify=False, look_for_keys=False, allow_agent=False, timeout=10) as m:
                print(f"{router}: connected to its device on port {port}, programming {namespace}", flush=True)
                while True:
                    data = ET.fromstring(m.get_config(source="running", filter=FILTER).data_xml)
                    state = desired(data, underlay)
                    if state != applied:
                        reconcile(namespace, *state)
                        applied = state
                        print(f"{router}: applied {len(state[0]) + len(state[1])} routes and rules to {namespace}",
                              flush=True)
                    time.sleep(0.3)
        except subprocess.CalledProcessError as e:
            print(f"{router}: iproute2 failed: {e}", flush=True)
            applied = None
            time.sleep(2)
        except Exception as e:  # device restarting: connect again
            print(f"{router}: {type(e).__name__}: {e}", flush=True)
            time.sleep(1)


if __name__ == "__main__":
    main()
