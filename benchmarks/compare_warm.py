"""CPU seconds of the comparison beyond the embedding: every dossier of a kept batch run built
with the embedder's cache already holding every text it will ask for.

`--save FILE` builds every dossier once and stores the embedder's cache (texts and vectors) in
FILE; `--load FILE` fills the cache from it first, then builds every dossier `--repeat` times
and prints the CPU seconds of each pass (one process, one thread), for the largest story and
for the rest (`--write DIR2`: the dossiers as JSON, not timed). The vectors are those the embedder gave, so the dossiers are the same.

    nice .venv/bin/python benchmarks/compare_warm.py DIR --save /tmp/cache.npz
    nice .venv/bin/python benchmarks/compare_warm.py DIR --load /tmp/cache.npz [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_stories import load_stories  # noqa: E402
from parallax.compare.dossier import build_dossier  # noqa: E402
from parallax.embed import load_embedder  # noqa: E402
from parallax.report import render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--save", type=Path, default=None)
    parser.add_argument("--load", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", type=Path, default=None, help="dossiers as JSON here")
    args = parser.parse_args()
    stories = load_stories(args.out)
    embedder = load_embedder()
    embedder._cache_size = 10**7  # every text of the run stays cached
    if args.load:
        stored = np.load(args.load, allow_pickle=False)
        for text, vector in zip(stored["texts"].tolist(), stored["vectors"], strict=True):
            embedder._cache[text] = vector
    loaded = len(embedder._cache)
    largest = max(range(len(stories)), key=lambda i: len(stories[i]))
    for _ in range(args.repeat):
        seconds: dict[str, float] = {"largest": 0.0, "rest": 0.0}
        for number, analyzed in enumerate(stories):
            start = time.process_time()
            dossier = build_dossier(analyzed)
            seconds["largest" if number == largest else "rest"] += time.process_time() - start
            if args.write:
                args.write.mkdir(parents=True, exist_ok=True)
                path = args.write / f"{dossier.story}.json"
                path.write_text(render(dossier, "json"), "utf-8")
        seconds["embedded"] = len(embedder._cache) - loaded  # texts the cache did not hold
        print(json.dumps({k: round(v, 2) for k, v in seconds.items()}), flush=True)
    if args.save:
        texts = list(embedder._cache)
        vectors = np.stack([embedder._cache[t] for t in texts])
        np.savez(args.save, texts=np.array(texts), vectors=vectors)


if __name__ == "__main__":
    main()
