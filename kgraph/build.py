"""Build the kgraph networkx graph from extractions.

Graph schema (an undirected ``networkx.Graph``; every export reads this contract):

Paper nodes, id ``paper:<paper_id>``
    kind="paper", label (the title), title, abstract, date (str or None), url (str or
    None), authors (tuple[str]), sources (tuple[str], ``path:line`` of every merged
    record), categories (tuple[str]).
Entity nodes, id ``<TYPE>/<slug>`` (the Entity.entity_id)
    kind="entity", label (canonical name), type (one of model.TYPES), aliases
    (tuple[str]), paper_count (int), first_seen / last_seen (str or None), wikidata
    (str or None).
Both, after analysis: community (int), pagerank (float), degree (int).

Edges, each with ``kind``:
    paper - entity   kind="mentions": role (model.ROLES), mention_count (int),
                     in_title (bool), weight (float)
    paper - paper    kind="related": weight (float, IDF-style), shared (tuple of
                     entity ids, strongest first)
    entity - entity  kind="cooccurs": count (int), strength (float, association
                     strength), weight (float)
Graph attributes (``G.graph``):
    top_k (int), min_weight (float), link_df (int), stop_df (int): the paper-link
    settings used (the last two in papers; see below);
    after analysis, communities: a list of dicts, one per community in id order,
    with id (int), size (int, papers), entities (int), label (str) and top
    (tuple of entity ids, most characteristic first).
Multi-valued attributes are tuples in memory; exporters flatten them.

What the values mean
--------------------
* An entity's ``label`` is its most frequent name over the papers that name it (ties:
  the longest, then the alphabetically first); ``aliases`` is every other name and
  alias any paper used, sorted. ``paper_count`` counts the papers that name it.
  ``first_seen``/``last_seen`` are the earliest and latest of those papers' dates.
  Dates with a year (``YYYY-MM-DD``, ``YYYY-MM``) compare as text, and a month sorts
  before the days in it. Year-less ``--MM-DD`` page dates can't be placed among
  dated ones, so they count only when an entity has no dated paper at all.
* ``mentions`` edges: ``mention_count`` is the number of surface mentions (at least 1),
  ``in_title`` whether one lies in the title, ``weight`` the role's weight in
  ``ROLE_WEIGHTS`` (proposes/evaluates_on 1.0, uses 0.75, mentions 0.5).
* ``related`` edges: weight = sum over shared entities e of
  ``log(N / df(e)) * (r_p + r_q) / 2``, where N is the number of papers, df(e) the
  papers naming e, and r_p, r_q the role weights of e in the two papers. Rare
  entities and entities that a paper proposes or evaluates on count most. ``shared``
  lists the entities that contributed, largest contribution first.
  Each paper keeps its ``top_k`` strongest links at or above ``min_weight``. An edge
  stays when either end keeps it, so a paper can have more than ``top_k`` links.
  The default ``min_weight`` is ``0.5 * log(N) * min(role weights)``: what two papers
  that only *mention* one shared entity get when that entity is named by sqrt(N)
  papers. So one rare shared entity is enough to link two papers. A common one
  (named by more than sqrt(N) papers) links them only together with other shared
  entities or stronger roles. The threshold grows slowly with the corpus, as the
  idf of a "rare" entity does.
  Finding links never compares all pairs of papers. Each paper walks the posting
  lists of its entities, and only entities named by at most ``link_df`` papers,
  ``max(LINK_DF * N, LINK_DF_FLOOR)`` (1% of the papers, never fewer than 50),
  propose partners. The work is the sum of df^2 over those entities, which the
  cut-off bounds. More common entities ("GPU", "ImageNet" in a big corpus) still
  add their share to the weight and evidence of every proposed link. They just
  don't propose links alone: two papers that share *only* common entities aren't
  linked. Stop-entities, named by more than ``stop_df`` papers (``max_df * N``;
  by default half the papers, idf below log 2), count for nothing in links. They keep
  their nodes, mentions and co-occurrences.
* ``cooccurs`` edges join two entities named together by at least
  ``COOCCUR_MIN_COUNT`` (2) papers. One paper naming both is already visible as
  entity - paper - entity, and keeping single co-mentions would add a clique per
  paper. ``count`` is the number of such papers and ``weight`` equals it.
  ``strength`` is van Eck & Waltman's association strength
  ``2m * c_ij / (s_i * s_j)``: s_i is entity i's total co-occurrences (the sum of
  its c_ij) and m the total over all pairs. That is observed / expected
  co-occurrence, so 1.0 means chance. Each entity keeps its ``COOCCUR_TOP_K`` (20)
  strongest partners (an edge stays when either end keeps it).
* Floats are rounded to 6 decimals and nodes and edges are inserted in sorted
  order, so the same extractions always give the same graph.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import networkx as nx
import numpy as np

from kgraph.errors import ConfigError, ExtractError
from kgraph.model import ROLES, TYPES, Extraction, Paper

#: How much a paper's role for an entity counts in links (see module docstring).
ROLE_WEIGHTS: dict[str, float] = {"proposes": 1.0, "evaluates_on": 1.0, "uses": 0.75, "mentions": 0.5}
#: Entities named by more than this fraction of papers count for nothing in paper links.
MAX_DF = 0.5
#: Entities named by more than this fraction of papers only reinforce links found through
#: rarer ones...
LINK_DF = 0.01
#: ...unless they are named by at most this many papers.
LINK_DF_FLOOR = 50
COOCCUR_MIN_COUNT = 2
COOCCUR_TOP_K = 20
DIGITS = 6


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def default_min_weight(n_papers: int) -> float:
    """The weakest paper link kept by default: see the module docstring."""
    if n_papers < 2:
        return 0.0
    return round(0.5 * math.log(n_papers) * min(ROLE_WEIGHTS.values()), DIGITS)


def link_cutoffs(n_papers: int, max_df: float = MAX_DF) -> tuple[int, int]:
    """``(link_df, stop_df)`` in papers: the most papers an entity may be named by and
    still propose links, and still count in them (see the module docstring)."""
    return max(int(LINK_DF * n_papers), LINK_DF_FLOOR), int(max_df * n_papers)


def build_graph(extractions: Iterable[Extraction], *, min_papers: int = 1,
                types: Sequence[str] | None = None, top_k: int = 10,
                min_weight: float | None = None, max_df: float = MAX_DF) -> nx.Graph:
    """The knowledge graph of ``extractions``, as the module docstring describes.

    ``min_papers`` drops entities named by fewer papers, ``types`` keeps only those
    entity types, ``top_k`` and ``min_weight`` prune paper links (``min_weight=None``
    picks the corpus default, ``top_k=0`` drops them all), and ``max_df`` is the
    fraction of papers above which an entity counts for nothing in links.
    """
    _check_options(min_papers, types, top_k, min_weight, max_df)
    papers, uses = _merge_papers(extractions)
    infos = _entity_infos(papers, uses)
    wanted = set(types) if types else None
    infos = {eid: info for eid, info in infos.items()
             if len(info.papers) >= min_papers and (wanted is None or info.entity_type in wanted)}

    n = len(papers)
    if min_weight is None:
        min_weight = default_min_weight(n)
    link_df, stop_df = link_cutoffs(n, max_df)
    index = _Index.make(sorted(papers), sorted(infos), uses, link_df, stop_df)

    G = nx.Graph(top_k=top_k, min_weight=float(min_weight), link_df=link_df, stop_df=stop_df)
    G.add_nodes_from((paper_node(pid), _paper_attrs(papers[pid])) for pid in index.paper_ids)
    G.add_nodes_from((eid, infos[eid].attrs(papers)) for eid in index.entity_ids)
    G.add_edges_from(
        (paper_node(pid), eid, {"kind": "mentions", "role": use.role, "mention_count": use.mention_count,
                                "in_title": use.in_title, "weight": ROLE_WEIGHTS[use.role]})
        for pid in index.paper_ids for eid, use in sorted(uses[pid].items()) if eid in infos)
    G.add_edges_from(
        (paper_node(index.paper_ids[p]), paper_node(index.paper_ids[q]),
         {"kind": "related", "weight": weight, "shared": shared})
        for p, q, weight, shared in related_links(index, top_k, min_weight))
    G.add_edges_from(
        (index.entity_ids[i], index.entity_ids[j],
         {"kind": "cooccurs", "count": count, "strength": strength, "weight": float(count)})
        for i, j, count, strength in cooccurrences(index, COOCCUR_MIN_COUNT, COOCCUR_TOP_K))
    return G


def _check_options(min_papers, types, top_k, min_weight, max_df) -> None:
    if min_papers < 1:
        raise ConfigError(f"min_papers must be at least 1, not {min_papers}")
    if top_k < 0:
        raise ConfigError(f"top_k must be 0 or more, not {top_k}")
    if min_weight is not None and min_weight < 0:
        raise ConfigError(f"min_weight must be 0 or more, not {min_weight}")
    if not 0 < max_df <= 1:
        raise ConfigError(f"max_df is a fraction of the papers, in (0, 1], not {max_df}")
    unknown = sorted(set(types or ()) - set(TYPES))
    if unknown:
        raise ConfigError(f"unknown entity type {', '.join(unknown)}; choose from {', '.join(TYPES)}")


# -- gathering: one record per paper, one per entity ---------------------------------

@dataclass(slots=True)
class _Use:
    """How one paper uses one entity."""

    role: str
    mention_count: int
    in_title: bool
    name: str
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None


def _merge_papers(extractions: Iterable[Extraction]) -> tuple[dict[str, Paper], dict[str, dict[str, _Use]]]:
    """Papers by id and, per paper, its entities by id.

    A paper id seen twice keeps its first record and the entities of both. An entity
    listed twice in a paper keeps the stronger role and adds up the mentions.
    """
    papers: dict[str, Paper] = {}
    uses: dict[str, dict[str, _Use]] = {}
    for extraction in extractions:
        pid = extraction.paper.paper_id
        papers.setdefault(pid, extraction.paper)
        found = uses.setdefault(pid, {})
        for ent in extraction.entities:
            if ent.role not in ROLE_WEIGHTS:
                raise ExtractError(f"paper {pid}: entity {ent.entity_id} has role {ent.role!r}; "
                                   f"expected one of {', '.join(ROLES)}")
            use = _Use(role=ent.role, mention_count=max(1, len(ent.mentions)),
                       in_title=any(m.field == "title" for m in ent.mentions),
                       name=ent.name, label=ent.label, aliases=ent.aliases, wikidata=ent.wikidata)
            old = found.get(ent.entity_id)
            if old is not None:
                use.role = min(old.role, use.role, key=ROLES.index)
                use.mention_count += old.mention_count
                use.in_title = use.in_title or old.in_title
                use.aliases = old.aliases + (old.name,) + use.aliases
            found[ent.entity_id] = use
    return papers, uses


@dataclass(slots=True)
class _EntityInfo:
    names: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    wikidata: Counter = field(default_factory=Counter)
    aliases: set = field(default_factory=set)
    papers: list = field(default_factory=list)

    @property
    def entity_type(self) -> str:
        return _most_common(self.labels)

    def attrs(self, papers: dict[str, Paper]) -> dict:
        name = canonical_name(self.names)
        first, last = date_span(papers[pid].date for pid in self.papers)
        return {
            "kind": "entity", "label": name, "type": self.entity_type,
            "aliases": tuple(sorted((self.aliases | set(self.names)) - {name}, key=_text_key)),
            "paper_count": len(self.papers), "first_seen": first, "last_seen": last,
            "wikidata": _most_common(self.wikidata) if self.wikidata else None,
        }


def _entity_infos(papers: dict[str, Paper], uses: dict[str, dict[str, _Use]]) -> dict[str, _EntityInfo]:
    infos: dict[str, _EntityInfo] = {}
    for pid in sorted(papers):
        for eid, use in uses[pid].items():
            info = infos.get(eid)
            if info is None:
                info = infos[eid] = _EntityInfo()
            info.names[use.name] += 1
            info.labels[use.label] += 1
            if use.wikidata:
                info.wikidata[use.wikidata] += 1
            info.aliases.update(use.aliases)
            info.papers.append(pid)
    return infos


def canonical_name(names: Counter) -> str:
    """The most frequent name; ties go to the longest, then the alphabetically first."""
    return min(names, key=lambda name: (-names[name], -len(name), name))


def _most_common(counts: Counter) -> str:
    return min(counts, key=lambda value: (-counts[value], value))


def _text_key(text: str) -> tuple[str, str]:
    return text.casefold(), text


def date_span(dates: Iterable[str | None]) -> tuple[str | None, str | None]:
    """Earliest and latest date; year-less ``--MM-DD`` dates only when no date has a year."""
    dated, yearless = [], []
    for date in dates:
        if date and date[:4].isdigit():
            dated.append(date)
        elif date and date.startswith("--"):
            yearless.append(date)
    pool = dated or yearless
    return (min(pool), max(pool)) if pool else (None, None)


def _paper_attrs(paper: Paper) -> dict:
    return {
        "kind": "paper", "label": paper.title, "title": paper.title, "abstract": paper.abstract,
        "date": paper.date, "url": paper.url, "authors": tuple(paper.authors),
        "sources": tuple(paper.sources), "categories": tuple(paper.categories),
    }


# -- links: posting lists over integer ids --------------------------------------------

@dataclass(slots=True)
class _Index:
    """Papers and entities as integers, both ways round, in flat (CSR) arrays.

    Paper p's entities are ``paper_entities[paper_ptr[p]:paper_ptr[p + 1]]`` (ascending),
    with its role weight for each in ``paper_roles``; entity e's papers are
    ``postings[entity_ptr[e]:entity_ptr[e + 1]]`` (ascending), with ``posting_roles``.
    """

    paper_ids: list[str]
    entity_ids: list[str]
    paper_ptr: np.ndarray
    paper_entities: np.ndarray
    paper_roles: np.ndarray
    entity_ptr: np.ndarray
    postings: np.ndarray
    posting_roles: np.ndarray
    idf: np.ndarray                    # log(N / df)
    proposes: np.ndarray               # per entity: do its postings propose paper links?
    counts: np.ndarray                 # per entity: does it add to paper links?

    @classmethod
    def make(cls, paper_ids: list[str], entity_ids: list[str],
             uses: dict[str, dict[str, _Use]], link_df: int, stop_df: int) -> _Index:
        eidx = {eid: i for i, eid in enumerate(entity_ids)}
        flat_p, flat_e, flat_r = [], [], []
        for p, pid in enumerate(paper_ids):
            for i, r in sorted((eidx[eid], ROLE_WEIGHTS[use.role]) for eid, use in uses[pid].items() if eid in eidx):
                flat_p.append(p)
                flat_e.append(i)
                flat_r.append(r)
        papers = np.array(flat_p, dtype=np.int64)
        ents = np.array(flat_e, dtype=np.int64)
        roles = np.array(flat_r, dtype=np.float64)
        by_entity = np.lexsort((papers, ents))
        n, df = len(paper_ids), np.bincount(ents, minlength=len(entity_ids))
        idf = np.array([math.log(n / d) for d in df.tolist()], dtype=np.float64)
        counts = (df >= 2) & (df <= stop_df) & (df < n)
        return cls(paper_ids, entity_ids, _pointers(papers, n), ents, roles,
                   _pointers(ents, len(entity_ids)), papers[by_entity], roles[by_entity],
                   idf, counts & (df <= link_df), counts)

    def entities_of(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.paper_ptr[p], self.paper_ptr[p + 1]
        return self.paper_entities[lo:hi], self.paper_roles[lo:hi]

    def papers_of(self, e: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.entity_ptr[e], self.entity_ptr[e + 1]
        return self.postings[lo:hi], self.posting_roles[lo:hi]


def _pointers(keys: np.ndarray, size: int) -> np.ndarray:
    """CSR row pointers for ``keys`` sorted ascending (``size`` rows)."""
    return np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=size)))).astype(np.int64)


def _rows(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every item in ``rows`` of a CSR layout, and each row's length."""
    starts, lengths = ptr[rows], ptr[rows + 1] - ptr[rows]
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0), lengths


