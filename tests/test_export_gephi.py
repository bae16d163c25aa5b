"""GraphML and GEXF: read back with igraph and networkx, checked against the graph in memory."""
from __future__ import annotations

import copy
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest

from export_graphs import HOSTILE, hostile_graph, small_graph
from kgraph.export.flat import flatten_graph
from kgraph.export.gexf import GEXF_NS, VIZ_NS, write_gexf
from kgraph.export.graphml import GRAPHML_NS, write_graphml
from kgraph.export.style import PAPER_COLOUR, TYPE_COLOURS, layout_positions
from kgraph.export.text import MULTI_SEP, clean_text

G_NS = f"{{{GRAPHML_NS}}}"
X_NS = f"{{{GEXF_NS}}}"
V_NS = f"{{{VIZ_NS}}}"
_REPR = re.compile(r"^[\[(\{].*[\])\}]$", re.S)  # what str() of a list/tuple/dict looks like


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def expected(value):
    """The in-memory value as the exports carry it."""
    if isinstance(value, tuple):
        return MULTI_SEP.join(value)
    return clean_text(value) if isinstance(value, str) else value


@pytest.fixture()
def G():
    return small_graph()


@pytest.fixture()
def graphml(G, tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(G, path)
    return path


@pytest.fixture()
def gexf(G, tmp_path):
    path = tmp_path / "graph.gexf"
    write_gexf(G, path)
    return path


# --- GraphML ---------------------------------------------------------------------------

def test_graphml_keys_are_named_typed_and_unique(graphml):
    keys = ET.parse(graphml).getroot().findall(f"{G_NS}key")
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids)), "GraphML key ids must be unique"
    assert not any(re.fullmatch(r"d\d+", i) for i in ids), "d0.. ids clash with Gephi's yEd rules"
    by_name = {(k.get("for"), k.get("attr.name")): (k.get("id"), k.get("attr.type")) for k in keys}
    for name in ("label", "r", "g", "b", "size", "x", "y"):
        assert by_name[("node", name)][0] == name  # Gephi matches these by key id
    assert by_name[("node", "r")][1] == "int"
    assert by_name[("node", "x")][1] == "double"
    assert by_name[("node", "paper_count")][1] == "int"
    assert by_name[("node", "pagerank")][1] == "double"
    assert by_name[("edge", "weight")] == ("weight", "double")
    assert by_name[("edge", "in_title")][1] == "boolean"
    assert by_name[("edge", "kind")][0] == "edge_kind"  # "kind" is taken by the node key
    # one key per attribute name and scope: no int/double split
    assert len(by_name) == len(keys)


def test_graphml_reads_back_with_igraph(G, graphml):
    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g.vcount() == G.number_of_nodes()
    assert g.ecount() == G.number_of_edges()
    for v in g.vs:
        data = G.nodes[v["id"]]
        assert v["label"] == data["label"]
        assert v["kind"] == data["kind"]
        assert 0 <= v["r"] <= 255 and float(v["r"]).is_integer()
        assert isinstance(v["x"], float) and isinstance(v["size"], float)
        if data["kind"] == "entity":
            assert v["aliases"] == expected(data["aliases"])
            assert v["paper_count"] == data["paper_count"]
            assert (v["r"], v["g"], v["b"]) == TYPE_COLOURS[data["type"]]
        else:
            assert v["authors"] == expected(data["authors"])
            assert (v["r"], v["g"], v["b"]) == PAPER_COLOUR
    names = g.vs["id"]
    for e in g.es:
        data = G.edges[names[e.source], names[e.target]]
        assert e["kind"] == data["kind"]
        assert e["weight"] == pytest.approx(data["weight"])


def test_graphml_reads_back_with_networkx(G, graphml):
    H = nx.read_graphml(graphml)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    for node, data in G.nodes(data=True):
        back = H.nodes[node]
        for key, value in data.items():
            if value is not None:
                assert back[key] == expected(value), key
        assert {k for k, v in data.items() if v is None}.isdisjoint(back)  # None: left out
        assert all(isinstance(back[c], int) for c in ("r", "g", "b"))
    for u, v, data in G.edges(data=True):
        back = H.edges[u, v]
        for key, value in data.items():
            assert back[key] == expected(value), key


