"""Fold figures of the attribution content chooser on PolNeAR train, and a stacked learner.

Usage: .venv/bin/python training/attribution_folds.py --cache FILE --oof FILE [--out FILE]
       [--folds 6] [--state FILE] [--label top|any] [--big] [--oracle]
       [--tensors FILE [--tensor-dims 16] [--tensor-edges]]

Reads ../shared/data/polnear/train only (never dev). Each outlet's texts, in file-name order,
are cut into `--folds` contiguous blocks; block k of every outlet together is fold k. For each
fold the content chooser (conditional logit, as in train_attribution_cues.py) is refitted on
the other folds and the whole attribution is scored on the fold: that is the control. The
learner is a gradient-boosted tree model (scikit-learn HistGradientBoosting) over a compact
dense description of each content candidate, stacked on the chooser: the chooser's own scores
(out of fold) are among its inputs. It picks the candidate it finds likeliest right and
refuses the cue when that likelihood is under a threshold chosen on the other folds.

--label any trains the learner on "matches at the metric's overlap" instead of "is the best
overlap"; --big gives it more and larger trees; --oracle scores perfect decisions instead (the
gold picks: a ceiling for any chooser over these candidates). --state keeps the cues and the
chooser fits for the next run (about half of a run's time).

--tensors adds spaCy's own token vectors (doc.tensor of the tok2vec layer, computed by the parse
anyway) to the learner's columns: per candidate, the mean vector over its span and the cue
token's vector, each projected to `--tensor-dims` principal components fitted on the training
folds of each held-out fold, and the cosine of the two (--tensor-edges: also the span's first
and last tokens' vectors, projected the same way). FILE is the trainer's
`<cache>.tensors.npy` (every text's rows in DocBin order, written with the cache).

Cue scores: a text the shipped detector was fitted on is scored by the out-of-fold detector
of that fit (`--oof`, written by `train_attribution_cues.py --cache`); the texts it held out
are scored by the shipped detector itself. The detector's lemma list is the shipped one
(counted on the fitted 85%), a small leak for folds inside that 85%.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.ensemble import HistGradientBoostingClassifier
from spacy.tokens import Doc, DocBin
from train_attribution_cues import (
    LOWEST_CUE,
    _share,
    cue_heads,
    fit_conditional_logit,
    fit_then_held_out,
    gold_contents_by_head,
    held_out_count,
)

import parallax.nlp.attribution as attribution
from parallax.evaluate.polnear import default_root, from_attributions, load_split, score
from parallax.nlp.attribution import (
    CHOOSER_POS,
    CUE_NOUNS,
    CUE_VERBS,
    candidate_features,
    content_candidates,
    cue_features,
    cue_score,
    find_quotes,
    is_cue_candidate,
    null_features,
)
from parallax.nlp.pipeline import load_nlp

SHIPPED = json.loads(attribution.CUE_MODEL_PATH.read_text(encoding="utf-8"))
POS_IDS = {p: i for i, p in enumerate(CHOOSER_POS)}
SPEAKER_IDS = {k: i for i, k in enumerate(("none", "PERSON", "ORG", "GPE", "NORP", "PRON"))}
DENSE_WIDTH = 26  # kind family, 7 cue columns, 18 candidate columns
TAUS = tuple(round(0.1 + 0.025 * i, 3) for i in range(21))  # refusal thresholds tried


@dataclass
class Group:
    """One cue the detector scores at least LOWEST_CUE: its options and what is right."""

    doc: int
    tok: int
    value: float
    cands: list[tuple[str, int, int]]
    options: list[list[str]]  # "no content" first, then one per candidate
    right: list[bool]
    dense: np.ndarray  # per candidate: the learner's own inputs (without the chooser's)
    sure: bool  # the pipeline never refuses this cue


def fold_of(names: list[str], folds: int) -> list[int]:
    """Fold of each text: its outlet's texts in name order cut into contiguous blocks."""
    by_outlet: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        by_outlet.setdefault(name.split("_", 1)[0], []).append(i)
    out = [0] * len(names)
    for indices in by_outlet.values():
        ordered = sorted(indices, key=lambda i: names[i])
        for rank, i in enumerate(ordered):
            out[i] = rank * folds // len(ordered)
    return out


