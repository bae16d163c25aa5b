"""Read-only SPARQL over an RDF export (``kgraph query``), through pyoxigraph.

Where the data comes from:

- a Turtle, N-Triples or JSON-LD file (by extension) under :data:`LARGE_FILE` bytes
  (about a million triples) is loaded into an in-memory store;
- a larger file is bulk-loaded once into an on-disk store next to it,
  ``<file>.oxigraph/``, which later queries reuse while the file is unchanged (its size
  and modification time are recorded in the store); where that directory cannot be
  written, the store is built in a temporary directory for the one query;
- a directory is opened read-only as an on-disk pyoxigraph store if it is one, else it is
  taken as an export directory and its ``graph.nt``, ``graph.ttl`` or ``graph.jsonld``
  is queried as above.

The prefixes of :data:`kgraph.export.iris.PREFIXES` (kg, kgid, schema, dcterms, skos,
owl, rdf, rdfs, xsd, wd) are predeclared; a query's own PREFIX lines take precedence.
Only queries run: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE,
COPY, WITH) is refused, and the store is only ever queried.

Results print as an aligned ``table`` (long values cut to :data:`TABLE_WIDTH`), ``csv``
(csv module, every cell quoted, formula-like text neutralised) or ``json`` (a list of
row objects; numbers and booleans as JSON values, unbound variables as null). ASK gives
one ``ask`` column; CONSTRUCT and DESCRIBE give subject, predicate, object rows.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kgraph.errors import ConfigError, ExportError
from kgraph.export.iris import PREFIXES
from kgraph.export.text import neutralise_formula

LARGE_FILE = 100_000_000  # bytes; about 1e6 triples of N-Triples
TABLE_WIDTH = 60
OUT_FORMATS = ("table", "csv", "json")
EXPORT_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")
_STORE_STAMP = "kgraph-source.json"

_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                 "COPY", "WITH")
_PROLOGUE = re.compile(
    r"""\s+ | \#[^\n]* | (?i:BASE)\s*<[^>]*> | (?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>""", re.X)
_XSD = PREFIXES["xsd"]
_INTEGER_TYPES = {f"{_XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {f"{_XSD}{t}" for t in ("double", "float", "decimal")}


def run_query(sparql: str, graph_path: str | Path, out_format: str = "table") -> str:
    """Run a read-only SPARQL query over an exported graph; the result as text."""
    if out_format not in OUT_FORMATS:
        raise ConfigError(f"unknown output format {out_format!r}; choose from {', '.join(OUT_FORMATS)}")
    refuse_updates(sparql)
    with open_store(Path(graph_path)) as store:
        try:
            result = store.query(sparql, prefixes=dict(PREFIXES))
        except SyntaxError as err:
            raise ExportError(f"SPARQL syntax error: {_one_line(err)}") from err
        except OSError as err:
            raise ExportError(f"query failed on {graph_path}: {_one_line(err)}") from err
        columns, rows = _table(result)
    return format_rows(columns, rows, out_format)


def example_queries() -> dict[str, str]:
    """The example queries shipped in ``kgraph/queries/``: file stem -> SPARQL text."""
    from importlib import resources

    folder = resources.files("kgraph").joinpath("queries")
    return {entry.name[:-3]: entry.read_text(encoding="utf-8")
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".rq")}


def refuse_updates(sparql: str) -> None:
    """Raise ExportError when ``sparql`` is a SPARQL Update rather than a query."""
    pos = 0
    while match := _PROLOGUE.match(sparql, pos):
        if match.end() == pos:
            break
        pos = match.end()
    word = re.match(r"[A-Za-z]+", sparql[pos:])
    if word and word.group(0).upper() in _UPDATE_WORDS:
        raise ExportError(
            f"kgraph query is read-only: {word.group(0).upper()} is a SPARQL Update "
            "operation and is refused; use SELECT, ASK, CONSTRUCT or DESCRIBE")


# --- the store ------------------------------------------------------------------------

