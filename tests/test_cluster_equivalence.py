"""The clusterer's fast paths against the plain computations they replace, bit for bit.

Story assignments must not move when the clusterer gets faster, so each shortcut is checked
here against the straightforward version on small random input: equal arrays, not close ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from parallax.cluster.features import ArticleFeatures
from parallax.cluster.neighbours import NeighbourGraph
from parallax.cluster.stories import (
    _EMPTY_INDEX,
    _EMPTY_VALUES,
    BLOCKS,
    ClusterSettings,
    StoryClusterer,
    _block_of,
    _hash_many,
    _slots_of,
    _span_gap,
    _with_slots,
    arrival_order,
)

DAY0 = datetime(2024, 3, 22, tzinfo=UTC)


def _random_features(count: int, seed: int) -> list[ArticleFeatures]:
    """Articles drawing keys from small vocabularies (so slots collide and repeat), with
    some zero and negative weights and some empty blocks."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        vector = rng.normal(0, 1, 16).astype(np.float32)
        if i % 3 == 0:
            # Every third article is close to the one before: stories of several articles.
            vector = out[-1].vector + 0.05 * vector if out else vector

        def weights(prefix: str, size: int, vocabulary: int) -> dict[str, float]:
            keys = rng.integers(0, vocabulary, size)
            return {f"{prefix}{k}": float(rng.choice([0.0, -1.0, 1.0, 2.0, 3.5])) for k in keys}

        out.append(
            ArticleFeatures(
                id=f"a{i}",
                vector=(vector / np.linalg.norm(vector)).astype(np.float32),
                entities=weights("person:p", int(rng.integers(0, 6)), 40),
                terms=weights("t", int(rng.integers(0, 20)), 300),
                names=weights("N", int(rng.integers(0, 10)), 80),
                numbers=frozenset(f"num:{k}" for k in rng.integers(0, 30, int(rng.integers(0, 3)))),
                dates=frozenset(f"date:{k}" for k in rng.integers(0, 9, int(rng.integers(0, 2)))),
                published=DAY0 + timedelta(hours=float(rng.uniform(0, 24 * i / 10 + 1))),
            )
        )
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _hash_keys(features: ArticleFeatures) -> tuple[np.ndarray, np.ndarray]:
    """One article's keys hashed the plain way: the reference `_hash_many` must equal."""
    slots = _slots_of("entities", features.entities)
    slots += _slots_of("terms", features.terms)
    slots += _slots_of("numbers", features.numbers)
    slots += _slots_of("dates", features.dates)
    slots += _slots_of("names", features.names)
    if not slots:
        return _EMPTY_INDEX, _EMPTY_VALUES
    weights = np.ones(len(slots))
    counted = len(features.entities) + len(features.terms)
    weights[:counted] = [*features.entities.values(), *features.terms.values()]
    weights[:counted] = np.sqrt(np.maximum(weights[:counted], 0.0))
    if features.names:
        weights[-len(features.names) :] = np.sqrt(np.maximum(list(features.names.values()), 0.0))
    signed = np.asarray(slots, dtype=np.int64)
    keep = weights > 0
    signed, weights = signed[keep], weights[keep]
    index, inverse = np.unique(np.abs(signed) - 1, return_inverse=True)
    summed = np.bincount(inverse, weights=np.where(signed > 0, weights, -weights))
    block_of = _block_of(index)
    norms = np.sqrt(np.bincount(block_of, weights=summed * summed, minlength=len(BLOCKS)))
    norms[norms == 0] = 1.0
    return index, (summed / norms[block_of]).astype(np.float32)


def test_hashing_many_articles_equals_hashing_each():
    items = _random_features(300, seed=3)
    items.append(ArticleFeatures(id="empty", vector=np.ones(16, dtype=np.float32)))
    batched = _hash_many(items)
    assert len(batched) == len(items)
    for item, (index, values) in zip(items, batched, strict=True):
        alone_index, alone_values = _hash_keys(item)
        assert _same(index, alone_index), item.id
        assert _same(values, alone_values), item.id


def test_slot_union_equals_numpy_union():
    rng = np.random.default_rng(5)
    for _ in range(200):
        held = np.unique(rng.integers(0, 500, int(rng.integers(0, 60)))).astype(np.int64)
        new = np.unique(rng.integers(0, 500, int(rng.integers(1, 30)))).astype(np.int64)
        assert _same(_with_slots(held, new), np.union1d(held, new))
    held = np.arange(10, dtype=np.int64)
    assert _with_slots(held, held[2:5]) is held


