"""A real `parallax batch` process (two worker processes) killed in the middle of the analysis:
nothing it leaves is corrupt, and running again finishes the work without redoing what was
done, with the same outputs as a run never interrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from batch_corpus import read_outputs, write_corpus
from parallax.batch.pipeline import BatchOptions, run_batch

pytestmark = pytest.mark.slow


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


def test_killed_run_resumes_to_the_same_outputs(tmp_path, nlp, bare_nlp, embedder):
    inputs = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "parallax.cli", "batch", *inputs, "--out", str(out)]
    command += ["--workers", "2", "--chunk-size", "1", "--quiet"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    state = out / ".parallax" / "state.sqlite"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            done, total = _chunks(state)
            if done >= 1:
                break
            time.sleep(0.1)
    finally:
        # The whole session: the driver and its worker processes, without warning.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    done, total = _chunks(state)
    assert 1 <= done < total == 7, f"not killed mid-analysis: {done}/{total} chunks done"

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

    reference = tmp_path / "reference"
    run_batch(inputs, BatchOptions(out=reference, workers=1, chunk_size=1, show_progress=False))
    assert read_outputs(out) == read_outputs(reference)
