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
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.compare.align import content_words, entity_key, nearest_pairs
from parallax.model import Attribution, ClaimUnit, Quantity
from parallax.nlp.numbers import comparable, compatible

# Claims this similar that count the same thing with incompatible values are a numeric conflict.
NUMERIC_CONFLICT_SIMILARITY = 0.6
# A denial whose negated word is in a claim disputes it when the two are this similar.
FOCUS_SIMILARITY = 0.4
# Near paraphrases of opposite polarity dispute each other without further evidence.
STRONG_SIMILARITY = 0.7
# An accusation and the accused's denial need less similarity: the denial is often terse.
ACCUSED_DENIES_SIMILARITY = 0.45
# How far back (characters) a terse denial ("denied the accusations") looks for what it denies.
ANTECEDENT_WINDOW = 600

_POSITIVE_STANCES = {"assert", "accuse", "allege", "claim", "confirm", "warn", "believe"}
_NEGATION = re.compile(
    r"\b(?:no|not|never|nothing|none|nobody|neither|nor|innocent|baseless|unfounded|false(?!-))\b|n[’']t\b",
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


# A denial about the speaker's own side ("he did not know", "they were innocent").
_SELF_REFERENCE = re.compile(
    r"^(?:that\s+)?(?:he|she|they|we|i|his|her|their|our)\b", re.IGNORECASE
)


# Contents that take no side: open questions, undetermined facts, what ought to be.
_UNDECIDED = re.compile(
    r"\b(?:whether|too early|unclear|unknown|remains to be seen|should|must|ought to)\b|"
    r"\bnot (?:yet )?(?:been )?(?:determined|established|known|clear|confirmed)\b",
    re.IGNORECASE,
)
# "paying no income taxes": "no" quantifies an object, it does not negate the statement.
_GERUND_NO = re.compile(r"\b\w+ing\s+no\b", re.IGNORECASE)
# Cues whose negation means silence, not disagreement ("did not mention", "has not commented").
_SILENCE_CUES = re.compile(
    r"^(?:mention|comment|address|discuss|raise|respond|answer|report|speak|talk|ask)\w*$",
    re.IGNORECASE,
)
# An accusation in another article is answered by the accused's denial only this alike.
CROSS_ARTICLE_ACCUSED_SIMILARITY = 0.55
# Two mentions of one claim give a numeric conflict only when this close ("at least 14 people
# were killed" / "twelve people were killed"), not when the claim merely has the same shape.
GROUPED_NUMERIC_SIMILARITY = 0.7
# A denial in another article must read this alike to dispute a claim through its focus word.
CROSS_ARTICLE_FOCUS_SIMILARITY = 0.45


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


def find_numeric_conflicts(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    group_of: dict[int, int] | None = None,
    pairs: set[tuple[int, int]] | None = None,
) -> list[NumericConflict]:
    """Pairs of claims from different articles that give incompatible values for one count.

    Only claims about the same thing are compared: with `group_of`, claims aligned as one;
    without it, claims that read alike (NUMERIC_CONFLICT_SIMILARITY) and name a common actor;
    "70 percent" in one poll story and "51 percent" in another are no conflict. Only
    quantities of the same unit ("people", "year") count; a bare number is never used.
    """
    found = []
    if pairs is None:
        pairs = nearest_pairs(vectors, [u.article for u in units])
    for i, j in sorted(pairs):
        if not units[i].quantities or not units[j].quantities:
            continue
        if not _same_matter(units[i], units[j], float(vectors[i] @ vectors[j]), group_of, i, j):
            continue
        for qa in units[i].quantities:
            for qb in units[j].quantities:
                if comparable(qa, qb) and not compatible(qa, qb):
                    found.append(NumericConflict(i, j, qa, qb))
    return found


def _same_matter(
    a: ClaimUnit,
    b: ClaimUnit,
    cosine: float,
    group_of: dict[int, int] | None,
    i: int,
    j: int,
) -> bool:
    if not same_scope(a, b):
        return False
    if group_of is not None:
        # aligned as one claim, or nothing: two poll figures in two stories are no conflict;
        # and within one claim, only near paraphrases about the same people and places
        if not (i in group_of and group_of.get(i) == group_of.get(j)):
            return False
        # the same people, places and groups ("of Democrats" / "of Republicans" differ)
        return _names(a) == _names(b) and cosine >= GROUPED_NUMERIC_SIMILARITY
    if cosine < NUMERIC_CONFLICT_SIMILARITY:
        return False
    names_a = {entity_key(e.text) for e in a.entities if e.label not in _NOT_NAMES}
    names_b = {entity_key(e.text) for e in b.entities if e.label not in _NOT_NAMES}
    return bool(names_a & names_b)


def _names(unit: ClaimUnit) -> set[str]:
    """The people, places and bodies a claim names (keys): is this count about the same thing?
    Labels are ignored (the NER calls one town a GPE here and an ORG there)."""
    return {entity_key(e.text) for e in unit.entities if e.label not in _NOT_NAMES}


def same_scope(a: ClaimUnit, b: ClaimUnit) -> bool:
    """True when nothing says two counts are of different scopes.

    Different places ("won 50 delegates in South Carolina" / "866 delegates in Florida"),
    different days, or several counts of one kind in a sentence ("46 percent to 42 percent":
    which one answers which?) make the comparison meaningless, and it is refused.
    """
    for label in ("GPE", "DATE"):
        words_a = {w.lower() for e in a.entities if e.label == label for w in e.text.split()}
        words_b = {w.lower() for e in b.entities if e.label == label for w in e.text.split()}
        if words_a and words_b and not words_a & words_b:
            return False
    for unit in (a, b):
        kinds = [q.unit for q in unit.quantities if q.unit]
        if len(kinds) != len(set(kinds)):
            return False
    return True


_NOT_NAMES = ("DATE", "CARDINAL", "TIME", "PERCENT", "QUANTITY", "ORDINAL", "MONEY")


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
        if _SILENCE_CUES.match(attribution.cue.text.strip()):
            return 0  # "has not mentioned Machado": silence is not a denial
        cue = -cue
    content = attribution.content.text
    if _ANAPHORIC.match(content.strip(" .,“”\"'")):
        return cue
    if _UNDECIDED.search(content):
        return 0  # "too early to tell whether ...", "has not been determined": no side taken
    # Only a negation in the first clause negates the proposition ("..., not Ukraine" does not).
    first_clause = _GERUND_NO.sub(" ", content.split(",")[0])
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


_EVIDENCE_VERBS = {"point", "sugge", "indic", "show", "shows", "prove", "link", "links"}


def evidence_focus(text: str) -> set[str]:
    """Stems of what a denial says there is no evidence of ("no evidence of sabotage" ->
    sabot, "nothing that points to sabotage" -> sabot, "no sign of X", "no proof that X").

    Other negations ("this isn't tax reform", "no chance she will withdraw") name no disputed
    fact and give nothing: they would pair a denial with any claim sharing a word.
    """
    focus: set[str] = set()
    for match in _NEGATION.finditer(text):
        words = _ordered_words(text[match.end() :])
        if not words:
            continue
        if match.group(0).lower() in ("nothing", "none"):
            # "nothing that points to sabotage", "nothing to suggest a plot"
            for k, word in enumerate(words[:3]):
                if word[:5] in _EVIDENCE_VERBS and k + 1 < len(words):
                    focus.add(words[k + 1][:5])
                    break
            continue
        if words[0][:5] in _EVIDENCE_NOUNS and len(words) > 1:
            focus.add(words[1][:5])
    return focus


def _ordered_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text)]
    keep = content_words(text)
    return [w for w in words if w[:6] in keep][:6]


