"""The interactive HTML view: the page as text, then the page in a real browser.

Browser tests drive the system Chromium headless through Playwright, with every request
that is not file: or data: blocked (and recorded). They are marked ``browser`` and
skipped when no Chromium is installed, unless KGRAPH_REQUIRE_BROWSER=1.
"""
from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import networkx as nx
import pytest

from kgraph.errors import ConfigError, ExportError
from kgraph.export.html import (BROWSER_ARGS, PHYSICS_MAX_NODES, find_browser, json_for_script, to_html,
                                view_data, write_html)

HOSTILE_TITLE = ('</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
                 '<!-- Pwn & "friends" -->')
HOSTILE_ALIAS = "<img src=y onerror=window.__pwned=3>"
PAYLOAD_MARKS = ("<script>window.__pwned", "<img src=x", "<img src=y", "<!-- Pwn")


def paper(G, pid, title, *, date="2024-05-01", community=0, pagerank=0.05, abstract="An abstract.",
          url=None, authors=("A. Author",)):
    G.add_node(f"paper:{pid}", kind="paper", label=title, title=title, abstract=abstract, date=date,
               url=url, authors=tuple(authors), sources=(f"papers.jsonl:{pid}",), categories=("cs.CL",),
               community=community, pagerank=pagerank, degree=0)


def entity(G, eid, name, aliases=(), *, papers=1, community=0, pagerank=0.02):
    G.add_node(eid, kind="entity", label=name, type=eid.split("/")[0], aliases=tuple(aliases),
               paper_count=papers, first_seen="2024-01-01", last_seen="2024-05-01", wikidata=None,
               community=community, pagerank=pagerank, degree=0)


def mentions(G, p, e, role="uses"):
    G.add_edge(f"paper:{p}", e, kind="mentions", role=role, mention_count=1, in_title=False, weight=0.75)


def small_graph() -> nx.Graph:
    """Four papers (one with a hostile title), six entities, two communities."""
    G = nx.Graph(top_k=10, min_weight=0.5, max_df=50)
    paper(G, "2401.00001", "Scaling vision transformers on ImageNet", url="https://arxiv.org/abs/2401.00001",
          pagerank=0.12)
    paper(G, "2401.00002", "A benchmark for reading comprehension", community=1, pagerank=0.08,
          authors=("B. One", "C. Two"))
    paper(G, "2401.00003", "Detection with transformers", url="https://arxiv.org/abs/2401.00003", pagerank=0.07)
    paper(G, "2401.00004", HOSTILE_TITLE, community=1, url="javascript:window.__pwned=4",
          abstract="<b>bold</b> & <script>window.__pwned=5</script>", authors=("<i>Mallory</i>",))
    entity(G, "DATASET/imagenet-1k", "ImageNet-1K", ("ILSVRC-2012", "ImageNet"), papers=2, pagerank=0.1)
    entity(G, "DATASET/squad", "SQuAD", ("Stanford Question Answering Dataset",), community=1)
    entity(G, "MODEL/vision-transformer", "Vision Transformer", ("ViT",), papers=2)
    entity(G, "METRIC/top-1-accuracy", "top-1 accuracy")
    entity(G, "BENCHMARK/glue", "GLUE", community=1)
    entity(G, "METHOD/evil", "Evil <b>method</b>", (HOSTILE_ALIAS,), papers=2, community=1)
    mentions(G, "2401.00001", "DATASET/imagenet-1k", "evaluates_on")
    mentions(G, "2401.00001", "MODEL/vision-transformer", "proposes")
    mentions(G, "2401.00001", "METRIC/top-1-accuracy")
    mentions(G, "2401.00002", "DATASET/squad")
    mentions(G, "2401.00002", "BENCHMARK/glue", "evaluates_on")
    mentions(G, "2401.00002", "METHOD/evil")
    mentions(G, "2401.00003", "MODEL/vision-transformer")
    mentions(G, "2401.00003", "DATASET/imagenet-1k")
    mentions(G, "2401.00004", "METHOD/evil", "proposes")
    G.add_edge("paper:2401.00001", "paper:2401.00003", kind="related", weight=1.4,
               shared=("DATASET/imagenet-1k", "MODEL/vision-transformer"))
    G.add_edge("DATASET/imagenet-1k", "MODEL/vision-transformer", kind="cooccurs", count=2, strength=1.5, weight=2.0)
    for node in G:
        G.nodes[node]["degree"] = G.degree(node)
    G.graph["communities"] = [
        {"id": 0, "size": 2, "entities": 3, "label": "ImageNet-1K / Vision Transformer", "top": ()},
        {"id": 1, "size": 2, "entities": 3, "label": "GLUE <b>&</b> SQuAD", "top": ()},
    ]
    return G