def detector_scores(doc: Doc, oof: dict[int, float] | None) -> dict[int, float]:
    """Cue scores of the tokens the detector scores: out of fold when given, else shipped."""
    if oof is not None:
        return oof
    quotes = find_quotes(doc.text)
    sentences = attribution.sentence_info(doc)
    quoted = attribution.inside_quotes(doc, quotes)
    return {
        i: cue_score(doc[i], quoted[i], 0.0, sentences[i])
        for i in attribution._scored_tokens(doc)
        if is_cue_candidate(doc[i])
    }


def _kind_family(kind: str) -> str:
    """A candidate kind without its preposition ("pobj_of_core" -> "pobj_core")."""
    parts = kind.split("_")
    if parts[0] in ("pobj", "deep"):
        return "_".join(p for p in parts if p in ("pobj", "deep", "core", "comma"))
    return kind


def candidate_dense(doc: Doc, tok, kind: str, start: int, end: int, value: float) -> list[float]:
    """Dense description of one candidate: kind, side, lengths, quotes, clause shape, cue."""
    arrays = attribution.doc_arrays(doc)
    sent_start, sent_end = int(arrays.sent_start[tok.i]), int(arrays.sent_end[tok.i])
    root = arrays.root(start, end)
    shape = attribution._clause_shape(doc[root], start, end)
    after = start > tok.i
    return [
        float(end - start),
        float(after),
        float(start - tok.i - 1 if after else tok.i - end),
        float(arrays.count(arrays.quotes, start, end)),
        float(end >= sent_end - 1),
        float(start <= sent_start),
        float(arrays.count(arrays.verbs, start, end)),
        float(shape.startswith("subj")),
        float(shape.endswith("fin")),
        float(("R" if after else "L") == "R" and end >= sent_end - 1),
        float(sent_end - sent_start),
        float(tok.i - sent_start),
        float(arrays.count(arrays.cue_verbs, start, end)),
        float("_core" in kind),
        float("_toend" in kind),
        float("_comma" in kind),
        float(kind.startswith("rule")),
        float(value),
    ]


def build_groups(data, docs, scores: list[dict[int, float]]) -> tuple[list[Group], dict]:
    """Every cue the chooser could be asked about, with its options' sparse features, the
    learner's dense inputs, and which option is right (as the trainer counts it)."""
    kinds: dict[str, int] = {}
    groups: list[Group] = []
    for d, (item, doc) in enumerate(zip(data, docs, strict=True)):
        quotes = find_quotes(doc.text)
        sentences = attribution.sentence_info(doc)
        quoted = attribution.inside_quotes(doc, quotes)
        gold_by_head = gold_contents_by_head(doc, item.gold)
        for i, value in scores[d].items():
            tok = doc[i]
            if value < LOWEST_CUE or tok.pos_ not in CHOOSER_POS:
                continue
            cands = content_candidates(doc, tok)
            shares = [_share(doc, s, e, gold_by_head.get(i, [])) for _, s, e in cands]
            top = max(shares, default=0.0)
            feats = cue_features(tok, quoted[i], sentences[i])
            options = [null_features(feats, value, tok)]
            options += [candidate_features(doc, tok, *c, value) for c in cands]
            lemma = tok.lemma_.lower()
            speaker = SPEAKER_IDS.get(attribution._speaker_kind(tok).split(":")[0], 6)
            cue_cols = [
                float(POS_IDS[tok.pos_]),
                float(speaker),
                float(lemma in CUE_VERBS),
                float(lemma in CUE_NOUNS),
                float(quoted[i]),
                float(sentences[i][1]),
                float(len(cands)),
            ]
            rows = []
            for kind, s, e in cands:
                family = kinds.setdefault(_kind_family(kind), len(kinds))
                rows.append(
                    [
                        float(min(family, 200)),
                        *cue_cols,
                        *candidate_dense(doc, tok, kind, s, e, value),
                    ]
                )
            if tok.pos_ == "NOUN":
                sure = attribution._sure_noun_cue(tok)
            else:
                sure = attribution._sure_cue(tok) or (
                    tok.pos_ == "VERB"
                    and lemma in CUE_VERBS
                    and value >= SHIPPED["content"]["sure_verb_score"]
                )
            groups.append(
                Group(
                    d,
                    i,
                    value,
                    cands,
                    options,
                    [top == 0.0] + [top > 0.0 and sh >= top - 1e-9 for sh in shares],
                    np.asarray(rows, dtype=np.float64).reshape(len(cands), DENSE_WIDTH),
                    sure,
                )
            )
        doc.user_data.pop(attribution.ARRAYS_KEY, None)
    return groups, kinds


