"""Readers for JSON Lines and JSON: one object per paper, keys as in `kgraph.ingest.records`.

JSON Lines: one object a line; blank lines are skipped; a line that is not JSON (a
truncated last line, say) is reported and the next line read.

JSON: an array of objects, a single object, or an object that holds the array under
``results``, ``papers``, ``records``, ``data``, ``items`` or ``entries``. An array is read
one element at a time, so a broken element (or a file cut off half-way) costs only
itself: reading resumes at the next line that starts an object. A ``.json`` file that
turns out to hold JSON Lines is read as such.

Every record's line is the line its object starts on.
"""
from __future__ import annotations

import json
import re
from typing import Any, Generator, Iterator

from kgraph.ingest.records import Bad, Raw, split_lines

CONTAINER_KEYS = ("results", "papers", "records", "data", "items", "entries")
_WHITESPACE = " \t\n\r"
_OBJECT_LINE = re.compile(r"\n[ \t\r]*(?=\{)")


def read_jsonl(text: str) -> Iterator[Raw | Bad]:
    """Records from JSON Lines text."""
    yield from _objects(jsonl_values(text))


def read_json(text: str) -> Iterator[Raw | Bad]:
    """Records from JSON text (see the module doc)."""
    yield from _objects(json_values(text))


def jsonl_values(text: str) -> Iterator[tuple[int, Any] | Bad]:
    """``(line, value)`` for each JSON line, or a Bad for a line that is not JSON."""
    lines = split_lines(text)
    last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=0)
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except (ValueError, RecursionError) as err:
            cut = " (the file's last line: truncated?)" if n == last else ""
            yield Bad(n, f"not JSON: {_reason(err)}{cut}")


def json_values(text: str) -> Iterator[tuple[int, Any] | Bad]:
    """``(line, value)`` for each record-sized JSON value in a JSON document (see the module doc)."""
    lines = _Lines(text)
    start = _skip(text, 0)
    if start == len(text):
        return
    if text[start] == "[":
        end = yield from _array_items(text, start + 1, lines)
        if _skip(text, end) < len(text):
            yield Bad(lines.at(_skip(text, end)), "text after the end of the JSON array was not read")
        return
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError) as err:
        if looks_like_jsonl(text):
            yield from jsonl_values(text)
        else:
            yield Bad(lines.at(getattr(err, "pos", start) or start), f"not JSON: {_reason(err)}")
        return
    if _skip(text, end) < len(text):  # more after the first value: JSON Lines
        yield from jsonl_values(text)
        return
    line = lines.at(start)
    container = next((key for key in CONTAINER_KEYS if isinstance(value, dict)
                      and isinstance(value.get(key), list)
                      and "title" not in value and "abstract" not in value), None)
    if container is None:
        yield line, value
        return
    # Re-read the array in place so each element keeps its own line number.
    opening = re.search(r'"' + container + r'"\s*:\s*\[', text)
    items = list(_array_items(text, opening.end(), _Lines(text))) if opening else []
    if len(items) == len(value[container]) and not any(isinstance(i, Bad) for i in items):
        yield from items
    else:
        yield from ((line, item) for item in value[container])


def looks_like_jsonl(text: str) -> bool:
    """True if every non-blank line of the first few starts an object, and there are two."""
    head = [line.strip() for line in text[:65536].split("\n") if line.strip()][:20]
    return len(head) >= 2 and all(line.startswith("{") for line in head)


def _array_items(text: str, pos: int, lines: "_Lines") -> Generator[tuple[int, Any] | Bad, None, int]:
    """Yield the items of the array opened just before `pos`; return the position after it."""
    decoder = json.JSONDecoder()
    while True:
        pos = _skip(text, pos)
        if pos == len(text):
            yield Bad(lines.at(pos), "the JSON array is not closed (truncated file?)")
            return pos
        if text[pos] == "]":
            return pos + 1
        try:
            value, end = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError) as err:
            yield Bad(lines.at(pos), f"not JSON: {_reason(err)}")
            resume = _OBJECT_LINE.search(text, pos + 1)
            if resume is None:
                return len(text)
            pos = resume.end()
            continue
        yield lines.at(pos), value
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos < len(text) and text[pos] != "]":
            yield Bad(lines.at(pos), "expected ',' or ']' after an array item")
            resume = _OBJECT_LINE.search(text, pos)
            if resume is None:
                return len(text)
            pos = resume.end()


def _objects(values: Iterator[tuple[int, Any] | Bad]) -> Iterator[Raw | Bad]:
    for item in values:
        if isinstance(item, Bad):
            yield item
            continue
        line, value = item
        if isinstance(value, dict):
            yield Raw(line, value)
        else:
            kind = {list: "an array", str: "a string", type(None): "null"}.get(type(value), "a scalar")
            yield Bad(line, f"expected a JSON object for a paper, found {kind}")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _reason(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} (column {err.colno})"
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return str(err)


class _Lines:
    """Line numbers of positions in `text`, for positions that only move forward (O(n) in all)."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line
