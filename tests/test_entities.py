"""Grouping, typing, naming and roles on hand-written papers (no spaCy)."""
from kgraph.extract.cues import role_cue, title_cue, type_cue
from kgraph.extract.entities import (Candidate, clean_span, known_head_readings, paper_entities, prefer_vocabulary,
                                     resolve_overlaps, vocabulary_yields)
from kgraph.extract.rules import is_coined, rule_candidates, title_prefix_candidates
from kgraph.extract.vocab import VocabEntry, build_vocabulary
from kgraph.resolve import name_key

VOCAB = build_vocabulary([
    VocabEntry("large language model", "MODEL", ("LLM",)),
    VocabEntry("ImageNet", "DATASET", wikidata="Q24901201"),
    VocabEntry("GPU", "HARDWARE"),
])


def cands_for(text, spans):
    """Candidates for (surface form, label, source) triples, at each form's first occurrence."""
    out = []
    for form, label, source in spans:
        start = text.index(form)
        vocab = None
        if source == "vocab":
            vocab = VOCAB.by_key[name_key(form)]
        out.append(Candidate(start, start + len(form), label, source, vocab))
    return out


def by_name(entities):
    return {e["name"]: e for e in entities}


def test_abbreviation_joins_long_and_short_forms_and_later_uses():
    title = "Fast MoE"
    abstract = "We study Mixture of Experts (MoE) layers. Our MoE runs fast."
    text = f"{title}\n{abstract}"
    cands = [Candidate(text.index("Experts"), text.index("Experts") + 7, "METHOD", "ner")]
    ents = paper_entities(title, abstract, cands, VOCAB)
    [moe] = ents
    assert moe["name"] == "Mixture of Experts"
    assert moe["aliases"] == ["MoE"]
    fields = [(m[3], m[0]) for m in moe["mentions"]]
    assert ("title", "MoE") in fields and fields.count(("abstract", "MoE")) == 2
    # offsets point into the field they name
    for form, start, end, field in moe["mentions"]:
        assert (title if field == "title" else abstract)[start:end] == form


def test_short_form_inside_a_long_form_does_not_lend_it_its_identity():
    # "Scalable LLM (SLLM)": the long form is a new thing, not the LLM entry it contains.
    title = "Serving"
    abstract = "We build a Scalable LLM (SLLM). Each LLM is served by SLLM."
    text = f"{title}\n{abstract}"
    first_llm = text.index("LLM")
    cands = [Candidate(first_llm, first_llm + 3, "MODEL", "vocab", VOCAB.by_key["llm"]),
             Candidate(text.index("LLM is"), text.index("LLM is") + 3, "MODEL", "vocab", VOCAB.by_key["llm"])]
    ents = by_name(paper_entities(title, abstract, cands, VOCAB))
    assert ents["Scalable LLM"]["aliases"] == ["SLLM"]
    assert ents["Scalable LLM"]["id"] != ents["LLM"]["id"] == "MODEL/large-language-model"


def test_long_form_takes_the_identity_of_its_head_only():
    vocab = build_vocabulary([VocabEntry("machine translation", "TASK"), VocabEntry("pruning", "METHOD")])
    title = "Translation"
    abstract = ("We study statistical machine translation (SMT) and a Module-Aware Pruning method "
                "(MAP). Unlike plain pruning, MAP keeps accuracy.")
    text = f"{title}\n{abstract}"

    def vocab_cand(form, at=None):
        s = text.index(form, at or 0)
        return Candidate(s, s + len(form), vocab.entries[vocab.by_key[form.lower()]].type, "vocab",
                         vocab.by_key[form.lower()])
    cands = [vocab_cand("machine translation"), vocab_cand("Pruning"),
             vocab_cand("pruning", text.index("plain"))]
    ents = by_name(paper_entities(title, abstract, cands, vocab))
    # the head "machine translation" lends its entry (and type) to the long form ...
    assert ents["statistical machine translation"]["type"] == "TASK"
    assert ents["statistical machine translation"]["id"] == "TASK/machine-translation"
    # ... a word in the middle does not: MAP stays apart from pruning
    assert ents["Module-Aware Pruning method"]["aliases"] == ["MAP"]
    assert ents["pruning"]["aliases"] == []