def related_links(index: _Index, top_k: int, min_weight: float) -> list[tuple[int, int, float, tuple[str, ...]]]:
    """Paper links ``(p, q, weight, shared entity ids)`` with p < q, sorted.

    Each paper sums, over the posting lists of its rarer entities, a score for every
    paper they share; its common entities then add theirs to those partners. It keeps
    its ``top_k`` best at or above ``min_weight`` (ties: the earlier paper).
    """
    kept: set[tuple[int, int]] = set()
    for p in range(len(index.paper_ids) if top_k else 0):
        ents, roles = index.entities_of(p)
        rare = index.proposes[ents]
        if not rare.any():
            continue
        at, lengths = _rows(index.entity_ptr, ents[rare])
        others = index.postings[at]
        scores = (np.repeat(index.idf[ents[rare]], lengths)
                  * (np.repeat(roles[rare], lengths) + index.posting_roles[at]) / 2)
        keep = others != p
        partners, slot = np.unique(others[keep], return_inverse=True)
        totals = np.bincount(slot, weights=scores[keep])
        common = index.counts[ents] & ~rare
        for e, r in zip(ents[common].tolist(), roles[common].tolist()):
            post, post_roles = index.papers_of(e)
            at = np.minimum(np.searchsorted(post, partners), len(post) - 1)
            hit = post[at] == partners
            totals[hit] += index.idf[e] * (r + post_roles[at[hit]]) / 2
        good = totals >= min_weight - 1e-9
        partners, totals = partners[good], totals[good]
        for q in partners[np.lexsort((partners, -totals))[:top_k]].tolist():
            kept.add((min(p, q), max(p, q)))
    links, roles_of = [], {}
    for p, q in sorted(kept):
        for x in (p, q):
            if x not in roles_of:
                ents, roles = index.entities_of(x)
                roles_of[x] = dict(zip(ents.tolist(), roles.tolist()))
        links.append((p, q, *_explain(index, roles_of[p], roles_of[q])))
    return links