class Options:
    """All groups' options as one sparse matrix, with their group and whether right."""

    def __init__(self, groups: list[Group]) -> None:
        vocabulary: dict[str, int] = {}
        indptr, indices, group_of, right = [0], [], [], []
        for number, group in enumerate(groups):
            for feats, ok in zip(group.options, group.right, strict=True):
                indices += [vocabulary.setdefault(f, len(vocabulary)) for f in feats]
                indptr.append(len(indices))
                group_of.append(number)
                right.append(ok)
        self.names = list(vocabulary)
        self.x = csr_matrix(
            (np.ones(len(indices)), indices, indptr), shape=(len(group_of), len(vocabulary))
        )
        self.group_of = np.asarray(group_of)
        self.right = np.asarray(right, dtype=bool)
        self.first = np.flatnonzero(np.r_[True, np.diff(self.group_of) != 0])


def stacked(groups: list[Group], opts: Options, values: np.ndarray, offset: float) -> np.ndarray:
    """The learner's rows (one per candidate): the dense inputs plus the chooser's scores of
    the candidate, of "no content" (with its offset), their difference, the gap to the best
    candidate, the candidate's softmax share and rank."""
    rows = []
    for number, group in enumerate(groups):
        start = opts.first[number]
        s = values[start : start + len(group.options)].copy()
        s[0] += offset
        cand = s[1:]
        if not len(cand):
            continue
        share = np.exp(s - s.max())
        share /= share.sum()
        rank = np.argsort(np.argsort(-cand))
        extra = np.column_stack(
            [cand, np.full(len(cand), s[0]), cand - s[0], cand - cand.max(), share[1:], rank]
        )
        rows.append(np.hstack([group.dense, extra]))
    return np.vstack(rows)


def match_flags(data, docs, groups: list[Group]) -> np.ndarray:
    """Per candidate row: does it match a gold content of its cue at the metric's overlap
    (any such candidate, not only the best-overlapping one)?"""
    heads: dict[int, dict[int, list]] = {}
    flags = []
    for group in groups:
        doc = docs[group.doc]
        if group.doc not in heads:
            heads[group.doc] = {}
            for g in data[group.doc].gold:
                for head in cue_heads(doc, [g.cue]):
                    heads[group.doc].setdefault(head, []).append(g.content)
        gold = heads[group.doc].get(group.tok, [])
        flags += [_share(doc, s, e, gold) > 0.0 for _, s, e in group.cands]
    return np.asarray(flags, dtype=bool)


def doc_offsets(docs: list[Doc]) -> np.ndarray:
    """First row of each text in the stacked tensor file (texts in DocBin order)."""
    return np.r_[0, np.cumsum([len(doc) for doc in docs])]


