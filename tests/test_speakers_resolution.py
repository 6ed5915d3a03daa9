"""Actors, aliases and speaker resolution on texts written for these tests (real model)."""

from __future__ import annotations

from parallax.nlp.speakers import SpeakerResolver, find_actors


def _speaker_names(nlp, text: str) -> dict[str, str | None]:
    """content snippet (first 25 chars) -> resolved speaker name."""
    doc = nlp(text)
    return {
        a.content.text[:25]: (a.speaker.name if a.speaker else None) for a in doc._.attributions
    }


def test_aliases_merge_into_one_actor(bare_nlp):
    doc = bare_nlp(
        "Alexander Lukashenko spoke on Monday. Mr Lukashenko said the border was closed. "
        "Lukashenko later met reporters."
    )
    actors = {a.name: a for a in find_actors(doc)}
    assert "Alexander Lukashenko" in actors
    luka = actors["Alexander Lukashenko"]
    assert luka.type == "PERSON"
    assert len(luka.mentions) == 3
    assert "Lukashenko" in luka.aliases
    assert luka.gender == "m"  # from "Mr"
    for start, end in luka.mentions:
        assert "Lukashenko" in doc.text[start:end]


def test_pronoun_goes_to_actor_last_named_in_subject_position(nlp):
    text = (
        "Helena Fischer met Carlos Ruiz in Lisbon on Monday.\n\n"
        "Fischer told the committee that the dam was safe.\n\n"
        "She said the inspection had been thorough."
    )
    names = _speaker_names(nlp, text)
    assert names["the inspection had been t"] == "Helena Fischer"


def test_pronoun_in_subordinate_clause_takes_nearest_person_in_sentence(nlp):
    text = "Carlos Ruiz criticised the plan, even as he acknowledged that the dam needed repairs."
    doc = nlp(text)
    a = next(a for a in doc._.attributions if a.cue.text == "acknowledged")
    assert "dam needed repairs" in a.content.text
    assert a.speaker.text == "he" and a.speaker.name == "Carlos Ruiz"


def test_pronoun_ignores_names_inside_quotes(nlp):
    text = (
        "Helena Fischer spoke to reporters in Lisbon.\n\n"
        "“Carlos Ruiz and I did not sleep for a day,” she said."
    )
    doc = nlp(text)
    a = next(a for a in doc._.attributions if "did not sleep" in a.content.text)
    assert a.speaker.name == "Helena Fischer"


def test_description_resolves_through_apposition(nlp):
    text = (
        "Tom Becker, the head of the water agency, visited the dam.\n\n"
        "The head of the water agency said that repairs would start in June."
    )
    names = _speaker_names(nlp, text)
    assert names["that repairs would start "] == "Tom Becker"


def test_state_noun_with_demonym_resolves_to_the_country(nlp):
    text = (
        "Portugal and Spain disagree over the dam.\n\n"
        "The Portuguese government said that the dam was safe."
    )
    names = _speaker_names(nlp, text)
    assert names["that the dam was safe"] == "Portugal"


def test_plural_or_anonymous_speaker_is_left_unresolved(nlp):
    text = "Helena Fischer visited the dam.\n\nThey said that the dam was safe."
    names = _speaker_names(nlp, text)
    assert names["that the dam was safe"] is None


def test_resolver_gives_none_for_a_description_with_no_antecedent(bare_nlp):
    doc = bare_nlp("The spokesman said that the dam was safe.")
    resolver = SpeakerResolver(doc)
    head = doc[1]
    assert resolver.resolve(head, doc[0:2]) is None
