"""Slot facts: destinations and responsibility, each with its holders and polarity."""

from __future__ import annotations

from parallax.analyze import analyze_articles
from parallax.ingest.sources import article_from_text


def _facts(text: str):
    analyzed = analyze_articles([article_from_text(text, "t.txt")])[0]
    return [f for c in analyzed.claims for f in c.facts]


def test_destination_and_the_alternative_ruled_out():
    facts = _facts(
        "Alexander Lukashenko said that the gunmen initially tried to flee to Belarus, not "
        "Ukraine as claimed by Vladimir Putin.\n"
    )
    found = {(f.slot, f.value, f.polarity, tuple(f.holders)) for f in facts}
    assert ("destination", "Belarus", 1, ("Alexander Lukashenko",)) in found
    assert ("destination", "Ukraine", -1, ("Alexander Lukashenko",)) in found
    assert ("destination", "Ukraine", 1, ("Vladimir Putin",)) in found


def test_passive_agent_and_denied_involvement():
    facts = _facts(
        "Officials said the attack was orchestrated by Ukraine.\n\n"
        "Reporters said there is no evidence of involvement by Ukraine.\n"
    )
    values = {(f.value, f.polarity) for f in facts if f.slot == "responsibility"}
    assert values == {("Ukraine", 1), ("Ukraine", -1)}


def test_acting_alone_is_exclusive():
    facts = _facts(
        "The United States and France have said Islamic State organised the attack and acted "
        "alone.\n"
    )
    (fact,) = [f for f in facts if f.slot == "responsibility"]
    assert fact.value == "Islamic State" and fact.alone
    assert set(fact.holders) >= {"United States", "France"}


def test_a_trip_without_a_named_place_gives_no_fact():
    assert not _facts("The suspects tried to flee to the forest after the attack.\n")
