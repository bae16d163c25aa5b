"""How the graph looks when it opens: colours by entity type, node sizes, a layout.

The layout is computed by kgraph so that GraphML and GEXF open already laid out, and it
is deterministic (same graph, same coordinates):

- under :data:`SMALL_GRAPH` nodes, networkx ``spring_layout(seed=42)``;
- from there on, igraph's grid-based Fruchterman-Reingold (C code, close to linear per
  iteration) with igraph's random numbers drawn from ``random.Random(42)`` for the call;
  a 100,000-node graph takes seconds.

Coordinates are scaled to a square of half-width ``10 * sqrt(n) + 100`` so that nodes of
the sizes below do not all overlap in Gephi.
"""
from __future__ import annotations

import math
import random

#: (r, g, b) per entity type (Tableau 10); papers have their own colour.
TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    "MODEL": (31, 119, 180),
    "METHOD": (255, 127, 14),
    "DATASET": (44, 160, 44),
    "BENCHMARK": (214, 39, 40),
    "HARDWARE": (140, 86, 75),
    "TASK": (148, 103, 189),
    "METRIC": (188, 189, 34),
    "SOFTWARE": (23, 190, 207),
}
PAPER_COLOUR: tuple[int, int, int] = (82, 82, 82)
OTHER_COLOUR: tuple[int, int, int] = (199, 199, 199)

SMALL_GRAPH = 500
SEED = 42
LARGE_ITERATIONS = 100


def node_colour(data: dict) -> tuple[int, int, int]:
    if data.get("kind") == "paper":
        return PAPER_COLOUR
    return TYPE_COLOURS.get(str(data.get("type", "")).upper(), OTHER_COLOUR)


def node_size(degree: int) -> float:
    """Grows with the square root of the degree: 5 for a leaf, ~35 for a 100-edge hub."""
    return round(2.0 + 3.0 * math.sqrt(max(degree, 0) + 1), 2)


def _weight(data: dict) -> float:
    try:
        weight = float(data.get("weight", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return weight if math.isfinite(weight) and weight > 0 else 1.0


def layout_positions(G, seed: int = SEED) -> dict:
    """Deterministic 2-D positions ``{node: (x, y)}`` for every node of ``G``."""
    nodes = list(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v], _weight(d)) for u, v, d in G.edges(data=True) if u != v]
    coords = _small_layout(n, edges, seed) if n < SMALL_GRAPH else _large_layout(n, edges, seed)
    return dict(zip(nodes, _rescale(coords, 10.0 * math.sqrt(n) + 100.0)))


def _small_layout(n: int, edges, seed: int) -> list[tuple[float, float]]:
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_weighted_edges_from(edges)
    pos = nx.spring_layout(H, seed=seed, weight="weight", method="force")
    return [(float(pos[i][0]), float(pos[i][1])) for i in range(n)]


def _large_layout(n: int, edges, seed: int) -> list[tuple[float, float]]:
    import igraph

    g = igraph.Graph(n=n, edges=[(u, v) for u, v, _ in edges])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        layout = g.layout_fruchterman_reingold(
            weights=[w for _, _, w in edges] or None, niter=LARGE_ITERATIONS, grid="grid")
    finally:
        igraph.set_random_number_generator(random)  # igraph's default
    return [(float(x), float(y)) for x, y in layout.coords]


def _rescale(coords, half_width: float) -> list[tuple[float, float]]:
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    k = half_width / span
    return [(round((x - cx) * k, 2) + 0.0, round((y - cy) * k, 2) + 0.0) for x, y in coords]
