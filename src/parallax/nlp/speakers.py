"""Who is who in one article: actors, their aliases, and what a speaker phrase refers to.

`find_actors(doc)` groups the named entities of a parsed article into actors ("Mr Lukashenko",
"Alexander Lukashenko" and "Lukashenko" are one actor). `SpeakerResolver` maps the words that
introduce a speaker ("he", "the Belarusian dictator", "the head of the FSB", "the IS
affiliate") to one of those actors by explicit rules: appositions, titles, demonyms, gender
from honorifics, and the actor last named in subject position. When no rule applies it returns
no name rather than a guess.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, POS
from spacy.symbols import PROPN, appos
from spacy.tokens import Doc, Span, Token

from parallax.nlp.marks import mark_double_apostrophes

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
HONORIFICS = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "sir": "m",
    "dr": None,
    "dr.": None,
    "sen.": None,
    "rep.": None,
    "gov.": None,
    "gen.": None,
    "president": None,
    "prime": None,
    "minister": None,
    "senator": None,
}
# Nouns that name a person by role; a description headed by one refers to a person.
PERSON_ROLE_NOUNS = {
    "president",
    "dictator",
    "leader",
    "head",
    "chief",
    "minister",
    "premier",
    "chancellor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "director",
    "chairman",
    "chairwoman",
    "governor",
    "senator",
    "candidate",
    "nominee",
    "king",
    "queen",
    "prince",
    "general",
    "commander",
    "ambassador",
    "mayor",
    "official",
    "strongman",
    "autocrat",
    "ally",
    "businessman",
    "billionaire",
    "lawmaker",
    "congressman",
    "congresswoman",
    "man",
    "woman",
    "politician",
    "prosecutor",
    "judge",
    "attorney",
    "lawyer",
    "envoy",
    "founder",
    "executive",
    "adviser",
    "advisor",
}
# Heads that stand for a state: "the Ukrainian government" is Ukraine speaking.
STATE_NOUNS = {"government", "authorities", "administration", "state", "kremlin", "regime"}
# Heads that name a body of a state or group: "US intelligence" is its own speaker.
BODY_NOUNS = {
    "intelligence",
    "military",
    "army",
    "police",
    "officials",
    "services",
    "ministry",
    "media",
    "prosecutors",
    "investigators",
    "forces",
}
# Heads that stand for the group named in their modifier: "the IS affiliate" is IS.
GROUP_NOUNS = {"affiliate", "group", "branch", "wing", "faction", "organisation", "organization"}
MEDIA_NOUNS = {
    "newspaper",
    "daily",
    "paper",
    "agency",
    "outlet",
    "broadcaster",
    "channel",
    "network",
    "magazine",
    "tabloid",
    "weekly",
    "website",
    "site",
    "station",
}
DEMONYMS = {
    "american": "United States",
    "us": "United States",
    "u.s.": "United States",
    "british": "Britain",
    "uk": "Britain",
    "french": "France",
    "german": "Germany",
    "dutch": "Netherlands",
    "chinese": "China",
    "turkish": "Turkey",
    "swiss": "Switzerland",
    "israeli": "Israel",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "afghan": "Afghanistan",
    "kyrgyz": "Kyrgyzstan",
    "tajik": "Tajikistan",
    "polish": "Poland",
    "japanese": "Japan",
    "spanish": "Spain",
    "greek": "Greece",
    "australian": "Australia",
    "austrian": "Austria",
    "indian": "India",
    "indonesian": "Indonesia",
    "canadian": "Canada",
    "mexican": "Mexico",
    "british-born": "Britain",
}
# Words that mark an organisation name; a two-word "ORG" without one may be a person.
ORG_WORDS = {
    "agency",
    "news",
    "times",
    "post",
    "press",
    "state",
    "party",
    "committee",
    "council",
    "ministry",
    "department",
    "group",
    "bank",
    "inc",
    "corp",
    "company",
    "university",
    "institute",
    "service",
    "services",
    "office",
    "union",
    "league",
    "association",
    "foundation",
    "court",
    "house",
    "journal",
    "gazette",
    "network",
    "channel",
    "club",
    "fund",
    "media",
    "television",
    "radio",
    "army",
    "force",
    "forces",
    "police",
    "hall",
    "center",
    "centre",
    "europe",
}
HUMAN_VERBS = {"meet", "visit", "speak", "travel", "arrive", "smile", "insist", "sleep"}
COUNTRY_CANONICAL = {
    "us": "United States",
    "u.s.": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "the united states": "United States",
    "united states": "United States",
    "uk": "Britain",
    "u.k.": "Britain",
    "united kingdom": "Britain",
    "the united kingdom": "Britain",
    "great britain": "Britain",
}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}


@dataclass
class Actor:
    """One actor of an article: canonical name, entity type, aliases, mention spans."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None


