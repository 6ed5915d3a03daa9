"""Faster forms of comparison steps give exactly what the one-by-one forms gave."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.compare import align
from parallax.compare.conflicts import (
    ACCUSED_DENIES_SIMILARITY,
    CROSS_ARTICLE_ACCUSED_SIMILARITY,
    CROSS_ARTICLE_FOCUS_SIMILARITY,
    FOCUS_SIMILARITY,
    STRONG_SIMILARITY,
    _denies,
    _link_features,
    _linked,
    _stems,
    evidence_focus,
    find_positions,
    positions_needing_vectors,
)


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


def _accused(position, other):
    """The accusation rule as it was written before, from the positions themselves."""
    if position.attribution.stance not in ("accuse", "allege", "claim"):
        return False
    return other.holder.split()[-1].lower() in position.proposition.lower()


def _same_holder(a, b):
    """The same-holder rule as it was written before, from the two names."""
    suffixes = ("jr", "sr", "ii", "iii")
    last_a = [w for w in a.split() if w.rstrip(".").lower() not in suffixes]
    last_b = [w for w in b.split() if w.rstrip(".").lower() not in suffixes]
    return a == b or (bool(last_a and last_b) and last_a[-1].lower() == last_b[-1].lower())


def _threshold_pairwise(a, b):
    """`_link_threshold` as it was written before, from the positions themselves."""
    same_article = a.attribution.doc == b.attribution.doc
    found = []
    if _accused(a, b) and _denies(b):
        found.append(
            ACCUSED_DENIES_SIMILARITY if same_article else CROSS_ARTICLE_ACCUSED_SIMILARITY
        )
    from parallax.compare.conflicts import _SELF_REFERENCE

    if _SELF_REFERENCE.match(b.proposition):
        return min(found, default=None)
    a_stems, b_stems = _stems(a.proposition), _stems(b.proposition)
    if evidence_focus(b.attribution.content.text) & a_stems:
        found.append(FOCUS_SIMILARITY if same_article else CROSS_ARTICLE_FOCUS_SIMILARITY)
    if a_stems & b_stems:
        found.append(STRONG_SIMILARITY)
    return min(found, default=None)


def _needing_pairwise(positions):
    """`positions_needing_vectors` as it was written before: every (positive, denial) pair."""
    needed: set[int] = set()
    for j, b in enumerate(positions):
        if b.polarity >= 0 or b.antecedent is not None:
            continue
        for i, a in enumerate(positions):
            if a.polarity <= 0 or _same_holder(a.holder, b.holder):
                continue
            if _threshold_pairwise(a, b) is not None:
                needed.update((i, j))
    return sorted(needed)


@pytest.fixture(scope="module")
def positions(nlp, seeds_dir):
    from parallax.analyze import analyze_articles
    from parallax.compare.dossier import build_actors
    from parallax.ingest.sources import read_inputs

    seeds = analyze_articles(list(read_inputs(sorted(map(str, seeds_dir.glob("*.txt"))))), nlp)
    _, _, canonical = build_actors(seeds)
    return find_positions([a for item in seeds for a in item.attributions], canonical)


def test_positions_needing_vectors_as_pair_by_pair(positions):
    assert sum(p.polarity < 0 and p.antecedent is None for p in positions) >= 3
    assert positions_needing_vectors(positions) == _needing_pairwise(positions)
    # each article alone too: the rules differ within and across articles
    for doc in {p.attribution.doc for p in positions}:
        own = [p for p in positions if p.attribution.doc == doc]
        assert positions_needing_vectors(own) == _needing_pairwise(own)


def test_linked_as_pair_by_pair(positions):
    feats = [_link_features(p) for p in positions]
    decided = 0
    for j, b in enumerate(positions):
        if b.polarity >= 0:
            continue
        for i, a in enumerate(positions):
            if a.polarity <= 0:
                continue
            for similarity in (0.3, 0.4, 0.42, 0.45, 0.5, 0.55, 0.7, 0.9):
                if b.antecedent is not None:
                    expected = b.antecedent == i
                else:
                    needed = _threshold_pairwise(a, b)
                    expected = needed is not None and similarity >= needed
                got = _linked(i, a, b, feats[i], feats[j], lambda s=similarity: s)
                assert got == expected
                decided += expected
    assert decided > 0
