"""The input formats by name, and how a file's format is picked when none is forced.

A format is picked from the file's name first (``.gz`` looked through), then from its
content:

- ``.jsonl``/``.ndjson`` -> jsonl, ``.json`` -> json, ``.csv`` -> csv, ``.tsv``/``.tab`` -> tsv,
  ``.xml``/``.atom`` -> arxiv-atom; a JSON or JSON Lines file whose content shows
  OpenAlex works (``abstract_inverted_index``, ``https://openalex.org/W...`` ids) is openalex;
- ``.txt`` and any other name: the content decides: an Atom feed, JSON (Lines), a CSV or
  TSV header with an abstract column, or the Daily Papers header. A ``.txt`` file that is
  none of these is read as a Daily Papers dump, the format ``.txt`` stands for here.

A file that nothing matches has no format: the caller says so and suggests ``--format``.
"""
from __future__ import annotations

from pathlib import PurePath

from kgraph.ingest import arxiv_atom, daily_papers, delimited, json_records, openalex
from kgraph.ingest.records import Reader

#: Format name -> reader (decoded text -> records). The names ``--format`` accepts.
FORMATS: dict[str, Reader] = {
    "daily-papers": daily_papers.read,
    "jsonl": json_records.read_jsonl,
    "json": json_records.read_json,
    "csv": delimited.read_csv,
    "tsv": delimited.read_tsv,
    "arxiv-atom": arxiv_atom.read,
    "openalex": openalex.read,
}

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
              ".tsv": "tsv", ".tab": "tsv", ".xml": "arxiv-atom", ".atom": "arxiv-atom"}


def guess_format(name: str | PurePath, text: str) -> str | None:
    """The format of a file called `name` holding `text`, or None if it cannot be told."""
    suffixes = [s.lower() for s in PurePath(name).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    by_name = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if by_name in ("json", "jsonl"):
        return "openalex" if openalex.looks_like(text) else by_name
    if by_name:
        return by_name
    by_content = sniff(text)
    if by_content is None and suffixes and suffixes[-1] == ".txt":
        return "daily-papers"
    return by_content


def sniff(text: str) -> str | None:
    """The format `text` looks like, from its first few kilobytes, or None."""
    head = text[:65536].lstrip()
    if not head or "\x00" in head[:4096]:
        return None
    if head.startswith("<"):
        return "arxiv-atom" if arxiv_atom.looks_like(head) else None
    if head.startswith(("{", "[")):
        kind = "jsonl" if json_records.looks_like_jsonl(head) else "json"
        if kind == "json" and not _json_prefix(head):
            return None
        return "openalex" if openalex.looks_like(head) else kind
    if daily_papers.looks_like(head):
        return "daily-papers"
    first = head.split("\n", 1)[0]
    if "\t" in first and delimited.looks_like(head, "\t"):
        return "tsv"
    if delimited.looks_like(head, ","):
        return "csv"
    return None


def _json_prefix(head: str) -> bool:
    """True if `head` opens like a JSON array of objects or a JSON object (not "[Re] A title")."""
    rest = head[1:].lstrip()
    return head[0] == "{" and rest[:1] in ('"', "}") or head[0] == "[" and rest[:1] in ("{", "]")
