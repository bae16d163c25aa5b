"""build_graph on hand-made extractions whose numbers can be worked out on paper."""
from math import log

import pytest

from kgraph import build
from kgraph.build import build_graph, canonical_name, date_span, default_min_weight
from kgraph.errors import ConfigError, ExtractError
from graph_inputs import ent, paper, two_clusters

LN2, LN3 = log(2), log(3)


def related(G):
    return {(u, v): (d["weight"], d["shared"]) for u, v, d in G.edges(data=True) if d["kind"] == "related"}


def cooccurs(G):
    return {tuple(sorted((u, v))): (d["count"], d["strength"], d["weight"])
            for u, v, d in G.edges(data=True) if d["kind"] == "cooccurs"}


def snapshot(G):
    return (list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph))


def test_nodes_follow_the_schema():
    G = build_graph(two_clusters())
    assert [n for n, k in G.nodes(data="kind") if k == "paper"] == [f"paper:{p}" for p in
                                                                      ("a1", "a2", "a3", "b1", "b2", "b3")]
    assert G.nodes["paper:a1"] == {
        "kind": "paper", "label": "Paper A1", "title": "Paper A1", "abstract": "Abstract of a1.",
        "date": "2024-01-15", "url": None, "authors": (), "sources": (), "categories": (),
    }
    assert G.nodes["METHOD/alpha"] == {
        "kind": "entity", "label": "Alpha", "type": "METHOD", "aliases": (), "paper_count": 3,
        "first_seen": "2024-01-15", "last_seen": "2024-02-20", "wikidata": None,
    }
    assert G.nodes["MODEL/beta"]["first_seen"] == G.nodes["MODEL/beta"]["last_seen"] == "2024-03-03"
    assert G.nodes["TASK/btask"]["first_seen"] is None
    assert G.nodes["METRIC/accuracy"]["paper_count"] == 6


def test_mentions_edges_carry_role_count_title_and_weight():
    extractions = [paper("p1", ent("MODEL/gpt-4", "uses", name="GPT-4", mentions=3, in_title=True),
                         ent("DATASET/mmlu", "evaluates_on", name="MMLU"))]
    G = build_graph(extractions)
    assert G.edges["paper:p1", "MODEL/gpt-4"] == {"kind": "mentions", "role": "uses", "mention_count": 3,
                                                  "in_title": True, "weight": 0.75}
    assert G.edges["paper:p1", "DATASET/mmlu"] == {"kind": "mentions", "role": "evaluates_on",
                                                   "mention_count": 1, "in_title": False, "weight": 1.0}


def test_an_entity_listed_twice_in_a_paper_is_merged():
    extractions = [paper("p1", ent("METHOD/lora", "mentions", name="LoRA", mentions=2),
                         ent("METHOD/lora", "proposes", name="Low-Rank Adaptation", in_title=True))]
    G = build_graph(extractions)
    edge = G.edges["paper:p1", "METHOD/lora"]
    assert (edge["role"], edge["mention_count"], edge["in_title"]) == ("proposes", 3, True)


def test_canonical_label_aliases_and_wikidata_across_papers():
    extractions = [
        paper("p1", ent("MODEL/llm", name="LLM", aliases=("LLMs",), wikidata="Q115305900")),
        paper("p2", ent("MODEL/llm", name="large language model", aliases=("LLM",))),
        paper("p3", ent("MODEL/llm", name="large language model")),
        paper("p4", ent("MODEL/llm", name="LLM", wikidata="Q115305900")),
        paper("p5", ent("MODEL/llm", name="Large Language Model")),
    ]
    node = build_graph(extractions).nodes["MODEL/llm"]
    # "LLM" and "large language model" are both named twice: the longer one wins.
    assert node["label"] == "large language model"
    assert node["aliases"] == ("Large Language Model", "LLM", "LLMs")
    assert (node["paper_count"], node["wikidata"]) == (5, "Q115305900")


