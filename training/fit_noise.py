"""How much the story clusterer's fitting procedure alone moves the cross-validated F1.

For each shuffle seed (the seed of the arrival orders the regression examples come from and
the grid settings are chosen on) and each topic fold of ECB+, the weights are fitted as in
`parallax.cluster.learn.fit_settings` and the F1 of every grid setting is recorded per
arrival order; each choice rule below then picks one setting from that table, all articles
are clustered with it and the fold's articles are scored. One table serves every rule, so
the rules are compared on the same fits. Prints, per rule, the cross-validated B-cubed F1 of
each seed and their mean and spread.

Run from the repository root (model outputs from training/cv_stories.py's cache):
    .venv/bin/python training/fit_noise.py [--seeds 20240601,1,2] [--grid-orders 4]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from cv_stories import cached_features, score_choices

from parallax.cluster.learn import (
    SHUFFLE_SEED,
    SHUFFLES,
    arrival_orders,
    fit_grid,
)
from parallax.cluster.stories import ClusterSettings
from parallax.evaluate.ecb import (
    DEFAULT_FOLDS,
    arrival_plan,
    combine,
    default_root,
    fold_splits,
    read_articles,
    read_labels,
)


def smoothed_mean(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Each grid point's value averaged with its neighbours one step along each axis (those
    that exist), flattened like `values`: a setting scores well only on a plateau."""
    grid = values.reshape(shape)
    total = grid.copy()
    count = np.ones(shape)
    for axis, size in enumerate(shape):
        for step in (1, -1):
            if size < 2:
                continue
            shifted = np.roll(grid, step, axis=axis)
            valid = np.ones(shape, dtype=bool)
            edge = [slice(None)] * len(shape)
            edge[axis] = 0 if step == 1 else size - 1
            valid[tuple(edge)] = False
            total += np.where(valid, shifted, 0.0)
            count += valid
    return (total / count).reshape(-1)


def best_of(
    orders: int, smooth: bool, spread_weight: float = 0.0
) -> Callable[[np.ndarray, tuple[int, ...]], int]:
    """A rule: the setting with the best mean F1 over the first `orders` orders, less
    `spread_weight` times its standard deviation over them, smoothed over each setting's grid
    neighbours when `smooth`."""

    def rule(scores: np.ndarray, shape: tuple[int, ...]) -> int:
        mean = scores[:orders].mean(axis=0) - spread_weight * scores[:orders].std(axis=0)
        if smooth:
            mean = smoothed_mean(mean, shape)
        return int(np.argmax(mean))

    return rule


def rules(grid_orders: int) -> dict[str, Callable[[np.ndarray, tuple[int, ...]], int]]:
    """Every rule measured: best and smoothed over 2 .. `grid_orders` orders, and over all
    orders less half the standard deviation."""
    named = {}
    for orders in range(2, grid_orders + 1):
        named[f"{orders} orders, best"] = best_of(orders, False)
        named[f"{orders} orders, smoothed"] = best_of(orders, True)
    if grid_orders > 2:
        named[f"{grid_orders} orders, mean - 0.5 sd"] = best_of(grid_orders, False, 0.5)
    return named


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_root())
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parallax_ecb_parts.pkl"))
    parser.add_argument("--seeds", default=f"{SHUFFLE_SEED},1,2")
    parser.add_argument("--shuffles", type=int, default=SHUFFLES)
    parser.add_argument("--grid-orders", type=int, default=4)
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    parser.add_argument("--tables", type=Path, help="also keep the score tables here (pickle)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    files = read_labels(args.data)
    articles, _ = read_articles(files)
    features = cached_features(articles, args.cache)
    gold = {f.doc: f.story for f in files}
    splits = fold_splits(files, features, args.folds)
    plan = arrival_plan(len(features), None, None)
    named = rules(args.grid_orders)
    base = ClusterSettings()
    tables = []
    results: dict[str, dict[str, float]] = {name: {} for name in named}
    for seed in (int(s) for s in args.seeds.split(",")):
        parts: dict[str, dict] = {name: {} for name in named}
        stories: dict[str, int] = dict.fromkeys(named, 0)
        for fold, split in enumerate(splits):
            orders = arrival_orders(
                len(split.training), max(args.shuffles, args.grid_orders - 1), seed
            )
            grid = fit_grid(
                split.training,
                split.known,
                base,
                orders[: args.shuffles + 1],
                orders[: args.grid_orders],
            ).grid
            tables.append({"seed": seed, "fold": fold, "grid": grid})
            chosen = {
                name: grid.candidates[rule(grid.scores, grid.shape)] for name, rule in named.items()
            }
            for name, (fold_parts, count) in score_choices(
                features, gold, plan, split.scored, chosen
            ).items():
                parts[name].update(fold_parts)
                stories[name] += count
            print(
                f"seed {seed} fold {fold} done at {time.perf_counter() - began:.0f}s",
                file=sys.stderr,
            )
        for name in named:
            results[name][str(seed)] = combine(parts[name], gold, stories[name]).f1
    report = {}
    for name, by_seed in results.items():
        values = np.array(list(by_seed.values()))
        report[name] = {
            "f1_by_seed": {k: round(v, 4) for k, v in by_seed.items()},
            "mean": round(float(values.mean()), 4),
            "spread": round(float(values.max() - values.min()), 4),
        }
    report["seconds"] = round(time.perf_counter() - began)
    if args.tables:
        args.tables.write_bytes(pickle.dumps(tables))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
