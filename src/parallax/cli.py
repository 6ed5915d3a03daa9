"""The `parallax` command line: one small function per command; the logic lives in the modules.

Contract (DESIGN.md): JSON Lines to stdout, logs and errors to stderr, exit 0 on success, 1 when
some inputs failed (each named on stderr with its reason), 2 on bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
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


class ReportFormat(str, Enum):
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


def _articles(inputs: list[str], failures: Failures):
    from parallax.ingest.sources import read_inputs

    for item in read_inputs(inputs):
        if isinstance(item, InputError):
            failures.report(item)
        else:
            yield item


@app.command()
def extract(inputs: Inputs) -> None:
    """Clean text and metadata of each article, one JSON object per line."""
    failures = Failures()
    for article in _articles(inputs, failures):
        emit(
            {
                "id": article.id,
                "source": article.source,
                "url": article.url,
                "outlet": article.outlet,
                "title": article.title,
                "authors": article.authors,
                "published": article.published,
                "language": article.language,
                "text": article.kept_text(),
                "boilerplate": [b.model_dump() for b in article.boilerplate],
                "credits": [c.text for c in article.credits],
            }
        )
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
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """The dossier of one story: claims across outlets, conflicts, framing, sources."""
    from parallax.analyze import analyze_articles
    from parallax.compare.dossier import build_dossier
    from parallax.report import render

    failures = Failures()
    articles = list(_articles(inputs, failures))
    if not articles:
        typer.echo("error: no readable article among the inputs; nothing to compare", err=True)
        raise typer.Exit(1)
    dossier = build_dossier(analyze_articles(articles))
    text = render(dossier, format.value)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    raise typer.Exit(failures.exit_code())


@app.command()
def schema() -> None:
    """Print the JSON schema of the dossier (parallax.dossier/1)."""
    from parallax.model import dossier_json_schema

    sys.stdout.write(json.dumps(dossier_json_schema(), indent=2) + "\n")


# --- commands added by later stages go below this line --------------------------------------


def main() -> None:
    """Console-script entry point: bad usage exits 2, a parallax error exits 1 with one line."""
    try:
        app()
    except ParallaxError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
