"""From one raw input record (a dict of whatever keys its source uses) to a `Paper`.

Every reader yields `Raw` records and `Bad` ones; `make_paper` turns a `Raw` record's
fields into a Paper, with a list of warnings for optional fields it had to drop, or
raises `BadRecord` when the record cannot be a paper at all.

Keys are matched case-insensitively. A record needs an ``abstract`` (or ``summary``),
and a ``title`` unless it has an id to be known by (``id``, ``arxiv_id`` or ``doi``):
benchmark files such as SciERC's give an id and an empty title on purpose. The other
keys are optional: ``authors`` (a list, or arXiv's "A, B and C"), ``date`` /
``published`` / ``update_date`` / ``publication_date`` (else the ``created`` date of the
first of arXiv's ``versions``), ``url``, ``categories`` (a list, or a space-separated
string). Any other key is ignored. An optional value of the wrong type or form is
dropped with a warning; the paper is kept.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from kgraph.ingest.dates import normalise_date
from kgraph.ingest.text import normalise_text, title_hash
from kgraph.model import Paper


class Raw(NamedTuple):
    """A record as read: where it starts and its fields, not yet checked."""

    line: int | None
    fields: Mapping[str, Any]


class Bad(NamedTuple):
    """A record, or a stretch of a file, that could not be read, and why."""

    line: int | None
    reason: str


#: What every reader is: decoded text in, records out, in file order, never raising.
Reader = Callable[[str], Iterator["Raw | Bad"]]


class BadRecord(ValueError):
    """Raised by `make_paper` for a record that cannot be a paper; the message is the reason."""


_ALIASES = {
    "id": ("id",),
    "title": ("title",),
    "abstract": ("abstract", "summary"),
    "arxiv_id": ("arxiv_id", "arxiv"),
    "doi": ("doi",),
    "authors": ("authors", "author"),
    "date": ("date", "published", "update_date", "publication_date"),
    "url": ("url",),
    "categories": ("categories",),
    "versions": ("versions",),
}
_ARXIV = re.compile(
    r"(?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?(?P<doi>10\.\d{4,9}/\S+)",
                  re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(?P<id>.+)", re.IGNORECASE)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*(?:and\s+)?")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split at ``\\n`` only (CRLF too), never at U+2028 & co."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def parse_arxiv_id(value: str) -> str | None:
    """``arXiv:2301.01234v2``, ``https://arxiv.org/abs/hep-th/9901001`` -> the id without version."""
    match = _ARXIV.fullmatch(value.strip())
    return match["id"] if match else None


def parse_doi(value: str) -> str | None:
    """``https://doi.org/10.1000/XYZ`` or ``doi:10.1000/xyz`` -> ``10.1000/xyz`` (lower case)."""
    match = _DOI.fullmatch(value.strip())
    return match["doi"].lower() if match else None


def parse_authors(value: str) -> tuple[str, ...]:
    """arXiv's author string, ``"A, B and C"``, -> ``("A", "B", "C")``."""
    return tuple(name for part in _AUTHOR_SEPARATOR.split(value) if (name := normalise_text(part)))


def make_paper(fields: Mapping[str, Any], source: str) -> tuple[Paper, list[str]]:
    """Check and normalise one record's fields; return the Paper and warnings, or raise BadRecord."""
    get = _lookup(fields)
    warnings: list[str] = []
    own_id = _identifier(get("id"))
    title = _text(get("title"), "title")
    abstract = _text(get("abstract"), "abstract")
    if not abstract:
        if get("abstract") is not None:
            raise BadRecord("empty abstract")
        raise BadRecord("no abstract" if title or own_id else "no title and no abstract")
    arxiv_id = _optional(get("arxiv_id"), "arxiv_id", parse_arxiv_id, warnings)
    doi = _optional(get("doi"), "doi", parse_doi, warnings)
    if arxiv_id is None and own_id is not None:
        arxiv_id = parse_arxiv_id(own_id)  # the arXiv snapshot's "id" is the arXiv id
    if arxiv_id is None and doi and (match := _ARXIV_DOI.fullmatch(doi)):
        arxiv_id = parse_arxiv_id(match["id"])
    if not title and own_id is None and arxiv_id is None and doi is None:
        raise BadRecord("no title" if get("title") is None else "empty title")
    paper_id = own_id or (f"arxiv:{arxiv_id}" if arxiv_id else f"doi:{doi}" if doi
                          else f"title:{title_hash(title)}")
    return Paper(
        paper_id=paper_id,
        title=title,
        abstract=abstract,
        date=_date(get, warnings),
        authors=_optional(get("authors"), "authors", _authors, warnings, (str, list)) or (),
        url=_optional(get("url"), "url", _url, warnings),
        arxiv_id=arxiv_id,
        doi=doi,
        categories=_optional(get("categories"), "categories", _categories, warnings,
                             (str, list)) or (),
        sources=(source,),
    ), warnings


def _lookup(fields: Mapping[str, Any]) -> Callable[[str], Any]:
    lowered: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)

    def get(name: str) -> Any:
        for alias in _ALIASES[name]:
            value = lowered.get(alias)
            if value is not None and value != "":
                return value
        return None

    return get


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{name} is {_kind(value)}, not text")
    return normalise_text(value)


def _identifier(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadRecord(f"id is {_kind(value)}, not text or an integer")
    return str(value).strip() or None  # kept exactly: benchmark scorers match on it


def _optional(value: Any, name: str, parse: Callable[[Any], Any], warnings: list[str],
              types: tuple[type, ...] = (str,)) -> Any:
    """Parse an optional field; a value that does not parse is dropped with a warning."""
    if value is None:
        return None
    try:
        parsed = parse(value) if isinstance(value, types) else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is None:
        warnings.append(f"{name} {_show(value)} is not understood; read the paper without it")
    return parsed


def _authors(value: str | list) -> tuple[str, ...]:
    if isinstance(value, str):
        return parse_authors(value)
    names = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name") or item.get("display_name")
        if not isinstance(item, str):
            raise ValueError(item)
        if name := normalise_text(item):
            names.append(name)
    return tuple(names)


def _url(value: str) -> str | None:
    url = value.strip()
    return url if not any(ch.isspace() for ch in url) else None


def _categories(value: str | list) -> tuple[str, ...]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not all(isinstance(item, str) for item in items):
        raise ValueError(items)
    return tuple(dict.fromkeys(c for item in items if (c := normalise_text(item))))


def _date(get: Callable[[str], Any], warnings: list[str]) -> str | None:
    value = get("date")
    if value is None:
        value = _first_version_date(get("versions"))
        if value is None:
            return None
    date = normalise_date(value) if isinstance(value, (str, int)) else None
    if date is None:
        warnings.append(f"date {_show(value)} is not a date; read the paper without one")
    return date


def _first_version_date(versions: Any) -> str | None:
    """The ``created`` date of ``v1`` in the arXiv snapshot's ``versions`` list."""
    if not isinstance(versions, list):
        return None
    created = [v.get("created") for v in versions
               if isinstance(v, dict) and v.get("version") in ("v1", 1, "1")]
    return created[0] if created and isinstance(created[0], str) else None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
