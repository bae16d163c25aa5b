"""Entity extraction: the only part of kgraph that imports spaCy (lazily)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from kgraph.errors import ConfigError
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


def extract_raw(papers: Sequence[Paper], jobs: int = 1, progress: bool = False, *,
                engine: str = "local", scheduler: str | None = None, fast: bool = False) -> list[list[dict]]:
    """Run the spaCy pipeline over papers; one list of entity dicts per paper, in order."""
    from kgraph.extract.nlp import paper_text

    texts = [paper_text(p.title, p.abstract) for p in papers]
    out: list[list[dict] | None] = [None] * len(texts)
    for start, results in _run_engine(texts, engine, jobs, scheduler, progress, fast):
        out[start:start + len(results)] = results
    return out


def _run_engine(texts: list[str], engine: str, jobs: int, scheduler: str | None, progress: bool,
                fast: bool = False):
    """The chunks an engine yields, with a progress bar over them."""
    from kgraph.extract.engines import ENGINES

    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if not texts:
        return
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc="extracting", unit="paper", disable=None)
    try:
        for start, results in ENGINES[engine](texts, jobs=jobs, scheduler=scheduler, fast=fast):
            yield start, results
            if bar is not None:
                bar.update(len(results))
    finally:
        if bar is not None:
            bar.close()


def extract_papers(papers: Iterable[Paper], *, jobs: int = 1, cache_dir: Path | None = None,
                   engine: str = "local", scheduler: str | None = None,
                   progress: bool = False, fast: bool = False) -> list[Extraction]:
    """Entities for every paper, in input order.

    ``fast`` runs the vocabulary, rules and abbreviations without the statistical NERs:
    several times faster, with lower recall (README, "Fast extraction").

    With ``cache_dir``, papers whose text was extracted before by the same pipeline are
    read from the cache (see `kgraph.extract.cache`) and only the others are extracted,
    each batch written back as soon as it is done; a run that finds everything cached
    never loads spaCy. Papers with the same title and abstract are extracted once.
    """
    from kgraph.extract.cache import ExtractionCache, paper_key, pipeline_fingerprint
    from kgraph.extract.nlp import paper_text

    papers = list(papers)
    keys = [paper_key(p.title, p.abstract) for p in papers]
    cache = ExtractionCache(cache_dir, pipeline_fingerprint(fast)) if cache_dir is not None else None
    try:
        found = cache.get_many(keys) if cache is not None else {}
        todo = {key: paper for key, paper in zip(keys, papers) if key not in found}
        todo_keys = list(todo)
        texts = [paper_text(p.title, p.abstract) for p in todo.values()]
        for start, results in _run_engine(texts, engine, jobs, scheduler, progress, fast):
            done = list(zip(todo_keys[start:start + len(results)], results))
            if cache is not None:
                cache.put_many(done)
            found.update(done)
    finally:
        if cache is not None:
            cache.close()
    return [Extraction(paper, to_entities(found[key])) for paper, key in zip(papers, keys)]
