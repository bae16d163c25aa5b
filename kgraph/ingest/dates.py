"""Dates as sources write them -> the ISO 8601 forms of `Paper.date`: pure functions.

The result is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` where the year is known, and
``--MM-DD`` (xsd:gMonthDay) for a page that shows only a month and a day ("Mar 11").
Anything else is ``None``: a date is never guessed.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re

_MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
     "jul july", "aug august", "sep sept september", "oct october", "nov november",
     "dec december"), start=1) for name in names.split()}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_ISO = re.compile(r"(?P<year>\d{4})(?:[-/.](?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?)?"
                  r"(?:[T ]\d{1,2}:\d{2}.*)?")
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:(?:st|nd|rd|th)?,?\s+(?P<year>\d{4}))?")
_DAY_MONTH = re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?")
_MONTH_YEAR = re.compile(_MONTH + r",?\s+(?P<year>\d{4})")


def normalise_date(value: str | int) -> str | None:
    """Return `value` as an ISO 8601 date (see the module doc), or None if it is not one.

    >>> normalise_date("2023-03-11T17:59:59Z"), normalise_date("Mon, 2 Apr 2007 19:18:42 GMT")
    ('2023-03-11', '2007-04-02')
    >>> normalise_date("Mar 11"), normalise_date("March 2024"), normalise_date(2021)
    ('--03-11', '2024-03', '2021')
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if match := _ISO.fullmatch(text):
        return _iso(match["year"], match["month"], match["day"])
    for pattern in (_MONTH_DAY, _DAY_MONTH, _MONTH_YEAR):
        if (match := pattern.fullmatch(text)) and match["month"].lower() in _MONTHS:
            month = str(_MONTHS[match["month"].lower()])
            return _iso(match["year"], month, match.groupdict().get("day"))
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _iso(year: str | None, month: str | None, day: str | None) -> str | None:
    try:
        if year is None:  # month and day only: check it against a leap year
            dt.date(2000, int(month), int(day))
            return f"--{int(month):02d}-{int(day):02d}"
        if month is None:
            return year if 1 <= int(year) else None
        if day is None:
            dt.date(int(year), int(month), 1)
            return f"{year}-{int(month):02d}"
        return dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None
