"""Framing inside one article: how it names actors, which claims it hedges, which media it cites.

Pure functions over a parsed spaCy Doc (made from `Article.masked_text()`, so character
offsets are offsets into `Article.text`):

- `find_descriptors`: appositions, titles before a name, predicate nominals, and labels used
  in place of a name ("The Belarusian dictator"), each tied to a canonical actor name.
- `find_hedges` / `hedge_scope`: evidence markers ("without offering any evidence", "could not
  immediately confirm") and the clause or sentence each one qualifies.
- `find_cited_sources`: media and agencies the article relies on ("told BelTA", "Meduza
  reported", "With inputs from AP"), not counting the outlet itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from parallax.model import CitedSource, Descriptor, Hedge, Span
from parallax.nlp.actors import (
    HONORIFICS,
    ORG_WORDS,
    TITLE_WORDS,
    acronym_definitions,
    canonical_actor_name,
    country_of,
    merge_actor_names,
)
from parallax.nlp.doctext import doc_text

# --- actors mentioned in a doc -------------------------------------------------------------

ACTOR_LABELS = ("PERSON", "ORG")

# Nouns that name a role and so can stand in for a person's name ("the Belarusian dictator").
ROLE_NOUNS = frozenset(
    "president leader dictator strongman autocrat despot tyrant ruler head chief minister "
    "premier chancellor secretary spokesman spokeswoman spokesperson ally critic opponent rival "
    "king queen monarch prince emir general commander ambassador envoy governor mayor senator "
    "nominee candidate incumbent frontrunner front-runner tycoon billionaire oligarch mogul "
    "magnate businessman director chairman chairwoman founder warlord kingpin".split()
)

# Appositive heads that describe an organisation, not the person they follow.
ORG_HEAD_NOUNS = frozenset(
    "agency service services body organisation organization committee council group party "
    "ministry department company firm network militia movement outlet bureau authority".split()
)

_SUBJECT_DEPS = ("nsubj", "nsubjpass")

# Modifiers that make a different role: a "vice president" is not the president.
_DISTINGUISHING = frozenset(
    "vice deputy former ex acting assistant co late then lieutenant".split()
)

# Abbreviated titles, spelled out so "Gov. McAuliffe" matches "the governor".
_TITLE_ABBREVIATIONS = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "lt": "lieutenant",
    "pres": "president",
    "sec": "secretary",
    "amb": "ambassador",
    "adm": "admiral",
    "col": "colonel",
    "capt": "captain",
}

_SPEECH_VERBS = frozenset("say tell add argue claim insist note write urge call ask".split())


def _mention_spans(doc: Doc) -> list[SpacySpan]:
    """PERSON and ORG entities, widened left over capitalised name parts the NER left out."""
    spans = []
    # The NER tags a surname "GPE" or "ORG" now and then; a person's surname stays a person.
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    for ent in doc.ents:
        label = ent.label_
        if (
            label in ("GPE", "ORG", "NORP")
            and ent[-1].text in surnames
            and not any(t.lower_ in ORG_WORDS for t in ent)
        ):
            label = "PERSON"
        if label not in ACTOR_LABELS or any(t.is_space or "\n" in t.text for t in ent):
            continue
        start = ent.start
        while (
            start > 0
            and doc[start - 1].tag_ == "NNP"
            and doc[start - 1].dep_ == "compound"
            and doc[start - 1].head.i in range(ent.start, ent.end)
            and doc[start - 1].lower_.rstrip(".") not in TITLE_WORDS | HONORIFICS
            and country_of(doc[start - 1].text) is None
        ):
            start -= 1
        # An entity that ends with a role noun ("Putin Ally") is a label, not a name.
        if doc[ent.end - 1].lower_ in ROLE_NOUNS:
            continue
        spans.append(SpacySpan(doc, start, ent.end, label=label))
    return spans


def _actor_names(doc: Doc, actors: Sequence[str] | None) -> tuple[list[SpacySpan], dict]:
    """Mentions of actors in the doc and a map from each mention's text to its actor name."""
    mentions = _mention_spans(doc)
    surface = [m.text for m in mentions]
    known = list(actors or [])
    merged = merge_actor_names(known + surface, acronyms=acronym_definitions(doc_text(doc)))
    # Prefer the caller's spelling of an actor when a mention merges with it.
    by_target = {merged[a]: a for a in known if a in merged}
    names = {s: by_target.get(merged[s], merged[s]) for s in surface}
    return mentions, names


def _mention_at(mentions: list[SpacySpan], token: Token) -> SpacySpan | None:
    for m in mentions:
        if m.start <= token.i < m.end:
            return m
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading/trailing punctuation and spaces."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _phrase(token: Token) -> tuple[int, int]:
    """The token's subtree as a token range, cut at the first comma, dash or bracket after it."""
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    for i in range(token.i + 1, end):
        if _separator(doc, i, {",", ";", "(", "—", "–", ":"}):
            end = i
            break
    for i in range(token.i - 1, start - 1, -1):
        if _separator(doc, i, {",", ";", ")", "—", "–", ":"}):
            start = i + 1
            break
    return _trim(doc, start, end)


def _separator(doc: Doc, i: int, marks: set[str]) -> bool:
    """A token that ends a phrase: a listed mark, a line break, or a spaced hyphen ("a - b")."""
    tok = doc[i]
    spaced_dash = tok.text == "-" and i > 0 and bool(doc[i - 1].whitespace_)
    return tok.text in marks or tok.is_space or spaced_dash


