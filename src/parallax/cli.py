"""The `parallax` command line: one small function per command; the logic lives in the modules.

Contract (DESIGN.md): JSON Lines to stdout, logs and errors to stderr, exit 0 on success, 1 when
some inputs failed (each named on stderr with its reason), 2 on bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from parallax.errors import InputError, ParallaxError

app = typer.Typer(
    name="parallax",
    help="Lay several news outlets' accounts of one event side by side, claim by claim.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(
    help="Measure quality on the annotated sets in ../shared/data.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

Inputs = Annotated[
    list[str],
    typer.Argument(help="Files, directories, URLs, or - for standard input.", show_default=False),
]


class ReportFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


class Failures:
    """Counts inputs that failed, each reported on stderr in one line."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, error: InputError) -> None:
        self.count += 1
        typer.echo(f"error: {error.source}: {error.reason}", err=True)

    def exit_code(self) -> int:
        return 1 if self.count else 0


def emit(record: dict) -> None:
    """One JSON object on one line of stdout."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _articles(inputs: list[str], failures: Failures, allow_private: bool | None = None):
    from parallax.ingest.sources import read_inputs, read_options

    for item in read_inputs(inputs, read_options(allow_private=allow_private)):
        if isinstance(item, InputError):
            failures.report(item)
        else:
            yield item


@app.command()
def extract(
    inputs: Inputs,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Fetch from loopback, private and link-local addresses (refused by default).",
        ),
    ] = False,
    dedup: Annotated[
        bool,
        typer.Option("--dedup", help="Mark exact and near-duplicate texts (reads all first)."),
    ] = False,
) -> None:
    """Clean text and metadata of each article, one JSON object per line."""
    from parallax.ingest.sources import extract_record

    failures = Failures()
    articles = _articles(inputs, failures, allow_private=allow_private or None)
    if dedup:
        from parallax.cluster.dedup import duplicate_groups

        articles = list(articles)
        group_of = {
            member: group for group in duplicate_groups(articles) for member in group.articles
        }
        for article in articles:
            group = group_of.get(article.id)
            emit(extract_record(article, group.id if group else None))
    else:
        for article in articles:
            emit(extract_record(article))
    raise typer.Exit(failures.exit_code())


@app.command()
def attributions(inputs: Inputs) -> None:
    """Who said what: one JSON object per attribution (cue, content, speaker, stance)."""
    from parallax.analyze import analyze_articles

    failures = Failures()
    articles = list(_articles(inputs, failures))
    for analyzed in analyze_articles(articles):
        for attribution in analyzed.attributions:
            emit(attribution.model_dump(mode="json"))
    raise typer.Exit(failures.exit_code())


@app.command()
def compare(
    inputs: Inputs,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of stdout; with several stories, one file per story "
            "named FILE-STORY.EXT.",
        ),
    ] = None,
    one_story: Annotated[
        bool,
        typer.Option(
            "--one-story",
            help="Treat all inputs as one story instead of grouping them into stories first.",
        ),
    ] = False,
) -> None:
    """The dossier of each story: claims across outlets, conflicts, framing, sources.

    Inputs about several events give one dossier per story (JSON Lines for json, sections for
    md, one file each for html).
    """
    from parallax.compare.stories import dossiers_for
    from parallax.report import render

    failures = Failures()
    articles = list(_articles(inputs, failures))
    if not articles:
        typer.echo("error: no readable article among the inputs; nothing to compare", err=True)
        raise typer.Exit(1)
    dossiers = dossiers_for(articles, split=not one_story)
    if len(dossiers) == 1:
        _write(render(dossiers[0], format.value), output)
    elif output is not None:
        for dossier in dossiers:
            _write(
                render(dossier, format.value),
                output.with_name(f"{output.stem}-{dossier.story}{output.suffix}"),
            )
    elif format is ReportFormat.html:
        typer.echo(
            "error: the inputs hold several stories; give -o FILE for the HTML pages", err=True
        )
        raise typer.Exit(2)
    elif format is ReportFormat.json:
        for dossier in dossiers:
            sys.stdout.write(dossier.model_dump_json(by_alias=True) + "\n")
    else:
        _write("\n\n---\n\n".join(render(d, format.value) for d in dossiers), None)
    raise typer.Exit(failures.exit_code())


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON schema of the dossier (parallax.dossier/1)."""
    from parallax.model import dossier_json_schema

    sys.stdout.write(json.dumps(dossier_json_schema(), indent=2) + "\n")


