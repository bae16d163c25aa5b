"""Duplicate detection: many records of one paper become one `Paper`.

Two records are the same paper when they share the paper id, the arXiv id or the DOI,
or, failing those, when their titles are equal under `title_key` and nothing says they
differ (two different arXiv ids or DOIs). Records with different ids of their own are
never merged: a file that gives ids says which records are distinct, and benchmark
files rely on it.

A duplicate merges into the first paper read: its ``path:line`` is added to ``sources``,
and fields the first lacks are filled from it (title, date, authors, URL, arXiv id, DOI,
categories); the longer abstract is kept, since a shorter one is usually cut off.

A record that shares an id with an earlier paper but has a different title is a
**conflict**, not a duplicate: the first paper is kept as it is, the record is not
merged, and `add` returns the reason so that it is reported. Which of the two is right
cannot be known, and merging would silently drop one title.
"""
from __future__ import annotations

from dataclasses import replace

from kgraph.ingest.text import title_hash, title_key
from kgraph.model import Paper


class Papers:
    """The distinct papers read so far, in the order first read."""

    def __init__(self) -> None:
        self.papers: list[Paper] = []
        self.duplicates = 0
        self._index: dict[str, int] = {}

    def add(self, paper: Paper) -> str | None:
        """Add `paper` or merge it into the paper it duplicates; return a conflict's reason, else None."""
        for key in _strong_keys(paper):
            i = self._index.get(key)
            if i is not None and not _different_own_ids(self.papers[i], paper):
                first = self.papers[i]
                if first.title and paper.title and title_key(first.title) != title_key(paper.title):
                    what = {"id": "id", "arxiv": "arXiv id", "doi": "DOI"}[key.split(":", 1)[0]]
                    return (f"same {what} as the paper read at {first.sources[0]} but a different "
                            f"title; kept that one and skipped this record")
                return self._merge(i, paper)
        key = _title_key(paper)
        i = self._index.get(key) if key else None
        if i is not None and _compatible(self.papers[i], paper):
            return self._merge(i, paper)
        self.papers.append(paper)
        self._register(len(self.papers) - 1, paper)
        return None

    def _merge(self, i: int, later: Paper) -> None:
        first = self.papers[i]
        merged = replace(
            first,
            title=first.title or later.title,
            abstract=later.abstract if len(later.abstract) > len(first.abstract) else first.abstract,
            date=first.date or later.date,
            authors=first.authors or later.authors,
            url=first.url or later.url,
            arxiv_id=first.arxiv_id or later.arxiv_id,
            doi=first.doi or later.doi,
            categories=first.categories or later.categories,
            sources=first.sources + later.sources,
        )
        self.papers[i] = merged
        self.duplicates += 1
        self._register(i, merged)
        return None

    def _register(self, i: int, paper: Paper) -> None:
        for key in (*_strong_keys(paper), _title_key(paper)):
            if key:
                self._index.setdefault(key, i)


def _strong_keys(paper: Paper) -> list[str]:
    keys = [f"id:{paper.paper_id}"]
    if paper.arxiv_id:
        keys.append(f"arxiv:{paper.arxiv_id}")
    if paper.doi:
        keys.append(f"doi:{paper.doi}")
    return keys


def _title_key(paper: Paper) -> str | None:
    key = title_key(paper.title)
    return f"title:{key}" if key else None


def _own_id(paper: Paper) -> str | None:
    """The record's own id, or None where the paper id was made from its arXiv id, DOI or title."""
    made = {f"arxiv:{paper.arxiv_id}", f"doi:{paper.doi}", f"title:{title_hash(paper.title)}"}
    return None if paper.paper_id in made else paper.paper_id


def _different_own_ids(a: Paper, b: Paper) -> bool:
    own_a, own_b = _own_id(a), _own_id(b)
    return bool(own_a and own_b and own_a != own_b)


def _compatible(a: Paper, b: Paper) -> bool:
    """False if something says `a` and `b`, of equal titles, are different papers."""
    return not (_different_own_ids(a, b)
                or a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id
                or a.doi and b.doi and a.doi != b.doi)
