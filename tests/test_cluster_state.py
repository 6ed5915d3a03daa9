"""The story clusterer's state in a SQLite file: a later run continues the stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.cluster.state import load_clusterer, save_clusterer, sqlite_path
from parallax.cluster.stories import StoryClusterer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_sqlite_targets():
    assert sqlite_path("sqlite:///x/stories.db") == Path("x/stories.db")
    assert sqlite_path("stories.db") == Path("stories.db")
    with pytest.raises(ValueError, match="SQLite"):
        sqlite_path("postgresql://localhost/parallax")


def test_missing_file_gives_a_new_clusterer_and_saving_round_trips(tmp_path):
    path = tmp_path / "state.db"
    fresh = load_clusterer(path)
    assert fresh.stories() == []
    save_clusterer(path, fresh)
    save_clusterer(path, fresh)  # replacing the one row, not adding one
    assert load_clusterer(path).state_to_dict() == StoryClusterer().state_to_dict()


@pytest.mark.slow
def test_cli_db_run_in_two_parts_puts_late_articles_in_the_old_story(tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app

    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    db = str(tmp_path / "stories.db")
    runner = CliRunner()
    first = runner.invoke(app, ["cluster", "--db", db, *files[:2]])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["cluster", "--db", db, files[2]])
    assert second.exit_code == 0, second.output
    stories = {json.loads(line)["story"] for line in (first.stdout + second.stdout).splitlines()}
    assert len(stories) == 1


def test_cli_refuses_another_quiet_window_for_a_kept_state_and_changes_nothing(tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app
    from parallax.cluster.stories import ClusterSettings

    path = tmp_path / "stories.db"
    save_clusterer(path, StoryClusterer(ClusterSettings(quiet_hours=7 * 24)))
    before = load_clusterer(path).state_to_dict()
    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    refused = CliRunner().invoke(app, ["cluster", "--db", str(path), "--quiet-days", "30", *files])
    assert refused.exit_code == 2
    assert "E032" in refused.stderr and str(path) in refused.stderr and "7" in refused.stderr
    assert refused.stdout == ""
    assert load_clusterer(path).state_to_dict() == before


@pytest.mark.parametrize("days", ["0", "-3", "inf", "nan"])
def test_cli_refuses_a_quiet_window_that_is_not_a_positive_number(days):
    from typer.testing import CliRunner

    from parallax.cli import app

    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    result = CliRunner().invoke(app, ["cluster", "--quiet-days", days, *files])
    assert result.exit_code == 2
    assert "--quiet-days" in result.stderr


@pytest.mark.slow
def test_cli_quiet_days_is_kept_with_the_db(tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app

    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    path = tmp_path / "stories.db"
    runner = CliRunner()
    first = runner.invoke(app, ["cluster", "--db", str(path), "--quiet-days", "7", *files[:2]])
    assert first.exit_code == 0, first.output
    assert load_clusterer(path).settings.quiet_hours == 7 * 24
    # Later runs keep the window without being told again, or when told the same.
    for extra in ([], ["--quiet-days", "7"]):
        again = runner.invoke(app, ["cluster", "--db", str(path), *extra, files[2]])
        assert again.exit_code == 0, again.output
    assert load_clusterer(path).settings.quiet_hours == 7 * 24
