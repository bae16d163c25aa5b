"""Communities, PageRank, trends and the stats/show text, on hand-made graphs."""
import copy
import sys
import networkx as nx
import pytest

from graph_inputs import ent, paper, two_clusters
from kgraph.analyse import (analyse, analyse_graph, entity_trend, find_nodes, format_show, format_stats,
                            month, pagerank)
from kgraph.build import build_graph
from kgraph.errors import KgraphError, NotFoundError

A = ["paper:a1", "paper:a2", "paper:a3"]
B = ["paper:b1", "paper:b2", "paper:b3"]


@pytest.fixture
def G():
    return build_graph(two_clusters())


def test_two_clusters_become_two_labelled_communities(G):
    result = analyse(G)
    # Equal sizes: the community holding paper:a1 (the smallest id) is number 0.
    assert {n: result.community[n] for n in A + B} == {**dict.fromkeys(A, 0), **dict.fromkeys(B, 1)}
    assert result.community["METHOD/alpha"] == result.community["DATASET/aset"] == 0
    assert result.community["MODEL/beta"] == result.community["TASK/btask"] == 1
    assert result.community["METRIC/accuracy"] == 0          # 3 papers in each: the lower id
    first, second = result.communities
    # share x idf: ASet 2/3 * ln 3 = 0.732 > Alpha 3/3 * ln 2 = 0.693 > accuracy 1 * ln 1 = 0.
    assert first.top == ("DATASET/aset", "METHOD/alpha", "METRIC/accuracy")
    assert (first.id, first.size, first.entities, first.label) == (0, 3, 3, "ASet / Alpha / accuracy")
    assert (second.id, second.size, second.entities, second.label) == (1, 3, 2, "BTask / Beta / accuracy")


def test_networkx_louvain_is_the_fallback_without_igraph(G, monkeypatch):
    with_igraph = analyse(G)
    monkeypatch.setitem(sys.modules, "igraph", None)       # `import igraph` now raises ImportError
    without = analyse(G)
    assert without.community == with_igraph.community
    assert without.communities == with_igraph.communities
    assert without.pagerank == pytest.approx(with_igraph.pagerank, rel=1e-6)


