"""Cross-validated story clustering F1 over several shuffle seeds, per seed and per topic.

The fit of `parallax.cluster.learn.fit_settings` (regression on simulated arrivals, then the
best grid setting by mean B-cubed F1 over `GRID_ORDERS` orders) is repeated for each shuffle
seed and each topic fold of ECB+, as `training/fit_noise.py` does; all articles are
clustered with the fold's setting and the fold's articles scored. One grid may be wider
than the shipped one (`--absorb-offsets`): the setting chosen among the shipped absorb
offsets only (`ABSORB_OFFSETS`) is reported as well, from the same fits. When the clusterer
has a subject column (`weight_subject_conflict`), each fold's setting is also clustered with
that weight set to 0, everything else kept: what the column itself does.

Run from the repository root (model outputs from training/cv_stories.py's cache):
    .venv/bin/python training/seeds_cv.py --out /tmp/run.json [--seeds 20240601,1,2,3,4]
        [--absorb-offsets -6,-5,-4,-3,-2,-1]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

import parallax.cluster.learn as learn
from parallax.cluster.features import features_from_parts, lead_end
from parallax.cluster.stories import ClusterSettings
from parallax.evaluate.ecb import (
    DEFAULT_FOLDS,
    arrival_plan,
    bcubed_parts,
    cluster_in_parts,
    combine,
    default_root,
    per_topic,
    read_articles,
    read_labels,
    topic_folds,
)

SHIPPED_SEEDS = f"{learn.SHUFFLE_SEED},1,2,3,4"


def topic_scores(parts: dict[str, tuple[float, float]], topic_of: dict[str, str]) -> dict:
    """B-cubed precision, recall and F1 per topic, rounded for the JSON output."""
    return {
        topic: {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
        for topic, (p, r, f1) in per_topic(parts, topic_of).items()
    }


def load_features(articles: list, cache: Path) -> list:
    """ArticleFeatures of the articles from the cache of model outputs. A part may hold a
    third item, the article's subject keys, passed on when this code reads them."""
    stored = pickle.loads(cache.read_bytes())
    if stored["ids"] != [a.id for a in articles]:
        raise SystemExit(f"{cache}: not these articles (run training/cv_stories.py)")
    features = []
    for article, part in zip(articles, stored["parts"], strict=True):
        extra = {"subjects": part[2]} if len(part) > 2 else {}
        features.append(features_from_parts(article, part[0], part[1], lead_end(article), **extra))
    return features


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
    features = load_features(articles, args.cache)
    gold = {f.doc: f.story for f in files}
    topic_of = {f.doc: f.topic for f in files}
    fold_of = topic_folds(topic_of.values(), args.folds)
    plan = arrival_plan(len(features), None, None)
    base = ClusterSettings()
    has_subject = "weight_subject_conflict" in ClusterSettings.model_fields
    variants = ["grid"]
    if tuple(learn.ABSORB_OFFSETS) != shipped_absorb:
        variants.append("shipped absorb offsets")
    if has_subject:
        variants += [f"{v}, subject weight 0" for v in variants]
    report: dict = {"variants": {v: {"seeds": {}} for v in variants}, "fits": []}
    for seed in (int(s) for s in args.seeds.split(",")):
        parts: dict[str, dict] = {v: {} for v in variants}
        stories: dict[str, int] = dict.fromkeys(variants, 0)
        for fold in range(args.folds):
            training = [f for f in features if fold_of[topic_of[f.id]] != fold]
            known = {f.id: gold[f.id] for f in training}
            orders = learn.arrival_orders(len(training), learn.SHUFFLES, seed)
            x, y = learn.simulated_examples(training, known, orders, base)
            weights, intercept = learn.fit_logistic(x, y)
            grid = learn.grid_scores(
                training, known, weights, intercept, base, orders[: learn.GRID_ORDERS]
            )
            mean = grid.scores.mean(axis=0)
            absorb_axis = np.unravel_index(np.arange(len(mean)), grid.shape)[2]
            shipped = np.isin(np.asarray(learn.ABSORB_OFFSETS)[absorb_axis], shipped_absorb)
            chosen = {"grid": int(np.argmax(mean))}
            if "shipped absorb offsets" in variants:
                chosen["shipped absorb offsets"] = int(np.argmax(np.where(shipped, mean, -1.0)))
            settings_of = {v: grid.candidates[i] for v, i in chosen.items()}
            if has_subject:
                for v in list(settings_of):
                    settings_of[f"{v}, subject weight 0"] = settings_of[v].model_copy(
                        update={"weight_subject_conflict": 0.0}
                    )
            scored = {f.id for f in features if fold_of[topic_of[f.id]] == fold}
            done: dict[str, tuple] = {}
            for v, settings in settings_of.items():
                key = settings.model_dump_json()
                if key not in done:
                    predicted = cluster_in_parts(features, settings, plan)
                    done[key] = (predicted, bcubed_parts(gold, predicted))
                predicted, fold_parts = done[key]
                parts[v].update({d: fold_parts[d] for d in scored})
                stories[v] += len({predicted[d] for d in scored})
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
