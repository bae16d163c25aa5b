"""Hand-built graphs for the export and query tests, following build.py's GRAPH SCHEMA."""
from __future__ import annotations

import networkx as nx


def add_paper(G, paper_id, title, *, abstract="", date=None, url=None, authors=(),
              categories=(), sources=(), community=None, pagerank=0.05):
    G.add_node(f"paper:{paper_id}", kind="paper", label=title, title=title, abstract=abstract,
               date=date, url=url, authors=tuple(authors), sources=tuple(sources),
               categories=tuple(categories))
    if community is not None:
        G.nodes[f"paper:{paper_id}"].update(community=community, pagerank=pagerank)


def add_entity(G, entity_id, label, *, aliases=(), wikidata=None, first_seen=None,
               last_seen=None, community=None, pagerank=0.02):
    G.add_node(entity_id, kind="entity", label=label, type=entity_id.split("/", 1)[0],
               aliases=tuple(aliases), paper_count=0, first_seen=first_seen,
               last_seen=last_seen, wikidata=wikidata)
    if community is not None:
        G.nodes[entity_id].update(community=community, pagerank=pagerank)


def mention(G, paper_id, entity_id, role="mentions", count=1, in_title=False):
    G.add_edge(f"paper:{paper_id}", entity_id, kind="mentions", role=role,
               mention_count=count, in_title=in_title, weight=float(count))
    G.nodes[entity_id]["paper_count"] += 1


def finish(G):
    """The analysis attribute every node gets (degree)."""
    for node in G:
        G.nodes[node]["degree"] = G.degree(node)
    return G


P1, P2, P3 = "arxiv:2401.00001", "arxiv:2402.00002", "doi:10.1000/xyz"


def small_graph() -> nx.Graph:
    """Three papers, eleven entities, two communities: the example queries' answers are known.

    - P1 and P2 share ImageNet; P3 (another community) evaluates on Cora only.
    - NVIDIA A100 is named by all three papers (used by P1 and P3), TPU v4 by one.
    - Transformer-X is evaluated on GLUE (P1), ResNet-50 on ImageNet-C (P2).
    - LoRA appears in P1 and P2, with ImageNet and NVIDIA A100 in both.
    """
    G = nx.Graph()
    add_paper(G, P1, "G3Reg: Pyramid Graph-based Global Registration",
              abstract="We propose Transformer-X and train it with LoRA on ImageNet.",
              date="2024-01-02", url="https://arxiv.org/abs/2401.00001",
              authors=("Ada Lovelace", "Alan Turing"), categories=("cs.CV", "cs.LG"),
              sources=("data/a.jsonl:1", "data/b.csv:7"), community=0, pagerank=0.2)
    add_paper(G, P2, "Scaling Vision Models", abstract="ResNet-50 with LoRA on ImageNet.",
              date="2024-02", url="https://huggingface.co/papers/2402.00002",
              authors=("Grace Hopper",), categories=("cs.CV",), sources=("data/a.jsonl:2",),
              community=0, pagerank=0.15)
    add_paper(G, P3, "Graph Attention on Citation Networks",
              abstract="Graph attention evaluated on Cora with TPU v4 and NVIDIA A100.",
              date="--05-12", url=None, authors=(), sources=("data/c.txt:3",),
              community=1, pagerank=0.1)
    entities = [
        ("MODEL/transformer-x", "Transformer-X", (), "Q1", 0),
        ("MODEL/resnet-50", "ResNet-50", ("ResNet50",), "Q4", 0),
        ("METHOD/lora", "LoRA", ("low-rank adaptation",), None, 0),
        ("METHOD/graph-attention", "graph attention", ("GAT",), None, 1),
        ("DATASET/imagenet", "ImageNet", ("ILSVRC",), "http://www.wikidata.org/entity/Q24901201", 0),
        ("DATASET/cora", "Cora", (), None, 1),
        ("BENCHMARK/glue", "GLUE", (), None, 0),
        ("BENCHMARK/imagenet-c", "ImageNet-C", (), None, 0),
        ("HARDWARE/nvidia-a100", "NVIDIA A100", ("A100",), "Q96", 0),
        ("HARDWARE/tpu-v4", "TPU v4", (), None, 1),
        ("METRIC/top-1-accuracy", "top-1 accuracy", (), None, 0),
    ]
    for entity_id, label, aliases, qid, community in entities:
        add_entity(G, entity_id, label, aliases=aliases, wikidata=qid, first_seen="2024-01-02",
                   last_seen="2024-02", community=community)
    mention(G, P1, "MODEL/transformer-x", "proposes", count=3, in_title=True)
    mention(G, P1, "METHOD/lora", "uses")
    mention(G, P1, "DATASET/imagenet", "evaluates_on", count=2)
    mention(G, P1, "BENCHMARK/glue", "evaluates_on")
    mention(G, P1, "HARDWARE/nvidia-a100", "uses")
    mention(G, P1, "METRIC/top-1-accuracy")
    mention(G, P2, "MODEL/resnet-50", "uses", count=2)
    mention(G, P2, "METHOD/lora", "uses")
    mention(G, P2, "DATASET/imagenet", "evaluates_on")
    mention(G, P2, "BENCHMARK/imagenet-c", "evaluates_on")
    mention(G, P2, "HARDWARE/nvidia-a100")
    mention(G, P3, "METHOD/graph-attention", "proposes", in_title=True)
    mention(G, P3, "DATASET/cora", "evaluates_on")
    mention(G, P3, "HARDWARE/tpu-v4", "uses")
    mention(G, P3, "HARDWARE/nvidia-a100", "uses")
    G.add_edge(f"paper:{P2}", f"paper:{P1}", kind="related", weight=2.5,
               shared=("DATASET/imagenet", "METHOD/lora", "HARDWARE/nvidia-a100"))
    G.add_edge(f"paper:{P2}", f"paper:{P3}", kind="related", weight=0.4,
               shared=("HARDWARE/nvidia-a100",))
    G.add_edge("DATASET/imagenet", "METHOD/lora", kind="cooccurs", count=2, strength=0.5,
               weight=0.5)
    G.add_edge("HARDWARE/nvidia-a100", "DATASET/imagenet", kind="cooccurs", count=2,
               strength=0.25, weight=0.25)
    G.graph.update(top_k=10, min_weight=0.55, link_df=50, stop_df=1)
    # as analysis describes communities; community 1 is left undescribed on purpose
    G.graph["communities"] = [{"id": 0, "size": 2, "entities": 8, "label": "LoRA / ImageNet / GLUE",
                               "top": ("METHOD/lora", "DATASET/imagenet", "BENCHMARK/glue")}]
    return finish(G)


