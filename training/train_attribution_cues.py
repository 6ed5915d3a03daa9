"""Retrain the cue detector and content chooser of `parallax_attribution` from PolNeAR train.

Usage: .venv/bin/python training/train_attribution_cues.py [--cache FILE] [--content-only]

Reads ../shared/data/polnear/train only (dev is for reporting and is never read here) and
parses it with the project's spaCy model. Holds out the last 15% of each outlet's texts for
tuning; fits on the rest:
1. the cue detector: a logistic regression over `cue_features` that tells the head token of an
   annotated cue; its threshold is the one with the best cue-head F1 on the held-out texts;
2. the content chooser: a conditional logit that, for each cue the detector scores above a
   lower threshold, picks one of its `content_candidates` or the "no content" option (whose
   features are the cue's own and the kind of speaker the speaker rule finds for it). It is
   fitted on cue scores from detectors that did not see the text (three folds), as at run
   time. The lower cue threshold, the offset of the "no content" option and the cue score
   from which a reporting verb of the lexicon is never refused are picked by content F1 (50%
   overlap) of the final attributions on the held-out texts.
Writes the non-zero weights as JSON next to attribution.py
(src/parallax/nlp/attribution_cues.json). With --cache, the parse (and the out-of-fold cue
scores) are kept for the next run; --content-only refits the chooser with the shipped detector.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
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
    CHOOSER_POS,
    CUE_MODEL_PATH,
    candidate_features,
    content_candidates,
    cue_features,
    find_quotes,
    is_cue_candidate,
    null_features,
)
from parallax.nlp.pipeline import load_nlp

HELD_OUT = 0.15  # share of each outlet's train texts held out for tuning
FOLDS = 3  # detectors for out-of-fold cue scores
MIN_CUE_RATE = 0.005  # a lemma heading fewer of its occurrences' cues is not scored
LOWEST_CUE = -1.5  # the chooser is trained on cues the detector scores at least this
CUE_THRESHOLDS = (-1.5, -1.0, -0.5)  # tried for the chooser's lower cue threshold
NULL_OFFSETS = (-1.5, -1.0, -0.5, 0.0, 0.5)  # tried for the "no content" option
SURE_VERB_SCORES = (None, 2.0, 1.5, 1.0, 0.5)  # tried for never refusing a reporting verb


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


def head_lemmas(data, docs) -> set[str]:
    """The "lemma|POS" of the annotated cue heads, leaving out those that head a cue in fewer
    than MIN_CUE_RATE of their occurrences ("percent", "year"): the only tokens the detector
    scores (at the held-out texts' cue threshold, the ones left out are never taken)."""
    seen: dict[str, int] = {}
    heads: dict[str, int] = {}
    for item, doc in zip(data, docs, strict=True):
        gold = cue_heads(doc, [g.cue for g in item.gold])
        for tok in doc:
            key = f"{tok.lemma_.lower()}|{tok.pos_}"
            seen[key] = seen.get(key, 0) + 1
            if tok.i in gold:
                heads[key] = heads.get(key, 0) + 1
    return {key for key, n in heads.items() if n >= MIN_CUE_RATE * seen[key]}


def scored(tok, lemmas: set[str] | None) -> bool:
    """Does the detector score this token (a candidate whose lemma has headed a cue)?"""
    if not is_cue_candidate(tok):
        return False
    return lemmas is None or f"{tok.lemma_.lower()}|{tok.pos_}" in lemmas


def examples(
    doc: Doc, heads: set[int] | None, lemmas: set[str] | None = None
) -> tuple[list[dict], list[int], list]:
    """Cue features, labels (heads an annotated cue) and token vectors of the tokens the
    detector scores."""
    quotes = find_quotes(doc.text)
    sentences = attribution.sentence_info(doc)
    quoted = attribution.inside_quotes(doc, quotes)
    feats, labels, dense = [], [], []
    for tok in doc:
        if not scored(tok, lemmas):
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
    parser.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength")
    parser.add_argument("--dense", action="store_true", help="add the token vectors (doc.tensor)")
    parser.add_argument("--parse-only", action="store_true", help="fill the cache and stop")
    parser.add_argument(
        "--content-only", action="store_true", help="keep the shipped cue detector, refit content"
    )
    parser.add_argument("--content-l2", type=float, default=3.0, help="L2 of the chooser")
    args = parser.parse_args()

    data = load_split(default_root(), "train", args.limit)
    docs = parsed_docs([d.text for d in data], args.cache)
    if args.parse_only:
        return
    order = fit_then_held_out([d.name for d in data])
    data = [data[i] for i in order]
    docs = [docs[i] for i in order]
    split = len(order) - held_out_count([d.name for d in data])
    oof_path = args.cache.with_suffix(".oof.json") if args.cache is not None else None
    if args.content_only:
        payload = json.loads(CUE_MODEL_PATH.read_text(encoding="utf-8"))
        if oof_path is None or not oof_path.exists():
            raise SystemExit("--content-only needs the out-of-fold scores of a full run's --cache")
        oof = {
            k: {int(i): v for i, v in d.items()}
            for k, d in json.loads(oof_path.read_text()).items()
        }
    else:
        payload, oof = fit_detector(data, docs, split, args.c, args.dense)
        if oof_path is not None:
            oof_path.write_text(json.dumps(oof), encoding="utf-8")
    fit_and_tune_content(payload, data, docs, split, oof, args.content_l2)


def cue_examples(data, docs, lemmas: set[str]) -> tuple[list, list, list, list, int]:
    """Per text: the cue features of the tokens the detector scores, their labels, token
    vectors and token indices; and how many annotated cue heads it never scores."""
    feats, labels, dense, index = [], [], [], []
    unscored = 0
    for item, doc in zip(data, docs, strict=True):
        heads = cue_heads(doc, [g.cue for g in item.gold])
        f, y, d = examples(doc, heads, lemmas)
        feats.append(f)
        labels.append(y)
        dense.append(d)
        index.append([t.i for t in doc if scored(t, lemmas)])
        unscored += len(heads) - sum(y)
    return feats, labels, dense, index, unscored


def fit_detector(data, docs, split: int, c: float, use_dense: bool) -> tuple[dict, dict]:
    """Fit the cue detector on the first `split` texts, pick its threshold on the rest, and
    score every fitted text with a detector fitted on the other folds."""
    lemmas = head_lemmas(data[:split], docs[:split])
    feats, labels, dense, index, _ = cue_examples(data[:split], docs[:split], lemmas)
    held_out = cue_examples(data[split:], docs[split:], lemmas)
    feats += held_out[0]
    labels += held_out[1]
    dense += held_out[2]
    index += held_out[3]

    def fit(rows: list[int]) -> tuple[DictVectorizer, LogisticRegression]:
        vec = DictVectorizer()
        x = vec.fit_transform([f for r in rows for f in feats[r]])
        d = [v for r in rows for v in dense[r]]
        model = LogisticRegression(C=c, max_iter=3000, class_weight={0: 1.0, 1: 2.0})
        model.fit(_matrix(x, d, use_dense), [y for r in rows for y in labels[r]])
        return vec, model

    def decide(vec, model, row: int) -> np.ndarray:
        if not feats[row]:
            return np.zeros(0)
        return model.decision_function(_matrix(vec.transform(feats[row]), dense[row], use_dense))

    vec, model = fit(list(range(split)))
    held = range(split, len(docs))
    scores = np.concatenate([decide(vec, model, r) for r in held])
    truth = np.asarray([y for r in held for y in labels[r]], dtype=bool)
    gold_heads = int(truth.sum()) + held_out[4]  # heads never scored are misses
    best = (0.0, 0.0)
    for step in range(-30, 31):
        picked = scores >= step / 10
        tp = int((picked & truth).sum())
        f1 = 2 * tp / (int(picked.sum()) + gold_heads) if tp else 0.0
        if f1 > best[0]:
            best = (f1, step / 10)
    names = list(vec.get_feature_names_out())
    coef = model.coef_[0]
    weights = {
        name: round(float(w), 4)
        for name, w in zip(names, coef[: len(names)], strict=True)
        if abs(w) >= 5e-3
    }
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    payload = {
        "cue_lemmas": sorted(lemmas),
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
        f" (p={1 / (1 + math.exp(-best[1])):.2f})",
        flush=True,
    )
    oof: dict[str, dict[int, float]] = {}
    for fold in range(FOLDS):
        rows = [r for r in range(split) if r % FOLDS != fold]
        f_vec, f_model = fit(rows)
        for r in range(fold, split, FOLDS):
            oof[data[r].name] = {
                i: round(float(v), 4)
                for i, v in zip(index[r], decide(f_vec, f_model, r), strict=True)
            }
        print(f"out-of-fold cue scores: fold {fold + 1} of {FOLDS}", flush=True)
    return payload, oof


def fit_and_tune_content(payload: dict, data, docs, split: int, oof: dict, l2: float) -> None:
    """Fit the content chooser on the first `split` texts (with out-of-fold cue scores), pick
    its lower cue threshold and "no content" offset by content F1 on the rest, and write the
    weights file."""
    groups = chooser_groups(data[:split], docs[:split], oof)
    weights = fit_chooser(groups, l2)
    payload["content"] = {"weights": weights, "null_offset": 0.0, "cue_threshold": 0.0}
    best = (0.0, 0.0, 0.0)
    for cue_threshold in (*CUE_THRESHOLDS, payload["threshold"]):
        for offset in NULL_OFFSETS:
            payload["content"]["cue_threshold"] = cue_threshold
            payload["content"]["null_offset"] = offset
            _write(payload)
            f1 = _held_out_content_f1(data[split:], docs[split:])
            print(f"  cue threshold {cue_threshold}, offset {offset}: content F1 {f1:.4f}")
            if f1 > best[0]:
                best = (f1, cue_threshold, offset)
    payload["content"]["cue_threshold"] = best[1]
    payload["content"]["null_offset"] = best[2]
    # The "no content" option is fitted to refuse a cue whose candidates all miss; for a
    # reporting verb the detector is sure of, the best candidate may still be worth a guess.
    sure = (best[0], None)
    for value in SURE_VERB_SCORES[1:]:
        payload["content"]["sure_verb_score"] = value
        _write(payload)
        f1 = _held_out_content_f1(data[split:], docs[split:])
        print(f"  reporting verbs never refused from cue score {value}: content F1 {f1:.4f}")
        if f1 > sure[0]:
            sure = (f1, value)
    payload["content"]["sure_verb_score"] = sure[1]
    payload["content"]["heldout_content_f1"] = round(sure[0], 4)
    _write(payload)
    print(
        f"content chooser: held-out content F1 {sure[0]:.3f} at cue threshold {best[1]},"
        f" offset {best[2]}, reporting verbs never refused from cue score {sure[1]}"
    )
    print(f"wrote {CUE_MODEL_PATH}")


def _held_out_content_f1(data, docs) -> float:
    """Content F1 (50% overlap) of the component's final attributions on held-out texts."""
    predictions = [from_attributions(attribution.find_attributions(d)) for d in docs]
    return score(data, predictions)["content_overlap"]["f1"]


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
    attribution._chooser.cache_clear()
    attribution._sure_verb_score.cache_clear()
    attribution._cue_lemmas.cache_clear()


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


def gold_contents_by_head(doc: Doc, gold: list) -> dict[int, list]:
    """The gold content spans of each token of `doc` that heads a gold cue."""
    by_head: dict[int, list] = {}
    for g in gold:
        for head in cue_heads(doc, [g.cue]):
            by_head.setdefault(head, []).append(g.content)
    return by_head


def chooser_groups(data, docs, oof: dict) -> list[dict]:
    """One group per cue the (out-of-fold) detector scores at least LOWEST_CUE: the features
    of its "no content" option and of each candidate, and which options are right — the
    candidates closest to a gold content of that cue, else "no content"."""
    groups = []
    for item, doc in zip(data, docs, strict=True):
        scores = oof.get(item.name, {})
        quotes = find_quotes(doc.text)
        sentences = attribution.sentence_info(doc)
        quoted = attribution.inside_quotes(doc, quotes)
        gold_by_head = gold_contents_by_head(doc, item.gold)
        for tok in doc:
            value = scores.get(tok.i)
            if value is None or value < LOWEST_CUE or tok.pos_ not in CHOOSER_POS:
                continue
            cands = content_candidates(doc, tok)
            shares = [
                _share(doc, start, end, gold_by_head.get(tok.i, [])) for _, start, end in cands
            ]
            top = max(shares, default=0.0)
            cue_feats = cue_features(tok, quoted[tok.i], sentences[tok.i])
            options = [null_features(cue_feats, value, tok)]
            options += [candidate_features(doc, tok, *cand, value) for cand in cands]
            right = [top == 0.0] + [top > 0.0 and share >= top - 1e-9 for share in shares]
            groups.append({"options": options, "right": right})
    print(f"content chooser: {len(groups)} cues, {sum(len(g['options']) for g in groups)} options")
    return groups


def fit_conditional_logit(
    x: csr_matrix, group_of: np.ndarray, right: np.ndarray, l2: float
) -> np.ndarray:
    """Weights of a conditional logit over groups of rows (contiguous, in group order): they
    maximise the probability of the right rows among each group's, with an L2 penalty
    (L-BFGS, at most 400 iterations)."""
    starts = np.flatnonzero(np.r_[True, np.diff(group_of) != 0])
    sizes = np.diff(np.r_[starts, len(group_of)])
    xt = x.T.tocsr()

    def log_softmax_sum(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        top = np.repeat(np.maximum.reduceat(values, starts), sizes)
        exp = np.exp(values - top)
        total = np.add.reduceat(exp, starts)
        return np.log(total) + top[starts], exp / np.repeat(total, sizes)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        values = x @ w
        all_lse, all_p = log_softmax_sum(values)
        right_lse, right_p = log_softmax_sum(np.where(right, values, -1e9))
        right_p = np.where(right, right_p, 0.0)
        grad = xt @ (all_p - right_p) + l2 * w
        return float((all_lse - right_lse).sum() + 0.5 * l2 * w @ w), grad

    result = minimize(
        loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 400}
    )
    return result.x


def fit_chooser(groups: list[dict], l2: float) -> dict[str, float]:
    """Weights of a conditional logit over each group's options: maximises the probability
    of the right options among all of the group's, with an L2 penalty (L-BFGS)."""
    vocabulary: dict[str, int] = {}
    indptr, indices, group_of, right = [0], [], [], []
    for number, group in enumerate(groups):
        for feats, ok in zip(group["options"], group["right"], strict=True):
            indices += [vocabulary.setdefault(f, len(vocabulary)) for f in feats]
            indptr.append(len(indices))
            group_of.append(number)
            right.append(ok)
    x = csr_matrix(
        (np.ones(len(indices), dtype=np.float64), indices, indptr),
        shape=(len(group_of), len(vocabulary)),
    )
    weights = fit_conditional_logit(x, np.asarray(group_of), np.asarray(right, dtype=bool), l2)
    names = list(vocabulary)
    return {names[j]: round(float(v), 4) for j, v in enumerate(weights) if abs(v) >= 1e-3}


if __name__ == "__main__":
    main()
