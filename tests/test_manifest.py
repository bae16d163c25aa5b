"""The up-to-date check: an unchanged rebuild skips everything after ingest; any change rebuilds."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import fields, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph import manifest
from kgraph.cli import main
from kgraph.manifest import MANIFEST_NAME, build_key, read_manifest
from kgraph.model import Paper
from kgraph.pipeline import build
from sample_papers import SAMPLE_PAPERS

#: The options `kgraph build` passes by default, so that CLI and library builds share a key.
OPTIONS = {"min_papers": 1, "types": None, "top_k": 10, "min_weight": None}
UP_TO_DATE = "are up to date (nothing changed since the last build); --force rewrites them"


def record(paper: Paper, n: int) -> dict:
    return {"id": paper.paper_id, "title": paper.title, "abstract": paper.abstract,
            "date": f"2024-0{n % 9 + 1}-1{n % 9}", "authors": [f"Author {n}", "B. Coauthor"]}


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One extraction cache for the module: each text is extracted once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_records(tmp_path / "papers.jsonl", [record(p, n) for n, p in enumerate(SAMPLE_PAPERS[:4])])


def run(corpus: Path, outdir: Path, cache: Path, **options):
    return build([corpus], outdir, cache_dir=cache, **{**OPTIONS, **options})


def snapshot(outdir: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``outdir`` (the manifest too): its bytes and mtime."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(outdir.iterdir())}


def outputs(report) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in report.files}


def test_an_unchanged_rebuild_skips_and_touches_nothing(corpus, tmp_path, cache):
    first = run(corpus, tmp_path / "out", cache)
    assert not first.skipped and len(first.files) == 11
    before = snapshot(tmp_path / "out")
    assert MANIFEST_NAME in before

    again = run(corpus, tmp_path / "out", cache)
    assert again.skipped
    assert snapshot(tmp_path / "out") == before  # same bytes, same mtimes, manifest included
    assert again.files == first.files
    assert (again.nodes, again.edges, again.entities_by_type) == (first.nodes, first.edges,
                                                                 first.entities_by_type)
    assert len(again.corpus.papers) == 4  # ingest still ran


def test_an_up_to_date_cli_build_prints_the_summary_and_never_loads_spacy(corpus, tmp_path, cache):
    args = ["build", str(corpus), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), "-q"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    script = textwrap.dedent("""
        import sys
        from kgraph.cli import main
        try:
            main(sys.argv[1:])
        except SystemExit as done:
            assert not done.code, done.code
        print("spacy loaded:", "spacy" in sys.modules)
    """)
    again = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    summary = [line for line in first.output.splitlines() if not line.startswith("wrote ")]
    assert lines[:3] == summary and len(summary) == 3  # papers, entities, graph
    assert lines[3] == f"exports in {tmp_path / 'out'} {UP_TO_DATE}"
    assert lines[4:] == ["spacy loaded: False"]


def test_force_rebuilds_an_up_to_date_directory(corpus, tmp_path, cache):
    args = ["build", str(corpus), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), "-q"]
    assert CliRunner().invoke(main, args).exit_code == 0
    skipped = CliRunner().invoke(main, args)
    assert UP_TO_DATE in skipped.output and "wrote " not in skipped.output
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert UP_TO_DATE not in forced.output
    assert sum(line.startswith("wrote ") for line in forced.output.splitlines()) == 11


# --- every change means a real build, equal to a fresh one -------------------------------

def edit_paper(corpus, outdir, options):
    records = [json.loads(line) for line in corpus.read_text().splitlines()]
    records[1]["abstract"] += " We also report results on MNIST."
    write_records(corpus, records)


def redate_paper(corpus, outdir, options):
    """Only metadata: the text, and so the extraction cache's key, stays the same."""
    records = [json.loads(line) for line in corpus.read_text().splitlines()]
    records[0]["date"] = "2021-12-31"
    write_records(corpus, records)


def add_paper(corpus, outdir, options):
    with corpus.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record(SAMPLE_PAPERS[4], 4)) + "\n")


def change_top_k(corpus, outdir, options):
    options["top_k"] = 1


def change_formats(corpus, outdir, options):
    options["formats"] = ["graphml", "csv"]


def delete_output(corpus, outdir, options):
    (outdir / "entities.csv").unlink()


