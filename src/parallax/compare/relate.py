"""Does a text agree with, disagree with, discuss, or not address a claim?

The default relator (`FeatureRelator`) has no entailment model: none can be installed offline
here. It measures structure instead — how close the claim is to the text's sentences in
embedding space and in words, whether the closest sentences carry refuting, hedging, denying or
confirming words, whether the claim's numbers recur — and a small gradient-boosted tree model
(trained on FNC-1 features by `training/train_relate.py`, weights shipped beside this file as
`relate_weights.json`, run with numpy only) turns those measurements into the four classes.

A stronger model (an NLI cross-encoder, an LLM endpoint) plugs in through the `Relator`
protocol: set `PARALLAX_RELATOR=package.module:factory`, where `factory()` returns an object
with `relate(claim, text) -> Relation` (see docs/relate.md).

`relate_claims(a, b)` is the cheap claim-against-claim check the comparison engine uses to find
stance conflicts between two short statements (one asserts, the other denies; numbers differ).
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from parallax.model import RelationLabel
from parallax.nlp.numbers import parse_number
from parallax.settings import get_settings

LABELS: tuple[RelationLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
WEIGHTS_FILE = Path(__file__).with_name("relate_weights.json")
RELATOR_SETTING = "PARALLAX_RELATOR"
# How many of the text's sentences closest to the claim the stance features look at.
TOP_SENTENCES = 3


@dataclass(frozen=True)
class Relation:
    """How a text stands to a claim: the label, its probability, and every class's."""

    label: RelationLabel
    score: float
    probabilities: dict[str, float] = field(default_factory=dict)
    evidence: str | None = None


@runtime_checkable
class Relator(Protocol):
    """Anything that can say how a text stands to a claim."""

    def relate(self, claim: str, text: str) -> Relation: ...


# --- words ------------------------------------------------------------------------------------

