"""Claims: the units of comparison, one or more per sentence of news.

A claim is a sentence, or one of its independent clauses when a sentence joins two statements
with "and", "but", "while" or a semicolon ("The IS affiliate claimed it carried out the attack,
and U.S. intelligence said ..."), two contents of one speaker ("said that X but that Y"), a
trailing ", which/who ..." clause, or a trailing "even as he acknowledged ..." clause.
A record stated inside another claim ("the deadliest terror attack on Russian soil in two
decades") is a claim of its own, nested in the sentence's claim. Boilerplate never becomes a
claim: it was blanked before parsing, so a blank sentence is skipped here.

Attribution-aware: each claim's holder is the speaker of the attribution whose cue is inside it,
else of the attribution whose content covers it; a trailing "which" clause or a nested record
outside quotation marks is the writer's, and "..., who linked the attack to Ukraine" is held by
the person the clause is about.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Generic, TypeVar

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from parallax.model import Attribution, ClaimUnit, Entity, Fact, Quantity
from parallax.nlp.doctext import doc_text
from parallax.nlp.facts import find_facts

# A clause shorter than this many words is kept with its neighbour rather than split off.
MIN_CLAUSE_WORDS = 5
_SPLIT_CONJUNCTIONS = {"and", "but", "while", "whereas", "that"}
# Subordinators that open a clause stating a second fact ("..., even as he acknowledged ...").
_CONCESSIVE_MARKS = {"as", "while", "although", "though", "whereas"}
# Verbs by which the person a "who" clause is about holds its content ("who linked ... to").
_HOLDING_VERBS = {
    "say",
    "claim",
    "link",
    "blame",
    "accuse",
    "allege",
    "insist",
    "suggest",
    "deny",
    "argue",
    "tell",
    "warn",
    "call",
    "describe",
    "reject",
    "dismiss",
    "acknowledge",
}
# Superlatives of severity are one scale: "deadliest" and "worst" rank the same thing.
SEVERITY_SUPERLATIVES = {"bad", "deadly", "bloody", "lethal", "serious", "severe", "worst"}
# Nouns that make a prepositional phrase a time frame for a record ("in two decades").
_FRAME_NOUNS = {"year", "decade", "century", "month", "week", "history", "record", "time", "era"}


_WORD_COUNTS_KEY = "parallax_word_counts"


def _word_counts(doc: Doc) -> list[int]:
    """Running count of words (tokens neither punctuation nor space) before each token index,
    built once per doc and kept on it: clause splitting counts the words of many spans."""
    counts = doc.user_data.get(_WORD_COUNTS_KEY)
    if counts is None:
        flags = doc.to_array([IS_PUNCT, IS_SPACE])
        counts = [0]
        for punct, space in flags.tolist():
            counts.append(counts[-1] + (0 if punct or space else 1))
        doc.user_data[_WORD_COUNTS_KEY] = counts
    return counts


def _words(span: SpacySpan) -> int:
    counts = _word_counts(span.doc)
    return counts[span.end] - counts[span.start]


def split_clauses(sentence: SpacySpan) -> list[SpacySpan]:
    """Independent clauses of a sentence: a verb conjoined to the root with its own subject.

    It refuses to split when either part would be shorter than MIN_CLAUSE_WORDS words or when
    the second verb has no subject of its own (shared-subject coordination stays whole).
    """
    root = sentence.root
    cuts: list[int] = []
    for child in root.children:
        if child.dep_ != "conj" or child.pos_ not in ("VERB", "AUX"):
            continue
        if not any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in child.children):
            continue
        left_edge = child.left_edge.i
        # Move the cut back over the joining word and punctuation (", and").
        cut = left_edge
        while cut - 1 > sentence.start and (
            sentence.doc[cut - 1].is_punct or sentence.doc[cut - 1].lower_ in _SPLIT_CONJUNCTIONS
        ):
            cut -= 1
        cuts.append(cut)
    for token in sentence:
        if token.text == ";" and token.i + 1 < sentence.end:
            cuts.append(token.i)
        elif (token.dep_ == "relcl" and _trailing_nonrestrictive(token, sentence)) or (
            token.dep_ == "advcl" and _trailing_concessive(token, sentence)
        ):
            cuts.append(token.left_edge.i)
        elif token.dep_ == "conj" and _second_content(token):
            cuts.append(_cut_before_joiner(token, sentence))
    parts: list[SpacySpan] = []
    begin = sentence.start
    for cut in sorted(set(cuts)):
        left = sentence.doc[begin:cut]
        right = sentence.doc[cut : sentence.end]
        if _words(left) >= MIN_CLAUSE_WORDS and _words(right) >= MIN_CLAUSE_WORDS:
            parts.append(left)
            begin = cut
    parts.append(sentence.doc[begin : sentence.end])
    return [_trim(p) for p in parts if _words(p) > 0]


def _runs_to_end(token, sentence: SpacySpan) -> bool:
    tail = sentence.doc[token.right_edge.i + 1 : sentence.end]
    return all(t.is_punct or t.is_space for t in tail)


def _trailing_concessive(verb, sentence: SpacySpan) -> bool:
    """True for a trailing "(even) as / while / although he acknowledged ..." with its subject.

    Such a clause adds a second statement ("..., even as he acknowledged receiving a US tip").
    """
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if not marks or marks[0].lower_ not in _CONCESSIVE_MARKS:
        return False
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return False
    if verb.left_edge.i <= sentence.start:
        return False
    return _runs_to_end(verb, sentence)


def _second_content(verb) -> bool:
    """True for the second of two "that" clauses of one speaker ("that X but that Y")."""
    if verb.pos_ not in ("VERB", "AUX") or verb.head.dep_ not in ("ccomp", "acl", "xcomp"):
        return False
    has_that = any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    return has_that and has_subject


def _cut_before_joiner(verb, sentence: SpacySpan) -> int:
    """The token index where a conjoined clause begins, joiners (", but that") included."""
    cut = verb.left_edge.i
    while cut - 1 > sentence.start and (
        sentence.doc[cut - 1].is_punct or sentence.doc[cut - 1].lower_ in _SPLIT_CONJUNCTIONS
    ):
        cut -= 1
    return cut


def _trailing_nonrestrictive(verb, sentence: SpacySpan) -> bool:
    """True for ", which/who ..." clauses that run to the end of the sentence.

    Such a clause states a fact of its own ("..., which was the worst in Russia for 20 years");
    a restrictive clause ("the suspects who were arrested") is part of its noun and stays.
    """
    begin = verb.left_edge.i
    if begin == 0 or sentence.doc[begin - 1].text != ",":
        return False
    if sentence.doc[begin].lower_ not in ("which", "who", "whom", "whose"):
        return False
    tail = sentence.doc[verb.right_edge.i + 1 : sentence.end]
    return all(t.is_punct or t.is_space for t in tail)


def _trim(span: SpacySpan) -> SpacySpan:
    """The span without leading joiners (", and") or surrounding whitespace tokens."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].is_space
        or (doc[start].is_punct and doc[start].text in ",;")
        or (doc[start].lower_ in _SPLIT_CONJUNCTIONS and start != span.sent.start)
        or (doc[start].lower_ == "even" and start + 1 < end and doc[start + 1].dep_ == "mark")
        or (
            doc[start].dep_ == "mark"
            and doc[start].lower_ in _CONCESSIVE_MARKS
            and start != span.sent.start
        )
    ):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


