"""Aligning claims across articles: which sentences of different outlets say the same thing.

Candidates come from embeddings (each claim's nearest neighbours in other articles, found in
memory-bounded chunks); each candidate pair is then scored with structure the embedding does
not see: shared actors and places, shared numbers, shared content words. Claims are grouped by
average linkage over those scores, so one loose pair cannot chain two different claims together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from parallax.model import ClaimUnit
from parallax.nlp.numbers import comparable, compatible

# Tuned on the bundled examples and the seeds; see docs/comparison.md.
LINK_THRESHOLD = 0.75
NEIGHBOURS = 12
CHUNK = 2048

_STOP = set(
    "a an the of to in on at for by with from and or but as is are was were be been being "
    "that this these those it its he she they them his her their we our you i said says say "
    "told tell has have had will would could should may might not no also than then there "
    "which who whom whose what when where while after before about into over under more most "
    "some any all one two three first last new".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


@dataclass(frozen=True)
class ClaimFeatures:
    """What the pair score compares besides the embedding."""

    article: str
    entities: frozenset[str]
    words: frozenset[str]


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude suffix fold ("attackers" ~ "attacker")."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        out.add(word[:6])  # a 6-letter stem folds inflections without a lemmatizer
    return frozenset(out)


def entity_key(text: str) -> str:
    """A loose key for an entity mention: last word of the name, lower-cased, no possessive."""
    words = _WORD.findall(text.replace("’s", "").replace("'s", ""))
    return words[-1].lower() if words else text.lower()


def expand_acronyms(unit: ClaimUnit, canonical: dict[str, str]) -> str:
    """The claim's text with each acronym replaced by the full name it stands for in the story.

    The embedding model knows "Islamic State" far better than "IS"; names that are not
    acronyms are left as written, so the outlet's wording still counts.
    """
    text = unit.text
    for entity in sorted(unit.entities, key=lambda e: -e.start):
        bare = entity.text.replace(".", "")
        full = canonical.get(entity.text)
        if not full or full == entity.text or not (bare.isupper() and len(bare) <= 5):
            continue
        begin, end = entity.start - unit.start, entity.end - unit.start
        text = text[:begin] + full + text[end:]
    return text


def features(unit: ClaimUnit, canonical: dict[str, str] | None = None) -> ClaimFeatures:
    """The structural features of a claim; `canonical` maps entity names to one name per actor."""
    canonical = canonical or {}
    return ClaimFeatures(
        article=unit.article,
        entities=frozenset(
            entity_key(canonical.get(e.text, e.text))
            for e in unit.entities
            if e.label not in ("DATE", "CARDINAL")
        ),
        words=content_words(unit.text),
    )


def pair_score(
    a: ClaimUnit, b: ClaimUnit, fa: ClaimFeatures, fb: ClaimFeatures, cosine: float
) -> float:
    """How surely two claims say the same thing: cosine plus structural evidence, about 0..1.3."""
    score = cosine
    shared_entities = len(fa.entities & fb.entities)
    score += 0.05 * min(shared_entities, 3)
    union = len(fa.words | fb.words)
    if union:
        score += 0.25 * len(fa.words & fb.words) / union
    for qa in a.quantities:
        for qb in b.quantities:
            if comparable(qa, qb) and compatible(qa, qb):
                score += 0.1
                break
    return score


def nearest_pairs(
    vectors: np.ndarray, articles: list[str], k: int = NEIGHBOURS
) -> set[tuple[int, int]]:
    """Index pairs (i < j) of claims from different articles among each claim's k nearest.

    Memory stays bounded by CHUNK x n; the pairs scored further grow as n x k, not n squared.
    """
    n = len(vectors)
    article_ids = np.array([hash(a) for a in articles])
    pairs: set[tuple[int, int]] = set()
    for begin in range(0, n, CHUNK):
        block = vectors[begin : begin + CHUNK] @ vectors.T
        same = article_ids[begin : begin + CHUNK, None] == article_ids[None, :]
        block[same] = -np.inf
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


def align_claims(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    threshold: float = LINK_THRESHOLD,
    canonical: dict[str, str] | None = None,
) -> list[list[int]]:
    """Groups of claim indices that say the same thing, singletons included, in text order.

    Two groups merge only when the average score over every cross-article pair between them
    reaches `threshold`, so one strong pair cannot pull two different claims together, and
    only when they share no article: within one group each article contributes one wording.
    """
    feats = [features(u, canonical) for u in units]
    scores: dict[tuple[int, int], float] = {}
    for i, j in nearest_pairs(vectors, [u.article for u in units]):
        cosine = float(vectors[i] @ vectors[j])
        scores[(i, j)] = pair_score(units[i], units[j], feats[i], feats[j], cosine)

    group_of = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}

    def score_of(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in scores:
            cosine = float(vectors[i] @ vectors[j])
            scores[key] = pair_score(units[i], units[j], feats[i], feats[j], cosine)
        return scores[key]

    def linkage(ga: list[int], gb: list[int]) -> float:
        cross = [score_of(i, j) for i in ga for j in gb if units[i].article != units[j].article]
        return sum(cross) / len(cross) if cross else 0.0

    for (i, j), score in sorted(list(scores.items()), key=lambda item: -item[1]):
        if score < threshold:
            break
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        articles_i = {units[m].article for m in members[gi]}
        if any(units[m].article in articles_i for m in members[gj]):
            continue
        if linkage(members[gi], members[gj]) < threshold:
            continue
        keep, drop = (gi, gj) if len(members[gi]) >= len(members[gj]) else (gj, gi)
        for m in members[drop]:
            group_of[m] = keep
        members[keep].extend(members.pop(drop))

    groups = [sorted(g) for g in members.values()]
    return sorted(groups, key=lambda g: g[0])


def pair_scores_for(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    pairs: list[tuple[int, int]],
    canonical: dict[str, str] | None = None,
) -> list[float]:
    """The alignment score of given index pairs (for reports and tuning)."""
    feats = [features(u, canonical) for u in units]
    return [
        pair_score(units[i], units[j], feats[i], feats[j], float(vectors[i] @ vectors[j]))
        for i, j in pairs
    ]
