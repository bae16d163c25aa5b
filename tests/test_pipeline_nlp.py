"""The assembled spaCy pipeline on small hand-written papers (the shipped model and resources)."""
import pytest

from kgraph.extract import extract_papers
from kgraph.extract.nlp import blank_nlp, load_nlp, paper_text
from kgraph.model import Paper


@pytest.mark.parametrize("text, tokens", [
    ("on the ADE20K. We", ["on", "the", "ADE20K", ".", "We"]),
    ("ImageNet-22K is", ["ImageNet-22K", "is"]),
    ("in the U.S. and", ["in", "the", "U.S.", "and"]),
    ("GPT-4. Then", ["GPT-4", ".", "Then"]),
])
def test_tokenizer_keeps_names_whole(text, tokens):
    assert [t.text for t in blank_nlp()(text)] == tokens


def test_pipeline_is_built_from_package_resources_only():
    nlp = load_nlp()
    assert nlp.pipe_names[-2:] == ["kgraph_vocab", "kgraph_entities"]
    assert nlp.meta["lang"] == "en"


def test_extracts_known_and_coined_entities_with_offsets():
    paper = Paper(paper_id="p1", title="FooNet: A Fast Network for Semantic Segmentation",
                  abstract="We propose FooNet, a lightweight network trained with PyTorch on 8 NVIDIA A100 GPUs. "
                           "It reaches 80.1% mIoU on Cityscapes, beating large language models (LLMs) and LLMs-based "
                           "baselines.")
    [ex] = extract_papers([paper])
    by_name = {e.name: e for e in ex.entities}
    assert by_name["FooNet"].label == "MODEL" and by_name["FooNet"].role == "proposes"
    assert by_name["PyTorch"].label == "SOFTWARE"
    assert by_name["PyTorch"].role == "uses"
    assert by_name["Cityscapes"].label in ("DATASET", "BENCHMARK")
    assert by_name["Cityscapes"].entity_id.endswith("/cityscapes")
    assert by_name["Cityscapes"].role == "evaluates_on"
    assert by_name["mIoU"].label == "METRIC"
    assert any(e.label == "HARDWARE" and "A100" in e.name for e in ex.entities)
    lower = {name.lower(): e for name, e in by_name.items()}
    assert lower["semantic segmentation"].label == "TASK"
    llm = next(e for e in ex.entities if e.entity_id == "MODEL/large-language-model")
    assert "LLMs" in llm.aliases
    for e in ex.entities:
        for m in e.mentions:
            assert getattr(paper, m.field)[m.start:m.end] == m.text
    assert paper_text(paper.title, paper.abstract).startswith(paper.title + "\n")


def test_same_entity_in_two_papers_meets_in_one_id():
    a = Paper(paper_id="a", title="Scaling LLMs", abstract="We study LLMs on GPUs.")
    b = Paper(paper_id="b", title="On large language models", abstract="Large language models need a GPU.")
    ids = [{e.entity_id for e in ex.entities} for ex in extract_papers([a, b])]
    shared = ids[0] & ids[1]
    assert "MODEL/large-language-model" in shared
    assert any(i.startswith("HARDWARE/") for i in shared)  # "GPUs" and "GPU" meet too


def test_model_spans_need_the_checking_model_to_agree_on_both_ends():
    from kgraph.extract.components import agreed

    doc = blank_nlp()("alpha beta gamma delta")
    ents = [doc[0:1], doc[2:4]]
    assert agreed(ents, [doc[2:4]]) == [doc[2:4]]
    assert agreed(ents, [doc[3:4]]) == []  # overlapping is not agreeing
    assert agreed(ents, []) == []
    assert "ner_check" in load_nlp().pipe_names


def test_camel_case_names_match_in_any_case_but_not_a_capital_from_position():
    from kgraph.extract.components import VOCAB_SPANS, VocabMatcher
    from kgraph.extract.vocab import VocabEntry, build_vocabulary

    nlp = blank_nlp()
    matcher = VocabMatcher(nlp, build_vocabulary([VocabEntry("ZeRO", "METHOD"), VocabEntry("PyTorch", "SOFTWARE")]))
    doc = matcher(nlp("Zero Redundancy: A Study\nZero memory is wasted. We extend ZERO and Zero in Pytorch and pytorch."))
    found = [(s.text, s.start_char) for s in doc.spans[VOCAB_SPANS]]
    # "Zero" opening the title or a sentence is an ordinary word; mid-sentence it is the name
    assert found == [("ZERO", doc.text.index("ZERO")), ("Zero", doc.text.index("Zero in")),
                     ("Pytorch", doc.text.index("Pytorch"))]
