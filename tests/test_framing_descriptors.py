"""Descriptors of actors: appositions, titles, predicate nominals and labels in place of names."""

from __future__ import annotations

import pytest

from parallax.nlp.framing import find_descriptors
from parallax.nlp.pipeline import load_spacy

pytestmark = pytest.mark.slow

# A fictional event told with real nationalities, so the nationality rules have work to do.
FLOOD = """Flood Toll Was Hidden, Says Brenn Rival

Moldovan President Elena Varga said on Sunday that 42 people had died in the floods, not 12 as claimed by Romanian prime minister Tomas Brenn.

Varga, a longtime rival of Brenn, said rescue teams had reached the northern valleys.

The Moldovan leader's remarks contradict claims by the Romanian government that the dam was sound.

Ivo Kessler, the head of the Romanian Water Authority, said the dam had been inspected in May.
"""


def _descriptors(text: str, actors: list[str] | None = None) -> dict[str, str]:
    doc = load_spacy()(text)
    found = find_descriptors(doc, actors)
    for d in found:
        assert text[d.start : d.end] == d.text
    return {d.text: d.actor for d in found}


def test_appositions_titles_and_labels_of_a_fictional_event() -> None:
    found = _descriptors(FLOOD)
    assert found["a longtime rival of Brenn"] == "Elena Varga"
    assert found["Moldovan President"] == "Elena Varga"
    assert found["Romanian prime minister"] == "Tomas Brenn"
    assert found["the head of the Romanian Water Authority"] == "Ivo Kessler"
    # A label in place of the name, tied by nationality and by the lead's subject.
    assert found["The Moldovan leader"] == "Elena Varga"
    # A headline label, tied through the apposition that says the same ("rival of Brenn").
    assert found["Brenn Rival"] == "Elena Varga"


def test_predicate_nominal_and_org_apposition() -> None:
    found = _descriptors(
        "Nikolai Patrushev is the secretary of the security council. "
        "Alexander Bortnikov, the head of the FSB, Russia's internal security agency, spoke."
    )
    assert found["the secretary of the security council"] == "Nikolai Patrushev"
    assert found["the head of the FSB"] == "Alexander Bortnikov"
    # The second apposition describes the agency, not the man.
    assert found["Russia's internal security agency"] == "FSB"


def test_label_is_refused_when_the_subject_is_shared() -> None:
    found = _descriptors(
        "Anna Petrova and Ivan Sokolov met in Vienna on Monday. "
        "The president said the talks went well."
    )
    assert "The president" not in found


def test_label_is_refused_when_nationality_contradicts() -> None:
    found = _descriptors(
        "Romanian prime minister Tomas Brenn spoke on Monday. "
        "The Moldovan leader said the talks went well."
    )
    assert found == {"Romanian prime minister": "Tomas Brenn"}


def test_label_in_the_same_sentence_as_one_named_person() -> None:
    found = _descriptors(
        "One aide said that Mr Varga was at the meeting but that the president is determined "
        "to go on."
    )
    assert found["the president"] == "Varga"


def test_speaker_is_not_the_label_in_her_own_clause() -> None:
    found = _descriptors("John Miller beamed and asked the crowd to welcome the governor.")
    assert "the governor" not in found


def test_caller_actor_names_are_used_across_articles() -> None:
    found = _descriptors(
        "Mr Lukashenko, a close ally of Putin, spoke on Monday.", actors=["Alexander Lukashenko"]
    )
    assert found["a close ally of Putin"] == "Alexander Lukashenko"


def test_plural_and_clausal_phrases_are_not_descriptors() -> None:
    found = _descriptors(
        "No matter the expectations, Donald Trump will insist on being himself. "
        "As he welcomed several hundred guests, Scott was also launching his bid."
    )
    assert found == {}


def test_title_case_words_named_only_in_the_headline_are_no_actor() -> None:
    text = (
        "Depot Fire Kills 12 Workers, Minister Blames Sabotage\n\n"
        "Interior Minister Dana Orlov said the blaze was an act of sabotage.\n\n"
        "Fire chief Tomas Reyes denied that investigators had found any sign of sabotage.\n"
    )
    found = _descriptors(text)
    assert "Blames Sabotage" not in found.values()
    assert found["Interior Minister"] == "Dana Orlov"
    assert found["Fire chief"] == "Tomas Reyes"
