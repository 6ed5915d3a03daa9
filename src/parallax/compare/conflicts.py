"""Conflicts between accounts: numbers that cannot both hold, and holders on opposite sides.

- numeric: two similar claims from different articles count the same thing ("people") with
  values that cannot both be true ("at least 14" against "twelve"; "at least 139" and "139"
  can both hold and are no conflict).
- stance: one holder asserts, alleges or accuses what another denies or rejects ("Putin
  accused Ukraine ..." / "Ukraine has denied the accusations"; "Orlov said it was sabotage" /
  "Reyes said there was no evidence of sabotage"). Each side lists every holder.

The functions take claim units, attributions and vectors, and return plain records; the
dossier builder turns them into `Conflict`s with claim ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.compare.align import content_words, nearest_pairs
from parallax.model import Attribution, ClaimUnit, Quantity
from parallax.nlp.numbers import comparable, compatible

# Claims this similar that count the same thing with incompatible values are a numeric conflict.
NUMERIC_CONFLICT_SIMILARITY = 0.45
# A denial whose negated word is in a claim disputes it when the two are this similar.
FOCUS_SIMILARITY = 0.4
# Near paraphrases of opposite polarity dispute each other without further evidence.
STRONG_SIMILARITY = 0.7
# An accusation and the accused's denial need less similarity: the denial is often terse.
ACCUSED_DENIES_SIMILARITY = 0.3
# How far back (characters) a terse denial ("denied the accusations") looks for what it denies.
ANTECEDENT_WINDOW = 600

_POSITIVE_STANCES = {"assert", "accuse", "allege", "claim", "confirm", "warn", "believe"}
_NEGATION = re.compile(
    r"\b(?:no|not|never|nothing|none|nobody|neither|nor|innocent|baseless|unfounded|false)\b|n[’']t\b",
    re.IGNORECASE,
)
# Contents that only point back at something said before ("the accusations", "the claim").
_ANAPHORIC = re.compile(
    r"^(?:the|these|those|such|this|that|its|his|her|their)?\s*"
    r"(?:accusations?|allegations?|claims?|charges?|reports?|suggestions?|assertions?|it|this|that|them)$",
    re.IGNORECASE,
)
_REPORTED_HEAD = re.compile(
    r"^(?:the\s+)?(?:accusations?|allegations?|claims?|charges?|suggestions?|reports?)\s+(?:that\s+)?",
    re.IGNORECASE,
)


@dataclass
class NumericConflict:
    """Two claim units giving incompatible values for one count."""

    first: int
    second: int
    first_quantity: Quantity
    second_quantity: Quantity


@dataclass
class Position:
    """One holder's stance on a proposition, read off one attribution."""

    attribution: Attribution
    holder: str
    polarity: int
    proposition: str
    antecedent: int | None = None


@dataclass
class StanceConflict:
    """Positions on one proposition, split into those for it and those against it."""

    about: str
    supporting: list[Position] = field(default_factory=list)
    opposing: list[Position] = field(default_factory=list)


def find_numeric_conflicts(units: list[ClaimUnit], vectors: np.ndarray) -> list[NumericConflict]:
    """Pairs of claims from different articles that give incompatible values for one count.

    Only claims similar enough to be about the same thing are compared, and only quantities
    of the same unit ("people", "year"); a bare number whose unit is unknown is never used.
    """
    found = []
    for i, j in sorted(nearest_pairs(vectors, [u.article for u in units])):
        if float(vectors[i] @ vectors[j]) < NUMERIC_CONFLICT_SIMILARITY:
            continue
        for qa in units[i].quantities:
            for qb in units[j].quantities:
                if comparable(qa, qb) and not compatible(qa, qb):
                    found.append(NumericConflict(i, j, qa, qb))
    return found


def polarity(attribution: Attribution) -> int:
    """+1 when the holder stands behind the content, -1 when against it, 0 when neither.

    A denial, a negated cue ("did not say") or negated content ("there was no evidence of
    sabotage") counts against; two of them cancel out. Questions, reports and other cues
    without a stance of their own count 0.
    """
    if attribution.stance == "deny":
        cue = -1
    elif attribution.stance in _POSITIVE_STANCES:
        cue = 1
    else:
        return 0
    if attribution.negated:
        cue = -cue
    content = attribution.content.text
    if _ANAPHORIC.match(content.strip(" .,“”\"'")):
        return cue
    # Only a negation in the first clause negates the proposition ("..., not Ukraine" does not).
    first_clause = content.split(",")[0]
    return -cue if _NEGATION.search(first_clause) else cue


def proposition_text(attribution: Attribution) -> str:
    """The content as a proposition: quotes and a leading "allegations that" removed."""
    text = attribution.content.text.strip(" .,“”\"'‘’")
    return _REPORTED_HEAD.sub("", text)


