#!/usr/bin/env python3
"""The SRv6 lab's provincial backbone (used by lab/srv6.sh; standard library only).

  topology.py json                 the topology the adapter reads (routers, links, attachments)
  topology.py build DIR            iproute2 batch files per namespace to build the lab (DIR/<ns>.batch)
  topology.py underlay DIR         only the underlay routes (route replace), e.g. after a link came back
  topology.py link LINK            "a b capacity" of one link; links: the same for every link
  topology.py addresses LINK       "address-of-a address-of-b" on the link (their /64 is the link's own)
  topology.py hosts                "router port namespace" of every attachment

Backbone: two core routers in the capital (chengdu), an aggregation and an access router in each of mianyang,
zigong and leshan. Every aggregation router is dual-homed to both cores over separate ducts; every access router has
an uplink to its own city's aggregation router and a cross link to the next city's (a ring), so SRLG-disjoint pairs
exist between all access routers. On router X the interface towards router Y is named Y. Router n owns the locator
fd00:0:n::/48; its End SID fd00:0:n::1 is bound to the veth pair sid0/sid0p inside the router (a real interface that
no link failure takes down: seg6local on lo installs as a reject route, and dummy devices are not in this kernel).
Static underlay: every router gets a route to every other locator along the least-latency path.
"""
import heapq
import json
import os
import sys

PREFIX = os.environ.get("SRV6_LAB_PREFIX", "ts-")
LOCATOR_BLOCK = "fd00:0::/32"
BACKBONE_MTU = 1700  # 1500 inner + 40 outer + 8 SRH + 16 per segment: room for 9 segments

# attachment ports per aggregation and access router: 2 and 3, or SRV6_LAB_PORTS on each (e.g. 34 for benchmarks)
PORTS = int(os.environ["SRV6_LAB_PORTS"]) if os.environ.get("SRV6_LAB_PORTS") else None
ROUTERS = [  # id, role, city, ports
    ("cd-core1", "CORE", "chengdu", 0),
    ("cd-core2", "CORE", "chengdu", 0),
    ("my-agg", "AGGREGATION", "mianyang", 2),
    ("my-acc", "ACCESS", "mianyang", 3),
    ("zg-agg", "AGGREGATION", "zigong", 2),
    ("zg-acc", "ACCESS", "zigong", 3),
    ("ls-agg", "AGGREGATION", "leshan", 2),
    ("ls-acc", "ACCESS", "leshan", 3),
]
if PORTS:
    ROUTERS = [(r, role, city, PORTS if ports else 0) for r, role, city, ports in ROUTERS]
LINKS = [  # a, b, capacity Mbit/s, latency us, SRLGs
    ("cd-core1", "cd-core2", 1000, 100, ["cd-metro"]),
    ("cd-core1", "my-agg", 1000, 2000, ["duct-cd-my-west"]),
    ("cd-core2", "my-agg", 1000, 2200, ["duct-cd-my-east"]),
    ("cd-core1", "zg-agg", 1000, 3000, ["duct-cd-zg-west"]),
    ("cd-core2", "zg-agg", 1000, 3100, ["duct-cd-zg-east"]),
    ("cd-core1", "ls-agg", 1000, 2500, ["duct-cd-ls-west"]),
    ("cd-core2", "ls-agg", 1000, 2600, ["duct-cd-ls-east"]),
    ("my-agg", "my-acc", 100, 500, ["my-metro"]),
    ("zg-agg", "zg-acc", 100, 500, ["zg-metro"]),
    ("ls-agg", "ls-acc", 100, 500, ["ls-metro"]),
    ("my-acc", "zg-agg", 100, 4000, ["ring-my-zg"]),
    ("zg-acc", "ls-agg", 100, 4500, ["ring-zg-ls"]),
    ("ls-acc", "my-agg", 100, 3500, ["ring-ls-my"]),
]


def index(r):
    return [x[0] for x in ROUTERS].index(r) + 1


def locator(r):
    return "fd00:0:%x::/48" % index(r)


def link_id(a, b):
    return a + "~" + b


def link_net(i):
    return "fd00:ff:%x::" % (i + 1)


