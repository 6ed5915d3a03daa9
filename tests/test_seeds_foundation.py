"""The foundation's promise on the two seed articles (skipped when ../shared/seeds is absent):
both outlets named, and the 139 dead, the Islamic State claim and Lukashenko's Belarus statement
each shown with both outlets under it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parallax.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_dossier(seeds_dir) -> dict:
    result = runner.invoke(app, ["compare", *sorted(map(str, seeds_dir.glob("0*.txt")))])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _claim_with(dossier: dict, *needles: str) -> dict:
    for claim in dossier["claims"]:
        joined = " ".join(m["text"] for m in claim["mentions"]).lower()
        if all(n.lower() in joined for n in needles):
            return claim
    raise AssertionError(f"no claim mentions {needles}")


@pytest.mark.parametrize(
    "needles",
    [
        ("139",),
        ("claimed", "attack", "islamic state"),
        ("tried to f", "belarus", "lukashenko"),
    ],
    ids=["139 dead", "IS claim of responsibility", "Lukashenko: first headed to Belarus"],
)
def test_seed_claim_is_carried_by_both_outlets(seed_dossier, needles):
    claim = _claim_with(seed_dossier, *needles)
    assert claim["status"] in ("corroborated", "contested")
    assert len({m["article"] for m in claim["mentions"]}) == 2


def test_both_outlets_are_named_in_markdown(seeds_dir):
    result = runner.invoke(
        app, ["compare", *sorted(map(str, seeds_dir.glob("0*.txt"))), "--format", "md"]
    )
    assert result.exit_code == 0
    assert "The Telegraph" in result.stdout
    assert "000_61cd9b8843aca438" in result.stdout