# --- commands added by later stages go below this line --------------------------------------


@eval_app.command("seeds")
def eval_seeds(
    seeds: Annotated[
        Path | None, typer.Option(help="Seed folder (default ../shared/seeds).")
    ] = None,
) -> None:
    """The EXPECTED.md checklist on the two seed articles: each item PASS/FAIL; exit 1 if any fails."""
    from parallax.evaluate.seeds import check, default_root, report_lines, seed_dossier

    root = seeds or default_root()
    if not (root / "EXPECTED.md").is_file():
        typer.echo(f"error: {root}: no EXPECTED.md (seed articles absent)", err=True)
        raise typer.Exit(1)
    results = check(seed_dossier(root))
    for line in report_lines(results):
        typer.echo(line)
    raise typer.Exit(0 if all(r.passed for r in results) else 1)


class ExtractionMode(StrEnum):
    html = "html"
    text = "text"


@eval_app.command("extraction")
def eval_extraction(
    mode: Annotated[
        ExtractionMode, typer.Option("--mode", help="html: bodies from HTML; text: cleaning.")
    ] = ExtractionMode.html,
    split: Annotated[str, typer.Option(help="all, dev or test (fixed halves by hash).")] = "all",
) -> None:
    """Article-body 4-gram F1 on ../shared/data/extraction-aeb (181 pages)."""
    from parallax.evaluate.extraction import data_root, evaluate

    root = data_root()
    if root is None:
        typer.echo("error: ../shared/data/extraction-aeb is absent; nothing to evaluate", err=True)
        raise typer.Exit(1)
    result = evaluate(root, mode.value, split)
    emit({"set": "extraction-aeb", "split": split, "mode": mode.value, **result.as_dict()})


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL: sqlite:///FILE or postgresql://... [default: parallax.db]"
    ),
]


@app.command()
def ingest(
    inputs: Inputs,
    db: DbOption = None,
    one_story: Annotated[
        bool, typer.Option("--one-story", help="Treat all inputs as one story.")
    ] = False,
    story: Annotated[
        str | None, typer.Option("--story", help="Add the new articles to this story.")
    ] = None,
) -> None:
    """Store articles and their analysis (each article once); rebuild their stories' dossiers."""
    from parallax.settings import get_settings
    from parallax.store.ingest import run_ingest

    failures = Failures()
    report = run_ingest(
        db or get_settings().database_url,
        _articles(inputs, failures),
        one=one_story,
        story=story,
        progress=lambda message: typer.echo(message, err=True),
    )
    for record in report.records:
        emit(record)
    raise typer.Exit(failures.exit_code())


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="PARALLAX_TOKEN", help="Token for write endpoints (needed off localhost)."
        ),
    ] = None,
) -> None:
    """Serve the web app and JSON API over the store (API docs at /docs)."""
    from parallax.settings import get_settings
    from parallax.web.server import serve as serve_app

    serve_app(db or get_settings().database_url, host, port, token)


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[str, typer.Option(help="PolNeAR split to score (dev for reporting).")] = "dev",
    limit: Annotated[int | None, typer.Option(help="Score only the first N texts.")] = None,
    data: Annotated[
        Path | None, typer.Option(help="PolNeAR folder (default ../shared/data/polnear).")
    ] = None,
) -> None:
    """Attribution quality on PolNeAR: content P/R/F1 at overlap, source/cue, exact F1."""
    from parallax.evaluate.polnear import default_root, evaluate_parallax

    root = data or default_root()
    if not (root / split / "text").is_dir():
        typer.echo(f"error: {root / split}: no PolNeAR split there", err=True)
        raise typer.Exit(1)
    emit(evaluate_parallax(root, split, limit))


