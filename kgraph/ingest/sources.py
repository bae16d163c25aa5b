"""Input paths -> the files to read -> their text: the only part of ingest that touches disk.

- Directories are walked in sorted order (the same files in the same order on every
  machine); hidden files and directories (a name starting with ".") are skipped, and
  symbolic links to directories are not followed. A file named twice is read once.
- ``.gz`` files, and any file that starts with gzip's magic bytes, are decompressed. A
  damaged or cut-off gzip stream yields what could be decompressed plus a warning.
- Text is UTF-8; a UTF-8 BOM is dropped and a UTF-16 BOM is honoured. Bytes that are not
  UTF-8 are read as cp1252 (Latin-1 for the five bytes cp1252 leaves undefined), one
  invalid sequence at a time, so a Latin-1 file reads correctly, a mostly UTF-8 file
  keeps its UTF-8, and no byte is ever dropped. That fallback is therefore not reported.
"""
from __future__ import annotations

import codecs
import os
import zlib
from pathlib import Path
from typing import Iterable

from kgraph.errors import IngestError

_GZIP_MAGIC = b"\x1f\x8b"
_FALLBACK = "kgraph-cp1252"


def find_files(inputs: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Every file to read, in order, each with whether it was named (not found in a directory).

    Raises IngestError for a path that does not exist or a directory with nothing to read.
    """
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                raise IngestError(f"{path}: no input files in this directory (hidden files are "
                                  "skipped); give a file or a directory that holds papers")
            named = False
        elif path.exists():
            files, named = [path], True
        else:
            raise IngestError(f"{path}: no such file or directory; check the path")
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append((file, named))
    return found


def _walk(directory: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and path.is_file():
                yield path


def read_text(path: Path) -> tuple[str, list[str]]:
    """The decoded text of `path` and warnings about it (damaged gzip data, bad UTF-16).

    Raises OSError when the file cannot be read at all.
    """
    data = path.read_bytes()
    warnings: list[str] = []
    if data.startswith(_GZIP_MAGIC):
        data, warning = gunzip(data)
        if warning:
            warnings.append(warning)
    text, warning = decode(data)
    if warning:
        warnings.append(warning)
    return text, warnings


def gunzip(data: bytes) -> tuple[bytes, str | None]:
    """Decompress every gzip member in `data`; on damage keep what came out before it."""
    out: list[bytes] = []
    while data.startswith(_GZIP_MAGIC):
        stream = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        for start in range(0, len(data), 1 << 16):
            try:
                out.append(stream.decompress(data[start:start + (1 << 16)]))
            except zlib.error as err:
                return b"".join(out), f"damaged gzip data ({err}); read what came before it"
            if stream.eof:
                break
        if not stream.eof:
            return b"".join(out), "the gzip data is cut off (truncated file?); read what came before"
        data = stream.unused_data
    if data.strip(b"\x00"):
        return b"".join(out), f"ignored {len(data)} bytes after the end of the gzip data"
    return b"".join(out), None


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes -> text as the module doc says, and a warning if anything had to be replaced."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return (data.decode("utf-16", errors="replace"),
                    "not valid UTF-16 after its byte-order mark; bad bytes read as U+FFFD")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    codecs.register_error(_FALLBACK, _cp1252_fallback)  # idempotent; cheap
    return data.decode("utf-8", errors=_FALLBACK), None


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    bad = err.object[err.start:err.end]
    return "".join(_cp1252(byte) for byte in bad), err.end


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: Latin-1