def tensor_parts(
    groups: list[Group], tensors: np.ndarray, offsets: np.ndarray, edges: bool = False
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per candidate row: the mean token vector over its span, its cue token's vector (and with
    `edges` the span's first and last tokens' vectors), and the cosine of span mean and cue
    (0 where either is all zero)."""
    spans, cues, firsts, lasts = [], [], [], []
    for group in groups:
        base = int(offsets[group.doc])
        cue = tensors[base + group.tok].astype(np.float32)
        for _, start, end in group.cands:
            rows = tensors[base + start : base + max(end, start + 1)].astype(np.float32)
            spans.append(rows.mean(axis=0))
            cues.append(cue)
            firsts.append(rows[0])
            lasts.append(rows[-1])
    span, cue = np.vstack(spans), np.vstack(cues)
    norms = np.linalg.norm(span, axis=1) * np.linalg.norm(cue, axis=1)
    cosine = np.where(norms > 0, (span * cue).sum(axis=1) / np.maximum(norms, 1e-12), 0.0)
    vectors = [span, cue] + ([np.vstack(firsts), np.vstack(lasts)] if edges else [])
    return vectors, cosine


def projection(rows: np.ndarray, dims: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and top `dims` principal axes of `rows` (fitted on at most 60,000 of them, drawn
    at random: the axes of 96-dimensional vectors settle long before that)."""
    rng = np.random.default_rng(seed)
    sample = rows[rng.choice(len(rows), min(len(rows), 60_000), replace=False)]
    mean = sample.mean(axis=0)
    _, _, axes = np.linalg.svd(sample - mean, full_matrices=False)
    return mean, axes[:dims]


def with_tensors(
    x: np.ndarray, parts: tuple[list[np.ndarray], np.ndarray], fit: np.ndarray, dims: int
) -> np.ndarray:
    """The learner's rows with the tensor columns appended: each kind of vector (span mean,
    cue, edges) projected on its own axes fitted on the `fit` rows only, and the cosine."""
    vector_sets, cosine = parts
    columns = [x]
    for vectors in vector_sets:
        # Each cue counts once per candidate in the fit; the cue axes lean to many-option cues.
        mean, axes = projection(vectors[fit], dims)
        columns.append((vectors - mean) @ axes.T)
    columns.append(cosine[:, None])
    return np.hstack(columns)


def candidate_rows(groups: list[Group]) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate row: its group's number, and whether it is right."""
    owner = np.concatenate([np.full(len(g.cands), n) for n, g in enumerate(groups)])
    right = np.concatenate([np.asarray(g.right[1:], dtype=bool) for g in groups])
    return owner, right


def new_learner(big: bool = False) -> HistGradientBoostingClassifier:
    """The stacked learner: boosted trees over the dense rows (kind, part of speech and
    speaker class as categories); `big` doubles the trees and their leaves."""
    return HistGradientBoostingClassifier(
        max_iter=600 if big else 300,
        learning_rate=0.05 if big else 0.08,
        max_leaf_nodes=63 if big else 31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=[0, 1, 2],
        early_stopping=False,
        random_state=0,
    )