def test_canonical_name_ties():
    from collections import Counter

    assert canonical_name(Counter({"BERT": 2, "Bidirectional Encoder": 1})) == "BERT"
    assert canonical_name(Counter({"ViT": 1, "ViTs": 1})) == "ViTs"
    assert canonical_name(Counter({"Abc": 1, "abc": 1})) == "Abc"


def test_date_span_compares_dated_and_year_less_dates_sensibly():
    assert date_span(["2024-03-05", "2023-12", "--01-02", None]) == ("2023-12", "2024-03-05")
    assert date_span(["2024-03", "2024-03-01"]) == ("2024-03", "2024-03-01")
    assert date_span(["--03-11", "--02-01"]) == ("--02-01", "--03-11")
    assert date_span([None, "soon"]) == (None, None)


def test_related_weights_are_idf_times_role_and_evidence_is_strongest_first():
    G = build_graph(two_clusters(), min_weight=0)
    links = related(G)
    # a1-a2 share ASet (ln 3, both evaluate on it) and Alpha (ln 2, proposes 1.0 / uses 0.75).
    assert links["paper:a1", "paper:a2"] == (round(LN3 + LN2 * 0.875, 6), ("DATASET/aset", "METHOD/alpha"))
    assert links["paper:a1", "paper:a2"][0] == 1.705116
    assert links["paper:a1", "paper:a3"] == (round(LN2 * 0.75, 6), ("METHOD/alpha",))      # 1.0 and 0.5
    assert links["paper:a2", "paper:a3"] == (round(LN2 * 0.625, 6), ("METHOD/alpha",))     # 0.75 and 0.5
    assert links["paper:b2", "paper:b3"] == (round(log(6), 6), ("TASK/btask", "MODEL/beta"))
    assert links["paper:b1", "paper:b2"] == links["paper:b1", "paper:b3"] == (round(LN2, 6), ("MODEL/beta",))
    # accuracy is in every paper (idf 0): no evidence, and no a-b links.
    assert len(links) == 6


def test_default_min_weight_is_chosen_from_the_corpus_size():
    assert default_min_weight(6) == round(0.5 * log(6) * 0.5, 6) == 0.44794
    assert default_min_weight(1) == 0.0
    G = build_graph(two_clusters())
    assert G.graph["min_weight"] == 0.44794
    # a2-a3 (0.433217) falls below it; every other link stays.
    assert ("paper:a2", "paper:a3") not in related(G)
    assert len(related(G)) == 5


def test_top_k_keeps_each_papers_strongest_links_ties_to_the_earlier_paper():
    G = build_graph(two_clusters(), top_k=1)
    # a1 keeps a2; a3 keeps a1; b1 ties b2/b3 and keeps b2; b2 and b3 keep each other.
    assert sorted(related(G)) == [("paper:a1", "paper:a2"), ("paper:a1", "paper:a3"),
                                  ("paper:b1", "paper:b2"), ("paper:b2", "paper:b3")]
    assert G.graph["top_k"] == 1
    assert related(build_graph(two_clusters(), top_k=0)) == {}


def test_min_weight_prunes_weak_links():
    assert sorted(related(build_graph(two_clusters(), min_weight=1.0))) == [
        ("paper:a1", "paper:a2"), ("paper:b2", "paper:b3")]


def test_stop_entities_count_for_nothing():
    # max_df 0.4 of 6 papers = 2: Alpha and Beta (3 papers each) no longer link.
    G = build_graph(two_clusters(), max_df=0.4, min_weight=0)
    assert G.graph["stop_df"] == 2
    assert related(G) == {("paper:a1", "paper:a2"): (round(LN3, 6), ("DATASET/aset",)),
                          ("paper:b2", "paper:b3"): (round(LN3, 6), ("TASK/btask",))}
    assert G.nodes["METHOD/alpha"]["paper_count"] == 3   # the entity itself stays


