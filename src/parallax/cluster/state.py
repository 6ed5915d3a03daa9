"""Keeping the story clusterer's state in a small SQLite file, so new articles join old stories.

The state is the JSON of `StoryClusterer.state_to_dict()`, stored whole in one row and
replaced in one transaction; nothing else of the store lives here.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

from parallax.cluster.stories import ClusterSettings, StoryClusterer
from parallax.errors import StoryStateMismatch

_TABLE = "parallax_story_state"


def sqlite_path(target: str) -> Path:
    """The file named by `sqlite:///FILE` or a plain path; ValueError for other databases."""
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///") :])
    if "://" in target:
        raise ValueError(f"{target}: story state is kept only in SQLite (sqlite:///FILE or a path)")
    return Path(target)


def load_clusterer(path: Path, settings: ClusterSettings | None = None) -> StoryClusterer:
    """The clusterer saved in `path`, or a new one when the file or its state is absent."""
    if not path.is_file():
        return StoryClusterer(settings)
    with sqlite3.connect(path) as connection:
        exists = connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name=?", (_TABLE,)
        ).fetchone()
        row = (
            connection.execute(f"SELECT state FROM {_TABLE} WHERE id=1").fetchone()
            if exists
            else None
        )
    if row is None:
        return StoryClusterer(settings)
    return StoryClusterer.from_state(json.loads(row[0]))


def save_clusterer(path: Path, clusterer: StoryClusterer) -> None:
    """Write the clusterer's whole state into `path` (created when absent), atomically."""
    payload = json.dumps(clusterer.state_to_dict(), separators=(",", ":"))
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_TABLE} (id INTEGER PRIMARY KEY, state TEXT)"
            )
            connection.execute(
                f"INSERT INTO {_TABLE} (id, state) VALUES (1, ?) "
                "ON CONFLICT(id) DO UPDATE SET state=excluded.state",
                (payload,),
            )
    finally:
        connection.close()


def cluster_into(path: Path, articles: list, quiet_hours: float | None = None) -> dict[str, str]:
    """Add articles to the stories kept in `path`, settle the merge checks, save; article id
    -> story id.

    Articles already in the state keep their story unless it merged into another; ids of the
    whole state are current (a story merged away is named by the story that absorbed it).
    `quiet_hours` sets the quiet window of a new state; a kept state built with another
    window raises StoryStateMismatch before any article is added, and nothing is written.
    """
    from parallax.cluster.features import article_features

    settings = None if quiet_hours is None else ClusterSettings(quiet_hours=quiet_hours)
    clusterer = load_clusterer(path, settings)
    stored = clusterer.settings.quiet_hours
    if quiet_hours is not None and not math.isclose(stored, quiet_hours):
        raise StoryStateMismatch(
            path=path,
            setting="--quiet-days",
            stored=f"{stored / 24:g}",
            asked=f"{quiet_hours / 24:g}",
        )
    clusterer.add_many(article_features(articles) if articles else [])
    clusterer.settle()
    save_clusterer(path, clusterer)
    return {article.id: clusterer.story_of(article.id) or "" for article in articles}
