"""Online story clustering: articles join the best matching story in arrival order.

An editor's notion of a story is one real-world event. Two events often share people and
places (two rehab stays of one actress, two offers to one ball player), so a story is more
than a topic: the clusterer weighs these signals for an article against a candidate story —

- the cosine of the article's title+lead embedding with the story's centroid;
- the overlap of key entities (people, places, organisations), weighted by their rarity;
- the overlap of content words over the whole text, weighted by their rarity;
- the overlap of stated numbers ("$160 million") and of calendar dates or years;
- the distance in time between the article and the story's time span, when both are known.

Each article joins the best candidate whose score reaches `join_threshold`, or starts a story;
a story that has just grown is merged with its most alike active story when the two score at
least `merge_threshold` (so two halves of one story started apart can still meet). Near-copies
(syndicated wire text, found by MinHash bands) always join the story of the copy seen first,
so a group of copies is clustered as one unit.

Cost stays near-linear: only *active* stories are candidates (a story with dated articles goes
quiet once `quiet_hours` have passed on the stream clock without a new one; any story goes
quiet after `quiet_arrivals` articles without one joining it), found through a matrix of active
centroids (top `candidates` by cosine) and an inverted index over rare key entities. An article
without a time may still reach a quiet story through a shared rare entity, since nothing shows
that it came after the quiet period.

The state is plain data: `state_to_dict()` gives JSON-ready dicts and `from_state()` rebuilds
a clusterer that continues exactly where the first one stopped.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from pydantic import BaseModel

from parallax.cluster.features import ArticleFeatures, article_features
from parallax.model import Article, Story

STATE_VERSION = 1


class ClusterSettings(BaseModel):
    """Weights and thresholds of story clustering (documented in docs/stories.md).

    Tuned on ECB+ dev topics 1-9 only (see docs/quality.md); topics 10-20 stayed held out.
    """

    # Weights and join threshold were fitted by logistic regression on simulated arrivals
    # (ECB+ topics 1-9, four arrival orders), scaled so that the embedding weighs 1.
    join_threshold: float = 1.13
    merge_threshold: float = 2.2
    weight_embedding: float = 1.0
    weight_entities: float = 1.81
    weight_terms: float = 0.52
    weight_numbers: float = 0.40
    weight_dates: float = 0.48
    # Articles this far apart in time (days) get the full time penalty.
    time_scale_days: float = 90.0
    time_penalty: float = 0.1
    # A story stops taking dated articles once it has been quiet this long (90 days: ECB+
    # stories run on for weeks, a check-in and the check-out a month later are one story) ...
    quiet_hours: float = 2160.0
    # ... and stops taking any article after this many arrivals without a new member.
    quiet_arrivals: int = 20_000
    # Candidates per article: top centroids by cosine, plus stories sharing a rare entity.
    candidates: int = 12
    merge_candidates: int = 4
    entity_candidates: int = 12
    entity_probe: int = 4
    # Near-duplicates: at least this many shared MinHash bands.
    duplicate_bands: int = 2
    # Entries kept per story profile (the tail is pruned).
    story_entities: int = 64
    story_terms: int = 128
    story_numbers: int = 64


@dataclass
class _Story:
    id: str
    vector_sum: np.ndarray
    size: int = 0
    entities: dict[str, float] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    dates: dict[str, int] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    last_arrival: int = 0
    articles: list[str] = field(default_factory=list)
    entity_norm: float = 1.0
    term_norm: float = 1.0
    unit: np.ndarray | None = None

    def centroid(self) -> np.ndarray:
        """The unit mean of the members' vectors (cached until the story changes)."""
        if self.unit is None:
            norm = float(np.linalg.norm(self.vector_sum))
            self.unit = self.vector_sum / norm if norm > 0 else self.vector_sum
        return self.unit


@dataclass
class _Arrival:
    """An article with its sparse profiles damped and normalised once.

    `entity_query` and `term_query` hold weight × idf² / |article| per key, so the cosine with
    a story profile is one dictionary look-up per key (idf as counted when it arrived).
    """

    features: ArticleFeatures
    entities: dict[str, float]
    terms: dict[str, float]
    entity_query: dict[str, float] = field(default_factory=dict)
    term_query: dict[str, float] = field(default_factory=dict)