def decisions(
    groups, owner, p, cl, ok_rows, tau: float, cue_threshold: float, pick: str
) -> tuple[int, int]:
    """Proxy counts of the chooser's part of the pipeline (kept, kept and right): per cue,
    the candidate the learner (or the chooser) ranks first, kept when sure or over `tau`."""
    best: dict[int, tuple[float, float, bool]] = {}
    rank = p if pick == "learner" else cl
    for n, prob, r, ok in zip(owner, p, rank, ok_rows, strict=True):
        if n not in best or r > best[n][1]:
            best[n] = (prob, r, ok)
    kept = good = 0
    for n, group in enumerate(groups):
        if group.value < cue_threshold or n not in best:
            continue
        if group.sure or best[n][0] >= tau:
            kept += 1
            good += best[n][2]
    return kept, good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="DocBin of parsed train")
    parser.add_argument("--oof", type=Path, required=True, help="out-of-fold cue scores")
    parser.add_argument("--folds", type=int, default=6)
    parser.add_argument("--state", type=Path, default=None, help="cache of cues and chooser fits")
    parser.add_argument(
        "--label", choices=("top", "any"), default="top", help="learner's right: best or any match"
    )
    parser.add_argument("--big", action="store_true", help="a learner with more and larger trees")
    parser.add_argument(
        "--oracle", action="store_true", help="perfect keep-or-refuse-and-pick (a ceiling)"
    )
    parser.add_argument("--tensors", type=Path, default=None, help="stacked doc.tensor rows")
    parser.add_argument("--tensor-dims", type=int, default=16, help="principal components kept")
    parser.add_argument(
        "--tensor-edges", action="store_true", help="also the span's first and last tokens"
    )
    parser.add_argument("--limit", type=int, default=None, help="first N texts (a smoke test)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/attr-learner/folds.json"))
    args = parser.parse_args()
    t0 = time.time()
    data = load_split(default_root(), "train")
    docs = list(DocBin().from_disk(args.cache).get_docs(load_nlp().vocab))
    data, docs = data[: args.limit], docs[: args.limit]
    oof = {
        k: {int(i): v for i, v in d.items()} for k, d in json.loads(args.oof.read_text()).items()
    }
    scores = [
        detector_scores(doc, oof.get(item.name)) for item, doc in zip(data, docs, strict=True)
    ]
    print(
        f"{len(docs)} texts, {sum(n in oof for n in (d.name for d in data))} out of fold",
        flush=True,
    )
    check_harness(data, docs, scores)
    fold = fold_of([d.name for d in data], args.folds)
    state = args.state or args.out.with_suffix(".state.pkl")
    if state.exists():
        groups, kinds, opts, values, weights = pickle.loads(state.read_bytes())
    else:
        groups, kinds = build_groups(data, docs, scores)
        opts = Options(groups)
    print(
        f"{len(groups)} cues, {opts.x.shape[0]} options, {len(kinds)} kinds ({time.time() - t0:.0f}s)",
        flush=True,
    )
    group_fold = np.asarray([fold[g.doc] for g in groups])
    row_fold = group_fold[opts.group_of]
    content = SHIPPED["content"]
    if not state.exists():
        values = np.zeros(opts.x.shape[0])
        weights = []
        for k in range(args.folds):
            fit = row_fold != k
            w = np.round(
                fit_conditional_logit(opts.x[fit], opts.group_of[fit], opts.right[fit], 3.0), 4
            )
            weights.append(w)
            values[~fit] = opts.x[~fit] @ w
            print(
                f"chooser without fold {k}: {int((w != 0).sum())} weights ({time.time() - t0:.0f}s)",
                flush=True,
            )
        state.write_bytes(pickle.dumps((groups, kinds, opts, values, weights)))
    owner, right = candidate_rows(groups)
    x_learn = stacked(groups, opts, values, content["null_offset"])
    cl = x_learn[:, DENSE_WIDTH]  # the chooser's own score of each candidate
    cand_fold = group_fold[owner]
    # A kept pick counts for content F1 when it matches at the metric's overlap.
    matches = match_flags(data, docs, groups)
    if args.label == "any":
        right = matches
    learned = args.out.with_suffix(".learner.pkl")
    if args.oracle:
        # What a perfect decision over these candidates would give: keep a cue only when one
        # of its candidates matches, and pick that one.
        half = [0.5] * args.folds
        oracle = {f"oracle_cue{t}": ("learner", t, half) for t in (-0.5, -1.5)}
        # Each half of the decision alone, the other half left to the chooser.
        oracle["oracle_refusal_only"] = ("chooser", -0.5, half)
        oracle["oracle_pick_only"] = ("oracle_pick", -0.5, half)
        results = evaluate(
            data,
            docs,
            scores,
            fold,
            groups,
            opts,
            weights,
            owner,
            matches.astype(float),
            cl,
            oracle,
            args.folds,
            x_learn[:, DENSE_WIDTH + 2],  # the chooser's margin over "no content"
        )
        args.out.write_text(json.dumps(results, indent=1))
        return
    parts = None
    if args.tensors is not None:
        stacked_tensors = np.load(args.tensors, mmap_mode="r")
        offsets = doc_offsets(docs)
        if offsets[-1] > len(stacked_tensors):
            raise SystemExit(
                f"{args.tensors}: {len(stacked_tensors)} rows, texts need {offsets[-1]}"
            )
        parts = tensor_parts(groups, stacked_tensors, offsets, args.tensor_edges)
        print(
            f"tensor columns: {len(parts[0])} x {parts[0][0].shape} ({time.time() - t0:.0f}s)",
            flush=True,
        )
    if learned.exists():
        probs, inner_probs = pickle.loads(learned.read_bytes())
    else:
        probs, inner_probs = np.zeros(len(owner)), []
        x_base = x_learn
        for k in range(args.folds):
            if parts is not None:
                # Projection axes from the other folds only (unsupervised, no labels).
                x_learn = with_tensors(x_base, parts, cand_fold != k, args.tensor_dims)
            # For the threshold: out-of-fold predictions on the other folds.
            inner = np.zeros(len(owner))
            for j in range(args.folds):
                if j == k:
                    continue
                fit = (cand_fold != k) & (cand_fold != j)
                model = new_learner(args.big).fit(x_learn[fit], right[fit])
                inner[cand_fold == j] = model.predict_proba(x_learn[cand_fold == j])[:, 1]
            inner_probs.append(inner)
            model = new_learner(args.big).fit(x_learn[cand_fold != k], right[cand_fold != k])
            probs[cand_fold == k] = model.predict_proba(x_learn[cand_fold == k])[:, 1]
            print(f"learner without fold {k} ({time.time() - t0:.0f}s)", flush=True)
        learned.write_bytes(pickle.dumps((probs, inner_probs)))
    variants = {}
    for pick, threshold in (("learner", -0.5), ("chooser", -0.5), ("learner", -1.0)):
        taus = []
        for k in range(args.folds):
            others_ids = [n for n, g in enumerate(groups) if fold[g.doc] != k]
            index = np.flatnonzero(cand_fold != k)
            renumber = {n: m for m, n in enumerate(others_ids)}
            sub_owner = np.asarray([renumber[int(owner[i])] for i in index])
            gold = sum(len(data[d].gold) for d in range(len(data)) if fold[d] != k)
            others = [groups[n] for n in others_ids]
            best = (0.0, 0.5)
            for tau in TAUS:
                kept, good = decisions(
                    others,
                    sub_owner,
                    inner_probs[k][index],
                    cl[index],
                    matches[index],
                    tau,
                    threshold,
                    pick,
                )
                f1 = 2 * good / (kept + gold)
                if f1 > best[0]:
                    best = (f1, tau)
            taus.append(best[1])
        variants[f"{pick}_picks_cue{threshold}"] = (pick, threshold, taus)
        print(f"{pick} picks, cue threshold {threshold}: thresholds {taus}", flush=True)
    results = evaluate(
        data, docs, scores, fold, groups, opts, weights, owner, probs, cl, variants, args.folds
    )
    args.out.write_text(json.dumps(results, indent=1))
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")


