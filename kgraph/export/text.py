"""Text rules shared by every exporter: what may reach a file, and how values flatten.

- :func:`clean_text` drops the characters XML 1.0 forbids (C0 controls other than tab,
  newline and carriage return; lone surrogates; U+FFFE and U+FFFF). They cannot be
  written to GraphML or GEXF at all and lone surrogates cannot even be encoded as UTF-8,
  so every export drops them, and all exports carry the same text.
- Multi-valued attributes (tuples in memory) are joined with :data:`MULTI_SEP`.
- :func:`neutralise_formula` keeps spreadsheet programs from running a cell as a formula.
"""
from __future__ import annotations

import json
import math
import numbers
import re

MULTI_SEP = " | "

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (see the module docstring)."""
    return _XML_FORBIDDEN.sub("", value)


def format_double(value: float) -> str:
    """A float in the XML Schema lexical form (``NaN``, ``INF``, ``-INF`` for the odd ones)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def flat_value(value):
    """One scalar (str, bool, int or float) for an attribute value, or None to leave it out.

    Tuples, lists and sets become one string joined with " | " (sets sorted); dicts
    become JSON; strings lose XML-forbidden characters; anything else becomes its str().
    """
    kind = type(value)
    if kind is str:  # the common cases first: this runs for every attribute of every edge
        return clean_text(value)
    if kind is float or kind is int or kind is bool:
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (tuple, list)):
        return MULTI_SEP.join(_item_text(item) for item in value if item is not None)
    if isinstance(value, dict):
        return clean_text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
    return clean_text(str(value))


def _item_text(item) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        return format_double(item)
    return clean_text(str(item))


def scalar_text(value) -> str:
    """The text form of a flat value: ``true``/``false``, XSD doubles, strings as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_double(value)
    return str(value)


def neutralise_formula(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would read as a formula (=, +, -, @, tab, CR)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
