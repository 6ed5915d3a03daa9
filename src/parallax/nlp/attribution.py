"""Who said what: the `parallax_attribution` spaCy component.

The component finds attributions in a parsed text — direct quotes, indirect speech ("X said
that ..."), mixed quotes, "according to X" — and sets `doc._.attributions` to a list of
`parallax.model.Attribution` with character offsets into `doc.text`. Speakers are resolved to
the article's actors by `parallax.nlp.speakers`; an unresolved speaker keeps its words and gets
no name. It needs a pipeline with a dependency parser and NER (the spaCy model it is appended
to); it adds no model of its own.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_QUOTE, IS_STOP, LEMMA, LOWER, POS, SENT_START
from spacy.language import Language
from spacy.symbols import AUX as AUX_ID
from spacy.symbols import VERB as VERB_ID
from spacy.symbols import conj as CONJ_ID
from spacy.tokens import Doc, Span, Token

from parallax.model import Attribution, Speaker
from parallax.model import Span as TextSpan
from parallax.nlp.doctext import doc_text, forget_doc_text
from parallax.nlp.marks import mark_double_apostrophes
from parallax.nlp.speakers import ORG_WORDS, PERSON_ROLE_NOUNS, STATE_NOUNS, SpeakerResolver

# Reporting verbs (lemmas) and the stance each one gives the speaker toward the content.
CUE_VERBS: dict[str, str] = {
    "say": "assert",
    "tell": "assert",
    "state": "assert",
    "add": "assert",
    "note": "assert",
    "explain": "assert",
    "declare": "assert",
    "announce": "assert",
    "write": "assert",
    "tweet": "assert",
    "post": "assert",
    "reply": "assert",
    "respond": "assert",
    "answer": "assert",
    "continue": "assert",
    "remark": "assert",
    "comment": "assert",
    "recall": "assert",
    "mention": "assert",
    "stress": "assert",
    "emphasize": "assert",
    "emphasise": "assert",
    "point": "assert",
    "argue": "claim",
    "assert": "claim",
    "claim": "claim",
    "insist": "claim",
    "maintain": "claim",
    "contend": "claim",
    "suggest": "claim",
    "predict": "claim",
    "promise": "claim",
    "vow": "claim",
    "pledge": "claim",
    "boast": "claim",
    "allege": "allege",
    "accuse": "accuse",
    "blame": "accuse",
    "charge": "accuse",
    "deny": "deny",
    "reject": "deny",
    "dismiss": "deny",
    "refute": "deny",
    "dispute": "deny",
    "rebut": "deny",
    "acknowledge": "acknowledge",
    "admit": "acknowledge",
    "concede": "acknowledge",
    "confess": "acknowledge",
    "confirm": "confirm",
    "verify": "confirm",
    "warn": "warn",
    "caution": "warn",
    "threaten": "warn",
    "believe": "believe",
    "think": "believe",
    "feel": "believe",
    "hope": "believe",
    "fear": "believe",
    "expect": "believe",
    "doubt": "believe",
    "know": "believe",
    "conclude": "believe",
    "find": "report",
    "report": "report",
    "quote": "report",
    "reveal": "report",
    "disclose": "report",
    "indicate": "report",
    "show": "report",
    "estimate": "report",
    "ask": "other",
    "urge": "other",
    "call": "other",
    "demand": "other",
    "wonder": "other",
    "agree": "acknowledge",
    "complain": "claim",
    "testify": "assert",
    "describe": "other",
    "tout": "claim",
}
# Reporting nouns: "X's claim that ...", "allegations by X that ...".
CUE_NOUNS: dict[str, str] = {
    "claim": "claim",
    "allegation": "allege",
    "statement": "assert",
    "assertion": "claim",
    "denial": "deny",
    "accusation": "accuse",
    "warning": "warn",
    "admission": "acknowledge",
    "insistence": "claim",
    "suggestion": "claim",
    "assurance": "assert",
    "argument": "claim",
    "belief": "believe",
    "report": "report",
    "remark": "assert",
    "comment": "assert",
}
# Verbs that only count as cues with a clause complement (too common otherwise).
CLAUSE_ONLY = {"know", "find", "show", "feel", "expect", "post", "continue", "point", "call"}
OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
# Straight marks as tokens: '"' and the two apostrophes some outlets write for one ("''").
STRAIGHT_MARKS = ('"', "''")
SOURCE_NOUNS = {"source", "person", "people", "insider"}
# Cues whose subject is what is judged, not who judges ("Clinton appeared to have the most to
# gain"): PolNeAR gives them no source four times out of five.
IMPERSONAL_CUES = {"seem", "appear"}

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


@dataclass
class _Found:
    """An attribution in token terms, before it becomes a model record."""

    kind: str
    cue: tuple[int, int]
    content: tuple[int, int]
    cue_token: Token
    speaker: Span | None = None
    speaker_head: Token | None = None
    medium: Span | None = None
    stance: str = "assert"
    negated: bool = False
    parts: list[tuple[int, int]] = field(default_factory=list)  # more content, same cue


# --- quotations --------------------------------------------------------------------------


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included, in reading order.

    Curly and straight double marks; top-level curly single marks when they open at a word
    start and close at a word end; two apostrophes ("''") stand for a double mark. An opening
    mark with no closing mark in its paragraph runs on when the next paragraph opens with a
    mark (the convention for multi-paragraph quotes); otherwise it ends with its paragraph.
    Nested quotes are left inside their outer quote.
    """
    spans: list[tuple[int, int]] = []
    text = mark_double_apostrophes(text)
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    pending: int | None = None
    pending_end = 0
    for p_start, p_end in paragraphs:
        para = text[p_start:p_end]
        if not para.strip():
            continue
        i = 0
        if pending is not None and para.lstrip()[:1] not in OPEN_MARKS + '"':
            # The quotation never closes: it runs to the end of the paragraph it was last in.
            spans.append((pending, pending_end))
            pending = None
        while i < len(para):
            ch = para[i]
            opening = ch in OPEN_MARKS or (ch == '"' and _straight_opens(para, i))
            if ch == "‘" and _single_opens(para, i):
                close = _single_close(para, i + 1)
                if close is not None:
                    spans.append((p_start + i, p_start + close + 1))
                    i = close + 1
                    continue
            if opening:
                close = _double_close(para, i + 1)
                if close is None:
                    if pending is None:
                        pending = p_start + i
                    pending_end = p_start + len(para.rstrip())
                    break
                start = pending if pending is not None else p_start + i
                pending = None
                spans.append((start, p_start + close + 1))
                i = close + 1
                continue
            i += 1
    if pending is not None:
        spans.append((pending, pending_end))
    return spans


def _straight_opens(para: str, i: int) -> bool:
    before = para[i - 1] if i > 0 else " "
    after = para[i + 1] if i + 1 < len(para) else " "
    return (before.isspace() or before in "([—–-:,") and not after.isspace()


def _double_close(para: str, start: int) -> int | None:
    for j in range(start, len(para)):
        if para[j] in CLOSE_MARKS or para[j] == '"':
            return j
        if para[j] in OPEN_MARKS:
            return None
    return None


def _single_opens(para: str, i: int) -> bool:
    before = para[i - 1] if i > 0 else " "
    return before.isspace() or before in '([—–-:,“"'


def _single_close(para: str, start: int) -> int | None:
    for j in range(start, len(para)):
        if para[j] == "’":
            after = para[j + 1] if j + 1 < len(para) else " "
            if not after.isalpha():
                return j
        if para[j] in OPEN_MARKS or para[j] in CLOSE_MARKS:
            return None
    return None


# --- helpers over the parse -------------------------------------------------------------


def _is_cue_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_VERBS


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of a verb (climbing through xcomp/conj/advcl chains), and whether passive."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        for child in tok.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child, False
            if child.dep_ == "nsubjpass":
                return child, True
        if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "dep") and tok.head is not tok:
            tok = tok.head
            # "responded by saying": climb over the preposition to the verb it hangs on.
            if tok.dep_ == "prep" and tok.head is not tok:
                tok = tok.head
            seen += 1
            continue
        break
    return None, False


def _speaker_of(verb: Token) -> Token | None:
    """The speaker of a reporting verb (`_speaker_rule`), found once per token of a doc: the
    cue detector, the chooser and the attribution itself all ask for it."""
    found = doc_arrays(verb.doc).speakers
    if verb.i not in found:
        found[verb.i] = _speaker_rule(verb)
    return found[verb.i]


def _speaker_rule(verb: Token) -> Token | None:
    """The speaker of a reporting verb: its subject, the agent of a passive ("claimed by X"),
    or the passive subject of "X was quoted as saying"."""
    # "It seems that ..." has no speaker; in "Messages seem to show ..." the subject speaks
    # through the reporting verb that "seem" governs.
    if verb.lemma_.lower() in IMPERSONAL_CUES and not any(
        c.dep_ == "xcomp" and c.lemma_.lower() in CUE_VERBS for c in verb.children
    ):
        return None
    if _asked_of_speaker(verb):
        return None
    if verb.pos_ == "ADP":
        # "In the CBS poll, ...": the object of the preposition is the source.
        return next((c for c in verb.children if c.dep_ == "pobj"), None)
    reporter = _reporter_of_misattached_conj(verb)
    if reporter is not None:
        return reporter
    subject, passive = _subject(verb)
    if subject is None:
        # "as reported by Western Journalism", "opposed by Democrats"; "…,” added Gowdy."
        agent = _agent(verb)
        if agent is not None:
            return agent
        after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
        if after is not None and after.head.i == verb.i and after.ent_type_ == "PERSON":
            return after
        inverted = _inverted_subject(verb)
        if inverted is not None:
            return inverted
        if verb.dep_ == "acl" and verb.head.i < verb.i and verb.head.pos_ in NOMINAL:
            # "handwritten ledgers showing ...", "Ytterberg, explaining ...": the noun speaks.
            return verb.head
        return None
    if not passive:
        return subject
    if verb.lemma_ == "quote":
        return subject
    return _agent(verb)


NOMINAL = ("NOUN", "PROPN", "PRON")


# Nouns naming someone who can say things: a person, a body, a source.
_ABLE_TO_SAY = frozenset(PERSON_ROLE_NOUNS | STATE_NOUNS | ORG_WORDS | SOURCE_NOUNS)


