"""The whole flow in one place: ingest -> (up to date? stop) -> extract -> build -> analyse -> export."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from kgraph.model import Corpus, Extraction


@dataclass(slots=True)
class BuildReport:
    """What `kgraph build` did, for the summary it prints.

    ``skipped`` is True when the output directory was already up to date (see
    `kgraph.manifest`): nothing was extracted or written, ``files`` are the exports
    already there, and the counts are those the manifest recorded.
    """

    corpus: Corpus
    entities_by_type: Counter = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0
    skipped: bool = False


def read(inputs: Sequence[str | Path], fmt: str | None = None, strict: bool = False,
         progress: bool = False) -> Corpus:
    from kgraph.ingest import read_corpus

    return read_corpus(inputs, fmt=fmt, strict=strict, progress=progress)


def extract(corpus: Corpus, *, jobs: int = 1, cache_dir: Path | None = None,
            engine: str = "local", scheduler: str | None = None,
            progress: bool = False, fast: bool = False) -> list[Extraction]:
    from kgraph.extract import extract_papers
    from kgraph.resolve import unify_extractions

    extractions = extract_papers(corpus.papers, jobs=jobs, cache_dir=cache_dir, engine=engine,
                                 scheduler=scheduler, progress=progress, fast=fast)
    return unify_extractions(extractions)


def graph(extractions: list[Extraction], **options):
    from kgraph.analyse import analyse_graph
    from kgraph.build import build_graph

    G = build_graph(extractions, **options)
    analyse_graph(G)
    return G


def build(inputs: Sequence[str | Path], outdir: str | Path, *, fmt: str | None = None,
          strict: bool = False, formats: Sequence[str] | None = None, jobs: int = 1,
          cache_dir: Path | None = None, engine: str = "local", scheduler: str | None = None,
          force: bool = False, progress: bool = False, fast: bool = False, **graph_options) -> BuildReport:
    """Build and export; skip everything after ingest when ``outdir`` is up to date (unless ``force``)."""
    from kgraph import manifest
    from kgraph.export import format_names, write_all

    outdir = Path(outdir)
    corpus = read(inputs, fmt=fmt, strict=strict, progress=progress)
    formats = format_names(formats)
    key = manifest.build_key(corpus.papers, graph_options=graph_options, formats=formats, fast=fast)
    done = None if force else manifest.up_to_date(outdir, key)
    if done is not None:
        return BuildReport(corpus=corpus, entities_by_type=Counter(dict(done.entities_by_type)),
                           files=[outdir / f.name for f in done.files], nodes=done.nodes,
                           edges=done.edges, skipped=True)
    extractions = extract(corpus, jobs=jobs, cache_dir=cache_dir, engine=engine,
                          scheduler=scheduler, progress=progress, fast=fast)
    G = graph(extractions, **graph_options)
    manifest.discard_manifest(outdir)  # a manifest only ever sits beside a finished build's files
    files = write_all(G, outdir, formats=formats)
    by_type = Counter(d["type"] for _, d in G.nodes(data=True) if d["kind"] == "entity")
    report = BuildReport(corpus=corpus, entities_by_type=by_type, files=files,
                         nodes=G.number_of_nodes(), edges=G.number_of_edges())
    manifest.write_manifest(outdir, manifest.manifest_for(
        key, files, nodes=report.nodes, edges=report.edges, entities_by_type=by_type))
    return report
