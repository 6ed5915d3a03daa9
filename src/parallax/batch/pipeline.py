"""The driver of a batch run: ingest → analyze → cluster → compare → tables, resumable.

Output folder (`--out DIR`):

    articles/part-NNNNNN.parquet      one row per article (metadata, text, counts), per chunk
    attributions/part-NNNNNN.parquet  one row per attribution (who said what), per chunk
    claims/part-NNNNNN.parquet        one row per claim of a dossier, per group of stories
    conflicts/part-NNNNNN.parquet     one row per conflict of a dossier, per group of stories
    stories.parquet                   one row per story: its articles and its dossier file
    dossiers/STORY.json|md|html       one dossier per story
    errors.jsonl                      inputs and articles that could not be processed
    manifest.json                     what the last complete run did
    .parallax/                        the run's state (resume) and chunks waiting for analysis

Memory stays bounded: inputs are streamed into staged chunks of `chunk_size` articles on disk;
a chunk's analyses and clustering features go to the state as soon as it is done; clustering
reads features back one at a time in arrival order; a group of stories loads only its own
articles' analyses. Only ids and small per-article numbers are held for the whole corpus
(besides the story clusterer's own state).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from parallax.batch import stages
from parallax.batch.progress import Progress
from parallax.batch.state import RunState
from parallax.errors import InputError
from parallax.report import tables

STATE_DIR = ".parallax"
# Articles per staged chunk: the unit of analysis work and of the articles/attributions parts.
CHUNK_SIZE = 32
# A group of stories is closed once it holds this many articles (one part of claims/conflicts).
GROUP_ARTICLES = 64
EXTENSIONS = {"json": "json", "md": "md", "html": "html"}


@dataclass
class BatchOptions:
    """How a batch run is done (see `parallax batch --help`)."""

    out: Path
    workers: int | None = None
    engine: str = "local"
    address: str | None = None
    format: str = "json"
    chunk_size: int = CHUNK_SIZE
    group_articles: int = GROUP_ARTICLES
    allow_private: bool | None = None
    show_progress: bool = True
    # The stories' quiet window in hours (None: the clusterer's default).
    quiet_hours: float | None = None


@dataclass
class BatchReport:
    """What a run did; `parallax batch` prints it as one JSON object."""

    out: str
    engine: str
    workers: int = 0
    read: int = 0
    new: int = 0
    seen_before: int = 0
    failed_inputs: int = 0
    analysed: int = 0
    failed_articles: int = 0
    articles: int = 0
    stories: int = 0
    dossiers_built: int = 0
    dossiers_kept: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def run_batch(
    inputs: Iterable[str],
    options: BatchOptions,
    on_error: Callable[[InputError], None] | None = None,
) -> BatchReport:
    """Run every stage that is not done yet for `inputs` into `options.out`."""
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    remove_temporary_files(out)
    state = RunState(out / STATE_DIR / "state.sqlite")
    report = BatchReport(out=str(out), engine=options.engine)
    errors: list[dict] = []

    def failed(error: InputError) -> None:
        errors.append({"source": error.source, "reason": error.reason})
        if on_error is not None:
            on_error(error)

    engines = _Engines(options)
    try:
        clock = time.monotonic()
        ingest(inputs, state, out, options, report, failed)
        report.seconds["ingest"] = round(time.monotonic() - clock, 2)

        clock = time.monotonic()
        pending = state.pending_chunks()
        if pending:
            analyze(pending, state, out, engines, options, report)
        report.seconds["analyze"] = round(time.monotonic() - clock, 2)

        clock = time.monotonic()
        cluster(state, options)
        report.seconds["cluster"] = round(time.monotonic() - clock, 2)

        clock = time.monotonic()
        compare(state, out, engines, options, report)
        report.seconds["compare"] = round(time.monotonic() - clock, 2)

        for article_id, reason in state.errors():
            errors.append({"source": article_id, "reason": reason})
        report.failed_articles = len(state.errors())
        report.articles = len(state.seq_of_ids())
        report.workers = engines.workers
        _write_json_lines(out / "errors.jsonl", errors)
        _write_manifest(out, report, options)
        return report
    finally:
        engines.close()
        state.close()


class _Engines:
    """The engine, started on first use only (a run with nothing left to do starts none)."""

    def __init__(self, options: BatchOptions) -> None:
        self._options = options
        self._engine = None

    def get(self):
        if self._engine is None:
            from parallax.batch.engines import make_engine

            options = self._options
            self._engine = make_engine(options.engine, options.workers, options.address)
        return self._engine

    @property
    def workers(self) -> int:
        return self._engine.workers if self._engine is not None else 0

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()


# --- stage 1: ingest -------------------------------------------------------------------------


def ingest(
    inputs: Iterable[str],
    state: RunState,
    out: Path,
    options: BatchOptions,
    report: BatchReport,
    failed: Callable[[InputError], None],
) -> None:
    """Read every input (streamed, in order) and stage the articles not yet taken in, in chunks.

    An article is taken in once: one with the same id and digest is already done; one with the
    same id and another digest (two files with one name in different folders, or an input
    changed since the last run) is refused with an error rather than mixed into the outputs.
    """
    from parallax.ingest.sources import read_inputs, read_options

    known = state.known_digests()
    seq = state.next_seq()
    chunk = state.next_chunk()
    staged: list[stages.StagedArticle] = []
    chunks_dir = out / STATE_DIR / "chunks"
    chunks_dir.mkdir(parents=True, exist_ok=True)
    progress = _progress(options, "read", None)

    def flush() -> None:
        nonlocal chunk
        if not staged:
            return
        stages.write_staged(chunk_path(out, chunk), staged)
        state.add_chunk(chunk, [(s.seq, s.article.id, s.digest) for s in staged])
        chunk += 1
        staged.clear()

    for item in read_inputs(inputs, read_options(allow_private=options.allow_private)):
        if isinstance(item, InputError):
            report.failed_inputs += 1
            failed(item)
            continue
        report.read += 1
        progress.advance()
        digest = stages.article_digest(item)
        taken = known.get(item.id)
        if taken == digest:
            report.seen_before += 1
            continue
        if taken is not None:
            report.failed_inputs += 1
            failed(
                InputError(
                    source=item.source,
                    reason=f"article id {item.id!r} is already taken by another input with "
                    "different content (ids come from file names: rename one)",
                )
            )
            continue
        known[item.id] = digest
        staged.append(stages.StagedArticle(seq, digest, item))
        seq += 1
        report.new += 1
        if len(staged) >= options.chunk_size:
            flush()
    flush()
    progress.close()


def chunk_path(out: Path, chunk: int) -> Path:
    return out / STATE_DIR / "chunks" / f"c{chunk:06d}.jsonl.gz"


def part_path(out: Path, table: str, number: int) -> Path:
    return out / table / f"part-{number:06d}.parquet"


# --- stage 2: analyze ------------------------------------------------------------------------


def analyze(
    pending: list[int],
    state: RunState,
    out: Path,
    engines: _Engines,
    options: BatchOptions,
    report: BatchReport,
) -> None:
    """Analyse the staged chunks; write each chunk's parts, then record it done."""
    sizes = state.chunk_sizes(pending)
    progress = _progress(options, "analyze", sum(sizes.values()))
    work = [(chunk, str(chunk_path(out, chunk))) for chunk in pending]
    for result in engines.get().analyze(work):
        tables.write_parquet(
            result.articles, tables.ARTICLES, part_path(out, "articles", result.chunk)
        )
        tables.write_parquet(
            result.attributions, tables.ATTRIBUTIONS, part_path(out, "attributions", result.chunk)
        )
        state.finish_chunk(result.chunk, result.analysed)
        chunk_path(out, result.chunk).unlink(missing_ok=True)
        report.analysed += len(result.analysed)
        progress.advance(len(result.analysed))
    progress.close()


