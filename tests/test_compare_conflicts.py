"""Conflicts: numeric values that cannot both hold, and holders on opposite sides."""

from __future__ import annotations

import pytest

from parallax.analyze import analyze_articles
from parallax.compare.conflicts import negated_focus, polarity
from parallax.compare.dossier import build_dossier
from parallax.ingest.sources import article_from_text
from parallax.model import Attribution, Span


def _attribution(stance: str, content: str, negated: bool = False) -> Attribution:
    return Attribution(
        id="t1",
        doc="a",
        kind="indirect",
        cue=Span(start=0, end=4, text="said"),
        content=Span(start=5, end=5 + len(content), text=content),
        stance=stance,
        negated=negated,
    )


@pytest.mark.parametrize(
    ("stance", "content", "negated", "expected"),
    [
        ("assert", "the fire was set by saboteurs", False, 1),
        ("assert", "there was no evidence of sabotage so far", False, -1),
        ("deny", "the accusations", False, -1),
        ("deny", "that it had no role", False, 1),
        ("assert", "the fire was set by saboteurs", True, -1),
        ("assert", "they fled to Belarus, not Ukraine", False, 1),
        ("other", "who was responsible", False, 0),
    ],
)
def test_polarity(stance, content, negated, expected):
    assert polarity(_attribution(stance, content, negated)) == expected


def test_negated_focus_skips_evidence_nouns():
    assert negated_focus("there was no evidence of sabotage so far") == {"sabot"}
    assert negated_focus("We have found nothing that points to sabotage") == {"sabot"}


def _dossier(*texts: str):
    articles = [article_from_text(t, f"outlet{i}.txt") for i, t in enumerate(texts)]
    return build_dossier(analyze_articles(articles))


def test_stance_conflict_names_holders_on_each_side():
    dossier = _dossier(
        "Interior Minister Dana Orlov said the blaze was an act of sabotage.\n\n"
        "The depot is run by Brightwater Logistics.",
        "Fire chief Tomas Reyes said there was no evidence of sabotage so far.\n\n"
        "About 2,000 residents were evacuated.",
    )
    stance = [c for c in dossier.conflicts if c.kind == "stance"]
    assert len(stance) == 1
    names = {a.id: a.name for a in dossier.actors}
    supporting, opposing = stance[0].sides
    assert [names[h] for h in supporting.holders] == ["Dana Orlov"]
    assert [names[h] for h in opposing.holders] == ["Tomas Reyes"]
    contested = {c.id for c in dossier.claims if c.status == "contested"}
    assert set(supporting.claims) | set(opposing.claims) <= contested


def test_terse_denial_answers_the_claim_before_it():
    dossier = _dossier(
        "President Ivan Kolar accused Moldova of arming the rebels. "
        "Foreign Minister Nicu Popescu has denied the accusations.\n"
    )
    stance = [c for c in dossier.conflicts if c.kind == "stance"]
    assert stance and "arming the rebels" in stance[0].about


def test_same_topic_without_a_denial_is_no_conflict():
    dossier = _dossier(
        "Mayor Anna Berg said the bridge will reopen in May.\n",
        "Engineer Paul Stone said repairs to the bridge began on Monday.\n",
    )
    assert not dossier.conflicts


def test_compatible_numbers_are_no_conflict():
    dossier = _dossier(
        "Gunmen killed at least 139 people at the concert hall, officials said.\n",
        "Gunmen killed 139 people at the concert hall on Friday, officials said.\n",
    )
    assert not [c for c in dossier.conflicts if c.kind == "numeric"]


def test_incompatible_numbers_are_a_numeric_conflict():
    dossier = _dossier(
        "At least 14 people were killed in the depot fire, hospital officials said.\n",
        "Twelve people were killed in the depot fire, the health office said.\n",
    )
    numeric = [c for c in dossier.conflicts if c.kind == "numeric"]
    assert len(numeric) == 1
    assert {s.text for s in numeric[0].sides} == {"At least 14 people", "Twelve people"}


def test_evidence_focus_names_what_there_is_no_evidence_of():
    from parallax.compare.conflicts import evidence_focus

    assert evidence_focus("there was no evidence of sabotage so far") == {"sabot"}
    assert evidence_focus("We have found nothing that points to sabotage") == {"sabot"}
    assert evidence_focus("This isn't tax reform") == set()
    assert evidence_focus("There is absolutely no chance she will withdraw") == set()


def test_counts_of_different_places_or_days_are_not_compared():
    from parallax.compare.conflicts import same_scope
    from parallax.model import ClaimUnit, Entity, Quantity

    def unit(text: str, place: str, value: float) -> ClaimUnit:
        return ClaimUnit(
            id="u",
            article="a",
            start=0,
            end=len(text),
            text=text,
            entities=[Entity(start=0, end=len(place), text=place, label="GPE")],
            quantities=[Quantity(start=0, end=1, text=str(value), value=value, unit="delegate")],
        )

    assert not same_scope(unit("x", "South Carolina", 50), unit("y", "Florida", 99))
    assert same_scope(unit("x", "Florida", 50), unit("y", "Florida", 99))
