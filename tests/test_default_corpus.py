"""The whole flow on the default corpus (data/), as `make run` does it, and the README's
queries and commands run against the result."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kgraph.query import run_query

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "kgraph" / "queries"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    cache = out / ".cache"  # shared with the show tests, so they extract nothing again
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", "build", str(ROOT / "data"), "-o", str(out), "-q",
         "--cache-dir", str(cache)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "papers: 336 (records read 385, skipped 0, duplicates merged 49)" in done.stdout
    return out


def rows(sparql: str, graph: Path) -> list[dict]:
    return json.loads(run_query(sparql, graph, "json"))


def test_every_export_has_the_336_papers(exports):
    G = nx.read_graphml(exports / "graph.graphml")
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "paper") == 336
    assert all(d.get("label") for _, d in G.nodes(data=True))
    G2 = nx.read_gexf(exports / "graph.gexf")
    assert G2.number_of_nodes() == G.number_of_nodes()
    papers = (exports / "papers.csv").read_text(encoding="utf-8").splitlines()
    assert len(papers) == 337  # header + one row per paper
    page = (exports / "graph.html").read_text(encoding="utf-8")
    assert "336 papers" in page


def test_query_most_used_hardware(exports):
    result = rows((QUERIES / "most-used-hardware.rq").read_text(), exports / "graph.ttl")
    assert result[0]["hardware"] == "GPU"
    assert int(result[0]["papers"]) >= 30
    assert {"CPU", "FPGA"} <= {r["hardware"] for r in result}


def test_query_papers_sharing_a_dataset(exports):
    result = rows((QUERIES / "papers-sharing-a-dataset.rq").read_text(), exports / "graph.ttl")
    assert len(result) >= 5
    assert all("ImageNet" in r["datasets"] for r in result)
    assert not any(r["title"].startswith("DeepMAD") for r in result)


def test_query_models_on_benchmarks(exports):
    result = rows((QUERIES / "models-on-benchmarks.rq").read_text(), exports / "graph.ttl")
    assert {"model": "BERT", "benchmark": "GLUE"}.items() <= next(
        r for r in result if r["model"] == "BERT" and r["benchmark"] == "GLUE").items()


def test_query_entities_cooccurring_with_a_method(exports):
    result = rows((QUERIES / "cooccurring-with-method.rq").read_text(), exports / "graph.ttl")
    names = {r["entity"] for r in result}
    assert "parameter-efficient fine-tuning" in names
    assert "Low-Rank Adaptation" not in names  # the method itself is left out


def test_query_entities_of_a_community(exports):
    result = rows((QUERIES / "community-entities.rq").read_text(), exports / "graph.ttl")
    assert len(result) >= 50
    assert len({r["community_label"] for r in result}) == 1
    counts = [int(r["papers"]) for r in result]
    assert counts == sorted(counts, reverse=True)


def test_readme_commands_exist_and_have_help():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"kgraph (build|extract|stats|show|query|evaluate|train)\b", readme))
    assert commands == {"build", "extract", "stats", "show", "query", "evaluate", "train"}
    for command in sorted(commands):
        done = subprocess.run([sys.executable, "-m", "kgraph", command, "--help"],
                              capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0 and "Example" in done.stdout, command
    for name in re.findall(r"kgraph/queries/([a-z][a-z-]+\.rq)", readme):
        assert (QUERIES / name).exists(), name


def test_readme_query_command_works_as_written(exports):
    """`kgraph query "$(cat kgraph/queries/most-used-hardware.rq)"`, against this build."""
    done = subprocess.run(
        ["bash", "-c", f'{sys.executable} -m kgraph query "$(cat kgraph/queries/most-used-hardware.rq)" '
                       f'--graph {exports / "graph.ttl"}'], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["hardware", "papers", "using"]
    assert done.stdout.splitlines()[2].startswith("GPU")


def test_stats_and_show_on_the_default_corpus(exports):
    cache = str(exports / ".cache")
    done = subprocess.run([sys.executable, "-m", "kgraph", "show", "LoRA", "--cache-dir", cache],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Low-Rank Adaptation [METHOD/low-rank-adaptation]")
    missing = subprocess.run([sys.executable, "-m", "kgraph", "show", "NoSuchThingAnywhere", "--cache-dir", cache],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_query_takes_a_query_file(exports):
    done = subprocess.run([sys.executable, "-m", "kgraph", "query", "kgraph/queries/most-used-hardware.rq",
                           "--graph", str(exports / "graph.ttl"), "--format", "csv"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == '"hardware","papers","using"'
    assert done.stdout.splitlines()[1].startswith('"GPU",')