def star_graph(hubs: int, leaves: int) -> nx.Graph:
    """Papers (hubs) each naming their own ``leaves`` entities: a graph of hubs * (leaves + 1) nodes."""
    G = nx.Graph()
    for h in range(hubs):
        paper(G, f"p{h:03d}", f"Paper {h}", pagerank=1.0 / (h + 2))
        for leaf in range(leaves):
            eid = f"TASK/t-{h:03d}-{leaf:03d}"
            entity(G, eid, f"task {h}.{leaf}", pagerank=0.001)
            mentions(G, f"p{h:03d}", eid)
        if h:
            G.add_edge(f"paper:p{h - 1:03d}", f"paper:p{h:03d}", kind="related", weight=1.0, shared=())
    return G


# -- the page as text ---------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(match.group(1))


def test_page_loads_nothing_from_elsewhere():
    page = to_html(small_graph())
    tags = _tags(page)
    assert [tag for tag, _ in tags if tag == "link"] == []
    assert all("src" not in attrs and "href" not in attrs for _, attrs in tags)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", page, re.IGNORECASE)
    assert "default-src 'none'" in page   # and the browser is told to refuse any request
    assert "vis.Network" in page and "DataSet" in page   # vis-network is inlined


def test_hostile_strings_stay_data():
    page = to_html(small_graph())
    assert [tag for tag, _ in _tags(page) if tag == "script"] == ["script"] * 3   # ours, no more
    assert [tag for tag, _ in _tags(page) if tag in ("img", "b", "i")] == []
    for mark in PAYLOAD_MARKS:
        assert mark not in page
    nodes = {n["id"]: n for n in _data_block(page)["nodes"]}
    hostile = nodes["paper:2401.00004"]
    assert hostile["label"] == HOSTILE_TITLE                  # the text survives, as data
    assert "url" not in hostile                               # javascript: is not a link
    assert hostile["abstract"].startswith("<b>bold</b> &")
    assert nodes["METHOD/evil"]["aliases"] == [HOSTILE_ALIAS]
    assert nodes["paper:2401.00001"]["url"] == "https://arxiv.org/abs/2401.00001"


def test_json_for_script_cannot_end_the_script():
    text = json_for_script({"a": "</script><!-- & \u2028", "</script>": 1})
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028", "</script>": 1}


def test_same_graph_same_bytes_whatever_the_insertion_order():
    G = small_graph()
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    assert to_html(G) == to_html(small_graph()) == to_html(H)
    big = star_graph(20, 20)
    assert to_html(big, max_nodes=300) == to_html(star_graph(20, 20), max_nodes=300)


def test_graph_is_left_alone():
    G = small_graph()
    before = (copy.deepcopy(dict(G.nodes(data=True))), copy.deepcopy(list(G.edges(data=True))), copy.deepcopy(G.graph))
    to_html(G)
    assert (dict(G.nodes(data=True)), list(G.edges(data=True)), G.graph) == before


def test_large_graphs_keep_their_best_ranked_nodes_and_say_so():
    G = star_graph(30, 20)   # 630 nodes
    view = view_data(G, max_nodes=100)
    assert (view["shown"], view["total"]) == (100, 630)
    shown = {n["id"] for n in view["nodes"]}
    assert {f"paper:p{h:03d}" for h in range(30)} <= shown     # papers rank highest here
    assert view["notice"].startswith("Showing 100 of 630 nodes")
    assert "kgraph build --types" in view["notice"] and "max_nodes" in view["notice"]
    page = to_html(G, max_nodes=100)
    assert "showing 100 of 630 nodes" in page                  # the <title> says it too
    assert view_data(small_graph())["notice"] is None


