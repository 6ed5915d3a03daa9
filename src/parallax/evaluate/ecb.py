"""Story clustering measured on ECB+ (topics 1-20 of ../shared/data/ecbplus-dev).

Each topic holds two different real-world events that share people and places; `labels.tsv`
names each file's `story`. Scores are B-cubed precision, recall and F1 of predicted stories
against `story`, over all articles clustered together (not topic by topic).

Thresholds were tuned on TUNING_TOPICS only; `held_out` scores the other topics.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parallax.model import Story

# The topics the clustering settings were tuned on; every other topic is held out.
TUNING_TOPICS = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "9"})


@dataclass(frozen=True)
class LabelledFile:
    path: Path
    doc: str
    topic: str
    story: str


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    articles: int
    gold_stories: int
    predicted_stories: int

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "articles": self.articles,
            "gold_stories": self.gold_stories,
            "predicted_stories": self.predicted_stories,
        }


def default_root() -> Path:
    """../shared/data/ecbplus-dev beside the repository (it may be absent)."""
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ecbplus-dev"


def read_labels(data_dir: Path) -> list[LabelledFile]:
    """The labelled files of an ECB+ folder, in labels.tsv order; files absent are skipped.

    Raises FileNotFoundError naming labels.tsv when the folder has none.
    """
    labels = data_dir / "labels.tsv"
    if not labels.is_file():
        raise FileNotFoundError(f"{labels}: no labels.tsv (is ../shared/data present?)")
    rows: list[LabelledFile] = []
    with labels.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path = data_dir / row["file"]
            if path.is_file():
                rows.append(LabelledFile(path, Path(row["file"]).stem, row["topic"], row["story"]))
    return rows


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> BCubed:
    """B-cubed precision, recall and F1 of `predicted` (doc -> story) against `gold`.

    Only documents present in both are scored; a document missing from `predicted` counts as
    a story of its own.
    """
    docs = list(gold)
    pred = {doc: predicted.get(doc, f"__alone__{doc}") for doc in docs}
    pair_counts = Counter((gold[d], pred[d]) for d in docs)
    gold_sizes = Counter(gold[d] for d in docs)
    pred_sizes = Counter(pred[d] for d in docs)
    if not docs:
        return BCubed(0.0, 0.0, 0.0, 0, 0, 0)
    precision = sum(pair_counts[(gold[d], pred[d])] / pred_sizes[pred[d]] for d in docs) / len(docs)
    recall = sum(pair_counts[(gold[d], pred[d])] / gold_sizes[gold[d]] for d in docs) / len(docs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(docs), len(gold_sizes), len(pred_sizes))


def assignment(stories: Iterable[Story]) -> dict[str, str]:
    """doc id -> story id, from a list of stories."""
    return {doc: story.id for story in stories for doc in story.articles}


def score_by_split(files: Sequence[LabelledFile], predicted: dict[str, str]) -> dict[str, BCubed]:
    """B-cubed on all files, on the tuning topics and on the held-out topics.

    Each split is scored on the clustering of the whole set, restricted to its files.
    """
    splits = {
        "all": files,
        "tuning": [f for f in files if f.topic in TUNING_TOPICS],
        "held_out": [f for f in files if f.topic not in TUNING_TOPICS],
    }
    return {
        name: bcubed({f.doc: f.story for f in chosen}, predicted) for name, chosen in splits.items()
    }


def evaluate_ecb(data_dir: Path, settings=None) -> dict:
    """Read, cluster and score an ECB+ folder; a dict of split -> scores, plus failures."""
    from parallax.cluster.features import article_features
    from parallax.cluster.stories import cluster_features
    from parallax.errors import InputError
    from parallax.ingest.sources import read_inputs

    files = read_labels(data_dir)
    articles = []
    failed: list[str] = []
    for item in read_inputs(str(f.path) for f in files):
        if isinstance(item, InputError):
            failed.append(f"{item.source}: {item.reason}")
        else:
            articles.append(item)
    stories = cluster_features(article_features(articles), settings)
    predicted = assignment(stories)
    scores = score_by_split(files, predicted)
    return {
        "set": str(data_dir),
        "tuning_topics": sorted(TUNING_TOPICS, key=int),
        "scores": {name: value.as_dict() for name, value in scores.items()},
        "failed": failed,
    }