def edit_output_same_size(corpus, outdir, options):
    path = outdir / "graph.ttl"
    data = bytearray(path.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def append_to_output(corpus, outdir, options):
    with (outdir / "papers.csv").open("ab") as fh:
        fh.write(b"extra,row\n")


def delete_manifest(corpus, outdir, options):
    (outdir / MANIFEST_NAME).unlink()


def force(corpus, outdir, options):
    options["force"] = True


CHANGES = [edit_paper, redate_paper, add_paper, change_top_k, change_formats, delete_output,
           edit_output_same_size, append_to_output, delete_manifest, force]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_any_change_rebuilds_as_a_fresh_build_would(change, corpus, tmp_path, cache):
    outdir, options = tmp_path / "out", {}
    run(corpus, outdir, cache)
    change(corpus, outdir, options)
    rebuilt = run(corpus, outdir, cache, **options)
    assert not rebuilt.skipped

    options.pop("force", None)
    fresh = run(corpus, tmp_path / "fresh", cache, **options)
    assert not fresh.skipped
    assert outputs(rebuilt) == outputs(fresh)
    assert read_manifest(outdir) == read_manifest(tmp_path / "fresh")
    assert run(corpus, outdir, cache, **options).skipped  # and now it is up to date again


BAD_MANIFESTS = {
    "binary": b"\xff\xfe\x00not json at all",
    "empty": b"",
    "truncated": b'{"kgraph_build_manifest": 1, "key": "',
    "a list": b"[]",
    "files not a list": b'{"kgraph_build_manifest": 1, "key": "k", "files": 3, "summary": {}}',
    "deeply nested": b"[" * 100_000,
}


@pytest.mark.parametrize("content", BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_a_corrupt_manifest_is_a_full_build_never_a_crash(content, corpus, tmp_path, cache):
    outdir = tmp_path / "out"
    first = run(corpus, outdir, cache)
    (outdir / MANIFEST_NAME).write_bytes(content)
    assert read_manifest(outdir) is None
    rebuilt = run(corpus, outdir, cache)
    assert not rebuilt.skipped and outputs(rebuilt) == outputs(first)
    assert read_manifest(outdir) is not None


def test_a_manifest_with_wrong_types_or_paths_is_ignored(corpus, tmp_path, cache):
    outdir = tmp_path / "out"
    run(corpus, outdir, cache)
    good = json.loads((outdir / MANIFEST_NAME).read_text())
    for damage in (lambda m: m["files"][0].update(size="big"),
                   lambda m: m["files"][0].update(name="../papers.jsonl"),
                   lambda m: m["summary"].update(nodes=True),
                   lambda m: m.update(kgraph_build_manifest=99),
                   lambda m: m["summary"].pop("edges")):
        bad = json.loads(json.dumps(good))
        damage(bad)
        (outdir / MANIFEST_NAME).write_text(json.dumps(bad))
        assert read_manifest(outdir) is None
    assert not run(corpus, outdir, cache).skipped


def test_a_changed_package_file_means_a_rebuild(corpus, tmp_path, cache, monkeypatch):
    """Stands in for an edit to kgraph's code or data: the package fingerprint changes."""
    extra = tmp_path / "rules.py"
    extra.write_text("RULES = 1\n")
    real = manifest.package_files
    monkeypatch.setattr(manifest, "package_files", lambda: real() + [("extract/rules-extra.py", extra)])
    manifest.package_fingerprint.cache_clear()
    try:
        run(corpus, tmp_path / "out", cache)
        assert run(corpus, tmp_path / "out", cache).skipped
        extra.write_text("RULES = 2\n")
        manifest.package_fingerprint.cache_clear()
        assert not run(corpus, tmp_path / "out", cache).skipped
    finally:
        manifest.package_fingerprint.cache_clear()


def test_an_invalid_format_is_refused_before_anything_is_built(corpus, tmp_path, cache):
    from kgraph.errors import ConfigError

    with pytest.raises(ConfigError, match="'pdf'"):
        run(corpus, tmp_path / "out", cache, formats=["pdf"])
    assert not (tmp_path / "out").exists()


# --- the key itself ----------------------------------------------------------------------

PAPER = Paper("p1", "T", "A", date="2024-01-01", authors=("X",), url="u", arxiv_id="a",
              doi="d", categories=("cs.CL",), sources=("f.jsonl:1",))
OTHER_VALUES = {"paper_id": "p2", "title": "T2", "abstract": "A2", "date": "2024-01-02",
                "authors": ("X", "Y"), "url": None, "arxiv_id": None, "doi": None,
                "categories": (), "sources": ("g.jsonl:1",)}
ENV = {"kgraph": "1", "package": "abc", "spacy": "3.8"}


def key(papers=(PAPER,), options=None, formats=("ttl", "csv"), env=None) -> str:
    return build_key(list(papers), graph_options=OPTIONS if options is None else options,
                     formats=list(formats), env=ENV if env is None else env)


def test_the_key_follows_every_paper_field():
    assert set(OTHER_VALUES) == {f.name for f in fields(Paper)}
    base = key()
    assert key() == base
    for name, value in OTHER_VALUES.items():
        assert key([replace(PAPER, **{name: value})]) != base, name


def test_the_key_follows_order_options_formats_and_environment():
    second = replace(PAPER, paper_id="p2")
    base = key([PAPER, second])
    assert key([second, PAPER]) != base
    assert key([PAPER]) != base
    assert key(options={**OPTIONS, "top_k": 3}) != key()
    assert key(options={**OPTIONS, "types": ("MODEL",)}) != key()
    assert key(formats=("csv", "ttl")) == key()  # the order of the formats does not matter
    assert key(formats=("ttl",)) != key()
    assert key(env={**ENV, "spacy": "3.9"}) != key()
    assert key(env={**ENV, "package": "abd"}) != key()
    fast = build_key([PAPER], graph_options=OPTIONS, formats=["ttl", "csv"], env=ENV, fast=True)
    assert fast != key()  # a --fast build never passes for a full one, nor the reverse


def test_the_environment_covers_versions_and_the_whole_package():
    env = manifest.environment()
    assert {"kgraph", "package", "python", "spacy"} <= set(env)
    names = {name for name, _ in manifest.package_files()}
    assert {"pipeline.py", "build.py", "export/vocab.ttl", "export/html_template.html",
            "export/view.js", "extract/model/meta.json", "extract/entities.py"} <= names
    assert any(name.startswith("extract/resources/vocab/") for name in names)
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
