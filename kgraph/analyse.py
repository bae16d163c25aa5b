"""Communities, centrality and trends of a built graph, and the text that explains it.

``analyse(G)`` only computes: it returns an ``Analysis`` and leaves ``G`` alone.
``analyse_graph(G)`` is the explicit "apply". It writes ``community``, ``pagerank``
and ``degree`` on every node and the community list in ``G.graph["communities"]``
(see the schema in build.py).

* Communities are found among papers, by Louvain on the ``related`` links (their
  IDF weights) with a fixed seed. It uses python-igraph's ``community_multilevel``,
  or networkx's ``louvain_communities`` where igraph is missing. A paper with no
  link is a community of its own. An entity joins the community that holds most of
  its papers (ties: the lower id). Communities are numbered by paper count,
  largest first; ties go to the one whose smallest paper id sorts first.
  Each is labelled by its most characteristic entities: the share of the
  community's papers naming the entity, times the entity's idf ``log(N / df)``.
* PageRank (damping 0.85) runs over the whole graph, unweighted. The edge kinds
  weigh on different scales, so only the structure counts. Values are rounded to 8
  significant digits so that exports are byte-identical. ``degree`` counts all of a
  node's edges.
* Trends: an entity's papers per month, ``YYYY-MM`` (or ``--MM`` for year-less dates).
"""
from __future__ import annotations

import difflib
import math
import random
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

import networkx as nx
import numpy as np

from kgraph.errors import NotFoundError
from kgraph.model import ROLES, TYPES

SEED = 42
DAMPING = 0.85
LABEL_SIZE = 3    # entities named in a community's label
TOP_SIZE = 10     # entities listed as a community's top
SHOW_PAPERS = 10  # papers listed per role by format_show


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    size: int                 # papers
    entities: int
    label: str
    top: tuple[str, ...]      # entity ids, most characteristic first


@dataclass(frozen=True, slots=True)
class Analysis:
    community: dict[str, int]
    pagerank: dict[str, float]
    degree: dict[str, int]
    communities: tuple[Community, ...]


def analyse(G: nx.Graph, *, seed: int = SEED) -> Analysis:
    """Communities, PageRank and degree of every node; ``G`` is not changed."""
    groups = paper_communities(G, seed=seed)
    community = assign_entities(G, groups)
    return Analysis(community=community, pagerank=pagerank(G), degree=dict(G.degree()),
                    communities=describe_communities(G, groups, community))


def analyse_graph(G: nx.Graph, *, seed: int = SEED) -> Analysis:
    """Analyse ``G`` and write the results onto it (node attributes and G.graph)."""
    result = analyse(G, seed=seed)
    for node, data in G.nodes(data=True):
        data["community"] = result.community[node]
        data["pagerank"] = result.pagerank[node]
        data["degree"] = result.degree[node]
    G.graph["communities"] = [asdict(c) for c in result.communities]
    return result


# -- pure computations ----------------------------------------------------------------

def papers_of(G: nx.Graph) -> list[str]:
    return [n for n, kind in G.nodes(data="kind") if kind == "paper"]


def entities_of(G: nx.Graph) -> list[str]:
    return [n for n, kind in G.nodes(data="kind") if kind == "entity"]


def paper_communities(G: nx.Graph, *, seed: int = SEED) -> list[list[str]]:
    """Groups of papers (each sorted), numbered as the module docstring says."""
    papers = sorted(papers_of(G))
    links = sorted((min(u, v), max(u, v), w) for u, v, k, w in _edges(G) if k == "related")
    try:
        groups = _louvain_igraph(papers, links, seed)
    except ImportError:
        groups = _louvain_networkx(papers, links, seed)
    groups = [sorted(group) for group in groups]
    return sorted(groups, key=lambda group: (-len(group), group[0]))


def _edges(G):
    return ((u, v, d["kind"], d.get("weight", 1.0)) for u, v, d in G.edges(data=True))


