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
from rapidfuzz import fuzz

from parallax.model import ClaimUnit
from parallax.nlp.numbers import comparable, compatible

# Tuned on the bundled examples and the seeds; see docs/comparison.md.
LINK_THRESHOLD = 0.75
# Below this cosine two claims are the same only with structural proof (a shared number, a
# shared quotation); otherwise they are at most related ("elaborates").
SAME_COSINE = 0.65
# Pairs scoring this much, about the same actors and held by the same holder, elaborate.
ELABORATION_THRESHOLD = 0.76
ELABORATION_COSINE = 0.55
ELABORATION_MIN_WORDS = 4
# A neighbouring sentence of the same quote joins a mention when it is itself this close to the
# other outlets' wording and the joined text reads closer to it than the mention alone.
NEIGHBOUR_COSINE = 0.5
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
# A claim and its negation are never one claim ("linked to Ukraine" / "not linked to Ukraine").
# "to Belarus, not Ukraine": a contrast names an alternative, it does not negate the claim.
_CONTRASTIVE = re.compile(r"[,–—-]\s*(?:and\s+|but\s+)?not\b", re.IGNORECASE)
_NEGATED = re.compile(
    r"\b(?:not|no|never|nothing|none|neither|nor|den(?:y|ies|ied|ial)|reject(?:s|ed)?)\b|n[’']t\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ClaimFeatures:
    """What the pair score compares besides the embedding."""

    article: str
    entities: frozenset[str]
    words: frozenset[str]
    quote: str = ""
    negated: bool = False


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude suffix fold ("attackers" ~ "attacker")."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        out.add(word[:6])  # a 6-letter stem folds inflections without a lemmatizer
    return frozenset(out)


def entity_key(text: str) -> str:
    """A loose key for an entity mention: last word of the name, lower-cased, no possessive,
    cut to 6 letters so that "Islamists" meets "Islamist"."""
    words = _WORD.findall(text.replace("’s", "").replace("'s", ""))
    return (words[-1].lower() if words else text.lower())[:6]


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


_QUOTED = re.compile(r"[“\"«]([^”\"»]{12,})[”\"»]?")


def quoted_words(text: str) -> str:
    """The words a claim puts between quotation marks, lower-cased ("" when it quotes none).

    A claim that opens a quote but ends before it closes counts from the mark to its end.
    """
    parts = [m.group(1) for m in _QUOTED.finditer(text)]
    return " ".join(" ".join(parts).lower().replace("’", "'").split())


def _quote_of(unit: ClaimUnit) -> str:
    if unit.quoted:
        return " ".join(unit.text.lower().replace("’", "'").strip('“”"«» ').split())
    return quoted_words(unit.text)


def quote_similarity(a: str, b: str) -> float:
    """How alike two quotations read, 0..1, as fuzzy word-order-free overlap of their words.

    Two translations of one quote share their structure words and half their content words
    ("That's why they turned away" / "That's why they turned around"); 0 when either claim
    quotes nothing, and below 0.6 counts as nothing, so ordinary quotes sharing "the" do not.
    """
    if not a or not b:
        return 0.0
    ratio = fuzz.token_set_ratio(a, b) / 100
    return 0.0 if ratio < 0.6 else (ratio - 0.6) / 0.4


def embedding_text(unit: ClaimUnit, canonical: dict[str, str]) -> str:
    """What is embedded for a claim: its stand-alone form, acronyms spelled out."""
    if not unit.standalone:
        return expand_acronyms(unit, canonical)
    text = unit.standalone
    for entity in unit.entities:
        bare = entity.text.replace(".", "")
        full = canonical.get(entity.text)
        if full and full != entity.text and bare.isupper() and len(bare) <= 5:
            text = re.sub(rf"\b{re.escape(entity.text)}(?!\w)", full, text)
    return text


def structural_match(a: ClaimUnit, b: ClaimUnit, fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    """True when two claims share proof beyond wording: a compatible count or a quotation."""
    if quote_similarity(fa.quote, fb.quote) > 0:
        return True
    return any(
        comparable(qa, qb) and compatible(qa, qb) for qa in a.quantities for qb in b.quantities
    )


def main_clause_negated(text: str) -> bool:
    """True when the claim's main statement is negated or a denial.

    Only the first comma-separated stretch of five words or more counts: "..., an allegation
    that Reyes rejected" or "to Belarus, not Ukraine" do not negate what came before.
    """
    prefix: list[str] = []
    for chunk in _CONTRASTIVE.sub(" ", text).split(","):
        prefix.append(chunk)
        if len(" ".join(prefix).split()) >= 5:
            break
    return bool(_NEGATED.search(",".join(prefix)))


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
        quote=_quote_of(unit),
        negated=main_clause_negated(unit.text),
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
    shared_quantity = False
    for qa in a.quantities:
        for qb in b.quantities:
            if comparable(qa, qb) and compatible(qa, qb):
                shared_quantity = True
                break
    if shared_quantity:
        score += 0.1
        # The same record on the same scale ("deadliest ... in two decades" ~ "worst ... for
        # 20 years"): the superlative and its frame are what the claim is about.
        if set(a.superlatives) & set(b.superlatives):
            score += 0.15
    score += 0.15 * quote_similarity(fa.quote, fb.quote)
    return score


def _other_article_cosines(vectors: np.ndarray, articles: list[str]):
    """Yields (first row, cosines of up to CHUNK rows against all rows), with the cosines to
    rows of the same article set to -inf, so memory stays bounded by CHUNK x n."""
    _, article_ids = np.unique(np.array(articles, dtype=object), return_inverse=True)
    for begin in range(0, len(vectors), CHUNK):
        block = vectors[begin : begin + CHUNK] @ vectors.T
        block[article_ids[begin : begin + CHUNK, None] == article_ids[None, :]] = -np.inf
        yield begin, block


def nearest_pairs(
    vectors: np.ndarray, articles: list[str], k: int = NEIGHBOURS
) -> set[tuple[int, int]]:
    """Index pairs (i < j) of claims from different articles among each claim's k nearest.

    Memory stays bounded by CHUNK x n; the pairs scored further grow as n x k, not n squared.
    """
    n = len(vectors)
    pairs: set[tuple[int, int]] = set()
    for begin, block in _other_article_cosines(vectors, articles):
        take = min(k, n - 1)
        if take <= 0:
            continue
        top = np.argpartition(-block, take - 1, axis=1)[:, :take]
        rows = np.broadcast_to(np.arange(len(top))[:, None], top.shape)
        finite = np.isfinite(block[rows, top])
        # Row by row, columns in argpartition's order: the set is filled in the order the
        # one-by-one loop used, so it iterates alike (ties in later sorts keep that order).
        first, second = (begin + rows)[finite], top[finite]
        pairs.update(
            zip(np.minimum(first, second).tolist(), np.maximum(first, second).tolist(), strict=True)
        )
    return pairs


def with_close_reading(vectors: np.ndarray, articles: list[str], threshold: float) -> np.ndarray:
    """A boolean per row: some row of another article has a cosine of at least `threshold`.

    Used on static vectors to find the claims that could read like a claim of another outlet;
    memory stays bounded by CHUNK x n. It guesses nothing about rows it flags False beyond
    that their static vectors are far from every other article's.
    """
    found = np.zeros(len(vectors), dtype=bool)
    for begin, block in _other_article_cosines(vectors, articles):
        found[begin : begin + len(block)] = (block >= threshold).any(axis=1)
    return found


def align_claims(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    threshold: float = LINK_THRESHOLD,
    canonical: dict[str, str] | None = None,
    pairs: set[tuple[int, int]] | None = None,
) -> list[list[int]]:
    """Groups of claim indices that say the same thing, singletons included, in text order.

    Two groups merge only when the average score over every cross-article pair between them
    reaches `threshold` and the seeding pair reads alike (cosine SAME_COSINE) or shares a
    number or a quotation, so one strong pair cannot pull two different claims together, and
    only when they share no article: within one group each article contributes one wording.
    """
    feats = [features(u, canonical) for u in units]
    scores: dict[tuple[int, int], float] = {}
    if pairs is None:
        pairs = nearest_pairs(vectors, [u.article for u in units])
    for i, j in pairs:
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
        cosine = float(vectors[i] @ vectors[j])
        if cosine < SAME_COSINE and not structural_match(units[i], units[j], feats[i], feats[j]):
            continue
        if feats[i].negated != feats[j].negated:
            continue
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


@dataclass(frozen=True)
class Elaboration:
    """Two claim groups that are not one claim but bear on each other."""

    first: int
    second: int
    score: float
    note: str


def find_elaborations(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    groups: list[list[int]],
    canonical: dict[str, str] | None = None,
    pairs: set[tuple[int, int]] | None = None,
) -> list[Elaboration]:
    """Pairs of groups (indices into `groups`) where one claim elaborates the other.

    A pair qualifies when the two groups share no article (otherwise the outlet already
    carries the claim), their best unit pair scores ELABORATION_THRESHOLD with cosine
    ELABORATION_COSINE, they name a common actor or place, and one holder holds both. Each
    group keeps its single best partner per other group, mutually: it refuses to build webs.
    `note` says whether each side adds detail or only one does.
    """
    feats = [features(u, canonical) for u in units]
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    articles = [{units[i].article for i in members} for members in groups]
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    if pairs is None:
        pairs = nearest_pairs(vectors, [u.article for u in units])
    for i, j in pairs:
        if i not in group_of or j not in group_of:
            continue  # a sentence absorbed into a neighbour's mention
        gi, gj = group_of[i], group_of[j]
        if gi == gj or articles[gi] & articles[gj]:
            continue
        if units[i].speaker != units[j].speaker or not (feats[i].entities & feats[j].entities):
            continue
        if min(len(feats[i].words), len(feats[j].words)) < ELABORATION_MIN_WORDS:
            continue  # "Donald Trump scares me." says too little to add detail to anything
        cosine = float(vectors[i] @ vectors[j])
        if cosine < ELABORATION_COSINE:
            continue
        score = pair_score(units[i], units[j], feats[i], feats[j], cosine)
        if score < ELABORATION_THRESHOLD:
            continue
        key = (min(gi, gj), max(gi, gj))
        if score > best.get(key, (0.0, 0, 0))[0]:
            best[key] = (score, i, j)
    top: dict[int, float] = {}
    for (ga, gb), (score, _, _) in best.items():
        top[ga] = max(top.get(ga, 0.0), score)
        top[gb] = max(top.get(gb, 0.0), score)
    found = []
    for (ga, gb), (score, i, j) in sorted(best.items()):
        if score < top[ga] or score < top[gb]:
            continue
        extra_i = feats[i].words - feats[j].words
        extra_j = feats[j].words - feats[i].words
        if len(extra_i) >= 2 and len(extra_j) >= 2:
            note = "related, each adds detail"
        else:
            note = (
                "the second adds detail"
                if len(extra_j) >= len(extra_i)
                else ("the first adds detail")
            )
        first, second = (ga, gb) if group_of[i] == ga else (gb, ga)
        found.append(Elaboration(first, second, score, note))
    return found


def same_opening(a: str, b: str, words: int = 3) -> bool:
    """True when two quotations open with the same words ("that's why they ...")."""
    head_a, head_b = _WORD.findall(a)[:words], _WORD.findall(b)[:words]
    return len(head_a) == words and head_a == head_b


def _quote_sim_units(a: ClaimUnit, b: ClaimUnit) -> float:
    return quote_similarity(_quote_of(a), _quote_of(b))


def quote_extensions(
    units: list[ClaimUnit],
    groups: list[list[int]],
    vectors: np.ndarray,
    embed,
) -> dict[int, list[int]]:
    """Neighbouring sentences of one quote that belong to a mention: {member: [neighbours]}.

    A translation may cut one sentence in two ("That's why they couldn't enter Belarus. They
    saw that, so they turned away ..." against "That's why they turned around ..."). A member
    of a group carried by several articles takes its neighbour in the same quotation when the
    neighbour is a claim of its own group-less (a singleton) and the two joined read closer to
    the other outlets' wordings than the member alone. `embed` maps texts to unit vectors.
    """
    singletons = {members[0] for members in groups if len(members) == 1}
    out: dict[int, list[int]] = {}
    candidates: list[tuple[int, int, list[int]]] = []
    for members in groups:
        if len({units[i].article for i in members}) < 2:
            continue
        for m in members:
            others = [k for k in members if units[k].article != units[m].article]
            for n in (m - 1, m + 1):
                if n < 0 or n >= len(units) or n not in singletons:
                    continue
                u, v = units[m], units[n]
                if u.article != v.article or v.nested or u.nested:
                    continue
                if not set(u.attributions) & set(v.attributions):
                    continue
                if not (u.quoted and v.quoted):
                    continue
                candidates.append((m, n, others))
    if not candidates:
        return out
    joined = []
    for m, n, _ in candidates:
        first, second = sorted((m, n))
        joined.append(units[first].text + " " + units[second].text)
    joined_vectors = embed(joined)
    taken: set[int] = set()
    for (m, n, others), vector, text in zip(candidates, joined_vectors, joined, strict=True):
        if n in taken:
            continue
        if float(np.mean([vectors[n] @ vectors[k] for k in others])) < NEIGHBOUR_COSINE:
            continue
        quote = " ".join(text.lower().replace("’", "'").strip('“”"«» ').split())
        alone = np.mean(
            [vectors[m] @ vectors[k] + 0.15 * _quote_sim_units(units[m], units[k]) for k in others]
        )
        together = np.mean(
            [
                vector @ vectors[k] + 0.15 * quote_similarity(quote, _quote_of(units[k]))
                for k in others
            ]
        )
        opens_alike = n < m and any(
            same_opening(_quote_of(units[n]), _quote_of(units[k])) for k in others
        )
        if together > alone or opens_alike:
            out.setdefault(m, []).append(n)
            taken.add(n)
    return out