def _quiet_hours(quiet_days: float | None) -> float | None:
    """`--quiet-days` in hours (None when not given); exit 2 with one line unless it is a
    positive, finite number."""
    if quiet_days is None:
        return None
    if not (0 < quiet_days < float("inf")):
        typer.echo(f"error: --quiet-days {quiet_days}: must be a positive number of days", err=True)
        raise typer.Exit(2)
    return quiet_days * 24


@app.command()
def cluster(
    inputs: Inputs,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file (or sqlite:///FILE) keeping the stories so far."),
    ] = None,
    quiet_days: Annotated[
        float | None,
        typer.Option(
            "--quiet-days",
            help="A story quiet this many days takes no new dated article (default 90). "
            "Fixed for the life of a --db file.",
        ),
    ] = None,
) -> None:
    """Group articles into stories: one JSON object per article, `doc` and `story`."""
    from parallax.cluster.stories import ClusterSettings, cluster_articles
    from parallax.errors import StoryStateMismatch

    quiet_hours = _quiet_hours(quiet_days)
    failures = Failures()
    articles = list(_articles(inputs, failures))
    if db is None:
        settings = None if quiet_hours is None else ClusterSettings(quiet_hours=quiet_hours)
        stories = cluster_articles(articles, settings)
        story_of = {d: story.id for story in stories for d in story.articles}
    else:
        from parallax.cluster.state import cluster_into, sqlite_path

        try:
            path = sqlite_path(db)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        try:
            story_of = cluster_into(path, articles, quiet_hours)
        except StoryStateMismatch as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
    for article in articles:
        emit({"doc": article.id, "story": story_of[article.id]})
    raise typer.Exit(failures.exit_code())


@eval_app.command("ecb")
def eval_ecb(
    data: Annotated[
        Path | None, typer.Option(help="ECB+ folder (default ../shared/data/ecbplus-dev).")
    ] = None,
    folds: Annotated[
        int,
        typer.Option(help="Cross-validation folds by topic (0 or 1: in-sample figure only)."),
    ] = 6,
    shuffle: Annotated[
        int | None, typer.Option(help="Shuffle the input order with this seed.")
    ] = None,
    batch: Annotated[
        int | None,
        typer.Option(help="Feed the input in parts of this many articles, settling each."),
    ] = None,
) -> None:
    """Story clustering on ECB+: B-cubed P/R/F1, cross-validated by topic and in-sample."""
    from parallax.evaluate.ecb import default_root, evaluate_ecb

    root = data or default_root()
    if not (root / "labels.tsv").is_file():
        typer.echo(f"error: {root}: no labels.tsv (ECB+ data absent)", err=True)
        raise typer.Exit(1)
    if batch is not None and batch < 1:
        typer.echo(f"error: --batch {batch}: a part needs at least one article", err=True)
        raise typer.Exit(2)
    emit(evaluate_ecb(root, folds=folds, shuffle=shuffle, batch=batch))


@app.command()
def relate(
    pairs: Annotated[
        str, typer.Option("--pairs", help='JSON Lines file of {"id", "claim", "text"}, or -.')
    ],
    details: Annotated[
        bool, typer.Option(help="Also print per-class probabilities and the closest sentence.")
    ] = False,
) -> None:
    """Does each text agree with, disagree with, discuss, or not address its claim?"""
    from parallax.compare.relate import load_relator, parse_pair_line, relate_pairs

    failures = Failures()
    try:
        relator = load_relator()
        handle = sys.stdin if pairs == "-" else open(pairs, encoding="utf-8")  # noqa: SIM115
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    batch: list = []

    def flush() -> None:
        relations = relate_pairs(relator, [(p.claim, p.text) for p in batch])
        for pair, relation in zip(batch, relations, strict=True):
            record = {"id": pair.id, "label": relation.label, "score": round(relation.score, 4)}
            if details:
                record["probabilities"] = {
                    k: round(v, 4) for k, v in relation.probabilities.items()
                }
                record["evidence"] = relation.evidence
            emit(record)
        batch.clear()

    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                batch.append(parse_pair_line(line))
            except ValueError as exc:
                failures.report(InputError(source=f"{pairs}:{number}", reason=str(exc)))
                continue
            if len(batch) >= 64:
                flush()
    if batch:
        flush()
    raise typer.Exit(failures.exit_code())


