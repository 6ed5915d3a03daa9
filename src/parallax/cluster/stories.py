"""Online story clustering: articles join the best matching story in arrival order.

An editor's notion of a story is one real-world event. Two events often share people and
places (two rehab stays of one actress, two offers to one ball player), so a story is more
than a topic: the clusterer weighs these signals for an article against a candidate story —

- the cosine of the article's title+lead embedding with the story's centroid;
- the cosine of key entities (people, places, organisations), weighted by their rarity;
- the cosine of content words over the whole text, weighted by their rarity;
- the cosine of capitalised names and figures over the whole text ("Sukanya", "23"), by
  rarity: the details that tell two events of one topic apart;
- the cosine of stated numbers ("$160 million") and of calendar dates or years, by rarity;
- the distance in time between the article and the story's time span, when both are known.

The score is a weighted sum of these signals; the weights and `join_threshold` come from a
logistic regression of "this article belongs to this story" fitted on simulated arrivals
(`parallax.cluster.learn`, shipped in `story_weights.json`, retrained by
`training/train_stories.py`). Each article joins the best candidate whose score reaches
`join_threshold`, or starts a story. The fitted threshold is strict: a report of the other
event of a topic rarely gets in, and one event may start as several small stories.

Those are put together by shared neighbours (`parallax.cluster.neighbours`). Each arriving
article looks for its `neighbours` most similar articles (names and entity cosines) among
the last members of its best candidates, and is offered in turn to their lists. Reports of
one event list each other; reports of two look-alike events list mostly their own event's
reports, however alike the two events are. `settle_arrivals` arrivals after an article came
(or at `settle()`, which a run calls at its end), its story is merged with the story of one
of its neighbours while the members of the two share at least `link_threshold` of their
neighbours on average. Near-copies (syndicated wire text, found by MinHash bands) always join
the story of the copy seen first, so a group of copies is clustered as one unit.

When a run settles, each story that took an article in the run is offered to the story it
fits best (story-to-story score): a story of at most `fragment_size` articles merges at
`absorb_threshold`, a larger one at `rejoin_threshold`. Joins can so be strict, which keeps
two look-alike events apart, and the fragments that leaves are put back once the run's
stories are complete. These merges ask less than a join, so they may not leave a story whose
dated articles span more than `absorb_span_days`: in a dense stream of one beat, a lenient
merge repeated at every settle would chain months of different events into one story.

Cost per article is bounded and vectorised. A story's word, entity, number, date and name
profiles are hashed vectors (signed feature hashing, `PROFILE_DIMS`), kept as rows of dense matrices
for *active* stories only, so scoring the candidates is a few matrix products with no loop
over stories or keys. Candidates are the top `candidates` active centroids by cosine plus the
stories posted under the article's rarest entities (inverted index, capped). A story with
dated articles goes quiet once `quiet_hours` have passed on the stream clock without a new
one; any story goes quiet after `quiet_arrivals` arrivals without one (two heaps, no scan).
A quiet story leaves the matrices and keeps its profiles as sparse arrays; an article without
a time may still reach it through a shared rare entity, since nothing shows that it came
after the quiet period.

The state is plain data: `state_to_dict()` gives JSON-ready dicts and `from_state()` rebuilds
a clusterer that continues exactly where the first one stopped.
"""

from __future__ import annotations

import heapq
import json
import math
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from threadpoolctl import threadpool_limits

from parallax.cluster.features import ArticleFeatures, article_features
from parallax.cluster.neighbours import NeighbourGraph
from parallax.model import Article, Story

STATE_VERSION = 3

# Hashed profile width per signal; signed hashing keeps chance collisions zero-mean.
PROFILE_DIMS = {"entities": 4096, "terms": 8192, "numbers": 1024, "dates": 1024, "names": 4096}
BLOCKS = tuple(PROFILE_DIMS)
# The columns of an article-against-story feature row, in order: the embedding cosine, one
# rarity-weighted cosine per profile block, and the time gap (0 .. 1 of `time_scale_days`).
FEATURES = ("embedding", *BLOCKS, "time")
# How alike two articles are when looking for an article's nearest neighbours: the rarity-
# weighted cosines of their names-and-figures and of their entity profiles, mixed.
NEIGHBOUR_WEIGHTS = {"names": 0.6, "entities": 0.4}
WEIGHTS_FILE = Path(__file__).with_name("story_weights.json")


@lru_cache(maxsize=1)
def shipped_weights() -> dict:
    """The fitted weights and thresholds shipped with parallax (story_weights.json)."""
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def _shipped(name: str) -> float:
    return float(shipped_weights()["settings"][name])


_EMPTY_INDEX = np.zeros(0, dtype=np.int64)
_EMPTY_VALUES = np.zeros(0, dtype=np.float32)


class ClusterSettings(BaseModel):
    """Weights and thresholds of story clustering (documented in docs/stories.md).

    The weights, `join_threshold`, `link_threshold`, `merge_threshold` and `time_penalty`
    default to the values
    fitted by training/train_stories.py (story_weights.json); see docs/quality.md for how they
    were measured on topics the fit never saw.
    """

    join_threshold: float = _shipped("join_threshold")
    # Two stories merge when their members share at least this mean share of neighbours and
    # their story-to-story score (on the scale of the join score) reaches `merge_threshold`.
    link_threshold: float = _shipped("link_threshold")
    merge_threshold: float = _shipped("merge_threshold")
    weight_embedding: float = _shipped("weight_embedding")
    weight_entities: float = _shipped("weight_entities")
    weight_terms: float = _shipped("weight_terms")
    weight_numbers: float = _shipped("weight_numbers")
    weight_dates: float = _shipped("weight_dates")
    weight_names: float = _shipped("weight_names")
    # Articles this far apart in time (days) get the full time penalty.
    time_scale_days: float = 90.0
    time_penalty: float = _shipped("time_penalty")
    # A story stops taking dated articles once it has been quiet this long (90 days: ECB+
    # stories run on for weeks, a check-in and the check-out a month later are one story) ...
    quiet_hours: float = 2160.0
    # ... and stops taking any article after this many arrivals without a new member.
    quiet_arrivals: int = 20_000
    # A story old by the clock stays a candidate until this many arrivals after its last
    # member (articles of a late batch find the stories their kin started moments before).
    quiet_grace_arrivals: int = 20
    # Candidates per article: top centroids by cosine, plus stories sharing a rare entity.
    candidates: int = 12
    entity_candidates: int = 12
    entity_probe: int = 4
    # Nearest articles kept per article; a neighbour must be at least this similar (0.6 x
    # names cosine + 0.4 x entity cosine, `neighbour_similarity`).
    neighbours: int = 6
    neighbour_floor: float = 0.15
    # Where neighbours are looked for: the last members of the best-scoring candidates.
    neighbour_stories: int = 6
    neighbour_members: int = 6
    # An article's story is checked for merges this many arrivals after it came (its
    # neighbours have arrived by then), or at `settle()`.
    settle_arrivals: int = 1000
    # At `settle()`, a story of at most `fragment_size` articles that took one since the last
    # settle joins the active story it fits best when their story-to-story score reaches
    # `absorb_threshold` (fitted; below the join threshold, as the stories have grown since
    # the fragment's articles arrived).
    fragment_size: int = int(_shipped("fragment_size"))
    absorb_threshold: float = _shipped("absorb_threshold")
    # ... and a larger story of the run does so when the score reaches `rejoin_threshold`.
    rejoin_threshold: float = _shipped("rejoin_threshold")
    # Neither kind of settle merge may leave a story whose dated articles span more than this
    # many days. Those merges ask far less than a join, and in a dense stream of one beat (a
    # year of campaign news) they would chain months of distinct events into one story; 60 is
    # the tightest cap, in steps of 15 days, that changes nothing on ECB+ in-sample
    # (docs/quality.md, "Chaining on a dense stream").
    absorb_span_days: float = 60.0
    # Near-duplicates: at least this many shared MinHash bands.
    duplicate_bands: int = 2
    # Key entities kept per story (for the inverted index and `key_entities`).
    story_entities: int = 32


