"""FNC-1 stance evaluation: FNC score, macro-F1 and the confusion matrix on ../shared/data/fnc1-dev.

The shipped relation model is trained on part of fnc1-dev, so figures are reported on the
held-out split: every Body ID whose `heldout_body` is true (about a third of the bodies, chosen
by a hash of the Body ID, so the split is fixed and no body is on both sides). Headlines (the
claims) do recur on both sides: the split keeps articles apart, not stories.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parallax.compare.relate import LABELS, Relator, relate_pairs

SPLITS = ("heldout", "train", "all")
# One body in HELDOUT_MODULUS goes to the held-out split.
HELDOUT_MODULUS = 3


@dataclass(frozen=True)
class StancePair:
    """One FNC-1 row: a headline (the claim), the body's id and text, and the gold stance."""

    headline: str
    body_id: str
    body: str
    stance: str


def default_root() -> Path:
    """../shared/data/fnc1-dev beside the repository (it may be absent)."""
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "fnc1-dev"


def heldout_body(body_id: str) -> bool:
    """True when this Body ID belongs to the held-out split (sha256 of 'fnc1:<id>', mod 3)."""
    digest = hashlib.sha256(f"fnc1:{body_id.strip()}".encode()).hexdigest()
    return int(digest, 16) % HELDOUT_MODULUS == 0


def load_fnc1(data_dir: Path) -> list[StancePair]:
    """The pairs of fnc1-dev (stances.csv joined with bodies.csv), in file order.

    Raises FileNotFoundError naming the missing file; a stance whose Body ID has no body is an
    error too (the set would be broken), not something to skip silently.
    """
    with (data_dir / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"].strip(): row["articleBody"] for row in csv.DictReader(handle)}
    pairs: list[StancePair] = []
    with (data_dir / "stances.csv").open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            body_id = row["Body ID"].strip()
            if body_id not in bodies:
                raise ValueError(f"{data_dir / 'stances.csv'}:{line}: no body {body_id!r}")
            pairs.append(StancePair(row["Headline"], body_id, bodies[body_id], row["Stance"]))
    return pairs


def select_split(pairs: Sequence[StancePair], split: str) -> list[StancePair]:
    """The pairs of one split: 'heldout', 'train' (its complement) or 'all'."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if split == "all":
        return list(pairs)
    want = split == "heldout"
    return [p for p in pairs if heldout_body(p.body_id) == want]


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The FNC-1 score and its maximum: +0.25 for related/unrelated right, +0.75 for the class."""
    score = 0.0
    best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        related_g = g != "unrelated"
        related_p = p != "unrelated"
        if related_g == related_p:
            score += 0.25
        if related_g and g == p:
            score += 0.75
        best += 1.0 if related_g else 0.25
    return score, best


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """Counts, rows = gold label, columns = predicted label, both in LABELS order."""
    index = {label: i for i, label in enumerate(LABELS)}
    matrix = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def per_class_f1(matrix: list[list[int]]) -> dict[str, float]:
    """F1 of each label from a confusion matrix (0 when a class is never predicted nor gold)."""
    out = {}
    for i, label in enumerate(LABELS):
        true_pos = matrix[i][i]
        predicted = sum(row[i] for row in matrix)
        actual = sum(matrix[i])
        denominator = predicted + actual
        out[label] = 2 * true_pos / denominator if denominator else 0.0
    return out


def score_predictions(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """FNC score (share of maximum), macro-F1, per-class F1 and confusion matrix."""
    score, best = fnc_score(gold, predicted)
    matrix = confusion(gold, predicted)
    f1 = per_class_f1(matrix)
    return {
        "pairs": len(gold),
        "fnc_score": score,
        "fnc_max": best,
        "fnc_percent": 100.0 * score / best if best else 0.0,
        "macro_f1": sum(f1.values()) / len(f1),
        "f1": f1,
        "labels": list(LABELS),
        "confusion": matrix,
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1),
    }


def evaluate_fnc1(
    data_dir: Path,
    relate_batch: Callable[[list[tuple[str, str]]], list[str]],
    split: str = "heldout",
    limit_bodies: int | None = None,
    batch_bodies: int = 16,
) -> dict:
    """Score a relator on one split of fnc1-dev; `relate_batch` maps (claim, text) pairs to labels.

    Pairs are fed grouped by body, a few bodies at a time, so a relator that caches its texts
    analyses each body once. `limit_bodies` keeps only the first N bodies of the split (by
    first appearance), for quick checks.
    """
    pairs = select_split(load_fnc1(data_dir), split)
    order: dict[str, list[StancePair]] = {}
    for pair in pairs:
        order.setdefault(pair.body_id, []).append(pair)
    body_ids = list(order)[:limit_bodies] if limit_bodies else list(order)
    gold: list[str] = []
    predicted: list[str] = []
    started = time.perf_counter()
    for start in range(0, len(body_ids), batch_bodies):
        chunk = [p for body_id in body_ids[start : start + batch_bodies] for p in order[body_id]]
        labels = relate_batch([(p.headline, p.body) for p in chunk])
        gold.extend(p.stance for p in chunk)
        predicted.extend(labels)
    report = score_predictions(gold, predicted)
    report.update(
        {
            "set": "fnc1-dev",
            "split": split,
            "bodies": len(body_ids),
            "seconds": round(time.perf_counter() - started, 1),
        }
    )
    return report


def format_report(report: dict) -> str:
    """A short human-readable summary of `score_predictions`/`evaluate_fnc1` output."""
    lines = [
        f"fnc1-dev split={report.get('split')} bodies={report.get('bodies')} "
        f"pairs={report['pairs']} time={report.get('seconds')}s",
        f"FNC score {report['fnc_score']:.2f} / {report['fnc_max']:.2f} = "
        f"{report['fnc_percent']:.1f}%   macro-F1 {report['macro_f1']:.3f}   "
        f"accuracy {report['accuracy']:.3f}",
        "F1 " + "  ".join(f"{k} {v:.3f}" for k, v in report["f1"].items()),
        "confusion (rows gold, columns predicted): " + " ".join(LABELS),
    ]
    for label, row in zip(LABELS, report["confusion"], strict=True):
        lines.append(f"  {label:<10}" + "".join(f"{n:>8}" for n in row))
    return "\n".join(lines)


def evaluate_relator(
    data_dir: Path, relator: Relator, split: str = "heldout", limit_bodies: int | None = None
) -> dict:
    """`evaluate_fnc1` for a Relator (batched through `relate_many` when it has one)."""

    def labels(pairs: list[tuple[str, str]]) -> list[str]:
        return [relation.label for relation in relate_pairs(relator, pairs)]

    return evaluate_fnc1(data_dir, labels, split=split, limit_bodies=limit_bodies)
