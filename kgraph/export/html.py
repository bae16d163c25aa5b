"""An interactive HTML view of the graph: one self-contained page that works offline.

``to_html(G)`` builds the page as text and ``write_html(G, dest)`` writes it atomically.
The page is our own small template (``html_template.html``, ``view.css``, ``view.js``)
with the vis-network bundled in pyvis inlined, and the graph as JSON in a
``<script type="application/json">`` block. Nothing loads from another host. pyvis
provides the vis-network asset and the physics, stabilisation and interaction options
(its ``Network``); its own template would pull Bootstrap and vis from CDNs.

* Nodes are coloured by entity type (papers grey), sized by paper count (entities)
  or degree (papers). A legend doubles as type filters. There is a search box (names
  and aliases), a community filter where the graph has communities, and a side panel
  with a node's details. Every string from the graph reaches the page as JSON and
  is put on it with ``textContent``, never as HTML.
* Layout: node ``x``/``y`` attributes where every node has them, else a seeded
  force-directed layout computed here (networkx's spring_layout needs scipy past
  500 nodes, and its ForceAtlas2 takes a minute for 2,000). Graphs of up to
  ``PHYSICS_MAX_NODES`` nodes then settle in the browser with a short physics run
  that switches itself off; larger ones are drawn as laid out.
* Graphs with more than ``max_nodes`` nodes (default ``MAX_NODES``, or all of them for
  a graph within ``WHOLE_MAX_NODES`` and ``WHOLE_MAX_EDGES``) are cut to their
  best-ranked nodes (PageRank, else degree); the page says how many it left out
  and how to narrow the build.

The same graph always gives the same bytes, whatever order its nodes were added in.

``python -m kgraph.export.html screenshot PAGE PNG`` photographs a written page in
headless Chromium (Playwright with the system browser).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import numpy as np

from kgraph.atomic import atomic_output
from kgraph.errors import ConfigError, ExportError
from kgraph.model import TYPES

#: Most nodes drawn by default. Measured in headless Chromium (software canvas, 2 CPUs)
#: on synthetic corpora of about 9 links per node: a redraw of the whole graph takes
#: about 40 ms at 2,000 nodes, 45-80 ms at 2,500 and 150-180 ms at 3,000 (stutter);
#: the page is ready in 3-4 s. Edges cost most: the default corpus's 2,928 nodes
#: and 7,399 links redraw in 35 ms.
MAX_NODES = 2000
#: A graph within both of these is drawn whole even past MAX_NODES: edges cost most,
#: and 2,000 nodes with 17,600 edges redraw in about 40 ms.
WHOLE_MAX_NODES = 3000
WHOLE_MAX_EDGES = 17_500
#: Up to this many nodes the browser runs a short physics pass, then stops it
#: (150 iterations: 2.5 s for 300 nodes, 6.5 s for 1,000).
PHYSICS_MAX_NODES = 300
STABILISATION_ITERATIONS = 150
SEED = 42
LAYOUT_ITERATIONS = 60
REPULSION = 0.05        # force_layout's constants, tuned by eye on the default corpus
GRAVITY = 1.0
#: Room per node in pixels: each gets about SPACING x SPACING of the laid-out area
#: (so at the starting zoom about a hundred nodes are in view, with readable labels).
SPACING = 100

PAPER = "PAPER"
#: One colour per type (Okabe-Ito where it has enough), papers a neutral grey.
COLOURS: dict[str, str] = {
    PAPER: "#8a8f98", "MODEL": "#e69f00", "METHOD": "#56b4e9", "DATASET": "#009e73",
    "BENCHMARK": "#cc79a7", "HARDWARE": "#d55e00", "TASK": "#0072b2", "METRIC": "#b8a600",
    "SOFTWARE": "#8c564b",
}
OTHER_COLOUR = "#555555"
EDGE_KINDS = ("mentions", "related", "cooccurs")

LABEL_CHARS = 40        # longest entity label drawn on the canvas; the panel shows it all
PAPER_LABEL_CHARS = 32  # papers have long titles and are many: shorter labels
ABSTRACT_CHARS = 600
AUTHORS_SHOWN = 8
NEIGHBOURS_SHOWN = 40   # entities listed for a paper, papers for an entity
ALIASES_SHOWN = 25

_SLOT = re.compile(r"/\*KG:(\w+)\*/")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write_html(G: nx.Graph, dest: str | os.PathLike | BinaryIO, *, max_nodes: int | None = None) -> Path:
    """Write the page for ``G`` to ``dest`` (a path, written atomically, or a binary file).

    Returns the path written (for a file object, its ``name``, if it has one).
    """
    # "replace": a lone surrogate (which no reader produces, but a caller might) must
    # not stop the page from being written.
    page = to_html(G, max_nodes=max_nodes).encode("utf-8", errors="replace")
    with atomic_output(dest) as fh:
        fh.write(page)
    return Path(getattr(dest, "name", "") or "") if hasattr(dest, "write") else Path(dest)


def to_html(G: nx.Graph, *, max_nodes: int | None = None) -> str:
    """The page for ``G`` as text; ``G`` is not changed."""
    view = view_data(G, max_nodes=max_nodes)
    title = (f"kgraph: {view['counts']['papers']:,} papers, {view['counts']['entities']:,} entities"
             + (f" (showing {view['shown']:,} of {view['total']:,} nodes)" if view["notice"] else ""))
    slots = {
        "TITLE": _html_text(title),
        "CSS": _asset("view.css"),
        "VIS": _vis_network_js(),
        "DATA": json_for_script(view),
        "JS": _asset("view.js"),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("html_template.html"))


# -- the data the page draws ----------------------------------------------------------

def view_data(G: nx.Graph, *, max_nodes: int | None = None) -> dict:
    """Everything the page shows, as plain JSON-ready values (see view.js)."""
    if max_nodes is None:
        light = G.number_of_nodes() <= WHOLE_MAX_NODES and G.number_of_edges() <= WHOLE_MAX_EDGES
        max_nodes = max(1, G.number_of_nodes()) if light else MAX_NODES
    if max_nodes < 1:
        raise ConfigError(f"max_nodes must be at least 1, not {max_nodes}")
    _check_schema(G)
    keep = select_nodes(G, max_nodes)
    index = {node: i for i, node in enumerate(keep)}
    edges = sorted((min(index[u], index[v]), max(index[u], index[v]), _edge_kind(d), _edge_width(d))
                   for u, v, d in G.subgraph(keep).edges(data=True))
    xy = layout(G, keep, [(i, j) for i, j, _, _ in edges])
    kinds = [_kind(G, node) for node in keep]
    types = [t for t in (PAPER, *TYPES) if t in kinds] + sorted(set(kinds) - {PAPER, *TYPES})
    communities = [c for c in G.graph.get("communities") or () if isinstance(c, dict) and "id" in c]
    physics = 0 < len(keep) <= PHYSICS_MAX_NODES
    return {
        "counts": {"papers": sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "paper"),
                   "entities": sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "entity")},
        "shown": len(keep), "total": G.number_of_nodes(),
        "shown_edges": len(edges), "total_edges": G.number_of_edges(),
        "notice": truncation_notice(G, len(keep)) if len(keep) < G.number_of_nodes() else None,
        "types": [{"type": t, "color": COLOURS.get(t, OTHER_COLOUR), "shown": kinds.count(t),
                   "label": "Paper" if t == PAPER else t.title()} for t in types],
        "edge_kinds": list(EDGE_KINDS),
        "communities": [{"id": int(c["id"]), "label": str(c.get("label") or f"community {c['id']}"),
                         "size": int(c.get("size") or 0)} for c in communities],
        "focus": str(keep[0]) if keep else None,
        "options": vis_options(physics=physics, n=len(keep)),
        "nodes": [_node_view(G, node, pos) for node, pos in zip(keep, xy)],
        "edges": [list(e) for e in edges],
    }


def _check_schema(G: nx.Graph) -> None:
    for node, data in G.nodes(data=True):
        if data.get("kind") not in ("paper", "entity"):
            raise ExportError(f"node {node!r} has kind {data.get('kind')!r}, not 'paper' or 'entity'; "
                              "the HTML view expects a graph from kgraph.build (see its docstring)")


def _kind(G: nx.Graph, node) -> str:
    data = G.nodes[node]
    return PAPER if data["kind"] == "paper" else str(data.get("type") or "ENTITY")


def _rank_key(G: nx.Graph, node) -> tuple:
    data = G.nodes[node]
    pagerank = data.get("pagerank")
    return (-(pagerank if isinstance(pagerank, (int, float)) else 0.0), -G.degree(node), str(node))


def select_nodes(G: nx.Graph, max_nodes: int) -> list:
    """The nodes to draw, best-ranked first: all of them, or the top ``max_nodes``."""
    return sorted(G, key=lambda node: _rank_key(G, node))[:max_nodes]


def truncation_notice(G: nx.Graph, shown: int) -> str:
    """What the page says when it leaves nodes out, and how to get the rest."""
    total = G.number_of_nodes()
    papers = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "paper")
    counts = sorted(d.get("paper_count") or 0 for _, d in G.nodes(data=True) if d.get("kind") == "entity")
    hint = "run `kgraph build --types DATASET,BENCHMARK` (a few entity types)"
    for m in range(2, 11):
        left = papers + sum(1 for c in counts if c >= m)
        if left <= shown:
            hint += f" or `--min-papers {m}` (about {left:,} nodes)"
            break
    return (f"Showing {shown:,} of {total:,} nodes, the most connected (by PageRank). "
            f"To see the rest, {hint} to focus the graph, or write the page with a larger "
            f"max_nodes; the GraphML and GEXF exports hold the whole graph.")


def _node_view(G: nx.Graph, node, xy: tuple[float, float]) -> dict:
    data = G.nodes[node]
    kind = _kind(G, node)
    label = _text(data.get("label") if kind != PAPER else data.get("title") or data.get("label")) or str(node)
    short = _shorten(label, PAPER_LABEL_CHARS if kind == PAPER else LABEL_CHARS)
    view = {"id": str(node), "type": kind, "label": label, "short": short, "x": xy[0], "y": xy[1]}
    if isinstance(data.get("community"), int):
        view["community"] = data["community"]
    if kind == PAPER:
        degree = G.degree(node)
        view.update(size=_paper_size(degree), date=_text(data.get("date")), url=_web_url(data.get("url")),
                    abstract=_shorten(_text(data.get("abstract")), ABSTRACT_CHARS),
                    authors=[_text(a) for a in tuple(data.get("authors") or ())[:AUTHORS_SHOWN]],
                    authors_total=len(tuple(data.get("authors") or ())))
        ents = sorted((n for n in G[node] if G.nodes[n].get("kind") == "entity"),
                      key=lambda n: (_kind(G, n), _text(G.nodes[n].get("label")).casefold(), str(n)))
        view["links"] = [[str(n), _text(G.nodes[n].get("label")) or str(n), _kind(G, n)]
                         for n in ents[:NEIGHBOURS_SHOWN]]
        view["links_total"] = len(ents)
    else:
        count = data.get("paper_count")
        count = count if isinstance(count, int) else sum(1 for n in G[node] if G.nodes[n].get("kind") == "paper")
        aliases = [_text(a) for a in tuple(data.get("aliases") or ())]
        view.update(size=_size(count), paper_count=count, aliases=aliases[:ALIASES_SHOWN],
                    aliases_total=len(aliases), first_seen=_text(data.get("first_seen")),
                    last_seen=_text(data.get("last_seen")), wikidata=_wikidata(data.get("wikidata")))
        papers = sorted((n for n in G[node] if G.nodes[n].get("kind") == "paper"),
                        key=lambda n: (_text(G.nodes[n].get("date")), str(n)), reverse=True)
        view["links"] = [[str(n), _text(G.nodes[n].get("title") or G.nodes[n].get("label")) or str(n), PAPER]
                         for n in papers[:NEIGHBOURS_SHOWN]]
        view["links_total"] = len(papers)
    return {k: v for k, v in view.items() if v not in (None, "", [])}


def _size(value: int) -> float:
    return round(min(10 + 4 * math.sqrt(max(value, 1) - 1), 48), 1)


def _paper_size(degree: int) -> float:
    return round(min(7 + 1.5 * math.sqrt(degree), 20), 1)


def _edge_kind(data: dict) -> int:
    kind = data.get("kind")
    return EDGE_KINDS.index(kind) if kind in EDGE_KINDS else 0


def _edge_width(data: dict) -> float:
    weight = data.get("count") if data.get("kind") == "cooccurs" else data.get("weight")
    weight = weight if isinstance(weight, (int, float)) and weight > 0 else 1.0
    return round(min(1 + math.log1p(weight) / 2, 4), 2) if data.get("kind") != "mentions" else 1


def _text(value) -> str:
    return "" if value is None else str(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _web_url(url) -> str | None:
    """Only http(s) links become links; anything else (javascript:, data:) is dropped."""
    url = _text(url).strip()
    return url if re.match(r"https?://[^\s]+$", url, re.IGNORECASE) else None


def _wikidata(qid) -> str | None:
    qid = _text(qid).strip()
    return qid if re.fullmatch(r"Q\d+", qid) else None


# -- layout -------------------------------------------------------------------------------

def layout(G: nx.Graph, nodes: list, edges: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Positions in page pixels of ``nodes`` (``edges`` join their indices).

    The nodes' own ``x``/``y`` where every one has finite numbers there, else
    ``force_layout``; either way centred and scaled to ``SPACING``.
    """
    if not nodes:
        return []
    given = [(G.nodes[n].get("x"), G.nodes[n].get("y")) for n in nodes]
    if all(_finite(x) and _finite(y) for x, y in given):
        xy = np.array(given, dtype=np.float64)
    else:
        xy = force_layout(len(nodes), edges, seed=SEED)
    xy = xy - xy.mean(axis=0)
    xy *= SPACING / (_spread(xy) or 1.0)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in xy]


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _spread(xy: np.ndarray) -> float:
    """Side of the square each node gets of the disc that holds 90% of them (0 for a point)."""
    radius = float(np.quantile(np.hypot(xy[:, 0], xy[:, 1]), 0.9)) if len(xy) > 1 else 0.0
    return math.sqrt(math.pi * radius * radius / max(0.9 * len(xy), 1.0))