# Words a text uses when it says a claim is false.
REFUTE_WORDS = (
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "denial",
    "debunk",
    "debunked",
    "bogus",
    "untrue",
    "myth",
    "prank",
    "retract",
    "retracted",
    "satire",
    "satirical",
    "misleading",
    "fabricated",
    "nonsense",
    "dismissed",
    "rejected",
    "refuted",
    "wrong",
    "doubt",
    "doubts",
    "despite",
    "however",
    "actually",
    "contrary",
    "rumor",
    "rumour",
    "rumors",
    "rumours",
    "baseless",
    "spoof",
    "joke",
    "photoshopped",
    "fictional",
    "scam",
    "lie",
    "lies",
    "incorrect",
    "erroneous",
    "no evidence",
    "not true",
    "made up",
    "never happened",
    "turned out",
    "in fact",
)
# Words a text uses when it reports a claim without vouching for it.
HEDGE_WORDS = (
    "reportedly",
    "allegedly",
    "alleged",
    "purportedly",
    "supposedly",
    "apparently",
    "claims",
    "claimed",
    "claim",
    "unconfirmed",
    "unverified",
    "could",
    "may",
    "might",
    "possibly",
    "perhaps",
    "likely",
    "unclear",
    "appears",
    "appeared",
    "suggests",
    "suggested",
    "believed",
    "speculation",
    "speculated",
    "rumored",
    "rumoured",
    "according to",
    "if true",
    "said to",
    "is said",
    "was said",
    "would",
    "report",
    "reports",
    "reported",
    "sources",
    "unnamed",
    "unknown",
    "investigating",
    "whether",
)
# Words a text uses when it vouches for a claim.
SUPPORT_WORDS = (
    "confirmed",
    "confirms",
    "confirm",
    "announced",
    "officially",
    "revealed",
    "shows",
    "showed",
    "proved",
    "proof",
    "indeed",
    "verified",
    "true",
    "real",
    "genuine",
    "statement",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
)
# Sentences written for this project that stand for each stance; a text sentence close to them
# in embedding space carries that stance even without a listed cue word.
PROTOTYPES = {
    "refute": (
        "The story is a hoax.",
        "The report is false and the claim is not true.",
        "He denied the report.",
        "There is no evidence that this ever happened.",
        "The picture is fake and was photoshopped.",
        "The website that published it is satirical.",
        "The rumour has been debunked.",
    ),
    "hedge": (
        "It is not yet clear whether the report is true.",
        "The claim could not be independently verified.",
        "According to unconfirmed reports, it may have happened.",
        "Officials are investigating the claims.",
        "The story has not been confirmed.",
    ),
    "support": (
        "Officials confirmed that it happened.",
        "The company announced it on Monday.",
        "Police said the man was arrested.",
    ),
}
NEGATION_WORDS = (
    "not",
    "no",
    "never",
    "none",
    "nobody",
    "nothing",
    "neither",
    "nor",
    "without",
    "n't",
    "cannot",
)
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself now of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves says said say
    new one two after us via just like get got make made
    """.split()
)

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*(?:'[a-z]+)?|n't")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
# "one" and "zero" are left out: "one of the", "no one" say nothing about a count.
_NOT_COUNTS = frozenset({"one", "zero"})
# A sentence ends at . ! ? (optionally closed by a quote or bracket) before a space and an
# upper-case letter, digit or quote, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"“‘'(\[]?[A-Z0-9])|\s*\n+\s*")
# Sentences shorter than this are page furniture, not statements ("Photo: AP").
_MIN_SENTENCE_CHARS = 20
# Texts longer than this are cut: a relation is decided near the top of an article.
_MAX_SENTENCES = 60


def split_sentences(text: str) -> list[str]:
    """The text's sentences, by punctuation and line breaks; no parse, so it is fast.

    Abbreviations followed by a capitalised name ("Gov. Sandoval") may split a sentence in
    two; for similarity features that costs little.
    """
    pieces = [p.strip() for p in _SENTENCE_END.split(text)]
    sentences = [p for p in pieces if len(p) >= _MIN_SENTENCE_CHARS]
    if not sentences and text.strip():
        sentences = [text.strip()]
    return sentences[:_MAX_SENTENCES]


def _stem(word: str) -> str:
    # A crude suffix strip: enough for "denies"/"denied"/"deny" to meet.
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens ("n't" kept as a token of its own)."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0).lower()
        if token.endswith("n't") and token != "n't":
            out.extend((token[:-3], "n't"))
        else:
            out.append(token)
    return out


def content_stems(words: Iterable[str]) -> list[str]:
    """Stems of the words that are not stop words."""
    return [_stem(w) for w in words if w not in STOP_WORDS and len(w) > 1]


def numbers_in(text: str) -> set[float]:
    """The numbers written in the text, in digits or as common number words."""
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(0).replace(",", "")
        try:
            found.add(float(raw))
        except ValueError:
            continue
    for word in tokens(text):
        if word.isalpha() and word not in _NOT_COUNTS:
            parsed = parse_number([word])
            if parsed is not None and not parsed[1]:
                found.add(parsed[0])
    return found


def _phrase_counts(words: Sequence[str], phrases: Sequence[str]) -> np.ndarray:
    # One count per phrase; multi-word phrases are matched on the joined token string.
    joined = " " + " ".join(words) + " "
    single = {}
    for word in words:
        single[word] = single.get(word, 0) + 1
    counts = np.zeros(len(phrases), dtype=np.float32)
    for i, phrase in enumerate(phrases):
        if " " in phrase or "'" in phrase:
            counts[i] = joined.count(" " + phrase + " ")
        else:
            counts[i] = single.get(phrase, 0)
    return counts


# --- per-text analysis (cached) ---------------------------------------------------------------


@dataclass(frozen=True)
class TextView:
    """What the features need from one text: sentences, their vectors, words and cue counts."""

    sentences: list[str]
    vectors: np.ndarray
    centroid: np.ndarray
    stems: list[set[str]]
    all_stems: set[str]
    bigrams: set[tuple[str, str]]
    lead_stems: set[str]
    refute: np.ndarray
    hedge: np.ndarray
    support: np.ndarray
    negation: np.ndarray
    numbers: set[float]
    words: int
    prototype_sims: np.ndarray


def _bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:], strict=False))


def analyze_text(
    text: str, vectors: np.ndarray, sentences: list[str], prototypes: Sequence[np.ndarray]
) -> TextView:
    """Build a TextView from sentences already embedded (one unit row per sentence).

    `prototypes` holds one matrix of unit rows per PROTOTYPES group, in PROTOTYPES order.
    """
    sentence_tokens = [tokens(s) for s in sentences]
    stems = [content_stems(t) for t in sentence_tokens]
    all_stems = [s for ss in stems for s in ss]
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], np.float32)
    norm = float(np.linalg.norm(centroid))
    lead_tokens = tokens(text[:300])
    return TextView(
        sentences=sentences,
        vectors=vectors,
        centroid=centroid / norm if norm > 0 else centroid,
        stems=[set(s) for s in stems],
        all_stems=set(all_stems),
        bigrams=_bigrams(all_stems),
        lead_stems=set(content_stems(lead_tokens)),
        refute=np.stack([_phrase_counts(t, REFUTE_WORDS) for t in sentence_tokens])
        if sentences
        else np.zeros((0, len(REFUTE_WORDS)), np.float32),
        hedge=np.stack([_phrase_counts(t, HEDGE_WORDS) for t in sentence_tokens])
        if sentences
        else np.zeros((0, len(HEDGE_WORDS)), np.float32),
        support=np.stack([_phrase_counts(t, SUPPORT_WORDS) for t in sentence_tokens])
        if sentences
        else np.zeros((0, len(SUPPORT_WORDS)), np.float32),
        negation=np.array(
            [_phrase_counts(t, NEGATION_WORDS).sum() for t in sentence_tokens], dtype=np.float32
        ),
        numbers=numbers_in(text),
        words=sum(len(t) for t in sentence_tokens),
        prototype_sims=np.stack([(vectors @ group.T).max(axis=1) for group in prototypes], axis=1)
        if sentences
        else np.zeros((0, len(prototypes)), np.float32),
    )


# --- features ---------------------------------------------------------------------------------

GROUP_NAMES = ("refute", "hedge", "support")
SCALAR_FEATURES = (
    "sim_max",
    "sim_top3",
    "sim_mean",
    "sim_centroid",
    "sim_lead",
    "sim_second",
    "best_position",
    "overlap_text",
    "overlap_best",
    "overlap_top3",
    "overlap_lead",
    "bigram_overlap",
    "overlap_names",
    "claim_content_words",
    "log_sentences",
    "log_words",
    "claim_refute",
    "claim_hedge",
    "claim_support",
    "claim_negation",
    "claim_question",
    "top_refute",
    "top_hedge",
    "top_support",
    "top_negation",
    "text_refute",
    "text_hedge",
    "text_support",
    "text_negation",
    "lead_refute",
    "lead_hedge",
    "negation_mismatch",
    "claim_numbers",
    "numbers_found",
    "numbers_missing",
    "text_has_numbers",
    "quote_share_top",
    "close_refute",
    "close_hedge",
    "close_negation",
    "top_proto_refute",
    "top_proto_hedge",
    "top_proto_support",
    "text_proto_refute",
    "text_proto_hedge",
    "text_proto_support",
    "claim_proto_refute",
    "claim_proto_hedge",
    "claim_proto_support",
)


def feature_names() -> list[str]:
    """Names of the feature vector's columns, in order."""
    names = list(SCALAR_FEATURES)
    for group, words in zip(GROUP_NAMES, (REFUTE_WORDS, HEDGE_WORDS, SUPPORT_WORDS), strict=True):
        names += [f"top_{group}:{w}" for w in words]
        names += [f"text_{group}:{w}" for w in words]
    return names


