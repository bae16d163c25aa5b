"""Assemble kgraph's spaCy pipeline from what the package ships: no download, ever."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from kgraph.errors import ExtractError

MODEL_PACKAGE = "kgraph.extract"
MODEL_DIR_NAME = "model"
CHECK_DIR_NAME = "model-check"


def model_path(name: str = MODEL_DIR_NAME) -> Path:
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(name)))


def paper_text(title: str, abstract: str) -> str:
    """The text a Doc holds for a paper; entities.paper_entities splits it the same way."""
    return f"{title}\n{abstract}"


def blank_nlp():
    """spaCy's blank English with kgraph's tokenizer rules (used for training and loading)."""
    import spacy

    return customize_tokenizer(spacy.blank("en"))


def customize_tokenizer(nlp):
    """Keep names like "ADE20K" and "ImageNet-22K" whole, and split a sentence's final
    period off them ("ADE20K." -> "ADE20K", "."). spaCy's default rules cut a unit
    suffix after digits ("ADE20" "K") and keep a period after a capital, as in "U.S.".
    """
    from spacy.util import compile_suffix_regex

    suffixes = [s for s in nlp.Defaults.suffixes if "km" not in s]  # drop the unit-suffix rule
    suffixes.append(r"(?<=[A-Z0-9][A-Z0-9])\.")
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    return nlp


def _load_model(path: Path):
    import spacy

    try:
        return spacy.load(path)
    except (OSError, ValueError) as err:
        raise ExtractError(f"cannot load the NER model in {path} ({err}); run `kgraph train`") from err


@lru_cache(maxsize=2)
def load_nlp(with_model: bool = True):
    """The extraction pipeline: the shipped NER model (if any) + vocabulary + rules."""
    import kgraph.extract.components  # noqa: F401  (registers the factories)

    path = model_path()
    if with_model and (path / "meta.json").exists():
        nlp = _load_model(path)
        customize_tokenizer(nlp)
        check = model_path(CHECK_DIR_NAME)
        if (check / "meta.json").exists():
            # A second NER, trained on other data, must agree before a span that only
            # a model saw counts (measured on the dev set: precision 0.70 -> 0.75).
            checker = _load_model(check)
            checker.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
            nlp.add_pipe("ner", name="ner_check", source=checker, first=True)
            nlp.add_pipe("kgraph_keep_check", after="ner_check")
    else:
        nlp = blank_nlp()
    nlp.add_pipe("kgraph_vocab")
    nlp.add_pipe("kgraph_entities")
    return nlp