def _denies(position: Position) -> bool:
    """True for a denial proper: a denying cue or negated content, not "did not mention"."""
    if position.attribution.stance == "deny":
        return True
    return bool(_NEGATION.search(position.attribution.content.text.split(",")[0]))


@dataclass(frozen=True)
class _LinkFeatures:
    """What the stance rules read of one position, computed once per position."""

    stems: frozenset[str]  # `_stems` of the proposition
    focus: frozenset[str]  # `evidence_focus` of the attribution's content
    denies: bool  # `_denies`
    self_reference: bool  # the proposition is about the holder's own side
    accuses: bool  # an accusing stance: it may name the holder it accuses
    lower: str  # the proposition in lower case, where an accused surname is looked for
    surname: str  # the holder's last word in lower case ("" when the holder has no word)
    holder_key: str | None  # last word but a generational suffix (_same_holder_features)


def _holder_key(holder: str) -> str | None:
    """The last word of a holder's name, a generational suffix left out, in lower case."""
    words = [w for w in holder.split() if w.rstrip(".").lower() not in ("jr", "sr", "ii", "iii")]
    return words[-1].lower() if words else None


def _link_features(position: Position) -> _LinkFeatures:
    """The per-position inputs of `_link_threshold` and `_same_holder_features`."""
    words = position.holder.split()
    return _LinkFeatures(
        stems=frozenset(_stems(position.proposition)),
        focus=frozenset(evidence_focus(position.attribution.content.text)),
        denies=_denies(position),
        self_reference=bool(_SELF_REFERENCE.match(position.proposition)),
        accuses=position.attribution.stance in ("accuse", "allege", "claim"),
        lower=position.proposition.lower(),
        surname=words[-1].lower() if words else "",
        holder_key=_holder_key(position.holder),
    )


