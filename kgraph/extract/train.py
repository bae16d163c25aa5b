"""`kgraph train`: fit the statistical NER on kgraph's own annotations and ship it.

Training data: ``training/annotations-*.jsonl`` (papers of data/ annotated to
ENTITY_GUIDE.md by the kgraph team; none of them is in ../shared/dev_gold, which stays
a yardstick). Optional ``training/synthetic-*.jsonl`` files (abstracts written for
training) join the training split only. Each
entity's surface forms are projected onto the text as spans; the first type is the label.
Config: ``training/ner.cfg``. The result replaces ``kgraph/extract/model/``.
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


def train(output: Path | None = None, seed: int = 0, dev_share: float = 0.1) -> Path:
    """Train the NER and install it as the package's model (or into ``output``)."""
    from spacy.cli.train import train as spacy_train

    folder = training_dir()
    # Real abstracts (annotated papers of data/ outside the dev set) give the early-
    # stopping split; the synthetic abstracts, written and annotated by the team for
    # breadth of names and subfields, only train.
    records = load_annotations(folder)
    if not records:
        raise ConfigError(f"no annotations-*.jsonl in {folder}")
    random.Random(seed).shuffle(records)
    n_dev = max(1, int(len(records) * dev_share))
    train_records = records[n_dev:] + load_annotations(folder, "synthetic-*.jsonl")
    nlp = blank_nlp()
    target = Path(output) if output else model_path()
    with tempfile.TemporaryDirectory(prefix="kgraph-train-") as tmp:
        tmp = Path(tmp)
        to_docbin(nlp, train_records).to_disk(tmp / "train.spacy")
        to_docbin(nlp, records[:n_dev]).to_disk(tmp / "dev.spacy")
        spacy_train(folder / "ner.cfg", tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
            "system.seed": seed, "training.seed": seed,
        })
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(tmp / "out" / "model-best", target)
    return target
