"""Ingest: input files in, a `Corpus` of distinct, clean papers out.

    from kgraph.ingest import read_corpus

    corpus = read_corpus(["data/"])
    len(corpus.papers), corpus.records, corpus.duplicates   # 336, 385, 49

How it is split up, one step per module:

- `sources`: paths -> files (directories walked in sorted order, hidden files skipped)
  -> text (``.gz`` looked through, UTF-8 with a cp1252 fallback, BOM and CRLF handled);
- `registry`: ``FORMATS``, name -> reader, and `guess_format` (by name, then by content);
- one reader per format, each a generator from text to `Raw` records and `Bad` ones
  that never raises: `daily_papers`, `json_records` (jsonl, json), `delimited` (csv, tsv),
  `arxiv_atom`, `openalex`;
- `records`: a raw record's fields -> a `Paper` (ids, authors, dates, categories), with
  `text.normalise_text` (HTML, LaTeX, control characters, whitespace, NFC) and `dates`;
- `merge`: duplicates (same id, arXiv id, DOI, or title) merged into the first paper.

Nothing is lost silently. Each record that cannot be read, each optional value that had
to be dropped, each conflicting duplicate and each empty or unknown file becomes a
`Problem` (path, line, reason) in ``Corpus.problems``, and reading goes on; with
``strict=True`` the first problem raises IngestError instead. ``Corpus.records`` counts
the records read, good and bad (a stretch of a file that could not be parsed at all
counts as one); ``Corpus.duplicates`` those merged into an earlier paper.
"""
from kgraph.ingest.corpus import read_corpus
from kgraph.ingest.registry import FORMATS, guess_format

__all__ = ["FORMATS", "guess_format", "read_corpus"]
