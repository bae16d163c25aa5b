"""Hashes of what produced an output: the bytes of files and the versions of libraries.

Shared by the extraction cache (`kgraph.extract.cache`) and the build manifest
(`kgraph.manifest`); imports nothing heavy, so an up-to-date check never loads spaCy.
"""
from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def dist_version(dist: str) -> str:
    """The installed version of a distribution, or "none"."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def update_with_files(h, files: Iterable[tuple[str, Path]]) -> None:
    """Feed each file's stable name, length and bytes into the hash ``h``."""
    for name, path in files:
        data = path.read_bytes()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
