"""Documentation stays true: every command, setting and error code is documented."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from parallax import errors

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from cli_reference import reference  # noqa: E402


def test_cli_reference_is_current():
    committed = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert committed.strip() == reference().strip(), (
        "docs/cli.md is out of date: run `python scripts/cli_reference.py > docs/cli.md`"
    )


def test_every_setting_is_documented():
    source = (REPO / "src" / "parallax" / "settings.py").read_text("utf-8")
    documented = (REPO / "docs" / "settings.md").read_text("utf-8")
    names = set(re.findall(r'"(PARALLAX_[A-Z_]+)"', source))
    assert names
    missing = sorted(n for n in names if n not in documented)
    assert not missing, f"undocumented settings: {missing}"


@pytest.mark.parametrize(
    "error",
    [
        e
        for e in vars(errors).values()
        if isinstance(e, type) and issubclass(e, errors.ParallaxError)
    ],
    ids=lambda e: e.__name__,
)
def test_every_error_code_is_documented(error):
    documented = (REPO / "docs" / "errors.md").read_text("utf-8")
    assert f"| {error.code} | {error.__name__} |" in documented


def test_readme_starts_with_the_two_commands():
    head = "\n".join((REPO / "README.md").read_text("utf-8").splitlines()[:8])
    assert "make run" in head and "make test" in head
