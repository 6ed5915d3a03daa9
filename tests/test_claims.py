"""Claim units: sentences split into independent clauses, boilerplate never a claim."""

from __future__ import annotations

from parallax.ingest.sources import article_from_text
from parallax.nlp.claims import build_claims, split_clauses


def test_coordinated_clauses_with_own_subjects_are_split(bare_nlp):
    doc = bare_nlp(
        "The IS affiliate claimed it carried out the attack, and U.S. intelligence said it "
        "had information confirming the group was responsible."
    )
    parts = [p.text for p in split_clauses(next(doc.sents))]
    assert parts == [
        "The IS affiliate claimed it carried out the attack",
        "U.S. intelligence said it had information confirming the group was responsible.",
    ]


def test_shared_subject_coordination_stays_whole(bare_nlp):
    doc = bare_nlp("They saw the police and turned toward the border before dawn.")
    assert len(split_clauses(next(doc.sents))) == 1


def test_claim_offsets_point_into_the_text(bare_nlp):
    text = "Fire broke out at the depot on Tuesday.\n\nTwelve workers were killed, officials said."
    doc = bare_nlp(text)
    claims = build_claims(doc, "a1", [], [], [])
    assert [c.text for c in claims] == [
        "Fire broke out at the depot on Tuesday.",
        "Twelve workers were killed, officials said.",
    ]
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text


def test_boilerplate_never_becomes_a_claim(nlp):
    text = (
        "Advertisement\n\nTwelve workers were killed in the depot fire, officials said.\n\n"
        "Sign up for our newsletter to get the morning briefing\n"
    )
    article = article_from_text(text, "t.txt")
    assert {b.text for b in article.boilerplate} >= {"Advertisement"}
    doc = nlp(article.masked_text())
    claims = build_claims(doc, article.id, [], [], [])
    for claim in claims:
        for line in article.boilerplate:
            assert claim.end <= line.start or claim.start >= line.end
