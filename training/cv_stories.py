"""Cross-validate story clustering on ECB+ from a cache of the model outputs, for iterating.

`parallax eval ecb` runs the embedder and spaCy NER over the 413 articles every time; this
script runs them once and keeps their outputs (each article's embedding and NER mentions) in
a pickle, then rebuilds `ArticleFeatures` from them with `features_from_parts` on every run,
so a change to features.py, stories.py or learn.py is measured without the model passes.
The scores are those of `parallax.evaluate.ecb.cross_validate` (topic folds, each fold's
settings fitted on the other folds' topics) and the in-sample figure of the shipped weights;
`--errors` prints, per topic, the predicted stories that mix gold stories.

Run from the repository root:
    .venv/bin/python training/cv_stories.py [--cache /tmp/ecb_parts.pkl] [--folds 6]
The cache is rebuilt when absent or when `--refresh` is given; it is never committed.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from parallax.cluster.features import features_from_parts, lead_end
from parallax.evaluate.ecb import (
    DEFAULT_FOLDS,
    arrival_plan,
    bcubed,
    bcubed_parts,
    cluster_in_parts,
    cross_validate,
    default_root,
    per_topic,
    read_articles,
    read_labels,
)


def model_parts(articles: list) -> list[tuple]:
    """(embedding, NER mentions) of each article, as `article_features` computes them."""
    from parallax.cluster.features import embedding_text, ner_entities
    from parallax.embed import load_embedder

    vectors = load_embedder().embed([embedding_text(a) for a in articles])
    ents = ner_entities(articles, None, 32)
    return list(zip(vectors, ents, strict=True))


def cached_parts(articles: list, cache: Path, refresh: bool) -> list[tuple]:
    """Model outputs of the articles, read from `cache` when it holds these article ids."""
    ids = [a.id for a in articles]
    if cache.is_file() and not refresh:
        stored = pickle.loads(cache.read_bytes())
        if stored["ids"] == ids:
            return stored["parts"]
    parts = model_parts(articles)
    cache.write_bytes(pickle.dumps({"ids": ids, "parts": parts}))
    return parts


def mixed_stories(files: list, predicted: dict[str, str]) -> list[str]:
    """One line per predicted story that holds more than one gold story (by topic)."""
    gold = {f.doc: f.story for f in files}
    members: dict[str, list[str]] = defaultdict(list)
    for doc, story in predicted.items():
        members[story].append(doc)
    lines = []
    for story, docs in sorted(members.items()):
        counts = Counter(gold[d] for d in docs if d in gold)
        if len(counts) > 1:
            lines.append(f"{story}: " + ", ".join(f"{g} x{n}" for g, n in counts.most_common()))
    return lines


def cross_validate_with_errors(files: list, features: list, folds: int, plan) -> dict:
    """`cross_validate`'s scores, plus each fold's mixed stories among its own articles and
    the per-topic B-cubed F1 (the same fits; the scores equal the official ones)."""
    from parallax.cluster.learn import fit_settings
    from parallax.evaluate.ecb import combine, fold_splits

    gold = {f.doc: f.story for f in files}
    topic_of = {f.doc: f.topic for f in files}
    parts: dict[str, tuple[float, float]] = {}
    mixed: list[str] = []
    stories = 0
    for fold, split in enumerate(fold_splits(files, features, folds)):
        fit = fit_settings(split.training, split.known)
        predicted = cluster_in_parts(features, fit.settings, plan)
        fold_parts = bcubed_parts(gold, predicted)
        parts.update({d: fold_parts[d] for d in split.scored})
        stories += len({predicted[d] for d in split.scored})
        own = {d: s for d, s in predicted.items() if d in split.scored}
        mixed += [f"fold {fold}: {line}" for line in mixed_stories(files, own)]
        print(f"fold {fold} done", file=sys.stderr)
    topic_f1 = {t: f"P {p:.2f} R {r:.2f}" for t, (p, r, _) in per_topic(parts, topic_of).items()}
    return {
        "scores": combine(parts, gold, stories).as_dict(),
        "per_topic": topic_f1,
        "mixed": mixed,
    }


def cached_features(articles: list, cache: Path) -> list:
    """`ArticleFeatures` of the articles from the cache this script writes, which must hold
    these articles; it is not built here (exits with a message: run this script first)."""
    stored = pickle.loads(cache.read_bytes())
    if stored["ids"] != [a.id for a in articles]:
        raise SystemExit(f"{cache}: not these articles (run training/cv_stories.py)")
    return [
        features_from_parts(article, part[0], part[1], lead_end(article))
        for article, part in zip(articles, stored["parts"], strict=True)
    ]


def score_choices(
    features: list, gold: dict[str, str], plan, scored: set[str], chosen: dict
) -> dict[str, tuple[dict, int]]:
    """For each name of `chosen` (name -> ClusterSettings): the B-cubed parts of the `scored`
    articles and the number of stories they fall in, all articles clustered once per
    distinct setting."""
    done: dict[str, tuple[dict, dict]] = {}
    out = {}
    for name, settings in chosen.items():
        key = settings.model_dump_json()
        if key not in done:
            predicted = cluster_in_parts(features, settings, plan)
            done[key] = (predicted, bcubed_parts(gold, predicted))
        predicted, parts = done[key]
        out[name] = ({d: parts[d] for d in scored}, len({predicted[d] for d in scored}))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_root())
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parallax_ecb_parts.pkl"))
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    parser.add_argument("--topics", help="comma-separated topics to keep (default: all)")
    parser.add_argument("--errors", action="store_true", help="print mixed stories")
    parser.add_argument("--no-cv", action="store_true", help="in-sample figure only")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    files = read_labels(args.data)
    if args.topics:
        keep = set(args.topics.split(","))
        files = [f for f in files if f.topic in keep]
    articles, failed = read_articles(read_labels(args.data))
    parts = cached_parts(articles, args.cache, args.refresh)
    wanted = {f.doc for f in files}
    features = [
        features_from_parts(a, vector, ents, lead_end(a))
        for a, (vector, ents) in zip(articles, parts, strict=True)
        if a.id in wanted
    ]
    print(f"{len(features)} articles ready in {time.perf_counter() - began:.0f}s", file=sys.stderr)
    gold = {f.doc: f.story for f in files}
    plan = arrival_plan(len(features), None, None)
    predicted = cluster_in_parts(features, None, plan)
    report = {"in_sample": bcubed(gold, predicted).as_dict()}
    if args.errors:
        report["in_sample_mixed"] = mixed_stories(files, predicted)
    if not args.no_cv:
        if args.errors:
            report["cross_validated"] = cross_validate_with_errors(
                files, features, args.folds, plan
            )
        else:
            report["cross_validated"] = cross_validate(files, features, args.folds, plan)
    report["failed"] = failed
    report["seconds"] = round(time.perf_counter() - began)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
