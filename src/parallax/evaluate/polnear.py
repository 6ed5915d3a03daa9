"""Scoring attributions against PolNeAR (../shared/data/polnear, brat standoff).

Reading the corpus and scoring are pure functions over paths and spans; running the pipeline is
left to the caller (`parallax eval polnear`, benchmarks/attribution.py), which passes in the
predictions. Two scorings: content match at >= 50% character overlap (then source and cue
agreement of the matched pairs), and exact span match of source, cue and content.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parallax.model import Attribution

Fragments = tuple[tuple[int, int], ...]
OVERLAP = 0.5


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: content, cue and source as character fragments."""

    content: Fragments
    cue: Fragments
    source: Fragments | None


@dataclass
class PolnearDoc:
    name: str
    text: str
    gold: list[GoldAttribution]


@dataclass(frozen=True)
class Predicted:
    """A predicted attribution reduced to spans; quotes split around one cue are merged."""

    content: Fragments
    cue: Fragments
    source: Fragments | None


@dataclass
class Scores:
    """Counts behind every reported figure, and the figures."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    source_agree: int = 0
    cue_agree: int = 0
    exact: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0, 0] for k in ("source", "cue", "content")}
    )

    def as_dict(self) -> dict:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        out = {
            "documents_gold_attributions": self.gold,
            "predicted_attributions": self.predicted,
            "content_overlap": {"precision": p, "recall": r, "f1": _f1(p, r)},
            "matched": self.matched,
            "source_agreement": self.source_agree / self.matched if self.matched else 0.0,
            "cue_agreement": self.cue_agree / self.matched if self.matched else 0.0,
        }
        for key, (tp, n_pred, n_gold) in self.exact.items():
            ep = tp / n_pred if n_pred else 0.0
            er = tp / n_gold if n_gold else 0.0
            out[f"{key}_exact"] = {"precision": ep, "recall": er, "f1": _f1(ep, er)}
        return {k: _round(v) for k, v in out.items()}


def _round(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --- reading -----------------------------------------------------------------------------


def _first_annotators(root: Path) -> dict[str, str]:
    """filename -> the annotator listed first in metadata.tsv (one annotation per text)."""
    meta = root / "metadata.tsv"
    if not meta.exists():
        return {}
    with meta.open(encoding="utf-8") as fh:
        return {
            row["filename"]: row["annotators"].split("|")[0]
            for row in csv.DictReader(fh, delimiter="\t")
        }


def _fragments(offsets: str) -> Fragments:
    parts = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        parts.append((int(start), int(end)))
    return tuple(sorted(parts))


def parse_ann(text: str) -> list[GoldAttribution]:
    """Attributions of one brat .ann file (events linking Content, Cue and Source)."""
    spans: dict[str, Fragments] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or " " not in fields[1]:
            continue  # a malformed or empty line: brat ignores it too
        if line.startswith("T"):
            tid, body = fields[0], fields[1]
            _, offsets = body.split(" ", 1)
            spans[tid] = _fragments(offsets)
        elif line.startswith("E"):
            body = fields[1]
            roles = {}
            for arg in body.split()[1:]:
                role, tid = arg.split(":", 1)
                roles[role.rstrip("0123456789")] = tid
            events.append(roles)
    gold = []
    for roles in events:
        if "Content" not in roles or "Cue" not in roles:
            continue
        gold.append(
            GoldAttribution(
                content=spans[roles["Content"]],
                cue=spans[roles["Cue"]],
                source=spans[roles["Source"]] if "Source" in roles else None,
            )
        )
    return gold


def load_split(root: Path, split: str, limit: int | None = None) -> list[PolnearDoc]:
    """Texts and gold attributions of one split; one annotator's file per text."""
    first = _first_annotators(root)
    docs = []
    text_dir = root / split / "text"
    ann_dir = root / split / "attributions"
    for path in sorted(text_dir.glob("*.txt")):
        name = path.stem
        candidates = sorted(ann_dir.glob(f"{name}_*.ann"))
        if not candidates:
            continue
        preferred = ann_dir / f"{name}_{first.get(name, '')}.ann"
        ann = preferred if preferred in candidates else candidates[0]
        text = path.read_bytes().decode("utf-8")
        docs.append(PolnearDoc(name, text, parse_ann(ann.read_text(encoding="utf-8"))))
        if limit is not None and len(docs) >= limit:
            break
    return docs


