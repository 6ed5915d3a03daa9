"""Throughput of `parallax extract` on the 181 AEB pages against plain trafilatura, same run.

Both sides read the gzipped HTML files from disk. parallax goes through `read_inputs` (content
sniffing, gunzip, charset detection, trafilatura in precision mode, metadata, author
normalisation, furniture marking, batch pass) and builds the JSON record `parallax extract`
prints; the baseline calls `trafilatura.extract` with default options on the same bytes, and a
second baseline `bare_extraction` with metadata in precision mode (what parallax asks of it).
Usage: python benchmarks/extraction.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction-aeb"


def run_parallax(paths: list[Path]) -> int:
    from parallax.ingest.sources import extract_record, read_inputs
    from parallax.model import Article

    count = 0
    for item in read_inputs([str(p) for p in paths]):
        if isinstance(item, Article):
            json.dumps(extract_record(item), ensure_ascii=False)
            count += 1
    return count


def run_trafilatura(paths: list[Path]) -> int:
    import trafilatura

    count = 0
    for path in paths:
        if trafilatura.extract(gzip.decompress(path.read_bytes())):
            count += 1
    return count


def run_trafilatura_metadata(paths: list[Path]) -> int:
    import trafilatura

    count = 0
    for path in paths:
        html = gzip.decompress(path.read_bytes())
        if trafilatura.bare_extraction(html, with_metadata=True, favor_precision=True):
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not ROOT.is_dir():
        sys.exit(f"{ROOT} is absent: the benchmark needs ../shared/data/extraction-aeb")
    paths = sorted((ROOT / "html").glob("*.html.gz"))
    run_trafilatura(paths[:5])  # warm imports and caches for both sides
    run_parallax(paths[:5])
    results = {}
    runners = (
        ("trafilatura", run_trafilatura),
        ("trafilatura_precision_metadata", run_trafilatura_metadata),
        ("parallax", run_parallax),
    )
    for name, runner in runners:
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            done = runner(paths)
            best = min(best, time.perf_counter() - start)
        results[name] = {
            "pages": len(paths),
            "extracted": done,
            "seconds": round(best, 2),
            "pages_per_second": round(len(paths) / best, 1),
        }
    ratio = results["parallax"]["pages_per_second"] / results["trafilatura"]["pages_per_second"]
    print(json.dumps({**results, "parallax_vs_trafilatura": round(ratio, 2)}, indent=2))


if __name__ == "__main__":
    main()
