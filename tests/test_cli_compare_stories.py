"""`parallax compare` on articles of two events: one dossier per story."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from parallax.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MARATHON = {
    "marathon-a.txt": (
        "Kenyan runner wins Osterby marathon in course record\n\n"
        "Kenyan runner Daniel Kiprop won the Osterby marathon on Sunday in a course record of "
        "2 hours 4 minutes, race organisers said.\n\n"
        "More than 18,000 runners took part in the race, which was held in cool and dry "
        "weather.\n"
    ),
    "marathon-b.txt": (
        "Kiprop breaks Osterby marathon record\n\n"
        "Daniel Kiprop of Kenya broke the Osterby marathon course record on Sunday, finishing "
        "in 2:04 ahead of two Ethiopian runners.\n\n"
        "Organisers said about 18,000 people ran the race this year, a record field.\n"
    ),
}
runner = CliRunner()


def _inputs(tmp_path: Path) -> list[str]:
    for name, text in MARATHON.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return sorted(map(str, EXAMPLES.glob("*.txt"))) + sorted(str(tmp_path / n) for n in MARATHON)


def test_two_events_give_two_dossiers_as_json_lines(tmp_path):
    result = runner.invoke(app, ["compare", *_inputs(tmp_path)])
    assert result.exit_code == 0, result.output
    dossiers = [json.loads(line) for line in result.stdout.splitlines()]
    groups = sorted(sorted(a["id"] for a in d["articles"]) for d in dossiers)
    assert groups == [
        ["coastline-daily", "harnwick-ledger", "meridian-wire"],
        ["marathon-a", "marathon-b"],
    ]


def test_html_with_several_stories_writes_one_file_each(tmp_path):
    out = tmp_path / "dossier.html"
    result = runner.invoke(app, ["compare", *_inputs(tmp_path), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = sorted(tmp_path.glob("dossier-*.html"))
    assert len(pages) == 2
    assert all(p.read_text("utf-8").startswith("<!doctype html>") for p in pages)


def test_one_story_option_keeps_everything_together(tmp_path):
    result = runner.invoke(app, ["compare", *_inputs(tmp_path), "--one-story"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["articles"]) == 5
