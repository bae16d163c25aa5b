"""Namespaces and the IRI scheme of kgraph's RDF exports (plain strings, no rdflib).

Instances live under ``https://kgraph.dev/id/``; the vocabulary under
``https://kgraph.dev/ns#`` (documented in ``vocab.ttl`` next to this module).

==============  ==========================================  =================================
thing           IRI                                         example
==============  ==========================================  =================================
paper           ``id/paper/<paper_id>``                     ``id/paper/arxiv:2401.00001``
entity          ``id/<TYPE>/<slug>`` (the entity id)        ``id/DATASET/imagenet``
community       ``id/community/<n>``                        ``id/community/3``
paper link      ``id/link/<paper_id>/<paper_id>``           ``id/link/arxiv:1/doi:10.1%2Fx``
==============  ==========================================  =================================

Every id part is percent-encoded as UTF-8 with only ``A-Z a-z 0-9 - . _ ~`` (and ``:`` in
paper ids) left as they are, so any name at all gives a well-formed, ASCII-only IRI and
``/`` inside an id can never be confused with the separators above. The encoding is
reversible (:func:`urllib.parse.unquote`). The two papers of a link are in sorted order.

This module is imported by :mod:`kgraph.query` too, so it must stay free of rdflib.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from kgraph.export.text import clean_text

KG = "https://kgraph.dev/ns#"
ID = "https://kgraph.dev/id/"
WIKIDATA = "http://www.wikidata.org/entity/"

#: Prefixes used in the Turtle and JSON-LD exports and predeclared by ``kgraph query``.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgid": ID,
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": WIKIDATA,
}

#: kgraph class (local name) per entity type of :data:`kgraph.model.TYPES`.
TYPE_CLASSES: dict[str, str] = {
    "MODEL": "Model", "METHOD": "Method", "DATASET": "Dataset", "BENCHMARK": "Benchmark",
    "HARDWARE": "Hardware", "TASK": "Task", "METRIC": "Metric", "SOFTWARE": "Software",
}

#: kgraph property (local name) per paper-entity role; "mentions" is schema:mentions only.
ROLE_PROPERTIES: dict[str, str] = {
    "proposes": "proposes", "evaluates_on": "evaluatesOn", "uses": "uses",
}

PAPER_NODE_PREFIX = "paper:"

_WIKIDATA_QID = re.compile(r"(?:^|[/:])(Q[1-9][0-9]*)$")
# Characters that may not appear raw in an IRI (RFC 3987 and the Turtle/N-Triples IRIREF).
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def _pct(part: str, safe: str = "-._~") -> str:
    return quote(clean_text(part), safe=safe)


def paper_iri(paper_id: str) -> str:
    """``https://kgraph.dev/id/paper/<paper_id>``, percent-encoded."""
    return f"{ID}paper/{_pct(paper_id, safe='-._~:')}"


def entity_iri(entity_id: str) -> str:
    """``https://kgraph.dev/id/<TYPE>/<slug>``: the entity id with each part percent-encoded."""
    etype, sep, slug = entity_id.partition("/")
    if not sep or not etype:
        return f"{ID}entity/{_pct(entity_id)}"
    return f"{ID}{_pct(etype)}/{_pct(slug)}"


def community_iri(community: int | str) -> str:
    return f"{ID}community/{_pct(str(community))}"


def link_iri(paper_a: str, paper_b: str) -> str:
    a, b = sorted((paper_a, paper_b))
    return f"{ID}link/{_pct(a, safe='-._~:')}/{_pct(b, safe='-._~:')}"


def paper_id_of(node: str) -> str:
    """The paper id of a paper node id ``paper:<paper_id>``."""
    return node[len(PAPER_NODE_PREFIX):] if node.startswith(PAPER_NODE_PREFIX) else node


def wikidata_iri(value: str | None) -> str | None:
    """``http://www.wikidata.org/entity/Q…`` for a QID or any Wikidata URL ending in one."""
    if not value:
        return None
    match = _WIKIDATA_QID.search(str(value).strip())
    return f"{WIKIDATA}{match.group(1)}" if match else None


def web_iri(url: str | None) -> str | None:
    """An http(s) URL made safe as an IRI (unsafe characters percent-encoded), else None."""
    if not url:
        return None
    url = clean_text(str(url)).strip()
    if not re.match(r"(?i)https?://[^\s/]", url):
        return None
    return _IRI_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)
