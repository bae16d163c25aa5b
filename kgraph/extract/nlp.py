"""Assemble kgraph's spaCy pipeline from what the package ships: no download, ever."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from kgraph.errors import ExtractError

MODEL_PACKAGE = "kgraph.extract"
MODEL_DIR_NAME = "model"


def model_path() -> Path:
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_DIR_NAME)))


def paper_text(title: str, abstract: str) -> str:
    """The text a Doc holds for a paper; entities.paper_entities splits it the same way."""
    return f"{title}\n{abstract}"


@lru_cache(maxsize=2)
def load_nlp(with_model: bool = True):
    """The extraction pipeline: the shipped NER model (if any) + vocabulary + rules."""
    import spacy

    import kgraph.extract.components  # noqa: F401  (registers the factories)

    path = model_path()
    if with_model and (path / "meta.json").exists():
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as err:
            raise ExtractError(f"cannot load the NER model in {path} ({err}); run `kgraph train`") from err
    else:
        nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_vocab")
    nlp.add_pipe("kgraph_entities")
    return nlp