def test_common_entities_reinforce_links_but_do_not_propose_them(monkeypatch):
    monkeypatch.setattr(build, "LINK_DF_FLOOR", 2)   # now Alpha and Beta (3 papers) are "common"
    G = build_graph(two_clusters(), min_weight=0)
    assert G.graph["link_df"] == 2
    links = related(G)
    # Found through ASet / BTask, weighed with Alpha / Beta as well...
    assert links["paper:a1", "paper:a2"] == (1.705116, ("DATASET/aset", "METHOD/alpha"))
    assert links["paper:b2", "paper:b3"] == (round(log(6), 6), ("TASK/btask", "MODEL/beta"))
    # ...but pairs that share only Alpha or Beta are not linked.
    assert sorted(links) == [("paper:a1", "paper:a2"), ("paper:b2", "paper:b3")]


def test_cooccurrence_counts_and_association_strength():
    # Papers' entity counts: a1, a2, b2, b3 three; a3, b1 two. So s(Alpha) = 2+2+1 = 5,
    # s(ASet) = 4, s(accuracy) = 10, s(Beta) = 5, s(BTask) = 4 and 2m = 28.
    assert cooccurs(build_graph(two_clusters())) == {
        ("DATASET/aset", "METHOD/alpha"): (2, 28 * 2 / (4 * 5), 2.0),       # 2.8
        ("DATASET/aset", "METRIC/accuracy"): (2, 28 * 2 / (4 * 10), 2.0),   # 1.4
        ("METHOD/alpha", "METRIC/accuracy"): (3, 28 * 3 / (5 * 10), 3.0),   # 1.68
        ("METRIC/accuracy", "MODEL/beta"): (3, 1.68, 3.0),
        ("METRIC/accuracy", "TASK/btask"): (2, 1.4, 2.0),
        ("MODEL/beta", "TASK/btask"): (2, 2.8, 2.0),
    }


def test_cooccurrence_keeps_each_entitys_strongest_partners(monkeypatch):
    monkeypatch.setattr(build, "COOCCUR_TOP_K", 1)
    # Alpha's best is ASet (2.8), ASet's is Alpha, accuracy's best (1.68) ties Alpha and
    # Beta: more papers don't break it, so the lower id (METHOD/alpha) wins.
    assert sorted(cooccurs(build_graph(two_clusters()))) == [
        ("DATASET/aset", "METHOD/alpha"), ("METHOD/alpha", "METRIC/accuracy"), ("MODEL/beta", "TASK/btask")]


def test_min_papers_and_types_filter_entities():
    G = build_graph(two_clusters(), min_papers=3)
    assert sorted(n for n, k in G.nodes(data="kind") if k == "entity") == [
        "METHOD/alpha", "METRIC/accuracy", "MODEL/beta"]
    G = build_graph(two_clusters(), types=("DATASET", "TASK"))
    assert sorted(n for n, k in G.nodes(data="kind") if k == "entity") == ["DATASET/aset", "TASK/btask"]
    assert G.number_of_nodes() == 8          # every paper stays
    assert related(G)["paper:a1", "paper:a2"] == (round(LN3, 6), ("DATASET/aset",))


@pytest.mark.parametrize("options, message", [
    ({"min_papers": 0}, "min_papers"),
    ({"top_k": -1}, "top_k"),
    ({"min_weight": -0.5}, "min_weight"),
    ({"max_df": 0}, "max_df"),
    ({"types": ("DATASET", "GADGET")}, "unknown entity type GADGET"),
])
def test_bad_options_are_config_errors(options, message):
    with pytest.raises(ConfigError, match=message):
        build_graph(two_clusters(), **options)


def test_an_unknown_role_is_an_extract_error():
    with pytest.raises(ExtractError, match="role 'cites'"):
        build_graph([paper("p1", ent("MODEL/bert", "cites"))])


def test_empty_and_entity_less_input():
    assert build_graph([]).number_of_nodes() == 0
    G = build_graph([paper("p1"), paper("p2")])
    assert sorted(G) == ["paper:p1", "paper:p2"] and G.number_of_edges() == 0


def test_building_twice_or_in_another_order_gives_the_same_graph():
    first = build_graph(two_clusters())
    assert snapshot(first) == snapshot(build_graph(two_clusters()))
    assert snapshot(first) == snapshot(build_graph(list(reversed(two_clusters()))))