@dataclass
class _Mention:
    start: int
    end: int
    actor: int
    subject: bool
    in_quote: bool
    token_index: int


def _clean_name(text: str) -> str:
    """Entity text without possessive, leading article or honorific."""
    text = re.sub(r"\s+", " ", text.strip())
    text = re.sub(r"(['’]s|['’])$", "", text).strip()
    text = re.sub(r"^(the|The)\s+", "", text)
    words = text.split(" ")
    while len(words) > 1 and words[0].lower() in HONORIFICS:
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


def _honorific_gender(ent: Span) -> str | None:
    """Gender given by an honorific right before (or at the start of) a person entity."""
    doc = ent.doc
    candidates = [ent[0]]
    if ent.start > 0:
        candidates.append(doc[ent.start - 1])
    for tok in candidates:
        gender = HONORIFICS.get(tok.lower_)
        if gender:
            return gender
    return None


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _canonical_country(name: str) -> str:
    return COUNTRY_CANONICAL.get(name.lower(), name)


PERSON_APPOSITION_NOUNS = PERSON_ROLE_NOUNS | {
    "citizen",
    "national",
    "resident",
    "native",
    "brother",
    "sister",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
}


def _speech_lemmas() -> set[str]:
    from parallax.nlp.attribution import CUE_VERBS

    return set(CUE_VERBS)


def _entity_spans(doc: Doc) -> list[Span]:
    """Actor-like entities, with the small model's person-as-ORG slips repaired.

    An ORG/GPE entity becomes a PERSON (and takes in an untagged first name before it) when an
    untagged capitalised name precedes it ("Alisher Kasimov") or an apposition names a person
    role ("Kasimov, a Russian citizen").
    """
    spans: list[Span] = []
    person_surnames = {
        ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
    }
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS or not _clean_name(ent.text):
            continue
        if ent.label_ in ("ORG", "GPE"):
            prev = doc[ent.start - 1] if ent.start > 0 else None
            first_name = (
                prev is not None
                and prev.ent_type_ == ""
                and prev.pos_ == "PROPN"
                and prev.is_title
                and prev.dep_ == "compound"
                and len(ent) == 1
            )
            appos_person = any(
                c.dep_ == "appos" and c.lemma_.lower() in PERSON_APPOSITION_NOUNS
                for c in ent.root.children
            )
            surname = len(ent) > 1 and ent[-1].lower_ in person_surnames
            name_like = (
                2 <= len(ent) <= 3
                and all(t.pos_ == "PROPN" and t.is_title for t in ent)
                and not any(t.lower_ in ORG_WORDS for t in ent)
                and ent.root.dep_ in ("nsubj", "nsubjpass")
                and (
                    ent.root.head.lemma_.lower() in HUMAN_VERBS
                    or ent.root.head.lemma_.lower() in _speech_lemmas()
                )
            )
            if first_name or appos_person or surname or name_like:
                start = ent.start - 1 if first_name else ent.start
                ent = Span(doc, start, ent.end, label="PERSON")
        spans.append(ent)
    return spans


def find_actors(doc: Doc) -> list[Actor]:
    """The article's actors: named entities grouped by alias rules, most mentioned first.

    Persons merge when a shorter name is a suffix of a longer one ("Lukashenko" into
    "Alexander Lukashenko"); a bare surname shared by several full names goes to the full name
    mentioned last before it. Organisations merge on suffix, on acronyms ("IS" for "Islamic
    State") and on a leading article ("The Post" into "The New York Post"). Demonyms (NORP)
    join their country when it is an actor of the article. Nothing is merged across articles.
    """
    actors, _ = _group_mentions(doc)
    return actors


