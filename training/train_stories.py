"""Refit the story clusterer's weights shipped as src/parallax/cluster/story_weights.json.

Data: ../shared/data/ecbplus-dev (ECB+ topics 1-20, 413 articles). The shipped weights are
fitted on every topic, so `parallax eval ecb` reports their in-sample figure only as such;
the quality figure is its cross-validated one (`--folds`, the same fit on all but one fold of
topics at a time). Steps, all in `parallax.cluster.learn.fit_settings`: features of every
article (embedder + spaCy NER) -> simulated arrivals in the labels.tsv order and seeded
shuffles of it, each candidate story weighed on the way one example -> logistic regression
(weights, even-odds join threshold) -> join offset and link threshold chosen on a small grid
by mean B-cubed F1 over the same orders.

Run from the repository root:
    .venv/bin/python training/train_stories.py [--data ../shared/data/ecbplus-dev] [--out PATH]
It takes a few minutes on 2 cores (the feature pass and the grid dominate).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from parallax.cluster.features import article_features
from parallax.cluster.learn import (
    ABSORB_OFFSETS,
    FRAGMENT_SIZES,
    JOIN_OFFSETS,
    LINK_THRESHOLDS,
    REJOIN_OFFSETS,
    fit_settings,
)
from parallax.cluster.stories import WEIGHTS_FILE, ClusterSettings
from parallax.evaluate.ecb import default_root, read_articles, read_labels

# The settings the fit decides; the rest keep their defaults.
FITTED = (
    "join_threshold",
    "link_threshold",
    "merge_threshold",
    "absorb_threshold",
    "fragment_size",
    "rejoin_threshold",
    "weight_embedding",
    "weight_entities",
    "weight_terms",
    "weight_numbers",
    "weight_dates",
    "weight_names",
    "time_penalty",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_root())
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    files = read_labels(args.data)
    articles, failed = read_articles(files)
    for line in failed:
        print(f"skipped {line}", file=sys.stderr)
    features = article_features(articles)
    gold = {f.doc: f.story for f in files}
    print(f"{len(features)} articles, features in {time.perf_counter() - began:.0f}s")
    fit = fit_settings(features, {f.id: gold[f.id] for f in features}, ClusterSettings())
    settings = fit.settings.model_dump()
    payload = {
        "about": (
            "Story clustering weights fitted by training/train_stories.py on every topic of "
            "ECB+ (ecbplus-dev); figures on topics a fit never saw: parallax eval ecb --folds."
        ),
        "trained_on": {
            "set": "ecbplus-dev",
            "articles": len(features),
            "topics": sorted({f.topic for f in files}, key=int),
            "examples": fit.examples,
            "positives": fit.positives,
            "in_sample_f1": round(fit.training_f1, 4),
            "link_thresholds_tried": list(LINK_THRESHOLDS),
            "join_offsets_tried": list(JOIN_OFFSETS),
            "absorb_offsets_tried": list(ABSORB_OFFSETS),
            "fragment_sizes_tried": list(FRAGMENT_SIZES),
            "rejoin_offsets_tried": list(REJOIN_OFFSETS),
        },
        "settings": {name: round(settings[name], 4) for name in FITTED},
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(payload["settings"], indent=2))
    print(
        f"in-sample F1 {fit.training_f1:.4f}; written {args.out} in {time.perf_counter() - began:.0f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