_OFFSETS = dict(zip(BLOCKS, np.cumsum([0, *PROFILE_DIMS.values()])[:-1].tolist(), strict=True))
_BOUNDS = np.cumsum([0, *PROFILE_DIMS.values()])
_WIDTH = int(_BOUNDS[-1])


def _signed_slot(block: str, key: str) -> int:
    """1 + the key's bucket in the concatenated blocks, negated for half of the keys (the
    sign of signed hashing); stable across runs and machines. Callers go through the memo
    of `_slots_of`."""
    code = zlib.crc32(key.encode("utf-8"))
    slot = _OFFSETS[block] + code % PROFILE_DIMS[block] + 1
    return -slot if (code >> 31) & 1 else slot


# Hashed keys of recently seen ArticleFeatures objects (by identity; the object is kept so
# its id cannot be reused): fitting and cross-validation feed the same articles many times.
_HASHED_CACHE: OrderedDict[int, tuple[ArticleFeatures, np.ndarray, np.ndarray]] = OrderedDict()
_HASHED_CACHE_SIZE = 4096


def _hashed(features: ArticleFeatures) -> tuple[np.ndarray, np.ndarray]:
    """An article's keys hashed into the concatenated blocks: (sorted slots, values), each
    block's part a unit vector."""
    cached = _HASHED_CACHE.get(id(features))
    if cached is not None and cached[0] is features:
        _HASHED_CACHE.move_to_end(id(features))
        return cached[1], cached[2]
    index, values = _hash_many([features])[0]
    _HASHED_CACHE[id(features)] = (features, index, values)
    if len(_HASHED_CACHE) > _HASHED_CACHE_SIZE:
        _HASHED_CACHE.popitem(last=False)
    return index, values


# Signed slots of keys seen before, per block (a plain dict lookup is the cheapest path).
_SLOTS: dict[str, dict[str, int]] = {block: {} for block in BLOCKS}
_SLOTS_LIMIT = 1 << 20


def _slots_of(block: str, keys) -> list[int]:
    """The signed slots of keys of one block, remembered (up to `_SLOTS_LIMIT` per block)."""
    known = _SLOTS[block]
    try:
        # Nearly every key has been seen before: one lookup each, no branch.
        return [known[key] for key in keys]
    except KeyError:
        pass
    out = []
    for key in keys:
        slot = known.get(key)
        if slot is None:
            slot = _signed_slot(block, key)
            if len(known) < _SLOTS_LIMIT:
                known[key] = slot
        out.append(slot)
    return out


# Articles hashed in one numpy pass by `_hash_many` (bounds the temporary arrays).
_HASH_CHUNK = 2048