def _same_holder_features(a: Position, b: Position, fa: _LinkFeatures, fb: _LinkFeatures) -> bool:
    """One holder under two names ("Charles Elliott Jr." / "Elliott"), which does not conflict
    with itself: the same name, or the same last word but a generational suffix."""
    return a.holder == b.holder or (fa.holder_key is not None and fa.holder_key == fb.holder_key)


def _link_threshold(a: Position, b: Position, fa: _LinkFeatures, fb: _LinkFeatures) -> float | None:
    """The least similarity at which negative position `b` (no antecedent) disputes positive
    position `a`, or None when no rule links them whatever the similarity. `fa` and `fb` are
    their `_link_features`."""
    same_article = a.attribution.doc == b.attribution.doc
    found: list[float] = []
    # a accuses the very holder of b ("accused Ukraine of ..."), who denies
    if fa.accuses and fb.surname and fb.surname in fa.lower and fb.denies:
        found.append(
            ACCUSED_DENIES_SIMILARITY if same_article else CROSS_ARTICLE_ACCUSED_SIMILARITY
        )
    if fb.self_reference:
        return min(found, default=None)  # "they were innocent": only an accusation is disputed
    if fb.focus & fa.stems:
        found.append(FOCUS_SIMILARITY if same_article else CROSS_ARTICLE_FOCUS_SIMILARITY)
    if fa.stems & fb.stems:
        found.append(STRONG_SIMILARITY)
    return min(found, default=None)


def _linked(
    index: int,
    a: Position,
    b: Position,
    fa: _LinkFeatures,
    fb: _LinkFeatures,
    similarity: Callable[[], float],
) -> bool:
    """True when negative position `b` disputes positive position `a` (at `index`).

    `similarity()` gives the two vectors' cosine; it is asked only when a rule could link
    them, as most pairs of a large story share no stem and need no dot product."""
    if b.antecedent is not None:
        return b.antecedent == index
    needed = _link_threshold(a, b, fa, fb)
    return needed is not None and similarity() >= needed