def _share(part: set, whole: set) -> float:
    return len(part & whole) / len(part) if part else 0.0


def pair_features(
    claim: str, claim_vector: np.ndarray, view: TextView, claim_prototype_sims: np.ndarray
) -> np.ndarray:
    """The feature row for one claim against one analysed text (see `feature_names`).

    `claim_prototype_sims` is the claim's highest similarity to each PROTOTYPES group.
    """
    claim_tokens = tokens(claim)
    claim_stems = content_stems(claim_tokens)
    claim_set = set(claim_stems)
    names = {_stem(m.lower()) for m in re.findall(r"\b[A-Z][a-zA-Z]+", claim)[1:]}
    names = {n for n in names if n not in STOP_WORDS}
    n_sentences = len(view.sentences)
    if n_sentences:
        sims = view.vectors @ claim_vector
        order = np.argsort(-sims)
        top = order[:TOP_SENTENCES]
        sim_sorted = sims[order]
        best = int(order[0])
        top_stems = set().union(*(view.stems[i] for i in top))
        sim_lead = float(sims[: min(2, n_sentences)].max())
        quote_share = float(
            np.mean([('"' in view.sentences[i]) or ("“" in view.sentences[i]) for i in top])
        )
        # Sentences nearly as close to the claim as the closest one.
        close = sims >= sim_sorted[0] - 0.1
        close_counts = [
            float(view.refute[close].sum()),
            float(view.hedge[close].sum()),
            float(view.negation[close].sum()),
        ]
        top_proto = view.prototype_sims[top].max(axis=0)
        text_proto = view.prototype_sims.mean(axis=0)
    else:
        sims = np.zeros(0, np.float32)
        sim_sorted = sims
        top = np.zeros(0, dtype=int)
        best = 0
        top_stems = set()
        sim_lead = 0.0
        quote_share = 0.0
        close_counts = [0.0, 0.0, 0.0]
        top_proto = np.zeros(len(PROTOTYPES), np.float32)
        text_proto = np.zeros(len(PROTOTYPES), np.float32)

    claim_refute = _phrase_counts(claim_tokens, REFUTE_WORDS)
    claim_hedge = _phrase_counts(claim_tokens, HEDGE_WORDS)
    claim_support = _phrase_counts(claim_tokens, SUPPORT_WORDS)
    claim_negation = float(_phrase_counts(claim_tokens, NEGATION_WORDS).sum())
    top_refute = view.refute[top].sum(axis=0)
    top_hedge = view.hedge[top].sum(axis=0)
    top_support = view.support[top].sum(axis=0)
    top_negation = float(view.negation[top].sum())
    text_refute = view.refute.sum(axis=0)
    text_hedge = view.hedge.sum(axis=0)
    text_support = view.support.sum(axis=0)
    lead = slice(0, min(2, n_sentences))
    per_sentence = max(n_sentences, 1)
    claim_numbers = {n for n in numbers_in(claim) if n not in (0.0, 1.0)}
    found = claim_numbers & view.numbers

    scalars = [
        float(sim_sorted[0]) if n_sentences else 0.0,
        float(sim_sorted[:3].mean()) if n_sentences else 0.0,
        float(sims.mean()) if n_sentences else 0.0,
        float(view.centroid @ claim_vector),
        sim_lead,
        float(sim_sorted[1]) if n_sentences > 1 else 0.0,
        best / per_sentence,
        _share(claim_set, view.all_stems),
        _share(claim_set, view.stems[best]) if n_sentences else 0.0,
        _share(claim_set, top_stems),
        _share(claim_set, view.lead_stems),
        _share(_bigrams(claim_stems), view.bigrams),
        _share(names, view.all_stems),
        float(len(claim_set)),
        math.log1p(n_sentences),
        math.log1p(view.words),
        float(claim_refute.sum()),
        float(claim_hedge.sum()),
        float(claim_support.sum()),
        claim_negation,
        float("?" in claim),
        float(top_refute.sum()),
        float(top_hedge.sum()),
        float(top_support.sum()),
        top_negation,
        float(text_refute.sum()) / per_sentence,
        float(text_hedge.sum()) / per_sentence,
        float(text_support.sum()) / per_sentence,
        float(view.negation.sum()) / per_sentence,
        float(view.refute[lead].sum()),
        float(view.hedge[lead].sum()),
        float((claim_negation > 0) != (float(view.negation[best]) > 0)) if n_sentences else 0.0,
        float(len(claim_numbers)),
        float(len(found)),
        float(len(claim_numbers - found)),
        float(bool(view.numbers)),
        quote_share,
        *close_counts,
        *top_proto.tolist(),
        *text_proto.tolist(),
        *claim_prototype_sims.tolist(),
    ]
    return np.concatenate(
        [
            np.asarray(scalars, dtype=np.float32),
            top_refute,
            text_refute / per_sentence,
            top_hedge,
            text_hedge / per_sentence,
            top_support,
            text_support / per_sentence,
        ]
    ).astype(np.float32)