def topology():
    return {
        "namespacePrefix": PREFIX,
        "locatorBlock": LOCATOR_BLOCK,
        "routers": [{"id": r, "role": role, "city": city, "locator": locator(r),
                     "endSid": "fd00:0:%x::1" % index(r), "namespace": PREFIX + r} for r, role, city, _ in ROUTERS],
        "links": [{"id": link_id(a, b), "a": a, "b": b, "capacityMbps": cap, "latencyMicros": lat, "srlgs": srlgs}
                  for a, b, cap, lat, srlgs in LINKS],
        "attachments": [{"router": r, "port": "p%d" % p, "host": "%sh-%s-p%d" % (PREFIX, r, p)}
                        for r, _, _, ports in ROUTERS for p in range(1, ports + 1)],
    }


def next_hops():
    """For every router, {destination router: (interface, next-hop address)} along least-latency paths."""
    adj = {r[0]: [] for r in ROUTERS}
    for i, (a, b, _, lat, _) in enumerate(LINKS):
        adj[a].append((b, lat, link_net(i) + "2"))
        adj[b].append((a, lat, link_net(i) + "1"))
    out = {}
    for src in adj:
        dist, first = {src: 0}, {}
        heap = [(0, src, None)]
        while heap:
            d, u, hop = heapq.heappop(heap)
            if d > dist.get(u, 1 << 60):
                continue
            if hop:
                first.setdefault(u, hop)
            for v, lat, addr in adj[u]:
                nd = d + lat
                if nd < dist.get(v, 1 << 60):
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v, hop or (v, addr)))
        out[src] = {dst: first[dst] for dst in first if dst != src}
    return out


def underlay(r, hops):
    src = "fd00:0:%x::ffff" % index(r)  # replies and ICMP errors come back to the locator, not to a link address
    return ["route replace %s via %s dev %s src %s" % (locator(dst), addr, dev, src)
            for dst, (dev, addr) in sorted(hops[r].items())]


def build(d):
    hops = next_hops()
    files = {}
    for r, _, _, ports in ROUTERS:
        n = index(r)
        cmds = ["link set lo up",
                "link add sid0 type veth peer name sid0p",
                "link set sid0 up", "link set sid0p up",
                "address add fd00:0:%x::ffff/128 dev lo nodad" % n,  # no tentative phase: routes name it as src
                "sr tunsrc set fd00:0:%x::ffff" % n,
                "route add fd00:0:%x::1/128 encap seg6local action End dev sid0" % n,
                # SIDs are reached through the main (underlay) table whatever the ingress port's plane table says
                "rule add to %s lookup main pref 900" % LOCATOR_BLOCK]
        files[PREFIX + r] = cmds
        for p in range(1, ports + 1):
            files[PREFIX + r].append("link set p%d up" % p)
            files["%sh-%s-p%d" % (PREFIX, r, p)] = ["link set lo up", "link set eth0 up"]
    for i, (a, b, cap, _, _) in enumerate(LINKS):
        net = link_net(i)
        files[PREFIX + a] += ["link set %s mtu %d up" % (b, BACKBONE_MTU), "address add %s1/64 dev %s nodad" % (net, b)]
        files[PREFIX + b] += ["link set %s mtu %d up" % (a, BACKBONE_MTU), "address add %s2/64 dev %s nodad" % (net, a)]
    for r, *_ in ROUTERS:
        files[PREFIX + r] += underlay(r, hops)
    for ns, cmds in files.items():
        with open(os.path.join(d, ns + ".batch"), "w") as f:
            f.write("\n".join(cmds) + "\n")


def write_underlay(d):
    hops = next_hops()
    for r, *_ in ROUTERS:
        with open(os.path.join(d, PREFIX + r + ".underlay"), "w") as f:
            f.write("\n".join(underlay(r, hops)) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "json":
        json.dump(topology(), sys.stdout, indent=1)
    elif cmd == "build":
        build(sys.argv[2])
    elif cmd == "underlay":
        write_underlay(sys.argv[2])
    elif cmd == "link":
        for a, b, cap, *_ in LINKS:
            if link_id(a, b) == sys.argv[2]:
                print(a, b, cap)
                break
        else:
            sys.exit("unknown link " + sys.argv[2] + "; links: " + " ".join(link_id(a, b) for a, b, *_ in LINKS))
    elif cmd == "addresses":
        for i, (a, b, *_) in enumerate(LINKS):
            if link_id(a, b) == sys.argv[2]:
                print(link_net(i) + "1", link_net(i) + "2")
                break
        else:
            sys.exit("unknown link " + sys.argv[2])
    elif cmd == "links":
        for a, b, cap, *_ in LINKS:
            print(a, b, cap)
    elif cmd == "hosts":
        for a in topology()["attachments"]:
            print(a["router"], a["port"], a["host"])
    else:
        sys.exit(__doc__)
