"""Claims: the units of comparison, one or more per sentence of news.

A claim is a sentence, or one of its independent clauses when a sentence joins two statements
with "and", "but", "while" or a semicolon ("The IS affiliate claimed it carried out the attack,
and U.S. intelligence said ..."). Boilerplate never becomes a claim: it was blanked before
parsing, so a blank sentence is skipped here.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from parallax.model import Attribution, ClaimUnit, Entity, Quantity

# A clause shorter than this many words is kept with its neighbour rather than split off.
MIN_CLAUSE_WORDS = 5
_SPLIT_CONJUNCTIONS = {"and", "but", "while", "whereas"}


def _words(span: SpacySpan) -> int:
    return sum(1 for t in span if not (t.is_punct or t.is_space))


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
        elif token.dep_ == "relcl" and _trailing_nonrestrictive(token, sentence):
            cuts.append(token.left_edge.i)
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
    ):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


def build_claims(
    doc: Doc,
    article_id: str,
    attributions: list[Attribution],
    entities: list[Entity],
    quantities: list[Quantity],
) -> list[ClaimUnit]:
    """Claim units of one parsed article, each with the attributions, entities and numbers in it.

    A claim's speaker is the resolved speaker of the attribution whose content covers most of
    the claim; when no attribution covers it, the claim is the outlet's own (speaker None).
    """
    claims: list[ClaimUnit] = []
    for sentence in doc.sents:
        if _words(sentence) < 3:
            continue
        for clause in split_clauses(sentence):
            if _words(clause) < 3:
                continue
            start, end = clause.start_char, clause.end_char
            inside = [
                a for a in attributions if _overlap(a.content.start, a.content.end, start, end)
            ]
            covering = max(
                inside,
                key=lambda a: _overlap(a.content.start, a.content.end, start, end),
                default=None,
            )
            claims.append(
                ClaimUnit(
                    id=f"{article_id}:c{len(claims) + 1}",
                    article=article_id,
                    start=start,
                    end=end,
                    text=clause.text,
                    speaker=covering.speaker.name if covering and covering.speaker else None,
                    attributions=[a.id for a in inside],
                    entities=[e for e in entities if start <= e.start and e.end <= end],
                    quantities=[q for q in quantities if start <= q.start and q.end <= end],
                )
            )
    return claims


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))
