"""Tables of a dossier and of analysed articles, and their atomic Parquet files."""

from __future__ import annotations

import pyarrow.parquet as pq

from parallax.model import (
    Actor,
    Attribution,
    Claim,
    Conflict,
    ConflictSide,
    Dossier,
    DossierArticle,
    Mention,
    Span,
    Speaker,
)
from parallax.report import tables


def _dossier() -> Dossier:
    return Dossier(
        story="s1",
        articles=[
            DossierArticle(id="a", source="a.txt", outlet="Wire", title=None, published=None),
            DossierArticle(id="b", source="b.txt", outlet="Ledger", title=None, published=None),
        ],
        actors=[Actor(id="actor1", name="Dana Orlov", type="person")],
        claims=[
            Claim(
                id="c1",
                text="Twelve people died.",
                speaker="actor1",
                status="corroborated",
                mentions=[
                    Mention(article="a", span=(0, 19), text="Twelve people died."),
                    Mention(article="b", span=(5, 20), text="12 people died."),
                ],
            )
        ],
        conflicts=[
            Conflict(
                id="x1",
                kind="numeric",
                about="deaths",
                sides=[
                    ConflictSide(text="12", articles=["a"], claims=["c1"]),
                    ConflictSide(text="14", holders=["actor1"], articles=["b"]),
                ],
            )
        ],
    )


def test_claim_rows_carry_status_outlets_and_every_mention():
    (row,) = tables.claim_rows(_dossier())
    assert row["story"] == "s1" and row["speaker_name"] == "Dana Orlov"
    assert row["outlets"] == 2 and row["articles"] == ["a", "b"]
    assert row["mentions"][1] == {"article": "b", "start": 5, "end": 20, "text": "12 people died."}


def test_conflict_rows_keep_their_sides_nested():
    (row,) = tables.conflict_rows(_dossier())
    assert [side["text"] for side in row["sides"]] == ["12", "14"]
    assert row["sides"][1]["holders"] == ["actor1"]


def test_attribution_row_without_speaker_has_null_speaker_columns():
    attribution = Attribution(
        id="a:1",
        doc="a",
        kind="according_to",
        cue=Span(start=0, end=12, text="According to"),
        content=Span(start=20, end=40, text="the fire was set"),
    )
    row = tables.attribution_row(attribution)
    assert row["article"] == "a" and row["speaker"] is None and row["speaker_name"] is None
    with_speaker = attribution.model_copy(
        update={"speaker": Speaker(start=13, end=18, text="Reyes", name="Tomas Reyes")}
    )
    assert tables.attribution_row(with_speaker)["speaker_name"] == "Tomas Reyes"


def test_parquet_files_have_the_schema_even_when_empty(tmp_path):
    path = tmp_path / "claims" / "part-000000.parquet"
    tables.write_parquet([], tables.CLAIMS, path)
    assert pq.read_schema(path).equals(tables.CLAIMS)
    tables.write_parquet(tables.claim_rows(_dossier()), tables.CLAIMS, path)
    assert pq.read_table(path).to_pylist() == tables.claim_rows(_dossier())
    # Written beside and renamed: nothing else is left in the folder.
    assert [p.name for p in path.parent.iterdir()] == [path.name]