@eval_app.command("fnc1")
def eval_fnc1(
    split: Annotated[
        str, typer.Option(help="heldout (never trained on; for reporting), train or all.")
    ] = "heldout",
    limit_bodies: Annotated[
        int | None, typer.Option(help="Score only the first N bodies of the split.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="FNC-1 folder (default ../shared/data/fnc1-dev).")
    ] = None,
) -> None:
    """Claim relations on FNC-1: FNC score %, macro-F1, per-class F1, confusion matrix."""
    from parallax.compare.relate import load_relator
    from parallax.evaluate.fnc1 import SPLITS, default_root, evaluate_relator, format_report

    root = data or default_root()
    if not (root / "stances.csv").is_file():
        typer.echo(f"error: {root}: no stances.csv (FNC-1 data absent)", err=True)
        raise typer.Exit(1)
    if split not in SPLITS:
        typer.echo(f"error: --split {split!r}: expected one of {', '.join(SPLITS)}", err=True)
        raise typer.Exit(2)
    report = evaluate_relator(root, load_relator(), split, limit_bodies)
    typer.echo(format_report(report), err=True)
    emit(report)


class BatchEngine(StrEnum):
    local = "local"
    ray = "ray"


@app.command()
def batch(
    inputs: Inputs,
    out: Annotated[
        Path, typer.Option("--out", help="Output folder (created; re-use it to resume a run).")
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes (Ray: actors).",
            show_default="every core",
        ),
    ] = None,
    engine: Annotated[
        BatchEngine, typer.Option("--engine", help="local: worker processes; ray: Ray Data.")
    ] = BatchEngine.local,
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="Ray cluster to use: auto, or ray://HEAD:10001.",
            show_default="a local Ray instance",
        ),
    ] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Format of the dossier files.")
    ] = ReportFormat.json,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Articles per unit of analysis work.")
    ] = 32,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Fetch from loopback and private addresses."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    quiet_days: Annotated[
        float | None,
        typer.Option(
            "--quiet-days",
            help="A story quiet this many days takes no new dated article (default 90); "
            "another value on a resumed run clusters its articles again.",
        ),
    ] = None,
) -> None:
    """Run a corpus through every stage into Parquet tables and one dossier per story.

    Resumable: run it again with the same --out to finish an interrupted run or to add new
    inputs; what is done is skipped. Prints one JSON summary line. See docs/batch.md.
    """
    from parallax.batch.pipeline import BatchOptions, run_batch

    quiet_hours = _quiet_hours(quiet_days)
    if address is not None and engine is not BatchEngine.ray:
        typer.echo("error: --address needs --engine ray", err=True)
        raise typer.Exit(2)
    if engine is BatchEngine.ray:
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            typer.echo("error: --engine ray needs Ray: pip install 'parallax[ray]'", err=True)
            raise typer.Exit(2)
    failures = Failures()
    options = BatchOptions(
        out=out,
        workers=workers,
        engine=engine.value,
        address=address,
        format=format.value,
        chunk_size=chunk_size,
        allow_private=allow_private or None,
        show_progress=not quiet,
        quiet_hours=quiet_hours,
    )
    try:
        report = run_batch(inputs, options, on_error=failures.report)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    from dataclasses import asdict

    emit(asdict(report))
    raise typer.Exit(1 if failures.count or report.failed_articles else 0)


def main() -> None:
    """Console-script entry point: bad usage exits 2, a parallax error exits 1 with one line."""
    try:
        app()
    except ParallaxError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
