"""Exports: the graph written as GraphML, GEXF, RDF (Turtle, N-Triples, JSON-LD), HTML, CSV.

:func:`write_all` writes the formats named in :data:`EXPORTERS`, each through its
writer ``write_x(G, dest)`` (a path, written atomically, or a binary file). Writers are
imported only when used, so ``import kgraph.export`` loads neither rdflib nor pyvis.
Work two formats share is done once: the layout and flattened copy for GraphML and GEXF.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kgraph.errors import ConfigError, ExportError


@dataclass(frozen=True, slots=True)
class Exporter:
    """One file of a format: its name in the output directory and ``module:function``."""

    filename: str
    writer: str
    shared: str | None = None  # keyword of a prepared object the writer accepts


#: Format name -> the files it writes (``csv`` writes five tables).
EXPORTERS: dict[str, tuple[Exporter, ...]] = {
    "graphml": (Exporter("graph.graphml", "kgraph.export.graphml:write_graphml", "flat"),),
    "gexf": (Exporter("graph.gexf", "kgraph.export.gexf:write_gexf", "flat"),),
    "ttl": (Exporter("graph.ttl", "kgraph.export.rdf:write_turtle"),),
    "nt": (Exporter("graph.nt", "kgraph.export.rdf:write_ntriples"),),
    "jsonld": (Exporter("graph.jsonld", "kgraph.export.rdf:write_jsonld"),),
    "html": (Exporter("graph.html", "kgraph.export.html:write_html"),),
    "csv": (
        Exporter("papers.csv", "kgraph.export.tables:write_papers_csv"),
        Exporter("entities.csv", "kgraph.export.tables:write_entities_csv"),
        Exporter("mentions.csv", "kgraph.export.tables:write_mentions_csv"),
        Exporter("links.csv", "kgraph.export.tables:write_links_csv"),
        Exporter("cooccurrences.csv", "kgraph.export.tables:write_cooccurrences_csv"),
    ),
}

_SHARED = {"flat": "kgraph.export.flat:flatten_graph"}


def write_all(G, outdir: str | Path, formats: Sequence[str] | None = None) -> list[Path]:
    """Write ``G`` into ``outdir`` in every format (or those named); return the paths, sorted.

    ``html`` is skipped while ``kgraph.export.html`` does not exist yet.
    """
    names = format_names(formats)
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create output directory {outdir}: {err.strerror or err}; "
                          "choose another --outdir or fix its permissions") from err
    if not outdir.is_dir():
        raise ExportError(f"output directory {outdir} is not a directory; choose another --outdir")
    shared: dict = {}
    written = []
    for name in names:
        for exporter in EXPORTERS[name]:
            try:
                writer = _load(exporter.writer)
            except ModuleNotFoundError as err:
                if name == "html" and err.name == "kgraph.export.html":
                    break
                raise
            kwargs = {}
            if exporter.shared:
                if exporter.shared not in shared:
                    shared[exporter.shared] = _load(_SHARED[exporter.shared])(G)
                kwargs[exporter.shared] = shared[exporter.shared]
            path = outdir / exporter.filename
            try:
                writer(G, path, **kwargs)
            except PermissionError as err:
                raise ExportError(f"cannot write {path}: permission denied; choose another "
                                  "--outdir or fix its permissions") from err
            written.append(path)
    return sorted(written)


def format_names(formats: Sequence[str] | None) -> list[str]:
    """The format names ``formats`` asks for (all when None), checked, lower-cased, deduplicated."""
    if formats is None:
        return list(EXPORTERS)
    if isinstance(formats, str):
        formats = formats.split(",")
    names = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in names if f not in EXPORTERS]
    if unknown or not names:
        what = f"unknown export format {', '.join(map(repr, unknown))}" if unknown else "no export format given"
        raise ConfigError(f"{what}; choose from {', '.join(EXPORTERS)}")
    return names


def _load(target: str):
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


__all__ = ["EXPORTERS", "Exporter", "format_names", "write_all"]