def test_graph_attributes_are_kept(G, graphml):
    H = nx.read_graphml(graphml)
    assert H.graph["top_k"] == 10 and H.graph["min_weight"] == 0.55
    assert json.loads(H.graph["communities"])[0]["top"][0] == "METHOD/lora"
    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g["link_df"] == 50


def test_no_value_is_a_python_repr(graphml, gexf):
    for path in (graphml, gexf):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<data key="[^"]*">([^<]*)</data>|value="([^"]*)"', text):
            value = html.unescape(match.group(1) or match.group(2) or "")
            assert not _REPR.match(value) or _is_json(value), value
        assert "None" not in re.findall(r">([^<]*)<", text)


def test_flattening_does_not_touch_the_callers_graph(G, tmp_path):
    before = copy.deepcopy(G)
    flat = flatten_graph(G)
    write_graphml(G, tmp_path / "g.graphml", flat=flat)
    write_gexf(G, tmp_path / "g.gexf", flat=flat)
    assert nx.utils.graphs_equal(G, before)
    assert all(G.nodes[n] == before.nodes[n] for n in G)
    assert all(G.edges[e] == before.edges[e] for e in G.edges)
    assert "x" not in G.nodes[next(iter(G))]


def test_one_type_per_attribute_across_nodes(tmp_path):
    G = nx.Graph()
    G.add_node("a", kind="entity", label="A", score=1)
    G.add_node("b", kind="entity", label="B", score=2.5)
    G.add_node("c", kind="entity", label="C", score=None, note=["x", "y"], meta={"k": 1})
    G.add_node("d", kind="entity", label="D", mixed=True)
    G.add_node("e", kind="entity", label="E", mixed="yes", big=2**40)
    G.add_edge("a", "b")
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    types = {k.get("attr.name"): k.get("attr.type")
             for k in ET.parse(path).getroot().findall(f"{G_NS}key")}
    assert types["score"] == "double" and types["mixed"] == "string"
    assert types["big"] == "long"
    g = igraph.Graph.Read_GraphML(str(path))  # rejects a name declared twice
    assert g.vs.find(id="b")["score"] == 2.5
    H = nx.read_graphml(path)
    assert H.nodes["a"]["score"] == 1.0
    assert H.nodes["c"]["note"] == "x | y"
    assert H.nodes["c"]["meta"] == '{"k": 1}'
    assert H.nodes["d"]["mixed"] == "true"
    assert "score" not in H.nodes["c"]
    assert H.edges["a", "b"]["weight"] == 1.0  # every edge gets a weight


def test_yed_key_names_are_renamed():
    from kgraph.export.graphml import key_ids

    ids = key_ids({"d3": "string", "label": "string", "a b": "int"})
    assert ids == {"d3": "k_d3", "label": "label", "a b": "a_b"}
    assert key_ids({"kind": "string"}, taken={"kind"}, prefix="edge_") == {"kind": "edge_kind"}


# --- GEXF ------------------------------------------------------------------------------

def test_gexf_is_version_1_3_with_viz(G, gexf):
    root = ET.parse(gexf).getroot()
    assert root.tag == f"{X_NS}gexf" and root.get("version") == "1.3"
    text = gexf.read_text(encoding="utf-8")
    assert 'xmlns:viz="http://gexf.net/1.3/viz"' in text
    assert 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in text
    graph = root.find(f"{X_NS}graph")
    assert [child.tag for child in graph] == [f"{X_NS}attributes", f"{X_NS}attributes",
                                              f"{X_NS}nodes", f"{X_NS}edges"]
    declared = {}
    for attributes in graph.findall(f"{X_NS}attributes"):
        assert attributes.get("class") in ("node", "edge")
        for a in attributes:
            assert a.get("type") in {"integer", "long", "double", "boolean", "string"}
            declared.setdefault(attributes.get("class"), set()).add(a.get("id"))
    nodes = graph.find(f"{X_NS}nodes").findall(f"{X_NS}node")
    assert len(nodes) == G.number_of_nodes() == int(graph.find(f"{X_NS}nodes").get("count"))
    ids = {n.get("id") for n in nodes}
    for node in nodes:
        assert node.get("label") == G.nodes[node.get("id")]["label"]
        colour = node.find(f"{V_NS}color")
        assert all(0 <= int(colour.get(c)) <= 255 for c in "rgb")
        float(node.find(f"{V_NS}position").get("x"))
        assert float(node.find(f"{V_NS}size").get("value")) > 0
        for value in node.iter(f"{X_NS}attvalue"):
            assert value.get("for") in declared["node"]
    edges = graph.find(f"{X_NS}edges").findall(f"{X_NS}edge")
    assert len(edges) == G.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)
    for edge in edges:
        assert {edge.get("source"), edge.get("target")} <= ids
        float(edge.get("weight"))


def test_gexf_reads_back_with_networkx(G, gexf):
    H = nx.read_gexf(gexf)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    for node, data in G.nodes(data=True):
        back = H.nodes[node]
        assert back["label"] == data["label"]
        for key, value in data.items():
            if value is not None and key != "label":
                assert back[key] == expected(value), key
        colour = back["viz"]["color"]
        assert all(isinstance(colour[c], int) for c in "rgb")
        assert set(back["viz"]["position"]) == {"x", "y", "z"}
    for u, v, data in G.edges(data=True):
        back = H.edges[u, v]
        assert back["weight"] == pytest.approx(data["weight"])
        assert back["kind"] == data["kind"]


# --- both ------------------------------------------------------------------------------

def test_exports_are_byte_identical_and_positions_agree(G, tmp_path):
    for writer, name in ((write_graphml, "g.graphml"), (write_gexf, "g.gexf")):
        writer(G, tmp_path / f"1{name}")
        writer(small_graph(), tmp_path / f"2{name}")
        assert (tmp_path / f"1{name}").read_bytes() == (tmp_path / f"2{name}").read_bytes()
    H1 = nx.read_graphml(tmp_path / "1g.graphml")
    H2 = nx.read_gexf(tmp_path / "1g.gexf")
    for node in G:
        assert H1.nodes[node]["x"] == H2.nodes[node]["viz"]["position"]["x"]


def test_writers_accept_a_binary_file(G):
    for writer in (write_graphml, write_gexf):
        buffer = io.BytesIO()
        writer(G, buffer)
        assert not buffer.closed
        ET.fromstring(buffer.getvalue())


def test_hostile_text_gives_well_formed_xml(tmp_path):
    G = hostile_graph()
    for writer, reader in ((write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)):
        path = tmp_path / f"h.{writer.__name__}"
        writer(G, path)
        ET.parse(path)  # well-formed XML
        raw = path.read_bytes().decode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", raw)
        H = reader(path)
        assert H.number_of_nodes() == G.number_of_nodes()
        label = H.nodes[next(n for n in H if n.startswith("paper:title:"))]["label"]
        assert label == clean_text(HOSTILE)  # CR, LF, tab, RTL and emoji survive
    igraph.Graph.Read_GraphML(str(tmp_path / "h.write_graphml"))


def test_layout_is_deterministic_and_spread():
    G = small_graph()
    a, b = layout_positions(G), layout_positions(small_graph())
    assert a == b
    xs = [x for x, _ in a.values()]
    assert max(xs) - min(xs) > 50  # scaled for Gephi, not the unit square


def test_large_layout_uses_igraph_and_is_deterministic():
    G = nx.barabasi_albert_graph(1500, 2, seed=1)
    a, b = layout_positions(G), layout_positions(G)
    assert a == b and len(a) == 1500
    assert len(set(a.values())) > 1400


def test_empty_and_single_node_graphs(tmp_path):
    for G in (nx.Graph(), nx.Graph([("a", "a")])):
        write_graphml(G, tmp_path / "g.graphml")
        write_gexf(G, tmp_path / "g.gexf")
        assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == len(G)
        assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == len(G)
