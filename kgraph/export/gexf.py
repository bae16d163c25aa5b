"""GEXF 1.3 for Gephi: typed attributes, node colour, size and position (viz), edge weight.

networkx writes GEXF 1.2draft by default; its "1.3" variant declares the xsi namespace
as ``http://w3.org/2001/XMLSchema-instance`` (no ``www``) and stamps today's date into
the file, so kgraph writes GEXF itself, streaming, following gexf.net's 1.3 schema:
``<gexf version="1.3">``, ``meta``, then ``graph`` with ``attributes`` (node, edge),
``nodes`` and ``edges``. A node's label is its ``label`` attribute; ``r``, ``g``, ``b``,
``size``, ``x`` and ``y`` become ``viz:color``, ``viz:size`` and ``viz:position``; an
edge's ``weight`` is the edge's ``weight``; every other attribute is an ``attvalue``.
The output is byte-identical for the same graph.
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from kgraph.atomic import Destination, atomic_text
from kgraph.export.flat import VIZ_ATTRIBUTES, FlatGraph, flatten_graph
from kgraph.export.graphml import key_ids
from kgraph.export.text import format_double, scalar_text

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.3">\n'
    "  <meta>\n    <creator>kgraph</creator>\n"
    "    <description>Papers and the entities they name (kgraph)</description>\n  </meta>\n"
    '  <graph defaultedgetype="undirected" mode="static">\n'
)
_GEXF_TYPES = {"int": "integer", "long": "long", "double": "double", "boolean": "boolean",
               "string": "string"}


def write_gexf(G, dest: Destination, *, flat: FlatGraph | None = None) -> None:
    """Write ``G`` as GEXF 1.3 to a path (atomically) or a binary file."""
    flat = flat if flat is not None else flatten_graph(G)
    node_types = {k: t for k, t in flat.node_types.items()
                  if k not in VIZ_ATTRIBUTES and k != "label"}
    edge_types = {k: t for k, t in flat.edge_types.items() if k != "weight"}
    node_ids, edge_ids = key_ids(node_types), key_ids(edge_types)
    H = flat.graph
    with atomic_text(dest) as out:
        out.write(_HEADER)
        for scope, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
            out.write(f'    <attributes class="{scope}" mode="static">\n')
            for name, attr_type in types.items():
                out.write(f"      <attribute id={quoteattr(ids[name])} title={quoteattr(name)} "
                          f'type="{_GEXF_TYPES[attr_type]}"/>\n')
            out.write("    </attributes>\n")
        out.write(f'    <nodes count="{H.number_of_nodes()}">\n')
        for node, data in H.nodes(data=True):
            out.write(f"      <node id={quoteattr(node)} label={quoteattr(str(data['label']))}>"
                      f"{_attvalues(data, node_ids)}"
                      f'<viz:color r="{data["r"]}" g="{data["g"]}" b="{data["b"]}"/>'
                      f'<viz:position x="{format_double(data["x"])}" '
                      f'y="{format_double(data["y"])}" z="0.0"/>'
                      f'<viz:size value="{format_double(data["size"])}"/></node>\n')
        out.write("    </nodes>\n")
        out.write(f'    <edges count="{H.number_of_edges()}">\n')
        for i, (u, v, data) in enumerate(H.edges(data=True)):
            out.write(f'      <edge id="{i}" source={quoteattr(u)} target={quoteattr(v)} '
                      f'weight="{format_double(data["weight"])}">'
                      f"{_attvalues(data, edge_ids)}</edge>\n")
        out.write("    </edges>\n  </graph>\n</gexf>\n")


def _attvalues(data: dict, ids: dict[str, str]) -> str:
    values = "".join(f"<attvalue for={quoteattr(ids[name])} "
                     f"value={quoteattr(scalar_text(data[name]))}/>"
                     for name in ids if name in data)
    return f"<attvalues>{values}</attvalues>" if values else ""