def test_plural_and_case_variants_are_one_entity_with_vocabulary_id():
    title = "LLMs at scale"
    abstract = "Large language models (LLMs) are popular. A large language model needs a GPU."
    text = f"{title}\n{abstract}"
    cands = cands_for(text, [("LLMs", "MODEL", "vocab"), ("Large language models", "MODEL", "vocab"),
                             ("large language model", "MODEL", "vocab"), ("GPU", "HARDWARE", "vocab")])
    ents = by_name(paper_entities(title, abstract, cands, VOCAB))
    # the singular spelling is the name when the text uses both
    assert set(ents) == {"large language model", "GPU"}
    llm = ents["large language model"]
    assert llm["id"] == "MODEL/large-language-model"
    assert {"LLMs", "Large language models"} <= set(llm["aliases"])


def test_own_artifact_takes_the_type_the_abstract_gives_it():
    title = "G3Reg: Pyramid Graph-based Global Registration"
    abstract = "This study introduces a novel framework, G3Reg, for fast global registration."
    ents = paper_entities(title, abstract, rule_candidates(f"{title}\n{abstract}"), VOCAB)
    g3 = by_name(ents)["G3Reg"]
    assert g3["type"] == "METHOD"
    assert g3["role"] == "proposes"


def test_title_prefix_typed_by_title_head_noun():
    title = "Platypus: A Generalized Specialist Model for Reading Text"
    abstract = "We present Platypus, which reads text."
    text = f"{title}\n{abstract}"
    cands = cands_for(text, [("Platypus", "METHOD", "ner")])
    assert by_name(paper_entities(title, abstract, cands, VOCAB))["Platypus"]["type"] == "MODEL"


def test_dataset_role_and_wikidata():
    title = "A classifier"
    abstract = "We report top-1 accuracy on ImageNet."
    text = f"{title}\n{abstract}"
    ents = by_name(paper_entities(title, abstract, cands_for(text, [("ImageNet", "DATASET", "vocab")]), VOCAB))
    assert ents["ImageNet"]["role"] == "evaluates_on"
    assert ents["ImageNet"]["wikidata"] == "Q24901201"


def test_clean_span_drops_articles_and_trailing_dataset():
    text = "x\nresults on the Cityscapes dataset are"
    start = text.index("the Cityscapes")
    c = clean_span(text, Candidate(start, start + len("the Cityscapes dataset"), "DATASET", "ner"), frozenset())
    assert text[c.start:c.end] == "Cityscapes"
    generic = frozenset({"method"})
    start = text.index("results")
    assert clean_span(text, Candidate(start, start + 7, "METHOD", "ner"), frozenset({"result"})) is None
    assert generic  # the stop list is compared by key: "results" ~ "result"


def test_resolve_overlaps_keeps_longest():
    a = Candidate(0, 5, "MODEL", "vocab")
    b = Candidate(0, 10, "MODEL", "ner")
    c = Candidate(12, 15, "TASK", "ner")
    assert resolve_overlaps([a, b, c]) == [b, c]


def test_coined_name_shapes():
    for name in ("G3Reg", "PlainMamba", "YOLOv8", "MobileSAM", "DAMO-YOLO", "LLaMA-2"):
        assert is_coined(name), name
    for word in ("The", "model", "3D", "GPU", "v2", "ResNets"[:3], "x4", "2D"):
        assert not is_coined(word), word
    # hyphenated ordinary words are compounds, not invented names
    for compound in ("Chinese-English", "Partially-Connected", "Out-of-Distribution", "multi-GPU",
                     "non-LR", "top-K"):
        assert not is_coined(compound), compound
    for name in ("Dual-CycleGAN", "Swin-B", "OFA-KD", "e-SNLI", "Code-BERT"):
        assert is_coined(name), name


def test_hardware_shapes():
    text = "trained on NVIDIA RTX 3090 and A100 GPUs, and a TPU v4 pod, deployed on Jetson Orin"
    found = {text[c.start:c.end] for c in rule_candidates(text) if c.label == "HARDWARE"}
    assert {"NVIDIA RTX 3090", "A100", "TPU v4", "Jetson Orin"} <= found


def test_cues():
    s = "We build DeepNet, a lightweight network for detection."
    i = s.index("DeepNet")
    assert type_cue(s, i, i + 7) == "MODEL"
    s = "results on the KITTI benchmark show"
    i = s.index("KITTI")
    assert type_cue(s, i, i + 5) == "BENCHMARK"
    assert role_cue(s, i, i + 5, "BENCHMARK", False) == "evaluates_on"
    s = "We fine-tune models using PyTorch."
    i = s.index("PyTorch")
    assert role_cue(s, i, i + 7, "SOFTWARE", False) == "uses"
    assert title_cue("ArchGym: An Open-Source Gymnasium for Machine Learning") is None
    assert title_cue("Worms: A Dataset of Worm Images") == "DATASET"
    # a verb phrase after the colon says what the thing does, not what it is
    assert title_cue("Hecate: Unlocking Efficient Sparse Model Training") is None