def _unit(weights: dict[str, float]) -> dict[str, float]:
    # Square roots damp a name repeated twenty times; unit length makes articles comparable.
    damped = {key: math.sqrt(weight) for key, weight in weights.items() if weight > 0}
    norm = math.sqrt(sum(v * v for v in damped.values())) or 1.0
    return {key: v / norm for key, v in damped.items()}


def _add_profile(profile: dict[str, float], vector: dict[str, float], limit: int) -> list[str]:
    """Add a vector into a story profile in place, pruning to `limit`; returns new keys."""
    new = [key for key in vector if key not in profile]
    for key, weight in vector.items():
        profile[key] = profile.get(key, 0.0) + weight
    if len(profile) > limit:
        kept = sorted(profile.items(), key=lambda item: -item[1])[:limit]
        profile.clear()
        profile.update(kept)
    return new


def _prune_counts(counts: dict[str, int], limit: int) -> None:
    """Keep the `limit` most stated keys (numbers, dates) of a story, in place."""
    if len(counts) > 2 * limit:
        kept = sorted(counts.items(), key=lambda item: -item[1])[:limit]
        counts.clear()
        counts.update(kept)


def _span_gap(
    first_a: datetime | None,
    last_a: datetime | None,
    first_b: datetime | None,
    last_b: datetime | None,
) -> float | None:
    """Seconds between two time spans (0 when they overlap); None when either is unknown."""
    if first_a is None or last_a is None or first_b is None or last_b is None:
        return None
    return max(0.0, (first_b - last_a).total_seconds(), (first_a - last_b).total_seconds())


def _shared_share(a: dict[str, int], a_size: int, b: dict[str, int], b_size: int) -> float:
    """Share of stated keys (numbers, dates) that two stories both state, per member."""
    if not a or not b:
        return 0.0
    shared = sum(min(a[k] / a_size, b[k] / b_size) for k in a.keys() & b.keys())
    total = min(sum(a.values()) / a_size, sum(b.values()) / b_size)
    return min(1.0, shared / total) if total else 0.0