def _descriptive(doc: Doc, head: Token, start: int, end: int) -> bool:
    """Whether a phrase can describe one actor: singular, no count, no finite verb, no name."""
    if head.tag_ not in ("NN", "NNP") or any(c.dep_ == "nummod" for c in head.children):
        return False
    # "a co-founder" split by the tokenizer leaves "co" as a head.
    if len(head.text) < 3 and head.lower_ not in ROLE_NOUNS:
        return False
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[start:end]):
        return False
    # "former governor L. Douglas Wilder": a name after the head makes it a title, not a phrase.
    return not (head.i + 1 < end and doc[head.i + 1].ent_type_ == "PERSON")


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int, str]:
    span = doc[start:end]
    return span.start_char, span.end_char, span.text


def _is_common_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" or (token.lower_ in ROLE_NOUNS and token.pos_ == "PROPN")


# --- descriptors -----------------------------------------------------------------------------


def _appositions(doc: Doc, mentions: list[SpacySpan]) -> list[tuple[int, int, SpacySpan]]:
    """(start, end, mention) of appositive phrases: "Lukashenko, a close ally of Putin"."""
    found = []
    for m in mentions:
        for tok in m:
            for child in tok.children:
                if child.dep_ != "appos" or child.i < m.end or not _is_common_noun(child):
                    continue
                start, end = _phrase(child)
                target = m
                # "Bortnikov, the head of the FSB, Russia's security agency": the agency is FSB.
                if child.lemma_.lower() in ORG_HEAD_NOUNS and m.label_ == "PERSON":
                    before = [o for o in mentions if o.label_ == "ORG" and o.end == start - 1]
                    if not before:
                        continue
                    target = before[0]
                between = doc[target.end : start]
                if any(t.text not in {",", "—", "–", "("} for t in between) or not between:
                    continue
                if not _descriptive(doc, child, start, end):
                    continue
                # The phrase must close where it ends: punctuation or the end of the sentence.
                if end < child.sent.end and not doc[end].is_punct and not doc[end].is_space:
                    continue
                found.append((start, end, target))
        # Reverse order: "the head of the FSB, Alexander Bortnikov" / "Their father Isroil Islomov".
        root = m.root
        if root.dep_ == "appos" and root.head.i < m.start and _is_common_noun(root.head):
            start, end = _phrase(root.head)
            end = min(end, m.start)
            start, end = _trim(doc, start, end)
            between = doc[end : m.start]
            if (
                start < end
                and root.head.i < end
                and all(t.text in {",", "—", "–"} for t in between)
                and _descriptive(doc, root.head, start, end)
            ):
                found.append((start, end, m))
    return found


def _premodifiers(doc: Doc, mentions: list[SpacySpan]) -> list[tuple[int, int, SpacySpan]]:
    """(start, end, mention) of titles before a person's name: "Belarus President" Lukashenko."""
    found = []
    for m in mentions:
        if m.label_ != "PERSON":
            continue
        # Title words the NER swallowed into the entity ("President Vladimir Putin").
        name = canonical_actor_name(m.text).split()
        first = m.start
        while first < m.end and doc[first].text != name[0]:
            first += 1
        if first == m.end:
            first = m.start
        start = first
        inside = set(range(m.start, m.end))
        while start > 0:
            prev = doc[start - 1]
            attached = prev.head.i in inside or prev.head.i in range(start, first)
            modifier = prev.dep_ in ("compound", "amod", "nmod", "poss", "case", "npadvmod")
            hyphen = prev.text in {"-", "–"} and start >= 2
            if not ((modifier and attached) or hyphen):
                break
            start -= 1
        start, end = _trim(doc, start, first)
        words = [t for t in doc[start:end] if t.lower_.rstrip(".") not in HONORIFICS]
        has_role = any(
            t.lower_.rstrip(".") in ROLE_NOUNS | TITLE_WORDS or t.pos_ == "NOUN" for t in words
        )
        # One bare lowercase noun that is no title ("and cement McAuliffe's legacy") is a misparse.
        lone_noun = (
            len(words) == 1
            and words[0].text.islower()
            and words[0].lower_ not in ROLE_NOUNS | TITLE_WORDS
        )
        if start < end and words and has_role and not lone_noun:
            start = words[0].i
            found.append((start, end, m))
    return found


def _predicates(doc: Doc, mentions: list[SpacySpan]) -> list[tuple[int, int, SpacySpan]]:
    """(start, end, mention) of predicate nominals: "Patrushev is the secretary of ..."."""
    found = []
    for tok in doc:
        if tok.dep_ != "attr" or not _is_common_noun(tok):
            continue
        start, end = _phrase(tok)
        if not _descriptive(doc, tok, start, end):
            continue
        verb = tok.head
        if verb.lemma_ not in ("be", "become", "remain"):
            continue
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if not subjects:
            continue
        subject = subjects[0]
        # "Either Clinton or Trump will be president" names no one in particular.
        if any(c.dep_ in ("conj", "cc", "preconj") for c in subject.children):
            continue
        if subject.lower_ in ("who", "that") and verb.dep_ == "relcl":
            subject = verb.head
        m = _mention_at(mentions, subject)
        if m is None:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        # "if Trump were a woman": a condition, not a description.
        if (
            verb.lower_ == "were"
            and subject.tag_ != "NNS"
            or any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in verb.children
            )
        ):
            continue
        found.append((start, end, m))
    return found


