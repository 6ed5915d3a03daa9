"""Quantities: values, qualifiers, units, durations, and which pairs can both hold."""

from __future__ import annotations

import pytest

from parallax.model import Quantity
from parallax.nlp.numbers import compatible, find_quantities, parse_number


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["139"], (139.0, False)),
        (["1,200"], (1200.0, False)),
        (["twenty-two"], (22.0, False)),
        (["two", "hundred"], (200.0, False)),
        (["1.5", "million"], (1_500_000.0, False)),
        (["eighth"], (8.0, True)),
        (["3rd"], (3.0, True)),
        (["several"], None),
    ],
)
def test_parse_number(words, expected):
    assert parse_number(words) == expected


def _quantities(bare_nlp, text):
    return {q.text: q for q in find_quantities(bare_nlp(text))}


def test_qualifiers_and_units(bare_nlp):
    found = _quantities(
        bare_nlp,
        "Gunmen killed at least 139 people. About 90 people remain in hospital. "
        "More than 60 firefighters were injured.",
    )
    assert found["at least 139 people"].qualifier == "at_least"
    assert found["at least 139 people"].unit == "people"
    assert found["About 90 people"].qualifier == "about"
    assert found["More than 60 firefighters"].qualifier == "more_than"
    assert found["More than 60 firefighters"].unit == "firefighter"


def test_durations_are_years(bare_nlp):
    found = _quantities(
        bare_nlp, "It was the deadliest attack in two decades, the worst for 20 years."
    )
    values = {q.value for q in found.values() if q.unit == "year"}
    assert values == {20.0}


def test_dates_are_not_quantities(bare_nlp):
    found = _quantities(bare_nlp, "He will be held until May 22, 2024, the court said.")
    assert not any(q.value in (22.0, 2024.0) for q in found.values())


def test_ordinals(bare_nlp):
    found = _quantities(bare_nlp, "Police arrested an eighth man on Tuesday.")
    assert found["eighth man"].ordinal is True
    assert found["eighth man"].value == 8


def _q(value, qualifier="exact"):
    return Quantity(start=0, end=1, text="x", value=value, qualifier=qualifier, unit="people")


def test_compatibility():
    assert compatible(_q(139, "at_least"), _q(139))
    assert compatible(_q(139, "at_least"), _q(150))
    assert not compatible(_q(14, "at_least"), _q(12))
    assert compatible(_q(90, "about"), _q(95))
    assert not compatible(_q(90, "about"), _q(120))
    assert not compatible(_q(12), _q(14))
