"""kgraph query: the example queries answer correctly; the command is read-only and clear."""
from __future__ import annotations

import csv
import io
import json

import pytest

import kgraph.query
from export_graphs import small_graph
from kgraph.errors import ConfigError, ExportError
from kgraph.export import write_all
from kgraph.query import example_queries, format_rows, refuse_updates, run_query


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("exports")
    write_all(small_graph(), outdir, formats=["ttl", "nt", "jsonld"])
    return outdir


@pytest.fixture(scope="module")
def ttl(exports):
    return exports / "graph.ttl"


def rows(sparql, path):
    return json.loads(run_query(sparql, path, "json"))


def test_five_example_queries_ship_with_the_package():
    queries = example_queries()
    assert sorted(queries) == ["community-entities", "cooccurring-with-method",
                               "models-on-benchmarks", "most-used-hardware",
                               "papers-sharing-a-dataset"]
    for text in queries.values():
        assert text.startswith("#")  # each says what it answers


def test_papers_sharing_a_dataset(ttl):
    query = example_queries()["papers-sharing-a-dataset"].replace('{ "DeepMAD" }', '{ "G3Reg" }')
    result = rows(query, ttl)
    assert result == [{"title": "Scaling Vision Models", "shared": 1, "datasets": "ImageNet"}]


def test_most_used_hardware(ttl):
    result = rows(example_queries()["most-used-hardware"], ttl)
    assert result == [{"hardware": "NVIDIA A100", "papers": 3, "using": 2},
                      {"hardware": "TPU v4", "papers": 1, "using": 1}]


def test_models_on_benchmarks(ttl):
    result = rows(example_queries()["models-on-benchmarks"], ttl)
    assert [(r["model"], r["benchmark"], r["papers"]) for r in result] == [
        ("ResNet-50", "ImageNet-C", 1), ("Transformer-X", "GLUE", 1)]
    assert result[1]["example"] == "G3Reg: Pyramid Graph-based Global Registration"


def test_cooccurring_with_method(ttl):
    result = rows(example_queries()["cooccurring-with-method"], ttl)
    assert result[:2] == [{"entity": "ImageNet", "type": "Dataset", "papers": 2},
                          {"entity": "NVIDIA A100", "type": "Hardware", "papers": 2}]
    assert {r["entity"] for r in result[2:]} == {"GLUE", "ImageNet-C", "ResNet-50",
                                                 "Transformer-X", "top-1 accuracy"}
    assert all(r["papers"] == 1 for r in result[2:])
    assert "LoRA" not in {r["entity"] for r in result}


def test_community_entities(ttl):
    result = rows(example_queries()["community-entities"], ttl)
    assert len(result) == 8
    assert result[0]["entity"] == "NVIDIA A100" and result[0]["papers"] == 3
    assert {r["entity"] for r in result} >= {"ImageNet", "LoRA", "GLUE", "ResNet-50"}
    assert "Cora" not in {r["entity"] for r in result}
    assert result[0]["community_label"] == "Community 0: LoRA / ImageNet / GLUE"


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld", "."])
def test_every_export_and_the_export_directory_answer_alike(exports, ttl, name):
    query = example_queries()["most-used-hardware"]
    assert run_query(query, exports / name, "csv") == run_query(query, ttl, "csv")


def test_common_prefixes_are_predeclared_and_overridable(ttl):
    result = rows("SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:ScholarlyArticle ; dcterms:title ?t }", ttl)
    assert result == [{"n": 3}]
    own = "PREFIX kg: <http://example.org/other#> SELECT ?x WHERE { ?x a kg:Link }"
    assert rows(own, ttl) == []