def test_title_prefix_names_the_papers_contribution():
    text = "Archon: An Architecture Search Framework\nWe present Archon. Archon-style search and archon differ."
    spans = [(text[c.start:c.end], c.start) for c in title_prefix_candidates(text)]
    assert spans == [("Archon", 0), ("Archon", text.index("Archon."))]  # not "Archon-style", not "archon"
    for title in ("Revisiting ResNets: Improved Training", "Split & Merge: Unlocking Adapters"):
        assert title_prefix_candidates(title)[0].end == title.index(":")
    for title in ("A study of many things in one long sentence: why", "lowercase words: no", "No colon here"):
        assert title_prefix_candidates(title + "\nabstract") == [], title
    title, abstract = "Hecate: Unlocking Efficient Training", "Hecate is fast."
    entities = paper_entities(title, abstract, rule_candidates(f"{title}\n{abstract}"), VOCAB)
    assert [(e["name"], e["type"], e["role"], len(e["mentions"])) for e in entities] == [("Hecate", "METHOD", "proposes", 2)]


def test_known_names_win_over_a_model_span_that_wraps_them():
    text = "x\nwe train on A100 GPUs and report average accuracy with LLaMA-2 7B."
    def span(form, label, source):
        s = text.index(form)
        return Candidate(s, s + len(form), label, source, 0 if source == "vocab" else None)
    cands = [span("A100 GPUs", "HARDWARE", "ner"), span("A100", "HARDWARE", "vocab"), span("GPUs", "HARDWARE", "vocab"),
             span("average accuracy", "METRIC", "ner"), span("accuracy", "METRIC", "vocab"),
             span("LLaMA-2 7B", "METHOD", "ner"), span("LLaMA-2", "MODEL", "vocab")]
    kept = {text[c.start:c.end]: c.label for c in resolve_overlaps(prefer_vocabulary(text, cands))}
    assert kept == {"A100": "HARDWARE", "GPUs": "HARDWARE", "accuracy": "METRIC", "LLaMA-2 7B": "METHOD"}
    # a longer span that ends in a known head takes the head's type
    text2 = "x\nhierarchical Vision Transformers are"
    h = text2.index("hierarchical")
    v = text2.index("Vision")
    [kept2] = prefer_vocabulary(text2, [Candidate(h, h + 32, "METHOD", "ner")] + [Candidate(v, v + 19, "MODEL", "vocab", 0)])[:1]
    assert kept2.label == "MODEL"


def test_vocabulary_yields_to_the_models_reading_of_the_same_words():
    text = "we use heterogeneous sharding on a multi-GPU node with low latency on Jetson devices"
    def at(form):
        s = text.index(form)
        return s, s + len(form)
    vocab = [Candidate(*at(form), label, "vocab", 0) for form, label in
             (("sharding", "METHOD"), ("GPU", "HARDWARE"), ("latency", "METRIC"), ("Jetson", "HARDWARE"))]
    model_reads = [at("heterogeneous sharding"), at("multi-GPU"), at("Jetson devices")]
    kept = vocabulary_yields(vocab, model_reads, set(model_reads))
    # the model's wider reading wins, except where it only adds words after the name
    assert [text[c.start:c.end] for c in kept] == ["latency", "Jetson"]
    # a match that a model marks exactly as it stands is kept whatever the other reads
    kept = vocabulary_yields(vocab, model_reads, set(model_reads) | {at("GPU")})
    assert [text[c.start:c.end] for c in kept] == ["GPU", "latency", "Jetson"]
    # with no model at all, the vocabulary stands alone
    assert vocabulary_yields(vocab, [], set()) == vocab
    # a known name stands over a model that read only a part of it
    text = "unlike full fine-tuning, LoRA"
    full = Candidate(text.index("full"), text.index(","), "METHOD", "vocab", 0)
    inner = (text.index("fine"), text.index(","))
    assert vocabulary_yields([full], [inner], {inner}) == [full]
    assert vocabulary_yields([full], [(0, text.index(","))], set()) == []


