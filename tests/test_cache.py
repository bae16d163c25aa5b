"""The extraction cache: hits, misses, invalidation, interrupted writes, incremental runs."""
import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from kgraph.errors import ConfigError
from kgraph.extract import engines, extract_papers
from kgraph.extract import cache as cache_mod
from kgraph.extract.cache import DB_NAME, ExtractionCache, paper_key, pipeline_fingerprint
from kgraph.extract.nlp import paper_text
from kgraph.model import Paper
from sample_papers import DESCRIPTIVE_PAPER, SAMPLE_PAPERS

PAPERS = SAMPLE_PAPERS[:4]
ENTITIES = [{"id": "MODEL/foonet", "name": "FooNet", "type": "MODEL", "aliases": [], "role": "proposes",
             "wikidata": None, "mentions": [["FooNet", 0, 6, "title"]]}]


class RecordingEngine:
    """An engine that extracts for real and remembers which texts it was given."""

    def __init__(self, fail_after: int | None = None):
        self.texts: list[str] = []
        self.fail_after = fail_after

    def __call__(self, texts, *, jobs=1, scheduler=None, fast=False):
        for n, (start, results) in enumerate(engines.run_local(texts, jobs=jobs, fast=fast)):
            if self.fail_after is not None and n == self.fail_after:
                raise KeyboardInterrupt
            self.texts.extend(texts[start:start + len(results)])
            yield start, results


@pytest.fixture
def engine(monkeypatch):
    recorder = RecordingEngine()
    monkeypatch.setitem(engines.ENGINES, "local", recorder)
    return recorder


def test_key_is_the_hash_of_the_text_extraction_reads():
    assert paper_key("T", "A") == hashlib.sha256(paper_text("T", "A").encode()).hexdigest()
    assert paper_key("T", "A") != paper_key("T", "A ")


def test_get_many_returns_hits_and_leaves_out_misses(tmp_path):
    with ExtractionCache(tmp_path, fingerprint="f") as cache:
        cache.put_many([("k1", ENTITIES), ("k2", [])])
        assert cache.get_many(["k1", "k2", "k3"]) == {"k1": ENTITIES, "k2": []}
        assert len(cache) == 2


def test_fast_and_full_extraction_never_share_cached_results(tmp_path, engine):
    assert pipeline_fingerprint(fast=True) != pipeline_fingerprint()
    papers = [*PAPERS, DESCRIPTIVE_PAPER]
    fast = extract_papers(papers, cache_dir=tmp_path, fast=True)
    assert len(engine.texts) == len(papers)
    full = extract_papers(papers, cache_dir=tmp_path)  # a full run extracts again
    assert len(engine.texts) == 2 * len(papers) and full != fast
    assert extract_papers(papers, cache_dir=tmp_path, fast=True) == fast  # and each finds its own
    assert extract_papers(papers, cache_dir=tmp_path) == full
    assert len(engine.texts) == 2 * len(papers)


def test_another_fingerprint_sees_nothing(tmp_path):
    with ExtractionCache(tmp_path, fingerprint="old") as cache:
        cache.put_many([("k1", ENTITIES)])
    with ExtractionCache(tmp_path, fingerprint="new") as cache:
        assert cache.get_many(["k1"]) == {}


def test_only_the_most_recent_pipelines_are_kept(tmp_path):
    for n in range(cache_mod.KEEP_PIPELINES + 1):
        with ExtractionCache(tmp_path, fingerprint=f"f{n}") as cache:
            cache.put_many([("k", ENTITIES)])
    conn = sqlite3.connect(tmp_path / DB_NAME)
    kept = {fp for (fp,) in conn.execute("SELECT DISTINCT fingerprint FROM extractions")}
    assert kept == {f"f{n}" for n in range(1, cache_mod.KEEP_PIPELINES + 1)}


