"""The long-form/short-form finder on hand-written sentences."""
import pytest

from kgraph.extract.abbreviations import best_long_form, find_abbreviations


@pytest.mark.parametrize("text, long, short", [
    ("We add a Mixture of Experts (MoE) layer.", "Mixture of Experts", "MoE"),
    ("Each segment is a unified Gaussian Ellipsoid Model (GEM), using", "Gaussian Ellipsoid Model", "GEM"),
    ("the rise of large language models (LLMs) has", "large language models", "LLMs"),
    ("Sparsely-gated mixture-of-experts (MoE) has been adopted", "mixture-of-experts", "MoE"),
    ("Vision Transformer (ViT) extracts the final representation", "Vision Transformer", "ViT"),
    ("we use neural architecture search (NAS) to", "neural architecture search", "NAS"),
])
def test_finds_definition(text, long, short):
    [found] = find_abbreviations(text)
    assert (found.long, found.short) == (long, short)
    assert text[found.long_start:found.long_end] == long
    assert text[found.short_start:found.short_end] == short


@pytest.mark.parametrize("text", [
    "as described earlier (see below) the model",
    "the number of groups (g) is chosen",
    "accuracy improves (77.4%) over the baseline",
    "we use ResNet (He et al.) as backbone",
])
def test_ignores_asides(text):
    assert find_abbreviations(text) == []


def test_does_not_cross_sentence_boundary():
    text = "Results are good. Mixture of Experts (MoE) helps."
    [found] = find_abbreviations(text)
    assert found.long == "Mixture of Experts"


def test_best_long_form_requires_word_initial_first_letter():
    assert best_long_form("MoE", "a Mixture of Experts") == 2
    assert best_long_form("XYZ", "nothing matches here") is None
