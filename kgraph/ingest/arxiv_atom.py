"""Reader for Atom feeds as the arXiv API returns them (``export.arxiv.org/api/query``).

Each ``<entry>`` is a record, at the line of its start tag: ``id`` (an arXiv abstract URL,
read as the arXiv id without its version; any other id is kept as the record's own),
``title``, ``summary``, ``published`` (else ``updated``), ``author/name``, the
``alternate`` link as the URL, the DOI (``arxiv:doi`` or the link titled "doi") and the
``category`` terms. The arXiv API reports a bad query as an entry whose id is under
``/api/errors``; that entry is reported with the API's message.

The parser is the standard library's expat, which never fetches external entities. A
document with a DOCTYPE or an entity declaration is refused outright: feeds have none,
and refusing them rules out entity-expansion attacks whatever the expat version. A feed
that breaks off keeps the entries read before the break, and the break is reported.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Iterator

from kgraph.ingest.records import Bad, Raw, split_lines

_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def read(text: str) -> Iterator[Raw | Bad]:
    """Yield one record per Atom entry; a Bad where the XML is broken."""
    if match := _DECLARATION.search(text):
        yield Bad(text.count("\n", 0, match.start()) + 1,
                  "XML with a DOCTYPE or ENTITY declaration is refused (feeds need none)")
        return
    parser = ET.XMLPullParser(events=("start", "end"))
    starts: dict[int, int] = {}  # id(entry element) -> line of its start tag
    entries = 0
    lines = split_lines(text)
    try:
        for n, line in enumerate(lines, 1):
            parser.feed(line + "\n")
            for event, elem in parser.read_events():
                if _local(elem.tag) != "entry":
                    continue
                if event == "start":
                    starts[id(elem)] = n
                else:
                    entries += 1
                    yield _record(elem, starts.pop(id(elem), n))
                    elem.clear()
        parser.close()
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else len(lines)
        yield Bad(line, f"not well-formed XML ({err}); entries after this point were not read")
        return
    if entries == 0:
        yield Bad(1, "no Atom <entry> elements in this XML; is it an arXiv API feed?")


def looks_like(text: str) -> bool:
    """True if `text` is XML that opens an Atom feed or entry."""
    head = text[:4096].lstrip()
    return head.startswith("<") and bool(re.search(r"<(?:\w+:)?(?:feed|entry)\b", head))


def _record(entry: ET.Element, line: int) -> Raw | Bad:
    fields: dict[str, object] = {}
    authors: list[str] = []
    categories: list[str] = []
    for child in entry:
        name, value = _local(child.tag), "".join(child.itertext())
        if name == "id":
            if "/api/errors" in value:
                summary = next((c for c in entry if _local(c.tag) == "summary"), None)
                message = "".join(summary.itertext()).strip() if summary is not None else value
                return Bad(line, f"the arXiv API reports an error: {message}")
            fields["arxiv_id" if "arxiv.org/abs/" in value else "id"] = value.strip()
        elif name in ("title", "summary", "published", "doi"):
            fields.setdefault(name, value)
        elif name == "updated":
            fields.setdefault("date", value)
        elif name == "author":
            authors.extend("".join(c.itertext()) for c in child if _local(c.tag) == "name")
        elif name == "category" and child.get("term"):
            categories.append(child.get("term", ""))
        elif name == "link":
            if child.get("title") == "doi" and child.get("href"):
                fields.setdefault("doi", child.get("href"))
            elif child.get("rel", "alternate") == "alternate" and child.get("href"):
                fields.setdefault("url", child.get("href"))
    if "published" in fields:
        fields["date"] = fields.pop("published")
    fields["authors"], fields["categories"] = authors, categories
    return Raw(line, fields)


def _local(tag: object) -> str:
    """``{http://www.w3.org/2005/Atom}entry`` -> ``entry``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