def test_fingerprint_follows_resources_and_version(tmp_path, monkeypatch):
    resource = tmp_path / "vocab.jsonl"
    resource.write_text('{"name": "BERT"}\n')
    real = cache_mod._pipeline_files
    monkeypatch.setattr(cache_mod, "_pipeline_files", lambda fast=False: real(fast) + [("resources/extra.jsonl", resource)])

    def fingerprint():
        pipeline_fingerprint.cache_clear()
        return pipeline_fingerprint()

    try:
        first = fingerprint()
        assert fingerprint() == first
        resource.write_text('{"name": "RoBERTa"}\n')
        changed = fingerprint()
        assert changed != first
        monkeypatch.setattr("kgraph.__version__", "99.0")
        assert fingerprint() != changed
    finally:
        pipeline_fingerprint.cache_clear()


def test_fingerprint_covers_the_pipeline_files():
    names = {name for name, _ in cache_mod._pipeline_files()}
    assert {"extract/entities.py", "extract/components.py", "resolve.py", "resources/generic.txt",
            "model/meta.json"} <= names
    assert any(name.startswith("resources/vocab/") for name in names)
    assert "extract/cache.py" not in names


def test_an_interrupted_batch_is_rolled_back_and_the_db_stays_consistent(tmp_path):
    def rows():
        yield "b1", ENTITIES
        raise RuntimeError("killed mid-batch")

    with ExtractionCache(tmp_path, fingerprint="f") as cache:
        cache.put_many([("a1", ENTITIES), ("a2", [])])
        with pytest.raises(RuntimeError):
            cache.put_many(rows())
        assert cache.get_many(["a1", "a2", "b1"]) == {"a1": ENTITIES, "a2": []}
        cache.put_many([("b1", ENTITIES)])  # and it is still writable
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_interrupted_run_keeps_its_finished_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "CHUNK", 2)
    monkeypatch.setitem(engines.ENGINES, "local", RecordingEngine(fail_after=1))
    with pytest.raises(KeyboardInterrupt):
        extract_papers(PAPERS, cache_dir=tmp_path)
    with ExtractionCache(tmp_path) as cache:
        assert len(cache) == 2

    rerun = RecordingEngine()
    monkeypatch.setitem(engines.ENGINES, "local", rerun)
    resumed = extract_papers(PAPERS, cache_dir=tmp_path)
    assert rerun.texts == [paper_text(p.title, p.abstract) for p in PAPERS[2:]]  # only the lost batch
    assert resumed == extract_papers(PAPERS)


def test_cached_results_equal_uncached_ones(tmp_path, engine):
    uncached = extract_papers(PAPERS)
    first = extract_papers(PAPERS, cache_dir=tmp_path)
    engine.texts.clear()
    second = extract_papers(PAPERS, cache_dir=tmp_path)
    assert first == uncached and second == uncached
    assert engine.texts == []  # every paper came from the cache
    assert any(ex.entities for ex in second)


def test_new_papers_are_the_only_ones_extracted(tmp_path, engine):
    extract_papers(PAPERS[:2], cache_dir=tmp_path)
    engine.texts.clear()
    result = extract_papers(PAPERS, cache_dir=tmp_path)
    assert [t.split("\n")[0] for t in engine.texts] == [p.title for p in PAPERS[2:]]
    assert [ex.paper for ex in result] == PAPERS


def test_the_same_text_is_extracted_once(tmp_path, engine):
    twin = Paper("p1-copy", PAPERS[0].title, PAPERS[0].abstract)
    result = extract_papers([PAPERS[0], twin], cache_dir=tmp_path)
    assert len(engine.texts) == 1
    assert result[0].entities == result[1].entities and result[1].paper == twin


def test_a_damaged_cache_file_is_a_clear_error(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError, match="--no-cache"):
        extract_papers(PAPERS, cache_dir=tmp_path)


def test_a_fully_cached_run_never_loads_spacy(tmp_path):
    extract_papers(PAPERS, cache_dir=tmp_path)
    script = textwrap.dedent(f"""
        import json, sys
        from kgraph.extract import extract_papers
        from kgraph.model import Paper
        papers = [Paper(*p) for p in json.loads(sys.argv[1])]
        extract_papers(papers, cache_dir={str(tmp_path)!r})
        print("spacy" in sys.modules)
    """)
    papers = json.dumps([[p.paper_id, p.title, p.abstract] for p in PAPERS])
    out = subprocess.run([sys.executable, "-c", script, papers], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
