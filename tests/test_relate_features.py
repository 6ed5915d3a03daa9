"""Claim relations: sentence split, words, numbers, pair parsing, the tree evaluator, claim pairs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from parallax.compare.relate import (
    LABELS,
    WEIGHTS_FILE,
    FeatureRelator,
    Relation,
    Relator,
    TreeModel,
    feature_names,
    load_relator,
    numbers_in,
    parse_pair_line,
    relate_claims,
    relate_pairs,
    split_sentences,
    tokens,
)
from parallax.embed import load_embedder


def test_split_sentences_keeps_statements_and_drops_furniture():
    text = (
        "Police said 12 people were arrested on Monday. The mayor denied it!\n"
        "Photo: AP\n"
        '"We never arrested anyone," a spokesman told reporters.'
    )
    assert split_sentences(text) == [
        "Police said 12 people were arrested on Monday.",
        "The mayor denied it!",
        '"We never arrested anyone," a spokesman told reporters.',
    ]


def test_tokens_split_contracted_negation():
    assert tokens("He didn't say 3,000") == ["he", "did", "n't", "say", "3,000"]


def test_numbers_in_reads_digits_and_number_words():
    assert numbers_in("At least 3,000 people and two dogs; 4.5 percent") == {3000.0, 2.0, 4.5}


def test_parse_pair_line_accepts_a_good_record():
    pair = parse_pair_line(json.dumps({"id": 7, "claim": "A", "text": "B", "extra": 1}))
    assert (pair.id, pair.claim, pair.text) == (7, "A", "B")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"id": 1, "claim": "x"}', "missing text"),
        ('{"id": 1, "claim": "", "text": "y"}', "claim must be a non-empty string"),
        ('{"id": [1], "claim": "x", "text": "y"}', "id must be a string or an integer"),
    ],
)
def test_parse_pair_line_names_what_is_wrong(line, reason):
    with pytest.raises(ValueError, match=reason):
        parse_pair_line(line)


def test_tree_model_walks_a_hand_made_tree():
    # One tree for class 0: feature 1 <= 0.5 goes left (leaf +2), else right (leaf -2).
    spec = {
        "classes": ["agree", "disagree"],
        "features": ["a", "b"],
        "baseline": [0.0, 0.0],
        "trees": [
            {
                "class": 0,
                "feature": [1, 0, 0],
                "threshold": [0.5, 0.0, 0.0],
                "left": [1, 0, 0],
                "right": [2, 0, 0],
                "value": [0.0, 2.0, -2.0],
                "missing_left": [1, 0, 0],
                "leaf": [0, 1, 1],
            }
        ],
    }
    model = TreeModel(spec)
    raw = model.raw(np.array([[9.0, 0.2], [9.0, 0.9], [9.0, np.nan]]))
    assert raw[:, 0].tolist() == [2.0, -2.0, 2.0]
    proba = model.predict_proba(np.array([[0.0, 0.2]]))
    assert proba[0, 0] == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_shipped_weights_are_small_and_match_the_features():
    assert WEIGHTS_FILE.stat().st_size < 2_000_000
    spec = json.loads(WEIGHTS_FILE.read_text())
    assert spec["classes"] == list(LABELS)
    assert spec["features"] == feature_names()


@pytest.fixture(scope="module")
def relator() -> FeatureRelator:
    return FeatureRelator()


ARTICLE = (
    "The Loch Ness monster was photographed by a tourist on Tuesday, according to a tabloid. "
    "Scientists at the University of Glasgow said the photograph is a hoax. "
    '"It is a fake, a floating log that was photoshopped," one of them said. '
    "Ferry services on the loch were running normally."
)


def test_feature_relator_returns_a_relation_per_pair(relator):
    relations = relator.relate_many(
        [
            ("Tourist photographs the Loch Ness monster", ARTICLE),
            ("Apple unveils a new iPhone with a larger screen", ARTICLE),
        ]
    )
    assert [r.label for r in relations][1] == "unrelated"
    assert relations[0].label != "unrelated"
    for relation in relations:
        assert set(relation.probabilities) == set(LABELS)
        assert sum(relation.probabilities.values()) == pytest.approx(1.0, abs=1e-6)
        assert relation.score == pytest.approx(relation.probabilities[relation.label])
    assert "Loch" in relations[0].evidence


CONFIRMING = (
    "Scientists at the University of Glasgow said the photograph taken by a tourist on Tuesday "
    'shows the Loch Ness monster. "It is real, we have checked the picture," one of them said. '
    "Officials confirmed the sighting."
)
HEDGING = (
    "A tourist says she photographed the Loch Ness monster on Tuesday, according to a tabloid. "
    "The picture could not be independently verified. Experts are investigating the claims."
)
DEBUNKING = (
    "No, a tourist did not photograph the Loch Ness monster. The viral picture is a hoax: it "
    "shows a floating log and was photoshopped, experts said. The story was debunked by "
    "fact-checkers."
)


def test_feature_relator_tells_confirming_hedging_and_debunking_apart(relator):
    claim = "Tourist photographs the Loch Ness monster"
    confirming, hedging, debunking = relator.relate_many(
        [(claim, CONFIRMING), (claim, HEDGING), (claim, DEBUNKING)]
    )
    assert (confirming.label, hedging.label, debunking.label) == ("agree", "discuss", "disagree")
    assert debunking.probabilities["disagree"] > 10 * confirming.probabilities["disagree"]


def test_relate_claims_finds_stance_and_number_conflicts():
    embedder = load_embedder()
    denial = relate_claims(
        "The plane was forced to land in Minsk.",
        "Officials denied that the plane was forced to land in Minsk.",
        embedder,
    )
    assert denial.label == "disagree"
    numbers = relate_claims(
        "Twelve people died in the fire.", "At least 40 people died in the fire.", embedder
    )
    assert numbers.label == "disagree"
    same = relate_claims("Twelve people died in the fire.", "The fire killed 12 people.", embedder)
    assert same.label == "agree"
    hedged = relate_claims(
        "The minister resigned on Friday.",
        "The minister reportedly resigned on Friday.",
        embedder,
    )
    assert hedged.label == "discuss"
    apart = relate_claims(
        "The minister resigned on Friday.", "Bitcoin rose 5% overnight.", embedder
    )
    assert apart.label == "unrelated"
    assert relate_claims("", "The fire killed 12 people.", embedder).label == "unrelated"


class _AlwaysDiscuss:
    def relate(self, claim: str, text: str) -> Relation:
        return Relation("discuss", 1.0, {"discuss": 1.0})


def test_another_relator_plugs_in_by_setting(tmp_path, monkeypatch):
    (tmp_path / "my_relator.py").write_text(
        "from parallax.compare.relate import Relation\n"
        "class Echo:\n"
        "    def relate(self, claim, text):\n"
        "        return Relation('agree' if claim in text else 'unrelated', 0.9)\n"
        "def make():\n"
        "    return Echo()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PARALLAX_RELATOR", "my_relator:make")
    relator = load_relator()
    assert isinstance(relator, Relator)
    labels = [r.label for r in relate_pairs(relator, [("cat", "a cat sat"), ("dog", "a cat")])]
    assert labels == ["agree", "unrelated"]
    assert relate_pairs(_AlwaysDiscuss(), [("x", "y")])[0].label == "discuss"


def test_a_bad_relator_setting_is_refused(monkeypatch):
    monkeypatch.setenv("PARALLAX_RELATOR", "no_such_module_here:make")
    with pytest.raises(ValueError, match="PARALLAX_RELATOR"):
        load_relator()
    monkeypatch.setenv("PARALLAX_RELATOR", "json")
    with pytest.raises(ValueError, match="expected 'package.module:factory'"):
        load_relator()
