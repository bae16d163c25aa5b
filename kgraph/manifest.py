"""The build manifest: is an output directory already up to date with its inputs?

After a successful `kgraph build`, ``OUTDIR/.kgraph-build.json`` records

- the *build key*: `build_key`, a sha256 over everything that decides the exports:
  the papers read (every field of every `Paper`, in order), the graph options, the
  export formats, and the environment (`environment`: kgraph's version, a hash of the
  bytes of every file of the installed kgraph package, and the versions of Python,
  spaCy and the libraries that compute or write the graph);
- the name, size and sha256 of every file the build wrote;
- the summary the CLI prints (nodes, edges, entities by type).

The next build computes the key right after ingest. If it equals the manifest's and
every listed file is still there with the same size and sha256, the exports are what a
build would write again, and the build stops there (`up_to_date`). Anything else (a
missing, unreadable or malformed manifest included) means a full build. Like make, the
check trusts nothing it does not hash: an edited or deleted export is rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from kgraph.atomic import atomic_text
from kgraph.fingerprint import dist_version, update_with_files
from kgraph.model import Paper

MANIFEST_NAME = ".kgraph-build.json"
VERSION = 1  # of the manifest's layout; part of the key
#: Distributions whose version can change what a build writes: spaCy and thinc run the
#: extraction models, networkx and igraph build and analyse the graph, rdflib and pyvis
#: take part in the exports.
DEPENDENCIES = ("spacy", "thinc", "networkx", "igraph", "rdflib", "pyvis")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file a build wrote, by its name in the output directory."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a finished build leaves in its output directory."""

    key: str
    files: tuple[OutputFile, ...]
    nodes: int
    edges: int
    entities_by_type: tuple[tuple[str, int], ...]  # sorted by type


# --- the build key ---------------------------------------------------------------------

def package_files() -> list[tuple[str, Path]]:
    """Every file of the installed kgraph package (code and data), by a stable relative name."""
    root = Path(__file__).resolve().parent
    return sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """A hash of the names and bytes of `package_files`; computed once per process (~30 ms)."""
    h = hashlib.sha256()
    update_with_files(h, package_files())
    return h.hexdigest()


def environment() -> dict[str, str]:
    """What besides the input decides a build's output: kgraph's code and data, and versions."""
    from kgraph import __version__

    return {"kgraph": __version__, "package": package_fingerprint(),
            "python": platform.python_version(), **{dist: dist_version(dist) for dist in DEPENDENCIES}}


def build_key(papers: Sequence[Paper], *, graph_options: Mapping[str, object],
              formats: Sequence[str], env: Mapping[str, str] | None = None, fast: bool = False) -> str:
    """The sha256 of everything that decides a build's exports (see the module docstring).

    ``formats`` are the export format names (their order does not matter); ``env``
    defaults to `environment()`. Reads no spaCy: a pure function of its arguments.
    """
    h = hashlib.sha256()

    def part(label: str, value) -> None:
        h.update(json.dumps([label, value], sort_keys=True).encode("ascii") + b"\n")

    names = [f.name for f in fields(Paper)]
    part("manifest", VERSION)
    part("environment", dict(env if env is not None else environment()))
    part("graph_options", {k: list(v) if isinstance(v, (tuple, list)) else v
                           for k, v in graph_options.items()})
    part("formats", sorted(set(formats)))
    if fast:  # only then, so the keys of full builds stay as they were
        part("extraction", "fast")
    part("paper_fields", names)
    for paper in papers:
        part("paper", [getattr(paper, name) for name in names])
    return h.hexdigest()


# --- files -----------------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def output_file(path: Path) -> OutputFile:
    return OutputFile(path.name, path.stat().st_size, file_sha256(path))


def is_intact(outdir: Path, record: OutputFile) -> bool:
    """Whether the file is still there with the size and sha256 the manifest lists."""
    path = outdir / record.name
    try:
        return (path.is_file() and path.stat().st_size == record.size
                and file_sha256(path) == record.sha256)
    except OSError:
        return False


# --- the manifest file -----------------------------------------------------------------

def manifest_for(key: str, files: Sequence[Path], *, nodes: int, edges: int,
                 entities_by_type: Mapping[str, int]) -> Manifest:
    """The manifest of a build that just wrote ``files``."""
    return Manifest(key=key, files=tuple(output_file(Path(f)) for f in files), nodes=nodes,
                    edges=edges, entities_by_type=tuple(sorted(entities_by_type.items())))


def write_manifest(outdir: Path, manifest: Manifest) -> Path:
    """Write ``OUTDIR/.kgraph-build.json`` atomically; return its path."""
    path = Path(outdir) / MANIFEST_NAME
    data = {
        "kgraph_build_manifest": VERSION, "key": manifest.key,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in manifest.files],
        "summary": {"nodes": manifest.nodes, "edges": manifest.edges,
                    "entities_by_type": dict(manifest.entities_by_type)},
    }
    with atomic_text(path) as fh:
        fh.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def discard_manifest(outdir: Path) -> None:
    """Remove the manifest before a build rewrites the directory (a no-op when absent)."""
    with suppress(OSError):
        (Path(outdir) / MANIFEST_NAME).unlink()


def read_manifest(outdir: Path) -> Manifest | None:
    """The directory's manifest, or None when it is missing, unreadable or malformed."""
    try:
        data = json.loads((Path(outdir) / MANIFEST_NAME).read_bytes())
        return _parse(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _parse(data) -> Manifest | None:
    if not isinstance(data, dict) or data.get("kgraph_build_manifest") != VERSION:
        return None
    files = tuple(OutputFile(f["name"], f["size"], f["sha256"]) for f in data["files"])
    summary = data["summary"]
    by_type = tuple(sorted(summary["entities_by_type"].items()))
    manifest = Manifest(data["key"], files, summary["nodes"], summary["edges"], by_type)
    ok = (isinstance(manifest.key, str) and files
          and all(isinstance(f.name, str) and f.name == Path(f.name).name and f.name not in ("", ".", "..")
                  and _is_count(f.size) and isinstance(f.sha256, str) for f in files)
          and _is_count(manifest.nodes) and _is_count(manifest.edges)
          and all(isinstance(t, str) and _is_count(n) for t, n in by_type))
    return manifest if ok else None


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def up_to_date(outdir: str | Path, key: str) -> Manifest | None:
    """The manifest of ``outdir`` if it has ``key`` and all its files are intact, else None."""
    outdir = Path(outdir)
    manifest = read_manifest(outdir)
    if manifest is None or manifest.key != key:
        return None
    if all(is_intact(outdir, f) for f in manifest.files):
        return manifest
    return None
