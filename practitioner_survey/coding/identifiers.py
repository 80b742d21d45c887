"""Identifiers the anonymiser finds by their shape: e-mail addresses, UK postcodes, phone numbers and dates (of birth,
or any full date written as numbers), each as (start, end, kind)."""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?"
    r"|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
_WRITTEN_DATE = (
    rf"(?:{_DAY}\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTHS}"
    rf"|{_MONTHS}\s+\d{{4}}|\d{{4}})"
)
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "postcode",
        re.compile(r"(?<![\w])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}|GIR\s?0AA)(?![\w])", re.I),
    ),
    (
        "date of birth",
        re.compile(
            rf"(?:\bD\.?O\.?B\.?|\bdate of birth|\bborn(?:\s+(?:on|in))?)[:,\s]+(?:is\s+)?(?:the\s+)?"
            rf"(?P<date>{_NUMERIC_DATE}|{_WRITTEN_DATE})(?!\w)",
            re.I,
        ),
    ),
    ("date", re.compile(rf"(?<![\w/.\-]){_NUMERIC_DATE}(?![\w/]|\.\d)")),
    ("phone", re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s\-()]{7,14}\d(?!\w)")),
)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _date_like(text: str) -> bool:
    parts = [int(p) for p in re.split(r"[/.\-]", text)]
    day, month = parts[0], parts[1]
    return (1 <= month <= 12 and 1 <= day <= 31) or (1 <= day <= 12 and 1 <= month <= 31)


def identifiers(text: str) -> list[tuple[int, int, str]]:
    """E-mail addresses, postcodes, dates of birth, numeric dates and phone numbers in `text`: (start, end, kind)."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = (m.start("date"), m.end("date")) if kind == "date of birth" else m.span()
            value = text[start:end]
            if kind == "phone":
                national = value.removeprefix("+44")
                digits = _digits(national) + (1 if value.startswith("+44") and "(0)" not in value else 0)
                if digits not in (10, 11):
                    continue
            if kind == "date" and not _date_like(value):
                continue
            found.append((start, end, kind))
    return found