def test_default_cut_depends_on_nodes_and_edges(monkeypatch):
    import kgraph.export.html as html

    G = star_graph(30, 20)   # 630 nodes, 600 edges
    monkeypatch.setattr(html, "MAX_NODES", 100)
    monkeypatch.setattr(html, "WHOLE_MAX_NODES", 700)
    assert view_data(G)["shown"] == 630                        # light enough: drawn whole
    monkeypatch.setattr(html, "WHOLE_MAX_EDGES", 500)
    assert view_data(G)["shown"] == 100                        # too many edges: cut


def test_min_papers_hint_counts_what_it_would_leave():
    G = star_graph(10, 5)
    for h in range(10):
        G.nodes[f"TASK/t-{h:03d}-000"]["paper_count"] = 3
    assert "`--min-papers 2` (about 20 nodes)" in view_data(G, max_nodes=25)["notice"]


def test_node_positions_are_used_when_every_node_has_them():
    G = small_graph()
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(x=float(i), y=0.0)
    xs = {n["id"]: n["x"] for n in view_data(G)["nodes"]}
    order = sorted(G)
    assert [xs[n] for n in order] == sorted(xs.values())
    assert all(n["y"] == 0 for n in view_data(G)["nodes"])


def test_write_html_to_a_path_and_to_a_file(tmp_path):
    G = small_graph()
    dest = tmp_path / "out" / "graph.html"
    assert write_html(G, dest) == dest
    assert dest.read_text(encoding="utf-8") == to_html(G)
    assert dest.stat().st_mode & 0o044 == 0o044 or os.name == "nt"   # others can read the page
    assert [p.name for p in dest.parent.iterdir()] == ["graph.html"]  # no temporary left
    buffer = io.BytesIO()
    write_html(G, buffer)
    assert buffer.getvalue() == dest.read_bytes()


def test_bad_input_is_refused_before_anything_is_written(tmp_path):
    dest = tmp_path / "graph.html"
    dest.write_text("old")
    G = small_graph()
    G.add_node("stray")
    with pytest.raises(ExportError, match="'stray'.*kgraph.build"):
        write_html(G, dest)
    with pytest.raises(ConfigError, match="max_nodes"):
        write_html(small_graph(), dest, max_nodes=0)
    assert dest.read_text() == "old"


def test_empty_graph_gives_a_page():
    view = view_data(nx.Graph())
    assert (view["shown"], view["nodes"], view["edges"]) == (0, [], [])


# -- the page in a browser ---------------------------------------------------------------------