def _reporter_of_misattached_conj(verb: Token) -> Token | None:
    """The reporter for a cue the parser hung on the reported clause's copula.

    In "Orlov said the blaze was an act of sabotage and blamed saboteurs", "blamed" is parsed
    as a conjunct of "was", whose subject is a thing; a thing does not blame, so the subject
    of "said" is the speaker. Only for a singular common noun that names no person, body or
    source; anything else keeps the parser's subject.
    """
    copula = verb.head
    if verb.dep_ != "conj" or copula.lemma_ != "be" or copula.dep_ != "ccomp":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children):
        return None
    outer = copula.head
    if outer.lemma_.lower() not in CUE_VERBS:
        return None
    thing = next((c for c in copula.children if c.dep_ == "nsubj"), None)
    if thing is None or thing.tag_ != "NN" or thing.ent_type_:
        return None
    if thing.lower_ in _ABLE_TO_SAY:
        return None
    reporter, passive = _subject(outer)
    return None if passive else reporter


QUESTION_VERBS = {"ask", "press", "question", "quiz"}


def _asked_of_speaker(verb: Token) -> bool:
    """ "Asked whether he would ..., Johnson said": a bare participle of asking, with no
    subject or auxiliary of its own, is the unnamed reporter's question; the subject it hangs
    on is the one asked, not the asker (PolNeAR gives such cues no source)."""
    if verb.tag_ != "VBN" or verb.lemma_.lower() not in QUESTION_VERBS:
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)


def _inverted_subject(verb: Token) -> Token | None:
    """The speaker a parse left without the subject relation: after the verb in a quote's
    tag ("…,” opined Cleveland's Plain Dealer"), or a name right before it ("…, USA Today
    reports")."""
    doc = verb.doc
    if verb.i > 0 and (doc[verb.i - 1].text in (",", "”", "—") or doc[verb.i - 1].is_quote):
        for child in verb.rights:
            if (
                child.left_edge.i == verb.i + 1
                and child.dep_ in ("dobj", "npadvmod", "attr", "nsubj")
                and child.pos_ in ("PROPN", "NOUN")
            ):
                return child
    for child in verb.lefts:
        if child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.right_edge.i == verb.i - 1:
            return child
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _speaker_span(head: Token, cue: Token | None = None) -> Span:
    """The speaker phrase as PolNeAR marks it: appositions and restrictive relative clauses
    in, a relative clause set off by a comma out ("Sanders, who had said ..., said"), and the
    comma that closes an apposition kept ("Dean Johnson, a salesman from Sumter, said")."""
    doc = head.doc
    left, right = head.left_edge.i, head.right_edge.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl") and child.left_edge.i > head.i:
            comma = child.left_edge.i - 1
            if comma > head.i and doc[comma].text == ",":
                right = min(right, comma - 1)
    if cue is not None and head.i < cue.i <= right:
        # The speaker is the noun a cue hangs on ("ledgers showing ..."): stop before the cue.
        right = min(right, cue.left_edge.i - 1)
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right].is_space or doc[right].text in (".", ";", ":", ",")):
        right -= 1
    # The mark that closes an apposition or aside is kept when the phrase holds its opening
    # twin ("Dean Johnson, a salesman from Sumter, said"; "Frankel — like Reid — said").
    closing = doc[right + 1].text if right + 1 < len(doc) else ""
    if closing in (",", "—", "–") and any(t.text == closing for t in doc[left : right + 1]):
        right += 1
    return doc[left : right + 1]


def _np_span(head: Token) -> Span:
    """The noun phrase of a head token, without a trailing relative clause or punctuation."""
    doc = head.doc
    left = head.left_edge.i
    right = head.right_edge.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl") and child.left_edge.i > head.i:
            right = min(right, child.left_edge.i - 1)
            break
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return doc[left : right + 1]


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range [start, end) (end > start), without trailing space."""
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [start, end) without leading/trailing spaces, commas and final stops."""
    while start < end and (doc[start].is_space or doc[start].text in (",", ";", ":", "—", "-")):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in (",", ";", ":", ".")):
        end -= 1
    return start, end


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in verb.children)


def _medium(verb: Token, resolver: SpeakerResolver) -> Span | None:
    """The medium a statement went through: "told BelTA", "quoted ... by BelTA"."""
    for child in verb.children:
        if (
            child.dep_ in ("dative", "dobj")
            and verb.lemma_ == "tell"
            and _is_media(child, resolver)
        ):
            return _np_span(child)
    if verb.lemma_ == "quote":
        for tok in verb.subtree:
            if tok.dep_ in ("agent", "prep") and tok.lower_ == "by" and tok.i > verb.i:
                pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return _np_span(pobj)
    for child in verb.children:
        # "speaking to Belarus media", "in remarks carried by the official Belta news agency"
        if child.dep_ == "prep" and child.lower_ in ("to", "in"):
            for grand in child.children:
                if grand.dep_ != "pobj":
                    continue
                if child.lower_ == "to" and _is_media(grand, resolver):
                    return _np_span(grand)
                for acl in grand.children:
                    if acl.dep_ == "acl":
                        agent = _agent(acl)
                        if agent is not None:
                            return _np_span(agent)
    if verb.dep_ == "advcl":
        for child in verb.head.children:
            if child.dep_ == "advcl" and child.lemma_ == "speak" and child.i < verb.i:
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                        if pobj is not None:
                            return _np_span(pobj)
    for child in verb.children:
        if child.dep_ == "advcl" and child.lemma_ == "speak":
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _np_span(pobj)
    return None


MEDIA_WORDS = {"agency", "media", "newspaper", "reporter", "journalist", "press", "broadcaster"}


def _is_media(tok: Token, resolver: SpeakerResolver) -> bool:
    """True for a listener that is a medium: a media noun or a named organisation."""
    if tok.lemma_.lower() in MEDIA_WORDS or tok.ent_type_ in ("ORG", "FAC", "WORK_OF_ART"):
        return True
    # A named listener with an organisation word in it ("Novaya Gazeta Europe").
    if tok.pos_ == "PROPN" and any(t.lower_ in ORG_WORDS for t in _np_span(tok)):
        return True
    actor = resolver.actor_of_token(tok)
    if actor is not None:
        return actor.type == "ORG"
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "GPE", "NORP")


# --- learned cue detector ---------------------------------------------------------------

CUE_MODEL_PATH = Path(__file__).with_name("attribution_cues.json")
CANDIDATE_POS = {"VERB", "AUX", "NOUN", "ADP", "ADJ", "PUNCT"}
# Cue heads whose content the learned chooser picks (colons and "according to" use rules).
CHOOSER_POS = ("VERB", "AUX", "ADJ", "ADP", "NOUN")


def is_cue_candidate(tok: Token) -> bool:
    """Tokens the cue detector looks at: verbs, nouns, adjectives, prepositions, colons."""
    if tok.pos_ == "PUNCT":
        return tok.text in (":", "—")
    return tok.pos_ in CANDIDATE_POS


def sentence_info(doc: Doc) -> list[tuple[int, bool]]:
    """Per token: the index of its sentence's first token, and whether that sentence holds a
    quotation mark (computed once per doc; `Token.sent` scans the doc on every call)."""
    info: list[tuple[int, bool]] = [(0, False)] * len(doc)
    for sent in doc.sents:
        has_quote = any(t.is_quote for t in sent)
        for i in range(sent.start, sent.end):
            info[i] = (sent.start, has_quote)
    return info


def inside_quotes(doc: Doc, quotes: list[tuple[int, int]]) -> list[bool]:
    """Per token: does it start strictly inside one of the quotation spans?

    A token is tested against the first quotation (in sorted order) that ends after the
    token's start, found by bisection on the running maximum of the ends.
    """
    if not quotes or not len(doc):
        return [False] * len(doc)
    ordered = np.array(sorted(quotes), dtype=np.int64)
    starts = doc.to_array(IDX).astype(np.int64)
    first = np.searchsorted(np.maximum.accumulate(ordered[:, 1]), starts, side="right")
    found = first < len(ordered)
    chosen = ordered[np.minimum(first, len(ordered) - 1)]
    inside = found & (chosen[:, 0] < starts) & (starts < chosen[:, 1])
    return inside.tolist()


