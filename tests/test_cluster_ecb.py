"""Story clustering on ECB+ (a subset of topics, to stay fast), and the B-cubed scorer."""

from __future__ import annotations

import pytest

from parallax.evaluate.ecb import (
    LabelledFile,
    arrival_plan,
    assignment,
    bcubed,
    bcubed_parts,
    cross_validate,
    fold_splits,
    per_topic,
    read_articles,
    read_labels,
    topic_folds,
)

# Six topics, three of them pairs of look-alike events: Bettie Page / Esther Williams deaths
# (4), Cheeks fired / hired (5), two Teixeira offers (10), two Turkmen elections (11), two
# Indian Navy pirate captures (12), two Waitrose fires (14).
SUBSET = {"4", "5", "10", "11", "12", "14"}
# Cross-validated by topic in 3 folds (fitted on 4 topics, scored on the other 2 each time).
# Measured 0.846 when this floor was set at 0.82 (fits on four topics vary: 0.81-0.94 over
# recent versions); 0.816 since the entities come from one rule shared with `parallax batch`
# (parser-aware NER over the masked text, `entities_before_cut`), while the 6-fold figure on
# all 18 topics rose from 0.920 to 0.928 with the same change: floor 0.81.
CV_F1_FLOOR = 0.81
# The shipped weights on the same topics: in-sample (they were fitted on every topic), a
# guard against regressions only. Measured 0.923 when this floor was set, 0.912 with the
# weights refitted on the new entities.
IN_SAMPLE_F1_FLOOR = 0.90


def test_bcubed_of_a_hand_worked_example():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2"}
    score = bcubed(gold, predicted)
    # precision: a,b,c see 2/3, 2/3, 1/3 of their cluster right; d sees 1/1 -> (2/3+2/3+1/3+1)/4
    assert score.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    # recall: a,b 2/2; c,d 1/2 each -> 0.75
    assert score.recall == pytest.approx(0.75)
    assert score.predicted_stories == 2 and score.gold_stories == 2
    assert bcubed_parts(gold, predicted)["c"] == pytest.approx((1 / 3, 1 / 2))


def test_bcubed_counts_a_missing_document_as_alone():
    score = bcubed({"a": "x", "b": "x"}, {"a": "1"})
    assert score.precision == 1.0 and score.recall == 0.5


def test_per_topic_scores_follow_numeric_topic_order():
    parts = {"a": (1.0, 0.5), "b": (0.5, 0.5), "c": (1.0, 1.0)}
    scores = per_topic(parts, {"a": "10", "b": "10", "c": "9"})
    assert list(scores) == ["9", "10"]
    assert scores["9"] == (1.0, 1.0, 1.0)
    assert scores["10"] == pytest.approx((0.75, 0.5, 0.6))


def test_topics_are_dealt_into_folds_by_number():
    folds = topic_folds(["10", "2", "1", "3", "20", "2"], 2)
    assert folds == {"1": 0, "2": 1, "3": 0, "10": 1, "20": 0}


def test_fold_splits_fit_on_other_topics_and_score_their_own():
    from pathlib import Path
    from types import SimpleNamespace

    files = [
        LabelledFile(Path(name), name, topic, f"{topic}_{story}")
        for name, topic, story in [
            ("a", "1", "x"),
            ("b", "2", "x"),
            ("c", "1", "y"),
            ("d", "3", "x"),
        ]
    ]
    features = [SimpleNamespace(id=i) for i in ("d", "c", "unlabelled", "b", "a")]
    splits = fold_splits(files, features, 2)  # topics 1 and 3 in fold 0, topic 2 in fold 1
    assert [f.id for f in splits[0].training] == ["b"]
    assert splits[0].known == {"b": "2_x"}
    assert splits[0].scored == {"a", "c", "d"}
    assert [f.id for f in splits[1].training] == ["d", "c", "a"]  # input order kept
    assert splits[1].known == {"d": "3_x", "c": "1_y", "a": "1_x"}
    assert splits[1].scored == {"b"}


def test_arrival_plan_cuts_the_order_into_parts():
    plan = arrival_plan(7, shuffle=None, batch=3)
    assert [list(part) for part in plan] == [[0, 1, 2], [3, 4, 5], [6]]
    shuffled = arrival_plan(7, shuffle=1, batch=None)
    assert len(shuffled) == 1 and sorted(shuffled[0]) == list(range(7))


@pytest.fixture(scope="module")
def ecb_subset(data_dir):
    from parallax.cluster.features import article_features

    folder = data_dir / "ecbplus-dev"
    if not (folder / "labels.tsv").is_file():
        pytest.skip(f"ECB+ not found at {folder}")
    files = [f for f in read_labels(folder) if f.topic in SUBSET]
    articles, failed = read_articles(files)
    assert not failed and len(articles) == len(files) > 100
    return files, article_features(articles)


@pytest.mark.data
@pytest.mark.slow
def test_ecb_subset_cross_validated_floor(ecb_subset):
    files, features = ecb_subset
    report = cross_validate(files, features, 3, arrival_plan(len(features), None, None))
    assert report["scores"]["articles"] == len(files)
    assert report["scores"]["f1"] >= CV_F1_FLOOR, report


@pytest.mark.data
@pytest.mark.slow
def test_ecb_subset_in_sample_floor(ecb_subset):
    from parallax.cluster.stories import cluster_features

    files, features = ecb_subset
    score = bcubed({f.doc: f.story for f in files}, assignment(cluster_features(features)))
    assert score.f1 >= IN_SAMPLE_F1_FLOOR, score
