"""Atomic output: every writer in kgraph goes through :func:`atomic_output` or :func:`atomic_text`.

Given a path, the content goes to a temporary file in the same directory, which is
fsynced and renamed over the destination only when the writer finishes. A writer that
raises (or is interrupted) leaves the previous file untouched and no temporary file
behind. Given an open binary file instead, the writer writes straight into it and the
caller owns its atomicity.
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from kgraph.errors import ExportError

Destination = str | os.PathLike | BinaryIO


def is_file_object(dest) -> bool:
    return hasattr(dest, "write")


@functools.cache
def _file_mode() -> int:
    """0o666 less the process umask: what open() would have given the file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(dest: Destination) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``dest`` in one rename."""
    if is_file_object(dest):
        yield dest
        return
    path = Path(dest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise ExportError(
            f"cannot write {path}: {err.strerror or err}; make sure {path.parent} exists and "
            "is writable, or choose another output directory") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError) and not isinstance(err, ExportError):
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
        raise


@contextlib.contextmanager
def atomic_text(dest: Destination, newline: str | None = "\n") -> Iterator[io.TextIOWrapper]:
    """Like :func:`atomic_output`, as UTF-8 text (the caller's binary file stays open)."""
    with atomic_output(dest) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline=newline)
        try:
            yield text
            text.flush()
        finally:
            text.detach()