def cue_features(
    tok: Token, in_quote: bool, sent_info: tuple[int, bool] | None = None
) -> list[str]:
    """Sparse features of a token for the cue detector (lexical, syntactic, quote context)."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    pos, dep, tag = tok.pos_, tok.dep_, tok.tag_
    head = tok.head
    head_lemma, head_dep, head_pos = head.lemma_.lower(), head.dep_, head.pos_
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    prev = doc[tok.i - 1] if tok.i > 0 else None
    next_lower = nxt.lower_ if nxt is not None else "<end>"
    children = [(c, c.dep_) for c in tok.children]
    feats = [
        "bias",
        f"lemma={lemma}",
        f"pos={pos}",
        f"tag={tag}",
        f"dep={dep}",
        f"lemma_dep={lemma}|{dep}",
        f"lemma_tag={lemma}|{tag}",
        f"head_lemma={head_lemma}",
        f"head_dep={head_dep}|{dep}",
        f"in_quote={in_quote}",
        f"lexicon={lemma in CUE_VERBS}|{pos}",
        f"next={next_lower}",
        f"prev={prev.lower_ if prev is not None else '<start>'}",
        f"lemma_next={lemma}|{next_lower}",
    ]
    for child_dep in sorted({d for _, d in children}):
        feats.append(f"child={child_dep}")
        feats.append(f"lemma_child={lemma}|{child_dep}")
    subj = next((c for c, d in children if d in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        subj_kind = subj.ent_type_ or subj.pos_
        feats.append(f"subj_ent={subj_kind}")
        feats.append(f"subj_lemma={subj.lemma_.lower()}")
        feats.append(f"lemma_subj_ent={lemma}|{subj_kind}")
    else:
        feats.append(f"lemma_nosubj={lemma}")
    for child, child_dep in children:
        if child_dep in ("prep", "agent", "prt", "aux", "neg", "mark", "advmod"):
            feats.append(f"lemma_{child_dep}={lemma}|{child.lower_}")
        if child_dep in ("dobj", "pobj", "attr"):
            feats.append(f"obj={child.lemma_.lower()}")
    feats.append(f"head_pos_dep={head_pos}|{dep}|{pos}")
    # Context a lemma alone misses: unseen verbs by ending, what the complement looks like.
    feats.append(f"suffix={lemma[-3:]}|{pos}")
    feats.append(f"lemma_in_quote={lemma}|{in_quote}")
    feats.append(f"lemma_head_pos={lemma}|{head_pos}|{dep}")
    feats.append(f"grand={head.head.lemma_.lower()}|{head_dep}")
    for child, child_dep in children:
        if child_dep in ("ccomp", "xcomp", "acl", "relcl", "advcl"):
            mark = next((g.lower_ for g in child.children if g.dep_ in ("mark", "aux")), "-")
            feats.append(f"comp={child_dep}|{mark}")
            feats.append(f"lemma_comp={lemma}|{child_dep}|{mark}")
        if child_dep == "xcomp":
            feats.append(f"xcomp_lemma={child.lemma_.lower()}")
    feats.append(f"head_lemma_dep={head_lemma}|{dep}")
    if head_dep == "prep":
        feats.append(f"gov={head.head.lemma_.lower()}|{head.lower_}")
    if sent_info is None:
        sent = tok.sent
        sent_info = (sent.start, any(t.is_quote for t in sent))
    feats.append(f"sent_quote={sent_info[1]}")
    feats.append(f"pos_in_sent={min(3, (tok.i - sent_info[0]) // 5)}")
    if nxt is not None and (nxt.text in OPEN_MARKS or nxt.text in STRAIGHT_MARKS):
        feats.append("quote_follows")
    if prev is not None and (prev.text in CLOSE_MARKS + "," or prev.text in STRAIGHT_MARKS):
        feats.append("after_quote_or_comma")
    return feats


PERSONAL_PRONOUNS = frozenset(("he", "she", "they", "i", "we", "you"))
SAYER_ENTS = frozenset(("PERSON", "ORG", "GPE", "NORP"))


def _sayer_kind(speaker: Token | None) -> str:
    """A coarse class of who the speaker rule finds: a named person or body, a personal
    pronoun, a noun able to say things, another noun, "it"-like, or nobody."""
    if speaker is None:
        return "none"
    if speaker.ent_type_ in SAYER_ENTS:
        return speaker.ent_type_
    if speaker.pos_ == "PRON":
        return "pron" if speaker.lower_ in PERSONAL_PRONOUNS else "it"
    if speaker.lemma_.lower() in _ABLE_TO_SAY or speaker.lower_ in _ABLE_TO_SAY:
        return "sayer"
    return "thing" if speaker.pos_ in NOMINAL else "other"


def _length_class(n: int) -> str:
    return "0" if n <= 0 else "1" if n <= 2 else "3" if n <= 5 else "6" if n <= 10 else "11"


def context_features(tok: Token, lemma: str) -> list[str]:
    """Features of a cue from beyond its own dependents, for the chooser's "no content"
    option: the class of whom the speaker rule finds for it, how long its right-hand subtree
    is and whether a quotation mark lies in it, and, for a noun, who owns it ("Trump's
    claim"). (As cue-detector features they did not help: held-out cue-head F1 0.766.)"""
    kind = _sayer_kind(_speaker_of(tok))
    pos = tok.pos_
    right = tok.right_edge.i - tok.i
    arrays = doc_arrays(tok.doc)
    quoted_right = right > 0 and arrays.count(arrays.quotes, tok.i + 1, tok.right_edge.i + 1) > 0
    feats = [
        f"sayer={kind}|{pos}",
        f"lemma_sayer={lemma}|{kind}",
        f"right={_length_class(right)}|{pos}",
        f"right_quote={quoted_right}|{pos}",
        f"sayer_right={kind}|{_length_class(right)}",
    ]
    if pos == "NOUN":
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None:
            feats.append(f"owner={_sayer_kind(owner)}")
    return feats


@functools.cache
def _cue_model() -> dict:
    if not CUE_MODEL_PATH.exists():
        return {}
    return json.loads(CUE_MODEL_PATH.read_text(encoding="utf-8"))


@functools.cache
def _cue_weights() -> tuple[dict[str, float], float]:
    """Weights of the cue detector, trained by training/train_attribution_cues.py."""
    data = _cue_model()
    if not data:
        return {}, 0.0
    return data["weights"], float(data["threshold"])


@functools.cache
def _cue_lemmas() -> frozenset[str]:
    """The "lemma|POS" of every token that headed a cue in the detector's training texts;
    other tokens are not scored (empty: score every candidate)."""
    return frozenset(_cue_model().get("cue_lemmas", ()))


@functools.cache
def _cue_dense() -> np.ndarray | None:
    """Weights over the spaCy model's token vectors (doc.tensor), if the detector has them."""
    dense = _cue_model().get("dense")
    return None if not dense else np.asarray(dense, dtype=np.float32)


def dense_cue_scores(doc: Doc) -> np.ndarray:
    """Per-token part of the cue score that comes from the contextual token vectors."""
    dense = _cue_dense()
    if dense is None or doc.tensor is None or doc.tensor.shape[:1] != (len(doc),):
        return np.zeros(len(doc), dtype=np.float32)
    if doc.tensor.shape[1] != dense.shape[0]:
        return np.zeros(len(doc), dtype=np.float32)
    return doc.tensor @ dense


def _total(weights: dict[str, float], feats: list[str]) -> float:
    """The sum of the weights of the features (unknown features weigh nothing)."""
    return sum(map(weights.get, feats, itertools.repeat(0.0)))


def cue_score(
    tok: Token, in_quote: bool, dense: float = 0.0, sent_info: tuple[int, bool] | None = None
) -> float:
    """Log-odds that a token heads an attribution cue (0 when no model is shipped)."""
    weights, _ = _cue_weights()
    return dense + _total(weights, cue_features(tok, in_quote, sent_info))


# --- learned content chooser ------------------------------------------------------------

ARRAYS_KEY = "parallax_attribution_arrays"


@dataclass
class DocArrays:
    """Per-token facts of one doc that the candidate code reads many times, taken from the
    doc's arrays once (spaCy builds a new Token object on every `doc[i]`)."""

    heads: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    quotes: np.ndarray  # running count of quotation-mark tokens
    verbs: np.ndarray  # running count of VERB/AUX tokens
    cue_verbs: np.ndarray  # running count of lexicon reporting verbs
    is_cue_verb: np.ndarray
    conj: np.ndarray
    word_class: list[str]
    pos: list[str]
    dep: list[str]
    is_punct: list[bool]
    head_list: list[int]
    roots: dict[tuple[int, int], int] = field(default_factory=dict)
    speakers: dict[int, Token | None] = field(default_factory=dict)  # see _speaker_of

    def count(self, running: np.ndarray, start: int, end: int) -> int:
        return int(running[end] - running[start])

    def root(self, start: int, end: int) -> int:
        """The first token of [start, end) whose head lies outside it (or is itself)."""
        found = self.roots.get((start, end))
        if found is None:
            heads = self.head_list
            found = next(
                (i for i in range(start, end) if not start <= heads[i] < end or heads[i] == i),
                start,
            )
            self.roots[(start, end)] = found
        return found


def doc_arrays(doc: Doc) -> DocArrays:
    """The DocArrays of a doc, built on first use and kept while the doc is being read."""
    cached = doc.user_data.get(ARRAYS_KEY)
    if cached is not None:
        return cached
    n = len(doc)
    strings = doc.vocab.strings
    table = doc.to_array([HEAD, POS, DEP, IS_QUOTE, IS_PUNCT, IS_STOP, LOWER, LEMMA, SENT_START])
    own = np.arange(n, dtype=np.int64)
    heads = own + table[:, 0].astype(np.int64)
    starts = np.flatnonzero(table[:, 8].astype(np.int64) == 1)
    starts = np.union1d([0], starts) if n else starts
    bounds = np.r_[starts, n]
    which = np.searchsorted(starts, own, side="right") - 1
    pos_names = {int(p): strings[int(p)] for p in np.unique(table[:, 1])}
    verb = np.isin(table[:, 1], [VERB_ID, AUX_ID])
    lexicon = {int(h) for h in np.unique(table[:, 7]) if strings[int(h)].lower() in CUE_VERBS}
    is_cue_verb = verb & np.isin(table[:, 7], np.fromiter(lexicon, dtype=np.uint64))
    flagged = table[:, 4].astype(bool) | table[:, 5].astype(bool)
    word_class = [
        strings[int(lower)] if flag else pos_names[int(p)]
        for lower, flag, p in zip(table[:, 6], flagged, table[:, 1], strict=True)
    ]

    def running(flags: np.ndarray) -> np.ndarray:
        return np.r_[0, np.cumsum(flags.astype(np.int64))]

    dep_names = {int(d): strings[int(d)] for d in np.unique(table[:, 2])}
    arrays = DocArrays(
        heads=heads,
        sent_start=bounds[which],
        sent_end=bounds[which + 1],
        quotes=running(table[:, 3]),
        verbs=running(verb),
        cue_verbs=running(is_cue_verb),
        is_cue_verb=is_cue_verb,
        conj=table[:, 2] == CONJ_ID,
        word_class=word_class,
        pos=[pos_names[int(p)] for p in table[:, 1]],
        dep=[dep_names[int(d)] for d in table[:, 2]],
        is_punct=table[:, 4].astype(bool).tolist(),
        head_list=heads.tolist(),
    )
    doc.user_data[ARRAYS_KEY] = arrays
    return arrays


CONTENT_DEPS = {
    "ccomp",
    "xcomp",
    "dobj",
    "attr",
    "oprd",
    "prep",
    "dative",
    "advcl",
    "acomp",
    "pcomp",
    "pobj",
    "acl",
    "relcl",
    "npadvmod",
    "parataxis",
}


# Right-hand modifiers of a phrase that PolNeAR leaves out of a content ("the wall in December").
LOOSE_PREPS = {"in", "on", "at", "during", "after", "before", "since", "while", "when", "amid"}


def _core_end(doc: Doc, head: Token) -> int:
    """End (exclusive) of a phrase's subtree without trailing time/place adjuncts and
    non-restrictive tails (", including ...", ", who ...")."""
    end = head.right_edge.i + 1
    for child in sorted(head.rights, key=lambda c: c.i, reverse=True):
        loose = (
            (child.dep_ == "prep" and child.lower_ in LOOSE_PREPS)
            or child.dep_ in ("npadvmod", "advmod", "advcl", "punct", "cc", "conj")
            or (child.dep_ in ("relcl", "acl") and doc[child.left_edge.i - 1].text == ",")
        )
        if not loose or child.left_edge.i <= head.i:
            break
        end = child.left_edge.i
    return end


def content_candidates(doc: Doc, tok: Token) -> list[tuple[str, int, int]]:
    """Token ranges [start, end) that could be the content of cue `tok`, each with its kind.

    The rule choices (clause, object) are candidates too; the learned chooser ranks them all
    and picks one or refuses all. Phrases come whole, cut before trailing adjuncts, and run on
    to the end of the sentence, because annotators mark each of these in some contexts.
    """
    cands: list[tuple[str, int, int]] = []
    arrays = doc_arrays(doc)
    sent_start, sent_end = int(arrays.sent_start[tok.i]), int(arrays.sent_end[tok.i])
    clause = _clause_content(doc, tok)
    if clause is not None:
        cands.append(("rule_clause", *clause))
        if clause[0] > tok.i:
            cands.append(("rule_clause_toend", clause[0], sent_end))
    generic = _generic_object(doc, tok)
    if generic is not None:
        cands.append(("rule_object", *generic))
    for child in tok.children:
        if child.dep_ not in CONTENT_DEPS:
            continue
        side = "R" if child.i > tok.i else "L"
        kind = f"child_{child.dep_}_{side}"
        cands.append((kind, child.left_edge.i, child.right_edge.i + 1))
        cands.append((f"{kind}_core", child.left_edge.i, _core_end(doc, child)))
        if side == "R":
            cands.append((f"{kind}_toend", child.left_edge.i, sent_end))
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ in ("pobj", "pcomp"):
                    prep = child.lower_
                    cands.append((f"pobj_{prep}", grand.left_edge.i, grand.right_edge.i + 1))
                    cands.append((f"pobj_{prep}_core", grand.left_edge.i, _core_end(doc, grand)))
    rights = [
        c for c in tok.children if c.i > tok.i and c.dep_ not in ("punct", "prt", "advmod", "cc")
    ]
    if rights:
        cands.append(("rights_all", rights[0].left_edge.i, rights[-1].right_edge.i + 1))
    if tok.i + 1 < sent_end:
        cands.append(("sent_after", tok.i + 1, sent_end))
    if tok.head.i != tok.i and tok.head.i < tok.i:
        cands.append(("head_left", tok.head.left_edge.i, tok.left_edge.i))
    subject, _ = _subject(tok)
    # Not when the cue hangs on a verb there ("“...,” the crowd chanted while the candidate
    # said nothing"): what lies before is that verb's clause, not the cue's content.
    governed = tok.head.i < tok.i and tok.head.pos_ in ("VERB", "AUX")
    if subject is not None and subject.left_edge.i > sent_start and not governed:
        cands.append(("sent_before_subject", sent_start, subject.left_edge.i))
    for child in tok.children:
        # "A motion for a roll-call vote has since been denied": what the passive acts on.
        if child.dep_ in ("nsubjpass", "csubjpass"):
            cands.append((f"subj_{child.dep_}", child.left_edge.i, child.right_edge.i + 1))
            cands.append((f"subj_{child.dep_}_core", child.left_edge.i, _core_end(doc, child)))
    cands += _deep_candidates(doc, tok)
    # Each phrase also cut at its first comma, dash or semicolon: a deep apposition or
    # aside (", a plan the billionaire has modified") that the parse hangs inside it.
    for kind, start, end in list(cands):
        comma = _first_break(doc, start, end)
        if comma is not None:
            cands.append((f"{kind.split('_core')[0]}_comma", start, comma))
    seen: set[tuple[int, int]] = set()
    out = []
    for kind, start, end in cands:
        start, end = _trim(doc, start, end)
        if end <= start or (start <= tok.i < end) or (start, end) in seen:
            continue
        # "criticized by libertarians": the agent of a passive cue is its speaker.
        if arrays.dep[start] == "agent" and arrays.head_list[start] == tok.i:
            continue
        seen.add((start, end))
        out.append((kind, start, end))
    return out


BREAKS = {",", ";", "—", "–", "--"}


def _first_break(doc: Doc, start: int, end: int) -> int | None:
    """The first comma, semicolon or dash inside [start, end) after its third token and
    outside quotation marks, or None."""
    arrays = doc_arrays(doc)
    for i in range(start + 3, end - 1):
        if arrays.word_class[i] in BREAKS and arrays.count(arrays.quotes, start, i) % 2 == 0:
            return i
    return None


# Phrases that a multi-word cue runs through to reach its content: "had kind words for X",
# "refused to endorse X", "were quick to condemn X", "expressed an interest in debating X".
DEEP_HOLDERS = ("dobj", "attr", "acomp", "oprd", "xcomp", "prep", "dative")
DEEP_PREPS = ("of", "for", "to", "about", "on", "in", "with", "against")


def _deep_candidates(doc: Doc, tok: Token) -> list[tuple[str, int, int]]:
    """Candidates two or three steps below the cue, right of it: the object of a preposition
    hanging on its object or complement, and the object of its open complement."""
    cands: list[tuple[str, int, int]] = []
    frontier = [(c, c.dep_) for c in tok.children if c.i > tok.i and c.dep_ in DEEP_HOLDERS]
    for _ in range(2):
        following = []
        for node, path in frontier:
            for child in node.children:
                if child.i < tok.i:
                    continue
                if child.dep_ == "prep":
                    prep = child.lower_ if child.lower_ in DEEP_PREPS else "prep"
                    for pobj in child.children:
                        if pobj.dep_ in ("pobj", "pcomp"):
                            kind = f"deep_{path}_{prep}"
                            cands.append((kind, pobj.left_edge.i, pobj.right_edge.i + 1))
                            cands.append((f"{kind}_core", pobj.left_edge.i, _core_end(doc, pobj)))
                            following.append((pobj, f"{path}_pobj"))
                elif node.dep_ in ("xcomp", "pcomp", "acomp") and child.dep_ in (
                    "dobj",
                    "xcomp",
                    "ccomp",
                    "attr",
                    "dative",
                ):
                    kind = f"deep_{path}_{child.dep_}"
                    cands.append((kind, child.left_edge.i, child.right_edge.i + 1))
                    cands.append((f"{kind}_core", child.left_edge.i, _core_end(doc, child)))
                    following.append((child, f"{path}_{child.dep_}"))
                elif child.dep_ in ("xcomp", "acomp"):
                    following.append((child, f"{path}_{child.dep_}"))
        frontier = following
    return cands


def _bucket(length: int) -> str:
    for limit, name in ((1, "1"), (3, "2-3"), (6, "4-6"), (12, "7-12"), (25, "13-25")):
        if length <= limit:
            return name
    return "26+"


def candidate_features(
    doc: Doc, tok: Token, kind: str, start: int, end: int, cue_value: float = 0.0
) -> list[str]:
    """Sparse features of one content candidate of a cue: its kind and the cue, length,
    first and last words, what stands around it, quotes, verbs and the sentence bounds."""
    arrays = doc_arrays(doc)
    words = arrays.word_class
    lemma = tok.lemma_.lower()
    bucket = _bucket(end - start)
    side = "R" if start > tok.i else "L"
    sent_start, sent_end = int(arrays.sent_start[tok.i]), int(arrays.sent_end[tok.i])
    base = kind.split("_core")[0].split("_toend")[0]
    quotes = min(arrays.count(arrays.quotes, start, end), 2)
    root = arrays.root(start, end)
    root_pos, root_dep = arrays.pos[root], arrays.dep[root]
    first_word = words[start]
    after = "<end>" if end >= len(doc) else words[end]
    ends_sent = end >= sent_end - 1
    feats = [
        "bias",
        f"kind={kind}",
        f"base={base}",
        f"kind_pos={kind}|{tok.pos_}",
        f"kind_lemma={kind}|{lemma}",
        f"base_lemma={base}|{lemma}",
        f"kind_dep={kind}|{tok.dep_}",
        f"len={bucket}",
        f"kind_len={kind}|{bucket}",
        f"lemma_len={lemma}|{bucket}",
        f"first={first_word}",
        f"kind_first={kind}|{first_word}",
        f"lemma_first={lemma}|{first_word}",
        f"last={words[end - 1]}",
        f"after={after}",
        f"kind_after={kind}|{after}",
        f"before={'<start>' if start == 0 else words[start - 1]}",
        f"side={side}|{tok.dep_}",
        f"gap={min(3, abs((start if side == 'R' else end) - tok.i))}",
        f"quote={quotes}",
        f"kind_quote={kind}|{quotes}",
        f"ends_sent={ends_sent}",
        f"kind_ends_sent={kind}|{ends_sent}",
        f"starts_sent={start <= sent_start}",
        f"has_verb={arrays.count(arrays.verbs, start, end) > 0}",
        f"root={root_pos}|{root_dep}",
        f"kind_root={kind}|{root_pos}",
        f"has_conj={bool(np.any(arrays.conj[start:end] & (arrays.heads[start:end] == root)))}",
        f"has_cue_verb={arrays.count(arrays.cue_verbs, start, end) > 0}",
    ]
    # What the span leaves out right after its end and right before its start: a cut before
    # ", but conceded", ", noting", ", which" is usual; one inside a phrase is not.
    tail = " ".join(words[end : min(end + 2, sent_end)]) or "<end>"
    feats.append(f"tail={tail}")
    feats.append(f"base_tail={base}|{tail}")
    feats.append(f"kind_tail={kind}|{tail}")
    feats.append(f"lemma_tail={lemma}|{tail}")
    outside = next((i for i in range(end, sent_end) if not arrays.is_punct[i]), None)
    if outside is not None:
        cut = f"{arrays.dep[outside]}|{start <= arrays.head_list[outside] < end}"
        feats.append(f"cut_after={cut}")
        feats.append(f"kind_cut_after={kind}|{cut}")
    # What the span keeps to the right of its root: a content rarely runs on into an agent
    # ("by X"), a time adjunct or a second verb ("and counter-accused her").
    for child in doc[root].rights:
        if child.i < end:
            inner = f"{child.dep_}|{child.lower_ if child.dep_ in ('prep', 'cc') else child.pos_}"
            feats.append(f"inner={inner}")
            feats.append(f"base_inner={base}|{inner}")
    # A span that is not one phrase: what hangs, besides its root, on words outside it
    # ("the Koch brothers | from the Senate floor", "himself | from Bush | because ...").
    heads, deps = arrays.head_list, arrays.dep
    tops = 0
    for i in range(start, end):
        if i != root and not start <= heads[i] < end and not arrays.is_punct[i]:
            tops += 1
            extra = f"{deps[i]}|{words[i] if deps[i] in ('prep', 'cc', 'mark') else arrays.pos[i]}"
            feats.append(f"extra={extra}")
            feats.append(f"base_extra={base}|{extra}")
    feats.append(f"tops={min(tops, 3)}")
    feats.append(f"kind_tops={kind}|{min(tops, 3)}")
    clause = _clause_shape(doc[root], start, end)
    feats.append(f"clause={clause}")
    feats.append(f"base_clause={base}|{clause}")
    feats.append(f"lemma_clause={lemma}|{clause}")
    lead = " ".join(words[max(sent_start, start - 2) : start]) or "<start>"
    feats.append(f"lead={lead}")
    feats.append(f"base_lead={base}|{lead}")
    feats.append(f"lemma_base_side={lemma}|{base}|{side}|{bucket}")
    # How sure the cue detector is: a weak cue needs a typical content to be kept.
    cue_bucket = max(-1, min(4, int(cue_value)))
    feats.append(f"cue={cue_bucket}")
    feats.append(f"base_cue={base}|{cue_bucket}")
    return feats


@functools.cache
def _chooser() -> tuple[dict[str, float], float, float]:
    """The content chooser's weights (over candidate features and, prefixed "n:", the cue
    features of the "no content" option), the offset of that option, and the lowest cue score
    the chooser is asked about; trained by training/train_attribution_cues.py."""
    content = _cue_model().get("content") or {}
    if "weights" not in content:
        return {}, 0.0, 0.0
    return content["weights"], float(content["null_offset"]), float(content["cue_threshold"])


@functools.cache
def _sure_verb_score() -> float:
    """The detector score from which a reporting verb of the lexicon is never refused by the
    chooser's "no content" option (tuned on the held-out train texts; infinite when absent)."""
    value = (_cue_model().get("content") or {}).get("sure_verb_score")
    return float("inf") if value is None else float(value)


FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


def _clause_shape(root: Token, start: int, end: int) -> str:
    """Whether a candidate's root has a subject of its own inside the candidate and a finite
    verb (itself or an auxiliary): "subj|fin" is a full clause, "-|-" a bare phrase."""
    fin = root.tag_ in FINITE_TAGS
    subj = False
    for child in root.children:
        if not start <= child.i < end:
            continue
        if child.dep_ in ("nsubj", "nsubjpass", "csubj", "expl"):
            subj = True
        elif child.dep_ in ("aux", "auxpass") and child.tag_ in FINITE_TAGS:
            fin = True
    return f"{'subj' if subj else '-'}|{'fin' if fin else '-'}"


def _speaker_kind(tok: Token) -> str:
    """What the speaker rule finds for a cue: an entity type, a pronoun, a noun, or none."""
    speaker = _speaker_of(tok)
    if speaker is None:
        return "none"
    if speaker.ent_type_:
        return speaker.ent_type_
    if speaker.pos_ == "PRON":
        return f"PRON:{speaker.lower_}" if speaker.lower_ in ("it", "this", "that") else "PRON"
    return speaker.pos_


def null_features(cue_feats: list[str], cue_value: float, tok: Token | None = None) -> list[str]:
    """Features of the "no content" option of a cue: the cue's own features, prefixed, so that
    the chooser can refuse a cue the detector let through (a verb used literally), and what
    kind of speaker the speaker rule finds for it (a cue with no one to say it is rarer), with
    the `context_features` of the cue."""
    bucket = max(-1, min(4, int(cue_value)))
    feats = ["null_bias", f"n:cue={bucket}", *(f"n:{f}" for f in cue_feats)]
    if tok is not None:
        kind = _speaker_kind(tok)
        lemma = tok.lemma_.lower()
        feats += [f"n:spk={kind}", f"n:spk_pos={kind}|{tok.pos_}", f"n:lemma_spk={lemma}|{kind}"]
        feats += [f"n:{f}" for f in context_features(tok, lemma)]
    return feats


def choose_content(
    doc: Doc, tok: Token, cue_value: float, cue_feats: list[str], refuse: bool = True
) -> tuple[int, int] | None:
    """The content candidate of cue `tok` that the chooser scores highest, or None when the
    "no content" option scores higher than every candidate (the cue is taken for a false
    alarm, or for one whose content no candidate covers); without `refuse`, the best
    candidate whatever its score."""
    weights, offset, _ = _chooser()
    best_value = offset + _total(weights, null_features(cue_feats, cue_value, tok))
    if not refuse:
        best_value = float("-inf")
    best: tuple[int, int] | None = None
    for kind, start, end in content_candidates(doc, tok):
        feats = candidate_features(doc, tok, kind, start, end, cue_value)
        value = _total(weights, feats)
        if value > best_value:
            best_value, best = value, (start, end)
    return best


# --- the finder -------------------------------------------------------------------------


def find_attributions(doc: Doc) -> list[Attribution]:
    """Attributions of a parsed doc, in text order, with resolved speakers.

    Finds direct quotes with the cue before, after or between their parts, indirect speech
    headed by a reporting verb or noun, "according to X", and mixed quotes. It does not invent
    a speaker: a quote with no cue nearby and no preceding quote to continue is left out, and
    a speaker phrase no rule resolves keeps `name=None`.
    """
    resolver = SpeakerResolver(doc, doc_text(doc))
    quotes = find_quotes(doc_text(doc))
    found: list[_Found] = []
    used_cues: set[int] = set()
    orphans: list[tuple[int, int]] = []
    for q_start, q_end in quotes:
        item = _direct(doc, q_start, q_end, found)
        if item is not None:
            found.append(item)
            used_cues.add(item.cue_token.i)
        elif _starts_clause(doc_text(doc), q_start):
            orphans.append((q_start, q_end))
    model_cues = _model_cues(doc, quotes)
    if model_cues is None:
        looked_at = range(len(doc))
    else:
        # Only the detector's cues and the lexicon's verbs (for "X wrote:" lines) can be cues.
        lexicon = np.flatnonzero(doc_arrays(doc).is_cue_verb).tolist()
        looked_at = sorted(set(model_cues.values).union(lexicon))
    for i in looked_at:
        if i in used_cues:
            continue
        item = _indirect(doc, doc[i], quotes, model_cues)
        if item is not None and not names_topic_only(doc, item.cue_token, item.content):
            found.append(item)
            # A content on both sides of its cue is two attributions sharing the cue.
            found += [dataclasses.replace(item, content=part, parts=[]) for part in item.parts]
    found.sort(key=lambda f: (f.content[0], f.cue[0]))
    if orphans:
        # Quotes with no cue of their own that continue a mixed or indirect attribution
        # ('Rubio "apologized numerous times," Hannity said. "I think it's time ..."').
        for q_start, q_end in orphans:
            before = [f for f in found if f.content[1] <= q_start]
            item = _continuation(doc, q_start, q_end, before[-1:], any_kind=True)
            if item is not None:
                found.append(item)
        found.sort(key=lambda f: (f.content[0], f.cue[0]))
    result = [_to_model(doc, f, i + 1, resolver, found) for i, f in enumerate(found)]
    forget_doc_text(doc)
    doc.user_data.pop(ARRAYS_KEY, None)
    return result


# Cues whose object after "to"/"on"/"about" is what was put to the speaker, not their words.
_ANSWER_CUES = frozenset(("respond", "reply", "answer", "comment"))
_TOPIC_PREPOSITIONS = frozenset(("to", "on", "about"))


def names_topic_only(doc: Doc, cue: Token, content: tuple[int, int]) -> bool:
    """Whether a content is only the topic the cue was about, so nothing was reported said.

    Finds "did not respond to a request for comment", "declined to comment on the report" and
    "said nothing about the fire": the content is the object of a preposition hanging on an
    answering cue, or on the "nothing" the cue takes. It does not judge contents with a
    clause of their own ("responded that the city was safe").
    """
    span = doc.char_span(*content, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ not in _TOPIC_PREPOSITIONS:
        return False
    holder = root.head.head
    if holder.i == cue.i:
        return cue.lemma_.lower() in _ANSWER_CUES
    return holder.head.i == cue.i and holder.dep_ == "dobj" and holder.lower_ == "nothing"


def _direct(doc: Doc, q_start: int, q_end: int, found: list[_Found]) -> _Found | None:
    text = doc_text(doc)
    inner = text[q_start + 1 : q_end - 1].strip().strip("'").strip()
    if len(inner.split()) < 2 and not inner.endswith((",", ".", "?", "!")):
        return None
    after = _cue_after(doc, q_end)
    before = _cue_before(doc, q_start)
    colon = None
    if before is None:
        # "He told his audience:" closing the previous paragraph, the quote opening this one.
        before = colon = _colon_line_cue(doc, q_start)
    ends_open = inner.endswith((",", "?", "!", "—", "-"))
    cue = None
    if before is not None and (after is None or not ends_open):
        cue = before
    elif after is not None and _starts_clause(text, q_start):
        cue = after
    if cue is None:
        return _continuation(doc, q_start, q_end, found)
    if cue is before and colon is None and _quote_is_fragment(doc, cue, q_start, q_end):
        return None  # a quoted fragment inside a paraphrase: the indirect pass makes it mixed
    speaker_tok = _speaker_of(cue)
    stance = CUE_VERBS.get(cue.lemma_.lower(), "assert")
    cue_span = _cue_span(cue)
    c_start = q_start
    if cue is before:
        # "said that “...”": the complementiser belongs to the content.
        gap = re.search(r"\bthat\b", text[cue_span[1] : q_start])
        if gap:
            c_start = cue_span[1] + gap.start()
    return _Found(
        kind="direct",
        cue=cue_span,
        content=(c_start, q_end),
        cue_token=cue,
        speaker=_speaker_span(speaker_tok, cue) if speaker_tok is not None else None,
        speaker_head=speaker_tok,
        stance="assert" if cue.lemma_ == "quote" else stance,
        negated=_negated(cue),
    )


def _colon_line_cue(doc: Doc, start: int) -> Token | None:
    """The reporting verb of a line that ends with a colon right before the paragraph that
    opens at `start` ("In a speech last July, he said:")."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, start)
    if line_start < 0 or text[line_start:start].strip():
        return None  # `start` does not open a paragraph
    before = text[:line_start].rstrip()
    if not before.endswith(":"):
        return None
    prev_start = before.rfind("\n") + 1
    span = doc.char_span(prev_start, len(before) - 1, alignment_mode="contract")
    if span is None:
        return None
    for tok in reversed(list(span)[-12:]):
        if _is_cue_verb(tok):
            return tok
    return None


def _paragraph_after_colon(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """Character span of the paragraph after a line that ends "..., X wrote:" at cue `tok`:
    the line must end with a colon within a few words of the cue."""
    text = doc_text(doc)
    cue_end = tok.idx + len(tok.text)
    line_end = text.find("\n", cue_end)
    if line_end < 0:
        return None
    rest = text[cue_end:line_end].rstrip()
    if not rest.endswith(":") or len(rest.split()) > 8:
        return None
    nxt = re.search(r"\S[^\n]*", text[line_end:])
    if nxt is None:
        return None
    start, end = line_end + nxt.start(), line_end + nxt.end()
    return start, len(text[:end].rstrip())


def _starts_clause(text: str, q_start: int) -> bool:
    """True when a quote opens a sentence or paragraph (not a fragment inside a clause)."""
    before = text[max(0, q_start - 200) : q_start].rstrip(" \t")
    if not before or before.endswith("\n"):
        return True
    return before[-1] in '.!?:”"’' or before.endswith(("—", "–"))


def _quote_is_fragment(doc: Doc, cue: Token, q_start: int, q_end: int) -> bool:
    """True when the cue's complement runs well beyond the quote ("said it was “a farce” that
    ...") or the quote is part of a clause whose verb lies outside it."""
    content = _clause_content(doc, cue) or _generic_object(doc, cue)
    if content is None:
        return False
    start, end = _trim(doc, *content)
    if end <= start or end <= cue.i:
        # '“A,” he said, “B.”': the clause before the cue is the first part, not a paraphrase.
        return False
    c_start, c_end = _chars(doc, start, end)
    outside = max(0, q_start - c_start) + max(0, c_end - q_end)
    text_outside = doc_text(doc)[c_start:q_start] + doc_text(doc)[q_end:c_end]
    words_outside = [w for w in text_outside.split() if w.strip(",.:;“”\"'") not in ("", "that")]
    return outside > 0 and len(words_outside) >= 2


def _cue_span(cue: Token) -> tuple[int, int]:
    """Character span of a cue: the verb, or "quoted as saying" for that passive."""
    start, end = cue.idx, cue.idx + len(cue.text)
    if cue.lemma_ == "quote":
        for child in cue.children:
            if child.dep_ in ("prep", "advcl", "xcomp") and child.i == cue.i + 1:
                for grand in child.children:
                    if grand.lemma_ == "say":
                        end = grand.idx + len(grand.text)
    return start, end


def _cue_after(doc: Doc, q_end: int) -> Token | None:
    """A reporting verb right after a closing mark, in the same sentence of the paragraph."""
    count = 0
    first = (
        doc.char_span(q_end, len(doc_text(doc)), alignment_mode="expand")
        if q_end < len(doc_text(doc))
        else None
    )
    if first is None:
        return None
    opening: Token | None = None
    for tok in first:
        if tok.idx < q_end:
            continue
        if "\n" in tok.text or tok.text in OPEN_MARKS or tok.text in (".", "!", "?", ";"):
            return None
        if tok.text in STRAIGHT_MARKS:
            return None
        if opening is None and not tok.is_punct:
            opening = tok
        count += 1
        if count > LONG_TAG:
            return None
        if _is_cue_verb(tok):
            if count <= SHORT_TAG or _subject_opens_tag(tok, opening):
                return tok
            return None
    return None


SHORT_TAG = 10  # words between a closing mark and the verb of its tag, whatever they are
LONG_TAG = 30  # words, when all of them but the verb are its subject ("X, co-founder of Y, said")


def _subject_opens_tag(verb: Token, opening: Token | None) -> bool:
    """True when the subject of `verb` is the phrase that opens the tag of a quote, so that
    the words before the verb are the speaker and its apposition."""
    subject = _speaker_of(verb)
    return (
        opening is not None
        and subject is not None
        and subject.i < verb.i
        and subject.left_edge.i <= opening.i
        and subject.right_edge.i >= verb.i - 2
    )


def _cue_before(doc: Doc, q_start: int) -> Token | None:
    """A reporting verb ending just before an opening mark ("X said: “...”")."""
    span = doc.char_span(0, q_start, alignment_mode="contract") if q_start > 0 else None
    toks = list(span[-12:]) if span is not None else []
    gap = 0
    for tok in reversed(toks):
        if "\n" in tok.text:
            return None
        if tok.text in (",", ":", "that", "—") or tok.is_space:
            gap += 1
            if gap > 2:
                return None
            continue
        if _is_cue_verb(tok):
            return tok
        # "said on Tuesday: “...”" — allow a short adverbial modifier after the verb.
        head = tok
        for _ in range(3):
            if head.dep_ not in ("pobj", "prep", "npadvmod", "advmod", "compound", "nummod"):
                return None
            if _is_cue_verb(head.head) and head.head.i < tok.i and tok.i - head.head.i <= 5:
                return head.head
            head = head.head
        return None
    return None


def _continuation(
    doc: Doc, q_start: int, q_end: int, found: list[_Found], any_kind: bool = False
) -> _Found | None:
    """A quote with no cue that follows a direct quote (with `any_kind`, any attribution) of
    the previous or same paragraph."""
    if not found:
        return None
    last = found[-1]
    if (last.kind != "direct" and not any_kind) or q_start - last.content[1] > 400:
        return None
    between = doc_text(doc)[last.content[1] : q_start]
    # The cue between two parts of a paragraph may carry a long apposition ("said Federico
    # de Jesus, a Democratic strategist who was ..."); across paragraphs little may stand.
    limit = 15 if "\n" in between else 40
    if re.search(r"[“\"]|''", between) or len(between.split()) > limit:
        return None
    line_start = doc_text(doc).rfind("\n", 0, q_start) + 1
    if "\n" in between:
        # A quote that makes a paragraph of its own, right after the quoted paragraph.
        if doc_text(doc)[line_start:q_start].strip() or between.count("\n") > 2:
            return None
    elif not (last.content[1] <= last.cue[0] < q_start):
        # Same paragraph: '“A,” he said. “B.”' — B continues A when the cue sits between.
        return None
    return _Found(
        kind="direct",
        cue=last.cue,
        content=(q_start, q_end),
        cue_token=last.cue_token,
        speaker=last.speaker,
        speaker_head=last.speaker_head,
        stance=last.stance,
        negated=last.negated,
    )


@dataclass
class CueScores:
    """The learned detector's scores of the tokens it takes for cue heads, and the per-token
    context its features were built from (for the chooser's "no content" option)."""

    values: dict[int, float]
    threshold: float
    quoted: list[bool]
    sentences: list[tuple[int, bool]]

    def features(self, tok: Token) -> list[str]:
        return cue_features(tok, self.quoted[tok.i], self.sentences[tok.i])


def _model_cues(doc: Doc, quotes: list[tuple[int, int]]) -> CueScores | None:
    """Tokens the learned detector scores at least its threshold (or the lower one at which
    the content chooser takes over), with their scores; None when no model ships."""
    weights, threshold = _cue_weights()
    if not weights:
        return None
    lowest = min(threshold, _chooser()[2]) if _chooser()[0] else threshold
    picked: dict[int, float] = {}
    dense = dense_cue_scores(doc)
    sentences = sentence_info(doc)
    quoted = inside_quotes(doc, quotes)
    for i in _scored_tokens(doc):
        tok = doc[i]
        if not is_cue_candidate(tok):
            continue
        value = cue_score(tok, quoted[tok.i], float(dense[tok.i]), sentences[tok.i])
        if value >= lowest:
            picked[tok.i] = value
    return CueScores(picked, threshold, quoted, sentences)


def _sure_cue(tok: Token) -> bool:
    """A report inside a report ("Bloomberg reported that four sources said the government
    knows ..."): "say" with a noun subject and a clause, in the clause of a reporting verb,
    is a cue whatever the detector's score (it scores such nested speech low)."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() != "say" or tok.dep_ != "ccomp":
        return False
    if not _is_cue_verb(tok.head):
        return False
    kids = list(tok.children)
    return any(c.dep_ == "ccomp" and c.i > tok.i for c in kids) and any(
        c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in kids
    )


def _sure_noun_cue(tok: Token) -> bool:
    """A reporting noun with a possessor and a that-clause ("X's claim that ...") is a cue
    whatever the chooser's "no content" option scores: the that-clause is what was said."""
    if tok.lemma_.lower() not in CUE_NOUNS:
        return False
    kids = list(tok.children)
    return any(c.dep_ == "poss" for c in kids) and any(
        c.dep_ in ("acl", "ccomp") and c.i > tok.i and any(g.lower_ == "that" for g in c.children)
        for c in kids
    )


def _scored_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens the detector scores: those whose "lemma|POS" headed a cue in its
    training texts (all tokens when the model lists none)."""
    lemmas = _cue_lemmas()
    if not lemmas:
        return list(range(len(doc)))
    table = doc.to_array([LEMMA, POS])
    if not len(table):
        return []
    strings = doc.vocab.strings
    pairs, inverse = np.unique(table, axis=0, return_inverse=True)
    keep = np.fromiter(
        (f"{strings[int(lemma)].lower()}|{strings[int(pos)]}" in lemmas for lemma, pos in pairs),
        dtype=bool,
        count=len(pairs),
    )
    return np.flatnonzero(keep[inverse.reshape(-1)]).tolist()


def _indirect(
    doc: Doc, tok: Token, quotes: list[tuple[int, int]], model_cues: CueScores | None
) -> _Found | None:
    learned = model_cues is not None
    if _is_cue_verb(tok) and not _in_quote(tok.idx, quotes):
        # "Wallnau wrote:" ending a line: the next paragraph is what was written.
        paragraph = _paragraph_after_colon(doc, tok)
        if paragraph is not None:
            return _found_span(doc, tok, paragraph, quotes)
    sure = _sure_cue(tok)
    if model_cues is not None and sure and tok.i not in model_cues.values:
        model_cues.values[tok.i] = model_cues.threshold
    if model_cues is not None and tok.i not in model_cues.values:
        return None
    chooser = model_cues is not None and bool(_chooser()[0])
    below = model_cues is not None and model_cues.values[tok.i] < model_cues.threshold
    if below and (not chooser or tok.pos_ not in CHOOSER_POS or tok.lower_ == "according"):
        return None  # under the detector's own threshold only the chooser may take a cue
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        return _according_to(doc, tok)
    if tok.pos_ == "NOUN" and chooser and model_cues is not None:
        value = model_cues.values[tok.i]
        refuse = not _sure_noun_cue(tok)
        content = choose_content(doc, tok, value, model_cues.features(tok), refuse=refuse)
        return None if content is None else _noun_cue(doc, tok, quotes, content)
    if tok.pos_ == "NOUN" and (learned or tok.lemma_.lower() in CUE_NOUNS):
        return _noun_cue(doc, tok, quotes)
    if tok.text == ":" and learned:
        return _colon_cue(doc, tok, quotes)
    if not learned and (not _is_cue_verb(tok) or _in_quote(tok.idx, quotes)):
        return None
    if tok.pos_ not in ("VERB", "AUX", "ADJ", "ADP"):
        return None
    lemma = tok.lemma_.lower()
    if chooser and model_cues is not None:
        # The chooser ranks every candidate, the rule clause among them, against "none".
        value = model_cues.values[tok.i]
        # A reporting verb the detector is sure of has a content even when no candidate
        # looks typical: the best one is more often right than not.
        sure = sure or (tok.pos_ == "VERB" and lemma in CUE_VERBS and value >= _sure_verb_score())
        content = choose_content(doc, tok, value, model_cues.features(tok), refuse=not sure)
    else:
        content = _clause_content(doc, tok)
        if content is None and (learned or lemma not in CLAUSE_ONLY):
            content = _object_content(doc, tok, generic=learned)
    if content is None:
        return None
    start, end = _trim(doc, *content)
    if end <= start:
        return None
    # The bound rules below read a content after its cue only.
    after = start > tok.i
    if after:
        start, end = _trim(doc, start, _speaker_conjunct_cut(doc, tok, start, end))
        start, end = _trim(doc, start, _aside_cut(doc, tok, start, end))
    found = _found_span(doc, tok, _close_quotes(*_chars(doc, start, end), quotes), quotes)
    if after:
        before = _parenthetical_left(doc, tok, start, end) or _judged_subject(tok, start)
        if before is not None:
            found.parts.append(_chars(doc, *before))
    return found


def _speaker_conjunct_cut(doc: Doc, tok: Token, start: int, end: int) -> int:
    """The end of a content after the cue, cut before a right conjunct verb with no subject of
    its own in the cue's own form ("said she had met him twice and questioned why ..."): the
    speaker did that, it is not part of what was said."""
    arrays = doc_arrays(doc)
    root = doc[arrays.root(start, end)]
    for child in root.rights:
        if child.dep_ != "conj" or child.i >= end or child.tag_ != tok.tag_:
            continue
        if child.pos_ != "VERB" or any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children
        ):
            continue
        # Under a verb of the same form the conjunct may share the reported clause's subject
        # ("knew all about it and thought ..."); a verb that never heads a cue is not the
        # speaker's next report ("had begun - but never finished - ...").
        if root.pos_ in ("VERB", "AUX") and (
            root.tag_ == child.tag_ or f"{child.lemma_.lower()}|VERB" not in _cue_lemmas()
        ):
            continue
        cut = child.left_edge.i
        while cut > start and arrays.dep[cut - 1] in ("cc", "punct"):
            cut -= 1
        return cut
    return end


def _judged_subject(tok: Token, start: int) -> tuple[int, int] | None:
    """The subject of "seem" or "appear", or of a passive cue ("is expected to", "is said
    to"), when the content is the cue's complement after it ("The music seemed to match the
    mood", "Trump is expected to win"): PolNeAR annotates what is judged as subject and
    complement, one content in two parts; not a bare "it" ("It seems unfair to ...")."""
    raising = tok.lemma_.lower() in IMPERSONAL_CUES
    complements = ("xcomp", "acomp", "attr", "oprd") if raising else ("xcomp",)
    if not any(c.dep_ in complements and c.left_edge.i == start for c in tok.children):
        return None
    deps = ("nsubj", "nsubjpass") if raising else ("nsubjpass",)
    for child in tok.children:
        if child.dep_ in deps and child.i < tok.i and child.lower_ != "it":
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _aside_cut(doc: Doc, tok: Token, start: int, end: int) -> int:
    """The end of a content after its cue, cut before a trailing aside set off by a comma or
    dash that runs to the content's end: a relative clause (", who shot President Reagan")
    or an indefinite apposition (", a Republican trying to ..."). PolNeAR leaves the writer's
    asides out of what was said."""
    arrays = doc_arrays(doc)
    for i in range(start + 1, end):
        if arrays.word_class[i - 1] not in BREAKS or doc[i].left_edge.i != i:
            continue
        # The largest phrase that opens at i: the aside itself, not its first word.
        head = i
        while arrays.head_list[head] != head and doc[arrays.head_list[head]].left_edge.i == i:
            head = arrays.head_list[head]
        node = doc[head]
        if node.right_edge.i + 1 < end:
            continue
        if node.dep_ == "relcl" or (node.dep_ == "appos" and doc[i].lower_ in ("a", "an")):
            return i - 1
    return end


LEFT_PART_DEPS = frozenset(("cc", "advmod", "mark", "punct", "intj"))


def _parenthetical_left(doc: Doc, tok: Token, start: int, end: int) -> tuple[int, int] | None:
    """The words before a cue clause set off by commas inside its sentence, when they hang on
    the content that follows it ("Riding alone in the park, she said, can be hazardous"):
    PolNeAR annotates both sides as one content."""
    if doc[start - 1].text != ",":
        return None
    subject, _ = _subject(tok)
    left = subject.left_edge.i if subject is not None and subject.i < tok.i else tok.i
    arrays = doc_arrays(doc)
    sent_start = int(arrays.sent_start[tok.i])
    if left - 1 <= sent_start or doc[left - 1].text != ",":
        return None
    first, last = _trim(doc, sent_start, left - 1)
    if last <= first:
        return None
    root = arrays.root(first, last)
    # Not a clause of its own ("Rather than ..., he supported X and, he argued, Y") nor a
    # bare "And" or "And yet".
    if not start <= arrays.head_list[root] < end or arrays.dep[root] in LEFT_PART_DEPS:
        return None
    return first, last


def _found_span(
    doc: Doc, tok: Token, span: tuple[int, int], quotes: list[tuple[int, int]]
) -> _Found:
    """An indirect attribution of cue `tok` with the content at character span `span`."""
    c_start, c_end = span
    lemma = tok.lemma_.lower()
    speaker_tok = _speaker_of(tok)
    kind = _kind(c_start, c_end, quotes)
    return _Found(
        kind=kind,
        cue=_cue_span(tok),
        content=(c_start, c_end),
        cue_token=tok,
        speaker=_speaker_span(speaker_tok, tok) if speaker_tok is not None else None,
        speaker_head=speaker_tok,
        stance=CUE_VERBS.get(lemma, "other"),
        negated=_negated(tok),
    )


def _colon_cue(doc: Doc, tok: Token, quotes: list[tuple[int, int]]) -> _Found | None:
    """ "Trump: ..." — the words before a colon speak the rest of the sentence or line."""
    if tok.i == 0 or tok.i + 1 >= len(doc):
        return None
    before = doc[tok.i - 1]
    head = before
    while head.head.i < tok.i and head.head.i != head.i and head.head.i >= tok.sent.start:
        head = head.head
    end = tok.i + 1
    while end < len(doc) and "\n" not in doc[end].text and end < tok.sent.end:
        end += 1
    start, stop = _trim(doc, tok.i + 1, end)
    if stop <= start or head.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    c_start, c_end = _chars(doc, start, stop)
    return _Found(
        kind=_kind(c_start, c_end, quotes),
        cue=(tok.idx, tok.idx + 1),
        content=(c_start, c_end),
        cue_token=tok,
        speaker=_np_span(head),
        speaker_head=head,
        stance="assert",
    )


def _close_quotes(start: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a content span so that a quotation it opens is taken to its closing mark, and
    one it closes a few characters after its opening mark is taken from that mark."""
    for q_start, q_end in quotes:
        if start <= q_start < end < q_end:
            # A quotation the content opens is taken to its closing mark: annotators do.
            end = q_end
        if q_start < start < q_end <= end and start - q_start <= 3:
            start = q_start
    return start, end


def _in_quote(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in quotes)


def _kind(start: int, end: int, quotes: list[tuple[int, int]]) -> str:
    inside = [(s, e) for s, e in quotes if s < end and e > start]
    if not inside:
        return "indirect"
    covered = sum(min(e, end) - max(s, start) for s, e in inside)
    return "direct" if covered >= 0.9 * (end - start) else "mixed"


def _clause_content(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """Token range of the clause a reporting verb introduces, before or after it."""
    for child in verb.children:
        clausal = child.dep_ == "ccomp" or (
            child.dep_ == "xcomp" and verb.lemma_ in ("claim", "deny")
        )
        if clausal and child.i > verb.i:
            return child.left_edge.i, child.right_edge.i + 1
    # "said in televised remarks that ...": the that-clause of the noun the verb governs.
    for child in verb.children:
        if child.dep_ == "prep" and child.i > verb.i:
            for pobj in child.children:
                if pobj.dep_ != "pobj" or pobj.lemma_.lower() not in CUE_NOUNS:
                    continue
                for clause in pobj.children:
                    if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                        g.dep_ == "mark" and g.lower_ == "that" for g in clause.children
                    ):
                        return clause.left_edge.i, clause.right_edge.i + 1
    # "..., X said." — the reporting verb hangs off the clause it reports.
    if (
        verb.dep_ in ("ccomp", "parataxis")
        and verb.head.i < verb.i
        and verb.lemma_.lower() not in CLAUSE_ONLY
        and not any(c.dep_ in ("dobj", "xcomp", "ccomp") and c.i > verb.i for c in verb.children)
        and verb.left_edge.i > 0
        and doc[verb.left_edge.i - 1].text in (",", "”", '"', "''", "—")
        and not _is_cue_verb(verb.head)
    ):
        head = verb.head
        left = head.left_edge.i
        cut = verb.left_edge.i
        if cut > left:
            return left, cut
    # "..., X said." parsed the other way: the clause is a ccomp to the left of the verb.
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i < verb.i:
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _object_content(doc: Doc, verb: Token, generic: bool = False) -> tuple[int, int] | None:
    """The object of a denial, accusation or warning: "denied the accusations".

    With `generic` (a cue the learned detector found), any verb's object, open complement or
    prepositional object counts ("wants to build", "criticized X for Y", "referring to X").
    """
    lemma = verb.lemma_.lower()
    if generic:
        return _generic_object(doc, verb)
    if CUE_VERBS.get(lemma) not in (
        "deny",
        "accuse",
        "warn",
        "acknowledge",
        "confirm",
        "allege",
        "claim",
    ):
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.i > verb.i:
            end = child.right_edge.i + 1
            for sib in verb.children:
                if sib.dep_ == "prep" and sib.i > child.i and sib.lower_ in ("of", "for"):
                    end = max(end, sib.right_edge.i + 1)
            return child.left_edge.i, end
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "about", "against"):
            return child.left_edge.i, child.right_edge.i + 1
        # "acknowledged receiving a US tip", "denied having met him"
        if child.dep_ in ("xcomp", "pcomp", "ccomp") and child.tag_ == "VBG" and child.i > verb.i:
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _generic_object(doc: Doc, verb: Token) -> tuple[int, int] | None:
    rights = [c for c in verb.children if c.i > verb.i]
    # Everything the verb governs to its right, up to a coordinated clause.
    kept = []
    for child in rights:
        if child.dep_ in ("cc", "conj") or (child.dep_ == "punct" and child.text in ".;"):
            break
        if child.dep_ in ("punct", "prt") and not kept:
            continue
        kept.append(child)
    while kept and kept[-1].dep_ == "punct":
        kept.pop()
    if kept and any(c.dep_ in ("dobj", "xcomp", "attr", "oprd", "dative") for c in kept):
        return kept[0].left_edge.i, kept[-1].right_edge.i + 1
    for dep in ("dobj", "xcomp", "attr", "oprd"):
        child = next((c for c in rights if c.dep_ == dep), None)
        if child is None:
            continue
        end = child.right_edge.i + 1
        if dep == "dobj":
            for sib in rights:
                if sib.dep_ == "prep" and sib.i > child.i and sib.lower_ in ("of", "for", "as"):
                    end = max(end, sib.right_edge.i + 1)
                if sib.dep_ in ("oprd", "xcomp", "ccomp") and sib.i > child.i:
                    end = max(end, sib.right_edge.i + 1)
        start = child.left_edge.i
        if end > start:
            return start, end
    for child in rights:
        if child.dep_ in ("prep", "dative") and child.lower_ not in ("in", "at", "on", "during"):
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return pobj.left_edge.i, pobj.right_edge.i + 1
    if verb.dep_ == "prep" or verb.pos_ == "ADP":
        pobj = next((g for g in verb.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None:
            return pobj.left_edge.i, pobj.right_edge.i + 1
    return None


def _according_to(doc: Doc, tok: Token) -> _Found | None:
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    phrase_start = tok.i
    phrase_end = pobj.right_edge.i + 1
    sent = tok.sent
    parts = []
    if phrase_start - sent.start <= 1:
        start, end = phrase_end, sent.end
    else:
        start, end = sent.start, phrase_start
        if _set_off(doc, phrase_start, phrase_end, sent.end):
            # "Fundraising, according to the campaign, has surged": both sides are the content.
            rest = _trim(doc, phrase_end, sent.end)
            if rest[1] > rest[0]:
                parts.append(_chars(doc, *rest))
    start, end = _trim(doc, start, end)
    if end <= start:
        return None
    return _Found(
        parts=parts,
        kind="according_to",
        cue=(tok.idx, to.idx + len(to.text)),
        content=_chars(doc, start, end),
        cue_token=tok,
        speaker=_speaker_span(pobj),
        speaker_head=pobj,
        stance="report",
    )


def _set_off(doc: Doc, start: int, end: int, sent_end: int) -> bool:
    """True when the phrase [start, end) stands between commas inside its sentence, with
    words on both sides ("X, according to Y, Z")."""
    if start < 1 or end >= sent_end - 1:
        return False
    return doc[start - 1].text == "," and doc[end].text == ","


def _noun_cue(
    doc: Doc,
    tok: Token,
    quotes: list[tuple[int, int]],
    content: tuple[int, int] | None = None,
) -> _Found | None:
    """A noun cue ("X's claim that ...", "criticism of Y"): the content is `content` (a token
    range the chooser picked) or, by rule, a that-clause or the object of a preposition; the
    speaker is the possessor, the agent ("by X"), or the subject of the verb whose object
    the noun is ("X voiced support for Y")."""
    if content is not None:
        return _noun_found(doc, tok, quotes, content)
    clause = next(
        (
            c
            for c in tok.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is None and tok.lemma_.lower() not in CUE_NOUNS:
        # A learned noun cue ("his support for", "criticism of"): its prepositional object.
        prep = next(
            (
                c
                for c in tok.children
                if c.dep_ == "prep" and c.i > tok.i and c.lower_ in ("of", "for", "about", "on")
            ),
            None,
        )
        pobj = None if prep is None else next((g for g in prep.children if g.dep_ == "pobj"), None)
        clause = pobj
    if clause is None:
        return None
    return _noun_found(doc, tok, quotes, (clause.left_edge.i, clause.right_edge.i + 1))


def _noun_found(
    doc: Doc, tok: Token, quotes: list[tuple[int, int]], content: tuple[int, int]
) -> _Found | None:
    """The attribution of noun cue `tok` with the content at token range `content`."""
    speaker = next((c for c in tok.children if c.dep_ == "poss"), None)
    if speaker is None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                speaker = next((g for g in c.children if g.dep_ == "pobj"), None)
    cue_tok = tok
    # "said in televised remarks that ...": the clause belongs to the verb.
    if speaker is None and tok.dep_ == "pobj" and _is_cue_verb(tok.head.head):
        cue_tok = tok.head.head
        speaker = _speaker_of(cue_tok)
    if speaker is None and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        speaker = _speaker_of(tok.head)  # "X voiced support for Y", "X made the claim"
    start, end = _trim(doc, *content)
    if end <= start:
        return None
    c_start, c_end = _close_quotes(*_chars(doc, start, end), quotes)
    stance = (
        CUE_NOUNS.get(tok.lemma_.lower(), "other")
        if cue_tok is tok
        else CUE_VERBS.get(cue_tok.lemma_.lower(), "other")
    )
    return _Found(
        kind=_kind(c_start, c_end, quotes),
        cue=(cue_tok.idx, cue_tok.idx + len(cue_tok.text)),
        content=(c_start, c_end),
        cue_token=cue_tok,
        speaker=_speaker_span(speaker, cue_tok) if speaker is not None else None,
        speaker_head=speaker,
        stance=stance,
        negated=_negated(cue_tok),
    )


def _to_model(
    doc: Doc, item: _Found, number: int, resolver: SpeakerResolver, found: list[_Found]
) -> Attribution:
    text = doc_text(doc)
    speaker = None
    if item.speaker is not None and item.speaker_head is not None:
        head = item.speaker_head
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            head = head.head.head
        name = resolver.resolve(head, item.speaker)
        speaker = Speaker(
            start=item.speaker.start_char,
            end=item.speaker.end_char,
            text=item.speaker.text,
            name=name,
        )
    medium_span = _medium(item.cue_token, resolver) if item.cue_token.pos_ != "ADP" else None
    if medium_span is None:
        medium_span = _outer_medium(item, found)
    if (
        speaker is not None
        and speaker.name is None
        and medium_span is not None
        and item.speaker_head is not None
        and item.speaker_head.lemma_.lower() in SOURCE_NOUNS
    ):
        outlet = resolver.resolve(medium_span.root, medium_span)
        if outlet:
            speaker.name = f"{outlet} sources"
    medium = (
        TextSpan(start=medium_span.start_char, end=medium_span.end_char, text=medium_span.text)
        if medium_span is not None
        else None
    )
    c_start, c_end = item.content
    return Attribution(
        id=f"t{number}",
        doc="",
        kind=item.kind,
        cue=TextSpan(start=item.cue[0], end=item.cue[1], text=text[item.cue[0] : item.cue[1]]),
        content=TextSpan(start=c_start, end=c_end, text=text[c_start:c_end]),
        speaker=speaker,
        medium=medium,
        stance=item.stance,
        negated=item.negated,
    )


def _outer_medium(item: _Found, found: list[_Found]) -> Span | None:
    """The speaker of an enclosing report, when that report comes from a medium."""
    pos = item.cue[0]
    for other in found:
        if other is item or other.speaker is None:
            continue
        if other.content[0] <= pos < other.content[1] and other.stance == "report":
            return other.speaker
        if other.content[0] <= pos < other.content[1] and other.cue_token.lemma_ == "report":
            return other.speaker
    return None


class AttributionComponent:
    """spaCy pipeline component: sets `doc._.attributions` (list of Attribution)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = find_attributions(doc)
        return doc


@Language.factory("parallax_attribution")
def make_attribution_component(nlp: Language, name: str) -> AttributionComponent:
    """Factory of the `parallax_attribution` component (needs parser and NER before it)."""
    return AttributionComponent(nlp, name)
