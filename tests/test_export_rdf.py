"""RDF: the vocabulary, IRIs, literals, and Turtle / N-Triples / JSON-LD agreeing by meaning."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from export_graphs import HOSTILE, P1, P2, P3, hostile_graph, small_graph
from kgraph.export.iris import (
    ID, KG, community_iri, entity_iri, link_iri, paper_iri, web_iri, wikidata_iri,
)
from kgraph.export.rdf import (
    date_literal, iter_triples, to_rdf, vocabulary, write_jsonld, write_ntriples, write_turtle,
)
from kgraph.export.text import clean_text

kg = Namespace(KG)
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest inspects it
SCHEMA = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
FORMATS = {"ttl": (write_turtle, "turtle"), "nt": (write_ntriples, "nt"),
           "jsonld": (write_jsonld, "json-ld")}


def rapper_check(path, syntax):
    """Parse with raptor's rapper (an independent parser) when it is installed."""
    if shutil.which("rapper") is None:
        if os.environ.get("KGRAPH_REQUIRE_RAPPER") == "1":
            pytest.fail("rapper (raptor2-utils) is required (KGRAPH_REQUIRE_RAPPER=1) but not installed")
        pytest.skip("rapper (raptor2-utils) is not installed")
    run = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr and "Warning" not in run.stderr, run.stderr
    return int(run.stderr.rsplit("returned", 1)[1].split()[0])


@pytest.fixture(params=["small", "hostile"])
def graph(request):
    return small_graph() if request.param == "small" else hostile_graph()


def test_all_three_serialisations_mean_the_same_graph(graph, tmp_path):
    expected = to_rdf(graph)
    assert len(expected) > 20
    triples = list(iter_triples(graph))
    assert len(triples) == len(set(triples)) == len(expected)  # N-Triples has no duplicates
    for ext, (writer, fmt) in FORMATS.items():
        path = tmp_path / f"graph.{ext}"
        writer(graph, path)
        assert isomorphic(Graph().parse(path, format=fmt), expected), ext


def test_turtle_and_ntriples_pass_rapper(graph, tmp_path):
    write_turtle(graph, tmp_path / "graph.ttl")
    write_ntriples(graph, tmp_path / "graph.nt")
    n = len(to_rdf(graph))
    assert rapper_check(tmp_path / "graph.nt", "ntriples") == n
    assert rapper_check(tmp_path / "graph.ttl", "turtle") == n


def test_vocabulary_passes_rapper():
    from importlib import resources

    path = resources.files("kgraph.export").joinpath("vocab.ttl")
    assert rapper_check(path, "turtle") > 50


def test_every_kg_term_used_is_documented():
    vocab = vocabulary()
    used = {t for triple in to_rdf(small_graph()) for t in triple
            if isinstance(t, URIRef) and t.startswith(KG)}
    declared = {s for s in vocab.subjects() if isinstance(s, URIRef) and s.startswith(KG)}
    assert used <= declared, used - declared
    for term in declared:
        assert (term, RDFS.label, None) in vocab, term
        assert (term, RDFS.comment, None) in vocab, term
        assert (term, RDF.type, None) in vocab, term
    for prop in ("proposes", "evaluatesOn", "uses"):
        assert (kg[prop], RDFS.subPropertyOf, SCHEMA.mentions) in vocab


def test_paper_triples():
    g = to_rdf(small_graph())
    p1 = URIRef(paper_iri(P1))
    assert (p1, RDF.type, SCHEMA.ScholarlyArticle) in g
    assert (p1, DCT.title, Literal("G3Reg: Pyramid Graph-based Global Registration", lang="en")) in g
    assert (p1, DCT.abstract, None) in g
    assert g.value(p1, DCT.abstract).language == "en"
    assert (p1, DCT.date, Literal("2024-01-02", datatype=XSD.date)) in g
    assert (URIRef(paper_iri(P2)), DCT.date, Literal("2024-02", datatype=XSD.gYearMonth)) in g
    assert (URIRef(paper_iri(P3)), DCT.date, Literal("--05-12", datatype=XSD.gMonthDay)) in g
    assert (p1, SCHEMA.url, URIRef("https://arxiv.org/abs/2401.00001")) in g
    assert set(g.objects(p1, DCT.creator)) == {Literal("Ada Lovelace"), Literal("Alan Turing")}
    assert (p1, DCT.identifier, Literal(P1)) in g
    assert (p1, kg.sourceRecord, Literal("data/b.csv:7")) in g
    assert (p1, kg.community, URIRef(community_iri(0))) in g
    assert (p1, kg.pagerank, Literal("0.2", datatype=XSD.double)) in g


