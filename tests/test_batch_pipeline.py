"""`parallax batch`: the same stories and dossiers as `parallax cluster` and `parallax compare`,
tables that add up, a re-run that does nothing, new inputs added, a killed run resumed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from batch_corpus import read_outputs, write_corpus
from parallax.batch.pipeline import BatchOptions, run_batch
from parallax.cli import app
from parallax.errors import InputError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory, nlp, bare_nlp, embedder):
    """One batch run with the models of this process (`--workers 1`), chunks of 4."""
    folder = tmp_path_factory.mktemp("batch")
    inputs = write_corpus(folder / "in")
    errors: list[InputError] = []
    report = run_batch(
        inputs,
        BatchOptions(out=folder / "out", workers=1, chunk_size=4, show_progress=False),
        on_error=errors.append,
    )
    return folder, inputs, report, errors


def test_bad_input_is_reported_and_the_rest_goes_on(serial_run):
    folder, _, report, errors = serial_run
    assert [e.source for e in errors] == [str(folder / "in" / "broken.txt")]
    assert "binary" in errors[0].reason
    assert report.failed_inputs == 1 and report.articles == 7
    logged = [json.loads(line) for line in (folder / "out" / "errors.jsonl").open()]
    assert logged == [{"source": errors[0].source, "reason": errors[0].reason}]


def test_stories_and_dossiers_match_cluster_and_compare(serial_run):
    from parallax.compare.stories import dossiers_for
    from parallax.ingest.sources import read_inputs

    folder, inputs, report, _ = serial_run
    articles = [a for a in read_inputs(inputs) if not isinstance(a, InputError)]
    expected = {d.story: d for d in dossiers_for(articles)}
    stories = pq.read_table(folder / "out" / "stories.parquet").to_pylist()
    assert report.stories == len(stories) == len(expected) == 3
    for story in stories:
        dossier = expected[story["story"]]
        assert story["articles"] == [a.id for a in dossier.articles]
        written = (folder / "out" / story["dossier"]).read_text("utf-8")
        assert json.loads(written) == json.loads(dossier.model_dump_json(by_alias=True))


def test_tables_hold_every_article_attribution_claim_and_conflict(serial_run):
    folder, _, _, _ = serial_run
    out = read_outputs(folder / "out")
    assert [a["id"] for a in out["articles"]] == sorted(
        ["chess", "coastline-daily", "flood-a", "flood-b", "flood-c", "harnwick-ledger"]
        + ["meridian-wire"]
    )
    # Two chunks of four articles at most: parts are cut per chunk.
    assert len(list((folder / "out" / "articles").glob("part-*.parquet"))) == 2
    by_article = {a["id"]: a["attributions"] for a in out["articles"]}
    for article_id, count in by_article.items():
        assert count == sum(1 for r in out["attributions"] if r["article"] == article_id)
    assert any(r["speaker_name"] == "Piet Halvorsen" for r in out["attributions"])
    dossiers = {json.loads(text)["story"]: json.loads(text) for text in out["dossiers"].values()}
    assert len(out["claims"]) == sum(len(d["claims"]) for d in dossiers.values())
    assert len(out["conflicts"]) == sum(len(d["conflicts"]) for d in dossiers.values())
    corroborated = [c for c in out["claims"] if c["status"] == "corroborated"]
    assert corroborated and all(c["outlets"] >= 2 for c in corroborated)
    for claim in out["claims"]:
        for mention in claim["mentions"]:
            text = next(a["text"] for a in out["articles"] if a["id"] == mention["article"])
            assert text[mention["start"] : mention["end"]] == mention["text"]


def test_a_rerun_does_nothing_and_changes_nothing(serial_run, tmp_path):
    folder, inputs, _, _ = serial_run
    copy = tmp_path / "out"
    shutil.copytree(folder / "out", copy)
    report = run_batch(inputs, BatchOptions(out=copy, workers=1, chunk_size=4, show_progress=False))
    assert (report.new, report.seen_before, report.analysed) == (0, 7, 0)
    assert (report.dossiers_built, report.dossiers_kept) == (0, 3)
    assert read_outputs(copy) == read_outputs(folder / "out")


def test_new_inputs_join_the_existing_run(serial_run, tmp_path):
    folder, inputs, _, _ = serial_run
    copy = tmp_path / "out"
    shutil.copytree(folder / "out", copy)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "flood-d.txt").write_text(
        "Orrin valley villagers return home\n\n"
        "Residents of the four Orrin valley villages flooded on Monday began returning home on "
        "Thursday as the river fell, council spokesman Piet Halvorsen said.\n",
        encoding="utf-8",
    )
    report = run_batch(
        [*inputs, str(extra)],
        BatchOptions(out=copy, workers=1, chunk_size=4, show_progress=False),
    )
    assert (report.new, report.seen_before, report.analysed) == (1, 7, 1)
    out = read_outputs(copy)
    flood = next(s for s in out["stories.parquet"] if "flood-a" in s["articles"])
    assert "flood-d" in flood["articles"]
    # The flood story's old dossier is replaced by the new one, not left beside it.
    assert len(out["dossiers"]) == report.stories == 3
    assert f"{flood['story']}.json" in out["dossiers"]


def test_cli_prints_a_summary_and_exits_1_for_a_bad_input(serial_run, tmp_path):
    folder, inputs, _, _ = serial_run
    copy = tmp_path / "out"
    shutil.copytree(folder / "out", copy)
    result = CliRunner().invoke(app, ["batch", *inputs, "--out", str(copy), "--workers", "1"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["articles"] == 7 and summary["stories"] == 3
    assert "broken.txt: binary" in result.stderr


def _clustered(out: Path) -> str:
    db = sqlite3.connect(out / ".parallax" / "state.sqlite")
    try:
        return db.execute("SELECT value FROM meta WHERE key='clustered'").fetchone()[0]
    finally:
        db.close()


def test_another_quiet_window_clusters_the_run_again(serial_run, tmp_path):
    folder, inputs, _, _ = serial_run
    copy = tmp_path / "out"
    shutil.copytree(folder / "out", copy)
    assert _clustered(copy).endswith(":quiet 2160h")
    options = BatchOptions(out=copy, workers=1, chunk_size=4, show_progress=False, quiet_hours=24)
    report = run_batch(inputs, options)
    assert _clustered(copy).endswith(":quiet 24h")
    # The corpus is undated, so the window decides nothing: same stories, dossiers kept.
    assert (report.stories, report.dossiers_built, report.dossiers_kept) == (3, 0, 3)
    assert read_outputs(copy) == read_outputs(folder / "out")


def test_a_quiet_window_that_is_not_a_positive_number_is_bad_usage(tmp_path):
    out = ["--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, ["batch", str(tmp_path), *out, "--quiet-days", "-1"])
    assert result.exit_code == 2
    assert "--quiet-days -1.0: must be a positive number of days" in result.stderr
    assert not (tmp_path / "o").exists()


def test_address_without_ray_engine_is_bad_usage(tmp_path):
    result = CliRunner().invoke(
        app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--address", "auto"]
    )
    assert result.exit_code == 2
    assert "--address needs --engine ray" in result.stderr


def _chunks(state: Path) -> tuple[int, int]:
    """(chunks done, chunks staged) as the run's state says; (0, 0) before it exists."""
    if not state.is_file():
        return 0, 0
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=30)
    try:
        done, total = db.execute("SELECT COALESCE(SUM(done), 0), COUNT(*) FROM chunks").fetchone()
        return int(done), int(total)
    except sqlite3.OperationalError:  # tables not created yet
        return 0, 0
    finally:
        db.close()


