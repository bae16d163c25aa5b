"""Context cues around a mention: what the text calls a thing, and what the paper does with it.

Pure functions over a string and character offsets, so each cue is testable on a
sentence. The guide's boundary rule "a paper's own artifact takes the type that the
abstract gives it" is `type_cue`; the graph's edge roles come from `role_cue`.
"""
from __future__ import annotations

import re

# Head nouns that say what a named thing is ("G3Reg framework", "dataset X").
HEAD_TYPES: dict[str, str] = {}
for _type, _words in {
    "MODEL": "model models network networks net nets llm llms transformer transformers backbone "
             "backbones detector detectors classifier classifiers mllm mllms vlm vlms",
    "METHOD": "framework frameworks method methods approach approaches algorithm algorithms technique "
              "techniques scheme schemes pipeline pipelines strategy strategies mechanism mechanisms "
              "module modules paradigm paradigms loss optimizer system systems attack attacks protocol "
              "protocols procedure recipe architecture architectures layer layers operator",
    "DATASET": "dataset datasets corpus corpora collection",
    "BENCHMARK": "benchmark benchmarks suite leaderboard challenge testbed",
    "SOFTWARE": "library libraries toolkit toolbox platform platforms engine engines tool tools "
                "environment environments simulator compiler compilers api package infrastructure gym "
                "runtime app application",
    "HARDWARE": "accelerator accelerators chip chips processor processors gpu gpus",
}.items():
    for _w in _words.split():
        HEAD_TYPES[_w] = _type

_WORD = re.compile(r"[A-Za-z][\w\-]*|\d[\w.\-]*")
_SENTENCE_END = re.compile(r"[.!?]\s|[;:]\s|\n")

_PROPOSE_VERBS = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our (?:paper|work))\s+(?:\w+\s+){0,2}?"
    r"(?:propose|proposes|present|presents|introduce|introduces|develop|develops|design|designs|"
    r"build|builds|release|releases|create|creates|construct|constructs|contribute|devise|offer|curate|collect)\b",
    re.I,
)
_NAMING = re.compile(r"\b(?:dubbed|called|named|termed|coined|namely|i\.e\.,?)\s*$", re.I)
# Words between "we propose" and a name that make the name something other than the object.
_NOT_OBJECT = re.compile(r"\b(?:with|using|on|by|for|from|in|trained|via|than|over|against|and|of|to|that|which)\b", re.I)
_EVAL = re.compile(
    r"\b(?:on|across|over|evaluat\w*|experiments?|results?|benchmark\w*|tested|test|outperform\w*|"
    r"achiev\w*|state-of-the-art|sota|accuracy|score\w*)\b", re.I)
_USE = re.compile(
    r"\b(?:using|use|uses|used|with|based on|leverag\w*|adopt\w*|employ\w*|built (?:on|upon|with)|"
    r"via|through|apply\w*|utiliz\w*|implemented in|powered by|on top of|fine-tun\w*|train\w*)\b", re.I)


def words_before(text: str, start: int, n: int) -> list[str]:
    """Up to n words before ``start`` within the same sentence, nearest last."""
    window = text[max(0, start - 120):start]
    cut = None
    for cut in _SENTENCE_END.finditer(window):
        pass
    if cut is not None:
        window = window[cut.end():]
    return _WORD.findall(window)[-n:]


def words_after(text: str, end: int, n: int) -> list[str]:
    """Up to n words after ``end`` within the same sentence."""
    window = text[end:end + 120]
    cut = _SENTENCE_END.search(window)
    if cut:
        window = window[:cut.start()]
    return _WORD.findall(window)[:n]


_STOP_HEAD_SEARCH = {"for", "that", "which", "to", "with", "of", "in", "on", "by", "and", "or", "from", "using"}


def type_cue(text: str, start: int, end: int) -> str | None:
    """The type that the text gives a name: "X framework", "X, a model", "dataset X"."""
    after = text[end:end + 80]
    # "X, a novel lightweight framework for ..." / "X is a model that" / "X (a benchmark)"
    m = re.match(r"\s*(?:,|\(|:|\bis\b|-|\u2014)\s*(?:a|an|the|our)\b", after)
    if m:
        for word in words_after(after, m.end(), 5):
            lower = word.lower()
            if lower in HEAD_TYPES:
                return HEAD_TYPES[lower]
            if lower in _STOP_HEAD_SEARCH:
                break
    nxt = words_after(text, end, 1)
    if nxt and nxt[0].lower() in HEAD_TYPES:
        return HEAD_TYPES[nxt[0].lower()]
    prev = words_before(text, start, 2)
    if prev:
        head = HEAD_TYPES.get(prev[-1].lower())
        if head and head != "HARDWARE":
            return head
    return None


def title_cue(title: str) -> str | None:
    """The type a title gives its own artifact: "X: A Generalized Specialist Model for ..." -> MODEL."""
    if ":" not in title:
        return None
    rest = title.split(":", 1)[1]
    first = _WORD.findall(rest)[:1]
    if first and first[0].lower().endswith("ing") and first[0].lower() not in HEAD_TYPES:
        # "Hecate: Unlocking Efficient Sparse Model Training": a verb phrase says what
        # the artifact does, not what it is.
        return None
    rest = re.split(r"\b(?:for|with|via|to|of|on|in|from|using|towards?|that)\b", rest, maxsplit=1)[0]
    for word in reversed(_WORD.findall(rest)):
        if word.lower() in HEAD_TYPES:
            return HEAD_TYPES[word.lower()]
    return None


def is_title_artifact(title: str, start: int, end: int) -> bool:
    """True for the "X" of a title "X: ..." (the paper's own name for its contribution)."""
    colon = title.find(":")
    return colon != -1 and start == 0 and title[end:colon].strip() == ""


def role_cue(text: str, start: int, end: int, label: str, in_title_prefix: bool) -> str:
    """What the paper does with the thing named at [start, end): proposes, evaluates_on, uses or mentions."""
    if in_title_prefix:
        return "proposes"
    before_text = text[max(0, start - 100):start]
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(before_text)), default=0)
    before_text = before_text[sentence_start:]
    if _NAMING.search(before_text) or re.search(r"\bour\s+(?:\w+\s+)?$", before_text, re.I):
        return "proposes"
    verb = None
    for verb in _PROPOSE_VERBS.finditer(before_text):
        pass
    if verb is not None:
        between = before_text[verb.end():]
        if len(between.split()) <= 6 and not _NOT_OBJECT.search(between):
            return "proposes"
    if re.match(r"\s*,\s*(?:a|an)\s+(?:novel|new)\b", text[end:end + 20], re.I):
        return "proposes"
    near = " ".join(words_before(text, start, 6))
    if label in ("DATASET", "BENCHMARK"):
        return "evaluates_on" if _EVAL.search(near) else "uses"
    if _USE.search(" ".join(words_before(text, start, 4))):
        return "uses"
    return "mentions"
