"""Story clustering at scale: time and peak memory on synthetic corpora of 10k, 30k, 100k.

The corpora are made from real texts: the ECB+ articles in ../shared/data/ecbplus-dev when
present (else short texts generated here) are run once through the real feature extraction
(embedder + spaCy NER). Each synthetic story then takes one real article as its template and
each of its articles is a variant of it: the embedding moved by noise and by a story-specific
offset, part of the template's key entities, content words and names kept (`TEMPLATE_SHARE`)
and story-specific ones added, numbers and dates redrawn, and a publication time inside the
story's first three days. Stories start at an even rate (`--per-day` articles a day), as in a
feed. Stories made from one template are "one topic, different events" (the hard case).

Embedding is not timed (the issue allows 100k articles "once embedded"); what is timed is
`StoryClusterer.add_many` over the features and the final `settle()`, wall clock and CPU time
of the process. Each size runs in a fresh process so its peak RSS (VmHWM) is its own.
Numerical libraries are limited to 2 threads. Growth is reported as seconds per 1,000 articles and as the ratio of time
ratio to size ratio against the smallest size (1.0 is linear).

    .venv/bin/python benchmarks/cluster_scale.py [--sizes 10000 30000 100000] [--quiet-hours 168]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

# Share of its template's entities and words each synthetic article keeps: stories made from
# one template are "one topic, different events", the hard case, so they share some of both.
TEMPLATE_SHARE = 0.3
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ecbplus-dev"


def generated_texts(count: int) -> list[str]:
    """Short news-like texts, used when the ECB+ texts are absent."""
    rng = np.random.default_rng(7)
    people = ["Maria Lopez", "John Carter", "Aiko Tanaka", "Samuel Okoro", "Lena Novak"]
    places = ["Lisbon", "Nairobi", "Osaka", "Denver", "Gdansk", "Quito"]
    events = ["a fire broke out", "a bridge collapsed", "a strike began", "a vote was held"]
    texts = []
    for i in range(count):
        person, place = rng.choice(people), rng.choice(places)
        event = rng.choice(events)
        texts.append(
            f"In {place}, {event} on Monday, officials said.\n\n{person} told reporters that "
            f"{int(rng.integers(10, 900))} people were affected and that the city of {place} "
            f"would respond. Story number {i}."
        )
    return texts


def base_features(limit: int):
    """Real features of real texts (ECB+ when present), computed with the real models."""
    from parallax.cluster.features import article_features
    from parallax.ingest.sources import article_from_text

    if DATA.is_dir():
        every = sorted(DATA.glob("*.txt"))
        # Spread over all topics, not the first few in name order.
        paths = every[:: max(1, len(every) // limit)][:limit]
        articles = [article_from_text(p.read_text(encoding="utf-8"), str(p)) for p in paths]
        origin = f"{len(articles)} ECB+ texts"
    else:
        texts = generated_texts(limit)
        articles = [article_from_text(t, f"generated-{i}.txt") for i, t in enumerate(texts)]
        origin = f"{len(articles)} generated texts"
    return article_features(articles), origin


def synthetic_corpus(base, size: int, per_day: int, seed: int = 1):
    """`size` ArticleFeatures in stories of 1-30 articles, with the true story of each."""
    from parallax.cluster.features import ArticleFeatures

    rng = np.random.default_rng(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    features: list[ArticleFeatures] = []
    truth: list[int] = []
    story = 0
    while len(features) < size:
        template = base[int(rng.integers(len(base)))]
        members = int(min(30, 1 + rng.geometric(0.15)))
        offset = rng.normal(0, 0.5, template.vector.shape[0]).astype(np.float32)
        offset /= np.linalg.norm(offset)
        opened = start + timedelta(days=len(features) / per_day)
        # The day the event happened, as the articles state it.
        event_day = opened - timedelta(days=int(rng.integers(0, 365)))
        own_names = {
            f"person:synthetic{story}": 3.0,
            f"org:agency{story}": 2.0,
            f"place:town{story % 5000}": 2.0,
        }
        for _ in range(members):
            if len(features) >= size:
                break
            noise = rng.normal(0, 0.02, template.vector.shape[0]).astype(np.float32)
            vector = template.vector + offset + noise
            kept = {k: w for k, w in template.entities.items() if rng.random() < TEMPLATE_SHARE}
            # Words: part of the template's, plus words only this story uses.
            words = {k: w for k, w in template.terms.items() if rng.random() < TEMPLATE_SHARE}
            words.update({f"w{story}x{j}": 2.0 for j in range(12)})
            names = {k: w for k, w in template.names.items() if rng.random() < TEMPLATE_SHARE}
            names.update({f"Synthetic{story}": 3.0, f"Agency{story}": 2.0, str(1000 + story): 1.0})
            numbers = frozenset({f"num:{int(rng.integers(10, 500))}", f"num:{1000 + story % 977}"})
            features.append(
                ArticleFeatures(
                    id=f"a{len(features)}",
                    vector=(vector / np.linalg.norm(vector)).astype(np.float32),
                    entities={**kept, **own_names},
                    terms=words,
                    names=names,
                    numbers=numbers,
                    dates=frozenset({f"date:{event_day.date().isoformat()}"}),
                    published=opened + timedelta(hours=float(rng.uniform(0, 72))),
                    bands=(),
                )
            )
            truth.append(story)
        story += 1
    order = np.argsort([f.published.timestamp() for f in features], kind="stable")
    return [features[i] for i in order], [truth[i] for i in order]


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM, which a fresh exec resets)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    # Elsewhere ru_maxrss (kilobytes on Linux, bytes on macOS) is the best there is.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(base, size: int, per_day: int, quiet_hours: float | None, queue) -> None:
    from parallax.cluster.stories import ClusterSettings, StoryClusterer
    from parallax.evaluate.ecb import bcubed

    features, truth = synthetic_corpus(base, size, per_day)
    corpus_mb = _peak_mb()
    settings = ClusterSettings()
    if quiet_hours is not None:
        settings = settings.model_copy(update={"quiet_hours": quiet_hours})
    clusterer = StoryClusterer(settings)
    began, cpu_began = time.perf_counter(), time.process_time()
    clusterer.add_many(features)
    clusterer.settle()
    seconds = time.perf_counter() - began
    cpu_seconds = time.process_time() - cpu_began
    predicted = {f.id: clusterer.story_of(f.id) or "" for f in features}
    gold = {f.id: str(t) for f, t in zip(features, truth, strict=True)}
    score = bcubed(gold, predicted)
    queue.put(
        {
            "size": size,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "corpus_rss_mb": corpus_mb,
            "peak_rss_mb": _peak_mb(),
            "stories": len(clusterer.stories()),
            "f1": score.f1,
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--base", type=int, default=400, help="real texts to take features of")
    parser.add_argument("--per-day", type=int, default=3000, help="articles a day in the feed")
    parser.add_argument(
        "--quiet-hours", type=float, default=168.0, help="quiet window in hours (a feed: 7 days)"
    )
    args = parser.parse_args(argv)
    # The budget is 2 cores: BLAS and OpenMP pools may use no more (children inherit).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "2"

    began = time.perf_counter()
    base, origin = base_features(args.base)
    print(f"base: {origin}, features in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    print(f"feed: {args.per_day} articles a day, quiet window {args.quiet_hours:g} h")
    context = multiprocessing.get_context("spawn")
    rows = []
    for size in args.sizes:
        queue = context.Queue()
        process = context.Process(
            target=run_one, args=(base, size, args.per_day, args.quiet_hours, queue)
        )
        process.start()
        rows.append(queue.get())
        process.join()
    print(
        "| articles | seconds | CPU seconds | s per 1k | growth | peak RSS MB | RSS of corpus MB"
        " | stories | synthetic B3 F1 |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    first = rows[0]
    for row in rows:
        # (time ratio) / (size ratio) against the smallest size: 1.0 means linear growth.
        growth = (row["seconds"] / first["seconds"]) / (row["size"] / first["size"])
        print(
            f"| {row['size']} | {row['seconds']:.1f} | {row['cpu_seconds']:.1f}"
            f" | {1000 * row['seconds'] / row['size']:.2f} | {growth:.2f}"
            f" | {row['peak_rss_mb']:.0f} | {row['corpus_rss_mb']:.0f} | {row['stories']}"
            f" | {row['f1']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