def _hash_many(items: Sequence[ArticleFeatures]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The hashed keys of many articles at once (sorted slots, values; each block's part a
    unit vector), equal bit for bit to hashing each alone: the slots of all
    articles are made unique per article in one sort, and each slot's weights are summed in
    the order one article's keys give them, so every sum and norm adds the same numbers in
    the same order."""
    slots: list[int] = []
    weights: list[float] = []
    counts = np.zeros(len(items), dtype=np.int64)
    for i, features in enumerate(items):
        keys = _slots_of("entities", features.entities)
        keys += _slots_of("terms", features.terms)
        keys += _slots_of("numbers", features.numbers)
        keys += _slots_of("dates", features.dates)
        keys += _slots_of("names", features.names)
        counts[i] = len(keys)
        slots += keys
        weights += features.entities.values()
        weights += features.terms.values()
        # Numbers and dates weigh 1 (the square root below leaves 1 unchanged).
        weights += [1.0] * (len(features.numbers) + len(features.dates))
        weights += features.names.values()
    if not slots:
        return [(_EMPTY_INDEX, _EMPTY_VALUES) for _ in items]
    weight = np.sqrt(np.maximum(np.asarray(weights, dtype=np.float64), 0.0))
    signed = np.asarray(slots, dtype=np.int64)
    owner = np.repeat(np.arange(len(items), dtype=np.int64), counts)
    keep = weight > 0
    signed, weight, owner = signed[keep], weight[keep], owner[keep]
    keys, inverse = np.unique(owner * _WIDTH + np.abs(signed) - 1, return_inverse=True)
    summed = np.bincount(inverse, weights=np.where(signed > 0, weight, -weight))
    owner = keys // _WIDTH
    index = keys - owner * _WIDTH
    group = owner * len(BLOCKS) + _block_of(index)
    norms = np.sqrt(np.bincount(group, weights=summed * summed, minlength=len(items) * len(BLOCKS)))
    norms[norms == 0] = 1.0
    values = (summed / norms[group]).astype(np.float32)
    cuts = np.searchsorted(owner, np.arange(len(items) + 1))
    return [
        (index[cuts[i] : cuts[i + 1]], values[cuts[i] : cuts[i + 1]])
        if cuts[i] < cuts[i + 1]
        else (_EMPTY_INDEX, _EMPTY_VALUES)
        for i in range(len(items))
    ]


def _block_of(index: np.ndarray) -> np.ndarray:
    """Which block (0 .. len(BLOCKS)-1) each slot of the concatenated blocks belongs to."""
    return np.searchsorted(_BOUNDS, index, side="right") - 1


def hashed_profiles(features: ArticleFeatures) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """An article's entity, word, number and date profiles as sparse unit vectors: per block,
    (sorted bucket indices, values) of its keys hashed into `PROFILE_DIMS[block]` buckets.

    Entity, word and name counts are square-rooted first (a name repeated twenty times is not
    twenty times the evidence); numbers and dates weigh 1 each. A block with no keys gets
    empty arrays.
    """
    index, values = _hashed(features)
    cuts = np.searchsorted(index, _BOUNDS)
    return {
        block: (index[cuts[i] : cuts[i + 1]] - _OFFSETS[block], values[cuts[i] : cuts[i + 1]])
        for i, block in enumerate(BLOCKS)
    }


@dataclass
class _Story:
    id: str
    vector_sum: np.ndarray
    size: int = 0
    entities: dict[str, float] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    last_arrival: int = 0
    articles: list[str] = field(default_factory=list)
    # Idf-weighted profile norms as of the last change, one per block.
    norms: np.ndarray = field(default_factory=lambda: np.ones(len(BLOCKS), dtype=np.float64))
    # Profiles of a quiet story as (slots, values); None while it has a matrix row.
    sparse: tuple[np.ndarray, np.ndarray] | None = None
    # While it has a matrix row: the sorted slots its members' keys were hashed to (every
    # non-zero of the row is among them), so reading the row needs no scan of its width.
    slots: np.ndarray | None = None
    unit: np.ndarray | None = None

    def centroid(self) -> np.ndarray:
        """The unit mean of the members' vectors (cached until the story changes)."""
        if self.unit is None:
            norm = float(np.linalg.norm(self.vector_sum))
            self.unit = self.vector_sum / norm if norm > 0 else self.vector_sum
        return self.unit


def _with_slots(held: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The sorted union of two sorted arrays of distinct slots (`held` unchanged when it
    has all of `new`)."""
    if not held.size:
        return new.copy()
    at = held.searchsorted(new)
    fresh = held[np.minimum(at, len(held) - 1)] != new
    if not fresh.any():
        return held
    merged = np.concatenate((held, new[fresh]))
    merged.sort()
    return merged


@dataclass
class _Arrival:
    """An article with its hashed profiles and idf² queries, computed once.

    `index`/`values` are the article's slots in the concatenated blocks (each block a unit
    vector); `queries` is a (slots × blocks) matrix holding value × idf² / |value × idf| in
    the column of the slot's block, so the rarity-weighted cosines with every candidate row
    are one gather and one matrix product.
    """

    features: ArticleFeatures
    index: np.ndarray
    values: np.ndarray
    queries: np.ndarray
    norms: np.ndarray
    blocks: np.ndarray


def _add_entities(profile: dict[str, float], weights: dict[str, float], limit: int) -> list[str]:
    """Add entity weights into a story's key entities in place, keeping the `limit` heaviest;
    returns the keys that are new to the story."""
    new = [key for key in weights if key not in profile]
    for key, weight in weights.items():
        profile[key] = profile.get(key, 0.0) + weight
    if len(profile) > limit:
        kept = sorted(profile.items(), key=lambda item: -item[1])[:limit]
        profile.clear()
        profile.update(kept)
    return new


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else math.nan


class StoryClusterer:
    """Online clusterer: feed ArticleFeatures with `add`/`add_many`, read `stories()`.

    The result depends only on the order of arrival, not on how arrivals are split into
    calls: feeding a list at once or in consecutive parts gives the same stories.
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self._weights = feature_weights(self.settings)
        self._stories: dict[str, _Story] = {}
        self._article_story: dict[str, str] = {}
        self._merged_into: dict[str, str] = {}
        # Document frequency per hashed bucket, and its log, per block.
        self._df = np.zeros(_WIDTH, dtype=np.int64)
        self._log_df = np.zeros(_WIDTH, dtype=np.float64)
        self._docs = 0
        self._arrivals = 0
        self._next_id = 0
        self._clock: datetime | None = None
        self._bands: dict[str, str] = {}
        self._postings: dict[str, list[str]] = {}
        # Active stories: row i of every matrix belongs to story `_rows[i]`.
        self._rows: list[str] = []
        self._row_of: dict[str, int] = {}
        self._dim = 0
        self._centroids = np.zeros((0, 0), dtype=np.float32)
        # The centroids projected to `SKETCH_DIMS` dimensions, for finding candidates.
        self._sketches = np.zeros((0, 0), dtype=np.float32)
        self._profiles = np.zeros((0, _WIDTH), dtype=np.float32)
        self._norms = np.ones((0, len(BLOCKS)), dtype=np.float64)
        self._spans = np.zeros((0, 2), dtype=np.float64)
        self._time_heap: list[tuple[float, str]] = []
        self._arrival_heap: list[tuple[int, str]] = []
        self._grace_heap: list[tuple[int, str]] = []
        # Nearest-neighbour lists of articles, shared-neighbour counts of stories.
        self._graph = NeighbourGraph(self.settings.neighbours)
        # Names and entity slots of the articles of active stories, each value divided by its
        # block's idf-weighted norm at arrival: where an arriving article finds neighbours.
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # Merge checks to run: (due arrival, arrival, article id), and the ids still waiting.
        self._pending: list[tuple[int, int, str]] = []
        self._waiting: set[str] = set()
        # Per story: (its size when cached, `_searchable` arrays); a story that grew rebuilds.
        self._search_cache: dict[str, tuple[int, tuple]] = {}
        # Stories that took an article since the last `settle()` (fragments are checked then).
        self._touched: set[str] = set()

    # --- public -------------------------------------------------------------------------

    def add_many(self, features: Sequence[ArticleFeatures]) -> list[str]:
        """Add articles in arrival order; returns the story id of each, in the order given.

        Ids are read after the last article, so a story merged away on the way is not named.
        BLAS runs on one thread meanwhile: the products here are small, and a multi-threaded
        BLAS on a busy machine spends more time waiting for its threads than computing.
        """
        order = arrival_order(features)
        with threadpool_limits(limits=1, user_api="blas"):
            for start in range(0, len(order), _HASH_CHUNK):
                chunk = [features[i] for i in order[start : start + _HASH_CHUNK]]
                for item, hashed in zip(chunk, _hash_many(chunk), strict=True):
                    self._add(item, hashed)
        return [self._article_story[f.id] for f in features]

    def add(self, features: ArticleFeatures) -> str:
        """Add one article; returns the id of the story it joined or started.

        An article already seen (same id) is not added twice: its story id is returned.
        """
        return self._add(features, _hashed(features))

    def _add(self, features: ArticleFeatures, hashed: tuple[np.ndarray, np.ndarray]) -> str:
        """`add` with the article's hashed keys already made (`_hashed`, `_hash_many`)."""
        known = self._article_story.get(features.id)
        if known is not None:
            return known
        self._arrive(features)
        arrival = self._query(features, *hashed)
        candidates, scores = self._scored(arrival)
        story = self._duplicate_of(features)
        if story is None and candidates:
            best = int(np.argmax(scores))
            if scores[best] >= self.settings.join_threshold:
                story = candidates[best]
        if story is None:
            story = self._new_story(len(features.vector))
        self._join(story, arrival)
        self._link(arrival, story, candidates, scores)
        self._run_due()
        return self._article_story[features.id]

    def settle(self) -> None:
        """Run every waiting merge check now (at the end of a run: see `settle_arrivals`),
        then offer the small stories of this run to the stories they fit best."""
        self.run_merge_checks()
        with threadpool_limits(limits=1, user_api="blas"):
            self._absorb_fragments()

    def run_merge_checks(self) -> None:
        """Run every waiting merge check now, as `settle()` does first, without offering the
        run's small stories to others (fitting tries several absorb settings after one pass)."""
        with threadpool_limits(limits=1, user_api="blas"):
            while self._pending:
                self._check(heapq.heappop(self._pending)[2])

    def add_known(
        self, features: ArticleFeatures, story_id: str | None
    ) -> tuple[list[str], np.ndarray, str]:
        """Add an article to a story chosen beforehand (None: a new one), whatever its score.

        Returns what `add` would have weighed: the ids of the candidate stories (the chosen
        one included while it still takes articles), their `FEATURES` rows, and the id of
        the story the article is now in. This simulates arrivals with known stories, to fit
        the weights; it neither looks for neighbours nor merges stories.
        """
        known = self._article_story.get(features.id)
        if known is not None:
            return [], np.zeros((0, len(FEATURES))), known
        self._arrive(features)
        arrival = self._arrival(features)
        candidates = self._candidates(features)
        target = self._stories.get(self._resolve(story_id)) if story_id is not None else None
        if (
            target is not None
            and all(c.id != target.id for c in candidates)
            and self._is_open_to(target, features)
        ):
            candidates.append(target)
        rows = self._feature_rows(arrival, candidates)
        if target is None:
            target = self._new_story(len(features.vector))
        self._join(target, arrival)
        return [c.id for c in candidates], rows, target.id

    def stories(self) -> list[Story]:
        """Every story so far (active or quiet), in order of creation."""
        return [Story(id=s.id, articles=list(s.articles)) for s in self._stories.values()]

    def active_stories(self) -> list[str]:
        """Ids of the stories not yet quiet (the candidates a dated article is scored against)."""
        return list(self._rows)

    def story_of(self, article_id: str) -> str | None:
        """The story an article is in now, or None for an article never added."""
        return self._article_story.get(article_id)

    def merged(self) -> dict[str, str]:
        """Story ids that were merged away -> the id of the story that holds them now."""
        return {gone: self._resolve(gone) for gone in self._merged_into}

    def key_entities(self, story_id: str, limit: int = 8) -> list[str]:
        """A story's heaviest key entities ("person:lohan", "place:malibu"), heaviest first."""
        story = self._stories[self._resolve(story_id)]
        return [key for key, _ in sorted(story.entities.items(), key=lambda kv: -kv[1])[:limit]]

    def time_span(self, story_id: str) -> tuple[datetime | None, datetime | None]:
        """The first and last publication time of a story's dated articles (None if none)."""
        story = self._stories[self._resolve(story_id)]
        return story.first, story.last

    def score(self, features: ArticleFeatures, story_id: str) -> float:
        """How well an article fits a story (the number compared with `join_threshold`)."""
        arrival = self._arrival(features)
        return float(self._scores(arrival, [self._stories[self._resolve(story_id)]])[0])

    # --- state ----------------------------------------------------------------------------

    def state_to_dict(self) -> dict:
        """The whole state as JSON-ready plain data (lists, dicts, strings, numbers)."""
        return {
            "version": STATE_VERSION,
            "settings": self.settings.model_dump(),
            "docs": self._docs,
            "arrivals": self._arrivals,
            "next_id": self._next_id,
            "clock": self._clock.isoformat() if self._clock else None,
            "df": _sparse_counts(self._df),
            "bands": dict(self._bands),
            "merged_into": dict(self._merged_into),
            "active": list(self._rows),
            "graph": self._graph.to_dict(),
            "vectors": {
                article: [[int(i) for i in index], [float(v) for v in values]]
                for article, (index, values) in self._vectors.items()
            },
            "pending": [list(item) for item in self._pending],
            "touched": sorted(self._touched),
            "stories": [
                {
                    "id": s.id,
                    "size": s.size,
                    "vector_sum": [float(x) for x in s.vector_sum],
                    "entities": dict(s.entities),
                    "profile": [
                        [int(i) for i in self._profiles_of(s)[0]],
                        [float(v) for v in self._profiles_of(s)[1]],
                    ],
                    "norms": [float(x) for x in s.norms],
                    "first": s.first.isoformat() if s.first else None,
                    "last": s.last.isoformat() if s.last else None,
                    "last_arrival": s.last_arrival,
                    "articles": list(s.articles),
                }
                for s in self._stories.values()
            ],
        }

    @classmethod
    def from_state(cls, state: dict) -> StoryClusterer:
        """A clusterer that continues from `state_to_dict()` output.

        Raises ValueError for a state of another version (version 1, from before hashed
        profiles, cannot be continued: cluster into a new file).
        """
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"story clusterer state version {state.get('version')!r} unknown "
                f"(this parallax reads version {STATE_VERSION}; cluster into a new file)"
            )
        clusterer = cls(ClusterSettings(**state["settings"]))
        clusterer._docs = state["docs"]
        clusterer._arrivals = state["arrivals"]
        clusterer._next_id = state["next_id"]
        clusterer._clock = datetime.fromisoformat(state["clock"]) if state["clock"] else None
        counts = state["df"]
        index = np.asarray([int(k) for k in counts], dtype=np.int64)
        clusterer._df[index] = [int(v) for v in counts.values()]
        clusterer._log_df = np.log1p(clusterer._df)
        clusterer._bands = dict(state["bands"])
        clusterer._merged_into = dict(state["merged_into"])
        for item in state["stories"]:
            story = _Story(
                id=item["id"],
                vector_sum=np.asarray(item["vector_sum"], dtype=np.float32),
                size=item["size"],
                entities=dict(item["entities"]),
                first=datetime.fromisoformat(item["first"]) if item["first"] else None,
                last=datetime.fromisoformat(item["last"]) if item["last"] else None,
                last_arrival=item["last_arrival"],
                articles=list(item["articles"]),
                norms=np.asarray(item["norms"], dtype=np.float64),
                sparse=(
                    np.asarray(item["profile"][0], dtype=np.int64),
                    np.asarray(item["profile"][1], dtype=np.float32),
                ),
            )
            clusterer._stories[story.id] = story
            for article_id in story.articles:
                clusterer._article_story[article_id] = story.id
            for key in story.entities:
                clusterer._postings.setdefault(key, []).append(story.id)
        for story_id in state["active"]:
            clusterer._activate(clusterer._stories[story_id])
        clusterer._graph = NeighbourGraph.from_dict(state["graph"])
        clusterer._vectors = {
            article: (np.asarray(index, dtype=np.int64), np.asarray(values, dtype=np.float32))
            for article, (index, values) in state["vectors"].items()
        }
        clusterer._pending = [(int(due), int(at), str(a)) for due, at, a in state["pending"]]
        heapq.heapify(clusterer._pending)
        clusterer._waiting = {item[2] for item in clusterer._pending}
        clusterer._touched = set(state.get("touched", ()))
        return clusterer

    # --- candidates and scores -----------------------------------------------------------

    def _resolve(self, story_id: str) -> str:
        """The story a (possibly merged-away) story id lives on as."""
        while story_id in self._merged_into:
            story_id = self._merged_into[story_id]
        return story_id

    def _idf(self, index: np.ndarray | None = None) -> np.ndarray:
        """log(docs+1) - log(df+1) + 1 for the given slots (all slots when None)."""
        log_df = self._log_df if index is None else self._log_df[index]
        return math.log(self._docs + 1) - log_df + 1.0

    def _arrive(self, features: ArticleFeatures) -> None:
        """Count an arrival, move the stream clock and retire stories gone quiet."""
        self._arrivals += 1
        if features.published is not None and (
            self._clock is None or features.published > self._clock
        ):
            self._clock = features.published
        self._retire_quiet()

    def _arrival(self, features: ArticleFeatures) -> _Arrival:
        index, values = _hashed(features)
        return self._query(features, index, values)

    def _query(self, features: ArticleFeatures, index: np.ndarray, values: np.ndarray) -> _Arrival:
        """The idf² queries of hashed profiles (an article's, or a story's own sum)."""
        block_of = _block_of(index)
        idf = self._idf(index)
        weighted = values * idf
        norms = np.sqrt(np.bincount(block_of, weights=weighted * weighted, minlength=len(BLOCKS)))
        norms[norms == 0] = 1.0
        queries = np.zeros((len(index), len(BLOCKS)), dtype=np.float32)
        queries[np.arange(len(index)), block_of] = weighted * idf / norms[block_of]
        return _Arrival(features, index, values, queries, norms, block_of)

    def _profiles_of(self, story: _Story) -> tuple[np.ndarray, np.ndarray]:
        """A story's profile as sparse (slots, values), wherever it is kept now."""
        if story.sparse is not None:
            return story.sparse
        return self._row_nonzero(story, self._row_of[story.id])

    def _row_nonzero(self, story: _Story, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The non-zero slots of an active story's matrix row (ascending) and their values."""
        held = self._profiles[row, story.slots]
        nonzero = held != 0
        return story.slots[nonzero], held[nonzero]

    def _scores(self, arrival: _Arrival, stories: Sequence[_Story]) -> np.ndarray:
        """The join score of an article against each of the stories."""
        return self._feature_rows(arrival, stories) @ self._weights

    def _feature_rows(self, arrival: _Arrival, stories: Sequence[_Story]) -> np.ndarray:
        """One row of `FEATURES` per story for this article (vectorised over stories with a
        matrix row; quiet ones are read from their sparse profiles)."""
        row_of = self._row_of
        found = [row_of.get(s.id, -1) for s in stories]
        rows = np.asarray(found, dtype=np.int64)
        if min(found, default=-1) >= 0:
            # The usual case: every candidate has a matrix row.
            return self._active_rows(arrival, rows)
        out = np.zeros((len(stories), len(FEATURES)), dtype=np.float64)
        active = np.flatnonzero(rows >= 0)
        if active.size:
            out[active] = self._active_rows(arrival, rows[active])
        for i in np.flatnonzero(rows < 0):
            # Rare: only articles without a time reach quiet stories.
            out[i] = self._quiet_row(arrival, stories[int(i)])
        return out

    def _time_feature(self, gap_seconds: np.ndarray | float | None) -> np.ndarray | float:
        """A time gap as a share of `time_scale_days`, capped at 1; 0 when unknown."""
        if gap_seconds is None:
            return 0.0
        if isinstance(gap_seconds, float):
            # One gap: the same float64 arithmetic as the array path, without numpy.
            share = gap_seconds / 86400 / self.settings.time_scale_days
            return 0.0 if math.isnan(share) else min(1.0, share)
        gap = np.asarray(gap_seconds, dtype=np.float64)
        share = np.minimum(1.0, gap / 86400 / self.settings.time_scale_days)
        return np.where(np.isnan(share), 0.0, share)

    def _active_rows(self, arrival: _Arrival, rows: np.ndarray) -> np.ndarray:
        features = arrival.features
        out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
        out[:, 0] = self._centroids[rows] @ features.vector
        if arrival.index.size:
            # One gather by flat position (the matrix is C-contiguous, so reshape is a view).
            flat = rows[:, None] * _WIDTH + arrival.index
            dots = self._profiles.reshape(-1)[flat] @ arrival.queries
            out[:, 1 : 1 + len(BLOCKS)] = dots / self._norms[rows]
        if features.published is not None:
            moment = features.published.timestamp()
            spans = self._spans[rows]
            gap = np.maximum(0.0, np.maximum(spans[:, 0] - moment, moment - spans[:, 1]))
            out[:, -1] = self._time_feature(gap)
        return out

    def _quiet_row(self, arrival: _Arrival, story: _Story) -> np.ndarray:
        features = arrival.features
        out = np.zeros(len(FEATURES), dtype=np.float64)
        out[0] = float(story.centroid() @ features.vector)
        held, values = self._profiles_of(story)
        if arrival.index.size and held.size:
            _, at_story, at_query = np.intersect1d(
                held, arrival.index, assume_unique=True, return_indices=True
            )
            dots = values[at_story] @ arrival.queries[at_query]
            out[1 : 1 + len(BLOCKS)] = dots / story.norms
        gap = _span_gap(features.published, features.published, story.first, story.last)
        out[-1] = self._time_feature(gap)
        return out

    def _pair_score(self, a: _Story, b: _Story) -> float:
        """How alike two stories are, on the scale of an article's join score: the same
        weighted cosines between their centroids and rarity-weighted profiles."""
        row = np.zeros(len(FEATURES), dtype=np.float64)
        row[0] = float(a.centroid() @ b.centroid())
        row[-1] = self._time_feature(_span_gap(a.first, a.last, b.first, b.last))
        width = len(BLOCKS)
        if a.id in self._row_of and b.id in self._row_of:
            # Both have matrix rows: dense products are cheaper than finding their slots.
            idf = self._idf()
            left = self._profiles[self._row_of[a.id]] * idf
            right = self._profiles[self._row_of[b.id]] * idf
            starts = _BOUNDS[:-1]
            dots = np.add.reduceat(left * right, starts)
            norms = np.sqrt(
                np.add.reduceat(left * left, starts) * np.add.reduceat(right * right, starts)
            )
            row[1 : 1 + width] = np.divide(dots, norms, out=np.zeros(width), where=norms > 0)
            return float(row @ self._weights)
        index_a, values_a = self._profiles_of(a)
        index_b, values_b = self._profiles_of(b)
        idf_a = values_a * self._idf(index_a)
        idf_b = values_b * self._idf(index_b)
        _, at_a, at_b = np.intersect1d(index_a, index_b, assume_unique=True, return_indices=True)
        dots = np.bincount(
            _block_of(index_a[at_a]), weights=idf_a[at_a] * idf_b[at_b], minlength=width
        )
        norm_a = np.sqrt(np.bincount(_block_of(index_a), weights=idf_a * idf_a, minlength=width))
        norm_b = np.sqrt(np.bincount(_block_of(index_b), weights=idf_b * idf_b, minlength=width))
        norms = norm_a * norm_b
        row[1 : 1 + width] = np.divide(dots, norms, out=np.zeros(width), where=norms > 0)
        return float(row @ self._weights)

    def _top_rows(self, vector: np.ndarray, k: int) -> list[_Story]:
        """The k active stories whose centroids are nearest to a vector."""
        n = len(self._rows)
        if n == 0:
            return []
        sims = self._sketches[:n] @ (vector @ _projection(len(vector)))
        rows = range(n) if k >= n else np.argpartition(-sims, k - 1)[:k].tolist()
        stories, ids = self._stories, self._rows
        return [stories[ids[row]] for row in rows]

    def _is_open_to(self, story: _Story, features: ArticleFeatures) -> bool:
        """Whether a story still takes this article.

        No story takes anything after `quiet_arrivals` arrivals without a new member. A dated
        article joins a dated story only when its time lies within `quiet_hours` of the
        story's time span (so an old article fed late, as in a backfill, still reaches the
        stories of its own time, and never a story from months later); a dated article joins
        an undated story only while that story is active. An undated article may reach any
        story not quiet by arrivals: nothing shows that it came after the quiet period.
        """
        if self._arrivals - story.last_arrival > self.settings.quiet_arrivals:
            return False
        if features.published is None:
            return True
        gap = _span_gap(features.published, features.published, story.first, story.last)
        if gap is None:
            return story.id in self._row_of
        return gap <= self.settings.quiet_hours * 3600

    def _candidates(self, features: ArticleFeatures) -> list[_Story]:
        settings = self.settings
        found = {
            s.id: s
            for s in self._top_rows(features.vector, settings.candidates)
            if features.published is None or self._is_open_to(s, features)
        }
        # Rarest entities first: they point at few stories, and at the right ones.
        keys = list(features.entities)
        if keys:
            counts = self._df[np.abs(_slots_of("entities", keys)) - 1].tolist()
            keys = [keys[i] for i in sorted(range(len(keys)), key=counts.__getitem__)]
        rare = keys
        for key in rare[: settings.entity_probe]:
            for posted in reversed(self._postings.get(key, [])[-settings.entity_candidates :]):
                story_id = self._resolve(posted)
                if story_id not in found:
                    story = self._stories[story_id]
                    if self._is_open_to(story, features):
                        found[story_id] = story
        return list(found.values())

    def _scored(self, arrival: _Arrival) -> tuple[list[_Story], np.ndarray]:
        """The candidate stories of an article and its join score against each."""
        candidates = self._candidates(arrival.features)
        if not candidates:
            return [], np.zeros(0)
        return candidates, self._scores(arrival, candidates)

    def _duplicate_of(self, features: ArticleFeatures) -> _Story | None:
        """The open story holding a near-copy of this article (enough shared MinHash bands)."""
        counts: dict[str, int] = {}
        for band in features.bands:
            owner = self._bands.get(band)
            if owner is not None:
                story_id = self._resolve(owner)
                counts[story_id] = counts.get(story_id, 0) + 1
        for story_id, shared in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            story = self._stories[story_id]
            if shared >= self.settings.duplicate_bands and self._is_open_to(story, features):
                return story
        return None

    # --- changes --------------------------------------------------------------------------

    def _new_story(self, dim: int) -> _Story:
        self._next_id += 1
        story = _Story(id=f"s{self._next_id}", vector_sum=np.zeros(dim, dtype=np.float32))
        story.sparse = (_EMPTY_INDEX, _EMPTY_VALUES)
        self._stories[story.id] = story
        return story

    def _grow(self, dim: int) -> None:
        """Make room for one more active row (capacity doubles)."""
        if self._dim != dim:
            self._dim = dim
            self._centroids = np.zeros((0, dim), dtype=np.float32)
            self._sketches = np.zeros((0, _projection(dim).shape[1]), dtype=np.float32)
        capacity = len(self._centroids)
        if len(self._rows) < capacity:
            return
        size = max(64, capacity * 2)
        used = len(self._rows)

        def grown(matrix: np.ndarray, fill: float = 0.0) -> np.ndarray:
            # Zeros come from fresh pages (no writing), so growing the wide profile matrix
            # costs only the copy of its used rows.
            shape = (size, *matrix.shape[1:])
            bigger = (
                np.zeros(shape, matrix.dtype) if fill == 0 else np.full(shape, fill, matrix.dtype)
            )
            bigger[:used] = matrix[:used]
            return bigger

        self._centroids = grown(self._centroids)
        self._sketches = grown(self._sketches)
        self._profiles = grown(self._profiles)
        self._norms = grown(self._norms, 1.0)
        self._spans = grown(self._spans, math.nan)

    def _activate(self, story: _Story) -> None:
        """Give a story a matrix row (or refresh it) and push its quiet clocks."""
        row = self._row_of.get(story.id)
        if row is None:
            self._grow(len(story.vector_sum))
            row = len(self._rows)
            self._row_of[story.id] = row
            self._rows.append(story.id)
            index, values = story.sparse if story.sparse is not None else (_EMPTY_INDEX, [])
            # Rows past the active ones are kept all zero (see _retire): no need to clear it.
            self._profiles[row, index] = values
            story.slots = index
            story.sparse = None
        self._centroids[row] = story.centroid()
        self._sketches[row] = story.centroid() @ _projection(len(story.vector_sum))
        self._norms[row] = story.norms
        self._spans[row] = (_timestamp(story.first), _timestamp(story.last))
        heapq.heappush(self._arrival_heap, (story.last_arrival, story.id))
        if story.last is not None:
            heapq.heappush(self._time_heap, (story.last.timestamp(), story.id))

    def _retire(self, story_id: str, keep_profiles: bool = True) -> None:
        """Take a story out of the matrices; its profiles are kept as sparse arrays."""
        row = self._row_of.pop(story_id, None)
        if row is None:
            return
        story = self._stories[story_id]
        if keep_profiles:
            story.sparse = self._row_nonzero(story, row)
            # A quiet story's articles are no longer anyone's candidate neighbours.
            for article in story.articles:
                self._vectors.pop(article, None)
            self._graph.forget(a for a in story.articles if a not in self._waiting)
        # A row is zero outside its story's slots, so clearing and moving the slots alone
        # leaves every row past the active ones all zero, without writing whole wide rows.
        self._profiles[row, story.slots] = 0.0
        story.slots = None
        self._search_cache.pop(story_id, None)
        last = len(self._rows) - 1
        if row != last:
            moved = self._rows[last]
            self._rows[row] = moved
            self._row_of[moved] = row
            self._centroids[row] = self._centroids[last]
            self._sketches[row] = self._sketches[last]
            slots = self._stories[moved].slots
            self._profiles[row, slots] = self._profiles[last, slots]
            self._profiles[last, slots] = 0.0
            self._norms[row] = self._norms[last]
            self._spans[row] = self._spans[last]
        self._rows.pop()

    def _retire_quiet(self) -> None:
        """Retire stories that went quiet, by arrivals and by the stream clock."""
        limit = self._arrivals - self.settings.quiet_arrivals
        while self._arrival_heap and self._arrival_heap[0][0] < limit:
            arrival, story_id = heapq.heappop(self._arrival_heap)
            story = self._stories.get(story_id)
            # Stale entries (the story took an article since, or was merged) are skipped.
            if story is not None and story.last_arrival == arrival:
                self._retire(story_id)
        if self._clock is None:
            return
        horizon = self._clock.timestamp() - self.settings.quiet_hours * 3600
        grace = self.settings.quiet_grace_arrivals
        while self._grace_heap and self._grace_heap[0][0] <= self._arrivals:
            due, story_id = heapq.heappop(self._grace_heap)
            story = self._stories.get(story_id)
            # Retired unless it took an article since (its clocks were pushed again then).
            if (
                story is not None
                and story.last_arrival + grace == due
                and story.last is not None
                and story.last.timestamp() < horizon
            ):
                self._retire(story_id)
        while self._time_heap and self._time_heap[0][0] < horizon:
            stamp, story_id = heapq.heappop(self._time_heap)
            story = self._stories.get(story_id)
            if story is None or story.last is None or story.last.timestamp() != stamp:
                continue
            if story.last_arrival + grace > self._arrivals:
                # Old by the clock but fed just now (a late batch): keep it a while for its kin.
                heapq.heappush(self._grace_heap, (story.last_arrival + grace, story_id))
            else:
                self._retire(story_id)

    def _refresh_norms(self, story: _Story) -> None:
        """Idf-weighted norms of a story's profiles, with the rarity of words at this moment."""
        # Summed over the story's slots in ascending order: the zeros among them add nothing,
        # so the sums are those over the non-zero entries, bit for bit.
        index = story.slots
        weighted = self._profiles[self._row_of[story.id], index] * self._idf(index)
        norms = np.sqrt(
            np.bincount(_block_of(index), weights=weighted * weighted, minlength=len(BLOCKS))
        )
        norms[norms == 0] = 1.0
        story.norms = norms

    def _join(self, story: _Story, arrival: _Arrival) -> None:
        features = arrival.features
        self._count(arrival)
        story.size += 1
        story.vector_sum = story.vector_sum + features.vector
        story.unit = None
        if features.published is not None:
            story.first = min(story.first or features.published, features.published)
            story.last = max(story.last or features.published, features.published)
        story.last_arrival = self._arrivals
        self._activate(story)
        row = self._row_of[story.id]
        # Through the row's own view: 1-d fancy indexing is the cheap path in numpy.
        profile = self._profiles[row]
        profile[arrival.index] += arrival.values
        story.slots = _with_slots(story.slots, arrival.index)
        self._refresh_norms(story)
        self._norms[row] = story.norms
        for key in _add_entities(story.entities, features.entities, self.settings.story_entities):
            self._postings.setdefault(key, []).append(story.id)
        story.articles.append(features.id)
        self._article_story[features.id] = story.id
        self._touched.add(story.id)
        for band in features.bands:
            self._bands.setdefault(band, story.id)

    def _count(self, arrival: _Arrival) -> None:
        """Count an article's hashed keys into the rarity table (document frequency)."""
        self._docs += 1
        index = arrival.index
        self._df[index] += 1
        self._log_df[index] = np.log1p(self._df[index])

    # --- neighbours and merges ---------------------------------------------------------

    def _absorb_fragments(self) -> None:
        """Merge each small story of this run (at most `fragment_size` articles) into the
        story it fits best, when their story-to-story score reaches `absorb_threshold`.

        A report that arrived before the others of its event, or that scored just below the
        join threshold against a story still small then, is left alone in a fragment; once
        the run is over the event's story is complete and scored with the run's rarities.
        Stories are checked in order of creation, so the result depends only on arrivals.
        No such merge may leave a story spanning more than `absorb_span_days`.
        """
        touched = sorted(self._touched, key=lambda sid: (len(sid), sid))
        self._touched.clear()
        for story_id in touched:
            story = self._stories.get(self._resolve(story_id))
            if story is None:
                continue
            small = story.size <= self.settings.fragment_size
            partner, score = self._best_partner(story)
            threshold = self.settings.absorb_threshold if small else self.settings.rejoin_threshold
            # The best fit or nothing: a worse partner within the span is likelier wrong.
            if (
                partner is not None
                and score >= threshold
                and _joint_span_days(story, partner) <= self.settings.absorb_span_days
            ):
                keep, gone = (partner, story) if partner.size >= story.size else (story, partner)
                self._absorb(keep, gone)

    def _best_partner(self, story: _Story) -> tuple[_Story | None, float]:
        """The story (candidates found as for an undated article, and within `quiet_hours`
        of this story's time span) that a story fits best, and their story-to-story score;
        (None, -inf) when there is no other candidate."""
        probe = ArticleFeatures(id=story.id, vector=story.centroid(), entities=story.entities)
        horizon = self.settings.quiet_hours * 3600
        candidates, gaps = [], []
        for candidate in self._candidates(probe):
            gap = _span_gap(story.first, story.last, candidate.first, candidate.last)
            if candidate.id != story.id and (gap is None or gap <= horizon):
                candidates.append(candidate)
                gaps.append(gap)
        if not candidates:
            return None, -math.inf
        index, values = self._profiles_of(story)
        rows = self._feature_rows(self._query(probe, index, values), candidates)
        rows[:, -1] = [self._time_feature(gap) for gap in gaps]
        scores = rows @ self._weights
        best = int(np.argmax(scores))
        return candidates[best], float(scores[best])

    def _link(
        self, arrival: _Arrival, story: _Story, candidates: list[_Story], scores: np.ndarray
    ) -> None:
        """Find the article's nearest earlier articles among the last members of its best
        candidates (and of its own story), offer it to theirs, schedule its merge check."""
        settings = self.settings
        article = arrival.features.id
        self._vectors[article] = _neighbour_slots(arrival)
        searched = [candidates[i] for i in np.argsort(-scores, kind="stable").tolist()]
        searched = searched[: settings.neighbour_stories]
        if all(s.id != story.id for s in searched):
            searched.append(story)
        offered = self._neighbour_similarities(arrival, searched)
        self._graph.add(article, story.id, offered, self._article_story.__getitem__)
        heapq.heappush(
            self._pending, (self._arrivals + settings.settle_arrivals, self._arrivals, article)
        )
        self._waiting.add(article)

    def _searchable(self, story: _Story) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """A story's last `neighbour_members` members that still have slots, with their slots
        and values concatenated and the number of slots of each (cached until it grows)."""
        cached = self._search_cache.get(story.id)
        if cached is not None and cached[0] == story.size:
            return cached[1]
        members = [
            m for m in story.articles[-self.settings.neighbour_members :] if m in self._vectors
        ]
        held = [self._vectors[m] for m in members]
        entry = (
            members,
            np.concatenate([h[0] for h in held]) if held else _EMPTY_INDEX,
            np.concatenate([h[1] for h in held]) if held else _EMPTY_VALUES,
            np.array([len(h[0]) for h in held], dtype=np.int64),
        )
        self._search_cache[story.id] = (story.size, entry)
        return entry

    def _neighbour_similarities(
        self, arrival: _Arrival, stories: list[_Story]
    ) -> list[tuple[str, float]]:
        """(member, similarity) for the searched members at least `neighbour_floor` alike, the
        `2 x neighbours` most alike first; the similarity mixes the rarity-weighted names and
        entity cosines (`NEIGHBOUR_WEIGHTS`).

        Members' slots are stored already divided by their block norms, and the query holds
        value x idf^2 / norm x weight, so each member's similarity is one gather and a sum.
        """
        if not arrival.index.size:
            return []
        parts = [self._searchable(s) for s in stories]
        members = [m for part in parts for m in part[0]]
        if not members:
            return []
        sizes = np.concatenate([part[3] for part in parts])
        index = np.concatenate([part[1] for part in parts])
        if not index.size:
            return []
        values = np.concatenate([part[2] for part in parts])
        query = np.zeros(_WIDTH, dtype=np.float32)
        query[arrival.index] = arrival.queries.sum(axis=1) * _NEIGHBOUR_SCALE[arrival.blocks]
        products = values * query[index]
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        similarity = np.add.reduceat(products, np.minimum(starts, len(products) - 1))
        similarity[sizes == 0] = 0.0
        best = np.argsort(-similarity, kind="stable")[: 2 * self.settings.neighbours + 1]
        floor = self.settings.neighbour_floor
        # Compared as before, in float32 (a Python float beside a numpy float32 is weak).
        best = best[similarity[best] >= floor]
        alike = similarity[best].tolist()
        return list(zip([members[i] for i in best.tolist()], alike, strict=True))

    def _run_due(self) -> None:
        """Run the merge checks that are due at this arrival."""
        while self._pending and self._pending[0][0] <= self._arrivals:
            self._check(heapq.heappop(self._pending)[2])

    def _check(self, article: str) -> None:
        """Merge the article's story with the story of one of its neighbours, again and
        again, while their members share at least `link_threshold` of their neighbours (the
        best-linked first) and the two stories are alike enough (`merge_threshold`)."""
        self._waiting.discard(article)
        while True:
            story = self._stories[self._article_story[article]]
            links: dict[str, float] = {}
            for neighbour in self._graph.neighbours(article):
                other = self._article_story.get(neighbour)
                if other is None or other == story.id or other in links:
                    continue
                links[other] = self._graph.link(
                    story.id, story.size, other, self._stories[other].size
                )
            if not links:
                break
            other, value = max(links.items(), key=lambda item: item[1])
            if value < self.settings.link_threshold:
                break
            partner = self._stories[other]
            if self._pair_score(story, partner) < self.settings.merge_threshold:
                break
            keep, gone = (partner, story) if partner.size > story.size else (story, partner)
            self._absorb(keep, gone)
        if self._article_story[article] not in self._row_of:
            self._graph.forget([article])

    def _absorb(self, keep: _Story, gone: _Story) -> None:
        """Move every member of `gone` into `keep`; `gone` lives on as an alias.

        The merged story is active afterwards (a quiet one gets its matrix row back and goes
        quiet again by the usual clocks).
        """
        if keep.id not in self._row_of:
            self._activate(keep)
        keep_row = self._row_of[keep.id]
        if gone.id in self._row_of:
            # Outside its slots the row of `gone` is zero: adding only those is the same sum.
            index = gone.slots
            self._profiles[keep_row, index] += self._profiles[self._row_of[gone.id], index]
            # Before the retirement, which may move the row of `keep` by its slots.
            keep.slots = _with_slots(keep.slots, index)
            self._retire(gone.id, keep_profiles=False)
        else:
            index, values = self._profiles_of(gone)
            self._profiles[keep_row, index] += values
            keep.slots = _with_slots(keep.slots, index)
        keep.size += gone.size
        keep.vector_sum = keep.vector_sum + gone.vector_sum
        keep.unit = None
        for key in _add_entities(keep.entities, gone.entities, self.settings.story_entities):
            self._postings.setdefault(key, []).append(keep.id)
        times = [t for t in (keep.first, keep.last, gone.first, gone.last) if t is not None]
        if times:
            keep.first, keep.last = min(times), max(times)
        keep.last_arrival = max(keep.last_arrival, gone.last_arrival)
        keep.articles.extend(gone.articles)
        for article_id in gone.articles:
            self._article_story[article_id] = keep.id
        del self._stories[gone.id]
        self._search_cache.pop(gone.id, None)
        self._merged_into[gone.id] = keep.id
        self._graph.merge(keep.id, gone.id)
        self._refresh_norms(keep)
        self._activate(keep)


# Weight of each block in the neighbour similarity (0 for blocks it does not use).
_NEIGHBOUR_SCALE = np.array([NEIGHBOUR_WEIGHTS.get(block, 0.0) for block in BLOCKS])


def _neighbour_slots(arrival: _Arrival) -> tuple[np.ndarray, np.ndarray]:
    """An article's slots in the blocks neighbours are found by, each value divided by its
    block's idf-weighted norm."""
    keep = _NEIGHBOUR_SCALE[arrival.blocks] > 0
    scaled = arrival.values[keep] / arrival.norms[arrival.blocks[keep]]
    return arrival.index[keep], scaled.astype(np.float32)


# Candidate stories are found by the cosine of centroids projected onto this many random
# orthonormal directions: a quarter of the memory to read for every arrival, and the rank of
# the nearest stories barely moves; the candidates are then scored on the full vectors.
SKETCH_DIMS = 96


@lru_cache(maxsize=4)
def _projection(dim: int) -> np.ndarray:
    """A fixed (seeded) dim x SKETCH_DIMS matrix with orthonormal columns (identity when the
    vectors are that short already), scaled so that projected cosines keep their size."""
    if dim <= SKETCH_DIMS:
        return np.eye(dim, dtype=np.float32)
    gaussian = np.random.default_rng(20240601).normal(size=(dim, SKETCH_DIMS))
    basis, _ = np.linalg.qr(gaussian)
    return (basis * math.sqrt(dim / SKETCH_DIMS)).astype(np.float32)


def feature_weights(settings: ClusterSettings) -> np.ndarray:
    """The settings' weights in the order of `FEATURES` (time as a negative weight)."""
    blocks = [getattr(settings, f"weight_{block}") for block in BLOCKS]
    return np.array(
        [settings.weight_embedding, *blocks, -settings.time_penalty],
        dtype=np.float64,
    )


def _span_gap(
    first_a: datetime | None,
    last_a: datetime | None,
    first_b: datetime | None,
    last_b: datetime | None,
) -> float | None:
    """Seconds between two time spans (0 when they overlap); None when either is unknown."""
    if first_a is None or last_a is None or first_b is None or last_b is None:
        return None
    if first_b <= last_a and first_a <= last_b:
        # Both differences below are <= 0, so the answer is the 0.0 that max() would give.
        return 0.0
    return max(0.0, (first_b - last_a).total_seconds(), (first_a - last_b).total_seconds())


def _joint_span_days(a: _Story, b: _Story) -> float:
    """Days from the earliest to the latest dated article of two stories taken together
    (0 when fewer than two times are known)."""
    times = [t.timestamp() for t in (a.first, a.last, b.first, b.last) if t is not None]
    return (max(times) - min(times)) / 86400 if times else 0.0


def _sparse_counts(counts: np.ndarray) -> dict[str, int]:
    """The non-zero entries of a count array as {"bucket": count} (JSON keys are strings)."""
    index = np.flatnonzero(counts)
    return {str(int(i)): int(counts[i]) for i in index}


def arrival_order(features: Sequence[ArticleFeatures]) -> list[int]:
    """Indices in arrival order: undated articles keep their place in the input, and the
    places of dated articles are filled by the dated articles in time order.

    Nothing places an undated article in time, so where it was given is the best guess of
    when it arrived; dated articles are put in the order they were published.
    """
    dated = [i for i, item in enumerate(features) if item.published is not None]
    by_time = iter(sorted(dated, key=lambda i: (features[i].published, i)))
    slots = set(dated)
    return [next(by_time) if i in slots else i for i in range(len(features))]


def cluster_features(
    features: Sequence[ArticleFeatures], settings: ClusterSettings | None = None
) -> list[Story]:
    """Stories over precomputed features (merge checks settled at the end), each story's
    articles in arrival order of joining."""
    clusterer = StoryClusterer(settings)
    clusterer.add_many(features)
    clusterer.settle()
    return clusterer.stories()


def cluster_articles(
    articles: list[Article], settings: ClusterSettings | None = None
) -> list[Story]:
    """Group articles into stories, one per real-world event (loads the models once).

    Story ids are "s1", "s2", ... in order of creation; every article is in exactly one story.
    """
    if not articles:
        return []
    return cluster_features(article_features(articles), settings)
