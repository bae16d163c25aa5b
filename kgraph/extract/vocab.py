"""The curated vocabulary of well-known entities, loaded from the package's data files.

``resources/vocab/*.jsonl`` hold one entity a line: ``{"name", "type", "aliases",
"wikidata"?, "types2"?}``. This module turns them into the phrases a matcher looks for
(with plural and hyphen/space variants) and an index from any surface form's key to its
entry. Pure Python: no spaCy here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

from kgraph.errors import ExtractError
from kgraph.model import TYPES
from kgraph.resolve import name_key

VOCAB_PACKAGE = "kgraph.extract.resources.vocab"


@dataclass(frozen=True, slots=True)
class VocabEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    also: tuple[str, ...] = ()  # second types the guide accepts (DATASET/BENCHMARK)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def parse_entries(lines: Iterable[str], source: str = "<vocab>") -> Iterator[VocabEntry]:
    """Entries from JSON lines; a malformed line is a packaging bug, so it is fatal."""
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            raw = json.loads(line)
            entry = VocabEntry(
                name=raw["name"].strip(), type=raw["type"].upper(),
                aliases=tuple(a.strip() for a in raw.get("aliases", ()) if a.strip()),
                wikidata=raw.get("wikidata") or None,
                also=tuple(t.upper() for t in raw.get("types2", ())),
            )
        except (ValueError, KeyError, AttributeError, TypeError) as err:
            raise ExtractError(f"{source}:{number}: bad vocabulary entry ({err})") from err
        if entry.type not in TYPES:
            raise ExtractError(f"{source}:{number}: unknown type {entry.type!r}; use one of {', '.join(TYPES)}")
        yield entry


def _variants(form: str) -> set[str]:
    """Spellings of one form that a matcher should also find."""
    out = {form}
    if "-" in form and " " not in form.replace("-", "", 1) and form.replace("-", "").isalpha():
        out.add(form.replace("-", " "))
    if " " in form and form.islower():
        out.add(form.replace(" ", "-"))
    for v in list(out):
        last = v.split(" ")[-1]
        if v.islower() and last.isalpha() and len(last) > 2:
            if last.endswith("y") and last[-2] not in "aeiou":
                out.add(v[:-1] + "ies")
            elif not last.endswith("s"):
                out.add(v + "s")
        elif last[-1:].isupper() and len(last) >= 2 and last.isalnum():
            out.add(v + "s")  # "LLM" -> "LLMs", "GPU" -> "GPUs"
    return out


@dataclass(frozen=True, slots=True)
class Vocabulary:
    entries: tuple[VocabEntry, ...]
    by_key: dict  # name_key(form) -> index into entries

    def lookup(self, text: str) -> VocabEntry | None:
        idx = self.by_key.get(name_key(text))
        return None if idx is None else self.entries[idx]

    def phrases(self) -> Iterator[tuple[str, int, str]]:
        """(phrase, entry index, match mode) for every form and variant.

        Modes: "exact" for acronyms and capitalised words ("SAM" is not "sam", "Ray" is
        not "ray"); "any" for lower-case terms ("Semantic Segmentation"); "capital" for
        camel-case names, matched in any case as long as the text has a capital letter
        ("Pytorch", "Nvidia", but not "complex" for ComplEx).
        """
        for idx, entry in enumerate(self.entries):
            for form in entry.forms:
                for variant in sorted(_variants(form)):
                    if variant.islower():
                        yield variant, idx, "any"
                    elif _is_camel_case(variant):
                        yield variant, idx, "capital"
                    else:
                        yield variant, idx, "exact"


def _is_camel_case(form: str) -> bool:
    return len(form) >= 4 and any(c.islower() for c in form) and any(c.isupper() for c in form[1:])


def build_vocabulary(entries: Iterable[VocabEntry]) -> Vocabulary:
    entries = tuple(entries)
    by_key: dict[str, int] = {}
    for idx, entry in enumerate(entries):
        for form in entry.forms:
            by_key.setdefault(name_key(form), idx)  # first file wins on a clash
    return Vocabulary(entries, by_key)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped in the package (cached: it is read once per process)."""
    folder = resources.files(VOCAB_PACKAGE)
    entries: list[VocabEntry] = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".jsonl"):
            with item.open(encoding="utf-8") as fh:
                entries.extend(parse_entries(fh, source=f"vocab/{item.name}"))
    if not entries:
        raise ExtractError(f"no vocabulary files found in {VOCAB_PACKAGE}; reinstall kgraph")
    return build_vocabulary(entries)
