"""GraphML for Gephi, yEd, igraph and networkx, written streaming from a flattened copy.

Why not ``networkx.write_graphml``: its default key ids ``d0, d1, ...`` collide with
Gephi's yEd convention (a node key ``d3`` and an edge key ``d7`` are read as labels,
because ImporterGraphML matches key ids before names), and with ``named_key_ids=True``
a name used by both nodes and edges (``kind``) gets one id twice, which the GraphML
schema forbids. Here a key's id is its name for nodes; an edge key whose name a node
key already uses gets the id ``edge_<name>`` (its ``attr.name`` stays the name). So
Gephi finds ``label``, ``r``, ``g``, ``b``, ``size``, ``x``, ``y`` and edge ``weight``
by id, and igraph and networkx read every attribute back under its own name.

A carriage return in a value is written as ``&#13;`` so that XML's end-of-line handling
cannot turn it into a newline; everything else is escaped by :mod:`xml.sax.saxutils`.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from kgraph.atomic import Destination, atomic_text
from kgraph.export.flat import FlatGraph, flatten_graph
from kgraph.export.text import scalar_text

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n'
)
_YED_IDS = re.compile(r"d[0-9]+")


def write_graphml(G, dest: Destination, *, flat: FlatGraph | None = None) -> None:
    """Write ``G`` as GraphML to a path (atomically) or a binary file."""
    flat = flat if flat is not None else flatten_graph(G)
    node_keys = key_ids(flat.node_types)
    edge_keys = key_ids(flat.edge_types, taken=set(node_keys.values()), prefix="edge_")
    graph_keys = key_ids(flat.graph_types, taken={*node_keys.values(), *edge_keys.values()},
                         prefix="graph_")
    H = flat.graph
    with atomic_text(dest) as out:
        out.write(_HEADER)
        for scope, types, ids in (("graph", flat.graph_types, graph_keys),
                                  ("node", flat.node_types, node_keys),
                                  ("edge", flat.edge_types, edge_keys)):
            for name, attr_type in types.items():
                out.write(f"  <key id={quoteattr(ids[name])} for=\"{scope}\" "
                          f"attr.name={quoteattr(name)} attr.type=\"{attr_type}\"/>\n")
        out.write('  <graph id="kgraph" edgedefault="undirected">\n')
        if graph_keys:
            out.write(f"    {_data(H.graph, graph_keys)}\n")
        for node, data in H.nodes(data=True):
            out.write(f"    <node id={quoteattr(node)}>{_data(data, node_keys)}</node>\n")
        for u, v, data in H.edges(data=True):
            out.write(f"    <edge source={quoteattr(u)} target={quoteattr(v)}>"
                      f"{_data(data, edge_keys)}</edge>\n")
        out.write("  </graph>\n</graphml>\n")


def key_ids(types: dict[str, str], taken: set[str] = frozenset(), prefix: str = "") -> dict[str, str]:
    """A unique, NMTOKEN-safe key id per attribute name: the name itself where possible."""
    used = set(taken)
    ids = {}
    for name in types:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "key"
        if _YED_IDS.fullmatch(base):
            base = f"k_{base}"
        candidate = base if base not in used else f"{prefix}{base}"
        n = 2
        while candidate in used:
            candidate = f"{prefix}{base}_{n}"
            n += 1
        used.add(candidate)
        ids[name] = candidate
    return ids


def _data(data: dict, keys: dict[str, str]) -> str:
    return "".join(
        f"<data key={quoteattr(keys[name])}>{_text(scalar_text(data[name]))}</data>"
        for name in keys if name in data)


def _text(value: str) -> str:
    return escape(value).replace("\r", "&#13;")