def _label_head(doc: Doc, tok: Token, headline: range) -> bool:
    """Whether a role noun is used in place of a name: definite, singular, not beside a name."""
    if tok.lower_ not in ROLE_NOUNS or tok.tag_ not in ("NN", "NNP"):
        return False
    if tok.i in headline:
        # Headlines parse badly: a capitalised role not followed by a name is taken as a label.
        following = tok.i + 1
        return tok.text[:1].isupper() and not (
            following in headline and doc[following].tag_ == "NNP"
        )
    if tok.dep_ in ("attr", "compound", "appos", "conj", "oprd", "npadvmod"):
        return False
    # "appoint him as the first black senator" is a predicate, not a name.
    if tok.dep_ == "pobj" and tok.head.lower_ == "as":
        return False
    # A name right after the role ("president Putin" parsed with the role as head) is no label.
    if any(
        c.dep_ == "appos" or (c.dep_ == "compound" and c.ent_type_ == "PERSON" and c.i > tok.i)
        for c in tok.children
    ):
        return False
    if tok.ent_type_ == "PERSON" and doc[tok.i - 1].ent_type_ == "PERSON" and tok.i not in headline:
        return False
    definite = any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in tok.children
    )
    return definite or (tok.i in headline and tok.text[:1].isupper())


def _headline_tokens(doc: Doc) -> range:
    """Token indices of a headline: a first line of news without closing punctuation."""
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        first_line = text.split("\n")[0].strip()
        if first_line and first_line[-1] not in '.!?"”’' and len(first_line.split()) <= 20:
            begin = sent.start
            while begin < sent.end and doc[begin].is_space:
                begin += 1
            end = begin
            while end < sent.end and "\n" not in doc[end].text:
                end += 1
            return range(begin, end)
        return range(0)
    return range(0)


def _content_words(doc: Doc, start: int, end: int, skip: int) -> set[str]:
    """Lower-cased modifiers of a label (its head excluded), countries normalised."""
    words = set()
    for t in doc[start:end]:
        if t.i == skip or t.is_punct or t.is_stop or t.pos_ in ("DET", "ADP", "PART"):
            continue
        low = t.lower_.rstrip(".")
        words.add((country_of(t.text) or _TITLE_ABBREVIATIONS.get(low) or t.lemma_).lower())
    return words


def _countries(text_words: Iterable[str]) -> set[str]:
    return {c for w in text_words if (c := country_of(w))}


def _salience(doc: Doc, mentions: list[SpacySpan], names: dict, headline: range) -> Counter:
    """How central each person is: one per mention, more as subject or in the headline/lead."""
    score: Counter = Counter()
    sents = [s for s in doc.sents if s.text.strip()]
    lead = (
        range(sents[0].start, sents[1].end if len(sents) > 1 else sents[0].end)
        if sents
        else range(0)
    )
    for m in mentions:
        if m.label_ != "PERSON":
            continue
        name = names[m.text]
        score[name] += 1
        if m.root.dep_ in _SUBJECT_DEPS:
            score[name] += 1
        if m.start in headline or m.start in lead:
            score[name] += 2
    return score


def _local_subject(label: Token) -> Token | None:
    """The subject of the clause a label sits in, when that is not the label itself.

    A name cannot be re-described by a label in its own clause ("Scott asked the crowd to
    welcome the governor" is not about Scott), so this person is ruled out as the referent.
    """
    tok = label
    while tok.head.i != tok.i:
        if tok.dep_ in ("ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "nsubj"):
            return None
        head = tok.head
        if head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in head.children if c.dep_ in _SUBJECT_DEPS]
            if subjects:
                return subjects[0] if subjects[0].i != tok.i else None
        tok = head
    return None


def _last_sentence_before(doc: Doc, start: int) -> SpacySpan | None:
    """The last sentence ending at or before token `start` that holds more than whitespace."""
    found = None
    for sent in doc.sents:
        # Sentences come in order: none after this one ends before `start`.
        if sent.end > start:
            break
        if sent.text.strip():
            found = sent
    return found


def _link_label(
    doc: Doc,
    head: Token,
    span: tuple[int, int],
    described: dict[str, list[tuple[str, set[str]]]],
    mentions: list[SpacySpan],
    names: dict,
    salience: Counter,
) -> str | None:
    """The actor a role label stands for, or None when the rules do not agree on one."""
    start, end = span
    role = head.lower_
    modifiers = _content_words(doc, start, end, head.i)
    label_countries = _countries(modifiers)
    actor_countries = {
        actor: _countries(w for _, words in items for w in words)
        for actor, items in described.items()
    }
    # 1. An actor already described with this role and these modifiers ("Putin Ally").
    matches = {
        actor
        for actor, items in described.items()
        for text_role, words in items
        if role == text_role or role in words
        if modifiers <= words | {text_role}
        and (words & _DISTINGUISHING) == (modifiers & _DISTINGUISHING)
    }
    if len(matches) == 1:
        return matches.pop()
    # 2. The only actor of the label's nationality ("the Belarusian dictator").
    if label_countries:
        same = {a for a, c in actor_countries.items() if c & label_countries}
        if len(same) == 1:
            return same.pop()

    def consistent(actor: str) -> bool:
        known = actor_countries.get(actor, set())
        return not (label_countries and known and not known & label_countries)

    # 3a. The one person named earlier in the same sentence.
    sent = head.sent
    # A speaker whose reported words hold the label is talking about someone else.
    speakers = {
        c.i
        for anc in head.ancestors
        if anc.lemma_ in _SPEECH_VERBS
        for c in anc.children
        if c.dep_ in _SUBJECT_DEPS
    }
    local = _local_subject(head)
    if local is not None:
        speakers.add(local.i)
    earlier = {
        names[m.text]
        for m in mentions
        if m.label_ == "PERSON" and sent.start <= m.start < start and m.root.i not in speakers
    }
    # By surname too: the NER does not always tag the excluded subject as a person.
    excluded_words = {doc[i].text for i in speakers}
    ruled_out = {n for n in names.values() if n.split() and n.split()[-1] in excluded_words}
    if len(earlier) == 1:
        actor = earlier.pop()
        return actor if consistent(actor) else None
    if earlier:
        return None
    # 3b. The subject of the previous sentence, when it is also the article's central person.
    previous = _last_sentence_before(doc, sent.start)
    if previous is None or not salience:
        return None
    subjects = [
        names[m.text]
        for m in mentions
        if m.label_ == "PERSON"
        and previous.start <= m.start < previous.end
        and m.root.dep_ in _SUBJECT_DEPS
        and m.root.head.dep_ == "ROOT"
        # "Petrova and Sokolov met": a shared subject does not single anyone out.
        and not any(c.dep_ == "conj" for c in m.root.children)
    ]
    top, top_score = salience.most_common(1)[0]
    runner_up = salience.most_common(2)[1][1] if len(salience) > 1 else 0
    if (
        subjects
        and subjects[0] == top
        and top_score > runner_up
        and consistent(top)
        and top not in ruled_out
    ):
        return top
    return None


