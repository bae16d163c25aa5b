"""RDF exports: the graph as triples in kgraph's small vocabulary (see ``vocab.ttl``).

:func:`iter_triples` yields the triples and :func:`to_rdf` collects them into an
:class:`rdflib.Graph` for use in Python. The writers (:func:`write_turtle`,
:func:`write_ntriples`, :func:`write_jsonld`) serialise the same triples as they come
(:mod:`kgraph.export.rdfsyntax`), so a big graph never has to fit in an rdflib Graph:
rdflib's own serialisers took 14 minutes and 3.3 GB for the Turtle of a 100,000-node
graph. The tests check each file against :func:`to_rdf` by meaning.

What the triples say (prefixes as in :data:`kgraph.export.iris.PREFIXES`)::

    kgid:paper/arxiv:2401.00001 a schema:ScholarlyArticle ;
        dcterms:identifier "arxiv:2401.00001" ;
        dcterms:title "…"@en ; dcterms:abstract "…"@en ;
        dcterms:date "2024-01-02"^^xsd:date ;          # or xsd:gYearMonth, xsd:gMonthDay
        schema:url <https://arxiv.org/abs/2401.00001> ;
        dcterms:creator "Ada Lovelace" ; dcterms:subject "cs.CL" ;
        kg:sourceRecord "data/papers.jsonl:3" ;
        schema:mentions kgid:DATASET/imagenet ; kg:evaluatesOn kgid:DATASET/imagenet ;
        kg:community kgid:community/0 ; kg:pagerank 0.01 ; kg:degree 7 .
    kgid:DATASET/imagenet a skos:Concept, kg:Dataset ;
        dcterms:identifier "DATASET/imagenet" ;
        skos:prefLabel "ImageNet"@en ; skos:altLabel "ILSVRC"@en ;
        owl:sameAs wd:Q24901201 ; kg:paperCount 12 ;
        kg:firstSeen "2023-05"^^xsd:gYearMonth ; kg:lastSeen "2024-01-02"^^xsd:date .
    kgid:link/arxiv:1/arxiv:2 a kg:Link ; kg:source kgid:paper/arxiv:1 ;
        kg:target kgid:paper/arxiv:2 ; kg:weight 2.3 ; kg:sharedEntity kgid:DATASET/imagenet .
    kgid:community/0 a kg:Community ; rdfs:label "Community 0: ImageNet / ResNet / …"@en ;
        kg:memberCount 42 ; kg:paperCount 30 ; kg:topEntity kgid:DATASET/imagenet .

Every paper-entity edge gives ``schema:mentions``; the roles proposes, evaluates_on and
uses add ``kg:proposes``, ``kg:evaluatesOn`` and ``kg:uses`` (sub-properties of
``schema:mentions``, stated in the vocabulary and materialised here so no reasoner is
needed). Entity-entity co-occurrence edges are not exported to RDF: they follow from
two ``schema:mentions`` of one paper (see ``queries/cooccurring-with-method.rq``); the
per-edge mention counts live in GraphML, GEXF and ``mentions.csv``.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
import numbers
import re
from importlib import resources
from typing import Iterator

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kgraph.export import rdfsyntax
from kgraph.atomic import Destination, atomic_text
from kgraph.export.iris import (
    KG, PREFIXES, ROLE_PROPERTIES, TYPE_CLASSES, community_iri, entity_iri, link_iri,
    paper_id_of, paper_iri, web_iri, wikidata_iri,
)
from kgraph.export.text import clean_text, format_double

SCHEMA = PREFIXES["schema"]
DCTERMS = PREFIXES["dcterms"]
SKOS = PREFIXES["skos"]
OWL = PREFIXES["owl"]

_A = RDF.type


@functools.cache
def _kg(name: str) -> URIRef:
    return URIRef(KG + name)


@functools.cache
def _iri(base: str, name: str) -> URIRef:
    return URIRef(base + name)


class _Iris(dict):
    """node -> IRI, each made once per export (a node's IRI is needed by all its edges)."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, node) -> URIRef:
        iri = self[node] = URIRef(self.make(node))
        return iri


def iter_triples(G: nx.Graph) -> Iterator[tuple]:
    """Every triple of the export, each once, in a deterministic order, grouped by subject.

    All triples of one subject come in one run (a paper's mentions follow its own
    triples), which the streaming Turtle and JSON-LD writers rely on to group them.
    """
    members: dict = {}
    iris = {"paper": _Iris(lambda node: paper_iri(paper_id_of(str(node)))),
            "entity": _Iris(lambda node: entity_iri(str(node)))}
    for node, data in G.nodes(data=True):
        kind = data.get("kind")
        if kind == "paper":
            yield from _unique(_paper(iris["paper"][node], node, data))
            yield from _mentions(G, iris, node)
        elif kind == "entity":
            yield from _unique(_entity(iris["entity"][node], node, data))
        else:
            continue
        community = data.get("community")
        if community is not None:
            members.setdefault(community, []).append(data)
    for u, v, data in G.edges(data=True):
        if data.get("kind") == "related":
            yield from _unique(_link(iris, u, v, data))
    described = {c.get("id"): c for c in G.graph.get("communities") or () if isinstance(c, dict)}
    for community in sorted(members, key=_sort_key):
        yield from _unique(_community(community, members[community], described.get(community), iris))


def to_rdf(G: nx.Graph) -> Graph:
    """The export as an :class:`rdflib.Graph` with kgraph's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in iter_triples(G):
        graph.add(triple)
    return graph


def vocabulary() -> Graph:
    """kgraph's vocabulary (``vocab.ttl``) as an rdflib Graph."""
    graph = Graph(bind_namespaces="none")
    text = resources.files("kgraph.export").joinpath("vocab.ttl").read_text(encoding="utf-8")
    return graph.parse(data=text, format="turtle")


def write_turtle(G: nx.Graph, dest: Destination) -> None:
    """Write Turtle to a path (atomically) or a binary file, streaming."""
    with atomic_text(dest) as out:
        rdfsyntax.write_turtle(iter_triples(G), out, PREFIXES)


def write_ntriples(G: nx.Graph, dest: Destination) -> None:
    """Write N-Triples to a path (atomically) or a binary file, line by line."""
    with atomic_text(dest) as out:
        rdfsyntax.write_ntriples(iter_triples(G), out)


def write_jsonld(G: nx.Graph, dest: Destination) -> None:
    """Write JSON-LD (kgraph's prefixes as context, a node object per subject), streaming."""
    with atomic_text(dest) as out:
        rdfsyntax.write_jsonld(iter_triples(G), out, PREFIXES)


# --- triples per node and edge ----------------------------------------------------------

def _paper(s: URIRef, node, data: dict):
    yield s, _A, _iri(SCHEMA, "ScholarlyArticle")
    yield s, _iri(DCTERMS, "identifier"), _plain(paper_id_of(str(node)))
    title = data.get("title") or data.get("label")
    if title:
        yield s, _iri(DCTERMS, "title"), _en(title)
    if data.get("abstract"):
        yield s, _iri(DCTERMS, "abstract"), _en(data["abstract"])
    if data.get("date"):
        yield s, _iri(DCTERMS, "date"), date_literal(data["date"])
    url = data.get("url")
    if url:
        iri = web_iri(url)
        yield s, _iri(SCHEMA, "url"), URIRef(iri) if iri else _plain(url)
    for author in _many(data.get("authors")):
        yield s, _iri(DCTERMS, "creator"), _plain(author)
    for category in _many(data.get("categories")):
        yield s, _iri(DCTERMS, "subject"), _plain(category)
    for source in _many(data.get("sources")):
        yield s, _kg("sourceRecord"), _plain(source)
    yield from _analysis(s, data)


def _entity(s: URIRef, node, data: dict):
    yield s, _A, _iri(SKOS, "Concept")
    cls = TYPE_CLASSES.get(str(data.get("type", "")).upper())
    if cls:
        yield s, _A, _kg(cls)
    yield s, _iri(DCTERMS, "identifier"), _plain(str(node))
    label = clean_text(str(data.get("label") or node))
    yield s, _iri(SKOS, "prefLabel"), _en(label)
    for alias in _many(data.get("aliases")):
        if alias != label:
            yield s, _iri(SKOS, "altLabel"), _en(alias)
    wikidata = wikidata_iri(data.get("wikidata"))
    if wikidata:
        yield s, _iri(OWL, "sameAs"), URIRef(wikidata)
    if _is_int(data.get("paper_count")):
        yield s, _kg("paperCount"), Literal(int(data["paper_count"]))
    for key, prop in (("first_seen", "firstSeen"), ("last_seen", "lastSeen")):
        if data.get(key):
            yield s, _kg(prop), date_literal(data[key])
    yield from _analysis(s, data)


def _analysis(s, data: dict):
    if data.get("community") is not None:
        yield s, _kg("community"), URIRef(community_iri(data["community"]))
    if _is_number(data.get("pagerank")):
        yield s, _kg("pagerank"), _double(data["pagerank"])
    if _is_int(data.get("degree")):
        yield s, _kg("degree"), Literal(int(data["degree"]))


def _mentions(G, iris, paper):
    """A paper's entities, right after the paper's own triples (one subject, one block)."""
    s = iris["paper"][paper]
    named = [(iris["entity"][entity], data.get("role")) for entity, data in G.adj[paper].items()
             if data.get("kind") == "mentions" and G.nodes[entity].get("kind") == "entity"]
    for o, _ in named:
        yield s, _iri(SCHEMA, "mentions"), o
    for role, prop in ROLE_PROPERTIES.items():
        for o, _ in (item for item in named if item[1] == role):
            yield s, _kg(prop), o


def _link(iris, u, v, data: dict):
    (a, node_a), (b, node_b) = sorted(((paper_id_of(str(u)), u), (paper_id_of(str(v)), v)))
    s = URIRef(link_iri(a, b))
    yield s, _A, _kg("Link")
    yield s, _kg("source"), iris["paper"][node_a]
    yield s, _kg("target"), iris["paper"][node_b]
    if _is_number(data.get("weight")):
        yield s, _kg("weight"), _double(data["weight"])
    for entity in _many(data.get("shared")):
        yield s, _kg("sharedEntity"), iris["entity"][entity]


def _community(community, members: list[dict], info: dict | None, iris):
    """A community, labelled by analysis (G.graph["communities"]) or else by its entities."""
    s = URIRef(community_iri(community))
    yield s, _A, _kg("Community")
    if info and info.get("label"):
        label = clean_text(str(info["label"]))
    else:
        entities = sorted((m for m in members if m.get("kind") == "entity"),
                          key=lambda m: (-(m.get("paper_count") or 0), str(m.get("label"))))
        label = ", ".join(clean_text(str(m.get("label"))) for m in entities[:3])
    yield s, RDFS.label, _en(f"Community {community}: {label}" if label else f"Community {community}")
    yield s, _kg("memberCount"), Literal(len(members))
    papers = info.get("size") if info else None
    if not _is_int(papers):
        papers = sum(1 for m in members if m.get("kind") == "paper")
    yield s, _kg("paperCount"), Literal(int(papers))
    for entity in _many(info.get("top") if info else None):
        yield s, _kg("topEntity"), iris["entity"][entity]


# --- literals ---------------------------------------------------------------------------

_DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), XSD.date),
    (re.compile(r"(\d{4})-(\d{2})"), XSD.gYearMonth),
    (re.compile(r"--(\d{2})-(\d{2})"), XSD.gMonthDay),
    (re.compile(r"(\d{4})"), XSD.gYear),
)


