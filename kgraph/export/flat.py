"""A flattened copy of the graph for GraphML and GEXF (the caller's graph is never touched).

Every attribute value becomes one scalar (see :func:`kgraph.export.text.flat_value`),
missing and None values are left out, and every attribute name gets one type across all
nodes (or all edges): ``boolean``, ``int``, ``long``, ``double`` or ``string``, values
coerced to it. Every node gets ``label`` and Gephi's ``r``, ``g``, ``b`` (ints 0-255),
``size``, ``x`` and ``y``. Edges are oriented paper -> entity for mentions and in sorted
order otherwise, and every edge has a ``weight`` (1.0 where the graph has none). Graph
attributes are kept too; structured ones (the community list) as JSON text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import networkx as nx

from kgraph.errors import ExportError
from kgraph.export.style import layout_positions, node_colour, node_size
from kgraph.export.text import clean_text, flat_value, scalar_text

#: Attributes kgraph computes for Gephi; they replace same-named attributes of the graph.
VIZ_ATTRIBUTES = ("r", "g", "b", "size", "x", "y")

# Column order in the files: the schema's attributes first, then any others sorted.
_NODE_ORDER = ("label", "kind", "type", "title", "abstract", "date", "url", "authors",
               "categories", "sources", "aliases", "paper_count", "first_seen", "last_seen",
               "wikidata", "community", "pagerank", "degree")
_EDGE_ORDER = ("kind", "weight", "role", "mention_count", "in_title", "shared", "count",
               "strength")
_INT32 = 2**31 - 1


@dataclass(slots=True)
class FlatGraph:
    """The flattened copy, plus the one type of every attribute, in file order."""

    graph: nx.Graph
    node_types: dict[str, str]
    edge_types: dict[str, str]
    graph_types: dict[str, str]


def flatten_graph(G: nx.Graph, positions: dict | None = None) -> FlatGraph:
    """Flatten ``G`` into a new graph whose attribute values are scalars of one type each."""
    if positions is None:
        positions = layout_positions(G)
    H = nx.Graph()
    ids: dict = {}
    seen: set[str] = set()
    for node, data in G.nodes(data=True):
        node_id = clean_text(str(node))
        if node_id in seen:
            raise ExportError(f"two nodes have the same id {node_id!r} once characters XML "
                              "forbids are removed; node ids must differ in printable text")
        ids[node] = node_id
        seen.add(node_id)
        attrs = {key: flat_value(value) for key, value in data.items()
                 if key not in VIZ_ATTRIBUTES}
        attrs = {key: value for key, value in attrs.items() if value is not None}
        if not attrs.get("label"):
            attrs["label"] = node_id
        r, g, b = node_colour(data)
        x, y = positions.get(node, (0.0, 0.0))
        attrs.update(r=r, g=g, b=b, size=node_size(G.degree(node)), x=float(x), y=float(y))
        H.add_node(node_id, **attrs)
    for u, v, data in G.edges(data=True):
        source, target = _orient(G, u, v, data)
        attrs = {key: flat_value(value) for key, value in data.items()}
        attrs = {key: value for key, value in attrs.items() if value is not None}
        if not isinstance(attrs.get("weight"), (int, float)) or isinstance(attrs["weight"], bool):
            attrs["weight"] = 1.0
        H.add_edge(ids[source], ids[target], **attrs)
    H.graph.update({key: _graph_value(value) for key, value in G.graph.items()
                    if _graph_value(value) is not None})
    graph_types = _unify([H.graph], (), lambda item: item)
    node_types = _unify(H.nodes(data=True), _NODE_ORDER, lambda item: item[1])
    edge_types = _unify(H.edges(data=True), _EDGE_ORDER, lambda item: item[2])
    node_types.update(r="int", g="int", b="int", size="double", x="double", y="double")
    edge_types["weight"] = "double"
    for _, _, data in H.edges(data=True):
        data["weight"] = float(data["weight"])
    return FlatGraph(H, node_types, edge_types, graph_types)


def _graph_value(value):
    """Graph attributes may be structured (analysis' community list): those become JSON."""
    if isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in value):
        return clean_text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
    return flat_value(value)


def _orient(G, u, v, data):
    if data.get("kind") == "mentions" and G.nodes[v].get("kind") == "paper":
        return v, u
    if data.get("kind") == "mentions" and G.nodes[u].get("kind") == "paper":
        return u, v
    return (u, v) if str(u) <= str(v) else (v, u)


def _unify(items, order, attrs_of) -> dict[str, str]:
    """Give each attribute name one type and coerce every value to it, in place."""
    kinds: dict[str, set] = {}
    big: set[str] = set()
    for item in items:
        for key, value in attrs_of(item).items():
            kinds.setdefault(key, set()).add(type(value))
            if type(value) is int and abs(value) > _INT32:
                big.add(key)
    types = {}
    for key in sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k)):
        found = kinds[key]
        if found == {bool}:
            types[key] = "boolean"
        elif found == {int}:
            types[key] = "long" if key in big else "int"
        elif found <= {int, float}:
            types[key] = "double"
        else:
            types[key] = "string"
    for item in items:
        attrs = attrs_of(item)
        for key, value in attrs.items():
            if types[key] == "double":
                attrs[key] = float(value)
            elif types[key] == "string" and not isinstance(value, str):
                attrs[key] = scalar_text(value)
    return types