def _outside_headline(doc: Doc, headline: range) -> str:
    """The doc's text with its headline cut out (all of it when there is no headline)."""
    text = doc_text(doc)
    if not headline:
        return text
    head_start = doc[headline.start].idx
    head_end = doc[headline.stop - 1].idx + len(doc[headline.stop - 1])
    return text[:head_start] + " " + text[head_end:]


def find_descriptors(doc: Doc, actors: list[str] | None = None) -> list[Descriptor]:
    """Phrases the article uses to name an actor, each with the actor's canonical name.

    Finds appositions ("Lukashenko, a close ally of Putin"), titles before a name ("Belarus
    President" Alexander Lukashenko), predicate nominals ("Patrushev is the secretary of ...")
    and definite role labels used in place of a name ("The Belarusian dictator", "Putin Ally"
    in a headline). `actors`, when given, are canonical names known across the story: a
    mention that merges with one of them is reported under that spelling.

    A label is tied to an actor only when one rule singles it out: an actor already described
    with the same role and modifiers, the only actor of the label's nationality, the only
    person named earlier in the same sentence, or the previous sentence's subject when that is
    also the article's central person. Otherwise the label is left out rather than guessed.
    """
    mentions, names = _actor_names(doc, actors)
    headline = _headline_tokens(doc)
    # Title case makes the NER take headline words for names ("Minister Blames Sabotage"); a
    # real actor of the article is named again in its body.
    body = _outside_headline(doc, headline)
    mentions = [m for m in mentions if m.start not in headline or m.text in body]
    found: dict[tuple[int, int], Descriptor] = {}
    described: dict[str, list[tuple[str, set[str]]]] = {}

    def add(start: int, end: int, actor: str, head: Token | None = None) -> None:
        start, end = _trim(doc, start, end)
        if start >= end:
            return
        s, e, text = _char_span(doc, start, end)
        if (s, e) in found:
            return
        found[(s, e)] = Descriptor(start=s, end=e, text=text, actor=actor)
        root = head or doc[start:end].root
        described.setdefault(actor, []).append(
            (
                _TITLE_ABBREVIATIONS.get(root.lower_.rstrip("."), root.lower_),
                _content_words(doc, start, end, root.i),
            )
        )

    for start, end, m in (
        _appositions(doc, mentions) + _premodifiers(doc, mentions) + _predicates(doc, mentions)
    ):
        add(start, end, names[m.text])

    taken = {i for s, e in ((d.start, d.end) for d in found.values()) for i in range(s, e)}
    salience = _salience(doc, mentions, names, headline)
    for tok in doc:
        if tok.idx in taken or not _label_head(doc, tok, headline):
            continue
        if tok.i in headline:
            # Headline labels have no determiner: the capitalised words just before the role.
            start = tok.i
            while (
                start > headline.start
                and doc[start - 1].tag_ in ("NNP", "JJ")
                and (doc[start - 1].lower_ not in ("says", "say", "said"))
            ):
                start -= 1
            end = tok.i + 1
        else:
            start, end = _phrase(tok)
            # Keep the label itself, not the clause hanging off it.
            end = min(
                end,
                max(
                    [tok.i + 1]
                    + [
                        c.right_edge.i + 1
                        for c in tok.rights
                        if c.dep_ == "prep" and c.lower_ == "of"
                    ]
                ),
            )
            end = max(end, tok.i + 1)
        actor = _link_label(doc, tok, (start, end), described, mentions, names, salience)
        if actor is not None:
            add(start, end, actor, head=tok)
    return sorted(found.values(), key=lambda d: d.start)


# --- hedges ----------------------------------------------------------------------------------

_EVIDENCE = r"(?:evidence|proof|details?|specifics|substantiation)"
_CLAIM_NOUNS = (
    r"(?:claims?|allegations?|accusations?|assertions?|charges?|reports?|accounts?|"
    r"suggestions?|narratives?|version|statements?|theory|theories)"
)
_DETERMINER = r"(?:(?:the|these|those|this|such|all|any|his|her|their|its|[A-Z][\w.]*['’]s)\s+)?"