def _group_mentions(doc: Doc, text: str | None = None) -> tuple[list[Actor], list[_Mention]]:
    quote_chars = _quoted_char_mask(doc.text if text is None else text)
    actors: list[Actor] = []
    mentions: list[_Mention] = []
    by_key: dict[str, int] = {}
    for ent in _entity_spans(doc):
        name = _clean_name(ent.text)
        label = ent.label_
        if label == "GPE":
            name = _canonical_country(name)
        idx = _match_actor(name, label, actors, by_key, mentions)
        if idx is None:
            if label == "NORP":
                country = _demonym_country(name, actors)
                if country is None:
                    continue
                idx = country
            else:
                actors.append(Actor(name=name, type=label))
                idx = len(actors) - 1
        actor = actors[idx]
        if label == "PERSON" and actor.gender is None:
            actor.gender = _honorific_gender(ent)
        if len(name.split()) > len(actor.name.split()) and label == actor.type:
            actor.aliases.append(actor.name)
            actor.name = name
        surface = ent.text.strip()
        if surface not in actor.aliases and surface != actor.name:
            actor.aliases.append(surface)
        for key in _keys(name, label):
            by_key.setdefault(key, idx)
        by_key[name.lower()] = idx
        actor.mentions.append((ent.start_char, ent.end_char))
        mentions.append(
            _Mention(
                start=ent.start_char,
                end=ent.end_char,
                actor=idx,
                subject=ent.root.dep_ in ("nsubj", "nsubjpass")
                or (ent.root.dep_ == "appos" and ent.root.head.dep_ in ("nsubj", "nsubjpass")),
                in_quote=quote_chars[ent.start_char]
                if ent.start_char < len(quote_chars)
                else False,
                token_index=ent.root.i,
            )
        )
    _add_bare_surnames(doc, actors, mentions, by_key, quote_chars)
    for actor in actors:
        actor.aliases = [a for a in dict.fromkeys(actor.aliases) if a != actor.name]
    mentions.sort(key=lambda m: m.start)
    return actors, mentions


def _add_bare_surnames(
    doc: Doc,
    actors: list[Actor],
    mentions: list[_Mention],
    by_key: dict[str, int],
    quote_chars: list[bool],
) -> None:
    """Proper nouns the model did not tag (or tagged as a date) that repeat a person's surname."""
    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    for i in np.flatnonzero(doc.to_array([POS]) == PROPN).tolist():
        tok = doc[i]
        if tok.idx in covered or not tok.is_title:
            continue
        idx = by_key.get(tok.lower_)
        if idx is None or actors[idx].type != "PERSON":
            continue
        if actors[idx].name.lower() != tok.lower_ and not actors[idx].name.lower().endswith(
            " " + tok.lower_
        ):
            continue
        actors[idx].mentions.append((tok.idx, tok.idx + len(tok.text)))
        mentions.append(
            _Mention(
                start=tok.idx,
                end=tok.idx + len(tok.text),
                actor=idx,
                subject=tok.dep_ in ("nsubj", "nsubjpass"),
                in_quote=quote_chars[tok.idx],
                token_index=tok.i,
            )
        )


def _keys(name: str, label: str) -> list[str]:
    words = name.split()
    keys = [name.lower()]
    if label == "PERSON" and len(words) > 1:
        keys.append(words[-1].lower())
    if label in ("ORG", "GPE") and len(words) > 1:
        keys.append(_initials(name).lower())
    return keys


def _match_actor(
    name: str, label: str, actors: list[Actor], by_key: dict[str, int], mentions: list[_Mention]
) -> int | None:
    low = name.lower()
    if low in by_key:
        return by_key[low]
    words = name.split()
    # A shorter form of a name already seen: the actor whose full name ends with it,
    # the one mentioned last when several do.
    candidates = [
        i
        for i, actor in enumerate(actors)
        if actor.name.lower().endswith(" " + low) and (actor.type == label or label != "GPE")
    ]
    if candidates:
        last = {m.actor: m.start for m in mentions}
        return max(candidates, key=lambda i: last.get(i, -1))
    # A longer form of a name seen before as a single word ("Putin" then "Vladimir Putin").
    if len(words) > 1:
        for i, actor in enumerate(actors):
            if actor.name.lower() == words[-1].lower() and label in ("PERSON", actor.type):
                return i
    return None