# --- the tree model ---------------------------------------------------------------------------


class TreeModel:
    """Gradient-boosted trees exported from scikit-learn, evaluated with numpy only.

    The weights file holds, per tree, flat arrays (feature, threshold, left, right, value,
    missing-goes-left, is-leaf); `classes` lists the label of each output column, and
    `class_bias` is added to the log-odds before the arg-max (tuned for macro-F1 in training).
    """

    def __init__(self, spec: dict) -> None:
        self.classes: list[str] = list(spec["classes"])
        self.features: list[str] = list(spec["features"])
        self.baseline = np.asarray(spec["baseline"], dtype=np.float64)
        self.class_bias = np.asarray(
            spec.get("class_bias", [0.0] * len(self.classes)), dtype=np.float64
        )
        self.trees: list[tuple[int, dict[str, np.ndarray]]] = []
        for tree in spec["trees"]:
            arrays = {
                "feature": np.asarray(tree["feature"], dtype=np.int32),
                "threshold": np.asarray(tree["threshold"], dtype=np.float64),
                "left": np.asarray(tree["left"], dtype=np.int32),
                "right": np.asarray(tree["right"], dtype=np.int32),
                "value": np.asarray(tree["value"], dtype=np.float64),
                "missing_left": np.asarray(tree["missing_left"], dtype=bool),
                "leaf": np.asarray(tree["leaf"], dtype=bool),
            }
            self.trees.append((int(tree["class"]), arrays))

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """Summed log-odds per class for each row (before the softmax)."""
        rows = np.asarray(rows, dtype=np.float64)
        out = np.tile(self.baseline, (len(rows), 1))
        index = np.arange(len(rows))
        for column, tree in self.trees:
            node = np.zeros(len(rows), dtype=np.int32)
            active = ~tree["leaf"][node]
            while active.any():
                where = index[active]
                current = node[where]
                values = rows[where, tree["feature"][current]]
                go_left = np.where(
                    np.isnan(values),
                    tree["missing_left"][current],
                    values <= tree["threshold"][current],
                )
                node[where] = np.where(go_left, tree["left"][current], tree["right"][current])
                active = ~tree["leaf"][node]
            out[:, column] += tree["value"][node]
        return out

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Class probabilities per row, columns in `self.classes` order."""
        raw = self.raw(rows)
        raw -= raw.max(axis=1, keepdims=True)
        exp = np.exp(raw)
        return exp / exp.sum(axis=1, keepdims=True)

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Index of the chosen class per row: probabilities shifted by the tuned class bias."""
        return np.argmax(np.log(np.clip(proba, 1e-12, None)) + self.class_bias, axis=1)


