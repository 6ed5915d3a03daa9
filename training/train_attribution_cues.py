"""Retrain the cue detector of `parallax_attribution` from PolNeAR train.

Usage: .venv/bin/python training/train_attribution_cues.py [--limit N] [--cache DIR]

Reads ../shared/data/polnear/train only (dev is for reporting and is never read here), parses
it with the project's spaCy model, labels the head token of every annotated cue, fits a
logistic regression over `cue_features`, and writes the non-zero weights as JSON next to
attribution.py (src/parallax/nlp/attribution_cues.json). The threshold is picked on the last
15% of train documents, held out from the fit.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

import parallax.nlp.attribution as attribution
from parallax.evaluate.polnear import (
    _intersection,
    _length,
    default_root,
    from_attributions,
    load_split,
    overlaps,
    score,
)
from parallax.nlp.attribution import (
    CUE_MODEL_PATH,
    candidate_features,
    content_candidates,
    cue_features,
    cue_score,
    find_quotes,
    is_cue_candidate,
)
from parallax.nlp.pipeline import load_nlp

VERB_PATH_POS = ("VERB", "AUX", "ADJ", "ADP")
HELD_OUT = 0.15  # share of each outlet's train texts held out for tuning


def _outlet(name: str) -> str:
    return name.split("_", 1)[0]


def held_out_count(names: list[str]) -> int:
    """How many texts the tuning hold-out takes: 15% of each outlet's texts."""
    counts: dict[str, int] = {}
    for name in names:
        counts[_outlet(name)] = counts.get(_outlet(name), 0) + 1
    return sum(int(n * HELD_OUT) for n in counts.values())


def fit_then_held_out(names: list[str]) -> list[int]:
    """Indices of the texts, those fitted on first, then the held-out ones: the last 15% of
    each outlet's texts (by file name), so that tuning sees every outlet's conventions
    (the outlets differ: one marks quotes with two apostrophes, another writes headlines in
    title case)."""
    by_outlet: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        by_outlet.setdefault(_outlet(name), []).append(i)
    fit, held = [], []
    for indices in by_outlet.values():
        cut = len(indices) - int(len(indices) * HELD_OUT)
        fit += indices[:cut]
        held += indices[cut:]
    return fit + held


def cue_heads(doc: Doc, cues: list[tuple[tuple[int, int], ...]]) -> set[int]:
    """Token indices of the syntactic heads of annotated cue spans."""
    heads = set()
    for frags in cues:
        tokens = []
        for start, end in frags:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                tokens.extend(span)
        inside = {t.i for t in tokens}
        for tok in tokens:
            if tok.head.i not in inside or tok.head.i == tok.i:
                heads.add(tok.i)
                break
    return heads


def examples(doc: Doc, heads: set[int] | None) -> tuple[list[dict], list[int], list]:
    quotes = find_quotes(doc.text)
    sentences = attribution.sentence_info(doc)
    quoted = attribution.inside_quotes(doc, quotes)
    feats, labels, dense = [], [], []
    for tok in doc:
        if not is_cue_candidate(tok):
            continue
        feats.append(dict.fromkeys(cue_features(tok, quoted[tok.i], sentences[tok.i]), 1))
        labels.append(int(heads is not None and tok.i in heads))
        dense.append(doc.tensor[tok.i])
    return feats, labels, dense


