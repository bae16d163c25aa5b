"""Entity extraction: the only part of kgraph that imports spaCy (lazily)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from kgraph.model import Entity, Extraction, Mention, Paper


def to_entities(raw: Sequence[dict]) -> tuple[Entity, ...]:
    """The plain dicts a Doc carries, as model Entities (sorted by id for stable output)."""
    out = []
    for ent in raw:
        out.append(Entity(
            entity_id=ent["id"], name=ent["name"], label=ent["type"], aliases=tuple(ent["aliases"]),
            mentions=tuple(Mention(text, start, end, field) for text, start, end, field in ent["mentions"]),
            role=ent["role"], wikidata=ent["wikidata"],
        ))
    return tuple(sorted(out, key=lambda e: e.entity_id))


def extract_raw(papers: Sequence[Paper], jobs: int = 1, progress: bool = False) -> list[list[dict]]:
    """Run the spaCy pipeline over papers; one list of entity dicts per paper, in order."""
    from kgraph.extract.nlp import load_nlp, paper_text

    if not papers:
        return []
    nlp = load_nlp()
    texts = (paper_text(p.title, p.abstract) for p in papers)
    docs = nlp.pipe(texts, batch_size=64, n_process=jobs)
    if progress:
        from tqdm import tqdm

        docs = tqdm(docs, total=len(papers), desc="extracting", unit="paper", disable=None)
    return [doc._.kg_entities for doc in docs]


def extract_papers(papers: Iterable[Paper], *, jobs: int = 1, cache_dir: Path | None = None,
                   engine: str = "local", scheduler: str | None = None,
                   progress: bool = False) -> list[Extraction]:
    """Entities for every paper, in input order."""
    papers = list(papers)
    raw = extract_raw(papers, jobs=jobs, progress=progress)
    return [Extraction(paper, to_entities(r)) for paper, r in zip(papers, raw)]
