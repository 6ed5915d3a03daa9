"""`parallax relate --pairs`: one JSON object per good line, one error line per bad one, exit 1."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from parallax.cli import app

TEXT = (
    "Scientists at the University of Glasgow said the photograph of the Loch Ness monster is a "
    "hoax. The picture shows a floating log, they said."
)


def test_relate_pairs_reports_bad_lines_and_goes_on(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "a", "claim": "The Loch Ness monster was photographed", "text": TEXT}
                ),
                "{broken",
                "",
                json.dumps({"id": 2, "claim": "Apple unveils a bigger iPhone", "text": TEXT}),
                json.dumps({"id": 3, "claim": "no text here"}),
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(app, ["relate", "--pairs", str(pairs)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == ["a", 2]
    assert {tuple(sorted(r)) for r in out} == {("id", "label", "score")}
    assert out[1]["label"] == "unrelated"
    assert out[0]["label"] in {"agree", "disagree", "discuss"}
    assert all(0.0 <= r["score"] <= 1.0 for r in out)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {pairs}:2: not JSON (Expecting property name enclosed in double quotes at column 2)",
        f"error: {pairs}:5: missing text",
    ]


def test_relate_details_and_missing_file(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": 1, "claim": "A log was photographed", "text": TEXT}) + "\n")
    result = CliRunner().invoke(app, ["relate", "--pairs", str(pairs), "--details"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert abs(sum(record["probabilities"].values()) - 1.0) < 1e-3
    assert "log" in record["evidence"]
    missing = CliRunner().invoke(app, ["relate", "--pairs", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert "nope.jsonl" in missing.stderr
