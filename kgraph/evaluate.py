"""`kgraph evaluate`: score extraction on annotated corpora with the shared scorer.

Every figure in the README's accuracy table comes from here. The scorer is the
project's reference implementation (``shared/tools/score_entities.py``), run as a
subprocess so that kgraph is measured exactly as anyone else would measure it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import ConfigError
from kgraph.model import TYPES


@dataclass(frozen=True, slots=True)
class EvalSet:
    name: str
    path: str  # relative to the shared folder
    types: tuple[str, ...] = TYPES  # predictions of other types are dropped before scoring


EVAL_SETS = (
    EvalSet("dev (60 papers)", "dev_gold/dev.jsonl"),
    EvalSet("TDMSci test", "benchmarks/tdmsci/test.kgraph.jsonl", ("TASK", "DATASET", "BENCHMARK", "METRIC")),
    EvalSet("SciERC test", "benchmarks/scierc/test.kgraph.jsonl", ("METHOD", "MODEL", "TASK", "METRIC", "DATASET")),
    EvalSet("GSAP-NER", "benchmarks/gsap-ner/abstracts.kgraph.jsonl",
            ("MODEL", "METHOD", "TASK", "DATASET", "BENCHMARK", "SOFTWARE")),
    EvalSet("SciNLP", "benchmarks/scinlp/abstracts.kgraph.jsonl",
            ("METHOD", "MODEL", "TASK", "DATASET", "METRIC", "SOFTWARE")),
)


def find_shared(start: Path | None = None) -> Path:
    """The shared folder: beside the checkout (``../shared``) or named by KGRAPH_SHARED."""
    import os

    if os.environ.get("KGRAPH_SHARED"):
        return Path(os.environ["KGRAPH_SHARED"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "shared" / "tools" / "score_entities.py").exists():
            return folder / "shared"
    raise ConfigError("cannot find the shared folder with tools/score_entities.py; "
                      "set KGRAPH_SHARED=/path/to/shared")


def predict_file(gold: Path, keep_types: tuple[str, ...], dest: Path, fast: bool = False) -> int:
    """Run kgraph over a gold file's papers and write predictions (only ``keep_types``)."""
    from kgraph.extract import extract_papers
    from kgraph.extract.records import extraction_record
    from kgraph.model import Paper

    # Read the gold file directly, not through ingest: benchmark records may have empty
    # titles or share one, and every record must be scored as it stands.
    papers = []
    with gold.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                rec = json.loads(line)
                papers.append(Paper(paper_id=str(rec.get("id") or f"line-{n}"), title=rec.get("title", ""),
                                    abstract=rec.get("abstract", "")))
    extractions = extract_papers(papers, fast=fast)
    with dest.open("w", encoding="utf-8") as fh:
        for ex in extractions:
            rec = extraction_record(ex)
            if not ex.paper.paper_id.startswith("line-"):
                rec["id"] = ex.paper.paper_id
            else:
                del rec["id"]
            rec["entities"] = [e for e in rec["entities"] if e["type"] in keep_types]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(extractions)


def score(shared: Path, gold: Path, predicted: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_entities.py"), str(gold), str(predicted), "--json"],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def evaluate(shared: Path | None = None, names: list[str] | None = None,
             fast: bool = False) -> list[tuple[EvalSet, dict]]:
    shared = shared or find_shared()
    results = []
    with tempfile.TemporaryDirectory(prefix="kgraph-eval-") as tmp:
        for es in EVAL_SETS:
            if names and not any(n.lower() in es.name.lower() for n in names):
                continue
            gold = shared / es.path
            if not gold.exists():
                raise ConfigError(f"{gold} not found; is {shared} the shared folder?")
            pred = Path(tmp) / "pred.jsonl"
            predict_file(gold, es.types, pred, fast)
            results.append((es, score(shared, gold, pred)))
    return results


def markdown_table(results: list[tuple[EvalSet, dict]]) -> str:
    """Overall and per-type F1 per evaluation set, as the README shows it."""
    head = "| set | untyped P | untyped R | untyped F1 | typed F1 | " + " | ".join(TYPES) + " |"
    rule = "|" + "---|" * (5 + len(TYPES))
    rows = [head, rule]
    for es, r in results:
        cells = []
        for t in TYPES:
            bt = r["by_type"][t]
            cells.append(f"{bt['f']:.2f}" if t in es.types and bt["gold"] else "–")
        rows.append(f"| {es.name} | {r['untyped']['p']:.3f} | {r['untyped']['r']:.3f} | "
                    f"{r['untyped']['f']:.3f} | {r['typed']['f']:.3f} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