def test_killed_run_resumes_to_the_same_outputs(serial_run, tmp_path):
    """A real `parallax batch` process (two worker processes) killed in the middle of the
    analysis: nothing it leaves is corrupt, and running again finishes the work without redoing
    what was done, with the same outputs as the run never interrupted."""
    inputs = serial_run[1]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "parallax.cli", "batch", *inputs, "--out", str(out)]
    command += ["--workers", "2", "--chunk-size", "1", "--quiet"]
    log = tmp_path / "stderr.txt"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
    state = out / ".parallax" / "state.sqlite"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            done, total = _chunks(state)
            if done >= 1:
                # Freeze the driver first: on an idle machine a chunk of these short texts takes
                # tens of milliseconds, so it could record the rest before the kill lands.
                os.kill(process.pid, signal.SIGSTOP)
                break
            time.sleep(0.01)
    finally:
        # The whole session: the driver and its worker processes, without warning.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    done, total = _chunks(state)
    assert 1 <= done < total == 7, f"not killed mid-analysis: {done}/{total}: {log.read_text()}"

    # Whatever was written is whole: every table part reads, no partial file is visible.
    parts = list(out.glob("*/part-*.parquet"))
    assert parts
    for part in parts:
        pq.read_table(part)
    assert not (out / "dossiers").exists()  # the comparison had not started

    report = run_batch(inputs, BatchOptions(out=out, workers=1, chunk_size=1, show_progress=False))
    # Chunks finished before the kill are not analysed again.
    assert report.analysed == 7 - done and report.seen_before == 7
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    # Chunks of 1 here, of 4 in the uninterrupted run: the rows are the same all the same.
    assert read_outputs(out) == read_outputs(serial_run[0] / "out")
