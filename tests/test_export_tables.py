"""CSV tables: quoted, UTF-8, joinable, nothing lost, no formula runs in a spreadsheet."""
from __future__ import annotations

import csv
import io

from export_graphs import FORMULA, HOSTILE, P1, P2, hostile_graph, small_graph
from kgraph.export.tables import (
    cell, write_cooccurrences_csv, write_entities_csv, write_links_csv, write_mentions_csv,
    write_papers_csv,
)
from kgraph.export.text import clean_text


def read(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    again = io.StringIO()
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert again.getvalue() == text  # every cell quoted, CRLF rows
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_papers_and_entities(tmp_path):
    G = small_graph()
    write_papers_csv(G, tmp_path / "papers.csv")
    write_entities_csv(G, tmp_path / "entities.csv")
    papers = read(tmp_path / "papers.csv")
    assert [p["paper_id"] for p in papers] == [P1, P2, "doi:10.1000/xyz"]
    first = papers[0]
    assert first["authors"] == "Ada Lovelace | Alan Turing"
    assert first["date"] == "2024-01-02" and first["community"] == "0"
    assert first["pagerank"] == "0.2" and first["degree"] == "7"
    assert papers[2]["url"] == ""  # None is empty
    assert "label" not in first and "kind" not in first
    entities = {e["entity_id"]: e for e in read(tmp_path / "entities.csv")}
    assert len(entities) == 11
    imagenet = entities["DATASET/imagenet"]
    assert imagenet["label"] == "ImageNet" and imagenet["type"] == "DATASET"
    assert imagenet["aliases"] == "ILSVRC" and imagenet["paper_count"] == "2"
    assert imagenet["wikidata"] == "http://www.wikidata.org/entity/Q24901201"


def test_edges_join_on_ids(tmp_path):
    G = small_graph()
    write_mentions_csv(G, tmp_path / "mentions.csv")
    write_links_csv(G, tmp_path / "links.csv")
    write_cooccurrences_csv(G, tmp_path / "cooccurrences.csv")
    mentions = read(tmp_path / "mentions.csv")
    assert len(mentions) == 15
    first = mentions[0]
    assert first == {"paper_id": P1, "entity_id": "MODEL/transformer-x", "role": "proposes",
                     "mention_count": "3", "in_title": "true", "weight": "3.0"}
    links = read(tmp_path / "links.csv")
    assert links[0] == {"source": P1, "target": P2, "weight": "2.5",
                        "shared": "DATASET/imagenet | METHOD/lora | HARDWARE/nvidia-a100"}
    co = read(tmp_path / "cooccurrences.csv")
    assert co[0] == {"source": "DATASET/imagenet", "target": "METHOD/lora", "count": "2",
                     "strength": "0.5", "weight": "0.5"}


def test_extra_attributes_are_kept(tmp_path):
    G = small_graph()
    G.nodes[f"paper:{P1}"]["venue"] = "NeurIPS"
    write_papers_csv(G, tmp_path / "papers.csv")
    rows = read(tmp_path / "papers.csv")
    assert rows[0]["venue"] == "NeurIPS" and rows[1]["venue"] == ""


def test_formulas_are_neutralised_and_numbers_are_not():
    assert cell("=1+1") == "'=1+1"
    assert cell("+cmd") == "'+cmd" and cell("-x") == "'-x" and cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("\tx") == "'\tx" and cell("\rx") == "'\rx"
    assert cell(-1.5) == "-1.5" and cell(-3) == "-3"
    assert cell(("=a", "b")) == "'=a | b"
    assert cell("plain") == "plain" and cell(None) == "" and cell(True) == "true"


def test_hostile_text_is_quoted_and_neutralised(tmp_path):
    G = hostile_graph()
    write_papers_csv(G, tmp_path / "papers.csv")
    write_entities_csv(G, tmp_path / "entities.csv")
    papers = {p["paper_id"]: p for p in read(tmp_path / "papers.csv")}
    assert len(papers) == 2
    hostile = papers[clean_text("title:" + HOSTILE[:40])]
    assert hostile["title"] == clean_text(HOSTILE)  # newlines, quotes, RTL, emoji intact
    assert hostile["authors"] == clean_text(HOSTILE) + " | " + FORMULA
    assert hostile["categories"] == "'+cmd | -1 | @SUM(A1)"
    assert papers["doi:10.1/a b#c?d"]["title"] == "'" + FORMULA
    entities = read(tmp_path / "entities.csv")
    assert any(e["aliases"].endswith(" | -x | =1+1") for e in entities)
    for row in [*papers.values(), *entities]:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
