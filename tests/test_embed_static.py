"""The static word-piece embedder distilled from MiniLM (training/distill_static_embeddings.py)."""

from __future__ import annotations

import numpy as np

from parallax.embed import STATIC_FILE, load_static_embedder

SENTENCES = [
    "At least 14 people were killed in the attack on Monday.",
    "Officials said fourteen were killed in Monday's assault.",
    "Stocks rose sharply on Wall Street after the jobs report.",
    "The senator said the bill would not pass the chamber this year.",
]


def test_matrix_ships_small_and_covers_the_vocabulary(embedder):
    with np.load(STATIC_FILE) as stored:
        matrix, centre = stored["matrix"], stored["centre"]
    assert matrix.shape[0] == embedder.vocabulary_size
    assert centre.shape == (matrix.shape[1],)
    assert STATIC_FILE.stat().st_size < 20_000_000
    assert np.isfinite(matrix.astype(np.float32)).all()


def test_vectors_are_unit_rows_and_empty_text_is_zero():
    vectors = load_static_embedder().embed([*SENTENCES, ""])
    assert np.allclose(np.linalg.norm(vectors[:-1], axis=1), 1.0, atol=1e-5)
    assert not vectors[-1].any()


def test_static_cosines_order_pairs_like_the_transformer(embedder):
    fast = load_static_embedder().embed(SENTENCES)
    full = embedder.embed(SENTENCES)
    static_sim, model_sim = fast @ fast.T, full @ full.T
    # the paraphrase pair is the closest pair under both
    upper = np.triu_indices(len(SENTENCES), k=1)
    assert np.argmax(static_sim[upper]) == np.argmax(model_sim[upper]) == 0
    assert static_sim[0, 1] > static_sim[0, 2] + 0.2