def force_layout(n: int, edges: list[tuple[int, int]], *, iterations: int = LAYOUT_ITERATIONS,
                 seed: int = SEED) -> np.ndarray:
    """Force-directed positions (n x 2) around the origin, the same for the same input.

    The forces are ForceAtlas2's: repulsion between all pairs grows with both degrees
    (so hubs push apart and their leaves gather round them), attraction along edges
    grows linearly with length, and gravity, growing with the distance from the centre
    ("strong gravity"), keeps small components and lone nodes near the rest.
    Each step moves a node a cooling distance along its force, as Fruchterman-Reingold
    does. All pairs are computed (float32, O(n^2) per step): about 2.5 s for 2,000 nodes.
    """
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    x, y = rng.random((2, n)).astype(np.float32) - np.float32(0.5)
    src = np.array([u for u, _ in edges], dtype=np.intp)
    dst = np.array([v for _, v in edges], dtype=np.intp)
    mass = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n) + 1).astype(np.float32)
    repulsion = np.float32(REPULSION / n)
    temperature, cooling = 0.1, 0.1 / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        w = dx * dx
        w += dy * dy
        np.maximum(w, np.float32(1e-6), out=w)
        np.divide(repulsion, w, out=w)
        w *= mass[None, :]
        fx, fy = (dx * w).sum(axis=1) * mass, (dy * w).sum(axis=1) * mass
        ex, ey = x[src] - x[dst], y[src] - y[dst]
        fx -= np.bincount(src, ex, n) - np.bincount(dst, ex, n)
        fy -= np.bincount(src, ey, n) - np.bincount(dst, ey, n)
        fx -= GRAVITY * mass * x
        fy -= GRAVITY * mass * y
        step = temperature / np.maximum(np.sqrt(fx * fx + fy * fy), np.float32(1e-9))
        x += (fx * step).astype(np.float32)
        y += (fy * step).astype(np.float32)
        temperature -= cooling
    return np.stack([x, y], axis=1).astype(np.float64)


