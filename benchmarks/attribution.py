"""Attribution benchmark: speed against spaCy's parse alone, and textacy as a quality peer.

Usage: .venv/bin/python benchmarks/attribution.py [--split dev] [--limit N] [--repeat 3]

In one process, on the same PolNeAR texts (../shared/data/polnear, dev by default):
1. parse with the bare spaCy pipeline (`load_spacy()`), timed: the baseline;
2. parse with the parallax pipeline minus the attribution component (`load_nlp()`), then run
   attribution + speaker resolution on those docs, timed — attribution time over the baseline
   is what parallax adds to the parse;
3. score parallax and textacy's `direct_quotations` (the `bench` extra; skipped with a note
   when textacy is not installed) with the same scorer as `parallax eval polnear`.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from spacy.tokens import Doc

from parallax.evaluate.polnear import (
    Predicted,
    default_root,
    from_attributions,
    from_spans,
    load_split,
    score,
)
from parallax.nlp.attribution import find_attributions
from parallax.nlp.pipeline import load_nlp, load_spacy


def _char_frags(tokens) -> list[tuple[int, int]]:
    """Contiguous character fragments covered by a list of tokens."""
    frags: list[tuple[int, int]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        start, end = tok.idx, tok.idx + len(tok.text)
        if frags and start - frags[-1][1] <= 1:
            frags[-1] = (frags[-1][0], end)
        else:
            frags.append((start, end))
    return frags


def textacy_predictions(doc: Doc) -> tuple[list[Predicted], bool]:
    """textacy's direct quotations as predictions; False when textacy bails on the doc."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        # textacy refuses documents with an odd number of quotation marks.
        return [], False
    return (
        from_spans(
            (_char_frags(t.speaker), _char_frags(t.cue), _char_frags(t.content)) for t in triples
        ),
        True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="timings: best of N runs")
    args = parser.parse_args()

    root = default_root()
    if not (root / args.split / "text").is_dir():
        sys.exit(f"PolNeAR not found at {root}; nothing to benchmark")
    docs = load_split(root, args.split, args.limit)
    texts = [d.text for d in docs]
    bare = load_spacy()
    nlp = load_nlp()
    list(bare.pipe(texts[:2]))  # warm-up: first-call costs are not parse time
    list(nlp.pipe(texts[:2]))

    # Best of `--repeat` runs for each timing: the machine is shared, the minimum is the cost.
    parse_seconds = pipeline_parse_seconds = attribution_seconds = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        list(bare.pipe(texts))
        parse_seconds = min(parse_seconds, time.perf_counter() - started)

        # The parallax pipeline up to (not including) the attribution component: the docs the
        # component really sees; its own time is measured separately below.
        started = time.perf_counter()
        with nlp.select_pipes(disable=["parallax_attribution"]):
            parsed = list(nlp.pipe(texts))
        pipeline_parse_seconds = min(pipeline_parse_seconds, time.perf_counter() - started)

        started = time.perf_counter()
        attributions = [find_attributions(doc) for doc in parsed]
        attribution_seconds = min(attribution_seconds, time.perf_counter() - started)

    result: dict = {
        "set": f"polnear/{args.split}",
        "documents": len(docs),
        "characters": sum(len(t) for t in texts),
        "repeat": args.repeat,
        "parse_seconds": round(parse_seconds, 3),
        "pipeline_parse_seconds": round(pipeline_parse_seconds, 3),
        "attribution_seconds": round(attribution_seconds, 3),
        "added_to_parse": round(attribution_seconds / parse_seconds, 4),
        "parallax": score(docs, [from_attributions(a) for a in attributions]),
    }
    try:
        import textacy  # noqa: F401
    except ImportError:
        result["textacy"] = "not installed (pip install '.[bench]')"
    else:
        predictions, bailed = [], 0
        for doc in parsed:
            preds, ok = textacy_predictions(doc)
            predictions.append(preds)
            bailed += 0 if ok else 1
        result["textacy"] = score(docs, predictions)
        result["textacy"]["documents_refused"] = bailed
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
