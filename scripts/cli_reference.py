"""Write docs/cli.md from the `--help` of every command, so the reference never drifts.

python scripts/cli_reference.py > docs/cli.md
"""

from __future__ import annotations

import click
import typer.main

from parallax.cli import app


def walk(command: click.Command, path: list[str]):
    """(path, command) for the command and every subcommand below it, depth first."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name], [*path, name])


def reference() -> str:
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `scripts/cli_reference.py`; `tests/test_docs.py` fails when",
        "this file is out of date.",
        "",
    ]
    for path, command in walk(root, ["parallax"]):
        with click.Context(command, info_name=" ".join(path)) as ctx:
            help_text = command.get_help(ctx)
        lines += [f"## `{' '.join(path)}`", "", "```", help_text.rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(reference())