# -- vis-network options, via pyvis -----------------------------------------------------

def vis_options(*, physics: bool, n: int) -> dict:
    """vis-network options: pyvis's Network sets physics, stabilisation and interaction."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    # ForceAtlas2, like force_layout, so the browser polishes the layout rather than redoing it
    net.force_atlas_2based(gravity=-50, central_gravity=0.01, spring_length=100, spring_strength=0.08,
                           damping=0.4, overlap=0.2)
    net.toggle_physics(physics)
    net.toggle_stabilization(physics)
    net.toggle_hide_edges_on_drag(n > PHYSICS_MAX_NODES)
    net.inherit_edge_colors(False)
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"].update(iterations=STABILISATION_ITERATIONS, updateInterval=25, fit=False)
    options["physics"]["minVelocity"] = 1.0
    options["edges"]["smooth"] = False
    options["interaction"].update(hover=True, tooltipDelay=150, hideEdgesOnZoom=n > PHYSICS_MAX_NODES,
                                  keyboard={"enabled": True, "bindToWindow": False}, multiselect=False)
    options["layout"] = {"improvedLayout": False, "randomSeed": SEED}
    options["nodes"] = {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif",
                                                                   "strokeWidth": 3, "strokeColor": "#ffffff"}}
    return options


# -- assets and escaping -------------------------------------------------------------------

def _asset(name: str) -> str:
    return resources.files("kgraph.export").joinpath(name).read_text(encoding="utf-8")


def _vis_network_js() -> str:
    """The vis-network build shipped inside pyvis (newest version there)."""
    lib = resources.files("pyvis").joinpath("templates", "lib")
    builds = [p.joinpath("vis-network.min.js") for p in lib.iterdir() if p.name.startswith("vis-")]
    builds = sorted((b for b in builds if b.is_file()),
                    key=lambda b: tuple(int(part) for part in re.findall(r"\d+", b.parent.name)))
    if not builds:
        raise ExportError("pyvis has no bundled vis-network.min.js; reinstall pyvis (pip install 'pyvis>=0.3.2')")
    return _script_safe(builds[-1].read_text(encoding="utf-8"))


def _script_safe(js: str) -> str:
    """Code that cannot end its <script> element early."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def json_for_script(value) -> str:
    """JSON that is safe inside <script>: no <, > or & (so no </script> or <!--), sorted keys."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- screenshots ---------------------------------------------------------------------------

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def find_browser() -> str | None:
    """A Chromium on this machine: $KGRAPH_CHROMIUM, else chromium / chromium-browser / google-chrome."""
    for candidate in (os.environ.get("KGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    return None


def screenshot(page: str | os.PathLike, png: str | os.PathLike, *, width: int = 1400, height: int = 900,
               timeout_s: float = 120) -> Path:
    """Open ``page`` offline in headless Chromium, wait until it has settled, save ``png``."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise ExportError("screenshots need Playwright: pip install 'kgraph[test]'") from err
    browser_path = find_browser()
    if browser_path is None:
        raise ExportError("no Chromium found; install one (apt-get install chromium) or set KGRAPH_CHROMIUM")
    page_path, png = Path(page).resolve(), Path(png)
    if not page_path.is_file():
        raise ExportError(f"{page}: no such page; write it first (kgraph build --formats html)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else route.abort())
            tab.goto(page_path.as_uri())
            tab.wait_for_selector("body[data-ready='1']", timeout=timeout_s * 1000)
            shot = tab.screenshot()
            with atomic_output(png) as fh:
                fh.write(shot)
        finally:
            browser.close()
    return png


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] != "screenshot":
        print("usage: python -m kgraph.export.html screenshot PAGE.html OUT.png\n"
              "  e.g. python -m kgraph.export.html screenshot exports/graph.html exports/screenshot.png",
              file=sys.stderr)
        return 2
    try:
        print(f"wrote {screenshot(argv[1], argv[2])}")
    except ExportError as err:
        print(f"kgraph: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