# --- stage 3: cluster ------------------------------------------------------------------------


def cluster(state: RunState, options: BatchOptions) -> None:
    """Group every analysed article into stories, in arrival order, unless the set of articles
    is the one clustered last time. Features are read back one article at a time."""
    from threadpoolctl import threadpool_limits

    from parallax.cluster.features import ArticleFeatures
    from parallax.cluster.stories import ClusterSettings, StoryClusterer, arrival_order

    settings = ClusterSettings()
    if options.quiet_hours is not None:
        settings = ClusterSettings(quiet_hours=options.quiet_hours)
    # Another quiet window is another clustering of the same articles.
    fingerprint = f"{state.fingerprint()}:quiet {settings.quiet_hours:g}h"
    if state.meta("clustered") == fingerprint:
        return
    arrivals = state.analysed_order()
    # Only the publication times decide the order; the rest of the features stays on disk.
    stand_ins = [
        ArticleFeatures(
            id=str(seq),
            vector=_NO_VECTOR,
            published=datetime.fromtimestamp(published, UTC) if published is not None else None,
        )
        for seq, published in arrivals
    ]
    order = arrival_order(stand_ins)
    del stand_ins
    clusterer = StoryClusterer(settings)
    progress = _progress(options, "cluster", len(arrivals))
    # As in StoryClusterer.add_many: the products are small, one BLAS thread is fastest.
    with threadpool_limits(limits=1, user_api="blas"):
        for index in order:
            clusterer.add(stages.load_features(state.features_of(arrivals[index][0])))
            progress.advance()
        # As cluster_features does at the end of a run: waiting merge checks, small stories.
        clusterer.settle()
    progress.close()
    seq_of = state.seq_of_ids()
    stories = [[seq_of[a] for a in story.articles] for story in clusterer.stories()]
    state.set_stories(stories, fingerprint)


