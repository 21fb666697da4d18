"""Turns a lab topology (the shape of lab/srv6.sh's topology.json: routers, links, attachments) into one
tianshu-plane:router body per router, written as DIR/<router>.json; prints the router ids in order."""
import json
import sys

topology = json.load(open(sys.argv[1]))
out = sys.argv[2]
for r in topology["routers"]:
    links = []
    for l in topology["links"]:
        if r["id"] in (l["a"], l["b"]):
            links.append({"id": l["id"], "neighbour": l["b"] if l["a"] == r["id"] else l["a"],
                          "capacity-mbps": l["capacityMbps"], "latency-micros": l["latencyMicros"],
                          "up": l.get("up", True)})
            if l.get("srlgs"):
                links[-1]["srlg"] = l["srlgs"]
    ports = [{"name": a["port"]} for a in topology.get("attachments", []) if a["router"] == r["id"]]
    body = {"tianshu-plane:router": {"id": r["id"], "role": r["role"].lower(), "city": r["city"],
                                     "locator": r["locator"], "link": links, "port": ports}}
    with open(f"{out}/{r['id']}.json", "w") as f:
        json.dump(body, f)
    print(r["id"])