def test_table_output_is_aligned(ttl):
    text = run_query("SELECT ?label ?n WHERE { ?e skos:prefLabel ?label ; kg:paperCount ?n } "
                     "ORDER BY DESC(?n) ?label LIMIT 2", ttl, "table")
    lines = text.splitlines()
    assert lines[0].split() == ["label", "n"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["NVIDIA", "A100", "3"]
    assert lines[0].index("n") == lines[2].index("3")  # columns line up
    assert lines[-1] == "(2 rows)"


def test_table_cells_are_one_line_and_cut():
    text = format_rows(["a"], [["x\ny\r\tz " + "w" * 200]], "table")
    assert text.splitlines()[2].startswith("x y z w") and text.splitlines()[2].endswith("…")


def test_csv_neutralises_formulas_but_not_numbers():
    text = format_rows(["a", "b", "c"], [["=1+1", -2, None], ["@x", 1.5, True]], "csv")
    assert list(csv.reader(io.StringIO(text))) == [["a", "b", "c"], ["'=1+1", "-2", ""],
                                                   ["'@x", "1.5", "true"]]


def test_json_types_ask_and_construct(ttl):
    assert rows("ASK { ?l a kg:Link }", ttl) == [{"ask": True}]
    triples = rows("CONSTRUCT { ?c a kg:Community } WHERE { ?c a kg:Community }", ttl)
    assert {t["object"] for t in triples} == {"https://kgraph.dev/ns#Community"}
    typed = rows("SELECT ?w ?d ?none WHERE { ?l kg:weight ?w . ?p dcterms:date ?d "
                 "FILTER(?w > 1 && DATATYPE(?d) = xsd:date) OPTIONAL { ?l kg:nothing ?none } }", ttl)
    assert typed == [{"w": 2.5, "d": "2024-01-02", "none": None}]


@pytest.mark.parametrize("update", [
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "  # a comment\nPREFIX ex: <http://ex.org/#> DELETE WHERE { ?s ?p ?o }",
    "load <http://example.org/x.ttl>",
    "CLEAR ALL", "DROP GRAPH <a:b>", "CREATE GRAPH <a:b>",
    "BASE <http://x/> WITH <a:b> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(ttl, update):
    with pytest.raises(ExportError, match="read-only"):
        run_query(update, ttl, "table")


def test_queries_that_mention_update_words_run(ttl):
    refuse_updates("SELECT ?insert WHERE { ?insert a kg:Link } # DELETE")
    refuse_updates("PREFIX delete: <http://ex.org/#> SELECT * WHERE { ?s a delete:X }")
    assert rows("SELECT ?drop WHERE { ?drop a kg:Community } LIMIT 1", ttl)


def test_syntax_error_is_one_line(ttl):
    with pytest.raises(ExportError) as err:
        run_query("SELECT ?x WHERE { ?x ?y }", ttl, "table")
    message = str(err.value)
    assert message.startswith("SPARQL syntax error") and "\n" not in message
    assert len(message) < 250


def test_missing_graph_says_to_build_first(tmp_path):
    with pytest.raises(ExportError) as err:
        run_query("SELECT * WHERE { ?s ?p ?o }", tmp_path / "nope.ttl", "table")
    assert str(tmp_path / "nope.ttl") in str(err.value) and "kgraph build" in str(err.value)
    with pytest.raises(ExportError, match="kgraph build"):
        run_query("SELECT * WHERE { ?s ?p ?o }", tmp_path, "table")


def test_unreadable_graph_and_bad_format(tmp_path, ttl):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> ", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot read"):
        run_query("SELECT * WHERE { ?s ?p ?o }", broken, "table")
    other = tmp_path / "graph.xyz"
    other.write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="RDF format"):
        run_query("SELECT * WHERE { ?s ?p ?o }", other, "table")
    with pytest.raises(ConfigError):
        run_query("SELECT * WHERE { ?s ?p ?o }", ttl, "xml")


def test_big_files_use_a_cached_on_disk_store(tmp_path, monkeypatch, exports):
    monkeypatch.setattr(kgraph.query, "LARGE_FILE", 0)
    nt = tmp_path / "graph.nt"
    nt.write_bytes((exports / "graph.nt").read_bytes())
    query = example_queries()["most-used-hardware"]
    expected = run_query(query, exports / "graph.ttl", "csv")
    assert run_query(query, nt, "csv") == expected
    store = tmp_path / "graph.nt.oxigraph"
    assert store.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "graph.nt.oxigraph"]
    assert run_query(query, nt, "csv") == expected  # reused
    assert run_query(query, store, "csv") == expected  # a store directory opens read-only
    with pytest.raises(ExportError, match="read-only"):
        run_query("CLEAR ALL", store, "csv")
    assert run_query(query, nt, "csv") == expected  # nothing was cleared
    with nt.open("a", encoding="utf-8") as fh:  # a changed file rebuilds the store
        fh.write("<https://kgraph.dev/id/x> <https://kgraph.dev/ns#weight> "
                 '"1.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n')
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:weight ?w }"
    assert rows(count, nt) == [{"n": 3}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "graph.nt.oxigraph"]