def _demonym_country(name: str, actors: list[Actor]) -> int | None:
    """The GPE actor a demonym names ("Ukrainian" -> Ukraine), if that country is an actor."""
    target = DEMONYMS.get(name.lower())
    for i, actor in enumerate(actors):
        if actor.type != "GPE":
            continue
        if target and actor.name == target:
            return i
        stem = actor.name.lower()
        low = name.lower()
        if low in DEMONYMS:
            continue
        shared = len(os.path.commonprefix([stem, low]))
        if len(stem) >= 4 and " " not in stem and shared >= max(4, len(stem) - 2):
            return i
    return None


def demonym_to_country(word: str, actors: list[Actor]) -> str | None:
    """The country a demonym or country word names, from the article's actors or a table."""
    low = word.lower().strip(".")
    idx = _demonym_country(word, actors)
    if idx is not None:
        return actors[idx].name
    if low in DEMONYMS:
        return DEMONYMS[low]
    canonical = COUNTRY_CANONICAL.get(word.lower())
    if canonical:
        return canonical
    return None


def _quoted_char_mask(text: str) -> list[bool]:
    """True for characters inside double quotation marks (curly, straight or "''"), marks
    included; a blank line ends an unclosed quotation."""
    mask = [False] * len(text)
    opened: int | None = None
    for match in QUOTE_EVENTS.finditer(mark_double_apostrophes(text)):
        mark, i = match.group(), match.start()
        if mark == "\n":
            if opened is not None:
                mask[opened:i] = [True] * (i - opened)
            opened = None
        elif mark == "“" or (mark == '"' and opened is None):
            opened = i if opened is None else opened
        elif opened is not None:
            mask[opened : i + 1] = [True] * (i + 1 - opened)
            opened = None
        else:
            mask[i] = True
    if opened is not None:
        mask[opened:] = [True] * (len(text) - opened)
    return mask


QUOTE_EVENTS = re.compile('[“”"]|\n(?=\n)')


