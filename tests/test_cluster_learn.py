"""Fitting the story clusterer's weights: the regression, the simulated examples, the fit."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from parallax.cluster.features import ArticleFeatures
from parallax.cluster.learn import (
    arrival_orders,
    fit_logistic,
    fit_settings,
    simulated_examples,
)
from parallax.cluster.stories import FEATURES, StoryClusterer

DAY0 = datetime(2024, 3, 22, tzinfo=UTC)


def _unit(seed: int, base: np.ndarray | None = None, spread: float = 0.3) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(0, 1, 384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    if base is not None:
        vector = base + spread * vector
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _events() -> tuple[list[ArticleFeatures], dict[str, str]]:
    """Three topics of two look-alike events each: same topic words, own names and figures."""
    features, gold = [], {}
    for topic in range(3):
        centre = _unit(topic)
        for event in range(2):
            for i in range(5):
                item = ArticleFeatures(
                    id=f"t{topic}e{event}-{i}",
                    vector=_unit(100 * topic + 10 * event + i, centre),
                    entities={f"person:topic{topic}": 3.0, f"place:where{topic}{event}": 1.0},
                    terms={f"topicword{topic}": 2.0, f"eventword{topic}{event}": 1.0},
                    names={f"Name{topic}x{event}": 2.0, f"{100 + 10 * topic + event}": 1.0},
                )
                features.append(item)
                gold[item.id] = f"t{topic}e{event}"
    return features, gold


def test_logistic_regression_finds_the_separating_direction():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (400, 3))
    y = (x[:, 0] - 0.5 * x[:, 2] + 0.2 > 0).astype(float)
    weights, intercept = fit_logistic(x, y, l2=0.1)
    assert weights[0] > 1.0 and weights[2] < -0.5 and abs(weights[1]) < 0.5 * weights[0]
    predicted = (x @ weights + intercept > 0).astype(float)
    assert (predicted == y).mean() > 0.97
    with pytest.raises(ValueError, match="positive and negative"):
        fit_logistic(x, np.ones(400))


def test_simulated_examples_label_only_the_articles_own_story():
    features, gold = _events()
    x, y = simulated_examples(features, gold, arrival_orders(len(features), shuffles=1))
    assert x.shape == (len(y), len(FEATURES))
    # Each article after the first of its story has exactly one positive; 2 orders x 6 stories.
    assert int(y.sum()) == 2 * (len(features) - 6)
    names = FEATURES.index("names")
    assert x[y == 1, names].mean() > x[y == 0, names].mean() + 0.3


def test_fitted_settings_tell_the_look_alike_events_apart():
    features, gold = _events()
    fit = fit_settings(features, gold, orders=arrival_orders(len(features), shuffles=1))
    assert fit.positives > 0 and fit.examples > fit.positives
    assert fit.settings.weight_names > 0
    clusterer = StoryClusterer(fit.settings)
    clusterer.add_many(features)
    clusterer.settle()
    groups: dict[str, set[str]] = {}
    for item in features:
        groups.setdefault(clusterer.story_of(item.id), set()).add(gold[item.id])
    assert all(len(events) == 1 for events in groups.values())
    assert fit.training_f1 > 0.9