def parsed_docs(texts: list[str], cache: Path | None) -> list[Doc]:
    """Parsed train texts (the parallax pipeline up to the attribution component, as at run
    time); with `cache`, parses and their tensors are kept for the next run."""
    nlp = load_nlp()
    tensors = cache.with_suffix(".tensors.npy") if cache is not None else None
    if cache is not None and cache.exists() and tensors is not None and tensors.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        stacked = np.load(tensors)
        offset = 0
        for doc in docs:
            doc.tensor = stacked[offset : offset + len(doc)]
            offset += len(doc)
        return docs
    docs = list(nlp.pipe(texts, disable=["parallax_attribution"]))
    if cache is not None and tensors is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(cache)
        np.save(tensors, np.concatenate([doc.tensor for doc in docs]))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use the first N train texts")
    parser.add_argument("--cache", type=Path, default=None, help="DocBin cache of parsed train")
    parser.add_argument("--c", type=float, default=0.3, help="inverse regularisation strength")
    parser.add_argument("--no-dense", action="store_true", help="leave out the token vectors")
    parser.add_argument("--parse-only", action="store_true", help="fill the cache and stop")
    parser.add_argument(
        "--content-only", action="store_true", help="keep the shipped cue detector, refit content"
    )
    parser.add_argument("--content-c", type=float, default=0.3, help="C of the content chooser")
    args = parser.parse_args()

    data = load_split(default_root(), "train", args.limit)
    docs = parsed_docs([d.text for d in data], args.cache)
    if args.parse_only:
        return
    order = fit_then_held_out([d.name for d in data])
    data = [data[i] for i in order]
    docs = [docs[i] for i in order]
    split = len(order) - held_out_count([d.name for d in data])
    if args.content_only:
        payload = json.loads(CUE_MODEL_PATH.read_text(encoding="utf-8"))
        fit_and_tune_content(payload, data, docs, split, args.content_c)
        return
    x_fit, y_fit, x_hold, y_hold, d_fit, d_hold = [], [], [], [], [], []
    for i, (item, doc) in enumerate(zip(data, docs, strict=True)):
        feats, labels, dense = examples(doc, cue_heads(doc, [g.cue for g in item.gold]))
        if i < split:
            x_fit += feats
            y_fit += labels
            d_fit += dense
        else:
            x_hold += feats
            y_hold += labels
            d_hold += dense
    vec = DictVectorizer()
    use_dense = not args.no_dense
    model = LogisticRegression(C=args.c, max_iter=3000, class_weight={0: 1.0, 1: 2.0})
    model.fit(_matrix(vec.fit_transform(x_fit), d_fit, use_dense), y_fit)
    scores = model.decision_function(_matrix(vec.transform(x_hold), d_hold, use_dense))
    best = (0.0, 0.0)
    for step in range(-30, 31):
        threshold = step / 10
        tp = sum(1 for s, y in zip(scores, y_hold, strict=True) if s >= threshold and y)
        fp = sum(1 for s, y in zip(scores, y_hold, strict=True) if s >= threshold and not y)
        fn = sum(1 for s, y in zip(scores, y_hold, strict=True) if s < threshold and y)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (f1, threshold)
    names = list(vec.get_feature_names_out())
    coef = model.coef_[0]
    weights = {
        name: round(float(w), 4)
        for name, w in zip(names, coef[: len(names)], strict=True)
        if abs(w) >= 5e-3
    }
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    payload = {
        "dense": [round(float(w), 5) for w in coef[len(names) :]] if use_dense else [],
        "about": "cue detector and content chooser of parallax_attribution; retrain with "
        "training/train_attribution_cues.py (PolNeAR train only)",
        "threshold": best[1],
        "heldout_cue_f1": round(best[0], 4),
        "weights": weights,
    }
    _write(payload)
    print(
        f"{len(weights)} cue weights, held-out cue-head F1 {best[0]:.3f} at threshold {best[1]}"
        f" (p={1 / (1 + math.exp(-best[1])):.2f})"
    )
    fit_and_tune_content(payload, data, docs, split, args.content_c)


