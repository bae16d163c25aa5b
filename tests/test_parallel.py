"""Extraction in several processes and on Dask gives exactly the single-process result."""
import json

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.errors import ConfigError
from kgraph.extract import engines, extract_papers
from sample_papers import DESCRIPTIVE_PAPER, SAMPLE_PAPERS

PAPERS = SAMPLE_PAPERS


@pytest.fixture
def small_chunks(monkeypatch):
    """Two papers a chunk, so five papers make three chunks spread over the workers."""
    monkeypatch.setattr(engines, "CHUNK", 2)


@pytest.fixture(scope="module")
def single():
    return extract_papers(PAPERS)


def test_two_processes_equal_one(single, small_chunks):
    assert extract_papers(PAPERS, jobs=2) == single
    assert any(ex.entities for ex in single)


def test_chunks_arriving_out_of_order_are_put_back_in_order(single, monkeypatch):
    def backwards(texts, *, jobs=1, scheduler=None, fast=False):
        """One paper a chunk, the last first: as Dask may hand them back."""
        per_paper = [(i, [r]) for start, results in engines.run_local(texts, fast=fast)
                     for i, r in enumerate(results, start)]
        yield from reversed(per_paper)

    monkeypatch.setitem(engines.ENGINES, "local", backwards)
    assert extract_papers(PAPERS) == single


def test_dask_local_cluster_equals_local(single, small_chunks):
    pytest.importorskip("distributed")
    assert extract_papers(PAPERS, engine="dask", jobs=2) == single


def test_fast_extraction_is_the_same_in_one_process_two_and_on_dask(small_chunks):
    papers = [*PAPERS, DESCRIPTIVE_PAPER]
    fast = extract_papers(papers, fast=True)
    assert fast != extract_papers(papers)  # the statistical NERs add what no vocabulary lists
    assert extract_papers(papers, fast=True, jobs=2) == fast
    pytest.importorskip("distributed")
    assert extract_papers(papers, fast=True, engine="dask", jobs=2) == fast


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", 1)
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        extract_papers(PAPERS[:1], engine="dask", scheduler="tcp://127.0.0.1:9")


def test_without_dask_the_engine_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(ConfigError, match=r"pip install 'kgraph\[dask\]'"):
        extract_papers(PAPERS[:1], engine="dask")


def test_an_unknown_engine_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown engine"):
        extract_papers(PAPERS[:1], engine="spark")


def test_cli_extract_gives_the_same_lines_with_jobs_and_cache(tmp_path, small_chunks):
    corpus = tmp_path / "papers.jsonl"
    corpus.write_text("".join(json.dumps({"id": p.paper_id, "title": p.title, "abstract": p.abstract}) + "\n"
                              for p in PAPERS))
    runner = CliRunner()
    outputs = []
    for flags in (["--no-cache"], ["--jobs", "2", "--cache-dir", str(tmp_path / "c")],
                  ["--cache-dir", str(tmp_path / "c")]):
        out = tmp_path / f"out{len(outputs)}.jsonl"
        result = runner.invoke(main, ["extract", str(corpus), "-q", "-o", str(out), *flags])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) == len(PAPERS)
