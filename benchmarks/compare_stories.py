"""The comparison stage of a batch run, story by story: sizes, CPU seconds, what grows.

Reads the stories and stored analyses of a `parallax batch` output folder (kept with
`benchmarks/batch.py --keep DIR`) and builds every dossier again in this one process, in the
run's story order (one embedder and its cache for all, as one worker holding every group):

- per story (JSON Lines on stdout): articles, claim units, stance positions, texts sent to the
  embedder and texts it actually ran (cache misses), CPU seconds of `build_dossier`, and the
  wall seconds of its stages (`build_dossier(timings=...)`);
- with `--profile`: a cProfile per story (CPU clock), the cumulative CPU seconds of the main
  steps per story, and its functions' own CPU time summed per bucket of
  story size (claim units), as a table on stderr: what grows faster than the stories;
- with `--write DIR2`: each dossier rendered as JSON into DIR2, to compare with `cmp`.

    nice .venv/bin/python benchmarks/compare_stories.py DIR [--profile] [--write DIR2]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

from parallax.batch.state import RunState, read_analyses
from parallax.compare.conflicts import find_positions
from parallax.compare.dossier import _is_headline, build_actors, build_dossier
from parallax.embed import load_embedder
from parallax.model import AnalyzedArticle
from parallax.report import render

# Story sizes (claim units) at which the profile table is cut into buckets.
BUCKETS = (0, 100, 200, 400, 800, 1600, 10**9)


# Functions of `build_dossier` whose cumulative CPU seconds are given per story (--profile).
STAGES = (
    "build_actors",
    "unit_vectors",
    "nearest_pairs",
    "align_claims",
    "quote_extensions",
    "find_elaborations",
    "_numeric_conflicts",
    "_factual_conflicts",
    "_stance_conflicts",
    "positions_needing_vectors",
    "find_stance_conflicts",
    "_accusation_conflicts",
    "embed",
)


def load_stories(out: Path) -> list[list[AnalyzedArticle]]:
    """The analysed articles of every story of a batch output folder, in the run's order."""
    path = out / ".parallax" / "state.sqlite"
    state = RunState(path)
    stories = list(state.stories())
    state.close()
    return [
        [AnalyzedArticle.model_validate_json(zlib.decompress(b).decode()) for b in blobs]
        for blobs in (read_analyses(path, story) for story in stories)
    ]


class CountingEmbed:
    """Wraps the embedder's `embed` to count texts asked for and texts run (cache misses)."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.inner = embedder.embed
        self.asked = 0
        self.ran = 0

    def __call__(self, texts):
        self.asked += len(texts)
        self.ran += sum(1 for t in texts if t not in self.embedder._cache)
        return self.inner(texts)


def bucket_of(units: int) -> str:
    """The label of the size bucket holding a story of `units` claim units."""
    for low, high in zip(BUCKETS, BUCKETS[1:], strict=False):
        if low <= units < high:
            return f"{low}-{high - 1}" if high < 10**9 else f"{low}+"
    return "?"


def function_name(key: tuple) -> str:
    """A short name for a pstats key (file, line, function)."""
    file, line, name = key
    return f"{Path(file).stem}:{name}" if line else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--write", type=Path, default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories")
    parser.add_argument("--only", type=int, nargs="+", default=None, help="only these stories")
    args = parser.parse_args()
    stories = load_stories(args.out)[: args.limit]
    numbers = args.only if args.only is not None else range(len(stories))
    embedder = load_embedder()
    counter = CountingEmbed(embedder)
    embedder.embed = counter  # the instance attribute shadows the method for every caller
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
    own: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    bucket_cpu: dict[str, float] = defaultdict(float)
    bucket_units: dict[str, int] = defaultdict(int)
    bucket_stories: dict[str, int] = defaultdict(int)
    total_cpu = 0.0
    for number in numbers:
        analyzed = stories[number]
        _, _, canonical = build_actors(analyzed)
        units = sum(1 for a in analyzed for u in a.claims if not _is_headline(u, a))
        positions = len(find_positions([t for a in analyzed for t in a.attributions], canonical))
        asked, ran = counter.asked, counter.ran
        timings: dict[str, float] = {}
        profile = cProfile.Profile(time.process_time) if args.profile else None
        start = time.process_time()
        if profile:
            profile.enable()
        dossier = build_dossier(analyzed, timings=timings)
        if profile:
            profile.disable()
        cpu = time.process_time() - start
        total_cpu += cpu
        bucket = bucket_of(units)
        bucket_cpu[bucket] += cpu
        bucket_units[bucket] += units
        bucket_stories[bucket] += 1
        stages: dict[str, float] = {}
        if profile:
            for key, row in pstats.Stats(profile).stats.items():
                own[bucket][function_name(key)] += row[2]
                if key[2] in STAGES and key[2] not in stages:
                    stages[key[2]] = round(row[3], 3)
        if args.write:
            (args.write / f"{dossier.story}.json").write_text(render(dossier, "json"), "utf-8")
        row = {
            "story": number,
            "id": dossier.story,
            "articles": len(analyzed),
            "units": units,
            "positions": positions,
            "claims": len(dossier.claims),
            "embed_asked": counter.asked - asked,
            "embed_ran": counter.ran - ran,
            "cpu": round(cpu, 3),
            "wall": {k: round(v, 3) for k, v in timings.items()},
            "cpu_in": stages,
        }
        print(json.dumps(row), flush=True)
    print(f"total CPU {total_cpu:.1f} s over {len(stories)} stories", file=sys.stderr)
    if args.profile:
        report_profile(own, bucket_cpu, bucket_units, bucket_stories, args.top)


def report_profile(own, bucket_cpu, bucket_units, bucket_stories, top: int) -> None:
    """Own CPU seconds per function and size bucket, per 1,000 claim units, on stderr."""
    buckets = [b for b in (bucket_of(low) for low in BUCKETS[:-1]) if b in bucket_cpu]
    totals: dict[str, float] = defaultdict(float)
    for bucket in buckets:
        for name, seconds in own[bucket].items():
            totals[name] += seconds
    header = "function | " + " | ".join(buckets)
    print("\nown CPU s per 1,000 claim units, by story size (claim units)", file=sys.stderr)
    print(header, file=sys.stderr)
    print(
        "stories / units | "
        + " | ".join(f"{bucket_stories[b]} / {bucket_units[b]}" for b in buckets),
        file=sys.stderr,
    )
    print(
        "all (CPU s) | " + " | ".join(f"{bucket_cpu[b]:.1f}" for b in buckets),
        file=sys.stderr,
    )
    for name, _ in sorted(totals.items(), key=lambda item: -item[1])[:top]:
        cells = [f"{1000 * own[b].get(name, 0.0) / max(bucket_units[b], 1):.2f}" for b in buckets]
        print(f"{name} ({totals[name]:.1f} s) | " + " | ".join(cells), file=sys.stderr)


if __name__ == "__main__":
    main()
