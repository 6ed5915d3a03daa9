"""Why the attribution component misses the held-out train texts' gold attributions.

Usage: .venv/bin/python training/attribution_misses.py [--cache FILE]

Runs the shipped component on the texts train_attribution_cues.py holds out (the last 15% of
each outlet's PolNeAR train texts; dev is never read), and puts every gold attribution that no
prediction matches (50% overlap, one-to-one as the scorer) in the first class that fits: a
prediction shares a character with its cue (the content is what missed); its cue head's part
of speech is never scored; its "lemma|POS" is not in the detector's list; the detector scores
it under the chooser's threshold; it is scored above that but refused. Prints the counts per
class and per cue form as Markdown tables (docs/quality.md, PolNeAR section). Needs the
`train` extra; with --cache, the parse of the held-out texts is kept for the next run.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import Doc, Token
from train_attribution_cues import cue_heads, fit_then_held_out, held_out_count, parsed_docs

import parallax.nlp.attribution as attribution
from parallax.evaluate.polnear import (
    GoldAttribution,
    Predicted,
    _intersection,
    default_root,
    from_attributions,
    load_split,
    matched_pairs,
)

REASONS = (
    "POS never scored",
    "lemma not listed",
    "detector refuses",
    "chooser refuses",
    "content not matched",
)


def matched_gold(gold: list[GoldAttribution], predicted: list[Predicted]) -> set[int]:
    """Indices of the gold attributions the scorer matches."""
    return {gi for gi, _ in matched_pairs(gold, predicted)}


def cue_form(head: Token | None, cue_text: str) -> str:
    """The form of a gold cue, by its head's part of speech and the lexicons."""
    if head is None:
        return "no cue token"
    if "according to" in cue_text.lower():
        return "according to"
    if cue_text.strip() in (":", "—", "-"):
        return "colon or dash"
    lemma = head.lemma_.lower()
    if head.pos_ == "VERB":
        return "verb in lexicon" if lemma in attribution.CUE_VERBS else "verb not in lexicon"
    if head.pos_ == "NOUN":
        return "noun in lexicon" if lemma in attribution.CUE_NOUNS else "noun not in lexicon"
    names = {"AUX": "copula or auxiliary", "ADJ": "adjective", "ADP": "preposition"}
    return names.get(head.pos_, "other")


def doc_misses(doc: Doc, gold: list[GoldAttribution]) -> list[tuple[str, str, str, bool]]:
    """Per gold attribution of a doc: its cue form, "lemma|POS", why it is missed (empty when
    matched) and whether its cue has more than one word."""
    predicted = from_attributions(attribution.find_attributions(doc))
    matched = matched_gold(gold, predicted)
    lowest = min(attribution._cue_weights()[1], attribution._chooser()[2])
    quotes = attribution.find_quotes(doc.text)
    sentences = attribution.sentence_info(doc)
    quoted = attribution.inside_quotes(doc, quotes)
    dense = attribution.dense_cue_scores(doc)
    listed = set(attribution._scored_tokens(doc))
    rows = []
    for gi, g in enumerate(gold):
        heads = sorted(cue_heads(doc, [g.cue]))
        head = doc[heads[0]] if heads else None
        text = " ".join(doc.text[s:e] for s, e in g.cue)
        words = sum(len(doc.char_span(s, e, alignment_mode="expand") or ()) for s, e in g.cue)
        key = f"{head.lemma_.lower()}|{head.pos_}" if head is not None else "-"
        reason = ""
        if gi in matched:
            pass
        elif any(_intersection(g.cue, p.cue) > 0 for p in predicted):
            reason = "content not matched"
        elif head is None or not attribution.is_cue_candidate(head):
            reason = "POS never scored"
        elif head.i not in listed:
            reason = "lemma not listed"
        else:
            value = attribution.cue_score(
                head, quoted[head.i], float(dense[head.i]), sentences[head.i]
            )
            reason = "detector refuses" if value < lowest else "chooser refuses"
        rows.append((cue_form(head, text), key, reason, words > 1))
    return rows


def tables(rows: list[tuple[str, str, str, bool]]) -> str:
    """Markdown: misses per reason, per cue form and reason, and the lemmas missed most."""
    missed = [r for r in rows if r[2]]
    lines = [f"{len(rows)} gold attributions, {len(missed)} missed", ""]
    lines += ["| why | misses | share |", "|---|---|---|"]
    by_reason = Counter(r[2] for r in missed)
    for reason in REASONS:
        lines.append(f"| {reason} | {by_reason[reason]} | {by_reason[reason] / len(missed):.0%} |")
    lines += ["", "| cue form | gold | missed | recall | " + " | ".join(REASONS) + " |"]
    lines.append("|---" * (4 + len(REASONS)) + "|")
    gold_by_form = Counter(r[0] for r in rows)
    reasons_by_form: dict[str, Counter] = defaultdict(Counter)
    for form, _, reason, _ in missed:
        reasons_by_form[form][reason] += 1
    for form, n in gold_by_form.most_common():
        lost = sum(reasons_by_form[form].values())
        counts = " | ".join(str(reasons_by_form[form][reason]) for reason in REASONS)
        lines.append(f"| {form} | {n} | {lost} | {1 - lost / n:.2f} | {counts} |")
    for multi, name in ((True, "multi-word cues"), (False, "one-word cues")):
        n = sum(1 for r in rows if r[3] == multi)
        lost = sum(1 for r in missed if r[3] == multi)
        lines.append(f"\n{name}: {n} gold, {lost} missed, recall {1 - lost / n:.2f}")
    by_lemma = Counter(r[1] for r in missed)
    rare = sum(n for n in by_lemma.values() if n <= 2)
    lines.append(
        f"\n{len(by_lemma)} head lemmas missed, {sum(n == 1 for n in by_lemma.values())} once;"
        f" misses on lemmas missed at most twice: {rare}"
    )
    lines.append("most missed: " + ", ".join(f"{k} {n}" for k, n in by_lemma.most_common(15)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None, help="DocBin cache of the parse")
    args = parser.parse_args()
    data = load_split(default_root(), "train")
    order = fit_then_held_out([d.name for d in data])
    data = [data[i] for i in order]
    held = data[len(data) - held_out_count([d.name for d in data]) :]
    docs = parsed_docs([d.text for d in held], args.cache)
    rows = [row for item, doc in zip(held, docs, strict=True) for row in doc_misses(doc, item.gold)]
    print(tables(rows))


if __name__ == "__main__":
    main()
