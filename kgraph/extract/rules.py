"""Rules for names no vocabulary can list: coined names and hardware product shapes.

Regular expressions over the paper's text, returning candidate spans. They run on the
whole text at C speed, which is far cheaper than spaCy token patterns (measured in
issue #3: 280 token patterns ran at 29k words/s, a PhraseMatcher at 440k).
"""
from __future__ import annotations

import re

from kgraph.extract.entities import Candidate

# "PlainMamba", "MobileSAM", "G3Reg", "YOLOv8", "DAMO-YOLO", "LLaMA-2": a capital after the
# first character, mixed with lower case or digits; joined by hyphens to the next part.
_PART = r"[A-Za-z0-9][A-Za-z0-9.]*"
_COINED = re.compile(rf"(?<![\w\-]){_PART}(?:-{_PART})*(?![\w\-])")
_HARDWARE = re.compile(
    r"(?<![\w\-])(?:(?:NVIDIA|Nvidia|NVidia)\s+)?(?:(?:GeForce|Tesla|Quadro|Titan|TITAN)\s+)?"
    r"(?:(?:RTX|GTX)\s?(?:A)?\d{3,4}(?:\s?Ti)?|[AHVLTP]\d{2,3}(?=\s+(?:GPU|Tensor|PCIe|SXM|\d+GB))|"
    r"TPU\s?v\d[a-z]?|Jetson\s+(?:AGX\s+)?(?:Nano|Orin|Xavier|TX2|TX1)(?:\s+NX)?)(?![\w\-])")
_PLAIN_WORD = re.compile(r"^(?:[A-Z]?[a-z]+)$")
_NOT_COINED = re.compile(r"^(?:\d+(?:\.\d+)?[A-Za-z]*|[0-9.]+[KMBTkmbt]|[A-Z]\d|\d+[Dd]|x\d+|v\d+(?:\.\d+)?|"
                         r"[A-Z][a-z]+|[a-z]+|[A-Z]+s?|[IVX]+)$")


def is_coined(token: str) -> bool:
    """True for names that look invented for a paper or product: G3Reg, PlainMamba, YOLOv8."""
    if len(token) < 3 or _NOT_COINED.match(token):
        return False
    parts = token.split("-")
    # "LLM-based", "GPU-accelerated": a name with an ordinary word attached is no name.
    if any(p.isalpha() and p.islower() and len(p) >= 3 for p in parts[1:]):
        return False
    # "multi-GPU", "non-LR", "top-K": an ordinary prefix word before a hyphen.
    if len(parts) > 1 and parts[0].isalpha() and parts[0].islower() and len(parts[0]) >= 2:
        return False
    # "Chinese-English", "Partially-Connected", "Out-of-Distribution": ordinary words
    # capitalised and hyphenated are a compound, not an invented name.
    if len(parts) > 1 and all(_PLAIN_WORD.match(p) for p in parts):
        return False
    if len(parts) > 1 and all(p.isupper() and len(p) >= 2 for p in parts):
        return True  # "DAMO-YOLO"
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2:
        return False
    inner_upper = any(c.isupper() for c in token[1:])
    has_lower_or_digit = any(c.islower() or c.isdigit() for c in token)
    return inner_upper and has_lower_or_digit


# Shapes that mark a coined name as a model: families, "-Net"/"-former" heads, sizes.
_MODEL_SHAPE = re.compile(
    r"(?:Net|net|Former|former|BERT|GPT|LLaMA|Llama|ViT|YOLO|Mamba|SAM|CLIP|Diffusion|LM|T5)(?:[-v]?\d+[\w.]*)?$"
    r"|[-_ ]\d+(?:\.\d+)?[BMK]$|-(?:[STBLHG]|Tiny|Small|Base|Large|Huge)(?:/\d+)?$|-\d{2,3}$")


def shape_type(token: str) -> str:
    """A coined name's type when the text gives no cue: MODEL for model-like shapes."""
    return "MODEL" if _MODEL_SHAPE.search(token) else "METHOD"


# "Archon: An Architecture Search ...": a short name before the title's colon.
_TITLE_PREFIX = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s")


def title_prefix_candidates(text: str) -> list[Candidate]:
    """The name a paper gives its contribution in a title "X: ...", and X's uses in the abstract.

    Three words at most, and with a capital or a digit, so "Revisiting ResNets" passes but
    no sentence does. Measured on the 336 annotated papers of data/: such a prefix is an
    annotated entity in 185 of 193 titles; its type comes from the rest of the title
    (`cues.title_cue`).
    """
    m = _TITLE_PREFIX.match(text)
    if not m:
        return []
    name = m.group(1)
    if len(name.split()) > 3 or not any(c.isupper() or c.isdigit() for c in name):
        return []
    start = m.start(1)
    found = [Candidate(start, start + len(name), "METHOD", "title")]
    abstract_start = text.find("\n") + 1
    if abstract_start:
        pattern = re.compile(r"(?<![\w\-])" + re.escape(name) + r"(?![\w\-])")
        found += [Candidate(o.start(), o.end(), "METHOD", "title")
                  for o in pattern.finditer(text, abstract_start)]
    return found


def rule_candidates(text: str) -> list[Candidate]:
    """Coined names (typed later by their context), title names and hardware products."""
    found = [Candidate(m.start(), m.end(), "HARDWARE", "rule") for m in _HARDWARE.finditer(text)]
    found += title_prefix_candidates(text)
    for m in _COINED.finditer(text):
        token = m.group(0).rstrip(".")
        if is_coined(token):
            found.append(Candidate(m.start(), m.start() + len(token), shape_type(token), "rule"))
    return found