HEDGE_PATTERNS: list[tuple[str, str]] = [
    (
        r"\bwithout\s+(?:(?:offering|giving|providing|presenting|citing|producing|showing|"
        r"supplying|sharing)\s+)?(?:(?:any|further|concrete|supporting|specific|hard|"
        r"additional|more)\s+)*" + _EVIDENCE + r"\b",
        "no_evidence",
    ),
    (
        r"\bwithout\s+(?:detailing|specifying|elaborating|explaining|substantiating)\b",
        "no_evidence",
    ),
    (
        r"\b(?:offer(?:ed|s)?|g[ai]ve[ns]?|provid(?:ed|es?)|present(?:ed|s)?|cit(?:ed|es?)|"
        r"produc(?:ed|es?)|show(?:ed|n|s)?)\s+no\s+(?:evidence|proof)\b",
        "no_evidence",
    ),
    (
        r"\b(?:did|does|do|has|have|had)\s+not\s+(?:offer|give|provide|present|cite|produce|"
        r"show|supply|given|provided|offered|presented|produced|shown)\s+(?:any\s+)?"
        r"(?:evidence|proof)\b",
        "no_evidence",
    ),
    (
        r"\bno\s+(?:(?:hard|concrete|credible|direct|public|such)\s+)?(?:evidence|proof)\b",
        "no_evidence",
    ),
    (
        r"\b(?:unproven|unsubstantiated|unsupported|evidence-free)(?:\s+" + _CLAIM_NOUNS + r")?\b",
        "no_evidence",
    ),
    (
        r"\b(?:could|can|did|was|were|has|have|had)\s*(?:not|n['’]t)\s+(?:be\s+|been\s+)?"
        r"(?:immediately\s+|independently\s+)*(?:confirm(?:ed)?|verif(?:y|ied)|"
        r"corroborat(?:e|ed))\b",
        "unconfirmed",
    ),
    (
        r"\bcannot\s+(?:be\s+)?(?:immediately\s+|independently\s+)*(?:confirm|verif)\w*",
        "unconfirmed",
    ),
    (r"\bnot\s+(?:been\s+)?independently\s+(?:verified|confirmed)\b", "unconfirmed"),
    (r"\bno\s+independent\s+(?:confirmation|verification)\b", "unconfirmed"),
    (r"\b(?:unverified|unconfirmed)\b", "unconfirmed"),
    (r"\b(?:reportedly|allegedly|purportedly|supposedly)\b", "unconfirmed"),
    (r"\b(?:alleged|purported)\b", "unconfirmed"),
    (
        r"\bit\s+(?:was|is|remains|remained)\s+(?:not\s+|un)(?:immediately\s+)?clear\b",
        "unconfirmed",
    ),
    (
        r"\b(?:contradict(?:s|ed|ing)?|disput(?:e|es|ed|ing)|contest(?:s|ed|ing)?|"
        r"cast(?:s|ing)?\s+doubt\s+on|debunk(?:s|ed|ing)?)\s+"
        + _DETERMINER
        + r"(?:[\w-]+\s+){0,2}?"
        + _CLAIM_NOUNS
        + r"\b",
        "disputed",
    ),
    (
        r"\b(?:false|baseless|unfounded|bogus|debunked|discredited|disputed|contested|dubious|"
        r"spurious)\s+" + _CLAIM_NOUNS + r"\b",
        "disputed",
    ),
    (
        r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
        r"rebuff(?:s|ed|ing)?|repudiat(?:e|es|ed|ing))\s+"
        + _DETERMINER
        + r"(?:[\w-]+\s+){0,2}?(?:claims?|allegations?|accusations?|charges?|reports?|"
        r"suggestions?|assertions?|involvement|wrongdoing)\b",
        "rejected",
    ),
    (r"\b(?:(?:vehement|strong|repeated|flat|categorical)\s+)?denials?\s+of\s+[\w-]+", "rejected"),
    (
        r"\bdismiss(?:es|ed|ing)?\s+(?:[\w'’-]+\s+){0,3}?as\s+(?:baseless|nonsense|absurd|false|"
        r"fake|propaganda|lies|a\s+lie|fabricat\w+|groundless)\b",
        "rejected",
    ),
]
_HEDGE_RES = [(re.compile(p, re.IGNORECASE), kind) for p, kind in HEDGE_PATTERNS]


def find_hedges(doc: Doc) -> list[Hedge]:
    """Evidence markers that qualify a claim, each with its kind.

    Kinds: no_evidence ("without offering any evidence", "unproven claim", "no evidence of"),
    unconfirmed ("could not immediately confirm", "reportedly", "alleged"), disputed
    ("contradict claims", "false claims"), rejected ("has rejected allegations", "denials of
    involvement"). Fixed phrases only: a bare reporting verb ("alleged that", "denied that") is
    a stance of the attribution, not a hedge, and is left to the attribution stage. Overlapping
    matches keep the longest.
    """
    text = doc_text(doc)
    raw = []
    for pattern, kind in _HEDGE_RES:
        for match in pattern.finditer(text):
            raw.append((match.start(), match.end(), kind))
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    hedges: list[Hedge] = []
    last_end = -1
    for start, end, kind in raw:
        if start < last_end:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        # "alleged" as a verb is an attribution cue, not a hedge.
        if (
            span.text.lower() in ("alleged", "purported")
            and span[0].pos_ == "VERB"
            and (span[0].dep_ not in ("amod",))
        ):
            continue
        hedges.append(Hedge(start=start, end=end, text=text[start:end], kind=kind))
        last_end = end
    return hedges


