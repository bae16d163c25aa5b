"""write_all: the format registry, output directory errors, atomic writes, import hygiene."""
from __future__ import annotations

import copy
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

import kgraph.export.flat
import kgraph.export.graphml
from export_graphs import hostile_graph, small_graph
from kgraph.errors import ConfigError, ExportError
from kgraph.export import EXPORTERS, write_all
from kgraph.atomic import atomic_output
from kgraph.export.graphml import write_graphml

NO_HTML = [name for name in EXPORTERS if name != "html"]
FILES = ["cooccurrences.csv", "entities.csv", "graph.gexf", "graph.graphml", "graph.jsonld",
         "graph.nt", "graph.ttl", "links.csv", "mentions.csv", "papers.csv"]


def test_writes_every_format_sorted(tmp_path):
    G = small_graph()
    before = copy.deepcopy(G)
    paths = write_all(G, tmp_path / "out" / "deeper", formats=NO_HTML)
    assert paths == sorted(paths)
    assert [p.name for p in paths] == FILES
    assert all(p.stat().st_size > 0 for p in paths)
    assert sorted(os.listdir(tmp_path / "out" / "deeper")) == FILES  # no temp files left
    assert nx.utils.graphs_equal(G, before) and dict(G.nodes(data=True)) == dict(before.nodes(data=True))
    mode = stat.S_IMODE(paths[0].stat().st_mode)
    assert mode & 0o044, "exports are readable by others, as open() would make them"


def test_default_is_every_format_and_html_is_skipped_while_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kgraph.export.html", None)  # as if html.py did not exist
    paths = write_all(small_graph(), tmp_path)
    assert [p.name for p in paths] == FILES


def test_html_is_written_when_its_module_exists(tmp_path):
    pytest.importorskip("kgraph.export.html")
    paths = write_all(small_graph(), tmp_path, formats=["html"])
    assert [p.name for p in paths] == ["graph.html"]


def test_format_names_are_checked(tmp_path):
    with pytest.raises(ConfigError) as err:
        write_all(small_graph(), tmp_path, formats=["ttl", "pdf"])
    message = str(err.value)
    assert "'pdf'" in message
    for name in EXPORTERS:
        assert name in message
    with pytest.raises(ConfigError):
        write_all(small_graph(), tmp_path, formats=[])
    assert not list(tmp_path.iterdir())
    paths = write_all(small_graph(), tmp_path, formats=[" TTL", "ttl", "csv"])
    assert [p.name for p in paths] == ["cooccurrences.csv", "entities.csv", "graph.ttl",
                                       "links.csv", "mentions.csv", "papers.csv"]


def test_work_shared_by_two_formats_is_done_once(tmp_path, monkeypatch):
    calls = []
    real = kgraph.export.flat.flatten_graph
    monkeypatch.setattr(kgraph.export.flat, "flatten_graph", lambda G: calls.append(1) or real(G))
    write_all(small_graph(), tmp_path, formats=["graphml", "gexf"])
    assert len(calls) == 1


def test_outdir_that_cannot_be_made_names_the_path_and_fix(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for outdir in (blocker, blocker / "sub"):
        with pytest.raises(ExportError) as err:
            write_all(small_graph(), outdir, formats=["ttl"])
        assert str(outdir) in str(err.value) and "--outdir" in str(err.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_outdir_names_the_path(tmp_path):
    outdir = tmp_path / "ro"
    outdir.mkdir()
    outdir.chmod(0o500)
    try:
        with pytest.raises(ExportError) as err:
            write_all(small_graph(), outdir, formats=["nt"])
        assert str(outdir) in str(err.value)
    finally:
        outdir.chmod(0o700)


def test_permission_error_becomes_export_error(tmp_path, monkeypatch):
    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", deny)
    with pytest.raises(ExportError) as err:
        write_all(small_graph(), tmp_path, formats=["graphml"])
    assert str(tmp_path / "graph.graphml") in str(err.value)
    assert "writable" in str(err.value)


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_interrupted_write_keeps_the_previous_file(tmp_path, exc):
    path = tmp_path / "graph.graphml"
    write_graphml(small_graph(), path)
    previous = path.read_bytes()
    calls = []
    real = kgraph.export.graphml._data

    def fail_midway(data, keys):
        calls.append(1)
        if len(calls) == 5:
            raise exc("interrupted")
        return real(data, keys)

    G = small_graph()
    G.nodes[next(iter(G))]["label"] = "changed"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kgraph.export.graphml, "_data", fail_midway)
        with pytest.raises(exc):
            write_graphml(G, path)
    assert path.read_bytes() == previous
    assert os.listdir(tmp_path) == ["graph.graphml"]
    ET.parse(path)


def test_atomic_output_replaces_only_on_success(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    with pytest.raises(ValueError):
        with atomic_output(path) as fh:
            fh.write(b"half of the new")
            raise ValueError
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.txt"]
    with atomic_output(path) as fh:
        fh.write(b"new")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["f.txt"]


def test_hostile_graph_exports_everywhere(tmp_path):
    paths = write_all(hostile_graph(), tmp_path, formats=NO_HTML)
    assert [p.name for p in paths] == FILES


def test_importing_export_and_query_loads_no_heavy_library():
    code = ("import sys, kgraph.export, kgraph.query, kgraph.export.iris; "
            "print(sorted(m for m in ('rdflib', 'pyvis', 'pyoxigraph', 'igraph') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
