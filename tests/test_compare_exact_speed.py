"""Faster forms of comparison steps give exactly what the one-by-one forms gave."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.compare import align


def _nearest_pairs_one_by_one(vectors, articles, k=align.NEIGHBOURS):
    """`nearest_pairs` as it was written before: a Python loop over every kept neighbour."""
    n = len(vectors)
    pairs: set[tuple[int, int]] = set()
    for begin, block in align._other_article_cosines(vectors, articles):
        take = min(k, n - 1)
        if take <= 0:
            continue
        top = np.argpartition(-block, take - 1, axis=1)[:, :take]
        for row, cols in enumerate(top):
            i = begin + row
            for j in cols:
                if np.isfinite(block[row, j]):
                    pairs.add((min(i, int(j)), max(i, int(j))))
    return pairs


@pytest.mark.parametrize("chunk", [7, align.CHUNK])
def test_nearest_pairs_same_pairs_in_the_same_order(monkeypatch, chunk):
    monkeypatch.setattr(align, "CHUNK", chunk)
    rng = np.random.default_rng(3)
    base = rng.normal(size=(40, 16)).astype(np.float32)
    # wire copies: identical rows make ties at the k-th neighbour
    vectors = np.concatenate([base, base[:15], base[5:10]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    articles = [f"a{i % 4}" for i in range(len(vectors))]
    articles[-5:] = ["solo"] * 5
    for k in (1, 3, 12, 100):
        fast = align.nearest_pairs(vectors, articles, k)
        slow = _nearest_pairs_one_by_one(vectors, articles, k)
        assert fast == slow
        assert list(fast) == list(slow)  # later sorts break ties in this order
    assert align.nearest_pairs(vectors[:1], ["a"]) == set()
    assert align.nearest_pairs(vectors[:3], ["a"] * 3) == set()
