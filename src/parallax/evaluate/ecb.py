"""Story clustering measured on ECB+ (topics 1-20 of ../shared/data/ecbplus-dev).

Each topic holds two different real-world events that share people and places; `labels.tsv`
names each file's `story`. Scores are B-cubed precision, recall and F1 of predicted stories
against `story`, over all articles clustered together (not topic by topic).

The shipped weights (story_weights.json) were fitted on every topic of this set, so scoring
them here is in-sample. The honest figure is cross-validated by topic: the topics are dealt
into k folds (sorted by number, topic i of the sorted list into fold i mod k); for each fold
the weights are fitted on the other folds' articles only, all articles are clustered with
them, and the fold's articles are scored in that clustering (their story-mates from other
folds count, so a merge across folds is an error as usual). Every article thus gets its
precision and recall from a model that never saw its topic, and B-cubed is their mean.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parallax.model import Story

DEFAULT_FOLDS = 6


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


def bcubed_parts(
    gold: Mapping[str, str], predicted: Mapping[str, str]
) -> dict[str, tuple[float, float]]:
    """Per document of `gold`: its B-cubed (precision, recall) in the `predicted` clustering.

    Only documents of `gold` count as cluster-mates; a document missing from `predicted`
    counts as a story of its own.
    """
    docs = list(gold)
    pred = {doc: predicted.get(doc, f"__alone__{doc}") for doc in docs}
    pair_counts = Counter((gold[d], pred[d]) for d in docs)
    gold_sizes = Counter(gold[d] for d in docs)
    pred_sizes = Counter(pred[d] for d in docs)
    return {
        d: (
            pair_counts[(gold[d], pred[d])] / pred_sizes[pred[d]],
            pair_counts[(gold[d], pred[d])] / gold_sizes[gold[d]],
        )
        for d in docs
    }


def combine(
    parts: Mapping[str, tuple[float, float]], gold: Mapping[str, str], predicted_stories: int
) -> BCubed:
    """B-cubed of per-document (precision, recall) parts: their means and the F1 of those."""
    if not parts:
        return BCubed(0.0, 0.0, 0.0, 0, 0, 0)
    precision = sum(p for p, _ in parts.values()) / len(parts)
    recall = sum(r for _, r in parts.values()) / len(parts)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    stories = len({gold[d] for d in parts})
    return BCubed(precision, recall, f1, len(parts), stories, predicted_stories)


def per_topic(
    parts: Mapping[str, tuple[float, float]], topic_of: Mapping[str, str]
) -> dict[str, tuple[float, float, float]]:
    """B-cubed precision, recall and F1 of each topic's documents, from per-document
    (precision, recall) parts, in numeric topic order."""
    by_topic: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for doc, part in parts.items():
        by_topic[topic_of[doc]].append(part)
    out = {}
    for topic, values in sorted(by_topic.items(), key=lambda kv: int(kv[0])):
        precision = sum(v[0] for v in values) / len(values)
        recall = sum(v[1] for v in values) / len(values)
        total = precision + recall
        out[topic] = (precision, recall, 2 * precision * recall / total if total else 0.0)
    return out


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> BCubed:
    """B-cubed precision, recall and F1 of `predicted` (doc -> story) against `gold`.

    Only documents present in both are scored; a document missing from `predicted` counts as
    a story of its own.
    """
    parts = bcubed_parts(gold, predicted)
    stories = len({predicted.get(d, f"__alone__{d}") for d in gold})
    return combine(parts, gold, stories)


def assignment(stories: Iterable[Story]) -> dict[str, str]:
    """doc id -> story id, from a list of stories."""
    return {doc: story.id for story in stories for doc in story.articles}


def topic_folds(topics: Iterable[str], folds: int) -> dict[str, int]:
    """topic -> fold: topics sorted by number (then name), topic i into fold i mod `folds`."""
    ordered = sorted(set(topics), key=lambda t: (int(t) if t.isdigit() else 10**9, t))
    return {topic: i % folds for i, topic in enumerate(ordered)}


@dataclass(frozen=True)
class FoldSplit:
    """One fold of a cross-validation by topic."""

    training: list  # features of the other folds' topics, in input order
    known: dict[str, str]  # their gold stories
    scored: set[str]  # ids of this fold's articles


def fold_splits(files: Sequence[LabelledFile], features: Sequence, folds: int) -> list[FoldSplit]:
    """Per fold of topics (`topic_folds`): what to fit on and which articles to score. Features
    of articles without a label are in no fold."""
    gold = {f.doc: f.story for f in files}
    topic_of = {f.doc: f.topic for f in files}
    fold_of = topic_folds(topic_of.values(), folds)
    present = [f for f in features if f.id in gold]
    splits = []
    for fold in range(folds):
        training = [f for f in present if fold_of[topic_of[f.id]] != fold]
        scored = {f.id for f in present if fold_of[topic_of[f.id]] == fold}
        splits.append(FoldSplit(training, {f.id: gold[f.id] for f in training}, scored))
    return splits


def arrival_plan(count: int, shuffle: int | None, batch: int | None) -> list[np.ndarray]:
    """The input order as consecutive parts: labels.tsv order or a seeded shuffle of it,
    cut into parts of `batch` articles (one part when None)."""
    order = np.arange(count)
    if shuffle is not None:
        order = np.random.default_rng(shuffle).permutation(count)
    size = batch or count
    return [order[i : i + size] for i in range(0, count, size)]


def cluster_in_parts(features: Sequence, settings, plan: Sequence[np.ndarray]) -> dict[str, str]:
    """doc -> story after feeding the parts one after the other, each part settled at its
    end (as consecutive `parallax cluster --db` runs do)."""
    from parallax.cluster.stories import StoryClusterer

    clusterer = StoryClusterer(settings)
    for part in plan:
        clusterer.add_many([features[int(i)] for i in part])
        clusterer.settle()
    return {f.id: clusterer.story_of(f.id) or "" for f in features}


def read_articles(files: Sequence[LabelledFile]) -> tuple[list, list[str]]:
    """The articles of the labelled files, and one line per file that could not be read."""
    from parallax.errors import InputError
    from parallax.ingest.sources import read_inputs

    articles, failed = [], []
    for item in read_inputs(str(f.path) for f in files):
        if isinstance(item, InputError):
            failed.append(f"{item.source}: {item.reason}")
        else:
            articles.append(item)
    return articles, failed


def cross_validate(
    files: Sequence[LabelledFile],
    features: Sequence,
    folds: int,
    plan: Sequence[np.ndarray],
) -> dict:
    """Scores of a k-fold cross-validation by topic (see the module docstring), with the
    settings fitted for each fold."""
    from parallax.cluster.learn import fit_settings

    gold = {f.doc: f.story for f in files}
    topic_of = {f.doc: f.topic for f in files}
    present = [f for f in features if f.id in gold]
    parts: dict[str, tuple[float, float]] = {}
    predicted_stories = 0
    fold_reports = []
    for split in fold_splits(files, features, folds):
        fit = fit_settings(split.training, split.known)
        predicted = cluster_in_parts(present, fit.settings, plan)
        fold_parts = bcubed_parts({d: gold[d] for d in gold if d in predicted}, predicted)
        parts.update({d: fold_parts[d] for d in split.scored})
        predicted_stories += len({predicted[d] for d in split.scored})
        fold_reports.append(
            {
                "topics": sorted({topic_of[d] for d in split.scored}, key=int),
                "articles": len(split.scored),
                "training_f1": round(fit.training_f1, 4),
                "join_threshold": round(fit.settings.join_threshold, 3),
                "link_threshold": fit.settings.link_threshold,
                "merge_threshold": round(fit.settings.merge_threshold, 3),
                "absorb_threshold": round(fit.settings.absorb_threshold, 3),
                "fragment_size": fit.settings.fragment_size,
                "rejoin_threshold": round(fit.settings.rejoin_threshold, 3),
            }
        )
    return {
        "folds": folds,
        "scores": combine(parts, gold, predicted_stories).as_dict(),
        "per_fold": fold_reports,
    }


def evaluate_ecb(
    data_dir: Path,
    settings=None,
    folds: int = DEFAULT_FOLDS,
    shuffle: int | None = None,
    batch: int | None = None,
) -> dict:
    """Read, cluster and score an ECB+ folder.

    Returns the in-sample scores of the given (default: shipped) settings and, when
    `folds` > 1, the cross-validated scores; `shuffle` (a seed) and `batch` (part size)
    change the arrival plan of both.
    """
    from parallax.cluster.features import article_features

    files = read_labels(data_dir)
    articles, failed = read_articles(files)
    features = article_features(articles)
    gold = {f.doc: f.story for f in files}
    plan = arrival_plan(len(features), shuffle, batch)
    predicted = cluster_in_parts(features, settings, plan)
    report = {
        "set": str(data_dir),
        "order": "labels.tsv" if shuffle is None else f"shuffled (seed {shuffle})",
        "batch": batch,
        "in_sample": {
            "note": "the shipped weights were fitted on every topic of this set",
            "scores": bcubed(gold, predicted).as_dict(),
        },
    }
    if folds > 1:
        report["cross_validated"] = cross_validate(files, features, folds, plan)
    report["failed"] = failed
    return report
