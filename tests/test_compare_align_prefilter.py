"""The static pre-filter: which claims are embedded by the transformer at all."""

from __future__ import annotations

import numpy as np

from parallax.compare.align import with_close_reading
from parallax.compare.dossier import unit_vectors


def _rows(*pairs: tuple[float, float]) -> np.ndarray:
    vectors = np.array(pairs, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_close_reading_looks_only_at_other_articles():
    vectors = _rows((1, 0), (1, 0.05), (0, 1), (0.05, 1))
    # rows 0 and 1 are alike but in one article; 0 and 3 are far apart
    assert with_close_reading(vectors, ["a", "a", "b", "b"], 0.9).tolist() == [False] * 4
    assert with_close_reading(vectors, ["a", "b", "b", "c"], 0.9).tolist() == [
        True,
        True,
        True,
        True,
    ]
    assert with_close_reading(vectors, ["a", "b", "c", "c"], 0.9).tolist() == [
        True,
        True,
        False,
        False,
    ]


def test_close_reading_of_more_rows_than_a_chunk(monkeypatch):
    from parallax.compare import align

    monkeypatch.setattr(align, "CHUNK", 2)
    vectors = _rows((1, 0), (0, 1), (0.1, 1), (1, 0.1), (-1, 0))
    found = with_close_reading(vectors, ["a", "a", "b", "c", "d"], 0.95)
    assert found.tolist() == [True, True, True, True, False]


def test_units_without_a_close_reading_get_no_transformer_vector(nlp):
    from parallax.analyze import analyze_articles
    from parallax.ingest.sources import article_from_text

    texts = [
        "Officials said at least 14 people were killed in the attack on the market on Monday.",
        "Fourteen people were killed in Monday's attack on the market, officials said. "
        "The city's football team won its third title in a row on Sunday.",
    ]
    analyzed = analyze_articles(
        [article_from_text(t, f"a{i}.txt") for i, t in enumerate(texts)], nlp=nlp
    )
    units = [u for a in analyzed for u in a.claims]
    texts_of = [u.text for u in units]
    embedded: list[str] = []

    def embed(batch):
        embedded.extend(batch)
        return np.ones((len(batch), 384), dtype=np.float32)

    def static(batch):
        # the football sentence reads unlike everything else; the two killings alike
        return _rows(*[(0, 1) if "football" in t else (1, 0) for t in batch])

    vectors = unit_vectors(units, texts_of, embed, static, 0.5)
    football = [i for i, t in enumerate(texts_of) if "football" in t]
    assert football and not vectors[football].any()
    assert all("football" not in t for t in embedded)
    assert len(embedded) == len(units) - len(football)
    everything = unit_vectors(units, texts_of, embed)
    assert everything.any(axis=1).all()
