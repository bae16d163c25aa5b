"""The benchmark script: its one-core comparison and a whole run on a tiny corpus."""
import json
import subprocess
import sys

from kgraph.bench import interleaved_clocks, synthetic_records


def test_interleaved_clocks_give_both_sides_every_text_once_in_alternation():
    texts = [f"text {i}" for i in range(250)]
    calls = []
    tok, ext = interleaved_clocks(lambda chunk: calls.append(("tok", list(chunk))),
                                  lambda idx: calls.append(("ext", [texts[i] for i in idx])), texts, chunk=100)
    assert [kind for kind, _ in calls] == ["tok", "ext"] * 3
    assert [t for kind, part in calls if kind == "tok" for t in part] == texts
    assert [t for kind, part in calls if kind == "ext" for t in part] == texts
    assert set(tok) == set(ext) == {"wall_s", "cpu_s"}


def test_synthetic_corpora_are_seeded_and_sized():
    a, b = synthetic_records(30, seed=1), synthetic_records(30, seed=1)
    assert a == b and len(a) == 30 and len({r["id"] for r in a}) == 30
    assert synthetic_records(30, seed=2) != a


def test_the_benchmark_runs_end_to_end_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "kgraph.bench", "--sizes", "40", "--sample", "20", "--jobs", "1",
                          "--no-cache-run", "--formats", "graphml,csv", "--output", str(out), "--markdown"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text())
    [size] = report["sizes"]
    assert size["size"] == 40 and size["sample"]["papers"] == 20
    assert size["sample"]["extract_words_per_s"] > 0 and size["sample"]["tokenizer_words_per_s"] > 0
    assert size["build"]["papers"] == 40
    assert "| 40 (graphml, csv only) |" in run.stdout