def record_phrases(sentence: SpacySpan) -> list[SpacySpan]:
    """Records stated inside a sentence: a superlative noun phrase with its time frame.

    "the deadliest terror attack on Russian soil in two decades" is a fact of its own even
    inside someone's allegation. Only superlatives that carry a frame ("in two decades", "for
    20 years", "in history") are taken: a bare "the biggest problem" states no checkable record.
    """
    found: list[SpacySpan] = []
    doc = sentence.doc
    for token in sentence:
        if token.tag_ != "JJS" or token.dep_ != "amod" or token.head.pos_ not in ("NOUN", "PROPN"):
            continue
        noun = token.head
        start, end = noun.left_edge.i, noun.right_edge.i + 1
        frame_end = _frame_after(doc, noun, end)
        if frame_end is None:
            continue
        span = doc[start:frame_end]
        if _words(span) >= 4 and span.end <= sentence.end:
            found.append(span)
    return found


def _frame_after(doc: Doc, noun, end: int) -> int | None:
    """The end of a time-frame phrase inside or right after a noun phrase, or None."""
    for token in doc[noun.left_edge.i : min(end + 1, len(doc))]:
        if token.dep_ != "prep" or token.lower_ not in ("in", "for", "since", "on", "of"):
            continue
        if token.i < end and token.head.i != noun.i and token.head.head.i != noun.i:
            continue
        if token.i >= end and token.head.i not in (noun.i, noun.head.i, noun.head.head.i):
            continue
        objects = [c for c in token.subtree if c.dep_ == "pobj"]
        if any(o.lemma_.lower() in _FRAME_NOUNS or o.ent_type_ == "DATE" for o in objects):
            return max(end, token.right_edge.i + 1)
    return None


