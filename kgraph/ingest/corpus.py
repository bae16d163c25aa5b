"""`read_corpus`: paths in, a deduplicated `Corpus` out, every bad record accounted for."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from kgraph.errors import ConfigError, IngestError
from kgraph.ingest.merge import Papers
from kgraph.ingest.records import Bad, BadRecord, make_paper
from kgraph.ingest.registry import FORMATS, guess_format
from kgraph.ingest.sources import find_files, read_text
from kgraph.model import Corpus, Problem


def read_corpus(inputs: Iterable[str | Path] | str | Path, fmt: str | None = None,
                strict: bool = False, progress: bool = False) -> Corpus:
    """Read papers from files and directories (see `kgraph.ingest`).

    Raises IngestError for a missing path, a directory with no files, a named file whose
    format cannot be told, no readable file at all, or, with `strict`, the first problem.
    Raises ConfigError for an unknown `fmt`.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown input format {fmt!r}; use one of: {', '.join(FORMATS)}")
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    if not inputs:
        raise IngestError("no input paths given; name a file or a directory of papers")
    files = find_files(inputs)
    corpus, papers, read_any = Corpus(), Papers(), False

    def report(problem: Problem) -> None:
        if strict:
            raise IngestError(f"{problem} (--strict stops at the first problem)")
        corpus.problems.append(problem)

    for path, named in _progress(files, progress):
        try:
            text, warnings = read_text(path)
        except OSError as err:
            report(Problem(str(path), None, f"cannot read: {err.strerror or err}"))
            continue
        for warning in warnings:
            report(Problem(str(path), None, warning))
        if not text or text.isspace():
            report(Problem(str(path), None, "empty file: no records"))
            read_any = True
            continue
        name = fmt or guess_format(path, text)
        if name is None:
            message = (f"cannot tell the format of {path} from its name or content; "
                       f"use --format NAME (one of: {', '.join(FORMATS)})")
            if named:
                raise IngestError(message)
            report(Problem(str(path), None, "skipped: " + message))
            continue
        read_any = True
        for problem in _read_file(str(path), FORMATS[name](text), corpus, papers):
            report(problem)
    if not read_any:
        raise IngestError(f"nothing readable in {', '.join(map(str, inputs))}: {len(files)} file(s) "
                          f"of unknown format or unreadable; use --format NAME if they hold papers")
    corpus.papers, corpus.duplicates = papers.papers, papers.duplicates
    return corpus


def _read_file(path: str, records, corpus: Corpus, papers: Papers) -> Iterator[Problem]:
    """Count, check and merge one file's records; yield a Problem for each that went wrong."""
    for record in records:
        corpus.records += 1
        if isinstance(record, Bad):
            yield Problem(path, record.line, record.reason)
            continue
        source = f"{path}:{record.line}" if record.line is not None else path
        try:
            paper, warnings = make_paper(record.fields, source)
        except BadRecord as err:
            yield Problem(path, record.line, str(err))
            continue
        for warning in warnings:
            yield Problem(path, record.line, warning)
        if conflict := papers.add(paper):
            yield Problem(path, record.line, conflict)


def _progress(files: list, progress: bool):
    if not progress or len(files) < 2:
        return files
    from tqdm import tqdm

    return tqdm(files, desc="reading", unit="file", file=sys.stderr, leave=False)