_NO_VECTOR = np.zeros(0, dtype=np.float32)


# --- stage 4: compare ------------------------------------------------------------------------


def story_groups(state: RunState, group_articles: int, fmt: str) -> Iterator[stages.GroupTask]:
    """Consecutive stories in groups of about `group_articles` articles, each with the
    fingerprint of what it holds (its articles' ids and digests, and the format)."""
    number = 0
    current: list[list[int]] = []
    size = 0

    def task() -> stages.GroupTask:
        digest = hashlib.sha256(fmt.encode("utf-8"))
        for story in current:
            for seq, article_id, article_digest in state.digests_of(story):
                digest.update(f"{seq}\t{article_id}\t{article_digest}\n".encode())
            digest.update(b"--\n")
        return stages.GroupTask(number, digest.hexdigest(), list(current))

    for story in state.stories():
        current.append(story)
        size += len(story)
        if size >= group_articles:
            yield task()
            number += 1
            current, size = [], 0
    if current:
        yield task()


def compare(
    state: RunState, out: Path, engines: _Engines, options: BatchOptions, report: BatchReport
) -> None:
    """Build the dossier of every story whose group is not done with the same contents; write
    the dossiers, the claims and conflicts parts, then the stories table."""
    ext = EXTENSIONS[options.format]
    groups = list(story_groups(state, options.group_articles, options.format))
    todo = []
    for task in groups:
        done = state.group(task.number)
        if (
            done
            and done[0] == task.fingerprint
            and all((out / "dossiers" / f"{s}.{ext}").is_file() for s in done[1])
        ):
            report.dossiers_kept += len(task.stories)
        else:
            todo.append(task)
    sizes = {task.number: sum(len(story) for story in task.stories) for task in todo}
    progress = _progress(options, "compare", sum(sizes.values()))
    if todo:
        for result in engines.get().compare(str(state.path), todo, options.format):
            for story, text in zip(result.story_ids, result.rendered, strict=True):
                _write_text(out / "dossiers" / f"{story}.{ext}", text)
            tables.write_parquet(
                result.claims, tables.CLAIMS, part_path(out, "claims", result.number)
            )
            tables.write_parquet(
                result.conflicts, tables.CONFLICTS, part_path(out, "conflicts", result.number)
            )
            state.finish_group(result.number, result.fingerprint, result.story_ids)
            report.dossiers_built += len(result.story_ids)
            progress.advance(sizes[result.number])
    progress.close()
    state.drop_groups_from(len(groups))
    _drop_parts_from(out, ("claims", "conflicts"), len(groups))
    story_ids = _write_stories(state, out, groups, ext)
    report.stories = len(story_ids)
    _drop_stale_dossiers(out / "dossiers", {f"{s}.{ext}" for s in story_ids})


def _write_stories(state: RunState, out: Path, groups: list[stages.GroupTask], ext: str):
    ids: list[str] = []
    rows = []
    for task in groups:
        _, story_ids = state.group(task.number)
        for story, members in zip(story_ids, task.stories, strict=True):
            ids.append(story)
            rows.append(
                {
                    "story": story,
                    "size": len(members),
                    "articles": [article_id for _, article_id, _ in state.digests_of(members)],
                    "dossier": f"dossiers/{story}.{ext}",
                }
            )
    tables.write_parquet(rows, tables.STORIES, out / "stories.parquet")
    return ids


def _drop_parts_from(out: Path, names: Iterable[str], count: int) -> None:
    for name in names:
        folder = out / name
        if not folder.is_dir():
            continue
        for part in folder.glob("part-*.parquet"):
            if int(part.stem.split("-")[1]) >= count:
                part.unlink()


def _drop_stale_dossiers(folder: Path, keep: set[str]) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink()


# --- helpers ---------------------------------------------------------------------------------


def _progress(options: BatchOptions, label: str, total: int | None) -> Progress:
    if options.show_progress:
        return Progress(label, total)
    return Progress(label, total, stream=_Discard())


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _write_text(path: Path, text: str) -> None:
    """Write a text file atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _write_json_lines(path: Path, records: list[dict]) -> None:
    _write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def _write_manifest(out: Path, report: BatchReport, options: BatchOptions) -> None:
    manifest = {
        "format": options.format,
        "tables": ["articles", "attributions", "claims", "conflicts", "stories.parquet"],
        **asdict(report),
    }
    _write_text(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")


def remove_temporary_files(out: Path) -> None:
    """Remove files a killed run left half-written (they are never read as outputs)."""
    for path in out.rglob("*"):
        if path.is_file() and (".tmp" in path.name):
            path.unlink(missing_ok=True)
