"""Documentation stays true: every command, setting and error code is documented."""

from __future__ import annotations

import math
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


def _documented_defaults(table: str) -> dict[str, str]:
    """{setting: default as written} from the rows of a settings table whose first cell names
    settings in backticks and whose second gives their defaults in the same order."""
    found = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([a-z_]+)`", cells[0])
        values = [re.sub(r"\s*\(.*?\)", "", v).strip() for v in cells[1].split(",")]
        if len(names) == len(values):
            found.update(zip(names, values, strict=True))
    return found


def test_every_cluster_setting_is_documented_with_its_default():
    from parallax.cluster.stories import ClusterSettings

    documented = _documented_defaults((REPO / "docs" / "stories.md").read_text("utf-8"))
    defaults = ClusterSettings().model_dump()
    assert not sorted(set(defaults) - set(documented)), "ClusterSettings missing in stories.md"
    stale = {
        name: (written, defaults[name])
        for name, written in documented.items()
        if name in defaults and not math.isclose(float(written), defaults[name], abs_tol=0.006)
    }
    assert not stale, f"docs/stories.md gives other defaults: {stale}"