# --- predictions -------------------------------------------------------------------------


def from_attributions(attributions: Iterable[Attribution]) -> list[Predicted]:
    """Predictions from parallax attributions; parts of one quote split by a cue become one."""
    grouped: dict[tuple, list[Attribution]] = {}
    for a in attributions:
        speaker = (a.speaker.start, a.speaker.end) if a.speaker else None
        grouped.setdefault((a.cue.start, a.cue.end, speaker), []).append(a)
    out = []
    for (c_start, c_end, speaker), items in grouped.items():
        content = tuple(sorted((a.content.start, a.content.end) for a in items))
        out.append(
            Predicted(
                content=content,
                cue=((c_start, c_end),),
                source=(speaker,) if speaker else None,
            )
        )
    return out


def from_spans(
    triples: Iterable[tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]],
) -> list[Predicted]:
    """Predictions from (speaker, cue, content) fragment lists, e.g. textacy's triples."""
    out = []
    for speaker, cue, content in triples:
        out.append(
            Predicted(
                content=tuple(sorted(content)),
                cue=tuple(sorted(cue)),
                source=tuple(sorted(speaker)) if speaker else None,
            )
        )
    return out


# --- scoring -----------------------------------------------------------------------------


def _length(frags: Fragments) -> int:
    return sum(e - s for s, e in frags)


def _intersection(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def overlaps(a: Fragments | None, b: Fragments | None, threshold: float = OVERLAP) -> bool:
    """True when two spans share at least `threshold` of the characters of each of them."""
    if not a or not b:
        return False
    shared = _intersection(a, b)
    return shared >= threshold * _length(a) and shared >= threshold * _length(b)


def _strip(text: str, frags: Fragments) -> Fragments:
    """Fragments without surrounding whitespace (annotations sometimes include a space)."""
    out = []
    for s, e in frags:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def matched_pairs(gold: list[GoldAttribution], predicted: list[Predicted]) -> list[tuple[int, int]]:
    """(gold index, predicted index) of each match: contents overlapping by the threshold,
    paired one to one greedily, the largest shared share of the longer span first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if overlaps(g.content, p.content):
                share = _intersection(g.content, p.content) / max(
                    _length(g.content), _length(p.content)
                )
                pairs.append((share, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matches.append((gi, pi))
    return matches


def score_document(
    text: str, gold: list[GoldAttribution], predicted: list[Predicted], into: Scores
):
    """Add one document's counts to `into` (greedy one-to-one matching by overlap)."""
    into.gold += len(gold)
    into.predicted += len(predicted)
    for gi, pi in matched_pairs(gold, predicted):
        into.matched += 1
        g, p = gold[gi], predicted[pi]
        if (g.source is None and p.source is None) or overlaps(g.source, p.source):
            into.source_agree += 1
        if overlaps(g.cue, p.cue):
            into.cue_agree += 1
    for key in ("source", "cue", "content"):
        g_set = {_strip(text, getattr(g, key)) for g in gold if getattr(g, key)}
        p_set = {_strip(text, getattr(p, key)) for p in predicted if getattr(p, key)}
        counts = into.exact[key]
        counts[0] += len(g_set & p_set)
        counts[1] += len(p_set)
        counts[2] += len(g_set)


def score(docs: list[PolnearDoc], predictions: list[list[Predicted]]) -> dict:
    """Corpus figures for predictions aligned with `docs`."""
    scores = Scores()
    for doc, predicted in zip(docs, predictions, strict=True):
        score_document(doc.text, doc.gold, predicted, scores)
    result = scores.as_dict()
    result["documents"] = len(docs)
    return result


def default_root() -> Path:
    """../shared/data/polnear relative to the repository root (the checkout's parent)."""
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "polnear"


def evaluate_parallax(root: Path, split: str, limit: int | None = None) -> dict:
    """Run the parallax pipeline on a split and score it."""
    from parallax.nlp.pipeline import load_nlp

    docs = load_split(root, split, limit)
    nlp = load_nlp()
    predictions = [
        from_attributions(parsed._.attributions) for parsed in nlp.pipe(d.text for d in docs)
    ]
    result = score(docs, predictions)
    result["split"] = split
    return result
