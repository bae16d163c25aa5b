"""Tiny hand-made extractions for the build and analyse tests."""
from __future__ import annotations

from kgraph.model import Entity, Extraction, Mention, Paper


def ent(entity_id: str, role: str = "proposes", *, name: str | None = None, aliases=(),
        mentions: int = 1, in_title: bool = False, wikidata: str | None = None) -> Entity:
    """An entity found in a paper; its type is the head of its id."""
    label, _, slug = entity_id.partition("/")
    name = name or slug.replace("-", " ").title()
    found = tuple(Mention(name, 0, len(name), "title" if in_title and k == 0 else "abstract")
                  for k in range(mentions))
    return Entity(entity_id=entity_id, name=name, label=label, aliases=tuple(aliases),
                  mentions=found, role=role, wikidata=wikidata)


def paper(paper_id: str, *entities: Entity, date: str | None = None, title: str | None = None) -> Extraction:
    return Extraction(Paper(paper_id=paper_id, title=title or f"Paper {paper_id.upper()}",
                            abstract=f"Abstract of {paper_id}.", date=date), tuple(entities))


def two_clusters() -> list[Extraction]:
    """Six papers in two clusters of three, with one entity every paper names.

    a1, a2, a3 share Alpha (df 3; a3 only mentions it); a1, a2 also share ASet (df 2).
    b1, b2, b3 share Beta (df 3); b2, b3 also share BTask (df 2). All name accuracy
    (df 6 = N, so idf 0). With N = 6: idf(df 3) = ln 2, idf(df 2) = ln 3.
    """
    acc = ent("METRIC/accuracy", "evaluates_on", name="accuracy")
    return [
        paper("a1", ent("METHOD/alpha", name="Alpha"), ent("DATASET/aset", "evaluates_on", name="ASet"), acc,
              date="2024-01-15"),
        paper("a2", ent("METHOD/alpha", "uses", name="Alpha"), ent("DATASET/aset", "evaluates_on", name="ASet"),
              acc, date="2024-02-01"),
        paper("a3", ent("METHOD/alpha", "mentions", name="Alpha"), acc, date="2024-02-20"),
        paper("b1", ent("MODEL/beta", name="Beta"), acc, date="2024-03-03"),
        paper("b2", ent("MODEL/beta", "evaluates_on", name="Beta"), ent("TASK/btask", name="BTask"), acc),
        paper("b3", ent("MODEL/beta", "evaluates_on", name="Beta"), ent("TASK/btask", name="BTask"), acc),
    ]
