"""The extraction cache: a paper's entities, stored under its text and the pipeline's identity.

One SQLite file, ``extractions.sqlite`` in the cache directory (``.kgraph-cache/`` by
default). A row's key is the pair

- *fingerprint*: `pipeline_fingerprint`, a hash of kgraph's and spaCy's versions and
  the bytes of everything that decides what extraction returns (``kgraph/extract/*.py``
  but this module and ``engines.py``, ``kgraph/resolve.py``, the vocabulary,
  ``generic.txt``, the shipped NER model), and
- *key*: `paper_key`, the sha256 of ``title + "\\n" + abstract``,

and its value is the JSON of the plain entity dicts a Doc carries in ``doc._.kg_entities``.
Changing the pipeline changes the fingerprint, so stale rows are never read; the rows of
all but the `KEEP_PIPELINES` most recently used fingerprints are deleted.

The file is opened in WAL mode and written in transactions, one per batch of papers:
an interrupted run keeps every batch it committed and none of the one it was writing,
and readers never see half a batch.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from kgraph.errors import ConfigError
from kgraph.extract.nlp import paper_text
from kgraph.fingerprint import dist_version, update_with_files

DB_NAME = "extractions.sqlite"
KEEP_PIPELINES = 3
_PLUMBING = frozenset({"cache.py", "engines.py"})  # decide where extraction runs, not what it returns
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), below SQLite's variable limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (
    fingerprint TEXT NOT NULL,
    key         TEXT NOT NULL,
    entities    TEXT NOT NULL,
    PRIMARY KEY (fingerprint, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pipelines (
    fingerprint TEXT PRIMARY KEY,
    version     TEXT NOT NULL,
    last_used   REAL NOT NULL
);
"""


def paper_key(title: str, abstract: str) -> str:
    """The cache key of a paper's text: what extraction reads, and nothing else."""
    return hashlib.sha256(paper_text(title, abstract).encode("utf-8")).hexdigest()


def _pipeline_files(fast: bool = False) -> list[tuple[str, Path]]:
    """Every file whose bytes decide extraction's output, by a stable relative name
    (the NER models do not decide a ``fast`` run's)."""
    extract = Path(__file__).resolve().parent
    files = [(f"extract/{p.name}", p) for p in extract.glob("*.py") if p.name not in _PLUMBING]
    files.append(("resolve.py", extract.parent / "resolve.py"))
    for folder in ("resources",) if fast else ("resources", "model", "model-check"):
        for p in (extract / folder).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                files.append((p.relative_to(extract).as_posix(), p))
    return sorted(files)


@lru_cache(maxsize=2)
def pipeline_fingerprint(fast: bool = False) -> str:
    """A hash of what extraction depends on; computed once per process and mode (~10 ms).
    A ``fast`` run (no statistical NER) has a fingerprint of its own."""
    from kgraph import __version__

    h = hashlib.sha256()
    h.update(f"kgraph {__version__}\nspacy {dist_version('spacy')}\n".encode())
    if fast:
        h.update(b"fast: vocabulary and rules only\n")
    update_with_files(h, _pipeline_files(fast))
    return h.hexdigest()


class ExtractionCache:
    """Entity dicts by paper key, for one pipeline fingerprint. Use as a context manager."""

    def __init__(self, cache_dir: str | Path, fingerprint: str | None = None):
        self.path = Path(cache_dir) / DB_NAME
        self.fingerprint = fingerprint or pipeline_fingerprint()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(_SCHEMA)
            self._register()
        except (OSError, sqlite3.Error) as err:
            raise ConfigError(f"cannot use the extraction cache {self.path} ({err}); "
                              "delete it, choose another --cache-dir, or run with --no-cache") from err

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _register(self) -> None:
        """Mark this fingerprint as used now; drop the rows of long-unused ones."""
        from kgraph import __version__

        with self._transaction():
            self.conn.execute("INSERT OR REPLACE INTO pipelines VALUES (?, ?, ?)",
                              (self.fingerprint, __version__, time.time()))
            stale = [fp for (fp,) in self.conn.execute(
                "SELECT fingerprint FROM pipelines ORDER BY last_used DESC LIMIT -1 OFFSET ?",
                (KEEP_PIPELINES,))]
            for fp in stale:
                self.conn.execute("DELETE FROM extractions WHERE fingerprint = ?", (fp,))
                self.conn.execute("DELETE FROM pipelines WHERE fingerprint = ?", (fp,))

    @contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt too)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def get_many(self, keys: Iterable[str]) -> dict[str, list[dict]]:
        """The cached entity dicts of those keys that are cached."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, list[dict]] = {}
        for i in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[i:i + _LOOKUP_CHUNK]
            rows = self.conn.execute(
                f"SELECT key, entities FROM extractions WHERE fingerprint = ? "
                f"AND key IN ({','.join('?' * len(chunk))})", (self.fingerprint, *chunk))
            found.update((key, json.loads(value)) for key, value in rows)
        return found

    def put_many(self, items: Iterable[tuple[str, Sequence[dict]]]) -> int:
        """Store (key, entity dicts) pairs in one transaction: all of them, or none."""
        rows = ((self.fingerprint, key, json.dumps(raw, ensure_ascii=False, separators=(",", ":")))
                for key, raw in items)
        with self._transaction():
            cur = self.conn.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)", rows)
        return cur.rowcount

    def __len__(self) -> int:
        (n,) = self.conn.execute("SELECT COUNT(*) FROM extractions WHERE fingerprint = ?",
                                 (self.fingerprint,)).fetchone()
        return n

