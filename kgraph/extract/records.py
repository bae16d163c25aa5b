"""The `kgraph extract` output: one JSON object per paper, one per line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

from kgraph.model import Extraction


def extraction_record(ex: Extraction) -> dict:
    return {
        "id": ex.paper.paper_id,
        "title": ex.paper.title,
        "entities": [
            {"id": e.entity_id, "name": e.name, "type": e.label, "aliases": list(e.aliases),
             "role": e.role, "wikidata": e.wikidata,
             "mentions": [{"text": m.text, "start": m.start, "end": m.end, "field": m.field}
                          for m in e.mentions]}
            for e in ex.entities
        ],
    }


def write_extractions(extractions: Iterable[Extraction], dest: Path | None) -> None:
    """Write JSON Lines to ``dest`` atomically, or to stdout when ``dest`` is None."""
    lines = (json.dumps(extraction_record(ex), ensure_ascii=False) + "\n" for ex in extractions)
    if dest is None:
        sys.stdout.writelines(lines)
        return
    from kgraph.atomic import atomic_text

    with atomic_text(Path(dest)) as fh:
        fh.writelines(lines)
