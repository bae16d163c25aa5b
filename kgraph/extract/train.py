"""`kgraph train`: fit the statistical NER on kgraph's own annotations and ship it.

Two models are trained with the same config (``training/ner.cfg``):

* ``model/``, the main NER, on ``training/annotations-*.jsonl``: papers of data/
  annotated to ENTITY_GUIDE.md by the kgraph team (none of them is in
  ../shared/dev_gold, which stays a yardstick);
* ``model-check/``, the checking NER, on the same papers plus
  ``training/synthetic-*.jsonl``: abstracts the team wrote and annotated to widen the
  subfields and names seen. A span that only a model found counts when both agree.

Each entity's surface forms are projected onto the text as spans; the first type is
the label. 10% of the real papers are held out for early stopping.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from kgraph.errors import ConfigError
from kgraph.extract.nlp import blank_nlp, model_path, paper_text

TRAINING_PACKAGE = "kgraph.extract.training"


def training_dir() -> Path:
    return Path(str(resources.files(TRAINING_PACKAGE)))


def load_annotations(folder: Path, pattern: str = "annotations-*.jsonl") -> list[dict]:
    records = []
    for path in sorted(folder.glob(pattern)):
        with path.open(encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


def project_spans(text: str, entities: list[dict]) -> list[tuple[int, int, str]]:
    """Every occurrence of every surface form, labelled by the entity's first type;
    overlaps resolved in favour of the longer span."""
    found = []
    for ent in entities:
        label = ent["types"][0]
        for form in {ent["name"], *ent.get("aliases", [])}:
            if not form.strip():
                continue
            for m in re.finditer(r"(?<![\w])" + re.escape(form) + r"(?![\w])", text):
                found.append((m.start(), m.end(), label))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int, str]] = []
    for s in found:
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


def to_docbin(nlp, records: list[dict]):
    from spacy.tokens import DocBin

    db = DocBin()
    for rec in records:
        doc = nlp.make_doc(paper_text(rec["title"], rec["abstract"]))
        spans = []
        for start, end, label in project_spans(doc.text, rec["entities"]):
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        from spacy.util import filter_spans

        doc.ents = filter_spans(spans)
        db.add(doc)
    return db


def train(output: Path | None = None, seed: int = 0, dev_share: float = 0.1) -> list[Path]:
    """Train both NER models; install them in the package, or under ``output``."""
    from kgraph.extract.nlp import CHECK_DIR_NAME, MODEL_DIR_NAME

    folder = training_dir()
    records = load_annotations(folder)
    if not records:
        raise ConfigError(f"no annotations-*.jsonl in {folder}")
    random.Random(seed).shuffle(records)
    n_dev = max(1, int(len(records) * dev_share))
    synthetic = load_annotations(folder, "synthetic-*.jsonl")
    written = []
    for name, extra in ((MODEL_DIR_NAME, []), (CHECK_DIR_NAME, synthetic)):
        target = Path(output) / name if output else model_path(name)
        written.append(_train_one(records[n_dev:] + extra, records[:n_dev], target, seed))
    return written


def _train_one(train_records: list[dict], dev_records: list[dict], target: Path, seed: int) -> Path:
    from spacy.cli.train import train as spacy_train

    nlp = blank_nlp()
    with tempfile.TemporaryDirectory(prefix="kgraph-train-") as tmp:
        tmp = Path(tmp)
        to_docbin(nlp, train_records).to_disk(tmp / "train.spacy")
        to_docbin(nlp, dev_records).to_disk(tmp / "dev.spacy")
        spacy_train(training_dir() / "ner.cfg", tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
            "system.seed": seed, "training.seed": seed,
        })
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(tmp / "out" / "model-best", target)
    return target