#: Text that has broken exporters: markup, quotes, newlines, controls, RTL, emoji,
#: lone surrogates, XML's non-characters, Turtle and CSV specials.
HOSTILE = (
    '<b>"Bold" & \'quoted\'</b> ]]> <!-- x --> <script>alert(1)</script>\n'
    "second line\r\nthird\tcolumn \x00\x01\x08\x0b\x0c\x1f\x7f\x85 "
    "\u202eRTL override\u202c \u05e9\u05dc\u05d5\u05dd \U0001F600\U0001F9EA "
    "\ud800 lone \udfff surrogates \ufffe\uffff "
    '""" triple \\ backslash \\u0041 @prefix : <x> . ; , # {} | ^ `'
)
FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"


def hostile_graph() -> nx.Graph:
    """Two papers and entities whose every text field is hostile, ids included."""
    G = nx.Graph()
    add_paper(G, "title:" + HOSTILE[:40], HOSTILE, abstract=HOSTILE * 2,
              date="2024-13-45", url='https://ex.org/a b<c>"d"{e}|f^g`h\\i\u00e9',
              authors=(HOSTILE, FORMULA), categories=("+cmd", "-1", "@SUM(A1)"),
              sources=(HOSTILE,), community="c/1 <odd>")
    add_paper(G, "doi:10.1/a b#c?d", FORMULA, abstract="", date="2024-02-30",
              url="javascript:alert(1)", community="c/1 <odd>")
    add_entity(G, "MODEL/" + HOSTILE[:60], HOSTILE, aliases=(HOSTILE, "-x", "=1+1"),
               wikidata="not a qid", community="c/1 <odd>")
    add_entity(G, "METHOD/a/b c?d#e%20f", "\u202e\U0001F600", aliases=("\x00",))
    add_entity(G, "NOT A TYPE/x", "odd type")
    mention(G, "title:" + HOSTILE[:40], "MODEL/" + HOSTILE[:60], "proposes", in_title=True)
    mention(G, "title:" + HOSTILE[:40], "METHOD/a/b c?d#e%20f", "uses")
    mention(G, "doi:10.1/a b#c?d", "METHOD/a/b c?d#e%20f", "evaluates_on")
    mention(G, "doi:10.1/a b#c?d", "NOT A TYPE/x")
    G.add_edge("paper:title:" + HOSTILE[:40], "paper:doi:10.1/a b#c?d", kind="related",
               weight=1.0, shared=("METHOD/a/b c?d#e%20f", HOSTILE))
    G.add_edge("MODEL/" + HOSTILE[:60], "METHOD/a/b c?d#e%20f", kind="cooccurs", count=1,
               strength=1.0, weight=1.0)
    return finish(G)
