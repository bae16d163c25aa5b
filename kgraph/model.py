"""The plain values that flow between kgraph's stages.

Every stage takes and returns these frozen records, so a stage can be tested with a
few hand-written instances and results can cross process boundaries (pickle) and
caches (JSON) unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: The eight entity types of ENTITY_GUIDE.md, in the guide's order.
TYPES: tuple[str, ...] = (
    "MODEL", "METHOD", "DATASET", "BENCHMARK", "HARDWARE", "TASK", "METRIC", "SOFTWARE",
)

#: A paper's relation to an entity, strongest first (see build.py).
ROLES: tuple[str, ...] = ("proposes", "evaluates_on", "uses", "mentions")


@dataclass(frozen=True, slots=True)
class Paper:
    """One distinct paper, possibly merged from several input records.

    ``paper_id`` is the record's own id where it had one, else ``arxiv:<id>``,
    ``doi:<doi>`` or ``title:<hash of the normalised title>``. ``date`` is an ISO 8601
    lexical form: ``YYYY-MM-DD``, ``YYYY-MM``, or ``--MM-DD`` for a page that shows a
    month and day but no year. ``sources`` holds ``path:line`` of every record merged
    into this paper, in input order.
    """

    paper_id: str
    title: str
    abstract: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One surface form of an entity; offsets are into ``Paper.title`` or ``Paper.abstract``."""

    text: str
    start: int
    end: int
    field: str  # "title" or "abstract"


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity as found in one paper: every surface form it takes there.

    ``entity_id`` is ``TYPE/slug-of-canonical-name`` and is the same in every paper
    that names the same thing, so that papers meet in one graph node.
    """

    entity_id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    role: str = "mentions"
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """A paper and the entities extracted from it (each entity once)."""

    paper: Paper
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be read: where it is and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Corpus:
    """What ingest returns: distinct papers plus an account of everything else read."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    records: int = 0  # input records read, good and bad
    duplicates: int = 0  # records merged into an earlier paper