def check_harness(data, docs, scores) -> None:
    """The shipped model through this harness's patched cue scores, on the trainer's own
    held-out texts (scored by the shipped detector): should repeat the trainer's figure."""
    names = [d.name for d in data]
    order = fit_then_held_out(names)
    held = order[len(order) - held_out_count(names) :]
    if len(held) < 100:
        return
    predictions = []
    for d in held:
        _use(SHIPPED, scores[d])
        predictions.append(from_attributions(attribution.find_attributions(docs[d])))
    r = score([data[d] for d in held], predictions)
    print(
        f"harness check: shipped model on the trainer's held-out texts {r['content_overlap']}",
        flush=True,
    )


def _payload(opts: Options, w: np.ndarray) -> dict:
    """The shipped model file with the chooser's weights replaced."""
    payload = dict(SHIPPED)
    content = dict(SHIPPED["content"])
    content["weights"] = {opts.names[j]: float(w[j]) for j in np.flatnonzero(w)}
    payload["content"] = content
    return payload


def _use(payload: dict, scores: dict[int, float]) -> None:
    """Point the component at a model and at fixed cue scores for the next doc."""
    attribution._cue_model = lambda: payload
    for cached in ("_cue_weights", "_cue_lemmas", "_cue_dense", "_chooser", "_sure_verb_score"):
        getattr(attribution, cached).cache_clear()
    threshold = float(payload["threshold"])
    lowest = min(threshold, float(payload["content"]["cue_threshold"]))

    def model_cues(doc: Doc, quotes: list[tuple[int, int]]) -> attribution.CueScores:
        return attribution.CueScores(
            {i: v for i, v in scores.items() if v >= lowest},
            threshold,
            attribution.inside_quotes(doc, quotes),
            attribution.sentence_info(doc),
        )

    attribution._model_cues = model_cues


