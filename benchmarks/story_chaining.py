"""Story chaining on a dense stream of one beat: PolNeAR's 2016 campaign news, clustered.

ECB+ holds two events per topic; a real crawl of one beat holds hundreds that share the same
people and words. This clusters the 924 distinct PolNeAR texts (train then dev, with titles,
outlets and publication dates from metadata.tsv, read through `parallax`'s JSON Lines ingest
as `parallax cluster` would read them) in one run, with the shipped settings and with each
`--caps` value of `absorb_span_days` (`inf`: no cap), and prints per setting: stories,
singletons, the largest stories, how many stories of several articles span more than 30
days and the longest span.

There is no gold story for PolNeAR. `--pairs DIR` draws a blind sample for reading: pairs
put together by both the uncapped and the shipped clusterer (stratum A), by the uncapped one
only (B) and by the shipped one only (C), shuffled, written as `pairs.jsonl` (outlet, date,
title and first 1,200 characters of each article, no stratum) with `key.json` (stratum of
each pair and the stratum sizes) beside it, to estimate each clusterer's pairwise precision
from labels read by people (docs/quality.md, "Chaining on a dense stream").

    HF_HUB_OFFLINE=1 nice .venv/bin/python benchmarks/story_chaining.py [--caps inf,14,30,60,90]
        [--features /tmp/polnear_features.pkl] [--pairs DIR --seed 20261203]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The sample sizes read by hand: pairs of both clusterers, uncapped only, shipped only.
SAMPLE = {"A": 90, "B": 120, "C": 60}


def polnear_articles() -> list:
    """The 924 distinct PolNeAR texts as Articles, through the JSON Lines ingest."""
    sys.path.insert(0, str(HERE))
    from batch import POLNEAR, polnear_records
    from parallax.ingest.sources import read_inputs
    from parallax.model import Article

    count = len(list((POLNEAR / "train" / "text").glob("*.txt")))
    count += len(list((POLNEAR / "dev" / "text").glob("*.txt")))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "polnear.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in polnear_records(count):
                handle.write(json.dumps(record) + "\n")
        items = list(read_inputs([str(path)]))
    articles = [item for item in items if isinstance(item, Article)]
    if len(articles) != len(items):
        raise SystemExit(f"{len(items) - len(articles)} PolNeAR records could not be read")
    return articles


def load_features(articles: list, cache: Path | None) -> list:
    """Clustering features of the articles, from `cache` when it holds these ids."""
    from parallax.cluster.features import article_features

    ids = [a.id for a in articles]
    if cache is not None and cache.is_file():
        stored = pickle.loads(cache.read_bytes())
        if stored["ids"] == ids:
            return stored["features"]
    features = article_features(articles)
    if cache is not None:
        cache.write_bytes(pickle.dumps({"ids": ids, "features": features}))
    return features


def span_days(members: list[str], published: dict) -> float:
    """Days from the first to the last dated member (0 with fewer than two dates)."""
    times = [published[m] for m in members if published.get(m) is not None]
    return (max(times) - min(times)).total_seconds() / 86400 if len(times) > 1 else 0.0


def summarise(stories: list, published: dict) -> dict:
    """Sizes and time spans of a clustering."""
    sizes = sorted((len(s.articles) for s in stories), reverse=True)
    several = [s for s in stories if len(s.articles) > 1]
    spans = [span_days(s.articles, published) for s in several]
    return {
        "stories": len(stories),
        "singletons": sizes.count(1),
        "largest": sizes[:5],
        "stories_of_several": len(several),
        "of_them_spanning_over_30_days": sum(span > 30 for span in spans),
        "longest_span_days": round(max(spans, default=0.0), 1),
    }


def together(stories: list) -> set[tuple[str, str]]:
    """Every pair of articles put in one story."""
    pairs: set[tuple[str, str]] = set()
    for story in stories:
        pairs.update(itertools.combinations(sorted(story.articles), 2))
    return pairs


def blind_sample(uncapped: set, shipped: set, seed: int) -> list[tuple[str, tuple[str, str]]]:
    """(stratum, pair) drawn from the three strata, shuffled."""
    strata = {"A": uncapped & shipped, "B": uncapped - shipped, "C": shipped - uncapped}
    rng = random.Random(seed)
    drawn = []
    for name, pairs in strata.items():
        chosen = sorted(pairs)
        drawn += [(name, pair) for pair in rng.sample(chosen, min(SAMPLE[name], len(chosen)))]
    rng.shuffle(drawn)
    return drawn


def write_pairs(out: Path, drawn: list, articles: dict, sizes: dict) -> None:
    """pairs.jsonl (what a reader sees) and key.json (the strata) in `out`."""

    def view(article_id: str) -> dict:
        article = articles[article_id]
        return {
            "outlet": article.outlet,
            "date": article.published,
            "title": article.title,
            "lead": article.text[:1200],
        }

    out.mkdir(parents=True, exist_ok=True)
    with (out / "pairs.jsonl").open("w", encoding="utf-8") as handle:
        for number, (_, (a, b)) in enumerate(drawn, 1):
            row = {"pair": number, "first": view(a), "second": view(b)}
            handle.write(json.dumps(row) + "\n")
    key = {"strata": sizes, "pairs": {n: s for n, (s, _) in enumerate(drawn, 1)}}
    (out / "key.json").write_text(json.dumps(key, indent=1), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caps", default="inf,60", help="absorb_span_days values (inf: none)")
    parser.add_argument("--features", type=Path, help="pickle of the features (read or written)")
    parser.add_argument("--pairs", type=Path, help="write a blind pair sample into this folder")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args(argv)

    from parallax.cluster.stories import ClusterSettings, cluster_features

    articles = polnear_articles()
    features = load_features(articles, args.features)
    published = {f.id: f.published for f in features}
    print(f"{len(articles)} PolNeAR articles", file=sys.stderr)
    shipped = ClusterSettings()
    clustered: dict[float, list] = {}

    def stories_at(cap: float) -> list:
        """The stories with this cap, clustered once."""
        if cap not in clustered:
            settings = shipped.model_copy(update={"absorb_span_days": cap})
            clustered[cap] = cluster_features(features, settings)
        return clustered[cap]

    for cap in [float(value) for value in args.caps.split(",")]:
        label = "none" if math.isinf(cap) else f"{cap:g}"
        print(json.dumps({"absorb_span_days": label, **summarise(stories_at(cap), published)}))
    if args.pairs:
        uncapped = together(stories_at(math.inf))
        capped = together(stories_at(shipped.absorb_span_days))
        sizes = {
            "A": len(uncapped & capped),
            "B": len(uncapped - capped),
            "C": len(capped - uncapped),
        }
        drawn = blind_sample(uncapped, capped, args.seed)
        write_pairs(args.pairs, drawn, {a.id: a for a in articles}, sizes)
        print(f"{len(drawn)} pairs in {args.pairs} (strata {sizes})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
