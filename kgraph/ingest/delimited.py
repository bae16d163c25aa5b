"""Readers for CSV and TSV files with a header row naming the columns.

Header names are matched case-insensitively against the keys of `kgraph.ingest.records`
(``title``, ``abstract`` or ``summary``, ``id``, ``authors``...); other columns are
ignored. A header with no abstract column is reported once and the file skipped. Quoted
fields may span lines; a record's line is the line it starts on.

A row with more or fewer fields than the header is reported and skipped. When such a row
spans several lines (an unbalanced quote swallowing the lines after it), reading starts
again at the line after the row's first, so one stray quote costs one line, not the file.
"""
from __future__ import annotations

import csv
import itertools
from typing import Iterator

from kgraph.ingest.records import Bad, Raw, split_lines

_ABSTRACT_COLUMNS = {"abstract", "summary"}


def read_csv(text: str) -> Iterator[Raw | Bad]:
    """Records from comma-separated text."""
    yield from _read(text, ",", "CSV")


def read_tsv(text: str) -> Iterator[Raw | Bad]:
    """Records from tab-separated text."""
    yield from _read(text, "\t", "TSV")


def header_of(text: str, delimiter: str) -> list[str]:
    """The lower-cased column names of `text`'s first non-blank line."""
    first = next((line for line in split_lines(text[:65536]) if line.strip()), "")
    try:
        return [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def looks_like(text: str, delimiter: str) -> bool:
    """True if the first line is a header with an abstract column and another column."""
    header = header_of(text, delimiter)
    return len(header) >= 2 and bool(_ABSTRACT_COLUMNS & set(header))


def _read(text: str, delimiter: str, name: str) -> Iterator[Raw | Bad]:
    lines = [line + "\n" for line in split_lines(text)]
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # an abstract may exceed the 128 KiB default
    try:
        pos = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
        if pos == len(lines):
            return
        header = header_of(lines[pos], delimiter)
        if not _ABSTRACT_COLUMNS & set(header):
            shown = ", ".join(header[:8]) or "nothing"
            yield Bad(pos + 1, f"the {name} header names no abstract column (found: {shown}); "
                               "is it the right format?")
            return
        pos += 1
        while pos < len(lines):
            pos = yield from _rows(lines, pos, header, delimiter, name)
    finally:
        csv.field_size_limit(limit)


def _rows(lines: list[str], pos: int, header: list[str], delimiter: str,
          name: str) -> Iterator[Raw | Bad]:
    """Yield rows from line index `pos`; return where to start again (len(lines) when done)."""
    reader = csv.reader(itertools.islice(lines, pos, None), delimiter=delimiter)
    consumed = 0
    while True:
        first = pos + consumed
        try:
            row = next(reader)
        except StopIteration:
            return len(lines)
        except csv.Error as err:
            yield Bad(first + 1, f"not a {name} row: {err}")
            return first + 1
        consumed = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and not any(cell.strip() for cell in row[len(header):]):
            row = row[:len(header)]  # trailing empty cells, as spreadsheets write them
        if len(row) != len(header):
            yield Bad(first + 1, f"{len(row)} fields where the header has {len(header)}")
            if pos + consumed - first > 1:
                return first + 1
            continue
        fields: dict[str, str] = {}
        for key, value in zip(header, row):
            fields.setdefault(key, value)
        yield Raw(first + 1, fields)
