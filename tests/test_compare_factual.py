"""Factual conflicts (different values in one slot) and accusations against their denial."""

from __future__ import annotations

from parallax.analyze import analyze_articles
from parallax.compare.dossier import build_dossier
from parallax.ingest.sources import article_from_text


def _dossier(*texts: str):
    articles = [article_from_text(t, f"a{i}.txt") for i, t in enumerate(texts)]
    return build_dossier(analyze_articles(articles))


def _holders(dossier, side) -> set[str]:
    names = {a.id: a.name for a in dossier.actors}
    return {names[h] for h in side.holders}


def test_destination_conflict_names_holders_on_each_side():
    dossier = _dossier(
        "Alexander Lukashenko said that the gunmen initially tried to flee to Belarus, not "
        "Ukraine as claimed by Vladimir Putin.\n",
        "Vladimir Putin has insisted that the attackers intended to cross into Ukraine.\n",
    )
    (conflict,) = [c for c in dossier.conflicts if c.kind == "factual"]
    sides = {s.text: _holders(dossier, s) for s in conflict.sides}
    assert "Vladimir Putin" in sides["heading to Ukraine"]
    assert "Alexander Lukashenko" in sides["heading to Belarus"]
    assert "Alexander Lukashenko" in sides["not heading to Ukraine"]


def test_responsibility_conflict_lists_every_holder():
    dossier = _dossier(
        "The United States and France have said Islamic State organised the attack and acted "
        "alone.\n\nAlexander Bortnikov said that Britain and Ukraine were linked to the attack.\n",
        "Nikolai Patrushev said the attack was orchestrated by Ukraine.\n\n"
        "Ukraine has rejected allegations that it was involved.\n",
    )
    (conflict,) = [c for c in dossier.conflicts if c.kind == "factual"]
    assert conflict.about.startswith("who is behind the attack")
    sides = {s.text: _holders(dossier, s) for s in conflict.sides}
    assert {"United States", "France"} <= sides["Islamic State acted alone"]
    assert {"Alexander Bortnikov", "Nikolai Patrushev"} <= sides["Ukraine is behind it"]
    assert "Ukraine" in sides["Ukraine is not behind it"]


def test_trips_of_different_people_to_different_places_are_no_conflict():
    dossier = _dossier(
        "The president travelled to France on Monday for talks, his office said.\n",
        "The foreign minister flew to Japan on Tuesday to sign a trade deal, officials said.\n",
    )
    assert not [c for c in dossier.conflicts if c.kind == "factual"]


def test_accused_person_denying_is_a_stance_conflict():
    dossier = _dossier(
        "Alisher Kasimov, a Russian citizen, is accused of renting a flat to the attackers, "
        "Russian media reported. He said in court on Tuesday he did not know of their plans.\n"
    )
    conflicts = [c for c in dossier.conflicts if c.about.startswith("accusation against")]
    assert len(conflicts) == 1
    accuser, denier = conflicts[0].sides
    assert "renting a flat" in accuser.text
    assert "did not know" in denier.text
    assert any("Kasimov" in name for name in _holders(dossier, denier))


def test_someone_elses_denial_does_not_answer_an_accusation():
    dossier = _dossier(
        "Alisher Kasimov is accused of renting a flat to the attackers, Russian media reported. "
        "The landlord Ivan Petrov said he did not know the tenants.\n"
    )
    assert not [c for c in dossier.conflicts if c.about.startswith("accusation against")]
