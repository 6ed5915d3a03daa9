"""Throughput of `parallax compare` on one story of 50 articles, and its scaling to 300.

Stories are built from real texts: PolNeAR dev texts (then train texts for larger sizes) when
../shared/data/polnear is present, else the bundled examples repeated. For each size the run
times, in one process: spaCy's parse alone (the baseline, same texts), the analysis (parse +
attribution + claims + framing), and each stage of `build_dossier` (actors, embed, align,
relations, conflicts, rest) plus the HTML report. The ratio is parse-alone seconds over
analyze+compare seconds (1.0 would mean compare costs no more than parsing).

    python benchmarks/compare_scale.py [--sizes 50,100,300] [--threads 1]

Prints one JSON object per size on stdout and a readable line per size on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def corpus(size: int) -> tuple[list[tuple[str, str]], str]:
    """(name, text) pairs of `size` real articles, and the name of the set."""
    files: list[Path] = []
    for split in ("dev", "train"):
        folder = POLNEAR / split / "text"
        if folder.is_dir():
            files += sorted(folder.glob("*.txt"))
    if len(files) >= size:
        chosen = files[:size]
        splits = "dev" if size <= 84 else "dev+train"
        return [(f.name, f.read_text("utf-8")) for f in chosen], f"polnear-{splits}[:{size}]"
    examples = sorted((REPO / "examples").glob("*.txt"))
    texts = [(f"{i}-{f.name}", f.read_text("utf-8")) for i, f in enumerate(examples * size)]
    return texts[:size], "examples (repeated)"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,300", help="comma-separated story sizes")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from parallax.analyze import analyze_articles
    from parallax.compare.dossier import build_dossier
    from parallax.embed import load_embedder
    from parallax.ingest.sources import article_from_text
    from parallax.nlp.pipeline import load_nlp, load_spacy
    from parallax.report.html import to_html

    bare = load_spacy()
    nlp = load_nlp()
    embedder = load_embedder()
    embedder.embed(["warm up"])
    list(bare.pipe(["Warm up the parser."]))
    list(nlp.pipe(["Warm up the parser."]))

    for size in (int(s) for s in args.sizes.split(",")):
        texts, name = corpus(size)
        articles = [article_from_text(text, name_) for name_, text in texts]
        words = sum(len(a.text.split()) for a in articles)

        start = time.perf_counter()
        for _ in bare.pipe((a.masked_text() for a in articles), batch_size=16):
            pass
        parse_seconds = time.perf_counter() - start

        cache = getattr(embedder, "_cache", None)
        if cache is not None:
            cache.clear()  # no credit for vectors of an earlier run
        start = time.perf_counter()
        analyzed = analyze_articles(articles, nlp=nlp)
        analyze_seconds = time.perf_counter() - start

        stages: dict[str, float] = {}
        start = time.perf_counter()
        dossier = build_dossier(analyzed, timings=stages)
        compare_seconds = time.perf_counter() - start

        start = time.perf_counter()
        html = to_html(dossier)
        report_seconds = time.perf_counter() - start

        total = analyze_seconds + compare_seconds
        result = {
            "set": name,
            "articles": len(articles),
            "words": words,
            "claim_units": sum(len(a.claims) for a in analyzed),
            "claims": len(dossier.claims),
            "conflicts": len(dossier.conflicts),
            "spacy_parse_alone_s": round(parse_seconds, 2),
            "analyze_s": round(analyze_seconds, 2),
            "compare_s": round(compare_seconds, 2),
            "compare_stages_s": {k: round(v, 2) for k, v in stages.items()},
            "html_report_s": round(report_seconds, 2),
            "html_bytes": len(html.encode("utf-8")),
            "analyze_plus_compare_s": round(total, 2),
            "ratio_parse_to_total": round(parse_seconds / total, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
        print(json.dumps(result), flush=True)
        print(
            f"{name}: {len(articles)} articles, parse alone {parse_seconds:.1f}s, analyze "
            f"{analyze_seconds:.1f}s, compare {compare_seconds:.1f}s {result['compare_stages_s']},"
            f" html {report_seconds:.1f}s; ratio {result['ratio_parse_to_total']}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