def _louvain_igraph(papers, links, seed):
    import igraph

    index = {p: i for i, p in enumerate(papers)}
    H = igraph.Graph(n=len(papers), edges=[(index[u], index[v]) for u, v, _ in links])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = H.community_multilevel(weights=[w for *_, w in links] or None).membership
    finally:
        igraph.set_random_number_generator(random)
    groups = defaultdict(list)
    for paper, group in zip(papers, membership):
        groups[group].append(paper)
    return list(groups.values())


def _louvain_networkx(papers, links, seed):
    H = nx.Graph()
    H.add_nodes_from(papers)
    H.add_weighted_edges_from(links)
    return nx.community.louvain_communities(H, weight="weight", seed=seed)


def assign_entities(G: nx.Graph, groups: list[list[str]]) -> dict[str, int]:
    """Community of every node: papers from ``groups``, entities by most of their papers."""
    community = {paper: cid for cid, group in enumerate(groups) for paper in group}
    for entity in sorted(entities_of(G)):
        votes = Counter(community[p] for p in G[entity] if p in community)
        community[entity] = min(votes, key=lambda cid: (-votes[cid], cid)) if votes else -1
    return {node: community[node] for node in G}


def describe_communities(G: nx.Graph, groups: list[list[str]],
                         community: dict[str, int]) -> tuple[Community, ...]:
    """Each community's size and its most characteristic entities (share x idf)."""
    n = len(papers_of(G))
    members = Counter(c for node, c in community.items() if G.nodes[node]["kind"] == "entity")
    result = []
    for cid, group in enumerate(groups):
        named = Counter(e for p in group for e in G[p] if G.nodes[e]["kind"] == "entity")
        score = {e: c / len(group) * math.log(n / G.nodes[e]["paper_count"]) for e, c in named.items()}
        top = tuple(sorted(named, key=lambda e: (-score[e], -named[e], e))[:TOP_SIZE])
        label = " / ".join(G.nodes[e]["label"] for e in top[:LABEL_SIZE]) or "(no entities)"
        result.append(Community(id=cid, size=len(group), entities=members[cid], label=label, top=top))
    return tuple(result)


def pagerank(G: nx.Graph, damping: float = DAMPING) -> dict[str, float]:
    """Unweighted PageRank of every node, rounded to 8 significant digits."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    try:
        import igraph

        values = igraph.Graph(n=len(nodes), edges=edges).pagerank(damping=damping, directed=False)
    except ImportError:
        values = _pagerank_numpy(len(nodes), edges, damping)
    return {node: float(f"{value:.8g}") for node, value in zip(nodes, values)}


def _pagerank_numpy(n: int, edges: list[tuple[int, int]], damping: float,
                    tol: float = 1e-12, max_iter: int = 1000) -> list[float]:
    """Power iteration; a node without edges spreads its rank over every node."""
    if n == 0:
        return []
    src = np.array([u for u, v in edges] + [v for u, v in edges], dtype=np.int64)
    dst = np.array([v for u, v in edges] + [u for u, v in edges], dtype=np.int64)
    out = np.bincount(src, minlength=n).astype(np.float64)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.divide(rank, out, out=np.zeros(n), where=out > 0)
        new = damping * np.bincount(dst, weights=share[src], minlength=n)
        new += (1 - damping * rank[out > 0].sum()) / n   # teleport + dangling rank
        done = np.abs(new - rank).sum() < tol
        rank = new
        if done:
            break
    return rank.tolist()


def month(date: str | None) -> str | None:
    """``YYYY-MM`` of a dated paper, ``--MM`` of a year-less one, else None."""
    if date and date[:4].isdigit() and len(date) >= 7:
        return date[:7]
    if date and date.startswith("--") and len(date) >= 4:
        return date[:4]
    return None


def entity_trend(G: nx.Graph, entity: str) -> dict[str, int]:
    """An entity's papers per month, months in order; papers without a date are left out."""
    months = Counter(month(G.nodes[p]["date"]) for p in G[entity] if G.nodes[p]["kind"] == "paper")
    months.pop(None, None)
    return dict(sorted(months.items()))


def entity_trends(G: nx.Graph) -> dict[str, dict[str, int]]:
    """``entity_trend`` of every entity."""
    return {entity: entity_trend(G, entity) for entity in entities_of(G)}