# Nouns that point back to something said before ("could not confirm the report").
_ANAPHORIC_NOUNS = frozenset(
    "report reports claim claims allegation allegations accusation accusations account accounts "
    "statement statements charge charges "
    "it this that them these those information footage video videos".split()
)
_COPY_CUES = frozenset("report say tell claim allege state write quote".split())
# Verbs whose act a "without evidence" adverbial qualifies.
_HEDGED_ACTS = frozenset(
    "say tell claim allege accuse blame link insist suggest argue assert state charge "
    "follow announce declare".split()
)


def _clause(token: Token) -> Token:
    """The verb heading the clause a token sits in."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def _antecedent(doc: Doc, sent: SpacySpan, noun: Token) -> tuple[int, int]:
    """Sentences an anaphoric object points back to: from the last one with a matching cue."""
    prev = [s for s in doc.sents if s.end <= sent.start and s.text.strip()][-3:]
    if not prev:
        return sent.start_char, sent.end_char
    stem = noun.lemma_.lower()[:5]
    # First the sentence that uses the same word ("reported" for "the report").
    for s in reversed(prev):
        if any(t.lemma_.lower()[:5] == stem for t in s):
            return s.start_char, prev[-1].end_char
    if stem in ("repor", "claim", "state", "alleg", "accus"):
        for s in reversed(prev):
            if any(t.lemma_ in _COPY_CUES for t in s):
                return s.start_char, prev[-1].end_char
    return prev[-1].start_char, prev[-1].end_char


def hedge_scope(doc: Doc, hedge: Hedge) -> tuple[int, int]:
    """The character span of what a hedge qualifies.

    A modifier of a noun ("unproven claim", "alleged plot") qualifies that noun phrase; a verb
    of doubt or denial ("could not confirm the report", "rejected allegations that ...")
    qualifies its object, or the earlier sentences its object points back to ("the report");
    an adverbial ("without offering any evidence", "reportedly") qualifies the clause of the
    verb it attaches to, which for a reporting verb is the whole attribution sentence. When the
    parse gives no better answer the hedge's sentence is returned.
    """
    span = doc.char_span(hedge.start, hedge.end, alignment_mode="expand")
    if span is None:
        return hedge.start, hedge.end
    sent = span[0].sent
    whole = (sent.start_char, sent.end_char)
    inside = set(range(span.start, span.end))
    roots = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    root = roots[0] if roots else span.root

    # Adjectival hedges: the noun they modify ("his unproven claim").
    if root.dep_ == "amod" or (root.pos_ == "ADJ" and root.head.pos_ == "NOUN"):
        noun = root.head
        return noun.left_edge.idx, noun.right_edge.idx + len(noun.right_edge)
    # "false claims", "unproven claim": the claim noun's own phrase.
    if root.pos_ == "NOUN" and root.i == span[-1].i and root.lower_ in _ANAPHORIC_NOUNS:
        return root.left_edge.idx, root.right_edge.idx + len(root.right_edge)

    # Verbs of doubt or denial: their object, or what the object points back to.
    verbs = [
        t
        for t in span
        if t.pos_ in ("VERB", "AUX") and t.lemma_ not in ("be", "have", "do", "can", "could")
    ]
    if verbs and not span[0].lower_.startswith("without"):
        verb = verbs[-1]
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not objects and verb.dep_ in ("xcomp", "ccomp"):
            objects = [c for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass")]
        if objects:
            obj = objects[0]
            has_content = any(c.dep_ in ("acl", "relcl", "ccomp", "prep") for c in obj.children)
            after = obj.right_edge.i + 1
            if not has_content and after < len(doc) and doc[after].lower_ == "that":
                # "rejected allegations that it was involved": the parser hangs the content
                # clause on the verb; it still belongs to the noun.
                clause = doc[after].head
                return obj.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
            if (
                obj.lower_ in _ANAPHORIC_NOUNS or obj.lemma_.lower() in _ANAPHORIC_NOUNS
            ) and not has_content:
                return _antecedent(doc, sent, obj)
            return obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)

    # Adverbials: the clause of the verb they attach to (the sentence for a main verb).
    verb = _clause(root.head if root.head.i not in inside else root)
    if span[0].lower_ == "without":
        # "without offering evidence" qualifies the act of saying or accusing, wherever the
        # parser hung it: climb to the nearest reporting verb above, if any.
        for anc in [verb, *verb.ancestors]:
            if anc.lemma_ in _HEDGED_ACTS:
                verb = anc
                break
        else:
            while verb.dep_ in ("pcomp", "xcomp") and verb.head.i != verb.i:
                verb = _clause(verb.head)
    if verb.dep_ == "ROOT" or verb.head.i == verb.i:
        return whole
    return verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)


# --- cited sources ---------------------------------------------------------------------------

# Well-known media and agencies: lower-cased variants -> the name they are listed under.
KNOWN_MEDIA: dict[str, str] = {
    "belta": "BelTA",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "reuters": "Reuters",
    "bloomberg": "Bloomberg News",
    "bloomberg news": "Bloomberg News",
    "tass": "TASS",
    "itar-tass": "TASS",
    "ria novosti": "RIA Novosti",
    "ria": "RIA Novosti",
    "interfax": "Interfax",
    "xinhua": "Xinhua",
    "meduza": "Meduza",
    "novaya gazeta": "Novaya Gazeta",
    "novaya gazeta europe": "Novaya Gazeta Europe",
    "bbc": "BBC",
    "cnn": "CNN",
    "al jazeera": "Al Jazeera",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "irna": "IRNA",
    "ani": "ANI",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ians": "IANS",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "ukrinform": "Ukrinform",
    "unian": "UNIAN",
    "kommersant": "Kommersant",
    "izvestia": "Izvestia",
    "vedomosti": "Vedomosti",
    "rbc": "RBC",
    "rt": "RT",
    "sputnik": "Sputnik",
    "new york times": "The New York Times",
    "washington post": "The Washington Post",
    "wall street journal": "The Wall Street Journal",
    "financial times": "Financial Times",
    "guardian": "The Guardian",
    "telegraph": "The Telegraph",
    "times": "The Times",
    "politico": "Politico",
    "axios": "Axios",
    "fox news": "Fox News",
    "nbc news": "NBC News",
    "nbc": "NBC News",
    "cbs news": "CBS News",
    "cbs": "CBS News",
    "abc news": "ABC News",
    "msnbc": "MSNBC",
    "npr": "NPR",
    "cnbc": "CNBC",
    "breitbart": "Breitbart",
    "the hill": "The Hill",
    "buzzfeed news": "BuzzFeed News",
    "the atlantic": "The Atlantic",
    "economist": "The Economist",
    "le monde": "Le Monde",
    "der spiegel": "Der Spiegel",
    "spiegel": "Der Spiegel",
    "bild": "Bild",
    "haaretz": "Haaretz",
    "times of israel": "The Times of Israel",
    "wafa": "WAFA",
    "sana": "SANA",
    "tasnim": "Tasnim",
    "fars": "Fars",
    "isna": "ISNA",
    "kcna": "KCNA",
}

# Words that make a noun phrase a medium ("the AFP news agency", "Russian media").
MEDIA_HEADS = frozenset(
    "media press newspaper daily tabloid broadcaster channel television tv radio outlet "
    "website magazine weekly newswire wire portal".split()
)
_MEDIA_EXTRA_FILLER = frozenset(
    "new latest national poll survey report reports story interview editorial".split()
)
MEDIA_NAME_WORDS = frozenset(
    "times post journal telegraph guardian gazette gazeta tribune herald news press tv radio "
    "daily mirror express observer chronicle pravda izvestia".split()
)
# Words dropped when a medium's name is normalised ("the official Belta news agency" -> Belta).
_MEDIA_FILLER = frozenset(
    "the a an state official state-run state-owned state-controlled independent local "
    "national private pro-kremlin government-run government-owned news agency newspaper daily "
    "website outlet broadcaster channel wire service magazine 's ’s".split()
)
# Media phrases too generic to be a name without a modifier ("the agency", "media").
_GENERIC_MEDIA = frozenset({"media", "press", "news", "television", "tv", "radio"})

# Verbs whose subject, when a medium, is being relied on.
_MEDIA_SUBJECT_VERBS = frozenset(
    "report say write quote cite publish broadcast air carry reveal add note state show "
    "claim learn obtain".split()
)
# Verbs and prepositions after which a medium is being relied on ("told BelTA").
_TELL_VERBS = frozenset("tell".split())
_TO_VERBS = frozenset("speak talk".split())
_BY_VERBS = frozenset("quote carry cite report publish broadcast air".split())

_CREDIT_LEAD = re.compile(
    r"^\s*\(?(?:with\s+inputs?\s+from|(?:additional\s+)?reporting\s+by|source:|"
    r"sources?:|agencies:?|with\s+agency\s+inputs?|inputs?\s+from)\s*",
    re.IGNORECASE,
)


def _norm_key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def normalise_medium(text: str) -> str | None:
    """The name a medium is listed under ("the official Belta news agency" -> "BelTA").

    Known media are looked up by their longest variant inside the phrase; otherwise filler
    words (articles, "state", "news agency") are dropped and the rest kept as written. A
    generic phrase keeps its modifier ("Russian media"); a bare "the agency" gives None.
    """
    words = text.replace("’s", "").replace("'s", "")
    # "Washington Post-ABC News poll": hyphens join names, split them to find each.
    words = re.sub(r"(?<=[a-z])-(?=[A-Z])", " ", words).split()
    low = [_norm_key(w.strip(",.")) for w in words]
    for size in range(min(4, len(low)), 0, -1):
        for i in range(len(low) - size + 1):
            key = " ".join(low[i : i + size])
            if key in KNOWN_MEDIA:
                return KNOWN_MEDIA[key]
    kept = [
        w.strip(",.")
        for w, lw in zip(words, low, strict=True)
        if lw not in _MEDIA_FILLER and lw not in _MEDIA_EXTRA_FILLER
    ]
    if not kept:
        return None
    if all(w.lower() in _GENERIC_MEDIA for w in kept):
        return None
    name = " ".join(kept)
    if kept[-1].lower() in _GENERIC_MEDIA and len(kept) > 1:
        name = " ".join([kept[0][:1].upper() + kept[0][1:]] + kept[1:])
    return name


def _media_phrase(chunk: SpacySpan) -> bool:
    """Whether a noun phrase names a medium: known name, media noun, or media name word."""
    words = [_norm_key(t.text) for t in chunk]
    text = " ".join(words)
    if any(
        " ".join(words[i : i + n]) in KNOWN_MEDIA
        for n in range(1, 5)
        for i in range(len(words) - n + 1)
        if any(t.pos_ == "PROPN" or t.text.isupper() for t in chunk[i : i + n])
    ):
        return True
    root = chunk.root.lower_
    if root in MEDIA_HEADS:
        return True
    if re.search(r"\b(?:news|press|wire)\s+(?:agency|service)\b", text):
        return True
    return any(
        t.lower_ in MEDIA_NAME_WORDS and t.pos_ == "PROPN" and t.text[:1].isupper() for t in chunk
    )


def _relied_on(token: Token) -> bool:
    """Whether a noun phrase head sits where a source is cited (subject of "reported",
    object of "told", after "according to", "quoted by", "speaking to", "carried by")."""
    head = token.head
    if token.dep_ in _SUBJECT_DEPS and head.lemma_ in _MEDIA_SUBJECT_VERBS:
        return True
    if token.dep_ in ("dobj", "dative") and head.lemma_ in _TELL_VERBS:
        return True
    if token.dep_ == "appos":
        return _relied_on(head)
    if token.dep_ == "pobj":
        prep = head
        gov = prep.head
        if prep.lower_ == "to" and gov.lemma_ in _TO_VERBS | _TELL_VERBS:
            return True
        if prep.lower_ == "to" and gov.lower_ == "according":
            return True
        if prep.lower_ == "with" and (gov.lemma_ in _TO_VERBS or gov.lemma_ == "interview"):
            return True
        if prep.lower_ == "by":
            # "quoted as saying by X": the citing verb may sit two levels up.
            chain = [gov, gov.head, gov.head.head]
            return any(t.lemma_ in _BY_VERBS for t in chain)
        if prep.lower_ in ("in", "on") and gov.lemma_ in ("say", "write", "tell", "report"):
            return True
    return token.dep_ == "dobj" and head.lemma_ == "cite"


def _chunks(doc: Doc) -> list[SpacySpan]:
    """Noun phrases, with an appositive name joined to its head ("the agency BelTA")."""
    chunks = list(doc.noun_chunks)
    merged: list[SpacySpan] = []
    for chunk in chunks:
        if (
            merged
            and chunk.root.dep_ == "appos"
            and chunk.root.head.i in range(merged[-1].start, merged[-1].end)
            and chunk.start == merged[-1].end
        ):
            merged[-1] = doc[merged[-1].start : chunk.end]
        else:
            merged.append(chunk)
    return merged


def _credit_names(credit: Span) -> list[tuple[int, int, str]]:
    """(start, end, name) of each medium named in a credit line ("With inputs from AP, PTI")."""
    lead = _CREDIT_LEAD.match(credit.text)
    if not lead:
        return []
    out = []
    pos = lead.end()
    for part in re.split(r"(\s*(?:,|/|&|\band\b)\s*)", credit.text[pos:]):
        if part.strip() and not re.fullmatch(r"\s*(?:,|/|&|\band\b)\s*", part):
            name = part.strip().strip("().")
            offset = credit.text.find(name, pos)
            if name and offset >= 0:
                normal = normalise_medium(name)
                if normal:
                    out.append((credit.start + offset, credit.start + offset + len(name), normal))
        pos += len(part)
    return out


def find_cited_sources(
    doc: Doc, credits: Sequence[Span] = (), self_outlet: str | None = None
) -> list[CitedSource]:
    """Media and agencies the article relies on, each with a normalised name.

    A noun phrase counts when it names a medium (a known agency or paper, a media noun as in
    "the AFP news agency" or "Russian media", or a paper-like name such as "... Gazeta") AND
    stands where a source is cited: subject of "reported"/"said"/"quoted", object of "told",
    after "according to", "speaking to", "in an interview with", "carried by"/"quoted by".
    A proper name that is the subject of "reported" counts even when unknown. Credit lines
    (`Article.credits`) give one source per name they list. The article's own outlet
    (`self_outlet`, e.g. "The Telegraph") is never listed: "The Telegraph could not confirm".
    """
    own = normalise_medium(self_outlet) if self_outlet else None
    out: dict[tuple[int, int], CitedSource] = {}

    def keep(start: int, end: int, text: str, name: str | None) -> None:
        if not name or (own and _norm_key(name) == _norm_key(own)):
            return
        out.setdefault((start, end), CitedSource(start=start, end=end, text=text, name=name))

    for chunk in _chunks(doc):
        root = chunk.root
        if not _relied_on(root):
            continue
        is_media = _media_phrase(chunk)
        if not is_media:
            # An unknown proper name that "reported" something is taken to be a medium.
            is_media = (
                root.dep_ in _SUBJECT_DEPS
                and root.head.lemma_ == "report"
                and root.pos_ == "PROPN"
                and root.ent_type_ not in ("PERSON", "GPE", "NORP")
                and not root.text.isupper()
                and not any(t.lower_ in ORG_WORDS for t in chunk)
            )
        if not is_media:
            continue
        start, end = _trim(doc, chunk.start, chunk.end)
        # Leave a leading determiner out of the cited span, keep the rest ("state news agency").
        while start < end and doc[start].pos_ == "DET":
            start += 1
        if start >= end:
            continue
        phrase = doc[start:end]
        keep(phrase.start_char, phrase.end_char, phrase.text, normalise_medium(phrase.text))
    for credit in credits:
        for start, end, name in _credit_names(credit):
            keep(start, end, credit.text[start - credit.start : end - credit.start], name)
    return sorted(out.values(), key=lambda c: c.start)