def fit_and_tune_content(payload: dict, data, docs, split: int, c: float) -> None:
    """Fit the content chooser on the first `split` texts, pick its refusal threshold by
    content F1 on the rest, and write the weights file."""
    payload["content"] = fit_content_chooser(data[:split], docs[:split], c)
    _write(payload)
    best_f1, best_threshold = 0.0, 0.0
    for step in range(-20, 21, 2):
        payload["content"]["threshold"] = step / 10
        _write(payload)
        f1 = score(
            data[split:],
            [from_attributions(attribution.find_attributions(d)) for d in docs[split:]],
        )["content_overlap"]["f1"]
        if f1 > best_f1:
            best_f1, best_threshold = f1, step / 10
    payload["content"]["threshold"] = best_threshold
    payload["content"]["heldout_content_f1"] = round(best_f1, 4)
    _write(payload)
    print(f"content chooser: held-out content F1 {best_f1:.3f} at threshold {best_threshold}")
    print(f"wrote {CUE_MODEL_PATH}")


def _matrix(sparse, dense: list, use_dense: bool):
    """Sparse lexical/syntactic features, with the token vectors appended when wanted."""
    if not use_dense:
        return sparse
    return hstack([sparse, csr_matrix(np.asarray(dense, dtype=np.float32))]).tocsr()


def _write(payload: dict) -> None:
    CUE_MODEL_PATH.write_text(json.dumps(payload, sort_keys=True) + "\n", encoding="utf-8")
    attribution._cue_model.cache_clear()
    attribution._cue_dense.cache_clear()
    attribution._cue_weights.cache_clear()
    attribution._content_weights.cache_clear()
    attribution._accept_weights.cache_clear()


def _share(doc: Doc, start: int, end: int, gold: list) -> float:
    """Best overlap share (shared characters over the longer span) of a token range with
    any gold content it matches at the metric's threshold; 0 when it matches none."""
    span = ((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)),)
    best = 0.0
    for g in gold:
        if overlaps(g, span):
            shared = _intersection(g, span)
            best = max(best, shared / max(_length(g), _length(span)))
    return best


def fit_content_chooser(data, docs, c: float) -> dict:
    """Two logistic regressions over content candidates: a ranker (is this the candidate
    closest to the gold content?) and an acceptor (does it match the gold content at the
    metric's overlap?)."""
    _, cue_threshold = attribution._cue_weights()
    feats, closest, matches = [], [], []
    for item, doc in zip(data, docs, strict=True):
        quotes = find_quotes(doc.text)
        dense = attribution.dense_cue_scores(doc)
        gold_by_head: dict[int, list] = {}
        for g in item.gold:
            for head in cue_heads(doc, [g.cue]):
                gold_by_head.setdefault(head, []).append(g.content)
        sentences = attribution.sentence_info(doc)
        quoted = attribution.inside_quotes(doc, quotes)
        for tok in doc:
            if tok.pos_ not in VERB_PATH_POS:
                continue
            gold = gold_by_head.get(tok.i)
            value = cue_score(tok, quoted[tok.i], float(dense[tok.i]), sentences[tok.i])
            if gold is None and value < cue_threshold:
                continue
            cands = content_candidates(doc, tok)
            shares = [_share(doc, start, end, gold or []) for _, start, end in cands]
            top = max(shares, default=0.0)
            for (kind, start, end), share in zip(cands, shares, strict=True):
                feats.append(
                    dict.fromkeys(candidate_features(doc, tok, kind, start, end, value), 1)
                )
                matches.append(int(share > 0.0))
                closest.append(int(share > 0.0 and share >= top - 1e-9))
    vec = DictVectorizer()
    matrix = vec.fit_transform(feats)
    names = vec.get_feature_names_out()
    print(f"content chooser: {len(feats)} candidates, {sum(matches)} match, {sum(closest)} best")
    return {
        "weights": _fit_weights(matrix, closest, names, c),
        "accept_weights": _fit_weights(matrix, matches, names, c),
        "threshold": 0.0,
    }


def _fit_weights(matrix, labels: list[int], names, c: float) -> dict[str, float]:
    """Non-zero weights of a logistic regression, the intercept folded into "bias"."""
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix, labels)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= 5e-3
    }
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    return weights


if __name__ == "__main__":
    main()
