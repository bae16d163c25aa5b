"""Abbreviation definitions: "Mixture of Experts (MoE)" -> ("Mixture of Experts", "MoE").

The classic Schwartz & Hearst (2003) algorithm, on plain strings so that it can be
tested without spaCy. scispaCy implements the same algorithm, but only as a spaCy
component that drags in scipy, nmslib and its own models; ours is forty lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A parenthesised candidate short form: 2-12 characters, no spaces beyond one,
# at least one letter, starting with a letter or digit.
_PAREN = re.compile(r"\(([^()]{1,15})\)")
_WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    long: str
    short: str
    long_start: int
    long_end: int
    short_start: int
    short_end: int


def _is_short_form(text: str) -> bool:
    if not 2 <= len(text) <= 12 or text.count(" ") > 1:
        return False
    if not text[0].isalnum() or not any(c.isalpha() for c in text):
        return False
    # Plain lower-case words in brackets are asides, not abbreviations: "(see below)".
    return any(c.isupper() for c in text) or any(c.isdigit() for c in text)


def best_long_form(short: str, candidate: str) -> int | None:
    """Index in ``candidate`` where the long form of ``short`` starts, or None.

    Every character of the short form must appear in the long form, in order, scanning
    from the right; the first character of the short form must start a word.
    """
    s_idx = len(short) - 1
    l_idx = len(candidate) - 1
    while s_idx >= 0:
        ch = short[s_idx].lower()
        if not ch.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            candidate[l_idx].lower() != ch
            or (s_idx == 0 and l_idx > 0 and candidate[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    return max(candidate.rfind(ws, 0, l_idx + 1) for ws in " \n\t") + 1


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every "long form (SHORT)" definition in ``text``, in order of appearance."""
    found: list[Abbreviation] = []
    for match in _PAREN.finditer(text):
        short = match.group(1).strip()
        if not _is_short_form(short):
            continue
        # Schwartz & Hearst: look back at most min(|A| + 5, |A| * 2) words.
        before = text[: match.start()].rstrip()
        words = list(_WORD.finditer(before))
        if not words:
            continue
        max_words = min(len(short) + 5, len(short) * 2)
        window_start = words[max(0, len(words) - max_words)].start()
        # Do not cross a sentence or clause boundary.
        for sep in (". ", "; ", ": ", "? ", "! ", "(", "\n"):
            cut = before.rfind(sep, window_start)
            if cut != -1:
                window_start = max(window_start, cut + len(sep))
        candidate = before[window_start:]
        offset = best_long_form(short, candidate)
        if offset is None:
            continue
        long = candidate[offset:].strip().strip(",")
        if not long or len(long) <= len(short) or long.lower() == short.lower():
            continue
        long_start = window_start + offset
        short_start = match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
        found.append(Abbreviation(long, short, long_start, long_start + len(long),
                                  short_start, short_start + len(short)))
    return found