def positions_needing_vectors(positions: list[Position]) -> list[int]:
    """The positions whose vectors `find_stance_conflicts` can read to decide anything.

    A denial with an antecedent disputes that antecedent whatever the vectors say; otherwise a
    positive position and a denial of another holder are linked only where `_link_threshold`
    finds a rule. Positions in no such pair are decided without a vector, so leaving them
    unembedded changes nothing. The positive positions a denial could be linked to are looked
    up by stem (a shared stem or focus word) and among accusers, not tried one by one.
    """
    feats = [_link_features(p) for p in positions]
    positives = [i for i, p in enumerate(positions) if p.polarity > 0]
    by_stem: dict[str, list[int]] = defaultdict(list)
    for i in positives:
        for stem in feats[i].stems:
            by_stem[stem].append(i)
    accusers = [i for i in positives if feats[i].accuses]
    needed: set[int] = set()
    for j, b in enumerate(positions):
        if b.polarity >= 0 or b.antecedent is not None:
            continue
        fb = feats[j]
        candidates: set[int] = set()
        if fb.denies and fb.surname:
            candidates.update(i for i in accusers if fb.surname in feats[i].lower)
        if not fb.self_reference:
            for stem in fb.stems | fb.focus:
                candidates.update(by_stem.get(stem, ()))
        linked = [
            i
            for i in candidates
            if not _same_holder_features(positions[i], b, feats[i], fb)
            and _link_threshold(positions[i], b, feats[i], fb) is not None
        ]
        if linked:
            needed.add(j)
            needed.update(linked)
    return sorted(needed)


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
    positive = np.array([p.polarity > 0 for p in positions], dtype=bool)
    feats = [_link_features(p) for p in positions]
    for j, b in enumerate(positions):
        if b.polarity >= 0:
            continue
        # Blocking: only positions at least as similar as the loosest rule needs are checked.
        similar = (vectors @ vectors[j]) >= min(ACCUSED_DENIES_SIMILARITY, FOCUS_SIMILARITY)
        candidates = np.flatnonzero(similar & positive).tolist()
        if b.antecedent is not None and b.antecedent not in candidates:
            candidates.append(b.antecedent)
        disputed = tuple(
            i
            for i in sorted(candidates)
            if positions[i].polarity > 0
            and not _same_holder_features(positions[i], b, feats[i], feats[j])
            and _linked(
                i,
                positions[i],
                b,
                feats[i],
                feats[j],
                lambda i=i, j=j: float(vectors[i] @ vectors[j]),
            )
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


# --- factual conflicts: different values in one slot ------------------------------------------

# Two claims giving different destinations must read this alike to be about the same journey.
DESTINATION_SIMILARITY = 0.6
_EVENT_WORDS = ("attack", "bombing", "shooting", "massacre", "explosion", "blast", "raid")


@dataclass
class FactSide:
    """Everyone who gives one value to a slot, for or against."""

    value: str
    polarity: int
    alone: bool = False
    holders: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)


@dataclass
class FactualConflict:
    """One slot of the story's event and the incompatible values given to it."""

    slot: str
    about: str
    sides: list[FactSide]


def value_key(value: str, canonical: dict[str, str], places: list[str]) -> str:
    """One name per value: the actor's canonical name, demonyms folded into their country.

    "IS" -> "Islamic State" (through the story's actor names), "Ukrainian" -> "Ukraine" when
    "Ukraine" is named in the story, "Islamists" and "Islamist" -> one. It refuses to fold
    anything not spelled alike: "Kyiv" stays "Kyiv".
    """
    name = canonical.get(value, value).strip()
    name = re.sub(r"^(?:the|The)\s+", "", name)
    low = name.lower()
    for place in places:
        stem = place.lower()[: max(4, len(place) - 2)]
        if low != place.lower() and low.startswith(stem) and len(low) <= len(place) + 4:
            return place
    return name.rstrip("s") if low.endswith("ists") else name


def _same_camp(a: str, b: str) -> bool:
    """Values spelled from one root ("Islamists", "Islamic State") are not rivals."""
    return a[:5].lower() == b[:5].lower()


def find_factual_conflicts(
    units: list[ClaimUnit], vectors: np.ndarray, canonical: dict[str, str]
) -> list[FactualConflict]:
    """Slots to which holders give values that cannot all hold, with every holder per side.

    responsibility: one value both asserted and denied ("Ukraine was behind it" / "no
    evidence of involvement by Ukraine"), or a value said to have acted alone while others are
    said to be involved. destination: one place both asserted and denied ("to Belarus, not
    Ukraine as claimed by Putin"), or two places given by different holders in claims that
    read alike. A value held by nobody named on either side is still listed; the conflict
    must oppose two different holders, otherwise an outlet merely corrects itself.
    """
    places = sorted(
        {canonical.get(e.text, e.text) for u in units for e in u.entities if e.label == "GPE"}
    )
    out: list[FactualConflict] = []
    for slot in ("responsibility", "destination"):
        sides: dict[tuple[str, int], FactSide] = {}
        for index, unit in enumerate(units):
            for fact in unit.facts:
                if fact.slot != slot:
                    continue
                key = value_key(fact.value, canonical, places)
                side = sides.setdefault((key, fact.polarity), FactSide(key, fact.polarity))
                side.alone = side.alone or fact.alone
                for holder in fact.holders:
                    name = canonical.get(holder, holder)
                    if name not in side.holders:
                        side.holders.append(name)
                if index not in side.units:
                    side.units.append(index)
        involved = _conflicting_sides(slot, sides, units, vectors)
        if not involved:
            continue
        ordered = sorted(involved, key=lambda s: (-len(s.holders), s.value))
        out.append(FactualConflict(slot, _about(slot, units, ordered), ordered))
    return out


