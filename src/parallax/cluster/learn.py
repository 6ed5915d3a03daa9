"""Fitting the story clusterer's weights on articles whose stories are known.

The clusterer's join score is linear in the `FEATURES` row of an article against a candidate
story, so a logistic regression of "this article belongs to this story" gives the weights and
the join threshold (where the probability reaches 1/2). Its examples come from simulated
arrivals: the labelled articles are fed in several arrival orders to a clusterer that is told
each article's story (`StoryClusterer.add_known`), and every candidate story it weighs on the
way is one example (positive for the article's own story so far, negative for the others).

How strict joining should be (an offset to the even-odds threshold) and how many neighbours
two stories must share to merge (`link_threshold`) have no such examples, so they are chosen
by running the real clusterer on the same articles over a small grid and keeping the best
mean B-cubed F1.
Nothing here reads files; `training/train_stories.py` and `parallax eval ecb --folds` call it.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parallax.cluster.features import ArticleFeatures
from parallax.cluster.stories import (
    BLOCKS,
    FEATURES,
    ClusterSettings,
    StoryClusterer,
    arrival_order,
)

# L2 penalty of the logistic regression (on weights, not the intercept). The examples are a
# few thousand rows of eight features; this only keeps the fit stable when a signal is rare.
L2_PENALTY = 1.0
# Join threshold = the regression's even odds shifted by one of these log-odds, chosen by F1.
# A stricter join keeps two look-alike events apart; the fragments it leaves (two or three
# reports of an event) are absorbed when the run settles.
JOIN_OFFSETS = (-1.0, 0.0, 0.5, 1.0, 1.5, 2.0)
# Shared-neighbour shares at which two stories merge (1.01: never), chosen by F1.
LINK_THRESHOLDS = (0.1, 0.15, 0.2, 0.3)
# Fragments (stories of at most `fragment_size` articles) are absorbed at settle when they
# score this far from the even-odds threshold against their best story (1e6: never), and
# the largest fragment size; both chosen by F1.
ABSORB_OFFSETS = (-4.0, -3.0, -2.0)
FRAGMENT_SIZES = (2, 4)
# A larger story of the run merges into its best story at settle when they score this far
# above the join threshold (1e6: never), chosen by F1.
REJOIN_OFFSETS = (1.0, 2.0, 1e6)
# The settings only the settle-time absorb step reads (the merge checks do not).
ABSORB_SETTINGS = frozenset({"absorb_threshold", "fragment_size", "rejoin_threshold"})
# Orders (of those the examples come from) that the join offset and the merge settings are
# chosen on: every combination runs the clusterer once per order.
GRID_ORDERS = 2
# Shuffles of the input besides the given order, for examples and for choosing the margin.
SHUFFLES = 3
SHUFFLE_SEED = 20240601


@dataclass(frozen=True)
class Fit:
    """Fitted settings with what they were fitted on: examples, positives, the training F1."""

    settings: ClusterSettings
    examples: int
    positives: int
    training_f1: float


def arrival_orders(count: int, shuffles: int = SHUFFLES, seed: int = SHUFFLE_SEED) -> list:
    """The input order and `shuffles` seeded permutations of `count` items."""
    rng = np.random.default_rng(seed)
    return [np.arange(count)] + [rng.permutation(count) for _ in range(shuffles)]


def simulated_examples(
    features: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    orders: Sequence[np.ndarray],
    settings: ClusterSettings | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and 0/1 labels of every candidate story weighed in simulated arrivals.

    Each order permutes the input; arrival order within it is then the clusterer's own
    (`arrival_order`: dated articles by time). An article's own story so far is labelled 1,
    every other candidate 0; the first article of a story has no positive.
    """
    rows: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    for order in orders:
        given = [features[int(i)] for i in order]
        clusterer = StoryClusterer(settings)
        story_of_gold: dict[str, str] = {}
        for i in arrival_order(given):
            item = given[i]
            own = story_of_gold.get(gold[item.id])
            ids, matrix, placed = clusterer.add_known(item, own)
            story_of_gold[gold[item.id]] = placed
            if ids:
                rows.append(matrix)
                labels.append(np.array([float(own is not None and c == own) for c in ids]))
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.vstack(rows), np.concatenate(labels)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2_PENALTY, iterations: int = 100
) -> tuple[np.ndarray, float]:
    """Weights and intercept of an L2-penalised logistic regression (Newton's method).

    Refuses (ValueError) data with only one class: no boundary can be fitted to it.
    """
    if len(np.unique(y)) < 2:
        raise ValueError("logistic regression needs positive and negative examples")
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.eye(d + 1) * l2
    penalty[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return beta[:-1], float(beta[-1])


def settings_from_weights(
    weights: np.ndarray,
    intercept: float,
    link_threshold: float,
    base: ClusterSettings,
    join_offset: float = 0.0,
) -> ClusterSettings:
    """Settings whose join score is the regression's log-odds shifted by the intercept.

    The time weight becomes `time_penalty` (a gap never counts for a story: floored at 0).
    """
    named = dict(zip(FEATURES, (float(w) for w in weights), strict=True))
    update = {f"weight_{block}": named[block] for block in BLOCKS}
    update["weight_embedding"] = named["embedding"]
    update["time_penalty"] = max(0.0, -named["time"])
    update["join_threshold"] = -intercept + join_offset
    update["link_threshold"] = link_threshold
    # Two stories merge only when they are as alike as an article must be to a story to join.
    update["merge_threshold"] = -intercept + join_offset
    return base.model_copy(update=update)


def _copy(clusterer: StoryClusterer) -> StoryClusterer:
    """An independent copy of a clusterer (a pickle round trip: several times faster than
    copy.deepcopy on its many small dicts and lists)."""
    return pickle.loads(pickle.dumps(clusterer, protocol=pickle.HIGHEST_PROTOCOL))


def settle_grid_f1(
    features: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    orders: Sequence[np.ndarray],
    settings: ClusterSettings,
    grid: Sequence[dict],
) -> np.ndarray:
    """B-cubed F1 in each input order (rows) of each update of the merge settings in `grid`
    (columns), with these settings otherwise. The online pass does not depend on them until
    merge checks come due, so it runs once per order and a copy is settled for each update;
    `settle_arrivals` is raised above the number of articles for that."""
    from parallax.evaluate.ecb import bcubed

    settings = settings.model_copy(
        update={"settle_arrivals": max(settings.settle_arrivals, len(features) + 1)}
    )
    scores = np.zeros((len(orders), len(grid)))
    # The merge checks read only the settings outside ABSORB_SETTINGS: they run once per
    # distinct value of those, and the absorb step once per update on a copy of the result.
    groups: dict[tuple, list[int]] = {}
    for column, update in enumerate(grid):
        key = tuple(sorted((k, v) for k, v in update.items() if k not in ABSORB_SETTINGS))
        groups.setdefault(key, []).append(column)
    for row, order in enumerate(orders):
        clusterer = StoryClusterer(settings)
        clusterer.add_many([features[int(i)] for i in order])
        for key, columns in groups.items():
            checked = _copy(clusterer)
            checked.settings = settings.model_copy(update=dict(key))
            checked.run_merge_checks()
            for column in columns:
                settled = _copy(checked)
                settled.settings = settings.model_copy(update=grid[column])
                settled.settle()
                predicted = {f.id: settled.story_of(f.id) or "" for f in features}
                scores[row, column] = bcubed(dict(gold), predicted).f1
    return scores


@dataclass(frozen=True)
class GridScores:
    """Every candidate setting of the grid with its B-cubed F1 in each arrival order.

    `candidates` run over `JOIN_OFFSETS` x `LINK_THRESHOLDS` x `ABSORB_OFFSETS` x
    `FRAGMENT_SIZES` x `REJOIN_OFFSETS` (last axis fastest), so `scores` (orders x
    candidates) reshapes to `(orders, *shape)`.
    """

    candidates: list[ClusterSettings]
    shape: tuple[int, ...]
    scores: np.ndarray


def grid_scores(
    features: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    weights: np.ndarray,
    intercept: float,
    base: ClusterSettings,
    orders: Sequence[np.ndarray],
) -> GridScores:
    """F1 of every grid setting around the regression's weights, per arrival order."""
    candidates: list[ClusterSettings] = []
    columns: list[np.ndarray] = []
    for offset in JOIN_OFFSETS:
        joined = settings_from_weights(weights, intercept, base.link_threshold, base, offset)
        grid = [
            {
                "link_threshold": link,
                "absorb_threshold": -intercept + absorb,
                "fragment_size": size,
                "rejoin_threshold": joined.join_threshold + rejoin,
            }
            for link in LINK_THRESHOLDS
            for absorb in ABSORB_OFFSETS
            for size in FRAGMENT_SIZES
            for rejoin in REJOIN_OFFSETS
        ]
        columns.append(settle_grid_f1(features, gold, orders, joined, grid))
        candidates += [joined.model_copy(update=update) for update in grid]
    shape = (
        len(JOIN_OFFSETS),
        len(LINK_THRESHOLDS),
        len(ABSORB_OFFSETS),
        len(FRAGMENT_SIZES),
        len(REJOIN_OFFSETS),
    )
    return GridScores(candidates, shape, np.hstack(columns))


@dataclass(frozen=True)
class GridFit:
    """The join-score regression fitted on simulated arrivals, with how many examples (and
    positives) it saw, and every grid setting around its weights scored."""

    weights: np.ndarray
    intercept: float
    examples: int
    positives: int
    grid: GridScores


def fit_grid(
    features: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    base: ClusterSettings,
    example_orders: Sequence[np.ndarray],
    grid_orders: Sequence[np.ndarray],
) -> GridFit:
    """The regression on the examples of `example_orders`, then the F1 of every grid setting
    in each of `grid_orders`: the steps of `fit_settings` before its choice of a setting."""
    x, y = simulated_examples(features, gold, example_orders, base)
    weights, intercept = fit_logistic(x, y)
    grid = grid_scores(features, gold, weights, intercept, base, grid_orders)
    return GridFit(weights, intercept, len(y), int(y.sum()), grid)


def fit_settings(
    features: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    base: ClusterSettings | None = None,
    orders: Sequence[np.ndarray] | None = None,
) -> Fit:
    """Settings fitted to labelled articles: regression weights, join and link thresholds.

    `gold` maps every article id to its story. The join offset, link threshold and absorb
    threshold and fragment size are those of `JOIN_OFFSETS` x `LINK_THRESHOLDS` x
    `ABSORB_OFFSETS` (from the even-odds threshold) x `FRAGMENT_SIZES` x `REJOIN_OFFSETS`
    with the best mean F1 over the first
    `GRID_ORDERS` orders on these same articles; the merge threshold equals the join
    threshold.
    """
    base = base or ClusterSettings()
    orders = list(orders) if orders is not None else arrival_orders(len(features))
    fitted = fit_grid(features, gold, base, orders, orders[:GRID_ORDERS])
    mean = fitted.grid.scores.mean(axis=0)
    best = int(np.argmax(mean))
    return Fit(
        fitted.grid.candidates[best],
        examples=fitted.examples,
        positives=fitted.positives,
        training_f1=float(mean[best]),
    )