def date_literal(value) -> Literal:
    """A Paper.date form typed as xsd:date, gYearMonth, gMonthDay or gYear; else plain."""
    text = clean_text(str(value)).strip()
    for pattern, datatype in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match and _valid_date(datatype, [int(g) for g in match.groups()]):
            return Literal(text, datatype=datatype)
    return _plain(text)


def _valid_date(datatype, parts: list[int]) -> bool:
    try:
        if datatype == XSD.date:
            dt.date(*parts)
        elif datatype == XSD.gYearMonth:
            dt.date(parts[0], parts[1], 1)
        elif datatype == XSD.gMonthDay:
            dt.date(2000, *parts)  # a leap year: --02-29 is a valid gMonthDay
        return parts[0] > 0 or datatype == XSD.gMonthDay
    except ValueError:
        return False


def _en(text) -> Literal:
    return Literal(clean_text(str(text)), lang="en")


def _plain(text) -> Literal:
    return Literal(clean_text(str(text)))


def _double(value) -> Literal:
    return Literal(format_double(float(value)), datatype=XSD.double)


def _many(value) -> list[str]:
    """The distinct non-empty strings of a multi-valued attribute, in order."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, dict):
        value = [json.dumps(value, sort_keys=True)]
    elif isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    items = (clean_text(str(item)).strip() for item in value if item is not None)
    return list(dict.fromkeys(item for item in items if item))


def _unique(triples):
    seen = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value) -> bool:
    try:
        return not isinstance(value, bool) and value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _sort_key(value):
    return (0, int(value), "") if _is_int(value) else (1, 0, str(value))
