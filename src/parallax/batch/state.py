"""The state of a batch run, kept in the output folder so that a run can be resumed.

`DIR/.parallax/state.sqlite` records every article taken in (its id, content digest, arrival
number and chunk), each chunk's progress, the analysis and clustering features of every
analysed article (compressed), the stories, and which groups of stories have their dossiers
and tables written. SQLite commits are atomic, and output files are renamed into place before
the commit that records them, so a run killed at any moment leaves either the old state or the
new one, never a half-written file that the state calls done.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

STATE_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    published REAL,
    analysis BLOB,
    features BLOB,
    error TEXT
);
CREATE INDEX IF NOT EXISTS articles_chunk ON articles (chunk);
CREATE TABLE IF NOT EXISTS chunks (chunk INTEGER PRIMARY KEY, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS stories (position INTEGER PRIMARY KEY, members TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    number INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    stories TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Analysed:
    """What the analysis of one article left in the state."""

    seq: int
    id: str
    digest: str
    analysis: bytes | None
    features: bytes | None
    published: float | None
    error: str | None = None


class RunState:
    """The SQLite state of one output folder (one connection, used by the driver only)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        version = self.meta("version")
        if version is None:
            self.set_meta("version", STATE_VERSION)
        elif version != STATE_VERSION:
            raise ValueError(
                f"{path}: state of another parallax version ({version}); use a new --out folder"
            )

    def close(self) -> None:
        self._db.close()

    # --- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )

    # --- ingest ---------------------------------------------------------------------------

    def known_digests(self) -> dict[str, str]:
        """Article id -> content digest of every article taken in so far."""
        return dict(self._db.execute("SELECT id, digest FROM articles"))

    def next_seq(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM articles").fetchone()
        return int(row[0])

    def next_chunk(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(chunk), -1) + 1 FROM chunks").fetchone()
        return int(row[0])

    def add_chunk(self, chunk: int, members: Sequence[tuple[int, str, str]]) -> None:
        """Record a staged chunk and its articles (seq, id, digest) in one transaction."""
        with self._transaction():
            self._db.execute("INSERT INTO chunks (chunk, done) VALUES (?, 0)", (chunk,))
            self._db.executemany(
                "INSERT INTO articles (seq, id, digest, chunk) VALUES (?, ?, ?, ?)",
                [(seq, id_, digest, chunk) for seq, id_, digest in members],
            )

    def pending_chunks(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT chunk FROM chunks WHERE done=0 ORDER BY 1")]

    def chunk_sizes(self, chunks: Iterable[int]) -> dict[int, int]:
        wanted = set(chunks)
        rows = self._db.execute("SELECT chunk, COUNT(*) FROM articles GROUP BY chunk")
        return {chunk: count for chunk, count in rows if chunk in wanted}

    # --- analysis -------------------------------------------------------------------------

    def finish_chunk(self, chunk: int, analysed: Sequence[Analysed]) -> None:
        """Store a chunk's analyses and mark it done, in one transaction."""
        with self._transaction():
            self._db.executemany(
                "UPDATE articles SET analysis=?, features=?, published=?, error=? WHERE seq=?",
                [(a.analysis, a.features, a.published, a.error, a.seq) for a in analysed],
            )
            self._db.execute("UPDATE chunks SET done=1 WHERE chunk=?", (chunk,))

    def analysed_order(self) -> list[tuple[int, float | None]]:
        """(seq, publication time) of every analysed article, in arrival (seq) order."""
        return list(
            self._db.execute(
                "SELECT seq, published FROM articles WHERE features IS NOT NULL ORDER BY seq"
            )
        )

    def features_of(self, seq: int) -> bytes:
        return self._db.execute("SELECT features FROM articles WHERE seq=?", (seq,)).fetchone()[0]

    def seq_of_ids(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT id, seq FROM articles WHERE features IS NOT NULL"))

    def digests_of(self, seqs: Iterable[int]) -> list[tuple[int, str, str]]:
        """(seq, id, digest) of the given articles, in the order given."""
        out = []
        for seq in seqs:
            row = self._db.execute("SELECT id, digest FROM articles WHERE seq=?", (seq,)).fetchone()
            out.append((seq, row[0], row[1]))
        return out

    def errors(self) -> list[tuple[str, str]]:
        """(article id, reason) of every article whose analysis failed."""
        return list(
            self._db.execute("SELECT id, error FROM articles WHERE error IS NOT NULL ORDER BY seq")
        )

    def fingerprint(self) -> str:
        """What the set of analysed articles is: its size and last arrival number."""
        count, last = self._db.execute(
            "SELECT COUNT(*), COALESCE(MAX(seq), -1) FROM articles WHERE features IS NOT NULL"
        ).fetchone()
        return f"{count}:{last}"

    # --- stories --------------------------------------------------------------------------

    def set_stories(self, stories: Sequence[Sequence[int]], fingerprint: str) -> None:
        """Replace the stories (each a list of article seqs, in story order) in one go."""
        with self._transaction():
            self._db.execute("DELETE FROM stories")
            self._db.executemany(
                "INSERT INTO stories (position, members) VALUES (?, ?)",
                [(i, json.dumps(list(members))) for i, members in enumerate(stories)],
            )
            self.set_meta("clustered", fingerprint)

    def stories(self) -> Iterator[list[int]]:
        for (members,) in self._db.execute("SELECT members FROM stories ORDER BY position"):
            yield json.loads(members)

    # --- dossiers -------------------------------------------------------------------------

    def group(self, number: int) -> tuple[str, list[str]] | None:
        """The fingerprint and story ids recorded for a group of stories, if it is done."""
        row = self._db.execute(
            "SELECT fingerprint, stories FROM groups WHERE number=?", (number,)
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def finish_group(self, number: int, fingerprint: str, story_ids: Sequence[str]) -> None:
        self._db.execute(
            "INSERT INTO groups (number, fingerprint, stories) VALUES (?, ?, ?) "
            "ON CONFLICT(number) DO UPDATE SET fingerprint=excluded.fingerprint, "
            "stories=excluded.stories",
            (number, fingerprint, json.dumps(list(story_ids))),
        )

    def drop_groups_from(self, number: int) -> None:
        self._db.execute("DELETE FROM groups WHERE number>=?", (number,))

    # --- helpers --------------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, trace) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def read_analyses(path: Path, seqs: Sequence[int]) -> list[bytes]:
    """The stored analyses of the given articles, in the order given, read through a separate
    read-only connection (worker processes and Ray loader tasks read while the driver writes)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        found = {}
        for begin in range(0, len(seqs), 500):
            part = list(seqs[begin : begin + 500])
            marks = ",".join("?" * len(part))
            found.update(
                db.execute(f"SELECT seq, analysis FROM articles WHERE seq IN ({marks})", part)
            )
        return [found[seq] for seq in seqs]
    finally:
        db.close()
