"""CSV tables for pandas and spreadsheets: papers, entities, mentions, links, co-occurrences.

UTF-8 without BOM, every cell quoted, one row per node or edge. Papers are keyed by
``paper_id`` and entities by ``entity_id`` (the node ids of the graph, less the
``paper:`` prefix of papers), so ``mentions.csv`` and ``links.csv`` join on them.
Multi-valued cells are joined with " | "; booleans are ``true``/``false``; missing
values are empty. A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading ``'`` so that no spreadsheet runs it as a formula
(numbers are written as they are, so negative numbers stay numbers). Attributes beyond
the schema's are kept, as extra columns after the fixed ones, sorted by name.
"""
from __future__ import annotations

import csv
from typing import Callable, Iterable

import networkx as nx

from kgraph.atomic import Destination, atomic_text
from kgraph.export.iris import paper_id_of
from kgraph.export.text import flat_value, neutralise_formula, scalar_text

PAPER_COLUMNS = ("paper_id", "title", "date", "authors", "url", "categories", "sources",
                 "community", "pagerank", "degree", "abstract")
ENTITY_COLUMNS = ("entity_id", "label", "type", "aliases", "paper_count", "first_seen",
                  "last_seen", "wikidata", "community", "pagerank", "degree")
MENTION_COLUMNS = ("paper_id", "entity_id", "role", "mention_count", "in_title", "weight")
LINK_COLUMNS = ("source", "target", "weight", "shared")
COOCCURRENCE_COLUMNS = ("source", "target", "count", "strength", "weight")

_SKIP = {"kind"}


def write_papers_csv(G: nx.Graph, dest: Destination) -> None:
    rows = ({"paper_id": paper_id_of(str(n)), **_without(d, "label")}
            for n, d in G.nodes(data=True) if d.get("kind") == "paper")
    _write(dest, PAPER_COLUMNS, rows)


def write_entities_csv(G: nx.Graph, dest: Destination) -> None:
    rows = ({"entity_id": str(n), **d} for n, d in G.nodes(data=True) if d.get("kind") == "entity")
    _write(dest, ENTITY_COLUMNS, rows)


def write_mentions_csv(G: nx.Graph, dest: Destination) -> None:
    def row(u, v, d):
        paper, entity = (u, v) if G.nodes[u].get("kind") == "paper" else (v, u)
        return {"paper_id": paper_id_of(str(paper)), "entity_id": str(entity), **d}

    _write(dest, MENTION_COLUMNS, _edges(G, "mentions", row))


def write_links_csv(G: nx.Graph, dest: Destination) -> None:
    def row(u, v, d):
        a, b = sorted((paper_id_of(str(u)), paper_id_of(str(v))))
        return {"source": a, "target": b, **d}

    _write(dest, LINK_COLUMNS, _edges(G, "related", row))


def write_cooccurrences_csv(G: nx.Graph, dest: Destination) -> None:
    def row(u, v, d):
        a, b = sorted((str(u), str(v)))
        return {"source": a, "target": b, **d}

    _write(dest, COOCCURRENCE_COLUMNS, _edges(G, "cooccurs", row))


def _edges(G, kind: str, row: Callable) -> Iterable[dict]:
    return (row(u, v, d) for u, v, d in G.edges(data=True) if d.get("kind") == kind)


def _without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


def _write(dest: Destination, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
    rows = list(rows)
    extras = sorted({k for row in rows for k in row} - set(columns) - _SKIP)
    header = [*columns, *extras]
    with atomic_text(dest, newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(row.get(name)) for name in header])


def cell(value) -> str:
    """One CSV cell: flattened, text neutralised against formula injection."""
    value = flat_value(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    return scalar_text(value)
