"""Story assignments of the clusterer on fixed inputs, to check that a speed change changes none.

`record` clusters a few fixed inputs and writes every article's story id (and the settings a
fit on ECB+ topics finds) to a JSON file; `check` does the same with the code as it is now and
lists every article whose story differs. The inputs:

- the synthetic corpora of `cluster_scale.py` (same base texts, seed, feed rate and quiet
  window), 10k and 30k articles by default;
- ECB+ (../shared/data/ecbplus-dev) with the shipped weights, in labels.tsv order in one run,
  and shuffled (seed 1) in runs of 50 articles settled one after the other;
- the settings `fit_settings` finds on six ECB+ topics (exercises `add_known`).

Features are computed once with the real models and kept in a pickle (`--features`, outside
the repository), so a record and a later check read the very same numbers.

    .venv/bin/python benchmarks/cluster_identity.py record /tmp/stories-before.json
    .venv/bin/python benchmarks/cluster_identity.py check /tmp/stories-before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ECB = HERE.parent / ".." / "shared" / "data" / "ecbplus-dev"
# Six ECB+ topics the fit runs on (as in tests/test_cluster_ecb.py).
FIT_TOPICS = {"4", "5", "10", "11", "12", "14"}


def _scale_module():
    sys.path.insert(0, str(HERE))
    import cluster_scale

    return cluster_scale


def cached_features(path: Path, base_size: int) -> dict:
    """Base features of the synthetic corpora and ECB+ features, computed once and pickled."""
    if path.is_file():
        with path.open("rb") as handle:
            return pickle.load(handle)
    from parallax.cluster.features import article_features
    from parallax.evaluate.ecb import read_articles, read_labels

    base, origin = _scale_module().base_features(base_size)
    data = {"base": base, "origin": origin, "ecb": None, "files": None}
    if (ECB / "labels.tsv").is_file():
        files = read_labels(ECB)
        articles, failed = read_articles(files)
        if failed:
            raise SystemExit(f"{ECB}: unreadable files: {failed[:3]}")
        data["ecb"], data["files"] = article_features(articles), files
    with path.open("wb") as handle:
        pickle.dump(data, handle)
    return data


def assignments(data: dict, sizes: list[int], ecb: bool = True) -> dict[str, dict]:
    """Set name -> {article id: story id} (or the fitted settings) for every input."""
    from parallax.cluster.learn import fit_settings
    from parallax.cluster.stories import ClusterSettings, StoryClusterer
    from parallax.evaluate.ecb import arrival_plan, cluster_in_parts

    out: dict[str, dict] = {}
    scale = _scale_module()
    for size in sizes:
        began = time.perf_counter()
        features, _ = scale.synthetic_corpus(data["base"], size, per_day=3000)
        clusterer = StoryClusterer(ClusterSettings(quiet_hours=168.0))
        clusterer.add_many(features)
        clusterer.settle()
        out[f"synthetic-{size}"] = {f.id: clusterer.story_of(f.id) for f in features}
        print(f"synthetic {size}: {time.perf_counter() - began:.1f}s", file=sys.stderr)
    features, files = data["ecb"], data["files"]
    if ecb and features is not None:
        whole = arrival_plan(len(features), None, None)
        out["ecb-in-order"] = cluster_in_parts(features, None, whole)
        parts = arrival_plan(len(features), shuffle=1, batch=50)
        out["ecb-shuffled-runs-of-50"] = cluster_in_parts(features, None, parts)
        began = time.perf_counter()
        chosen = [(f, item) for f, item in zip(files, features, strict=True)]
        chosen = [(f, item) for f, item in chosen if f.topic in FIT_TOPICS]
        fit = fit_settings([item for _, item in chosen], {f.doc: f.story for f, _ in chosen})
        out["ecb-fit-settings"] = fit.settings.model_dump()
        print(f"fit: {time.perf_counter() - began:.1f}s", file=sys.stderr)
    return out


def digest(values: dict) -> str:
    """A short hash of one set's assignment (or settings), to compare at a glance."""
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "check"])
    parser.add_argument("file", type=Path, help="JSON of recorded assignments")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--base", type=int, default=400)
    parser.add_argument(
        "--features", type=Path, default=Path("/tmp/parallax-identity-features.pkl")
    )
    parser.add_argument("--no-ecb", action="store_true", help="only the synthetic corpora")
    args = parser.parse_args(argv)
    # As in cluster_scale.py: numerical libraries on 2 threads.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "2"
    data = cached_features(args.features, args.base)
    now = assignments(data, args.sizes, ecb=not args.no_ecb)
    if args.mode == "record":
        args.file.write_text(json.dumps(now, sort_keys=True))
        for name, values in now.items():
            print(f"{name}: {len(values)} entries, {digest(values)}")
        return 0
    recorded = json.loads(args.file.read_text())
    differ = 0
    for name, values in now.items():
        before = recorded.get(name)
        if before is None:
            print(f"{name}: not recorded")
            continue
        changed = sorted(k for k in before.keys() | values.keys() if before.get(k) != values.get(k))
        differ += len(changed)
        state = "IDENTICAL" if not changed else f"{len(changed)} DIFFER, e.g. {changed[:5]}"
        print(f"{name}: {len(values)} entries, {digest(values)}: {state}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
