"""kgraph: research-paper abstracts in, a knowledge graph out.

Importing kgraph does no work: the spaCy pipeline, rdflib and pyvis load only when a
function that needs them runs.
"""
from kgraph.errors import ConfigError, ExportError, ExtractError, IngestError, KgraphError, NotFoundError
from kgraph.model import TYPES, Corpus, Entity, Extraction, Mention, Paper, Problem

__version__ = "0.1.0"

__all__ = [
    "TYPES", "Corpus", "Entity", "Extraction", "Mention", "Paper", "Problem",
    "KgraphError", "ConfigError", "ExportError", "ExtractError", "IngestError", "NotFoundError",
    "__version__",
]
