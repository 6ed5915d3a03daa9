"""Actor-name normalising and alias merging (pure string functions, no model needed)."""

from __future__ import annotations

import pytest

from parallax.nlp.actors import acronym_definitions, canonical_actor_name, merge_actor_names


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Belarus President Alexander Lukashenko", "Alexander Lukashenko"),
        ("Russian president Vladimir Putin", "Vladimir Putin"),
        ("Mr Lukashenko", "Lukashenko"),
        ("Mr. Trump's", "Trump"),
        ("Lukashenko’s", "Lukashenko"),
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("Former Prime Minister Boris Johnson", "Boris Johnson"),
        ("Republican presidential nominee Donald Trump", "Donald Trump"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),
        ("Jordan Peterson", "Jordan Peterson"),
        ("the Islamic State group", "Islamic State"),
        ("Russian Defence Ministry", "Russian Defence Ministry"),
        ("the FSB", "FSB"),
        ("U.S.", "U.S."),
        ("the president", "president"),
    ],
)
def test_canonical_actor_name_strips_titles_not_names(mention: str, name: str) -> None:
    assert canonical_actor_name(mention) == name


def test_merge_maps_every_alias_of_a_person_to_the_full_name() -> None:
    merged = merge_actor_names(
        ["Mr Lukashenko", "Alexander Lukashenko", "Lukashenko", "Belarus President Lukashenko"]
    )
    assert set(merged.values()) == {"Alexander Lukashenko"}


def test_merge_refuses_a_surname_shared_by_two_people() -> None:
    merged = merge_actor_names(["Dilovar Islomov", "Aminchon Islomov", "Islomov"])
    assert merged["Islomov"] == "Islomov"
    assert merged["Dilovar Islomov"] == "Dilovar Islomov"
    assert merged["Aminchon Islomov"] == "Aminchon Islomov"


def test_merge_keeps_a_generational_suffix_apart() -> None:
    merged = merge_actor_names(["Trump", "Donald Trump", "Donald Trump Jr.", "Mr. Trump"])
    assert merged["Trump"] == merged["Mr. Trump"] == "Donald Trump"
    assert merged["Donald Trump Jr."] == "Donald Trump Jr."


def test_merge_organisations_by_initials_and_by_definition() -> None:
    text = "Alexander Bortnikov, head of the Federal Security Service, or FSB, said so."
    merged = merge_actor_names(
        ["IS", "Islamic State", "the Islamic State group", "FSB", "Federal Security Service"],
        acronyms=acronym_definitions(text),
    )
    assert merged["IS"] == merged["the Islamic State group"] == "Islamic State"
    assert merged["FSB"] == "Federal Security Service"


def test_merge_works_across_articles_and_never_maps_acronyms_to_people() -> None:
    merged = merge_actor_names(["AP", "Anna Petrova", "U.S.", "United States", "UN"])
    assert merged["AP"] == "AP"
    assert merged["U.S."] == "United States"
    assert merged["UN"] == "UN"


def test_acronym_definitions_parenthesis_and_or_forms() -> None:
    found = acronym_definitions(
        "The North Atlantic Treaty Organization (NATO) and the Federal Bureau of "
        "Investigation (FBI) met; the Federal Security Service, or FSB, did not."
    )
    assert found == {
        "NATO": "North Atlantic Treaty Organization",
        "FBI": "Federal Bureau of Investigation",
        "FSB": "Federal Security Service",
    }