# -- text for `kgraph stats` and `kgraph show` ---------------------------------------

def _analysis(G: nx.Graph) -> Analysis:
    """The analysis stored on ``G`` by analyse_graph, or a fresh one."""
    if "communities" in G.graph and all("community" in d for _, d in G.nodes(data=True)):
        return Analysis(community=dict(G.nodes(data="community")), pagerank=dict(G.nodes(data="pagerank")),
                        degree=dict(G.nodes(data="degree")),
                        communities=tuple(Community(**c) for c in G.graph["communities"]))
    return analyse(G)


def format_stats(G: nx.Graph, top: int = 10) -> str:
    """Papers, entities per type, top entities, communities and the most connected papers."""
    a = _analysis(G)
    papers, entities = papers_of(G), entities_of(G)
    lines = [f"papers: {len(papers)}"]
    months = Counter(month(G.nodes[p]["date"]) for p in papers)
    months.pop(None, None)
    if months:
        lines.append("papers by month: " + ", ".join(f"{m} {c}" for m, c in sorted(months.items())))
    by_type = defaultdict(list)
    for e in entities:
        by_type[G.nodes[e]["type"]].append(e)
    order = [t for t in TYPES if t in by_type] + sorted(set(by_type) - set(TYPES))
    lines.append(f"entities: {len(entities)}" + (" (" + ", ".join(f"{t} {len(by_type[t])}" for t in order) + ")"
                                                  if order else ""))
    kinds = Counter(k for *_, k, _ in _edges(G))
    lines.append(f"links: {kinds['related']} related papers (top_k {G.graph.get('top_k')}, min_weight "
                 f"{G.graph.get('min_weight')}), {kinds['mentions']} mentions, {kinds['cooccurs']} co-occurrences")
    if order:
        lines += ["", "top entities (papers):"]
        for t in order:
            best = sorted(by_type[t], key=lambda e: (-G.nodes[e]["paper_count"], e))[:top]
            lines.append(f"  {t}: " + ", ".join(f"{G.nodes[e]['label']} ({G.nodes[e]['paper_count']})" for e in best))
    if a.communities:
        shown = f" (the largest {top})" if len(a.communities) > top else ""
        lines += ["", f"communities: {len(a.communities)}{shown}"]
        for c in a.communities[:top]:
            lines.append(f"  {c.id}: {c.size} papers, {c.entities} entities - {c.label}")
    if papers:
        lines += ["", "most connected papers (links, degree):"]
        related = Counter(n for u, v, k, _ in _edges(G) if k == "related" for n in (u, v))
        best = sorted(papers, key=lambda p: (-related[p], -a.degree[p], -a.pagerank[p], p))[:top]
        for p in best:
            lines.append(f"  {_title(G, p)} [{p}]: {related[p]} related, degree {a.degree[p]}")
    return "\n".join(lines) + "\n"


def format_show(G: nx.Graph, name: str) -> str:
    """One entity or paper, found by name, alias, title or id, and why it links."""
    found = find_nodes(G, name)
    node = found[0]
    text = _show_entity(G, node) if G.nodes[node]["kind"] == "entity" else _show_paper(G, node)
    if len(found) > 1:
        text += "\nalso matches: " + "; ".join(f"{G.nodes[n]['label']} [{n}]" for n in found[1:]) + "\n"
    return text