def test_vocabulary_match_modes():
    vocab = build_vocabulary([VocabEntry("PyTorch", "SOFTWARE"), VocabEntry("SAM", "MODEL"),
                              VocabEntry("semantic segmentation", "TASK")])
    modes = {(p, m) for p, _, m in vocab.phrases()}
    assert ("PyTorch", "capital") in modes
    assert ("SAM", "exact") in modes
    assert ("semantic segmentation", "any") in modes and ("semantic segmentations", "any") in modes


def cleaned(text, form, label="METHOD"):
    """What clean_span leaves of a model span over ``form``."""
    s = text.index(form)
    c = clean_span(text, Candidate(s, s + len(form), label, "ner"), frozenset())
    return text[c.start:c.end]


def test_clean_span_trims_function_words_and_figures():
    text = "x\nresults on ImageNet at 25.1% and either sampling or super net caused drift"
    assert cleaned(text, "ImageNet at 25.1%") == "ImageNet"
    assert cleaned(text, "either sampling") == "sampling"
    assert cleaned(text, "super net caused") == "super net"
    text = "x\nit keeps 33.2% FLOPs and a 2.5x lower latency in 3D detection"
    assert cleaned(text, "33.2% FLOPs") == "FLOPs"
    assert cleaned(text, "2.5x lower latency") == "latency"
    assert cleaned(text, "3D detection") == "3D detection"


def test_weak_evidence_is_dropped():
    title = "MELTing point: evaluation"
    abstract = "We measure the extreme cases with Mixture of Experts models."
    text = f"{title}\n{abstract}"
    s = text.index("extreme")
    cands = [Candidate(s, s + 7, "METHOD", "ner"), Candidate(0, 7, "METHOD", "rule")]
    s = text.index("Mixture of Experts")
    cands.append(Candidate(s, s + 18, "METHOD", "ner"))
    names = {e["name"] for e in paper_entities(title, abstract, cands, VOCAB)}
    assert names == {"Mixture of Experts"}


def test_trailing_model_word_is_not_part_of_a_proper_name():
    text = "x\ndistributed Transformer models and diffusion models"
    assert cleaned(text, "Transformer models", "MODEL") == "Transformer"
    assert cleaned(text, "diffusion models", "MODEL") == "diffusion models"
    assert not is_coined("2.4GFLOPs") and not is_coined("256KB")


def test_local_definition_beats_the_vocabulary_reading_of_a_short_form():
    vocab = build_vocabulary([VocabEntry("Point Cloud Library", "SOFTWARE", ("PCL",)),
                              VocabEntry("Mixture of Experts", "METHOD", ("MoE",))])
    title = "Registration"
    abstract = "We extract planes, clusters, and lines (PCL) and use PCL again, with Mixture of Experts (MoE)."
    text = f"{title}\n{abstract}"
    cands = []
    for form, idx in (("PCL", 0), ("Mixture of Experts", 1), ("MoE", 1)):
        s = text.index(form)
        cands.append(Candidate(s, s + len(form), vocab.entries[idx].type, "vocab", idx))
    names = {e["name"]: e for e in paper_entities(title, abstract, cands, vocab)}
    assert "Point Cloud Library" not in names and "PCL" not in names
    assert names["Mixture of Experts"]["aliases"] == ["MoE"]


def test_a_model_reading_that_narrows_a_known_method_or_task_counts_alone():
    text = "we use cross-architecture distillation for liver tumor segmentation on A100 GPUs"
    def at(form, label, source="ner"):
        s = text.index(form)
        return Candidate(s, s + len(form), label, source, 0 if source == "vocab" else None)
    vocab = [at("distillation", "METHOD", "vocab"), at("segmentation", "TASK", "vocab"),
             at("GPUs", "HARDWARE", "vocab")]
    model = [at("cross-architecture distillation", "METHOD"), at("liver tumor segmentation", "TASK"),
             at("A100 GPUs", "HARDWARE"), at("use cross", "METHOD")]
    kept = known_head_readings(model, vocab, set())
    # a hardware head does not vouch for its modifiers, nor does a vocabulary match inside
    assert [text[c.start:c.end] for c in kept] == ["cross-architecture distillation", "liver tumor segmentation"]
    # a span that the models already agreed on is not added twice
    taken = {(model[0].start, model[0].end)}
    assert [text[c.start:c.end] for c in known_head_readings(model, vocab, taken)] == ["liver tumor segmentation"]