def test_span_gap_shortcut_equals_the_full_formula():
    rng = np.random.default_rng(9)
    for _ in range(500):
        a, b, c, d = (DAY0 + timedelta(seconds=float(s)) for s in rng.integers(0, 50, 4))
        full = max(0.0, (c - b).total_seconds(), (a - d).total_seconds())
        assert _span_gap(a, b, c, d) == full


def test_scalar_time_feature_equals_the_array_path():
    clusterer = StoryClusterer(ClusterSettings())
    gaps = [0.0, 1.0, 86400.0 * 89.999, 86400.0 * 90, 86400.0 * 91, 1e9, float("nan")]
    gaps += np.random.default_rng(2).uniform(0, 1e7, 50).tolist()
    as_array = clusterer._time_feature(np.asarray(gaps))
    for gap, expected in zip(gaps, as_array.tolist(), strict=True):
        assert clusterer._time_feature(gap) == expected


def test_story_slots_cover_their_rows_and_norms_match_a_dense_scan():
    items = _random_features(400, seed=11)
    clusterer = StoryClusterer(ClusterSettings(quiet_hours=12.0))
    clusterer.add_many(items)
    clusterer.settle()
    assert clusterer.active_stories() and len(clusterer.stories()) > len(clusterer.active_stories())
    for story_id in clusterer.active_stories():
        story = clusterer._stories[story_id]
        dense = clusterer._profiles[clusterer._row_of[story_id]]
        index = np.flatnonzero(dense)
        held, values = clusterer._profiles_of(story)
        assert _same(held, index) and _same(values, dense[index])
        # The norms as they were computed from a scan of the whole row.
        weighted = dense[index] * clusterer._idf(index)
        norms = np.sqrt(
            np.bincount(_block_of(index), weights=weighted * weighted, minlength=len(BLOCKS))
        )
        norms[norms == 0] = 1.0
        before = story.norms.copy()
        clusterer._refresh_norms(story)
        assert _same(story.norms, norms)
        story.norms = before


def test_batched_arrivals_leave_the_same_state_as_single_ones():
    items = _random_features(250, seed=4)
    batched, single = StoryClusterer(), StoryClusterer()
    batched.add_many(items)
    for i in arrival_order(items):
        single.add(items[i])
    assert batched.state_to_dict() == single.state_to_dict()


def test_a_full_list_drops_its_first_weakest_entry():
    graph = NeighbourGraph(3)
    graph.add("a", "s1", [], str)
    graph.lists["a"] = {"x": 0.5, "y": 0.2, "z": 0.2}
    graph.add("b", "s2", [("a", 0.3)], lambda article: "s1")
    assert list(graph.lists["a"]) == ["x", "z", "b"]
    graph.add("c", "s3", [("a", 0.2)], lambda article: "s1")
    assert list(graph.lists["a"]) == ["x", "z", "b"]


class _CheckedClusterer(StoryClusterer):
    """A clusterer that checks its matrix rows after every retirement and activation: a row
    is zero outside its story's slots, and rows past the active ones are all zero (new rows
    are not cleared, and rows move by their slots alone)."""

    checks = 0

    def _check_rows(self) -> None:
        for row, story_id in enumerate(self._rows):
            outside = np.setdiff1d(
                np.flatnonzero(self._profiles[row]), self._stories[story_id].slots
            )
            assert outside.size == 0, f"row of {story_id} has values outside its slots"
        assert not np.any(self._profiles[len(self._rows) :]), "a free row is not zero"
        self.checks += 1

    def _retire(self, story_id: str, keep_profiles: bool = True) -> None:
        super()._retire(story_id, keep_profiles)
        self._check_rows()

    def _activate(self, story) -> None:
        super()._activate(story)
        self._check_rows()


def test_rows_stay_zero_outside_their_slots_through_runs_and_settles():
    items = _random_features(300, seed=5)
    state = None
    for start in range(0, len(items), 60):
        if state is None:
            clusterer = _CheckedClusterer(ClusterSettings(quiet_hours=12.0))
        else:
            clusterer = _CheckedClusterer.from_state(state)
        clusterer.add_many(items[start : start + 60])
        clusterer.settle()
        state = clusterer.state_to_dict()
    assert clusterer.checks > 0