def _explain(index: _Index, roles_p: dict[int, float], roles_q: dict[int, float]) -> tuple[float, tuple[str, ...]]:
    """A link's weight and its shared entities, largest contribution first."""
    parts = sorted(((float(index.idf[e]) * (roles_p[e] + roles_q[e]) / 2, index.entity_ids[e])
                    for e in roles_p.keys() & roles_q.keys() if index.counts[e]),
                   key=lambda part: (-part[0], part[1]))
    return round(sum(w for w, _ in parts), DIGITS), tuple(eid for _, eid in parts)


def cooccurrences(index: _Index, min_count: int = COOCCUR_MIN_COUNT,
                  top_k: int = COOCCUR_TOP_K) -> list[tuple[int, int, int, float]]:
    """Entity pairs ``(i, j, count, strength)`` with i < j, sorted (see module docstring).

    Per entity, the entities of its papers are counted; only entities named by at
    least ``min_count`` papers can have a pair that often, so the rest are skipped.
    The work is the sum over papers of (entities per paper)^2, never entities^2.
    """
    sizes = np.diff(index.paper_ptr)
    totals = np.bincount(index.paper_entities, weights=np.repeat(sizes - 1, sizes),
                         minlength=len(index.entity_ids)).astype(np.float64)   # s_i
    two_m = float(totals.sum())
    df = np.diff(index.entity_ptr)
    counts: dict[tuple[int, int], int] = {}
    for i in np.flatnonzero(df >= min_count).tolist():
        together = index.paper_entities[_rows(index.paper_ptr, index.papers_of(i)[0])[0]]
        partners, c = np.unique(together[together != i], return_counts=True)
        good = c >= min_count
        partners, c = partners[good], c[good]
        strength = two_m * c / (totals[i] * totals[partners])
        for pick in np.lexsort((partners, -c, -strength))[:top_k].tolist():
            j = int(partners[pick])
            counts[(min(i, j), max(i, j))] = int(c[pick])
    return [(i, j, c, round(two_m * c / (float(totals[i]) * float(totals[j])), DIGITS))
            for (i, j), c in sorted(counts.items())]