def _need_browser() -> str:
    """The Chromium to drive; skips (or fails, under KGRAPH_REQUIRE_BROWSER=1) without one."""
    required = os.environ.get("KGRAPH_REQUIRE_BROWSER") == "1"
    path = find_browser()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("KGRAPH_REQUIRE_BROWSER=1 but Playwright is not installed (pip install 'kgraph[test]')")
        pytest.skip("Playwright is not installed")
    if path is None:
        if required:
            pytest.fail("KGRAPH_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium installed")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = _need_browser()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One open page, with what it asked for and what it complained about."""

    def __init__(self, browser, html_path):
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.tab = browser.new_page(viewport={"width": 1280, "height": 800})
        self.tab.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.tab.on("pageerror", lambda err: self.errors.append(str(err)))
        self.tab.on("request", self._request)
        self.tab.route("**/*", lambda route: route.continue_() if self._local(route.request.url) else route.abort())
        self.tab.goto(html_path.as_uri())
        self.tab.wait_for_selector("body[data-ready='1']", timeout=60_000)

    @staticmethod
    def _local(url: str) -> bool:
        return url.startswith(("file:", "data:"))

    def _request(self, request):
        if not self._local(request.url):
            self.remote.append(request.url)

    def js(self, expression, arg=None):
        return self.tab.evaluate(expression, arg)

    def drawn(self) -> int:
        return self.js("kgraph.drawnNodeCount()")

    def visible(self) -> set[str]:
        return set(self.js("kgraph.visibleNodeIds()"))

    def node_point(self, node_id):
        """Where a node is on the screen, for the mouse."""
        box = self.tab.locator("#kg-network").bounding_box()
        at = self.js("id => kgraph.network.canvasToDOM(kgraph.network.getPositions([id])[id])", node_id)
        return box["x"] + at["x"], box["y"] + at["y"]

    def search(self, text):
        box = self.tab.locator("#kg-search")
        box.fill("")
        box.type(text)
        return self.tab.locator("#kg-results li").all_inner_texts()

    def pwned(self):
        return self.js("window.__pwned")


@pytest.fixture
def visit(browser, tmp_path):
    opened = []

    def open_page(G, **options):
        path = tmp_path / f"graph-{len(opened)}.html"
        write_html(G, path, **options)
        page = Visit(browser, path)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        assert page.remote == [], f"the page tried to reach {page.remote}"
        assert page.errors == [], f"console errors: {page.errors}"
        assert page.pwned() is None
        page.tab.close()


@pytest.mark.browser
def test_page_draws_every_node_offline_and_settles(visit, tmp_path):
    G = small_graph()
    page = visit(G)
    assert page.drawn() == G.number_of_nodes()
    assert page.js("kgraph.edges.length") == G.number_of_edges()
    assert page.js("kgraph.network.physics.options.enabled") is False    # settled, then stopped
    legend = page.tab.locator("#kg-legend").inner_text()
    for name in ("Paper", "Dataset", "Model", "Metric", "Benchmark", "Method"):
        assert name in legend
    assert page.tab.locator("#kg-notice").is_hidden()
    assert page.tab.locator("#kg-stats").inner_text().startswith("4 papers \u00b7 6 entities")
    shot = tmp_path / "screenshot-test.png"
    page.tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
def test_search_finds_entities_by_name_and_alias(visit):
    page = visit(small_graph())
    assert page.search("imagenet")[0].startswith("ImageNet-1K")
    results = page.search("ILSVRC")
    assert len(results) == 1 and "also called ILSVRC-2012" in results[0]
    page.tab.keyboard.press("Enter")
    page.tab.wait_for_timeout(600)   # the focus animation
    assert page.js("kgraph.network.getSelectedNodes()") == ["DATASET/imagenet-1k"]
    assert page.tab.locator("#kg-panel h2").inner_text() == "ImageNet-1K"
    panel = page.tab.locator("#kg-panel").inner_text()
    assert "ILSVRC-2012" in panel and "Scaling vision transformers on ImageNet" in panel
    faded = page.js("kgraph.nodes.get('BENCHMARK/glue').color.background")
    assert faded != page.js("kgraph.nodes.get('DATASET/imagenet-1k').color.background")   # the rest dims
    assert page.search("vit")[0].startswith("Vision Transformer")
    assert page.search("zzzz") == ["No paper or entity matches"]


@pytest.mark.browser
def test_clicking_a_paper_shows_its_details(visit):
    page = visit(small_graph())
    page.tab.mouse.click(*page.node_point("paper:2401.00001"))
    panel = page.tab.locator("#kg-panel")
    assert panel.locator("h2").inner_text() == "Scaling vision transformers on ImageNet"
    assert panel.locator("a").get_attribute("href") == "https://arxiv.org/abs/2401.00001"
    text = panel.inner_text()
    assert "2024-05-01" in text and "ImageNet-1K" in text and "Vision Transformer" in text
    panel.get_by_role("button", name="ImageNet-1K").click()     # entities link to their node
    assert panel.locator("h2").inner_text() == "ImageNet-1K"
    page.tab.locator("#kg-panel-close").click()
    assert panel.is_hidden()


@pytest.mark.browser
def test_type_filter_hides_and_shows_a_type(visit):
    G = small_graph()
    page = visit(G)
    datasets = {n for n, d in G.nodes(data=True) if d.get("type") == "DATASET"}
    box = page.tab.locator("#kg-filters input[data-type='DATASET']")
    box.uncheck()
    assert page.drawn() == G.number_of_nodes() - len(datasets)
    assert not page.visible() & datasets
    box.check()
    assert page.drawn() == G.number_of_nodes()
    page.tab.locator("#kg-filters input[data-type='DATASET']").uncheck()
    page.search("squad")
    page.tab.keyboard.press("Enter")                            # searching a hidden type shows it again
    assert box.is_checked() and "DATASET/squad" in page.visible()


@pytest.mark.browser
def test_community_filter(visit):
    G = small_graph()
    page = visit(G)
    options = page.tab.locator("#kg-community option").all_inner_texts()
    assert options == ["All communities", "ImageNet-1K / Vision Transformer (2 papers)", "GLUE <b>&</b> SQuAD (2 papers)"]
    page.tab.select_option("#kg-community", "1")
    assert page.visible() == {n for n, d in G.nodes(data=True) if d["community"] == 1}
    page.tab.select_option("#kg-community", "")
    assert page.drawn() == G.number_of_nodes()


@pytest.mark.browser
def test_hostile_text_shows_as_text_and_runs_nothing(visit):
    page = visit(small_graph())
    assert page.search("Pwn & \"friends\"")[0].startswith(HOSTILE_TITLE)
    page.tab.keyboard.press("Enter")
    panel = page.tab.locator("#kg-panel")
    assert panel.locator("h2").inner_text() == HOSTILE_TITLE
    assert "<b>bold</b> & <script>" in panel.inner_text()
    assert "<i>Mallory</i>" in panel.inner_text()
    assert panel.locator("a").count() == 0                      # its javascript: url is no link
    page.tab.wait_for_timeout(600)                              # the focus animation
    page.tab.mouse.move(*page.node_point("METHOD/evil"), steps=4)
    page.tab.wait_for_selector("#kg-tooltip:not([hidden])")
    assert page.tab.locator("#kg-tooltip").inner_text().startswith("Evil <b>method</b>")
    page.search("onerror")
    page.tab.keyboard.press("Enter")
    assert HOSTILE_ALIAS in panel.inner_text()
    assert page.tab.locator("img, b, i, #kg-panel script").count() == 0
    assert "GLUE <b>&</b> SQuAD" in page.tab.locator("#kg-community").inner_text()
    page.tab.wait_for_timeout(200)
    assert page.pwned() is None


@pytest.mark.browser
def test_large_graph_is_cut_and_says_so(visit):
    G = star_graph(20, 24)   # 500 nodes: drawn as laid out, no physics
    page = visit(G, max_nodes=PHYSICS_MAX_NODES + 50)
    assert page.drawn() == PHYSICS_MAX_NODES + 50
    notice = page.tab.locator("#kg-notice")
    assert notice.is_visible()
    assert notice.inner_text().startswith(f"Showing {PHYSICS_MAX_NODES + 50} of 500 nodes")
    assert "kgraph build --types DATASET,BENCHMARK" in notice.locator("code").all_inner_texts()
    assert page.js("kgraph.network.getScale()") >= 0.8 - 1e-9   # labels stay readable


@pytest.mark.browser
def test_screenshot_command(tmp_path):
    _need_browser()
    write_html(small_graph(), tmp_path / "graph.html")
    command = [sys.executable, "-m", "kgraph.export.html", "screenshot"]
    done = subprocess.run([*command, tmp_path / "graph.html", tmp_path / "shot.png"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    missing = subprocess.run([*command, tmp_path / "missing.html", tmp_path / "x.png"],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "missing.html: no such page" in missing.stderr


@pytest.mark.browser
@pytest.mark.parametrize("nodes", [0, 1])
def test_tiny_graphs_still_give_a_working_page(visit, nodes):
    G = nx.Graph()
    if nodes:
        paper(G, "only", "The only paper")
    page = visit(G)
    assert page.drawn() == nodes
    assert page.search("only") == (["The only paper\nPaper"] if nodes else ["No paper or entity matches"])


def test_a_lone_surrogate_does_not_stop_the_page(tmp_path):
    G = small_graph()
    node = next(iter(G))
    G.nodes[node]["label"] = "broken \ud800 text"
    path = write_html(G, tmp_path / "graph.html")
    assert "broken" in path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