def _show_entity(G, node) -> str:
    d, a = G.nodes[node], _analysis(G)
    lines = [f"{d['label']} [{node}]", f"type: {d['type']}"]
    if d["aliases"]:
        lines.append("aliases: " + ", ".join(d["aliases"]))
    seen = f" (first seen {d['first_seen']}, last seen {d['last_seen']})" if d["first_seen"] else ""
    lines.append(f"papers: {d['paper_count']}{seen}; community {a.community[node]}")
    if d.get("wikidata"):
        lines.append(f"wikidata: {d['wikidata']}")
    trend = entity_trend(G, node)
    if trend:
        lines.append("papers by month: " + ", ".join(f"{m} {c}" for m, c in trend.items()))
    by_role = defaultdict(list)
    for _, p, e in G.edges(node, data=True):
        if e["kind"] == "mentions":
            by_role[e["role"]].append(p)
    for role in ROLES:
        if by_role[role]:
            lines.append(f"{role} ({len(by_role[role])}):")
            papers = sorted(by_role[role], key=lambda p: (_title(G, p), p))
            lines += [f"  - {_title(G, p)} [{p}]" for p in papers[:SHOW_PAPERS]]
            if len(papers) > SHOW_PAPERS:
                lines.append(f"  ... and {len(papers) - SHOW_PAPERS} more")
    co = sorted(((e["strength"], e["count"], other) for _, other, e in G.edges(node, data=True)
                 if e["kind"] == "cooccurs"), key=lambda x: (-x[0], -x[1], x[2]))
    lines.append("co-occurs with (association strength, papers):" if co
                 else "co-occurs with: nothing named together with it in 2 or more papers")
    lines += [f"  - {G.nodes[o]['label']} [{o}]: strength {s:.2f}, {c} papers" for s, c, o in co[:10]]
    return "\n".join(lines) + "\n"


def _show_paper(G, node) -> str:
    d, a = G.nodes[node], _analysis(G)
    lines = [f"{d['title']} [{node}]"]
    lines.append("; ".join(x for x in (d.get("date") and f"date {d['date']}", d.get("url"),
                                       f"community {a.community[node]}") if x))
    by_role = defaultdict(list)
    for _, e, data in G.edges(node, data=True):
        if data["kind"] == "mentions":
            by_role[data["role"]].append(e)
    lines.append("entities:" if by_role else "entities: none")
    for role in ROLES:
        if by_role[role]:
            names = sorted(by_role[role], key=lambda e: (G.nodes[e]["label"].casefold(), e))
            lines.append(f"  {role}: " + ", ".join(f"{G.nodes[e]['label']} ({G.nodes[e]['type']})" for e in names))
    near = sorted(((data["weight"], other, data["shared"]) for _, other, data in G.edges(node, data=True)
                   if data["kind"] == "related"), key=lambda x: (-x[0], x[1]))
    lines.append("nearest papers (weight; shared entities, strongest first):" if near else "nearest papers: none")
    for weight, other, shared in near:
        lines.append(f"  - {_title(G, other)} [{other}]: {weight:.3f}")
        lines.append("      shared: " + ", ".join(G.nodes[e]["label"] for e in shared))
    return "\n".join(lines) + "\n"


def _title(G, node) -> str:
    return G.nodes[node]["label"]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def find_nodes(G: nx.Graph, name: str) -> list[str]:
    """Nodes matching ``name`` case-insensitively, best first.

    An id match beats a label or title match, which beats an alias; among equals the
    node with more edges comes first. Raises NotFoundError with suggestions if none.
    """
    query = _norm(name)
    levels: dict[str, int] = {}
    keys: dict[str, str] = {}   # normalised name -> a node it names, for suggestions
    for node, d in G.nodes(data=True):
        names = [(0, node), (1, d["label"])] + [(2, alias) for alias in d.get("aliases", ())]
        if d["kind"] == "paper":
            names.append((0, node.removeprefix("paper:")))
        for level, text in names:
            key = _norm(text)
            keys.setdefault(key, node)
            if key == query:
                levels[node] = min(level, levels.get(node, level))
    if levels:
        best = min(levels.values())
        return sorted((n for n, lv in levels.items() if lv == best), key=lambda n: (-G.degree(n), n))
    hits = [keys[k] for k in sorted(keys) if query and query in k]
    hits += [keys[k] for k in difflib.get_close_matches(query, list(keys), n=5, cutoff=0.6)]
    labels = list(dict.fromkeys(G.nodes[n]["label"] for n in hits))[:5]
    hint = f"; did you mean: {'; '.join(labels)}?" if labels else ""
    raise NotFoundError(f"no entity or paper is named {name!r} (searched names, aliases, titles and ids){hint}")