def _conflicting_sides(
    slot: str,
    sides: dict[tuple[str, int], FactSide],
    units: list[ClaimUnit],
    vectors: np.ndarray,
) -> list[FactSide]:
    involved: list[FactSide] = []

    def take(*found: FactSide) -> None:
        for side in found:
            if side not in involved:
                involved.append(side)

    for (value, polarity), side in sides.items():
        if polarity > 0 and (value, -1) in sides:
            against = sides[(value, -1)]
            if set(side.holders) != set(against.holders) or not side.holders:
                take(side, against)
    positives = [s for (_, p), s in sides.items() if p > 0]
    for side in positives:
        if not side.alone:
            continue
        rivals = [
            other
            for other in positives
            if other is not side
            and not _same_camp(other.value, side.value)
            and set(other.holders) - set(side.holders)
        ]
        if rivals:
            take(side, *rivals)
    if slot == "destination":
        for a in positives:
            for b in positives:
                if a.value >= b.value or not (set(a.holders) ^ set(b.holders)):
                    continue
                close = max(
                    (float(vectors[i] @ vectors[j]) for i in a.units for j in b.units),
                    default=0.0,
                )
                if close >= DESTINATION_SIMILARITY:
                    take(a, b)
    if involved and slot == "destination":
        # every place given to the journey belongs to the picture once it is contested
        take(*positives)
    return involved


def _about(slot: str, units: list[ClaimUnit], sides: list[FactSide]) -> str:
    text = " ".join(units[i].text.lower() for side in sides for i in side.units)
    event = next((w for w in _EVENT_WORDS if w in text), "event")
    values = ", ".join(dict.fromkeys(s.value for s in sides))
    if slot == "responsibility":
        return f"who is behind the {event}: {values}"
    return f"where they were heading: {values}"


def side_text(slot: str, side: FactSide) -> str:
    """A side in words: "Ukraine is behind it", "not Ukraine", "Islamic State acted alone"."""
    if slot == "responsibility":
        if side.polarity < 0:
            return f"{side.value} is not behind it"
        return f"{side.value} acted alone" if side.alone else f"{side.value} is behind it"
    return f"not heading to {side.value}" if side.polarity < 0 else f"heading to {side.value}"


# --- accusations and the accused's denial -----------------------------------------------------

_ACCUSED = re.compile(
    r"\b(?:is|are|was|were|has been|have been|had been|being)\s+(?:formally\s+)?"
    r"(?:accused|charged|suspected)\s+(?:of|with)\b",
    re.IGNORECASE,
)
_DENIES = re.compile(
    r"\b(?:innocent|not guilty|did not know|didn[’']t know|did not|didn[’']t|denied|denies|"
    r"deny|nothing to do)\b",
    re.IGNORECASE,
)
# How many claims after an accusation the accused's answer may come.
ANSWER_WINDOW = 6


@dataclass
class AccusationConflict:
    """An accusation against named people, and their own denial."""

    accusation: int
    denials: list[int]
    accused: list[str]


def find_accusation_conflicts(units: list[ClaimUnit]) -> list[AccusationConflict]:
    """ "X is accused of / has been charged with P" and, soon after, X says he is innocent.

    The denial must be held by one of the accused (same surname) and read as a denial
    ("innocent", "did not know", "denied"); it refuses to pair an accusation with anyone
    else's words.
    """
    found: list[AccusationConflict] = []
    for index, unit in enumerate(units):
        match = _ACCUSED.search(unit.text)
        if not match:
            continue
        cut = unit.start + match.start()
        accused = [
            e.text for e in unit.entities if e.label in ("PERSON", "NAME", "ORG") and e.end <= cut
        ]
        surnames = {name.split()[-1].lower() for name in accused}
        if not surnames:
            continue
        denials = []
        for later in range(index + 1, min(len(units), index + 1 + ANSWER_WINDOW)):
            other = units[later]
            if other.article != unit.article or not other.speaker:
                continue
            speaker_words = {w.lower() for w in other.speaker.split()}
            if speaker_words & surnames and _DENIES.search(other.text):
                denials.append(later)
        if denials:
            found.append(AccusationConflict(index, denials, accused))
    return found
