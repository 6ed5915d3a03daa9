"""Numbers in news text, normalised: "at least 139 people", "about 90", "two decades", "eighth".

`find_quantities` reads a parsed spaCy Doc; `compatible` says whether two quantities can both
hold. Calendar dates ("May 22", "2024") are not quantities and are left alone; durations
("two decades", "20 years") are, in years.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from parallax.model import Quantity

if TYPE_CHECKING:  # only for hints: `parse_number` must import without spaCy (relate uses it)
    from spacy.tokens import Doc, Span, Token

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
# Units that convert to another (value multiplier, canonical unit).
_UNIT_CONVERSIONS = {
    "decade": (10, "year"),
    "century": (100, "year"),
    "year": (1, "year"),
    "month": (1, "month"),
    "week": (1, "week"),
    "day": (1, "day"),
    "hour": (1, "hour"),
    "minute": (1, "minute"),
}
_QUALIFIERS = [
    (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"),
    (("more", "than"), "more_than"),
    (("over",), "more_than"),
    (("at", "most"), "at_most"),
    (("up", "to"), "at_most"),
    (("less", "than"), "less_than"),
    (("fewer", "than"), "less_than"),
    (("under",), "less_than"),
    (("about",), "about"),
    (("around",), "about"),
    (("approximately",), "about"),
    (("roughly",), "about"),
    (("nearly",), "about"),
    (("almost",), "about"),
    (("some",), "about"),
    (("an", "estimated"), "about"),
]
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)


def parse_number(words: list[str]) -> tuple[float, bool] | None:
    """The value of a number written in digits or words ("1,200", "two", "twenty-two", "eighth").

    Returns (value, is_ordinal), or None when the words are not a number.
    """
    if not words:
        return None
    if len(words) == 1:
        word = words[0].lower()
        if _DIGITS.match(word):
            return float(word.replace(",", "")), False
        match = _ORDINAL_DIGITS.match(word)
        if match:
            return float(match.group(1)), True
        if word in _ORDINALS:
            return float(_ORDINALS[word]), True
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        for word in raw.lower().replace(",", "").split("-"):
            if _DIGITS.match(word):
                current += float(word)
            elif word in _UNITS:
                current += _UNITS[word]
            elif word in _SCALES:
                current = max(current, 1) * _SCALES[word]
                if _SCALES[word] >= 1000:
                    total += current
                    current = 0
            elif word == "and":
                continue
            else:
                return None
            seen = True
    return (total + current, False) if seen else None


def _qualifier(doc: Doc, start: int) -> tuple[str, int]:
    """The qualifier just before token `start` and the index where it begins."""
    for words, name in _QUALIFIERS:
        begin = start - len(words)
        if begin >= 0 and tuple(t.lower_ for t in doc[begin:start]) == words:
            return name, begin
    return "exact", start


def _unit(tokens: Span) -> tuple[str | None, Token | None]:
    """The noun a number counts: its syntactic head when the number modifies it."""
    last = tokens[-1]
    head = last.head
    if last.dep_ in ("nummod", "amod", "quantmod", "compound") and head.pos_ in ("NOUN", "PROPN"):
        return head.lemma_.lower(), head
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.pos_ == "NOUN":
        return nxt.lemma_.lower(), nxt
    return None, None


def _number_runs(doc: Doc) -> list[Span]:
    """Maximal runs of tokens that read as one number ("twenty two", "1.5 million")."""
    runs: list[Span] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.like_num or token.lower_ in _ORDINALS or token.lower_ == "dozen":
            j = i + 1
            while j < len(doc) and (
                doc[j].like_num or doc[j].lower_ in _SCALES or doc[j].lower_ == "-"
            ):
                j += 1
            runs.append(doc[i:j])
            i = j
        else:
            i += 1
    return runs


def _is_calendar(run: Span) -> bool:
    """True for years and days of months, which are dates rather than counts."""
    ent = run[0].ent_type_
    if ent not in ("DATE", "TIME"):
        return False
    following = run.doc[run.end] if run.end < len(run.doc) else None
    return not (following is not None and following.lemma_.lower() in _UNIT_CONVERSIONS)


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every count, amount or duration in the Doc, with qualifier and unit.

    It refuses to guess at what a bare number counts: `unit` stays None when no noun governs
    it ("killed 139"), and dates, times and list markers are skipped.
    """
    found: list[Quantity] = []
    for run in _number_runs(doc):
        if _is_calendar(run):
            continue
        parsed = parse_number([t.text for t in run])
        if parsed is None:
            continue
        value, ordinal = parsed
        if ordinal and run[0].lower_ == "first":
            continue  # "first" is almost always sequence, not a count worth comparing
        qualifier, begin = _qualifier(doc, run.start)
        unit, unit_token = _unit(run)
        end_token = run.end
        if unit in _UNIT_CONVERSIONS:
            factor, unit = _UNIT_CONVERSIONS[unit]
            value *= factor
        if unit_token is not None and unit_token.i == run.end:
            end_token = unit_token.i + 1
        span = doc[begin:end_token]
        found.append(
            Quantity(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                value=value,
                qualifier=qualifier,
                unit=unit,
                ordinal=ordinal,
            )
        )
    return found


def interval(quantity: Quantity) -> tuple[float, float]:
    """The range of true values a quantity allows; "about" allows 10% either way."""
    v = quantity.value
    return {
        "exact": (v, v),
        "at_least": (v, math.inf),
        "more_than": (math.nextafter(v, math.inf), math.inf),
        "at_most": (-math.inf, v),
        "less_than": (-math.inf, math.nextafter(v, -math.inf)),
        "about": (v * 0.9, v * 1.1),
    }[quantity.qualifier]


def comparable(a: Quantity, b: Quantity) -> bool:
    """True when two quantities count the same kind of thing (same unit, both set)."""
    return a.unit is not None and a.unit == b.unit and a.ordinal == b.ordinal


def compatible(a: Quantity, b: Quantity) -> bool:
    """True when both quantities can hold at once ("at least 139" and "139" can)."""
    low_a, high_a = interval(a)
    low_b, high_b = interval(b)
    return low_a <= high_b and low_b <= high_a