def superlatives(span: SpacySpan) -> list[str]:
    """Lemmas of the superlative adjectives in a span, severity ones folded to "worst"."""
    out = []
    for token in span:
        if token.tag_ in ("JJS", "RBS") and token.lower_ not in ("most", "least"):
            lemma = token.lemma_.lower()
            out.append("worst" if lemma in SEVERITY_SUPERLATIVES else lemma)
    return out


def standalone_text(clause: SpacySpan) -> str | None:
    """A relative clause rewritten to stand alone: the pronoun replaced by what it refers to.

    "who linked the attack to Ukraine" -> "President Vladimir Putin linked the attack to
    Ukraine"; None for any other clause (it already stands alone).
    """
    first = clause[0]
    if first.lower_ not in ("which", "who") or first.head.dep_ != "relcl":
        return None
    noun = first.head.head
    antecedent = clause.doc[noun.left_edge.i : noun.i + 1]
    rest = clause.doc[first.i + 1 : clause.end]
    return f"{antecedent.text} {rest.text}"


def _quoted(doc: Doc, start: int) -> bool:
    """True when character `start` sits inside a quotation opened earlier in its paragraph."""
    whole = doc_text(doc)
    paragraph_start = whole.rfind("\n", 0, start) + 1
    text = whole[paragraph_start:start]
    opens = text.count("“") + text.count("«")
    closes = text.count("”") + text.count("»")
    if opens or closes:
        return opens > closes
    return text.count('"') % 2 == 1


def _in_quote(clause: SpacySpan) -> bool:
    """True when the clause is, or opens, a direct quotation."""
    text = doc_text(clause.doc)[clause.start_char : clause.end_char]
    return _quoted(clause.doc, clause.start_char) or text.lstrip()[:1] in '“"«'


_Item = TypeVar("_Item", Entity, Quantity)


