"""Write docs/cli.md from the `--help` of every command, so the reference never drifts.

python scripts/cli_reference.py > docs/cli.md
"""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from parallax.cli import app

# Help is laid out for a terminal; a fixed width and no colour keep the file stable.
HELP_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def command_paths(command, path: list[str]):
    """The argument path of the command and of every subcommand below it, depth first."""
    yield path
    # Typer ships its own click; a group is whatever has subcommands.
    if getattr(command, "commands", None):
        for name in sorted(command.commands):
            yield from command_paths(command.commands[name], [*path, name])


def reference() -> str:
    runner = CliRunner()
    lines = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `scripts/cli_reference.py`; `tests/test_docs.py` fails when",
        "this file is out of date.",
        "",
    ]
    for path in command_paths(typer.main.get_command(app), []):
        result = runner.invoke(app, [*path, "--help"], env=HELP_ENV)
        help_text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        lines += [f"## `{' '.join(['parallax', *path])}`", "", "```", help_text, "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(reference())
