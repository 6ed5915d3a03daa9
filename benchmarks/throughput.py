"""Throughput and memory of `parallax compare` against spaCy's parse alone, in one process.

Both runs see the same texts: the bundled examples, plus the seed articles and PolNeAR dev
texts when ../shared is present (grouped into stories of `--story-size` articles, as compare
would see them). Figures go to stdout as one JSON object, plus a readable summary on stderr.

    python benchmarks/throughput.py [--story-size 10] [--limit 60] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def corpus(limit: int) -> tuple[list[str], str]:
    """Texts to run on, and a name for the set."""
    polnear = SHARED / "data" / "polnear" / "dev" / "text"
    if polnear.is_dir():
        files = sorted(polnear.glob("*.txt"))[:limit]
        return [f.read_text("utf-8") for f in files], f"polnear-dev[:{len(files)}]"
    files = sorted((REPO / "examples").glob("*.txt"))
    return [f.read_text("utf-8") for f in files] * max(1, limit // len(files)), "examples"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="number of articles")
    parser.add_argument("--story-size", type=int, default=10, help="articles per dossier")
    parser.add_argument("--repeat", type=int, default=2, help="timed repetitions (best kept)")
    args = parser.parse_args()

    from parallax.analyze import analyze_articles
    from parallax.compare.dossier import build_dossier
    from parallax.embed import load_embedder
    from parallax.ingest.sources import article_from_text
    from parallax.nlp.pipeline import load_nlp, load_spacy

    texts, name = corpus(args.limit)
    articles = [article_from_text(t, f"bench-{i}.txt") for i, t in enumerate(texts)]
    chars = sum(len(t) for t in texts)

    # Load (and warm) every model before timing: start-up is not throughput.
    baseline_nlp = load_spacy()
    nlp = load_nlp()
    load_embedder().embed(["warm up"])
    list(baseline_nlp.pipe(texts[:2]))
    rss_models = peak_rss_mb()

    def parse_only() -> None:
        for _ in baseline_nlp.pipe((a.masked_text() for a in articles), batch_size=16):
            pass

    def full_compare() -> None:
        load_embedder()._cache.clear()  # no credit for vectors cached by an earlier repetition
        analyzed = analyze_articles(articles, nlp=nlp)
        for begin in range(0, len(analyzed), args.story_size):
            build_dossier(analyzed[begin : begin + args.story_size])

    def best_of(run) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return min(times)

    parse_seconds = best_of(parse_only)
    compare_seconds = best_of(full_compare)
    result = {
        "set": name,
        "articles": len(articles),
        "characters": chars,
        "story_size": args.story_size,
        "spacy_parse_articles_per_s": round(len(articles) / parse_seconds, 2),
        "compare_articles_per_s": round(len(articles) / compare_seconds, 2),
        "compare_to_parse_ratio": round(parse_seconds / compare_seconds, 3),
        "peak_rss_mb_models_loaded": round(rss_models, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "threads": "1 (ONNX Runtime intra-op); spaCy single process",
    }
    print(json.dumps(result))
    print(
        f"{name}: compare {result['compare_articles_per_s']} articles/s, spaCy parse alone "
        f"{result['spacy_parse_articles_per_s']} articles/s (ratio "
        f"{result['compare_to_parse_ratio']}), peak RSS {result['peak_rss_mb']} MiB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
