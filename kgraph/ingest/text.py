"""Clean text as it comes out of web pages, feeds and arXiv: pure functions, no I/O.

`normalise_text` is applied to every title, abstract and author name that ingest reads.
It is deliberately conservative: it removes markup that is surely markup and keeps
everything else, because a model name such as ``<projektor>`` or a range such as
``10~20X`` is content.

Decisions, in the order they are applied:

1. **HTML entities** (``&amp;``, ``&#233;``, ``&#x2013;``) are unescaped. Only the
   ``&name;`` form with its semicolon counts, so ``R&D`` and ``Q&A`` are left alone.
2. **HTML tags are stripped but their text is kept**: ``<b>x</b>`` and
   ``<script>alert(1)</script>`` become ``x`` and ``alert(1)``. Only the names of real
   HTML (and JATS/MathML) elements count as tags, so ``<EOS>``, ``<subject, object>`` and
   ``(<600M MACs)`` stay. Entities are unescaped first, so an escaped tag such as
   ``&lt;script&gt;`` is stripped too: no tag survives in either form, which keeps
   exporters (HTML, GraphML) from ever seeing live markup in a title.
3. **LaTeX** (see `kgraph.ingest.latex`): ``$...$`` math becomes readable text,
   ``\\emph{x}`` becomes ``x``, ``\\%`` becomes ``%``, ````quotes''`` become ``"quotes"``,
   accents become letters and ``~`` between words becomes a space.
4. **Control characters** are dropped (tabs and newlines become spaces). Format
   characters such as the zero-width joiner of emoji sequences and the right-to-left
   marks of Arabic or Hebrew text are kept, as are CJK and emoji.
5. **Whitespace** runs become one space; the ends are trimmed.
6. **Unicode NFC**, so that ``é`` typed two ways compares equal.
"""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from kgraph.ingest.latex import delatex

# HTML elements that turn up in scraped titles and abstracts. Names that papers also use
# as literal tokens (<s>, <q>, <input>, <code>, <label>, <image>, <mask>...) are left out
# on purpose. Any element with a JATS or MathML prefix (Crossref, OpenAlex) is markup too.
_TAG_NAMES = (
    "a abbr article b big blockquote body br center cite dd del div dl dt em font "
    "h1 h2 h3 h4 h5 h6 head hr html i iframe img ins kbd li link meta noscript ol p pre "
    "script section small span strike strong style sub sup table tbody td th thead tr tt "
    "u ul wbr"
).split()
_ATTRIBUTE = r"""\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(
    r"</?(?:(?:jats|mml):[A-Za-z][-\w]*|(?:" + "|".join(sorted(_TAG_NAMES, key=len, reverse=True))
    + r"))(?![-\w:])(?:" + _ATTRIBUTE + r")*\s*/?>",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Control characters (Cc) that are not whitespace, and lone surrogates (JSON allows them).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Return `text` cleaned for use as a title, abstract or name (see the module doc)."""
    text = unicodedata.normalize("NFC", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    if "<" in text:
        text = _TAG.sub(" ", _COMMENT.sub(" ", text))
    text = delatex(text)
    text = _CONTROL.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def title_key(title: str) -> str:
    """The form under which two titles count as the same paper: lower case, words only.

    >>> title_key("G3Reg: Pyramid  Graph-based  Registration")
    'g3reg pyramid graph based registration'
    """
    return _NON_WORD.sub(" ", normalise_text(title).casefold()).strip()


def title_hash(title: str) -> str:
    """First 16 hex digits of the SHA-1 of `title_key(title)`: the id of a paper known only by title."""
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:16]