class _ByStart(Generic[_Item]):
    """Spans (entities, quantities) found by the character range that holds them, in the
    order given: a bisection on their starts instead of a scan of all of them per claim."""

    def __init__(self, items: Sequence[_Item]) -> None:
        self.items = items
        self.order = sorted(range(len(items)), key=lambda i: items[i].start)
        self.starts = [items[i].start for i in self.order]

    def within(self, start: int, end: int) -> list[_Item]:
        """The items with start <= item.start and item.end <= end, in their given order (an
        item starting after `end` cannot end before it, so only starts in range are read)."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        picked = sorted(i for i in self.order[lo:hi] if self.items[i].end <= end)
        return [self.items[i] for i in picked]


def _attribution_bounds(attributions: list[Attribution]) -> list[tuple[int, int, int, int, bool]]:
    """(content start, content end, cue start, cue end, has a named speaker) of each
    attribution, read once per doc rather than once per claim."""
    return [
        (
            a.content.start,
            a.content.end,
            a.cue.start,
            a.cue.end,
            bool(a.speaker and a.speaker.name),
        )
        for a in attributions
    ]


def _holder(
    clause: SpacySpan,
    attributions: list[Attribution],
    entities: list[Entity],
    nested: bool,
    bounds: list[tuple[int, int, int, int, bool]],
    quoted: bool,
) -> tuple[str | None, list[Attribution]]:
    """Who holds a clause, and the attributions that touch it (see the module docstring).

    `bounds` are `_attribution_bounds(attributions)`; `quoted` is `_in_quote(clause)`.
    """
    start, end = clause.start_char, clause.end_char
    inside = [
        a
        for a, (c_start, c_end, _, _, _) in zip(attributions, bounds, strict=True)
        if _overlap(c_start, c_end, start, end)
    ]
    own_cue = [
        a
        for a, (_, _, q_start, q_end, named) in zip(attributions, bounds, strict=True)
        if start <= q_start and q_end <= end and named
    ]
    if own_cue:
        best = max(own_cue, key=lambda a: _overlap(a.content.start, a.content.end, start, end))
        return best.speaker.name, inside
    first = clause[0]
    relative = first.lower_ in ("which", "who", "whom", "whose") and first.head.dep_ == "relcl"
    if relative and first.lower_ == "who":
        verb = first.head
        antecedent = verb.head
        if verb.lemma_.lower() in _HOLDING_VERBS:
            name = next(
                (
                    e.text
                    for e in entities
                    if e.label == "PERSON" and e.start <= antecedent.idx < e.end
                ),
                None,
            )
            if name:
                for a in attributions:
                    if a.speaker and a.speaker.name and name.split()[-1] in a.speaker.name:
                        return a.speaker.name, inside
                return name, inside
    if (relative or nested) and not quoted:
        return None, inside
    covering = max(
        inside,
        key=lambda a: _overlap(a.content.start, a.content.end, start, end),
        default=None,
    )
    return (covering.speaker.name if covering and covering.speaker else None), inside


def build_claims(
    doc: Doc,
    article_id: str,
    attributions: list[Attribution],
    entities: list[Entity],
    quantities: list[Quantity],
) -> list[ClaimUnit]:
    """Claim units of one parsed article, each with the attributions, entities and numbers in it.

    A claim's holder (`speaker`) is found as the module docstring says; when no attribution
    touches it, the claim is the outlet's own (speaker None). Nested record claims come right
    after the claim they sit in.
    """
    claims: list[ClaimUnit] = []

    facts: list[Fact] = []
    bounds = _attribution_bounds(attributions)
    entities_by_start = _ByStart(entities)
    quantities_by_start = _ByStart(quantities)
    text = doc_text(doc)

    def add(clause: SpacySpan, nested: bool) -> None:
        start, end = clause.start_char, clause.end_char
        quoted = _in_quote(clause)
        speaker, inside = _holder(clause, attributions, entities, nested, bounds, quoted)
        standalone = standalone_text(clause)
        first = clause[0]
        if standalone is None and speaker and first.lower_ in ("he", "she"):
            # "he acknowledged that ..." reads as "Vladimir Putin acknowledged that ...".
            standalone = speaker + clause.text[len(first.text) :]
        claims.append(
            ClaimUnit(
                id=f"{article_id}:c{len(claims) + 1}",
                article=article_id,
                start=start,
                end=end,
                text=text[start:end],
                speaker=speaker,
                attributions=[a.id for a in inside],
                entities=entities_by_start.within(start, end),
                quantities=quantities_by_start.within(start, end),
                superlatives=superlatives(clause),
                nested=nested,
                standalone=standalone,
                facts=[
                    f if f.holders or not speaker else f.model_copy(update={"holders": [speaker]})
                    for f in facts
                    if start <= f.start < end and not nested
                ],
                quoted=quoted,
            )
        )

    for sentence in doc.sents:
        if _words(sentence) < 3:
            continue
        records = record_phrases(sentence)
        facts = find_facts(sentence, attributions, entities)
        for clause in split_clauses(sentence):
            if _words(clause) < 3:
                continue
            add(clause, nested=False)
            for record in records:
                if (
                    clause.start <= record.start
                    and record.end <= clause.end
                    and (record.start != clause.start or record.end != clause.end)
                ):
                    add(record, nested=True)
    return claims


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))
