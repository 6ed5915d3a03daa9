"""`parallax batch` end to end against spaCy's parse alone, with the same number of processes.

Input: PolNeAR texts (../shared/data/polnear, train then dev, cycled up to `--limit`) written as
one JSON Lines file with their titles, outlets and dates from metadata.tsv, as a crawl export
would give them. Each run starts from an empty output folder and is timed from the call to the
last file written, worker start-up and model loading included (the baseline's children start
from a loaded model, so it pays less start-up). Peak memory is the largest sum of resident
memory (VmRSS) over this process and all its descendants (worker processes, Ray's processes),
sampled every 0.2 s.

Runs, each in turn:
- baseline: `load_spacy().pipe(texts, n_process=W)` (tagger, parser, NER; nothing else);
- batch: `run_batch(..., engine="local", workers=W)`: ingest, analysis, clustering features,
  story clustering, one dossier per story, Parquet tables;
- with `--ray`: the same on Ray (a local instance with W CPUs, actor pools of W).

`--scaling-limit N` repeats baseline and batch with 1 and 2 workers on the first N articles.
One JSON object per run on stdout; a summary on stderr.

    nice .venv/bin/python benchmarks/batch.py [--limit 1000] [--workers 2] [--ray]
        [--ray-limit N] [--scaling-limit 100] [--skip-main] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def polnear_records(limit: int) -> list[dict]:
    """PolNeAR texts with their metadata as JSON Lines records, cycled up to `limit`."""
    meta = {}
    lines = (POLNEAR / "metadata.tsv").read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        meta[row["filename"]] = row
    files = sorted((POLNEAR / "train" / "text").glob("*.txt"))
    files += sorted((POLNEAR / "dev" / "text").glob("*.txt"))
    records = []
    for i in range(limit):
        path = files[i % len(files)]
        row = meta.get(path.stem, {})
        records.append(
            {
                "text": path.read_text("utf-8"),
                "title": row.get("title"),
                "outlet": row.get("publisher"),
                "published": row.get("publication_date"),
                "url": f"https://example.org/{i}/{path.stem}",
            }
        )
    return records


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1024


class PeakMemory:
    """Samples the process tree's resident memory in a thread; `peak` is the largest sum."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0.0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            self._stop.wait(self._every)


def run_baseline(texts: list[str], workers: int) -> dict:
    from parallax.nlp.pipeline import load_spacy

    nlp = load_spacy()
    list(nlp.pipe(["Warm up the model before timing."]))
    with PeakMemory() as memory:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16, n_process=workers):
            pass
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(memory.peak)}


def run_parallax_batch(source: Path, workers: int, engine: str, keep: Path | None = None) -> dict:
    """One timed `parallax batch` run from an empty folder; the folder is removed after, or
    moved to `keep` (to compare the outputs of two versions)."""
    from parallax.batch.pipeline import BatchOptions, run_batch

    out = Path(tempfile.mkdtemp(prefix=f"bench-batch-{engine}-"))
    try:
        with PeakMemory() as memory:
            start = time.perf_counter()
            report = run_batch(
                [str(source)],
                BatchOptions(out=out, workers=workers, engine=engine, show_progress=False),
            )
            seconds = time.perf_counter() - start
    finally:
        if keep is not None and out.is_dir():
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(out, keep)
        shutil.rmtree(out, ignore_errors=True)
    if engine == "ray":
        import ray

        ray.shutdown()
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(memory.peak),
        "stories": report.stories,
        "stage_seconds": report.seconds,
    }


def compare_runs(
    name: str,
    records: list[dict],
    workers: int,
    engine: str,
    folder: Path,
    baseline: dict | None = None,
    keep: Path | None = None,
) -> dict:
    """Baseline and batch on the same records with `workers` processes; the ratio of rates.
    A baseline measured already on the same records and workers can be passed in."""
    source = folder / f"{name}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    baseline = baseline or run_baseline([r["text"] for r in records], workers)
    batch = run_parallax_batch(source, workers, engine, keep)
    count = len(records)
    result = {
        "run": name,
        "engine": engine,
        "workers": workers,
        "articles": count,
        "baseline_articles_per_s": round(count / baseline["seconds"], 2),
        "batch_articles_per_s": round(count / batch["seconds"], 2),
        "ratio_to_parse": round(baseline["seconds"] / batch["seconds"], 3),
        "baseline": baseline,
        "batch": batch,
    }
    print(json.dumps(result), flush=True)
    print(
        f"{name}: {engine} batch {result['batch_articles_per_s']} articles/s vs spaCy parse "
        f"{result['baseline_articles_per_s']} articles/s with {workers} processes: ratio "
        f"{result['ratio_to_parse']}; peak {batch['peak_rss_mb']} MiB (parse alone "
        f"{baseline['peak_rss_mb']} MiB); stages {batch['stage_seconds']}",
        file=sys.stderr,
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="articles in the main runs")
    parser.add_argument("--workers", type=int, default=2, help="processes in the main runs")
    parser.add_argument("--ray", action="store_true", help="also run on a local Ray instance")
    parser.add_argument(
        "--scaling-limit", type=int, default=0, help="articles for the 1 -> 2 worker runs"
    )
    parser.add_argument(
        "--ray-limit", type=int, default=0, help="articles in the Ray run (default: --limit)"
    )
    parser.add_argument(
        "--skip-main", action="store_true", help="no local main run (scaling and Ray only)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the main run's output folder here"
    )
    args = parser.parse_args()
    if not (POLNEAR / "metadata.tsv").is_file():
        print(f"skipped: PolNeAR not found at {POLNEAR} (../shared/data)", file=sys.stderr)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ray_limit = args.ray_limit or args.limit
    records = polnear_records(max(args.limit, args.scaling_limit, ray_limit))
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        main_run = None
        if not args.skip_main:
            main_run = compare_runs(
                "main", records[: args.limit], args.workers, "local", folder, keep=args.keep
            )
        if args.scaling_limit:
            one = compare_runs("scaling", records[: args.scaling_limit], 1, "local", folder)
            two = compare_runs("scaling", records[: args.scaling_limit], 2, "local", folder)
            speedup = two["batch_articles_per_s"] / one["batch_articles_per_s"]
            parse_speedup = two["baseline_articles_per_s"] / one["baseline_articles_per_s"]
            print(
                json.dumps(
                    {
                        "run": "scaling-summary",
                        "articles": args.scaling_limit,
                        "batch_speedup_1_to_2": round(speedup, 2),
                        "parse_speedup_1_to_2": round(parse_speedup, 2),
                    }
                ),
                flush=True,
            )
        if args.ray:
            same = main_run is not None and ray_limit == args.limit
            compare_runs(
                "main-ray",
                records[:ray_limit],
                args.workers,
                "ray",
                folder,
                baseline=main_run["baseline"] if same else None,
            )


if __name__ == "__main__":
    main()
