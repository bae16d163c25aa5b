"""Turn the LaTeX that arXiv abstracts carry into plain readable text: pure functions.

Only markup common in abstracts is handled; anything else is left as it is, because a
stray backslash is easier to spot than silently lost text. In order:

- accents: ``M\\'elange`` -> ``Mélange``, ``na\\"ive`` -> ``naïve``, ``\\c{c}`` -> ``ç``;
- ``~`` between words is a tie and becomes a space (``Network~(FFN)``,
  ``i.e.~points``); next to a number it means "about" or a range and stays
  (``~10G FLOPs``, ``10~20X``, ``75%~89%``), and so does ``~`` in a URL;
- math, ``$...$``, ``$$...$$`` and ``\\(...\\)``: the dollars go, common symbols become
  Unicode (``\\times`` -> ``×``, ``\\alpha`` -> ``α``, ``\\leq`` -> ``≤``), ``\\frac{a}{b}`` ->
  ``a/b``, braces go (``x^{2}`` -> ``x^2``). A pair of ``$`` is math only when the text
  between them neither starts nor ends with a space, and, if it starts with a digit, no
  digit follows: ``$5 and $10`` and ``$5-$10`` keep their dollars, ``$\\sim$10`` reads ``~10``;
- text commands: ``\\emph{x}``, ``\\textbf{x}``, ``{\\bf x}``, ``\\url{x}`` -> ``x``;
- escapes and macros: ``\\%`` -> ``%``, ``\\&`` -> ``&``, ``\\eg`` -> ``e.g.``;
  quotes: ````x''`` -> ``"x"``.
"""
from __future__ import annotations

import re
import unicodedata

_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "u": "\u0306", "v": "\u030c",
            "H": "\u030b", "k": "\u0328", "r": "\u030a"}
_SYMBOL_ACCENT = re.compile(r"""\\(['`"^~=.])\s*(?:\{\s*(\\i|[A-Za-z])\s*\}|(\\i|[A-Za-z]))""")
_LETTER_ACCENT = re.compile(r"\\([cuvHkr])(?:\s*\{\s*(\\i|[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı"}
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![A-Za-z])\s?")

# A tie: a tilde between two words, or after an abbreviation's period ("Fig.~1").
_TILDE = re.compile(r"\S+://\S+|(?<=[^\s/\d%])~(?=[^\s\d])|(?<=\.)~(?=\d)")

_MATH = re.compile(
    r"\$\$(?P<display>[^$]{1,2000}?)\$\$"
    r"|(?<![\\$])\$(?=[^\s$])(?P<inline>[^$]{1,500}?)(?<![\s\\])\$(?!\$)"
    r"|\\\((?P<paren>.{1,500}?)\\\)",
    re.DOTALL,
)
_MATH_SYMBOLS = {
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "div": "÷", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "~", "simeq": "≃",
    "propto": "∝", "equiv": "≡", "infty": "∞", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "leftrightarrow": "↔", "mapsto": "↦", "in": "∈",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀",
    "exists": "∃", "ell": "ℓ", "partial": "∂", "nabla": "∇", "sum": "Σ", "prod": "Π",
    "int": "∫", "ldots": "…", "dots": "…", "cdots": "⋯", "circ": "∘", "star": "⋆",
    "ast": "∗", "degree": "°", "prime": "′", "top": "⊤", "langle": "⟨", "rangle": "⟩",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "|": "‖", "%": "%",
    "&": "&", "#": "#", "_": "_", "{": "{", "}": "}", "$": "$",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι",
    "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ",": " ", ";": " ", ":": " ", " ": " ", "!": "", "left": "", "right": "", "big": "",
    "Big": "", "quad": " ", "qquad": " ",
}
_MATH_COMMAND = re.compile(r"\\([A-Za-z]+|[,;:! %&#_{}$|])")
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_MATH_FONT = re.compile(
    r"\\(mathbb|mathcal|mathrm|mathbf|mathit|mathsf|mathtt|boldsymbol|bm|text|textrm|"
    r"textbf|textit|operatorname|hat|bar|tilde|vec|widehat|widetilde|overline)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")

_TEXT_COMMAND = re.compile(
    r"\\(?:emph|textbf|textit|texttt|textsc|textrm|textsf|textsl|textup|textnormal|"
    r"underline|mbox|hbox|url|text)\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}")
_FONT_GROUP = re.compile(r"\{\\(?:em|bf|it|sc|tt|rm|sl|sf|bfseries|itshape)\s+([^{}]*)\}")
_MACROS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "vs": "vs.", "etc": "etc.",
           "wrt": "w.r.t.", "LaTeX": "LaTeX", "TeX": "TeX", "textasciitilde": "~",
           "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…"}
_MACRO = re.compile(r"\\(" + "|".join(_MACROS) + r")(?![A-Za-z])(?:\{\})?")
_ESCAPE = re.compile(r"\\([%&_#$}{])")
_SINGLE_BRACED = re.compile(r"\{(\w)\}")


def delatex(text: str) -> str:
    """Return `text` with the LaTeX markup listed in the module doc made plain."""
    if "\\" not in text and "$" not in text and "~" not in text and "`" not in text \
            and "''" not in text:
        return text
    text = _SYMBOL_ACCENT.sub(_accent, text)
    text = _LETTER_ACCENT.sub(_accent, text)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _TILDE.sub(lambda m: m.group() if len(m.group()) > 1 else " ", text)
    text = _MATH.sub(_math, text)
    text = _repeat(_TEXT_COMMAND, r"\1", text)
    text = _repeat(_HREF, r"\1", text)
    text = _repeat(_FONT_GROUP, r"\1", text)
    text = _MACRO.sub(lambda m: _MACROS[m.group(1)], text)
    text = _ESCAPE.sub(r"\1", text)
    text = text.replace("\\\\", " ").replace("``", '"').replace("''", '"')
    return _SINGLE_BRACED.sub(r"\1", text)


def _accent(match: re.Match) -> str:
    mark, letter = match.group(1), match.group(2) or match.group(3)
    base = "i" if letter == "\\i" else letter  # an accent on a dotless i replaces its dot
    return unicodedata.normalize("NFC", base + _ACCENTS[mark])


def _math(match: re.Match) -> str:
    body = next(g for g in match.groups() if g is not None)
    if match.group("inline") and body[0].isdigit() and match.string[match.end():match.end() + 1].isdigit():
        return match.group()  # "$5-$10": prices, not math
    if "\\" not in body and "{" not in body:
        return body
    body = _repeat(_FRAC, r"\1/\2", body)
    body = _repeat(_SQRT, r"√\1", body)
    body = _repeat(_MATH_FONT, _math_font, body)
    body = _repeat(_SCRIPT, _script, body)
    body = _MATH_COMMAND.sub(lambda m: _MATH_SYMBOLS.get(m.group(1), m.group(1)), body)
    return body.replace("{", "").replace("}", "")


def _math_font(match: re.Match) -> str:
    if match.group(1) == "mathbb" and match.group(2).strip() in _BLACKBOARD:
        return _BLACKBOARD[match.group(2).strip()]
    return match.group(2)


def _script(match: re.Match) -> str:
    inner = match.group(2).strip()
    if len(inner) > 1 and not inner.isalnum():
        inner = f"({inner})"
    return match.group(1) + inner


def _repeat(pattern: re.Pattern, repl, text: str, limit: int = 8) -> str:
    """Apply `pattern` until nothing changes, so nested groups unwrap from the inside."""
    for _ in range(limit):
        new = pattern.sub(repl, text)
        if new == text:
            break
        text = new
    return text
