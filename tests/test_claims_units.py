"""Claim units: attribution-aware splits, nested records, holders of relative clauses."""

from __future__ import annotations

from parallax.analyze import analyze_articles
from parallax.ingest.sources import article_from_text
from parallax.nlp.claims import split_clauses


def _claims(text: str):
    return analyze_articles([article_from_text(text, "t.txt")])[0].claims


def test_trailing_concessive_clause_is_a_claim_of_its_own(bare_nlp):
    doc = bare_nlp(
        "Bortnikov alleged that Western spy agencies could have been involved in the attack, "
        "even as he acknowledged receiving a US tip about the attack."
    )
    parts = [p.text for p in split_clauses(next(doc.sents))]
    assert parts[-1] == "he acknowledged receiving a US tip about the attack."
    assert len(parts) == 2


def test_two_contents_of_one_speaker_are_split(bare_nlp):
    doc = bare_nlp(
        "On Monday evening, Putin said in televised remarks that Islamist radicals had carried "
        "out the attack but that it appeared to have been orchestrated by Ukraine."
    )
    parts = [p.text for p in split_clauses(next(doc.sents))]
    assert parts[-1] == "it appeared to have been orchestrated by Ukraine."
    assert parts[0].endswith("had carried out the attack")


def test_record_inside_an_allegation_is_a_nested_claim_of_the_writer():
    claims = _claims(
        "Bortnikov alleged that Western spy agencies also could have been involved in the "
        "deadliest terror attack on Russian soil in two decades.\n"
    )
    nested = [c for c in claims if c.nested]
    assert [c.text for c in nested] == [
        "the deadliest terror attack on Russian soil in two decades"
    ]
    assert nested[0].speaker is None
    assert nested[0].superlatives == ["worst"]
    assert any(q.value == 20 and q.unit == "year" for q in nested[0].quantities)


def test_a_bare_superlative_states_no_record():
    claims = _claims("The mayor said it was the biggest problem the city faced.\n")
    assert not [c for c in claims if c.nested]


def test_who_clause_is_held_by_the_person_it_is_about():
    claims = _claims(
        "Bortnikov followed similar allegations by President Vladimir Putin, who linked the "
        "attack to Ukraine.\n"
    )
    who = next(c for c in claims if c.text.startswith("who linked"))
    assert who.speaker and who.speaker.endswith("Putin")
    assert who.standalone == "President Vladimir Putin linked the attack to Ukraine."


def test_which_clause_outside_quotes_is_the_writers():
    claims = _claims(
        "The Islamic State terrorist group claimed responsibility for the attack, which was the "
        "worst in Russia for 20 years.\n"
    )
    which = next(c for c in claims if c.text.startswith("which"))
    assert which.speaker is None
    assert which.standalone.startswith("the attack was the worst")


def test_sentences_inside_a_quote_are_marked_quoted():
    claims = _claims(
        "“That’s why they couldn’t enter Belarus. They saw that, so they turned away,” "
        "Lukashenko said.\n"
    )
    assert all(c.quoted for c in claims)
