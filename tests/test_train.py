"""Training data preparation: annotations projected onto spaCy Docs."""
from kgraph.extract.nlp import blank_nlp
from kgraph.extract.train import load_annotations, project_spans, to_docbin, training_dir


def test_project_spans_finds_every_form_and_prefers_longer():
    text = "Mixture of Experts (MoE) beats dense models; MoE layers and Experts."
    ents = [{"name": "Mixture of Experts", "aliases": ["MoE"], "types": ["METHOD", "MODEL"]},
            {"name": "Experts", "aliases": [], "types": ["MODEL"]}]
    spans = project_spans(text, ents)
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("Mixture of Experts", "METHOD"), ("MoE", "METHOD"), ("MoE", "METHOD"), ("Experts", "MODEL")]


def test_to_docbin_aligns_spans_to_tokens():
    nlp = blank_nlp()
    rec = {"title": "FooNet for ADE20K", "abstract": "FooNet reaches 50 mIoU on ADE20K.",
           "entities": [{"name": "FooNet", "aliases": [], "types": ["MODEL"]},
                        {"name": "ADE20K", "aliases": [], "types": ["DATASET"]},
                        {"name": "mIoU", "aliases": [], "types": ["METRIC"]}]}
    [doc] = list(to_docbin(nlp, [rec]).get_docs(nlp.vocab))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("FooNet", "MODEL"), ("ADE20K", "DATASET"), ("FooNet", "MODEL"), ("mIoU", "METRIC"), ("ADE20K", "DATASET")]


def test_shipped_annotations_are_consistent():
    records = load_annotations(training_dir())
    assert len(records) >= 250
    for rec in records:
        text = rec["title"] + "\n" + rec["abstract"]
        for ent in rec["entities"]:
            for form in [ent["name"], *ent["aliases"]]:
                assert form in text, (rec["title"], form)
