"""Alignment: same claim, related claims, quotes in two translations, negation kept apart."""

from __future__ import annotations

from parallax.analyze import analyze_articles
from parallax.compare.align import main_clause_negated, quote_similarity
from parallax.compare.dossier import build_dossier
from parallax.ingest.sources import article_from_text


def _dossier(*texts: str):
    articles = [article_from_text(t, f"a{i}.txt") for i, t in enumerate(texts)]
    return build_dossier(analyze_articles(articles))


def _claim_of(dossier, needle: str):
    return next(c for c in dossier.claims if any(needle in m.text for m in c.mentions))


def test_quote_similarity_is_fuzzy_and_ignores_unrelated_quotes():
    a = "that's why they turned away and went to the area of the ukrainian-russian border."
    b = "that's why they turned around and went toward the ukrainian-russian section of the border."
    assert quote_similarity(a, b) > 0.3
    assert quote_similarity(a, "we will rebuild the school before winter comes.") == 0
    assert quote_similarity("", b) == 0


def test_main_clause_negation_ignores_contrasts_and_trailing_clauses():
    assert main_clause_negated("Reyes said there was no evidence of sabotage so far.")
    assert main_clause_negated("The government has denied the accusations.")
    assert not main_clause_negated("They tried to flee to Belarus, not Ukraine as Putin said.")
    assert not main_clause_negated(
        "Orlov accused saboteurs of starting the fire, an allegation that Reyes rejected."
    )


def test_record_in_two_wordings_is_one_claim():
    dossier = _dossier(
        "Bortnikov alleged that Western agencies could have been involved in the deadliest "
        "terror attack on Russian soil in two decades.\n",
        "The Islamic State group claimed responsibility for the attack, which was the worst in "
        "Russia for 20 years.\n",
    )
    claim = _claim_of(dossier, "deadliest")
    assert {m.article for m in claim.mentions} == {"a0", "a1"}
    assert any("20 years" in m.text for m in claim.mentions)


def test_a_quote_cut_in_two_sentences_is_one_rendering():
    dossier = _dossier(
        "“That’s why they couldn’t enter Belarus. They saw that, so they turned away and went "
        "to the area of the Ukrainian-Russian border,” Lukashenko said.\n",
        "“That’s why they turned around and went toward the Ukrainian-Russian section of the "
        "border,” Lukashenko said.\n",
    )
    claim = _claim_of(dossier, "turned around")
    first = next(m for m in claim.mentions if m.article == "a0")
    assert "couldn’t enter Belarus" in first.text and "turned away" in first.text


def test_a_claim_and_its_negation_are_not_one_claim():
    dossier = _dossier(
        "Putin linked the attack to Ukraine, the Kremlin said.\n",
        "Officials agreed Ukraine was not linked to the attack, one person said.\n",
    )
    for claim in dossier.claims:
        assert len({m.article for m in claim.mentions}) == 1


def test_related_claims_of_one_holder_elaborate_each_other():
    dossier = _dossier(
        "Lukashenko, a close ally of Putin, said that Belarusian and Russian security services "
        "had coordinated their actions to nab the culprits.\n",
        "Speaking to Belarus media, Mr Lukashenko said he closed the border with Russia "
        "following a personal request from Mr Putin in the aftermath of the atrocity.\n",
    )
    assert len(dossier.relations) == 1
    relation = dossier.relations[0]
    assert relation.kind == "elaborates"
    texts = [_claim_text(dossier, c) for c in relation.claims]
    assert any("coordinated" in t for t in texts) and any("closed the border" in t for t in texts)
    for claim in dossier.claims:
        assert claim.status == "single_source"


def _claim_text(dossier, claim_id: str) -> str:
    return next(c.text for c in dossier.claims if c.id == claim_id)


def test_unrelated_claims_are_neither_same_nor_related():
    dossier = _dossier(
        "Mayor Anna Berg said the bridge will reopen in May.\n",
        "The football club signed a new goalkeeper on Friday, its coach said.\n",
    )
    assert not dossier.relations
    assert all(c.status == "single_source" for c in dossier.claims)
