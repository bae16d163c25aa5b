"""kgraph's spaCy components: thin shells that wire the pure functions to a Doc.

A Doc's text is ``title + "\\n" + abstract`` (see `nlp.paper_text`). The statistical
``ner`` (if the package ships one) runs first; ``kgraph_vocab`` adds vocabulary
matches as a span group; ``kgraph_entities`` hands every candidate to
`entities.paper_entities` and stores the result, plain dicts, in ``doc._.kg_entities``.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from kgraph.extract.entities import Candidate, known_head_readings, paper_entities, vocabulary_yields
from kgraph.extract.rules import rule_candidates
from kgraph.extract.vocab import Vocabulary, load_vocabulary
from kgraph.resolve import name_key

if not Doc.has_extension("kg_entities"):
    Doc.set_extension("kg_entities", default=None)

VOCAB_SPANS = "kg_vocab"
CHECK_SPANS = "kg_ner_check"


@lru_cache(maxsize=1)
def load_generic() -> frozenset[str]:
    text = resources.files("kgraph.extract.resources").joinpath("generic.txt").read_text(encoding="utf-8")
    return frozenset(name_key(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


_SENTENCE_END = {".", "!", "?", ":", ";"}


def _capital_by_position(span) -> bool:
    """"Simple" or "Zero" that is capitalised only because a title or sentence starts there:
    not the camel-case names SimplE or ZeRO that the "capital" mode matches in any case."""
    if len(span) != 1 or not span.text[1:].islower():
        return False
    doc, i = span.doc, span.start
    in_title = "\n" not in doc.text[:span.start_char]
    return in_title or i == 0 or doc[i - 1].text in _SENTENCE_END or "\n" in doc[i - 1].text


class VocabMatcher:
    """Marks every vocabulary phrase in the Doc (longest match wins)."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.matchers = {"exact": PhraseMatcher(nlp.vocab, attr="ORTH"),
                         "any": PhraseMatcher(nlp.vocab, attr="LOWER"),
                         "capital": PhraseMatcher(nlp.vocab, attr="LOWER")}
        tables: dict[str, dict[str, int]] = {mode: {} for mode in self.matchers}
        for phrase, idx, mode in vocabulary.phrases():
            tables[mode].setdefault(phrase, idx)
        for mode, table in tables.items():
            phrases = sorted(table)
            for phrase, doc in zip(phrases, nlp.tokenizer.pipe(phrases)):
                self.matchers[mode].add(str(table[phrase]), [doc])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for mode, matcher in self.matchers.items():
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                if mode == "capital" and (span.text.islower() or _capital_by_position(span)):
                    continue
                idx = int(doc.vocab.strings[match_id])
                span.label_ = self.vocabulary.entries[idx].type
                span.kb_id_ = str(idx)
                spans.append(span)
        doc.spans[VOCAB_SPANS] = filter_spans(spans)
        return doc


@Language.factory("kgraph_vocab", requires=["doc.text"], assigns=["doc.spans"])
def make_vocab_matcher(nlp: Language, name: str) -> VocabMatcher:
    return VocabMatcher(nlp, load_vocabulary())


def keep_check(doc: Doc) -> Doc:
    """Move the checking NER's entities aside, so the main NER starts from a clean Doc."""
    doc.spans[CHECK_SPANS] = list(doc.ents)
    doc.ents = ()
    return doc


Language.component("kgraph_keep_check", requires=["doc.ents"], assigns=["doc.spans"])(keep_check)


def agreed(ents, check) -> list:
    """Model entities that the checking model marked with the same boundaries.

    Measured on the dev set and the benchmarks: exact agreement beats any-overlap
    (dev F1 0.745 -> 0.752), as the two models disagree mostly on where a name ends.
    """
    same = {(c.start, c.end) for c in check}
    return [e for e in ents if (e.start, e.end) in same]


class EntityCollector:
    """Turns candidate spans into the paper's entities (``doc._.kg_entities``)."""

    def __init__(self, vocabulary: Vocabulary, generic: frozenset[str]):
        self.vocabulary = vocabulary
        self.generic = generic

    def __call__(self, doc: Doc) -> Doc:
        check = doc.spans[CHECK_SPANS] if CHECK_SPANS in doc.spans else None
        ents = doc.ents if check is None else agreed(doc.ents, check)
        cands = [Candidate(e.start_char, e.end_char, e.label_, "ner") for e in ents]
        vocab = [Candidate(s.start_char, s.end_char, s.label_, "vocab", int(s.kb_id_))
                 for s in doc.spans.get(VOCAB_SPANS, [])]
        model_spans = [Candidate(e.start_char, e.end_char, e.label_, "ner") for e in doc.ents]
        cands.extend(known_head_readings(model_spans, vocab, {(c.start, c.end) for c in cands}))
        model_reads = [(c.start, c.end) for c in model_spans]
        model_marks = set(model_reads) | {(c.start_char, c.end_char) for c in (check or [])}
        cands.extend(vocabulary_yields(vocab, model_reads, model_marks))
        cands.extend(rule_candidates(doc.text))
        title, _, abstract = doc.text.partition("\n")
        doc._.kg_entities = paper_entities(title, abstract, cands, self.vocabulary, self.generic)
        return doc


@Language.factory("kgraph_entities", requires=["doc.ents", "doc.spans"], assigns=["doc._.kg_entities"])
def make_entity_collector(nlp: Language, name: str) -> EntityCollector:
    return EntityCollector(load_vocabulary(), load_generic())
