"""Retrain the claim-relation trees shipped as src/parallax/compare/relate_weights.json.

Data: ../shared/data/fnc1-dev (FNC-1 competition test set, half of its bodies). Only the
"train" side of the fixed Body-ID split in parallax.evaluate.fnc1 is used for training and
tuning; the "heldout" side (about 40% of the bodies) is never seen here, and `parallax eval
fnc1` reports figures on it.

Steps: features for every train pair (FeatureRelator.features) -> 3-fold cross-validation
grouped by Body ID for out-of-fold probabilities -> per-class log-odds bias chosen on those to
maximise macro-F1 -> final HistGradientBoostingClassifier on the whole train side -> trees
exported to JSON and checked against scikit-learn's own predictions.

Run from the repository root:
    .venv/bin/python training/train_relate.py [--data ../shared/data/fnc1-dev] [--out PATH]
It takes a few minutes on 2 cores (the embedding pass dominates).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from parallax.compare.relate import LABELS, WEIGHTS_FILE, FeatureRelator, TreeModel, feature_names
from parallax.evaluate.fnc1 import load_fnc1, score_predictions, select_split

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "fnc1-dev"
# Chosen by grouped cross-validation on the train side (macro-F1), not on the held-out side.
PARAMS = {
    "learning_rate": 0.1,
    "max_iter": 150,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "random_state": 0,
}
# Sample weight = (1 / class share) ** CLASS_WEIGHT_POWER: rare classes (disagree) count more.
CLASS_WEIGHT_POWER = 0.75
BIAS_GRID = np.arange(-1.5, 2.01, 0.25)


def class_weights(labels: np.ndarray) -> np.ndarray:
    """Per-row sample weights that lift rare classes."""
    shares = {label: float((labels == label).mean()) for label in LABELS}
    return np.array([(1.0 / shares[label]) ** CLASS_WEIGHT_POWER for label in labels])


def pair_matrix(pairs, relator: FeatureRelator) -> np.ndarray:
    """Feature rows for the pairs, computed body by body so each body is embedded once."""
    rows = np.zeros((len(pairs), len(feature_names())), dtype=np.float32)
    by_body: dict[str, list[int]] = {}
    for i, pair in enumerate(pairs):
        by_body.setdefault(pair.body_id, []).append(i)
    started = time.perf_counter()
    for n, indices in enumerate(by_body.values(), start=1):
        rows[indices] = relator.features([(pairs[i].headline, pairs[i].body) for i in indices])
        if n % 50 == 0:
            print(f"  {n}/{len(by_body)} bodies, {time.perf_counter() - started:.0f}s", flush=True)
    return rows


def out_of_fold(rows: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Probabilities for every row from a model that never saw its body (3 grouped folds)."""
    proba = np.zeros((len(rows), len(LABELS)))
    for fit_rows, test_rows in GroupKFold(n_splits=3).split(rows, labels, groups):
        model = HistGradientBoostingClassifier(**PARAMS)
        model.fit(rows[fit_rows], labels[fit_rows], sample_weight=class_weights(labels[fit_rows]))
        proba[test_rows] = model.predict_proba(rows[test_rows])
    return proba


def tune_bias(proba: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
    """Log-odds offsets for agree, disagree, discuss (unrelated fixed at 0) maximising macro-F1."""
    log_proba = np.log(np.clip(proba, 1e-12, None))
    gold = np.array([LABELS.index(label) for label in labels])
    k = len(LABELS)
    best_bias, best_f1 = np.zeros(k), -1.0
    for offsets in itertools.product(BIAS_GRID, repeat=k - 1):
        bias = np.array([*offsets, 0.0])
        chosen = np.argmax(log_proba + bias, axis=1)
        matrix = np.bincount(gold * k + chosen, minlength=k * k).reshape(k, k)
        denominator = matrix.sum(axis=0) + matrix.sum(axis=1)
        f1 = float(np.mean(2 * np.diag(matrix) / np.maximum(denominator, 1)))
        if f1 > best_f1 + 1e-9:
            best_bias, best_f1 = bias, f1
    return best_bias, best_f1


def _compact(value: float) -> float:
    # Seven significant digits are plenty for leaf values and keep the file small.
    return float(f"{value:.7g}")


def export(model: HistGradientBoostingClassifier, bias: np.ndarray) -> dict:
    """The fitted trees as plain lists, in the layout parallax.compare.relate.TreeModel reads."""
    if list(model.classes_) != list(LABELS):
        raise ValueError(f"unexpected classes {model.classes_}")
    trees = []
    for iteration in model._predictors:
        for column, predictor in enumerate(iteration):
            nodes = predictor.nodes
            trees.append(
                {
                    "class": column,
                    "feature": nodes["feature_idx"].astype(int).tolist(),
                    # Thresholds keep full precision: rounding can move one past a data value.
                    "threshold": [float(v) for v in nodes["num_threshold"]],
                    "left": nodes["left"].astype(int).tolist(),
                    "right": nodes["right"].astype(int).tolist(),
                    "value": [_compact(v) for v in nodes["value"]],
                    "missing_left": nodes["missing_go_to_left"].astype(int).tolist(),
                    "leaf": nodes["is_leaf"].astype(int).tolist(),
                }
            )
    return {
        "format": "parallax.relate.trees/1",
        "trained_on": "fnc1-dev, train side of the Body-ID split (parallax.evaluate.fnc1)",
        "params": PARAMS,
        "class_weight_power": CLASS_WEIGHT_POWER,
        "classes": list(LABELS),
        "features": feature_names(),
        "baseline": [float(v) for v in np.ravel(model._baseline_prediction)],
        "class_bias": [float(v) for v in bias],
        "trees": trees,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument(
        "--cache", type=Path, help="Keep the train features in this .npz (reused when present)."
    )
    args = parser.parse_args(argv)
    if not (args.data / "stances.csv").is_file():
        print(f"error: {args.data}: no stances.csv (is ../shared/data there?)", file=sys.stderr)
        return 1

    train = select_split(load_fnc1(args.data), "train")
    print(f"train side: {len(train)} pairs, {len({p.body_id for p in train})} bodies")
    if args.cache and args.cache.is_file():
        rows = np.load(args.cache)["rows"]
        if rows.shape != (len(train), len(feature_names())):
            print(f"error: {args.cache}: features of another shape; delete it", file=sys.stderr)
            return 1
    else:
        rows = pair_matrix(train, FeatureRelator(cache_size=1024))
        if args.cache:
            np.savez_compressed(args.cache, rows=rows)
    labels = np.array([p.stance for p in train])
    groups = np.array([p.body_id for p in train])

    proba = out_of_fold(rows, labels, groups)
    plain = score_predictions(list(labels), list(np.array(LABELS)[proba.argmax(axis=1)]))
    bias, tuned_f1 = tune_bias(proba, labels)
    print(f"cross-validated macro-F1 {plain['macro_f1']:.3f}; with class bias {tuned_f1:.3f}")
    print(f"class bias {dict(zip(LABELS, bias.tolist(), strict=True))}")

    model = HistGradientBoostingClassifier(**PARAMS)
    model.fit(rows, labels, sample_weight=class_weights(labels))
    spec = export(model, bias)
    # The numpy evaluator must agree with scikit-learn before the weights are written.
    mine = TreeModel(spec).predict_proba(rows)
    theirs = model.predict_proba(rows)
    gap = float(np.abs(mine - theirs).max())
    if gap > 1e-4:
        print(f"error: exported trees disagree with scikit-learn by {gap}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, max gap {gap:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
