"""Names, variants and ids: pure functions, no spaCy.

Two surface forms name the same thing in a paper when their *keys* are equal: case,
hyphens, spaces and a plural "s" do not count ("Vision-Transformers" ~ "vision
transformer"). Across papers, entities meet through the same id, ``TYPE/slug``, where
the slug comes from the vocabulary's canonical name when the vocabulary knows the
thing, else from the key of the paper's canonical name.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable
from urllib.parse import quote

from kgraph.model import ROLES

_SEP = re.compile(r"[\s\u2010-\u2015_\-/]+")
_EDGE_PUNCT = " .,;:()[]{}\"'`"


def singular(word: str) -> str:
    """The singular of a (last) word, for matching only: "LLMs" -> "LLM", "GPUs" -> "GPU"."""
    if len(word) > 3 and word.endswith("ies") and word[-4].islower():
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) == 3 and word.endswith("s") and word[:2].isupper():  # "VMs", "NNs"
        return word[:-1]
    return word


def name_key(text: str) -> str:
    """The matching key of a surface form: lower case, separators unified, singular."""
    t = unicodedata.normalize("NFKC", text).strip().strip(_EDGE_PUNCT)
    t = _SEP.sub(" ", t).strip()
    if not t:
        return ""
    words = t.split(" ")
    words[-1] = singular(words[-1])
    return " ".join(words).lower()


def slug(text: str) -> str:
    """A readable, IRI-safe slug of a name: "ViT-B/16" -> "vit-b-16", "Ω-Net" -> "%CF%89-net".

    Plurals fold as in `name_key` ("LLMs" -> "llm"), except in a one-word capitalised
    name, where a final "s" belongs to the name ("Cityscapes" -> "cityscapes").
    """
    words = text.strip().split()
    proper = len(words) == 1 and words[0][:1].isupper() and words[0][1:].islower()
    key = name_key(text) if not proper else _SEP.sub(" ", unicodedata.normalize("NFKC", text)).strip(_EDGE_PUNCT).lower()
    t = re.sub(r"[^\w+.#]+", "-", key).strip("-.")
    return quote(t or "x", safe="-_.+#").replace("#", "%23")


def entity_id(label: str, canonical: str) -> str:
    return f"{label}/{slug(canonical)}"


def is_abbreviation(text: str) -> bool:
    """Short forms: few letters, mostly upper case or with digits ("MoE", "GPT-4", "NAS")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text) > 12 or " " in text:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper >= len(letters) / 2


def choose_name(forms: Iterable[str]) -> str:
    """The canonical name among surface forms: the fullest one that is not an abbreviation.

    Fullest means most words, then most characters; ties go to the form seen most
    often, then to the alphabetically first, so the choice is deterministic.
    """
    counts = Counter(forms)
    if not counts:
        raise ValueError("choose_name needs at least one form")

    def rank(form: str):
        return (not is_abbreviation(form), len(form.split()), len(form), counts[form],
                form[:1].isupper(), form)

    best = max(counts, key=rank)
    # Prefer the singular spelling of the same name when the text uses both.
    for form in counts:
        if form != best and name_key(form) == name_key(best) and len(form) < len(best):
            if best.lower().startswith(form.lower()):
                best = form
    return best


def aliases_of(name: str, forms: Iterable[str]) -> tuple[str, ...]:
    """Every distinct surface form other than the name, sorted for stable output."""
    return tuple(sorted({f for f in forms if f != name}))


def unify_short_forms(papers_entities: list[list[tuple[str, str, tuple[str, ...]]]]) -> dict[str, str]:
    """Corpus-wide: which entity ids are bare abbreviations of an entity defined elsewhere.

    Input: for each paper, its entities as ``(entity_id, name, aliases)``. Where one paper
    defines "Gaussian Ellipsoid Model (GEM)" and another only says "GEM", the second
    paper's ``METHOD/gem`` should be ``METHOD/gaussian-ellipsoid-model``. Returns
    ``{old_id: new_id}``, only for short forms defined with a single meaning per type
    across the corpus (two different expansions of "SAM" leave "SAM" alone).
    """
    expansions: dict[str, set[str]] = {}
    for entities in papers_entities:
        for ent_id, name, aliases in entities:
            label = ent_id.split("/", 1)[0]
            for alias in aliases:
                if is_abbreviation(alias) and not is_abbreviation(name):
                    expansions.setdefault(entity_id(label, alias), set()).add(ent_id)
    return {short: next(iter(longs)) for short, longs in sorted(expansions.items())
            if len(longs) == 1 and short not in longs}


def unify_extractions(extractions: list) -> list:
    """Rewrite bare abbreviations to the entity another paper defines (see unify_short_forms)."""
    from dataclasses import replace

    mapping = unify_short_forms([[(e.entity_id, e.name, e.aliases) for e in ex.entities] for ex in extractions])
    if not mapping:
        return extractions
    out = []
    for ex in extractions:
        if not any(e.entity_id in mapping for e in ex.entities):
            out.append(ex)
            continue
        merged: dict[str, object] = {}
        for e in ex.entities:
            e = replace(e, entity_id=mapping.get(e.entity_id, e.entity_id))
            if e.entity_id in merged:
                first = merged[e.entity_id]
                forms = {first.name, *first.aliases, e.name, *e.aliases}
                mentions = tuple(sorted({*first.mentions, *e.mentions}, key=lambda m: (m.field != "title", m.start)))
                name = choose_name(sorted(forms))
                e = replace(first, name=name, aliases=aliases_of(name, forms), mentions=mentions,
                            role=min(first.role, e.role, key=ROLES.index))
            merged[e.entity_id] = e
        out.append(replace(ex, entities=tuple(sorted(merged.values(), key=lambda e: e.entity_id))))
    return out