def test_communities_are_the_same_every_run():
    # A ring of 8 four-paper cliques (each shares a rare method), each joined to the next
    # by a weaker bridge entity: Louvain finds the cliques, the same way every time.
    extractions = []
    for c in range(8):
        for k in range(4):
            bridges = [ent(f"DATASET/bridge{c}", "mentions"), ent(f"DATASET/bridge{(c + 1) % 8}", "mentions")]
            extractions.append(paper(f"c{c}p{k}", ent(f"METHOD/m{c}"), *(bridges if k == 0 else [])))
    runs = [analyse(build_graph(extractions, min_weight=0)) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    cliques = {}
    for node, cid in runs[0].community.items():
        if node.startswith("paper:"):
            cliques.setdefault(cid, set()).add(node[7])
    assert sorted(cliques) == list(range(8)) and all(len(c) == 1 for c in cliques.values())
    assert [c.size for c in runs[0].communities] == [4] * 8
    assert cliques[0] == {"0"}                               # the one holding paper:c0p0


def test_pagerank_sums_to_one_and_mirrors_the_graphs_symmetry():
    ranks = pagerank(build_graph(two_clusters(), min_weight=0))
    assert sum(ranks.values()) == pytest.approx(1.0)
    # With every link kept, a1 <-> b2, a2 <-> b3, a3 <-> b1 (and Alpha <-> Beta, ASet <->
    # BTask) is an automorphism of the unweighted graph.
    assert ranks["paper:a1"] == pytest.approx(ranks["paper:b2"], rel=1e-6)
    assert ranks["paper:a3"] == pytest.approx(ranks["paper:b1"], rel=1e-6)
    assert ranks["METHOD/alpha"] == pytest.approx(ranks["MODEL/beta"], rel=1e-6)
    assert ranks["METRIC/accuracy"] == max(ranks.values())
    assert all(value == float(f"{value:.8g}") for value in ranks.values())


def test_pagerank_of_a_star_by_hand():
    # Undirected star, centre c and three leaves: c = 0.15/4 + 0.85 * 3l and l = 0.15/4 + 0.85 * c/3.
    star = nx.Graph([("c", "x"), ("c", "y"), ("c", "z")])
    c = (0.15 / 4 + 0.85 * 3 * 0.15 / 4) / (1 - 0.85 ** 2)
    assert pagerank(star)["c"] == pytest.approx(c, rel=1e-7)
    assert pagerank(star)["x"] == pytest.approx((1 - c) / 3, rel=1e-7)


def test_analyse_does_not_touch_the_graph_and_analyse_graph_applies_it(G):
    before = copy.deepcopy(G)
    result = analyse(G)
    assert nx.utils.graphs_equal(G, before) and G.graph == before.graph
    assert analyse_graph(G) == result
    assert G.nodes["paper:a1"]["community"] == 0
    assert G.nodes["paper:a1"]["degree"] == 5        # Alpha, ASet, accuracy, a2, a3
    assert isinstance(G.nodes["paper:a1"]["degree"], int)
    assert G.nodes["paper:a1"]["pagerank"] == result.pagerank["paper:a1"]
    assert G.graph["communities"][0] == {"id": 0, "size": 3, "entities": 3, "label": "ASet / Alpha / accuracy",
                                         "top": ("DATASET/aset", "METHOD/alpha", "METRIC/accuracy")}


def test_analysed_graphs_are_identical_across_builds():
    def snapshot():
        H = build_graph(two_clusters())
        analyse_graph(H)
        return list(H.nodes(data=True)), list(H.edges(data=True)), H.graph

    assert snapshot() == snapshot()


def test_entity_trend_counts_papers_per_month(G):
    assert month("2024-01-15") == month("2024-01") == "2024-01"
    assert month("--03-11") == "--03"
    assert month(None) is None and month("2024") is None
    assert entity_trend(G, "METHOD/alpha") == {"2024-01": 1, "2024-02": 2}
    assert entity_trend(G, "MODEL/beta") == {"2024-03": 1}   # b2 and b3 have no date
    assert entity_trend(G, "TASK/btask") == {}


def test_format_stats(G):
    analyse_graph(G)
    text = format_stats(G, top=2)
    assert "papers: 6\n" in text
    assert "papers by month: 2024-01 1, 2024-02 2, 2024-03 1" in text
    assert "entities: 5 (MODEL 1, METHOD 1, DATASET 1, TASK 1, METRIC 1)" in text
    assert "links: 5 related papers (top_k 10, min_weight 0.44794), 16 mentions, 6 co-occurrences" in text
    assert "  METRIC: accuracy (6)" in text
    assert "  0: 3 papers, 3 entities - ASet / Alpha / accuracy" in text
    assert "  1: 3 papers, 2 entities - BTask / Beta / accuracy" in text
    # a1, b2 and b3 have 2 related papers and 5 edges each; PageRank puts a1 and b2 first.
    assert text.endswith("most connected papers (links, degree):\n"
                         "  Paper A1 [paper:a1]: 2 related, degree 5\n"
                         "  Paper B2 [paper:b2]: 2 related, degree 5\n")


def test_format_stats_analyses_an_unanalysed_graph_without_changing_it(G):
    text = format_stats(G)
    assert "ASet / Alpha / accuracy" in text and "community" not in G.nodes["paper:a1"]


def test_format_show_an_entity(G):
    analyse_graph(G)
    text = format_show(G, "alpha")
    assert text.startswith("Alpha [METHOD/alpha]\ntype: METHOD\n")
    assert "papers: 3 (first seen 2024-01-15, last seen 2024-02-20); community 0" in text
    assert "papers by month: 2024-01 1, 2024-02 2" in text
    assert "proposes (1):\n  - Paper A1 [paper:a1]\nuses (1):\n  - Paper A2 [paper:a2]\n" \
           "mentions (1):\n  - Paper A3 [paper:a3]\n" in text
    assert ("co-occurs with (association strength, papers):\n"
            "  - ASet [DATASET/aset]: strength 2.80, 2 papers\n"
            "  - accuracy [METRIC/accuracy]: strength 1.68, 3 papers\n") in text


def test_format_show_a_paper_explains_its_links(G):
    text = format_show(G, "Paper A1")
    assert text.startswith("Paper A1 [paper:a1]\ndate 2024-01-15; community 0\n")
    assert "  proposes: Alpha (METHOD)\n  evaluates_on: accuracy (METRIC), ASet (DATASET)\n" in text
    assert ("nearest papers (weight; shared entities, strongest first):\n"
            "  - Paper A2 [paper:a2]: 1.705\n      shared: ASet, Alpha\n"
            "  - Paper A3 [paper:a3]: 0.520\n      shared: Alpha\n") in text


@pytest.mark.parametrize("name, node", [
    ("ALPHA", "METHOD/alpha"), ("method/alpha", "METHOD/alpha"), ("a2", "paper:a2"),
    ("paper:B3", "paper:b3"), ("  paper   a1 ", "paper:a1"), ("LLMs", "MODEL/llm"),
])
def test_names_match_labels_aliases_titles_and_ids(name, node):
    H = build_graph(two_clusters() + [paper("p9", ent("MODEL/llm", name="Large Language Models",
                                                        aliases=("LLMs", "LLM")))])
    assert find_nodes(H, name)[0] == node


def test_an_id_beats_a_label_and_ties_are_all_listed():
    H = build_graph([paper("x", ent("MODEL/transformer", name="Transformer"),
                           ent("METHOD/transformer", name="Transformer")),
                     paper("y", ent("MODEL/transformer", name="Transformer"))])
    assert find_nodes(H, "transformer") == ["MODEL/transformer", "METHOD/transformer"]
    assert "also matches: Transformer [METHOD/transformer]" in format_show(H, "Transformer")


def test_an_unknown_name_is_a_kgraph_error_with_suggestions(G):
    with pytest.raises(NotFoundError, match=r"no entity or paper is named 'Alfa'.*did you mean: Alpha") as err:
        format_show(G, "Alfa")
    assert isinstance(err.value, KgraphError) and isinstance(err.value, LookupError)
    with pytest.raises(NotFoundError, match="did you mean: Paper A1; Paper A2; Paper A3"):
        format_show(G, "paper a")
    with pytest.raises(NotFoundError, match=r"named 'zzz' \(searched names, aliases, titles and ids\)$"):
        format_show(G, "zzz")


def test_an_empty_graph_has_stats_but_no_communities():
    text = format_stats(build_graph([]))
    assert text == "papers: 0\nentities: 0\nlinks: 0 related papers (top_k 10, min_weight 0.0), " \
                   "0 mentions, 0 co-occurrences\n"
    assert analyse(build_graph([])).communities == ()


def test_idf_share_ranks_a_community_shared_entity_above_a_one_off():
    # In a 4-paper community, Shared (all 4 papers, df 4 of 8) beats One (1 paper, df 1):
    # 1 * ln 2 = 0.69 against 1/4 * ln 8 = 0.52.
    one = [ent("METHOD/one", name="One")]
    extractions = [paper(f"p{k}", ent("METHOD/shared", name="Shared"), *(one if k == 0 else [])) for k in range(4)] + [paper(f"q{k}", ent("MODEL/other", name="Other")) for k in range(4)]
    result = analyse(build_graph(extractions))
    assert result.communities[0].top[:2] == ("METHOD/shared", "METHOD/one")
    assert result.communities[0].label.startswith("Shared / One")


def test_format_show_lists_at_most_ten_papers_per_role():
    H = build_graph([paper(f"p{k:02d}", ent("DATASET/coco", "evaluates_on", name="COCO")) for k in range(12)])
    text = format_show(H, "coco")
    assert "evaluates_on (12):\n  - Paper P00 [paper:p00]\n" in text
    assert "  - Paper P09 [paper:p09]\n  ... and 2 more\n" in text and "P10" not in text