def evaluate(
    data, docs, scores, fold, groups, opts, weights, owner, probs, cl, variants, folds, margin=None
) -> dict:
    """Pipeline figures per fold: the refitted chooser (control) and the learner's variants."""
    original = attribution.choose_content
    by_cue: dict[tuple[int, int], tuple] = {}
    margin = np.zeros(len(cl)) if margin is None else margin
    for n, group in enumerate(groups):
        mine = owner == n
        by_cue[(group.doc, group.tok)] = (group, probs[mine], cl[mine], margin[mine])
    results: dict = {"control": [], **{name: [] for name in variants}}
    results["taus"] = {name: v[2] for name, v in variants.items()}
    for k in range(folds):
        members = [d for d in range(len(data)) if fold[d] == k]
        for name in ("control", *variants):
            payload = _payload(opts, weights[k])
            choose = original
            if name != "control":
                pick, threshold, taus = variants[name]
                payload["content"]["cue_threshold"] = threshold
            predictions = []
            for d in members:
                _use(payload, scores[d])
                if name != "control":
                    choose = _learned(d, by_cue, taus[k], original, pick)
                attribution.choose_content = choose
                predictions.append(from_attributions(attribution.find_attributions(docs[d])))
            r = score([data[d] for d in members], predictions)
            figures = {
                "texts": len(members),
                "gold": r["documents_gold_attributions"],
                "predicted": r["predicted_attributions"],
                "matched": r["matched"],
                "p": r["content_overlap"]["precision"],
                "r": r["content_overlap"]["recall"],
                "f1": r["content_overlap"]["f1"],
                "source_exact": r["source_exact"]["f1"],
                "content_exact": r["content_exact"]["f1"],
            }
            results[name].append(figures)
            print(f"fold {k} {name}: {figures}", flush=True)
    attribution.choose_content = original
    return results


def _learned(d: int, by_cue, tau: float, original, pick: str = "learner"):
    """choose_content for doc `d`: the candidate the learner (or the chooser) ranks first,
    refused when the learner gives it under `tau`."""

    def choose(doc, tok, cue_value, cue_feats, refuse=True):
        found = by_cue.get((d, tok.i))
        if found is None:
            return original(doc, tok, cue_value, cue_feats, refuse)
        group, p, cl, margin = found
        if not len(p):
            return None
        if pick == "oracle_pick":
            # The chooser's own keep-or-refuse, then the best candidate by `p`.
            if refuse and margin.max() <= 0.0:
                return None
            _, start, end = group.cands[int(np.argmax(p + 1e-6 * (cl - cl.min())))]
            return start, end
        best = int(np.argmax(p if pick == "learner" else cl))
        if refuse and p[best] < tau:
            return None
        _, start, end = group.cands[best]
        return start, end

    return choose


if __name__ == "__main__":
    main()
