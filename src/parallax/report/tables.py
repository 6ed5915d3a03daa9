"""Flat tables of articles, attributions, claims and conflicts, written as Parquet.

Each table has a fixed Arrow schema, so that every part of a table has the same columns and
types whatever its rows hold (an empty part, a column that is null everywhere). Rows are plain
dicts built from the data model; nested values (authors, mentions, conflict sides) stay nested
as Arrow lists and structs rather than being flattened into strings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from parallax.model import AnalyzedArticle, Attribution, Dossier

_SPAN = [("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]

ARTICLES = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published", pa.string()),
        ("language", pa.string()),
        ("kind", pa.string()),
        ("digest", pa.string()),
        ("text", pa.string()),
        ("boilerplate", pa.list_(pa.struct([*_SPAN, ("reason", pa.string())]))),
        ("sentences", pa.int64()),
        ("entities", pa.int64()),
        ("attributions", pa.int64()),
        ("claims", pa.int64()),
    ]
)

ATTRIBUTIONS = pa.schema(
    [
        ("id", pa.string()),
        ("article", pa.string()),
        ("kind", pa.string()),
        ("stance", pa.string()),
        ("negated", pa.bool_()),
        ("cue", pa.string()),
        ("cue_start", pa.int64()),
        ("cue_end", pa.int64()),
        ("content", pa.string()),
        ("content_start", pa.int64()),
        ("content_end", pa.int64()),
        ("speaker", pa.string()),
        ("speaker_start", pa.int64()),
        ("speaker_end", pa.int64()),
        ("speaker_name", pa.string()),
    ]
)

CLAIMS = pa.schema(
    [
        ("story", pa.string()),
        ("id", pa.string()),
        ("text", pa.string()),
        ("speaker", pa.string()),
        ("speaker_name", pa.string()),
        ("status", pa.string()),
        ("outlets", pa.int64()),
        ("articles", pa.list_(pa.string())),
        ("mentions", pa.list_(pa.struct([("article", pa.string()), *_SPAN]))),
    ]
)

CONFLICTS = pa.schema(
    [
        ("story", pa.string()),
        ("id", pa.string()),
        ("kind", pa.string()),
        ("about", pa.string()),
        (
            "sides",
            pa.list_(
                pa.struct(
                    [
                        ("text", pa.string()),
                        ("holders", pa.list_(pa.string())),
                        ("articles", pa.list_(pa.string())),
                        ("claims", pa.list_(pa.string())),
                    ]
                )
            ),
        ),
    ]
)

STORIES = pa.schema(
    [
        ("story", pa.string()),
        ("size", pa.int64()),
        ("articles", pa.list_(pa.string())),
        ("dossier", pa.string()),
    ]
)


def article_row(analyzed: AnalyzedArticle, digest: str) -> dict:
    """One row of the articles table: metadata, text as read, and what the analysis found."""
    article = analyzed.article
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "language": article.language,
        "kind": article.kind,
        "digest": digest,
        "text": article.text,
        "boilerplate": [b.model_dump() for b in article.boilerplate],
        "sentences": len(analyzed.sentences),
        "entities": len(analyzed.entities),
        "attributions": len(analyzed.attributions),
        "claims": len(analyzed.claims),
    }


def attribution_row(attribution: Attribution) -> dict:
    """One row of the attributions table: the `parallax attributions` record, flattened."""
    speaker = attribution.speaker
    return {
        "id": attribution.id,
        "article": attribution.doc,
        "kind": attribution.kind,
        "stance": attribution.stance,
        "negated": attribution.negated,
        "cue": attribution.cue.text,
        "cue_start": attribution.cue.start,
        "cue_end": attribution.cue.end,
        "content": attribution.content.text,
        "content_start": attribution.content.start,
        "content_end": attribution.content.end,
        "speaker": speaker.text if speaker else None,
        "speaker_start": speaker.start if speaker else None,
        "speaker_end": speaker.end if speaker else None,
        "speaker_name": speaker.name if speaker else None,
    }


def claim_rows(dossier: Dossier) -> list[dict]:
    """One row per claim of a dossier, with its status and every mention across outlets."""
    actors = {a.id: a.name for a in dossier.actors}
    outlet_of = {a.id: a.outlet or a.id for a in dossier.articles}
    rows = []
    for claim in dossier.claims:
        articles = list(dict.fromkeys(m.article for m in claim.mentions))
        rows.append(
            {
                "story": dossier.story,
                "id": claim.id,
                "text": claim.text,
                "speaker": claim.speaker,
                "speaker_name": actors.get(claim.speaker) if claim.speaker else None,
                "status": claim.status,
                "outlets": len({outlet_of.get(a, a) for a in articles}),
                "articles": articles,
                "mentions": [
                    {"article": m.article, "start": m.span[0], "end": m.span[1], "text": m.text}
                    for m in claim.mentions
                ],
            }
        )
    return rows


def conflict_rows(dossier: Dossier) -> list[dict]:
    """One row per conflict of a dossier, its sides nested."""
    return [
        {
            "story": dossier.story,
            "id": conflict.id,
            "kind": conflict.kind,
            "about": conflict.about,
            "sides": [side.model_dump() for side in conflict.sides],
        }
        for conflict in dossier.conflicts
    ]


def to_table(rows: Sequence[dict], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table of exactly `schema` (missing keys are nulls)."""
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def write_parquet(rows: Sequence[dict], schema: pa.Schema, path: Path) -> None:
    """Write rows to `path` atomically: a temporary file beside it, then a rename, so that a
    reader (or a killed run) never sees a half-written file."""
    write_parquet_tables([to_table(rows, schema)], schema, path)


def write_parquet_tables(tables: Iterable[pa.Table], schema: pa.Schema, path: Path) -> None:
    """Write tables as consecutive row groups of one Parquet file, atomically (see above)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with pq.ParquetWriter(temporary, schema, compression="zstd") as writer:
            for table in tables:
                writer.write_table(table)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
