"""Reader for Hugging Face "Daily Papers" page dumps (``data/daily-papers/*.txt``).

A dump is the page's text: a few header lines ("new", "Subscribe", "Daily Papers",
"by AK and the research community"...), maybe a page date such as "Mar 11", then one
title line and one abstract line per paper, blank lines between. A record's line is its
title's. The page date is every record's ``date`` (``--03-11``: the page shows no year).

The pairing resynchronises instead of drifting: a line too long to be a title (over
300 characters) where a title is expected is reported and skipped, and a title followed
by another title-sized line and then a paragraph is reported as a title without an
abstract. Header and date lines are recognised between records too, so concatenated
pages read correctly.
"""
from __future__ import annotations

import re
from typing import Iterator

from kgraph.ingest.dates import normalise_date
from kgraph.ingest.records import Bad, Raw, split_lines

HEADER_LINES = frozenset((
    "new", "get trending papers in your email inbox!", "subscribe", "daily papers",
    "by ak and the research community", "byak and the research community",
))
MAX_TITLE = 300
_PAGE_DATE = re.compile(r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?")


def read(text: str) -> Iterator[Raw | Bad]:
    """Yield one record per title/abstract pair, and a Bad for each line that does not pair."""
    lines = [(n, line.strip()) for n, line in enumerate(split_lines(text), 1) if line.strip()]
    date = None
    i = 0
    while i < len(lines):
        n, line = lines[i]
        if line.lower() in HEADER_LINES:
            i += 1
        elif _PAGE_DATE.fullmatch(line) and normalise_date(line):
            date, i = line, i + 1
        elif len(line) > MAX_TITLE:
            yield Bad(n, "a paragraph where a title should be (is its title line missing?)")
            i += 1
        elif i + 1 == len(lines):
            yield Bad(n, "a title with no abstract after it (the file ends)")
            i += 1
        elif len(lines[i + 1][1]) <= MAX_TITLE and i + 2 < len(lines) \
                and len(lines[i + 2][1]) > MAX_TITLE:
            yield Bad(n, "a title with no abstract after it (the next line is another title)")
            i += 1
        else:
            yield Raw(n, {"title": line, "abstract": lines[i + 1][1], "date": date})
            i += 2


def looks_like(text: str) -> bool:
    """True if `text` opens with the page's header lines."""
    head = [line.strip().lower() for line in text[:2000].split("\n") if line.strip()][:8]
    return sum(line in HEADER_LINES for line in head) >= 2
