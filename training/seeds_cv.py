"""Cross-validated story clustering F1 over several shuffle seeds, per seed and per topic.

The fit of `parallax.cluster.learn.fit_settings` (regression on simulated arrivals, then the
best grid setting by mean B-cubed F1 over `GRID_ORDERS` orders) is repeated for each shuffle
seed and each topic fold of ECB+, as `training/fit_noise.py` does; all articles are
clustered with the fold's setting and the fold's articles scored. One grid may be wider
than the shipped one (`--absorb-offsets`): the setting chosen among the shipped absorb
offsets only (`ABSORB_OFFSETS`) is reported as well, from the same fits. (The subject
column's figures in docs/quality.md come from this script's version on branch
stories-subject, which also clusters each fold's setting with that column's weight at 0.)

Run from the repository root (model outputs from training/cv_stories.py's cache):
    .venv/bin/python training/seeds_cv.py --out /tmp/run.json [--seeds 20240601,1,2,3,4]
        [--absorb-offsets -6,-5,-4,-3,-2,-1]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from cv_stories import cached_features, score_choices

import parallax.cluster.learn as learn
from parallax.cluster.stories import ClusterSettings
from parallax.evaluate.ecb import (
    DEFAULT_FOLDS,
    arrival_plan,
    combine,
    default_root,
    fold_splits,
    per_topic,
    read_articles,
    read_labels,
)

SHIPPED_SEEDS = f"{learn.SHUFFLE_SEED},1,2,3,4"


def topic_scores(parts: dict[str, tuple[float, float]], topic_of: dict[str, str]) -> dict:
    """B-cubed precision, recall and F1 per topic, rounded for the JSON output."""
    return {
        topic: {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
        for topic, (p, r, f1) in per_topic(parts, topic_of).items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_root())
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parallax_ecb_parts.pkl"))
    parser.add_argument("--seeds", default=SHIPPED_SEEDS)
    parser.add_argument("--absorb-offsets", help="comma-separated (default: the shipped grid)")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    shipped_absorb = tuple(learn.ABSORB_OFFSETS)
    if args.absorb_offsets:
        learn.ABSORB_OFFSETS = tuple(float(v) for v in args.absorb_offsets.split(","))
    files = read_labels(args.data)
    articles, _ = read_articles(files)
    features = cached_features(articles, args.cache)
    gold = {f.doc: f.story for f in files}
    topic_of = {f.doc: f.topic for f in files}
    splits = fold_splits(files, features, args.folds)
    plan = arrival_plan(len(features), None, None)
    base = ClusterSettings()
    variants = ["grid"]
    if tuple(learn.ABSORB_OFFSETS) != shipped_absorb:
        variants.append("shipped absorb offsets")
    report: dict = {"variants": {v: {"seeds": {}} for v in variants}, "fits": []}
    for seed in (int(s) for s in args.seeds.split(",")):
        parts: dict[str, dict] = {v: {} for v in variants}
        stories: dict[str, int] = dict.fromkeys(variants, 0)
        for fold, split in enumerate(splits):
            orders = learn.arrival_orders(len(split.training), learn.SHUFFLES, seed)
            fitted = learn.fit_grid(
                split.training, split.known, base, orders, orders[: learn.GRID_ORDERS]
            )
            grid, weights, intercept = fitted.grid, fitted.weights, fitted.intercept
            mean = grid.scores.mean(axis=0)
            absorb_axis = np.unravel_index(np.arange(len(mean)), grid.shape)[2]
            shipped = np.isin(np.asarray(learn.ABSORB_OFFSETS)[absorb_axis], shipped_absorb)
            chosen = {"grid": int(np.argmax(mean))}
            if "shipped absorb offsets" in variants:
                chosen["shipped absorb offsets"] = int(np.argmax(np.where(shipped, mean, -1.0)))
            settings_of = {v: grid.candidates[i] for v, i in chosen.items()}
            for v, (fold_parts, count) in score_choices(
                features, gold, plan, split.scored, settings_of
            ).items():
                parts[v].update(fold_parts)
                stories[v] += count
            report["fits"].append(
                {
                    "seed": seed,
                    "fold": fold,
                    "weights": [round(float(w), 3) for w in weights],
                    "intercept": round(intercept, 3),
                    "chosen": {
                        v: {
                            "training_f1": round(float(mean[i]), 4),
                            "join_offset": round(grid.candidates[i].join_threshold + intercept, 2),
                            "link": grid.candidates[i].link_threshold,
                            "absorb_offset": round(
                                grid.candidates[i].absorb_threshold + intercept, 2
                            ),
                            "fragment_size": grid.candidates[i].fragment_size,
                        }
                        for v, i in chosen.items()
                    },
                }
            )
            print(
                f"seed {seed} fold {fold} done at {time.perf_counter() - began:.0f}s",
                file=sys.stderr,
            )
        for v in variants:
            scores = combine(parts[v], gold, stories[v]).as_dict()
            report["variants"][v]["seeds"][str(seed)] = {
                "scores": scores,
                "topics": topic_scores(parts[v], topic_of),
            }
        args.out.write_text(json.dumps(report, indent=1))
    for v in variants:
        f1 = np.array([s["scores"]["f1"] for s in report["variants"][v]["seeds"].values()])
        report["variants"][v]["mean_f1"] = round(float(f1.mean()), 4)
        report["variants"][v]["sd_f1"] = round(float(f1.std(ddof=1)) if len(f1) > 1 else 0.0, 4)
    report["absorb_offsets"] = list(learn.ABSORB_OFFSETS)
    report["seconds"] = round(time.perf_counter() - began)
    args.out.write_text(json.dumps(report, indent=1))
    print(json.dumps({v: report["variants"][v]["mean_f1"] for v in variants}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