@contextmanager
def open_store(path: Path) -> Iterator:
    """A pyoxigraph Store holding the graph at ``path`` (see the module docstring)."""
    import pyoxigraph

    if path.is_dir():
        if _is_store(path):
            yield _read_only(pyoxigraph, path)
            return
        found = next((path / name for name in EXPORT_FILES if (path / name).is_file()), None)
        if found is None:
            raise ExportError(f"{path} holds neither a pyoxigraph store nor an RDF export "
                              f"({', '.join(EXPORT_FILES)}); run `kgraph build` first")
        path = found
    if not path.is_file():
        raise ExportError(f"graph {path} does not exist; run `kgraph build` first to create it, "
                          "or pass --graph with the path of a .ttl, .nt or .jsonld export")
    fmt = _rdf_format(pyoxigraph, path)
    if path.stat().st_size < LARGE_FILE:
        store = pyoxigraph.Store()
        _load(store.load, fmt, path)
        yield store
        return
    with _disk_store(pyoxigraph, path, fmt) as store:
        yield store


def _rdf_format(pyoxigraph, path: Path):
    formats = {".ttl": "TURTLE", ".turtle": "TURTLE", ".nt": "N_TRIPLES",
               ".jsonld": "JSON_LD", ".json": "JSON_LD"}
    name = formats.get(path.suffix.lower())
    if name is None:
        raise ExportError(f"cannot tell the RDF format of {path}; use a .ttl, .nt or .jsonld file")
    return getattr(pyoxigraph.RdfFormat, name)


def _load(load, fmt, path: Path) -> None:
    try:
        load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as err:
        raise ExportError(f"cannot read {path}: {_one_line(err)}; re-run `kgraph build` "
                          "to write it again") from err
    except OSError as err:
        raise ExportError(f"cannot read {path}: {_one_line(err)}") from err


def _is_store(path: Path) -> bool:
    return (path / "CURRENT").is_file() or (path / _STORE_STAMP).is_file()


def _read_only(pyoxigraph, path: Path):
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as err:
        raise ExportError(f"cannot open the pyoxigraph store {path}: {_one_line(err)}") from err


@contextmanager
def _disk_store(pyoxigraph, path: Path, fmt) -> Iterator:
    """An on-disk store for a big file, cached in ``<file>.oxigraph/`` while it is unchanged."""
    stat = path.stat()
    stamp = {"source": path.name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    cache = path.with_name(path.name + ".oxigraph")
    try:
        fresh = json.loads((cache / _STORE_STAMP).read_text(encoding="utf-8")) == stamp
    except (OSError, ValueError):
        fresh = False
    if fresh:
        yield _read_only(pyoxigraph, cache)
        return
    try:  # build next to the file, then move into place; else a throw-away temp store
        build, keep = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.oxigraph.")), True
    except OSError:
        build, keep = Path(tempfile.mkdtemp(prefix="kgraph-oxigraph.")), False
    try:
        store = pyoxigraph.Store(str(build))
        _load(store.bulk_load, fmt, path)
        store.flush()
        del store  # releases the database lock
        (build / _STORE_STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        if keep:
            shutil.rmtree(cache, ignore_errors=True)
            build = build.rename(cache)
        yield _read_only(pyoxigraph, build)
    finally:
        if not keep or build != cache:
            shutil.rmtree(build, ignore_errors=True)


# --- results --------------------------------------------------------------------------

def _table(result) -> tuple[list[str], list[list]]:
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return ["ask"], [[bool(result)]]
    if hasattr(result, "variables"):
        columns = [v.value for v in result.variables]
        return columns, [[_value(solution[name]) for name in columns] for solution in result]
    return (["subject", "predicate", "object"],
            [[_value(t.subject), _value(t.predicate), _value(t.object)] for t in result])


def _value(term):
    """A Python value for an RDF term: str, int, float, bool, or None when unbound."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "Literal":
        datatype = term.datatype.value if term.datatype is not None else ""
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
            if datatype == f"{_XSD}boolean":
                return term.value in ("true", "1")
        except ValueError:
            pass
        return term.value
    if kind == "BlankNode":
        return f"_:{term.value}"
    if kind == "NamedNode":
        return term.value
    return str(term)


def format_rows(columns: list[str], rows: list[list], out_format: str) -> str:
    """Rows as an aligned text table, CSV or JSON."""
    if out_format == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False,
                          indent=2) + "\n"
    if out_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        return out.getvalue()
    cells = [[_table_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_cell(value) -> str:
    return neutralise_formula(value) if isinstance(value, str) else _text(value)


def _table_cell(value) -> str:
    text = re.sub(r"\s+", " ", _text(value)).strip()
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= TABLE_WIDTH else text[:TABLE_WIDTH - 1] + "…"


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 200 else text[:199] + "…"