def find_positions(
    attributions: Sequence[Attribution], holder_of: dict[str, str]
) -> list[Position]:
    """Positions of named holders; terse denials are linked to the claim they answer.

    `holder_of` maps a speaker name to its canonical actor name. Attributions whose speaker is
    unresolved are left out: a position needs a holder.
    """
    positions: list[Position] = []
    for attribution in attributions:
        if not attribution.speaker or not attribution.speaker.name:
            continue
        sign = polarity(attribution)
        if sign == 0:
            continue
        name = attribution.speaker.name
        positions.append(
            Position(attribution, holder_of.get(name, name), sign, proposition_text(attribution))
        )
    for index, position in enumerate(positions):
        if position.polarity > 0:
            continue
        if not _ANAPHORIC.match(position.attribution.content.text.strip(" .,“”\"'")):
            continue
        position.antecedent = _antecedent(positions, index)
        if position.antecedent is not None:
            position.proposition = positions[position.antecedent].proposition
    return positions


def _antecedent(positions: list[Position], index: int) -> int | None:
    """The nearest earlier positive position of another holder in the same article."""
    denial = positions[index].attribution
    for back in range(index - 1, -1, -1):
        candidate = positions[back]
        earlier = candidate.attribution
        if earlier.doc != denial.doc:
            continue
        if denial.cue.start - earlier.content.end > ANTECEDENT_WINDOW:
            break
        if candidate.polarity > 0 and candidate.holder != positions[index].holder:
            return back
    return None


def _accused(position: Position, other: Position) -> bool:
    """True when `position` accuses the very holder of `other` ("accused Ukraine of ...")."""
    if position.attribution.stance not in ("accuse", "allege", "claim"):
        return False
    surname = other.holder.split()[-1].lower()
    return surname in position.proposition.lower()


def without_negation(text: str) -> str:
    """The proposition with its negation words removed, so that for and against embed alike."""
    return " ".join(_NEGATION.sub(" ", text).split())


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(text)}


# Nouns that only say how strongly something is denied; the focus is the word after them.
_EVIDENCE_NOUNS = {"evide", "sign", "signs", "proof", "indic", "infor", "trace", "point", "points"}


def negated_focus(text: str) -> set[str]:
    """Stems of the first content word after each negation ("no evidence of sabotage" -> sabot).

    Evidence nouns ("evidence", "sign", "proof") are skipped: what is denied is what follows.
    """
    focus: set[str] = set()
    for match in _NEGATION.finditer(text):
        for word in _ordered_words(text[match.end() :]):
            stem = word[:5]
            if stem in _EVIDENCE_NOUNS:
                continue
            focus.add(stem)
            break
    return focus


def _ordered_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text)]
    keep = content_words(text)
    return [w for w in words if w[:6] in keep][:6]


def _linked(index: int, a: Position, b: Position, similarity: float) -> bool:
    """True when negative position `b` disputes positive position `a` (at `index`)."""
    if b.antecedent is not None:
        return b.antecedent == index
    if _accused(a, b) and similarity >= ACCUSED_DENIES_SIMILARITY:
        return True
    if similarity >= FOCUS_SIMILARITY and negated_focus(b.attribution.content.text) & _stems(
        a.proposition
    ):
        return True
    return similarity >= STRONG_SIMILARITY and bool(_stems(a.proposition) & _stems(b.proposition))


def find_stance_conflicts(positions: list[Position], vectors: np.ndarray) -> list[StanceConflict]:
    """Propositions that one holder supports and another opposes, with all holders per side.

    `vectors[i]` embeds `without_negation(positions[i].proposition)`. A denial disputes a
    claim of another holder when it answers it directly ("denied the accusations"), when the
    accused denies an accusation, when what it negates ("no evidence of sabotage") is in the
    claim and the two are about the same matter, or when the two are near paraphrases. Topic
    similarity alone is not enough: every sentence of a story is about the same event. One
    conflict is made per denial; denials that dispute the same claims share a conflict.
    """
    by_claims: dict[tuple[int, ...], StanceConflict] = {}
    for j, b in enumerate(positions):
        if b.polarity >= 0:
            continue
        disputed = tuple(
            i
            for i, a in enumerate(positions)
            if a.polarity > 0
            and a.holder != b.holder
            and _linked(i, a, b, float(vectors[i] @ vectors[j]))
        )
        if not disputed:
            continue
        conflict = by_claims.get(disputed)
        if conflict is None:
            conflict = StanceConflict(
                about=positions[disputed[0]].proposition,
                supporting=[positions[i] for i in disputed],
            )
            by_claims[disputed] = conflict
        conflict.opposing.append(b)
    return _merge_by_holders(list(by_claims.values()))


def _merge_by_holders(conflicts: list[StanceConflict]) -> list[StanceConflict]:
    """One conflict per pair of camps: those sharing a holder on each side are merged."""
    merged: list[StanceConflict] = []
    for conflict in conflicts:
        for_holders = {p.holder for p in conflict.supporting}
        against_holders = {p.holder for p in conflict.opposing}
        for target in merged:
            if for_holders & {p.holder for p in target.supporting} and against_holders & {
                p.holder for p in target.opposing
            }:
                target.supporting += [p for p in conflict.supporting if p not in target.supporting]
                target.opposing += [p for p in conflict.opposing if p not in target.opposing]
                break
        else:
            merged.append(conflict)
    return merged