@functools.cache
def load_tree_model(path: str | None = None) -> TreeModel:
    """The shipped tree model (or another weights file with the same layout)."""
    spec = json.loads(Path(path or WEIGHTS_FILE).read_text(encoding="utf-8"))
    return TreeModel(spec)


# --- the default relator ----------------------------------------------------------------------


class FeatureRelator:
    """The default relator: structural and embedding features scored by the shipped trees.

    Texts are analysed once and remembered (sentences, vectors, cue words), so many claims
    against one article cost one embedding pass over that article.
    """

    def __init__(self, embedder=None, model: TreeModel | None = None, cache_size: int = 512):
        if embedder is None:
            from parallax.embed import load_embedder

            embedder = load_embedder()
        self.embedder = embedder
        self._model = model
        self._views: OrderedDict[str, TextView] = OrderedDict()
        self._cache_size = cache_size
        self.prototypes = [self.embedder.embed(list(group)) for group in PROTOTYPES.values()]

    @property
    def model(self) -> TreeModel:
        """The tree model, loaded on first use (feature extraction alone does not need it)."""
        if self._model is None:
            self._model = load_tree_model()
        return self._model

    def view(self, text: str) -> TextView:
        """The analysed text, from the cache when it was seen before."""
        cached = self._views.get(text)
        if cached is not None:
            self._views.move_to_end(text)
            return cached
        sentences = split_sentences(text)
        vectors = (
            self.embedder.embed(sentences) if sentences else np.zeros((0, 384), dtype=np.float32)
        )
        view = analyze_text(text, vectors, sentences, self.prototypes)
        self._views[text] = view
        if len(self._views) > self._cache_size:
            self._views.popitem(last=False)
        return view

    def features(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """One feature row per (claim, text) pair."""
        claims = [claim for claim, _ in pairs]
        claim_vectors = self.embedder.embed(claims) if claims else np.zeros((0, 384))
        claim_prototypes = np.stack(
            [(claim_vectors @ group.T).max(axis=1) for group in self.prototypes], axis=1
        )
        rows = [
            pair_features(claim, claim_vectors[i], self.view(text), claim_prototypes[i])
            for i, (claim, text) in enumerate(pairs)
        ]
        if not rows:
            return np.zeros((0, len(feature_names())), dtype=np.float32)
        return np.stack(rows)

    def relate_many(self, pairs: Sequence[tuple[str, str]]) -> list[Relation]:
        """Relations for many (claim, text) pairs at once (one batched embedding pass)."""
        rows = self.features(pairs)
        if not len(rows):
            return []
        proba = self.model.predict_proba(rows)
        chosen = self.model.decide(proba)
        # The embedder remembers the claims it just embedded, so this costs no model run.
        claim_vectors = self.embedder.embed([claim for claim, _ in pairs])
        relations = []
        for i, (_, text) in enumerate(pairs):
            view = self.view(text)
            evidence = None
            if view.sentences:
                evidence = view.sentences[int(np.argmax(view.vectors @ claim_vectors[i]))]
            relations.append(
                Relation(
                    label=self.model.classes[int(chosen[i])],  # type: ignore[arg-type]
                    score=float(proba[i, chosen[i]]),
                    probabilities={
                        c: float(p) for c, p in zip(self.model.classes, proba[i], strict=True)
                    },
                    evidence=evidence,
                )
            )
        return relations

    def relate(self, claim: str, text: str) -> Relation:
        """How `text` stands to `claim`: agree, disagree, discuss or unrelated.

        It reads cue words and numbers, not meaning: a text that refutes a claim without any
        refuting, denying or contrasting word is likely to come out as "discuss" or "agree".
        """
        return self.relate_many([(claim, text)])[0]


def load_relator() -> Relator:
    """The relator named by PARALLAX_RELATOR (`module:factory`), else the FeatureRelator.

    Raises ValueError (naming the setting) when the named factory cannot be imported or does
    not return an object with `relate(claim, text)`.
    """
    target = get_settings().relator
    if not target:
        return _default_relator()
    module_name, _, factory_name = target.partition(":")
    if not module_name or not factory_name:
        raise ValueError(f"{RELATOR_SETTING}={target!r}: expected 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), factory_name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"{RELATOR_SETTING}={target!r}: cannot load it ({exc})") from exc
    relator = factory()
    if not isinstance(relator, Relator):
        raise ValueError(f"{RELATOR_SETTING}={target!r}: the factory's result has no relate()")
    return relator


@functools.cache
def _default_relator() -> FeatureRelator:
    return FeatureRelator()


def relate_pairs(relator: Relator, pairs: Sequence[tuple[str, str]]) -> list[Relation]:
    """Relations for many pairs, batched when the relator can batch (`relate_many`)."""
    batch = getattr(relator, "relate_many", None)
    if callable(batch):
        return list(batch(pairs))
    return [relator.relate(claim, text) for claim, text in pairs]


# --- claim against claim ----------------------------------------------------------------------

# Below this cosine, two short claims with little word overlap are about different things.
CLAIM_UNRELATED_SIMILARITY = 0.45
CLAIM_UNRELATED_OVERLAP = 0.34
# Denying verbs flip a claim's polarity the way a negation does.
DENY_WORDS = (
    "deny",
    "denies",
    "denied",
    "denying",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "refuted",
    "refutes",
    "false",
    "fake",
    "hoax",
    "untrue",
    "debunked",
)


def _negated(words: Sequence[str]) -> bool:
    # An odd count of negations and denials: "did not deny" asserts again.
    count = _phrase_counts(words, NEGATION_WORDS).sum() + _phrase_counts(words, DENY_WORDS).sum()
    return int(count) % 2 == 1


def relate_claims(a: str, b: str, embedder=None) -> Relation:
    """How claim `b` stands to claim `a`, for two short statements (a sentence or so each).

    Rules, no learned model: far apart in meaning and words -> unrelated; close, and one is
    negated or denied where the other is not -> disagree (a stance conflict); both give numbers
    and none is shared -> disagree (a numeric conflict); one hedges -> discuss; else agree.
    The score is the cosine of the two claims (1 - cosine for unrelated), not a calibrated
    probability; `probabilities` puts that score on the label and spreads the rest evenly.
    It cannot tell that "resigned" and "was fired" conflict: only negation, denial and numbers.
    """
    if not a.strip() or not b.strip():
        # An empty claim says nothing, so nothing can agree or conflict with it.
        spread = {name: (1.0 if name == "unrelated" else 0.0) for name in LABELS}
        return Relation(label="unrelated", score=1.0, probabilities=spread, evidence="empty claim")
    if embedder is None:
        from parallax.embed import load_embedder

        embedder = load_embedder()
    vectors = embedder.embed([a, b])
    similarity = float(np.clip(vectors[0] @ vectors[1], -1.0, 1.0))
    words_a, words_b = tokens(a), tokens(b)
    stems_a, stems_b = set(content_stems(words_a)), set(content_stems(words_b))
    smaller = min(len(stems_a), len(stems_b))
    overlap = len(stems_a & stems_b) / smaller if smaller else 0.0
    numbers_a = {n for n in numbers_in(a) if n not in (0.0, 1.0)}
    numbers_b = {n for n in numbers_in(b) if n not in (0.0, 1.0)}
    hedged = any(
        _phrase_counts(words, HEDGE_WORDS).sum() > 0 or "?" in text
        for words, text in ((words_a, a), (words_b, b))
    )

    label: RelationLabel
    evidence = None
    if similarity < CLAIM_UNRELATED_SIMILARITY and overlap < CLAIM_UNRELATED_OVERLAP:
        label, score = "unrelated", 1.0 - max(similarity, 0.0)
    elif _negated(words_a) != _negated(words_b):
        label, score, evidence = "disagree", similarity, "one claim is negated or denied"
    elif numbers_a and numbers_b and not numbers_a & numbers_b:
        label, score, evidence = "disagree", similarity, "the claims give different numbers"
    elif hedged:
        label, score = "discuss", similarity
    else:
        label, score = "agree", similarity
    score = float(np.clip(score, 0.0, 1.0))
    rest = (1.0 - score) / (len(LABELS) - 1)
    probabilities = {name: (score if name == label else rest) for name in LABELS}
    return Relation(label=label, score=score, probabilities=probabilities, evidence=evidence)


# --- pairs files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimTextPair:
    """One line of a pairs file: an id, the claim, and the text to relate it to."""

    id: str | int
    claim: str
    text: str


def parse_pair_line(line: str) -> ClaimTextPair:
    """One JSON Lines record `{"id", "claim", "text"}`; raises ValueError saying what is wrong.

    `id` may be a string or an integer and is passed through as given; `claim` and `text` must
    be non-empty strings. Other keys are ignored.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in ("id", "claim", "text") if key not in record]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    pair_id = record["id"]
    if isinstance(pair_id, bool) or not isinstance(pair_id, str | int):
        raise ValueError("id must be a string or an integer")
    for key in ("claim", "text"):
        if not isinstance(record[key], str) or not record[key].strip():
            raise ValueError(f"{key} must be a non-empty string")
    return ClaimTextPair(pair_id, record["claim"], record["text"])
