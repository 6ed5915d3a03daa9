"""`parallax compare` end to end on the bundled examples: real models, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

runner = CliRunner()


@pytest.fixture(scope="module")
def example_dossier() -> dict:
    result = runner.invoke(app, ["compare", *sorted(map(str, EXAMPLES.glob("*.txt")))])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dossier_has_schema_and_all_articles(example_dossier):
    assert example_dossier["schema"] == "parallax.dossier/1"
    assert {a["id"] for a in example_dossier["articles"]} == {
        "coastline-daily",
        "harnwick-ledger",
        "meridian-wire",
    }


def test_corroborated_fact_is_carried_by_all_three_outlets(example_dossier):
    fire_claims = [
        c
        for c in example_dossier["claims"]
        if len({m["article"] for m in c["mentions"]}) == 3 and "sabot" in c["text"].lower()
    ]
    assert fire_claims, "the minister's sabotage claim is in all three articles"


def test_numeric_conflict_on_the_death_toll(example_dossier):
    numeric = [c for c in example_dossier["conflicts"] if c["kind"] == "numeric"]
    assert numeric
    sides = {s["text"].lower() for s in numeric[0]["sides"]}
    assert any("14" in s for s in sides) and any("twelve" in s or "12" in s for s in sides)
    contested = [c for c in example_dossier["claims"] if c["status"] == "contested"]
    assert contested


def test_outlet_only_fact_is_single_source(example_dossier):
    single = [c for c in example_dossier["claims"] if c["status"] == "single_source"]
    texts = " ".join(c["text"] for c in single)
    assert "safety inspection" in texts
    for claim in single:
        assert len({m["article"] for m in claim["mentions"]}) == 1


def test_every_mention_points_at_its_exact_characters(example_dossier):
    texts = {
        a["id"]: (EXAMPLES / f"{a['id']}.txt").read_text("utf-8")
        for a in example_dossier["articles"]
    }
    for claim in example_dossier["claims"]:
        for mention in claim["mentions"]:
            start, end = mention["span"]
            assert texts[mention["article"]][start:end] == mention["text"]


def test_boilerplate_never_becomes_a_claim(example_dossier):
    for article in example_dossier["articles"]:
        for line in article["boilerplate"]:
            for claim in example_dossier["claims"]:
                for mention in claim["mentions"]:
                    if mention["article"] != article["id"]:
                        continue
                    start, end = mention["span"]
                    assert end <= line["start"] or start >= line["end"], (line, mention)


def test_unreadable_and_empty_inputs_are_named_and_the_rest_compared(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    inputs = [str(empty), str(missing), *sorted(map(str, EXAMPLES.glob("*.txt")))[:2]]
    result = runner.invoke(app, ["compare", *inputs, "--format", "md"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any(str(empty) in line and "empty" in line for line in errors)
    assert any(str(missing) in line for line in errors)
    assert "# " in result.stdout and "coastline-daily" in result.stdout


def test_no_readable_input_exits_1(tmp_path):
    result = runner.invoke(app, ["compare", str(tmp_path / "nothing.txt")])
    assert result.exit_code == 1
    assert "nothing to compare" in result.stderr


def test_html_report_is_written_to_a_file(tmp_path):
    out = tmp_path / "dossier.html"
    inputs = sorted(map(str, EXAMPLES.glob("*.txt")))
    result = runner.invoke(app, ["compare", *inputs, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.startswith("<!doctype html>")
    assert 'class="matrix"' in page and "data-claim=" in page


def test_schema_command_prints_the_dossier_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Dossier"
    assert {"articles", "claims", "conflicts", "actors"} <= set(schema["properties"])
