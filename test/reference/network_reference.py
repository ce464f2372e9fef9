#!/usr/bin/env python3
"""NetworkX's answers to the network questions of src/modules/network/network.graph.ts, computed
independently from the same rules (read from stdin as JSON, written to stdout as JSON):

- the network: every remote unit; nodes and lines ACTIVE or OFFLINE, lines with both ends in it;
- down: with "current", the OFFLINE nodes and lines, and always those of the outage asked about;
- connected: in the component of a virtual vertex joined to every central data room in service;
- routes: shortest length in metres to that vertex; independent routes: edge and node
  connectivity to the merged central data rooms with every line subdivided (so that parallel lines
  count apart), by nx.edge_connectivity and nx.node_connectivity;
- critical elements: by brute force, every node and line whose removal alone disconnects some unit
  or node that was connected.
"""
import json
import sys

import networkx as nx

IN_NETWORK = {"ACTIVE", "OFFLINE"}


def network(case):
    nodes = {n["id"]: n for n in case["nodes"] if n["status"] in IN_NETWORK}
    vertices = {f"u{u}" for u in case["units"]} | {f"n{i}" for i in nodes}
    centres = {f"n{i}" for i, n in nodes.items() if n["kind"] == "CENTRAL_DATA_ROOM"}
    lines = {l["id"]: l for l in case["lines"] if l["status"] in IN_NETWORK and l["a"] in vertices and l["z"] in vertices}
    return nodes, vertices, centres, lines


def live_graph(case, outage):
    nodes, vertices, centres, lines = network(case)
    current = case["current"]
    down_nodes = {i for i, n in nodes.items() if current and n["status"] == "OFFLINE"} | set(outage.get("nodes", []))
    down_lines = {i for i, l in lines.items() if current and l["status"] == "OFFLINE"} | set(outage.get("lines", []))
    g = nx.MultiGraph()
    g.add_nodes_from(v for v in vertices if not (v[0] == "n" and int(v[1:]) in down_nodes))
    for i, l in lines.items():
        if i in down_lines or l["a"] == l["z"] or l["a"] not in g or l["z"] not in g:
            continue
        g.add_edge(l["a"], l["z"], key=i, length=l["lengthMeters"])
    g.add_node("C")
    for c in centres:
        if c in g:
            g.add_edge("C", c, key=f"c{c}", length=0)
    return g, vertices, centres, lines, down_nodes, down_lines


def merged_subdivided(g, centres):
    """Central data rooms merged into C, every line split by a vertex of its own."""
    h = nx.Graph()
    h.add_nodes_from(("C" if v in centres else v) for v in g.nodes)
    for a, z, key in g.edges(keys=True):
        if isinstance(key, str):
            continue  # the virtual edges: the rooms are C now
        a2, z2 = ("C" if a in centres else a), ("C" if z in centres else z)
        if a2 == z2:
            continue
        m = f"m{key}"
        h.add_edge(a2, m)
        h.add_edge(m, z2)
    return h


def answer(case):
    g, vertices, centres, lines, down_nodes, down_lines = live_graph(case, {})
    connected = nx.node_connected_component(g, "C")
    routes = {}
    independent = {}
    h = merged_subdivided(g, centres)
    for v in sorted(vertices):
        if v not in g:
            routes[v] = None
            independent[v] = None
            continue
        routes[v] = nx.shortest_path_length(g, v, "C", weight="length") if v in connected else None
        if v in centres:
            independent[v] = None
        elif v not in connected:
            independent[v] = [0, 0]
        else:
            independent[v] = [nx.edge_connectivity(h, v, "C"), nx.node_connectivity(h, v, "C")]

    cutoffs = []
    for outage in case["outages"]:
        og, _, _, _, odown_nodes, odown_lines = live_graph(case, outage)
        oc = nx.node_connected_component(og, "C")
        units = sorted(int(v[1:]) for v in vertices if v[0] == "u" and v not in oc)
        nodes = sorted(int(v[1:]) for v in vertices if v[0] == "n" and v not in oc and int(v[1:]) not in odown_nodes)
        cut_lines = sorted(i for i, l in lines.items() if i not in odown_lines and not (l["a"] in oc and l["z"] in oc))
        cutoffs.append({"downNodes": sorted(i for i in odown_nodes if f"n{i}" in vertices), "downLines": sorted(i for i in odown_lines if i in lines),
                        "units": units, "nodes": nodes, "lines": cut_lines})

    critical = []
    before = connected - {"C"}
    for v in sorted(before):
        if v[0] != "n":
            continue
        k = g.copy()
        k.remove_node(v)
        after = nx.node_connected_component(k, "C")
        lost = before - after - {v}
        if lost:
            critical.append({"kind": "node", "id": int(v[1:]), "units": sorted(int(x[1:]) for x in lost if x[0] == "u"), "nodes": sorted(int(x[1:]) for x in lost if x[0] == "n")})
    for a, z, key in list(g.edges(keys=True)):
        if isinstance(key, str) or a not in before:
            continue
        k = g.copy()
        k.remove_edge(a, z, key=key)
        after = nx.node_connected_component(k, "C")
        lost = before - after
        if lost:
            critical.append({"kind": "line", "id": key, "units": sorted(int(x[1:]) for x in lost if x[0] == "u"), "nodes": sorted(int(x[1:]) for x in lost if x[0] == "n")})
    critical.sort(key=lambda c: (-len(c["units"]), -len(c["nodes"]), 0 if c["kind"] == "line" else 1, c["id"]))

    # The textbook view of the same, as a cross-check: articulation points and bridges of the part
    # that reaches the rooms (the virtual vertex included, never reported itself).
    part = nx.Graph(g.subgraph(connected))
    multiplicity = {}
    for a, z, key in g.subgraph(connected).edges(keys=True):
        multiplicity[frozenset((a, z))] = multiplicity.get(frozenset((a, z)), 0) + 1
    articulation = sorted(int(v[1:]) for v in nx.articulation_points(part) if v != "C" and v[0] == "n")
    bridge_ends = [frozenset(e) for e in nx.bridges(part) if multiplicity[frozenset(e)] == 1 and "C" not in e]
    bridges = sorted(key for a, z, key in g.subgraph(connected).edges(keys=True) if not isinstance(key, str) and frozenset((a, z)) in bridge_ends)
    return {"routes": routes, "independent": independent, "cutoffs": cutoffs, "critical": critical, "articulation": articulation, "bridges": bridges}


def main():
    cases = json.load(sys.stdin)
    json.dump([answer(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
