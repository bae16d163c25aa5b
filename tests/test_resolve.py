"""Names, keys, slugs and ids."""
import pytest

from kgraph.resolve import aliases_of, choose_name, entity_id, is_abbreviation, name_key, singular, slug


@pytest.mark.parametrize("a, b", [
    ("Vision-Transformers", "vision transformer"),
    ("LLMs", "LLM"),
    ("large language models", "Large Language Model"),
    ("ViT-B/16", "vit b 16"),
    ("GPUs", "gpu"),
])
def test_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("word, expected", [
    ("LLMs", "LLM"), ("strategies", "strategy"), ("loss", "loss"), ("corpus", "corpus"),
    ("analysis", "analysis"), ("VMs", "VM"), ("models", "model"),
])
def test_singular(word, expected):
    assert singular(word) == expected


def test_slug_is_iri_safe_for_any_name():
    assert slug("ViT-B/16") == "vit-b-16"
    assert slug("Ω-Net") == "%CF%89-net"
    weird = slug('a <b> "c" #d {e}')
    assert all(ch not in weird for ch in '<>"{} ')
    assert entity_id("MODEL", "Large Language Models") == "MODEL/large-language-model"


def test_same_entity_in_two_papers_gets_the_same_id():
    assert entity_id("MODEL", "large language models") == entity_id("MODEL", "Large Language Model")


@pytest.mark.parametrize("text, expected", [
    ("MoE", True), ("LLMs", True), ("NAS", True), ("GPT-4", True), ("Mixture", False), ("ResNet", False),
])
def test_is_abbreviation(text, expected):
    assert is_abbreviation(text) is expected


def test_choose_name_prefers_fullest_non_abbreviation():
    forms = ["MoE", "Mixture of Experts", "MoE", "mixture of experts"]
    name = choose_name(forms)
    assert name == "Mixture of Experts"
    assert aliases_of(name, forms) == ("MoE", "mixture of experts")


def test_choose_name_prefers_singular_spelling_when_both_occur():
    assert choose_name(["Vision Transformers", "Vision Transformer"]) == "Vision Transformer"


def test_bare_abbreviation_joins_the_entity_defined_in_another_paper():
    from kgraph.resolve import unify_short_forms

    papers = [
        [("METHOD/gaussian-ellipsoid-model", "Gaussian Ellipsoid Model", ("GEM",))],
        [("METHOD/gem", "GEM", ())],
        # "SAM" expands two ways: left alone
        [("MODEL/segment-anything-model", "Segment Anything Model", ("SAM",))],
        [("MODEL/spatial-attention-module", "Spatial Attention Module", ("SAM",))],
        [("MODEL/sam", "SAM", ())],
    ]
    assert unify_short_forms(papers) == {"METHOD/gem": "METHOD/gaussian-ellipsoid-model"}


def test_unify_extractions_rewrites_ids_and_merges_within_a_paper():
    from kgraph.model import Entity, Extraction, Mention, Paper
    from kgraph.resolve import unify_extractions

    p1 = Extraction(Paper("1", "t1", "a1"), (Entity("METHOD/gaussian-ellipsoid-model", "Gaussian Ellipsoid Model",
                                                    "METHOD", ("GEM",)),))
    p2 = Extraction(Paper("2", "t2", "GEM and GEMs"), (
        Entity("METHOD/gem", "GEM", "METHOD", (), (Mention("GEM", 0, 3, "abstract"),)),
        Entity("METHOD/gaussian-ellipsoid-model", "Gaussian Ellipsoid Model", "METHOD", (),
               (Mention("Gaussian Ellipsoid Model", 9, 33, "abstract"),)),
    ))
    out = unify_extractions([p1, p2])
    assert out[0] is p1
    [merged] = out[1].entities
    assert merged.entity_id == "METHOD/gaussian-ellipsoid-model"
    assert merged.aliases == ("GEM",) and len(merged.mentions) == 2