class StoryClusterer:
    """Online clusterer: feed ArticleFeatures with `add`/`add_many`, read `stories()`.

    The result depends only on the order of arrival, not on how arrivals are split into
    calls: feeding a list at once or in consecutive parts gives the same stories.
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self._stories: dict[str, _Story] = {}
        self._article_story: dict[str, str] = {}
        self._merged_into: dict[str, str] = {}
        self._df: dict[str, int] = {}
        self._log_df: dict[str, float] = {}
        self._docs = 0
        self._log_docs = 0.0
        self._arrivals = 0
        self._next_id = 0
        self._clock: datetime | None = None
        self._bands: dict[str, str] = {}
        self._postings: dict[str, list[str]] = {}
        # Active stories: one centroid row each in `_matrix`; `_rows[i]` names row i's story.
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._rows: list[str] = []
        self._row_of: dict[str, int] = {}
        self._time_heap: list[tuple[float, str]] = []
        self._arrival_heap: list[tuple[int, str]] = []

    # --- public -------------------------------------------------------------------------

    def add_many(self, features: Sequence[ArticleFeatures]) -> list[str]:
        """Add articles in arrival order; returns the story id of each, in the order given.

        Ids are read after the last article, so a story merged away on the way is not named.
        """
        for i in arrival_order(features):
            self.add(features[i])
        return [self._article_story[f.id] for f in features]

    def add(self, features: ArticleFeatures) -> str:
        """Add one article; returns the id of the story it joined or started.

        An article already seen (same id) is not added twice: its story id is returned.
        """
        known = self._article_story.get(features.id)
        if known is not None:
            return known
        self._arrivals += 1
        if features.published is not None and (
            self._clock is None or features.published > self._clock
        ):
            self._clock = features.published
        self._retire_quiet()
        arrival = self._arrival(features)
        story = self._duplicate_of(features) or self._best_story(arrival)
        if story is None:
            story = self._new_story(len(features.vector))
        self._join(story, arrival)
        return self._merge_similar(story).id

    def stories(self) -> list[Story]:
        """Every story so far (active or quiet), in order of creation."""
        return [Story(id=s.id, articles=list(s.articles)) for s in self._stories.values()]

    def story_of(self, article_id: str) -> str | None:
        """The story an article is in now, or None for an article never added."""
        return self._article_story.get(article_id)

    def merged(self) -> dict[str, str]:
        """Story ids that were merged away -> the id of the story that holds them now."""
        return {gone: self._resolve(gone) for gone in self._merged_into}

    def score(self, features: ArticleFeatures, story_id: str) -> float:
        """How well an article fits a story (the number compared with `join_threshold`)."""
        arrival = self._arrival(features)
        return self._score(arrival, self._stories[self._resolve(story_id)])

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
            "df": dict(self._df),
            "bands": dict(self._bands),
            "merged_into": dict(self._merged_into),
            "active": list(self._rows),
            "stories": [
                {
                    "id": s.id,
                    "size": s.size,
                    "vector_sum": [float(x) for x in s.vector_sum],
                    "entities": dict(s.entities),
                    "terms": dict(s.terms),
                    "numbers": dict(s.numbers),
                    "dates": dict(s.dates),
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

        Raises ValueError for a state of another version.
        """
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"story clusterer state version {state.get('version')!r} unknown")
        clusterer = cls(ClusterSettings(**state["settings"]))
        clusterer._docs = state["docs"]
        clusterer._arrivals = state["arrivals"]
        clusterer._next_id = state["next_id"]
        clusterer._clock = datetime.fromisoformat(state["clock"]) if state["clock"] else None
        clusterer._df = dict(state["df"])
        clusterer._log_df = {key: math.log(count + 1) for key, count in clusterer._df.items()}
        clusterer._log_docs = math.log(clusterer._docs + 1)
        clusterer._bands = dict(state["bands"])
        clusterer._merged_into = dict(state["merged_into"])
        for item in state["stories"]:
            story = _Story(
                id=item["id"],
                vector_sum=np.asarray(item["vector_sum"], dtype=np.float32),
                size=item["size"],
                entities=dict(item["entities"]),
                terms=dict(item["terms"]),
                numbers=dict(item["numbers"]),
                dates=dict(item["dates"]),
                first=datetime.fromisoformat(item["first"]) if item["first"] else None,
                last=datetime.fromisoformat(item["last"]) if item["last"] else None,
                last_arrival=item["last_arrival"],
                articles=list(item["articles"]),
            )
            clusterer._stories[story.id] = story
            for article_id in story.articles:
                clusterer._article_story[article_id] = story.id
            for key in story.entities:
                clusterer._postings.setdefault(key, []).append(story.id)
            clusterer._refresh_norms(story)
        for story_id in state["active"]:
            clusterer._activate(clusterer._stories[story_id])
        return clusterer

    # --- candidates and scores -----------------------------------------------------------

    def _resolve(self, story_id: str) -> str:
        """The story a (possibly merged-away) story id lives on as."""
        while story_id in self._merged_into:
            story_id = self._merged_into[story_id]
        return story_id

    def _idf(self, key: str) -> float:
        # log(docs+1) - log(df+1) + 1, with the logs of counts kept rather than recomputed.
        return self._log_docs - self._log_df.get(key, 0.0) + 1.0

    def _norm(self, profile: dict[str, float]) -> float:
        return math.sqrt(sum((w * self._idf(k)) ** 2 for k, w in profile.items())) or 1.0

    def _refresh_norms(self, story: _Story) -> None:
        # Norms use the rarity of words at this moment; they are refreshed when a story grows.
        story.entity_norm = self._norm(story.entities)
        story.term_norm = self._norm(story.terms)

    def _cosine(
        self, small: dict[str, float], large: dict[str, float], norm_small: float, norm_large: float
    ) -> float:
        """Rarity-weighted cosine of two sparse profiles (iterating over the smaller)."""
        if not small or not large:
            return 0.0
        dot = sum(w * large.get(k, 0.0) * self._idf(k) ** 2 for k, w in small.items())
        return dot / (norm_small * norm_large)

    def _arrival(self, features: ArticleFeatures) -> _Arrival:
        entities, terms = _unit(features.entities), _unit(features.terms)
        return _Arrival(features, entities, terms, self._query(entities), self._query(terms))

    def _query(self, vector: dict[str, float]) -> dict[str, float]:
        norm = self._norm(vector)
        return {key: weight * self._idf(key) ** 2 / norm for key, weight in vector.items()}

    def _score(self, arrival: _Arrival, story: _Story) -> float:
        settings = self.settings
        features = arrival.features
        score = settings.weight_embedding * float(story.centroid() @ features.vector)
        if settings.weight_entities and story.entities:
            profile = story.entities
            dot = sum(q * profile.get(k, 0.0) for k, q in arrival.entity_query.items())
            score += settings.weight_entities * dot / story.entity_norm
        if settings.weight_terms and story.terms:
            profile = story.terms
            dot = sum(q * profile.get(k, 0.0) for k, q in arrival.term_query.items())
            score += settings.weight_terms * dot / story.term_norm
        if features.numbers:
            score += settings.weight_numbers * self._overlap(
                features.numbers, story.numbers, story.size
            )
        if features.dates:
            score += settings.weight_dates * self._overlap(features.dates, story.dates, story.size)
        gap = _span_gap(features.published, features.published, story.first, story.last)
        if gap is not None:
            score -= settings.time_penalty * min(1.0, gap / 86400 / settings.time_scale_days)
        return score

    def _pair_score(self, a: _Story, b: _Story) -> float:
        """How alike two stories are, on the scale of an article's join score."""
        settings = self.settings
        score = settings.weight_embedding * float(a.centroid() @ b.centroid())
        if settings.weight_entities:
            score += settings.weight_entities * self._cosine(
                a.entities, b.entities, a.entity_norm, b.entity_norm
            )
        if settings.weight_terms:
            score += settings.weight_terms * self._cosine(
                a.terms, b.terms, a.term_norm, b.term_norm
            )
        score += settings.weight_numbers * _shared_share(a.numbers, a.size, b.numbers, b.size)
        score += settings.weight_dates * _shared_share(a.dates, a.size, b.dates, b.size)
        gap = _span_gap(a.first, a.last, b.first, b.last)
        if gap is not None:
            score -= settings.time_penalty * min(1.0, gap / 86400 / settings.time_scale_days)
        return score

    def _overlap(self, keys: Iterable[str], counts: dict[str, int], size: int) -> float:
        """Rarity-weighted share of the article's keys that the story's members also state."""
        total = 0.0
        shared = 0.0
        for key in keys:
            idf = self._idf(key)
            total += idf
            count = counts.get(key)
            if count:
                shared += idf * min(1.0, 2.0 * count / size)
        return shared / total if total else 0.0

    def _top_rows(self, vector: np.ndarray, k: int) -> list[_Story]:
        """The k active stories whose centroids are nearest to a vector."""
        n = len(self._rows)
        if n == 0:
            return []
        sims = self._matrix[:n] @ vector
        rows = range(n) if k >= n else np.argpartition(-sims, k - 1)[:k]
        return [self._stories[self._rows[int(row)]] for row in rows]

    def _is_open_to(self, story: _Story, features: ArticleFeatures) -> bool:
        """Whether a story still takes this article: dated articles respect the quiet window."""
        if story.id in self._row_of:
            return True
        if self._arrivals - story.last_arrival > self.settings.quiet_arrivals:
            return False
        # A story quiet by the clock stays reachable for an article with no time of its own.
        return features.published is None

    def _candidates(self, features: ArticleFeatures) -> list[_Story]:
        settings = self.settings
        found = {s.id: s for s in self._top_rows(features.vector, settings.candidates)}
        # Rarest entities first: they point at few stories, and at the right ones.
        rare = sorted(features.entities, key=lambda key: self._df.get(key, 0))
        for key in rare[: settings.entity_probe]:
            for posted in reversed(self._postings.get(key, [])[-settings.entity_candidates :]):
                story_id = self._resolve(posted)
                if story_id not in found:
                    story = self._stories[story_id]
                    if self._is_open_to(story, features):
                        found[story_id] = story
        return list(found.values())

    def _best_story(self, arrival: _Arrival) -> _Story | None:
        best: _Story | None = None
        best_score = self.settings.join_threshold
        for story in self._candidates(arrival.features):
            score = self._score(arrival, story)
            if score >= best_score:
                best, best_score = story, score
        return best

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
        self._stories[story.id] = story
        return story

    def _activate(self, story: _Story) -> None:
        """Put a story into the candidate matrix (or refresh its row) and its quiet clocks."""
        row = self._row_of.get(story.id)
        if row is None:
            dim = len(story.vector_sum)
            if self._matrix.shape[1] != dim:
                self._matrix = np.zeros((16, dim), dtype=np.float32)
            if len(self._rows) >= self._matrix.shape[0]:
                grown = np.zeros((self._matrix.shape[0] * 2, dim), dtype=np.float32)
                grown[: len(self._rows)] = self._matrix[: len(self._rows)]
                self._matrix = grown
            row = len(self._rows)
            self._row_of[story.id] = row
            self._rows.append(story.id)
        self._matrix[row] = story.centroid()
        heapq.heappush(self._arrival_heap, (story.last_arrival, story.id))
        if story.last is not None:
            heapq.heappush(self._time_heap, (story.last.timestamp(), story.id))

    def _retire(self, story_id: str) -> None:
        """Take a story out of the candidate matrix (it stays in `stories()`)."""
        row = self._row_of.pop(story_id, None)
        if row is None:
            return
        last = len(self._rows) - 1
        if row != last:
            moved = self._rows[last]
            self._rows[row] = moved
            self._matrix[row] = self._matrix[last]
            self._row_of[moved] = row
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
        while self._time_heap and self._time_heap[0][0] < horizon:
            stamp, story_id = heapq.heappop(self._time_heap)
            story = self._stories.get(story_id)
            if story is not None and story.last is not None and story.last.timestamp() == stamp:
                self._retire(story_id)

    def _join(self, story: _Story, arrival: _Arrival) -> None:
        features = arrival.features
        settings = self.settings
        self._count(features)
        story.size += 1
        story.vector_sum = story.vector_sum + features.vector
        story.unit = None
        for key in _add_profile(story.entities, arrival.entities, settings.story_entities):
            self._postings.setdefault(key, []).append(story.id)
        if settings.weight_terms:
            _add_profile(story.terms, arrival.terms, settings.story_terms)
        for key in features.numbers:
            story.numbers[key] = story.numbers.get(key, 0) + 1
        for key in features.dates:
            story.dates[key] = story.dates.get(key, 0) + 1
        _prune_counts(story.numbers, settings.story_numbers)
        _prune_counts(story.dates, settings.story_numbers)
        self._refresh_norms(story)
        if features.published is not None:
            story.first = min(story.first or features.published, features.published)
            story.last = max(story.last or features.published, features.published)
        story.last_arrival = self._arrivals
        story.articles.append(features.id)
        self._article_story[features.id] = story.id
        for band in features.bands:
            self._bands.setdefault(band, story.id)
        self._activate(story)

    def _count(self, features: ArticleFeatures) -> None:
        """Count an article's words, entities, numbers and dates into the rarity table."""
        self._docs += 1
        self._log_docs = math.log(self._docs + 1)
        for key in {*features.entities, *features.terms, *features.numbers, *features.dates}:
            count = self._df.get(key, 0) + 1
            self._df[key] = count
            self._log_df[key] = math.log(count + 1)

    def _merge_similar(self, story: _Story) -> _Story:
        """Merge a story that just grew with its most alike active story, if alike enough."""
        best: _Story | None = None
        best_score = self.settings.merge_threshold
        for other in self._top_rows(story.centroid(), self.settings.merge_candidates + 1):
            if other.id == story.id:
                continue
            score = self._pair_score(story, other)
            if score >= best_score:
                best, best_score = other, score
        if best is None:
            return story
        keep, gone = (best, story) if best.size > story.size else (story, best)
        self._absorb(keep, gone)
        return keep

    def _absorb(self, keep: _Story, gone: _Story) -> None:
        """Move every member of `gone` into `keep`; `gone` lives on as an alias."""
        settings = self.settings
        self._retire(gone.id)
        keep.size += gone.size
        keep.vector_sum = keep.vector_sum + gone.vector_sum
        keep.unit = None
        for key in _add_profile(keep.entities, gone.entities, settings.story_entities):
            self._postings.setdefault(key, []).append(keep.id)
        _add_profile(keep.terms, gone.terms, settings.story_terms)
        for key, count in gone.numbers.items():
            keep.numbers[key] = keep.numbers.get(key, 0) + count
        for key, count in gone.dates.items():
            keep.dates[key] = keep.dates.get(key, 0) + count
        _prune_counts(keep.numbers, settings.story_numbers)
        _prune_counts(keep.dates, settings.story_numbers)
        self._refresh_norms(keep)
        times = [t for t in (keep.first, keep.last, gone.first, gone.last) if t is not None]
        if times:
            keep.first, keep.last = min(times), max(times)
        keep.last_arrival = max(keep.last_arrival, gone.last_arrival)
        keep.articles.extend(gone.articles)
        for article_id in gone.articles:
            self._article_story[article_id] = keep.id
        del self._stories[gone.id]
        self._merged_into[gone.id] = keep.id
        self._activate(keep)


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
    """Stories over precomputed features, each story's articles in arrival order."""
    clusterer = StoryClusterer(settings)
    clusterer.add_many(features)
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