class SpeakerResolver:
    """Resolves speaker phrases of one parsed article to actor names by explicit rules."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        # `text` is doc.text when the caller already has it (spaCy rebuilds it on each access).
        self.text = doc.text if text is None else text
        self.actors, self.mentions = _group_mentions(doc, self.text)
        self._by_token: dict[int, int] = {}
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    self._by_token[tok.i] = m.actor
        self._appositions = self._collect_appositions()

    # -- public ------------------------------------------------------------------------------

    def actor_of_token(self, tok: Token) -> Actor | None:
        idx = self._by_token.get(tok.i)
        return None if idx is None else self.actors[idx]

    def resolve(self, head: Token, span: Span) -> str | None:
        """The canonical name the speaker phrase `span` (with head `head`) refers to, or None.

        Order: a named entity at the head; a pronoun (by clause, gender and the actor last
        named in subject position); a description (apposition, role noun, state or body noun,
        group noun). Plural pronouns, first-person pronouns outside quotes and descriptions
        with no matching actor stay unresolved.
        """
        actor = self.actor_of_token(head)
        if actor is not None:
            return actor.name
        # "The mayor, Maria Lopez, said": the apposition names the speaker.
        for child in head.children:
            if child.dep_ == "appos":
                actor = self.actor_of_token(child)
                if actor is not None:
                    return actor.name
        low = head.lower_
        if head.pos_ == "PRON" or low in MALE_PRONOUNS | FEMALE_PRONOUNS | THING_PRONOUNS:
            return self._resolve_pronoun(head)
        if head.pos_ == "PROPN" and head.is_title and not head.ent_type_:
            # A name the entity model missed ("Meduza reported"): the name as written.
            words = [t.text for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
            return " ".join([*words, head.text])
        return self._resolve_description(head, span)

    # -- pronouns ----------------------------------------------------------------------------

    def _resolve_pronoun(self, tok: Token) -> str | None:
        low = tok.lower_
        if low in MALE_PRONOUNS:
            gender, types = "m", ("PERSON",)
        elif low in FEMALE_PRONOUNS:
            gender, types = "f", ("PERSON",)
        elif low in THING_PRONOUNS:
            gender, types = None, ("ORG", "GPE")
        else:
            return None
        pos = tok.idx
        sent = tok.sent
        before = [
            m
            for m in self.mentions
            if m.start < pos and not m.in_quote and self.actors[m.actor].type in types
        ]
        before = [m for m in before if self._gender_ok(m.actor, gender)]
        if not before:
            return None
        # Same sentence: the nearest preceding compatible mention ("Bortnikov ..., even as he").
        same = [m for m in before if m.start >= sent.start_char]
        if same:
            return self.actors[same[-1].actor].name
        # Earlier sentences: the actor last named in subject position, else the last named.
        subjects = [m for m in before if m.subject]
        pick = subjects[-1] if subjects else before[-1]
        # A subject from long ago loses against a plain mention in the previous sentence.
        if subjects and before[-1].start > pick.start:
            prev_sent_start = self._previous_sentence_start(sent)
            if pick.start < prev_sent_start and before[-1].start >= prev_sent_start:
                pick = before[-1]
        return self.actors[pick.actor].name

    def _previous_sentence_start(self, sent: Span) -> int:
        if sent.start == 0:
            return 0
        return self.doc[sent.start - 1].sent.start_char

    def _gender_ok(self, actor_idx: int, gender: str | None) -> bool:
        known = self.actors[actor_idx].gender
        return gender is None or known is None or known == gender

    # -- descriptions ------------------------------------------------------------------------

    def _collect_appositions(self) -> list[tuple[Token, int]]:
        """(description head, actor index) for every "Name, the role of X" apposition."""
        pairs: list[tuple[Token, int]] = []
        doc = self.doc
        for i in np.flatnonzero(doc.to_array([DEP]) == appos).tolist():
            tok = doc[i]
            a = self._by_token.get(tok.head.i)
            b = self._by_token.get(tok.i)
            if a is not None and b is None:
                pairs.append((tok, a))
            elif b is not None and a is None:
                pairs.append((tok.head, b))
        # A title before a name: "Belarus President Alexander Lukashenko".
        for i in sorted(self._by_token):
            idx = self._by_token[i]
            if self.actors[idx].type != "PERSON":
                continue
            for child in doc[i].children:
                if child.dep_ == "compound" and child.lemma_.lower() in PERSON_ROLE_NOUNS:
                    pairs.append((child, idx))
        return pairs

    def _modifier_countries(self, head: Token) -> set[str]:
        found: set[str] = set()
        for tok in head.subtree:
            if tok.i == head.i:
                continue
            name = demonym_to_country(tok.text, self.actors)
            if name:
                found.add(name)
            actor = self.actor_of_token(tok)
            if actor is not None and actor.type == "GPE":
                found.add(actor.name)
        return found

    def _resolve_description(self, head: Token, span: Span) -> str | None:
        lemma = head.lemma_.lower()
        low = head.lower_
        modifiers = [t for t in head.children if t.dep_ in ("compound", "amod", "poss", "nmod")]
        # "the IS affiliate", "the Islamic State terrorist group": the group in the modifier.
        if lemma in GROUP_NOUNS:
            for tok in span:
                actor = self.actor_of_token(tok)
                if actor is not None and actor.type in ("ORG", "NORP", "GPE"):
                    return actor.name
            proper = " ".join(t.text for t in span if t.pos_ == "PROPN" and t.i < head.i)
            for actor in self.actors:
                if proper and actor.name.lower() == proper.lower():
                    return actor.name
            for tok in modifiers:
                if tok.is_upper and 2 <= len(tok.text) <= 5:
                    expanded = _expand_acronym(tok.text, self.text, self.actors)
                    if expanded:
                        return expanded
        countries = self._modifier_countries(head)
        if lemma in STATE_NOUNS or low == "kremlin":
            if low == "kremlin" or lemma == "kremlin":
                return "Kremlin"
            if len(countries) == 1:
                return next(iter(countries))
            return None
        if low in BODY_NOUNS or lemma in BODY_NOUNS:
            if modifiers:
                words = [
                    t.text.replace(".", "") for t in span if t.dep_ != "det" and not t.is_punct
                ]
                return " ".join(words) if words else None
            return None
        if lemma in MEDIA_NOUNS:
            return self._resolve_media(head, span)
        if lemma in PERSON_ROLE_NOUNS and not _is_plural(head):
            return self._resolve_role(head, span, countries)
        return None

    def _resolve_media(self, head: Token, span: Span) -> str | None:
        for tok in span:
            actor = self.actor_of_token(tok)
            if actor is not None and actor.type == "ORG":
                return actor.name
        if not any(t.dep_ == "det" and t.lower_ == "the" for t in head.children):
            return None
        orgs = [
            m
            for m in self.mentions
            if m.start < head.idx
            and self.actors[m.actor].type == "ORG"
            and self._looks_like_media(m.actor)
        ]
        return self.actors[orgs[-1].actor].name if orgs else None

    def _looks_like_media(self, idx: int) -> bool:
        """True when an ORG actor is named with a media word near one of its mentions."""
        actor = self.actors[idx]
        if re.search(r"\b(News|Times|Post|Press|Agency|Journal|Herald|Tribune|TV)\b", actor.name):
            return True
        for start, end in actor.mentions:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            window = [root.head, *root.head.children] if root.dep_ == "compound" else []
            if any(t.lemma_.lower() in MEDIA_NOUNS for t in window):
                return True
            if root.dep_ in ("nsubj",) and root.head.lemma_ in ("report", "write", "publish"):
                return True
            if root.dep_ in ("dative", "dobj") and root.head.lemma_ == "tell":
                return True
        return False

    def _resolve_role(self, head: Token, span: Span, countries: set[str]) -> str | None:
        # Only definite descriptions ("the head of", "the Belarusian dictator") refer back.
        if not any(t.lower_ in ("the", "this", "that") for t in span[:2]):
            return None
        words = {t.lemma_.lower() for t in head.subtree if not t.is_punct and t.dep_ != "det"}
        # 1. An apposition or title elsewhere with the same role words.
        best: tuple[int, int] | None = None
        for desc_head, idx in self._appositions:
            if desc_head.i == head.i or desc_head.lemma_.lower() != head.lemma_.lower():
                continue
            other = {
                t.lemma_.lower() for t in desc_head.subtree if not t.is_punct and t.dep_ != "det"
            }
            score = len(words & other)
            if best is None or score > best[0]:
                best = (score, idx)
        if best is not None and (best[0] >= 2 or len(words) <= 1):
            return self.actors[best[1]].name
        # 2. The person last named in subject position before it, if the role fits no one else.
        persons = [
            m
            for m in self.mentions
            if m.start < head.idx and not m.in_quote and self.actors[m.actor].type == "PERSON"
        ]
        subjects = [m for m in persons if m.subject]
        if not subjects:
            return None
        pick = self.actors[subjects[-1].actor]
        if countries and self._nationality_conflict(pick, countries):
            return None
        return pick.name

    def _nationality_conflict(self, actor: Actor, countries: set[str]) -> bool:
        """True when the article ties the actor to another country by a title or apposition."""
        idx = self.actors.index(actor)
        tied: set[str] = set()
        for desc_head, who in self._appositions:
            if who == idx:
                tied |= self._modifier_countries(desc_head)
                for tok in desc_head.head.children if desc_head.dep_ == "compound" else []:
                    name = demonym_to_country(tok.text, self.actors)
                    if name:
                        tied.add(name)
        return bool(tied) and not (tied & countries)


def _expand_acronym(acronym: str, text: str, actors: list[Actor]) -> str | None:
    """The capitalised phrase of the text whose initials spell `acronym` ("IS")."""
    for actor in actors:
        if _initials(actor.name) == acronym and len(actor.name.split()) == len(acronym):
            return actor.name
    words = r"\s+".join([r"([A-Z][a-z]+)"] * len(acronym))
    for match in re.finditer(words, text):
        if "".join(g[0] for g in match.groups()) == acronym:
            return " ".join(match.groups())
    return None


def _is_plural(tok: Token) -> bool:
    return tok.tag_ in ("NNS", "NNPS")