def test_entity_triples():
    g = to_rdf(small_graph())
    imagenet = URIRef(f"{ID}DATASET/imagenet")
    assert {RDF.type: set(g.objects(imagenet, RDF.type))} == {RDF.type: {SKOS.Concept, kg.Dataset}}
    assert (imagenet, SKOS.prefLabel, Literal("ImageNet", lang="en")) in g
    assert (imagenet, SKOS.altLabel, Literal("ILSVRC", lang="en")) in g
    assert (imagenet, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q24901201")) in g
    assert (URIRef(f"{ID}MODEL/resnet-50"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q4")) in g
    assert (imagenet, kg.paperCount, Literal(2)) in g
    assert (imagenet, kg.lastSeen, Literal("2024-02", datatype=XSD.gYearMonth)) in g
    assert not list(g.objects(URIRef(f"{ID}DATASET/cora"), OWL.sameAs))


def test_roles_links_and_communities():
    g = to_rdf(small_graph())
    p1, p2 = URIRef(paper_iri(P1)), URIRef(paper_iri(P2))
    transformer = URIRef(entity_iri("MODEL/transformer-x"))
    assert (p1, kg.proposes, transformer) in g and (p1, SCHEMA.mentions, transformer) in g
    assert (p1, kg.evaluatesOn, URIRef(entity_iri("BENCHMARK/glue"))) in g
    assert (p1, kg.uses, URIRef(entity_iri("HARDWARE/nvidia-a100"))) in g
    top1 = URIRef(entity_iri("METRIC/top-1-accuracy"))
    assert (p1, SCHEMA.mentions, top1) in g
    assert not [p for p in g.predicates(p1, top1) if p != SCHEMA.mentions]
    link = URIRef(link_iri(P1, P2))
    assert (link, RDF.type, kg.Link) in g
    assert (link, kg.source, p1) in g and (link, kg.target, p2) in g  # sorted order
    assert (link, kg.weight, Literal("2.5", datatype=XSD.double)) in g
    assert set(g.objects(link, kg.sharedEntity)) == {
        URIRef(entity_iri(e)) for e in ("DATASET/imagenet", "METHOD/lora", "HARDWARE/nvidia-a100")}
    assert len(list(g.subjects(RDF.type, kg.Link))) == 2
    c1 = URIRef(community_iri(1))
    assert (c1, RDF.type, kg.Community) in g
    assert g.value(c1, RDFS.label) == Literal("Community 1: Cora, TPU v4, graph attention", lang="en")
    assert g.value(c1, kg.memberCount) == Literal(4)
    assert len(set(g.subjects(kg.community, c1))) == 4
    assert g.value(c1, kg.paperCount) == Literal(1)
    assert not list(g.objects(c1, kg.topEntity))
    c0 = URIRef(community_iri(0))  # described by analysis in G.graph["communities"]
    assert g.value(c0, RDFS.label) == Literal("Community 0: LoRA / ImageNet / GLUE", lang="en")
    assert g.value(c0, kg.paperCount) == Literal(2) and g.value(c0, kg.memberCount) == Literal(10)
    assert set(g.objects(c0, kg.topEntity)) == {
        URIRef(entity_iri(e)) for e in ("METHOD/lora", "DATASET/imagenet", "BENCHMARK/glue")}


def test_iris_are_safe_for_any_name():
    for name in (HOSTILE, "a/b c?d#e%20f", "ü/ß", "", "/", "x/", "paper:1", "\ud800"):
        for iri in (entity_iri(name), paper_iri(name), community_iri(name), link_iri(name, "b")):
            assert iri.isascii() and iri.startswith(ID)
            assert not set(iri) & set(' <>"{}|^`\\\n\r\t'), iri
            parts = urlsplit(iri)
            assert parts.scheme == "https" and not parts.query and not parts.fragment
    assert entity_iri("DATASET/imagenet") == f"{ID}DATASET/imagenet"
    assert entity_iri("METHOD/a/b c") == f"{ID}METHOD/a%2Fb%20c"
    assert unquote(entity_iri("METHOD/a/b c").rsplit("/", 1)[1]) == "a/b c"
    assert paper_iri("doi:10.1/x y") == f"{ID}paper/doi:10.1%2Fx%20y"
    assert entity_iri("MODEL/ä") != entity_iri("MODEL/a")
    assert link_iri("b", "a") == link_iri("a", "b")


def test_wikidata_and_web_iris():
    assert wikidata_iri("Q42") == "http://www.wikidata.org/entity/Q42"
    assert wikidata_iri("https://www.wikidata.org/wiki/Q42") == "http://www.wikidata.org/entity/Q42"
    assert wikidata_iri("wd:Q42") == "http://www.wikidata.org/entity/Q42"
    assert wikidata_iri("not a qid") is None and wikidata_iri(None) is None
    assert web_iri("https://ex.org/a b") == "https://ex.org/a%20b"
    assert web_iri("javascript:alert(1)") is None and web_iri("arxiv.org/abs/1") is None


@pytest.mark.parametrize("value, datatype", [
    ("2024-01-02", XSD.date), ("2024-02", XSD.gYearMonth), ("--05-12", XSD.gMonthDay),
    ("--02-29", XSD.gMonthDay), ("2024", XSD.gYear), ("2024-13-01", None), ("2023-02-29", None),
    ("--13-01", None), ("May 2024", None), ("2024-1-2", None),
])
def test_dates_are_typed_by_form(value, datatype):
    literal = date_literal(value)
    assert str(literal) == value and literal.datatype == datatype


def test_hostile_text_round_trips_through_every_format(tmp_path):
    G = hostile_graph()
    title = clean_text(HOSTILE)
    for ext, (writer, fmt) in FORMATS.items():
        writer(G, tmp_path / f"h.{ext}")
        g = Graph().parse(tmp_path / f"h.{ext}", format=fmt)
        titles = {str(o) for o in g.objects(None, DCT.title)}
        assert title in titles, ext  # quotes, CR/LF, tab, RTL, emoji: all intact
        assert '=HYPERLINK("http://evil","x")' in titles
        assert not any("\ud800" in str(o) or "\x00" in str(o) for o in g.objects())
    assert (tmp_path / "h.nt").read_bytes().count(b"\n") == len(to_rdf(G))


def test_writers_accept_a_binary_file():
    G = small_graph()
    for writer, fmt in FORMATS.values():
        buffer = io.BytesIO()
        writer(G, buffer)
        assert not buffer.closed
        assert isomorphic(Graph().parse(data=buffer.getvalue(), format=fmt), to_rdf(G))


def test_output_is_byte_identical(tmp_path):
    for ext, (writer, _) in FORMATS.items():
        writer(small_graph(), tmp_path / f"a.{ext}")
        writer(small_graph(), tmp_path / f"b.{ext}")
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext


def test_turtle_uses_the_prefixes():
    text = to_rdf(small_graph()).serialize(format="turtle")
    for prefix in ("kg:", "schema:", "dcterms:", "skos:"):
        assert f"@prefix {prefix}" in text


def test_streaming_syntaxes_on_awkward_triples():
    from rdflib import BNode

    from kgraph.export import rdfsyntax
    from kgraph.export.iris import PREFIXES

    s, b = URIRef("https://kgraph.dev/id/x"), BNode("b1")
    triples = [
        (s, RDF.type, kg.Link), (s, kg.weight, Literal("007", datatype=XSD.integer)),
        (s, kg.source, URIRef("https://kgraph.dev/id/paper/a")), (s, kg.weight, Literal(-3)),
        (s, kg.sourceRecord, Literal('"quoted"\n\\')), (s, RDFS.label, Literal("x", lang="en")),
        (b, kg.target, s), (b, RDF.type, URIRef("http://example.org/T/y")),
    ]
    expected = Graph()
    for t in triples:
        expected.add(t)
    for writer, fmt in ((rdfsyntax.write_turtle, "turtle"), (rdfsyntax.write_jsonld, "json-ld")):
        out = io.StringIO()
        writer(iter(triples), out, PREFIXES)
        assert isomorphic(Graph().parse(data=out.getvalue(), format=fmt), expected), fmt
    out = io.StringIO()
    rdfsyntax.write_ntriples(iter(triples), out)
    assert isomorphic(Graph().parse(data=out.getvalue(), format="nt"), expected)
