"""A `kill -9` in the middle of `parallax ingest`, then a re-run: nothing lost, nothing
duplicated, no half-written article, and the story's dossier covers every article."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import backend_url
from parallax.store import Store
from parallax.store.schema import ArticleRow, StoryRow

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COPIES = 8  # 24 articles: two write rounds of 16


PLACES = "Amberley Birchwood Calder Dunmore Elstow Farrow Glenby Hollin"
ROLES = "mayor harbourmaster coroner auditor chaplain engineer surveyor warden"


def write_batch(folder: Path) -> list[Path]:
    """Distinct articles: each example with an added paragraph of its own (the cleaner drops
    lines that repeat across an outlet's pages, so each added line differs in its words)."""
    paths = []
    for source in sorted(EXAMPLES.glob("*.txt")):
        lines = source.read_text("utf-8").split("\n\n")
        for n, (place, role) in enumerate(zip(PLACES.split(), ROLES.split(), strict=True)):
            extra = f"In {place}, the {role} said the {source.stem.split('-')[0]} case was closed."
            path = folder / f"{source.stem}-{n:02d}.txt"
            path.write_text("\n\n".join([*lines[:3], extra, *lines[3:]]), encoding="utf-8")
            paths.append(path)
    assert len(paths) == 3 * COPIES
    return paths


def ingest_command(url: str, paths: list[Path]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "parallax.cli",
        "ingest",
        "--one-story",
        "--db",
        url,
        *map(str, paths),
    ]


def stored_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(ArticleRow)) or 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_during_ingest_then_rerun_loses_and_duplicates_nothing(kind, tmp_path):
    url = backend_url(kind, tmp_path)
    paths = write_batch(tmp_path)
    store = Store(url)  # migrated before the run, so the count below can be polled at once
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        ingest_command(url, paths), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    killed_at = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        count = stored_count(store)
        if count >= 1:
            process.send_signal(signal.SIGKILL)
            killed_at = count
            break
        time.sleep(0.01)
    process.communicate(timeout=60)
    assert killed_at is not None, "the ingest finished or stalled before it could be killed"
    assert process.returncode == -signal.SIGKILL

    after_kill = stored_count(store)
    assert 1 <= after_kill < len(paths), "the kill landed mid-batch"
    print(f"killed after {after_kill} of {len(paths)} articles were stored")
    with store.engine.connect() as conn:
        rows = conn.execute(select(ArticleRow.key, ArticleRow.analysis_json)).all()
        stale = conn.scalar(select(StoryRow.dossier_stale))
    assert all(json.loads(analysis)["sentences"] for _, analysis in rows), "whole articles only"
    assert stale, "the story waits for its dossier"

    rerun = subprocess.run(
        ingest_command(url, paths), capture_output=True, text=True, env=env, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    records = [json.loads(line) for line in rerun.stdout.splitlines()]
    assert sum(r["status"] == "duplicate" for r in records) == after_kill
    assert sum(r["status"] == "stored" for r in records) == len(paths) - after_kill
    assert len({r["story"] for r in records}) == 1, "the re-run finishes the same story"

    assert stored_count(store) == len(paths)
    with store.engine.connect() as conn:
        keys = conn.scalars(select(ArticleRow.key)).all()
        hashes = conn.scalars(select(ArticleRow.text_hash)).all()
    assert len(set(keys)) == len(set(hashes)) == len(paths)
    assert {Path(p).stem for p in paths} == set(keys)
    story = store.get_story(records[0]["story"])
    assert not story.summary.stale
    assert {a.id for a in story.dossier.articles} == set(keys)
    store.close()
