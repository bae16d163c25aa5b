"""Reader for OpenAlex works: a single work, a list, a ``{"results": [...]}`` page, or JSONL.

From each work: ``display_name`` (else ``title``), the abstract rebuilt from
``abstract_inverted_index`` (else a plain ``abstract``), ``doi``, ``publication_date``
(else ``publication_year``), ``ids.arxiv`` if any (else an arXiv DOI,
``10.48550/arxiv.*``, gives the arXiv id), the authors' display names, the landing page
as URL, and ``primary_topic``'s name plus the ``keywords`` as categories. A work with neither an arXiv id nor a DOI is known by its
OpenAlex id, ``openalex:W...``. OpenAlex has no abstract for many works; each such work
is reported as a record with no abstract.
"""
from __future__ import annotations

from typing import Any, Iterator

from kgraph.ingest.json_records import json_values, jsonl_values, looks_like_jsonl
from kgraph.ingest.records import Bad, Raw

_OPENALEX_ID = "https://openalex.org/"


def read(text: str) -> Iterator[Raw | Bad]:
    """Yield one record per OpenAlex work in JSON or JSON Lines `text`."""
    values = jsonl_values(text) if looks_like_jsonl(text) else json_values(text)
    for item in values:
        if isinstance(item, Bad):
            yield item
            continue
        line, work = item
        if isinstance(work, dict) and isinstance(work.get("results"), list):  # a page per line
            for each in work["results"]:
                yield _work(line, each)
        else:
            yield _work(line, work)


def looks_like(text: str) -> bool:
    """True if the start of `text` reads like OpenAlex works."""
    head = text[:65536]
    return '"abstract_inverted_index"' in head or (
        f'"{_OPENALEX_ID}W' in head and '"display_name"' in head)


def abstract_from_index(index: Any) -> str:
    """Put the words of an ``abstract_inverted_index`` (word -> positions) back in order.

    Raises ValueError if the index is not a mapping of words to lists of positions.
    """
    if not isinstance(index, dict):
        raise ValueError("abstract_inverted_index is not an object")
    at: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list) or not all(
                isinstance(p, int) and not isinstance(p, bool) for p in positions):
            raise ValueError(f"abstract_inverted_index has bad positions for {word[:30]!r}")
        for position in positions:
            at.setdefault(position, word)
    return " ".join(at[p] for p in sorted(at))


def _work(line: int, work: Any) -> Raw | Bad:
    if not isinstance(work, dict):
        return Bad(line, "expected an OpenAlex work (a JSON object)")
    fields: dict[str, Any] = {"title": work.get("display_name") or work.get("title")}
    if work.get("abstract_inverted_index") is not None:
        try:
            fields["abstract"] = abstract_from_index(work["abstract_inverted_index"])
        except ValueError as err:
            return Bad(line, str(err))
    else:
        fields["abstract"] = work.get("abstract")  # a plain record that merely cites OpenAlex
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    fields["doi"] = work.get("doi") or ids.get("doi")
    fields["arxiv_id"] = ids.get("arxiv")
    fields["date"] = work.get("publication_date") or work.get("publication_year")
    fields["authors"] = [name for a in _list(work.get("authorships"))
                         if isinstance(a, dict) and isinstance(a.get("author"), dict)
                         and isinstance(name := a["author"].get("display_name"), str)]
    location = work.get("primary_location")
    if isinstance(location, dict) and isinstance(location.get("landing_page_url"), str):
        fields["url"] = location["landing_page_url"]
    topic = work.get("primary_topic")
    fields["categories"] = [c for c in [topic.get("display_name") if isinstance(topic, dict) else None]
                            + [k.get("display_name") for k in _list(work.get("keywords"))
                               if isinstance(k, dict)] if isinstance(c, str)]
    openalex_id = work.get("id") or ids.get("openalex")
    if not fields["doi"] and not fields["arxiv_id"] and isinstance(openalex_id, str):
        fields["id"] = "openalex:" + openalex_id.removeprefix(_OPENALEX_ID)
    return Raw(line, fields)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
