"""Slot values in claims: where someone was heading, and who is behind the event.

Two slots that news accounts of one event fill differently and that a fact-checker compares:

- destination: a place someone tried to reach ("tried to flee to Belarus", "intended to cross
  into Ukraine", "tried to escape there"), including the alternative a sentence rules out
  ("to Belarus, not Ukraine as claimed by Putin": Ukraine is denied by the sentence's holder
  and held by Putin).
- responsibility: who carried out, organised, orchestrated or was involved in the event
  ("orchestrated by Ukraine", "Western spy agencies could have been involved", "claimed
  responsibility", "no evidence of involvement by Ukraine", "acted alone").

Each fact has a holder: the speaker of the innermost named attribution whose content holds it,
or None for the outlet's own voice. Only named places, organisations and groups fill a slot;
a pronoun is resolved only where the text leaves no doubt ("it" in a speaker's own denial,
"there" after the one place named before it, "the group" after the group named before it).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from parallax.model import Attribution, Entity, Fact, Span

MOTION_VERBS = frozenset(
    "flee head escape go cross travel run move drive return reach enter sail fly".split()
)
ATTEMPT_VERBS = frozenset("try attempt intend plan want seek aim".split())
DESTINATION_PREPS = frozenset({"to", "into", "toward", "towards"})
# Nouns naming the story's event, which the responsibility slot is about.
EVENT_NOUNS = frozenset(
    "attack attacks action bombing shooting massacre atrocity rampage assault raid blast "
    "explosion killing killings operation plot strike it".split()
)
AGENT_VERBS = frozenset(
    "carry organise organize orchestrate prepare plan stage commit perpetrate mastermind "
    "sponsor assist back direct order execute".split()
)
INVOLVEMENT_VERBS = frozenset("involve link connect tie".split())
INVOLVEMENT_NOUNS = frozenset("involvement role part hand responsibility".split())
# The words `responsibility_facts` reads a fact from.
_RESPONSIBILITY_WORDS = AGENT_VERBS | INVOLVEMENT_VERBS | INVOLVEMENT_NOUNS | {"responsible"}
PLACE_LABELS = ("GPE", "LOC")
AGENT_LABELS = ("GPE", "LOC", "ORG", "NORP", "ACRONYM", "NAME", "PERSON")
_NEGATORS = frozenset("not no never n't without innocent".split())
_SPEAKER_NEGATIVE_STANCES = ("deny",)


def _entity_at(token: Token, entities: Sequence[Entity], labels: tuple[str, ...]) -> Entity | None:
    for entity in entities:
        if entity.label in labels and entity.start <= token.idx < entity.end:
            return entity
    return None


def _phrase_entity(
    head: Token, entities: Sequence[Entity], labels: tuple[str, ...]
) -> Entity | None:
    """The named entity a noun phrase stands for: the head's own, else a modifier's."""
    found = _entity_at(head, entities, labels)
    if found:
        return found
    for child in head.children:
        if child.dep_ in ("amod", "compound", "nmod", "poss"):
            found = _entity_at(child, entities, labels)
            if found:
                return found
    for child in head.children:
        # "Western spy agencies": a capitalised adjective the NER left unlabelled.
        if child.dep_ == "amod" and child.text[:1].isupper() and child.i > head.sent.start:
            return Entity(
                start=child.idx, end=child.idx + len(child), text=child.text, label="NORP"
            )
    return None


def _negated(token: Token) -> bool:
    """True when the verb or adjective is negated ("was not linked", "did not ...")."""
    return any(c.dep_ == "neg" for c in token.children)


def _holder(
    char: int, attributions: Sequence[Attribution], sentence: SpacySpan
) -> tuple[list[str], Attribution | None]:
    """Holders of what is said at `char`: the innermost named attribution covering it."""
    covering = [
        a
        for a in attributions
        if a.content.start <= char < a.content.end
        and a.speaker
        and a.speaker.name
        and a.speaker.name[:1].isupper()
    ]
    if not covering:
        return [], None
    inner = min(covering, key=lambda a: a.content.end - a.content.start)
    holders = [inner.speaker.name]
    # "The United States and France have said ...": each named party holds the content.
    if inner.speaker.text and " and " in inner.speaker.text:
        for part in inner.speaker.text.split(" and "):
            part = part.strip().removeprefix("The ").removeprefix("the ")
            if part and part[:1].isupper() and part not in holders and part not in holders[0]:
                holders.append(part)
    return holders, inner


def _fact(
    token: Token,
    entity: Entity,
    slot: str,
    polarity: int,
    attributions: Sequence[Attribution],
    sentence: SpacySpan,
    alone: bool = False,
    holders: list[str] | None = None,
) -> Fact:
    found, attribution = _holder(token.idx, attributions, sentence)
    if attribution is not None and attribution.stance in _SPEAKER_NEGATIVE_STANCES:
        polarity = -polarity
    return Fact(
        start=token.idx,
        end=token.idx + len(token),
        text=token.text,
        slot=slot,
        value=entity.text,
        polarity=polarity,
        holders=holders if holders is not None else found,
        alone=alone,
    )


def destination_facts(
    sentence: SpacySpan, attributions: Sequence[Attribution], entities: Sequence[Entity]
) -> list[Fact]:
    """Places someone tried to reach, with the alternatives the sentence rules out."""
    facts: list[Fact] = []
    for verb in sentence:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        moving = verb.lemma_.lower() in MOTION_VERBS or (
            verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ATTEMPT_VERBS
        )
        if not moving:
            continue
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in DESTINATION_PREPS:
                for place_token in (c for c in prep.children if c.dep_ == "pobj"):
                    place = _entity_at(place_token, entities, PLACE_LABELS)
                    if place is None:
                        continue
                    polarity = -1 if _negated(verb) else 1
                    facts.append(
                        _fact(place_token, place, "destination", polarity, attributions, sentence)
                    )
                    facts += _ruled_out(place_token, entities, attributions, sentence, polarity)
            elif prep.lower_ == "there" and prep.dep_ == "advmod":
                earlier = [
                    e
                    for e in entities
                    if e.label in PLACE_LABELS and sentence.start_char <= e.end <= prep.idx
                ]
                if len({e.text for e in earlier}) == 1:
                    facts.append(_fact(prep, earlier[-1], "destination", 1, attributions, sentence))
    return facts


def _ruled_out(
    place_token: Token,
    entities: Sequence[Entity],
    attributions: Sequence[Attribution],
    sentence: SpacySpan,
    polarity: int,
) -> list[Fact]:
    """ "to Belarus, not Ukraine as claimed by Putin": Ukraine denied, and held by Putin."""
    out: list[Fact] = []
    negators = [c for c in place_token.children if c.dep_ == "neg"]
    for alternative in place_token.children:
        if alternative.dep_ not in ("appos", "conj"):
            continue
        own = [c for c in alternative.children if c.dep_ == "neg"]
        before = [n for n in negators if place_token.i < n.i < alternative.i]
        if not own and not before:
            continue
        place = _entity_at(alternative, entities, PLACE_LABELS)
        if place is None:
            continue
        out.append(_fact(alternative, place, "destination", -polarity, attributions, sentence))
        for clause in sentence:
            if clause.i <= alternative.i or clause.dep_ != "advcl":
                continue
            if clause.lemma_.lower() not in ("claim", "allege", "say", "insist", "suggest"):
                continue
            for agent in (c for c in clause.children if c.dep_ == "agent"):
                for who in agent.children:
                    person = _entity_at(who, entities, ("PERSON", "ORG", "GPE"))
                    if person is not None:
                        out.append(
                            _fact(
                                alternative,
                                place,
                                "destination",
                                polarity,
                                attributions,
                                sentence,
                                holders=[person.text],
                            )
                        )
    return out


def _event_in(sentence: SpacySpan) -> bool:
    return any(t.lemma_.lower() in EVENT_NOUNS and t.lower_ != "it" for t in sentence)


def _about_event(token: Token) -> bool:
    """True when a verb's object or prepositional object names the event ("the attack")."""
    for child in token.subtree:
        if child.lemma_.lower() in EVENT_NOUNS and child.dep_ in ("dobj", "pobj", "nsubjpass"):
            return True
    return False


def responsibility_facts(
    sentence: SpacySpan, attributions: Sequence[Attribution], entities: Sequence[Entity]
) -> list[Fact]:
    """Who is said to be behind the event, for or against, alone or not."""
    facts: list[Fact] = []
    alone = any(t.lower_ == "alone" for t in sentence)

    def add(agent_head: Token, at: Token, polarity: int, self_held: bool = False) -> None:
        entity = _phrase_entity(agent_head, entities, AGENT_LABELS)
        if entity is None and agent_head.lower_ in ("it", "they", "we"):
            # "The IS affiliate claimed it carried out the attack": "it" is the speaker.
            _, attribution = _holder(at.idx, attributions, sentence)
            if attribution is not None and attribution.stance in ("claim", "assert"):
                speaker = attribution.speaker
                if speaker.start < agent_head.idx:
                    entity = Entity(
                        start=speaker.start, end=speaker.end, text=speaker.name, label="ORG"
                    )
        if entity is None:
            return
        exclusive = alone and any(t.lower_ == "alone" for t in at.head.subtree if t.i > at.i)
        holders = [entity.text] if self_held else None
        facts.append(
            _fact(
                at, entity, "responsibility", polarity, attributions, sentence, exclusive, holders
            )
        )

    for token in sentence:
        lemma = token.lemma_.lower()
        # Every branch below starts from one of these words; the rest need no children read.
        if lemma not in _RESPONSIBILITY_WORDS:
            continue
        polarity = -1 if _negated(token) else 1
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)
        if lemma in AGENT_VERBS and token.pos_ == "VERB" and passive and _event_in(sentence):
            for agent in (c for c in token.children if c.dep_ == "agent"):
                for who in (c for c in agent.children if c.dep_ == "pobj"):
                    add(who, token, polarity)
        elif lemma in AGENT_VERBS and token.pos_ == "VERB" and _about_event(token):
            if passive:
                for agent in (c for c in token.children if c.dep_ == "agent"):
                    for who in (c for c in agent.children if c.dep_ == "pobj"):
                        add(who, token, polarity)
            else:
                for subject in (c for c in token.children if c.dep_ == "nsubj"):
                    add(subject, token, polarity)
                # "... organised the attack and acted alone": the conjoined verb shares it
        elif lemma in INVOLVEMENT_VERBS and token.pos_ == "VERB":
            if not _about_event(token) and lemma != "involve":
                continue
            if not passive and any(c.dep_ == "dobj" for c in token.children):
                # "who linked the attack to Ukraine": the one linked is the prepositional object
                for obj in (c for c in token.subtree if c.dep_ == "pobj"):
                    if obj.head.lower_ in ("to", "with"):
                        add(obj, token, polarity)
                continue
            for subject in (c for c in token.children if c.dep_ in ("nsubjpass", "nsubj")):
                add(subject, token, polarity)
                for other in subject.conjuncts:
                    add(other, token, polarity)
        elif lemma in INVOLVEMENT_NOUNS and token.pos_ == "NOUN":
            negative = any(c.lower_ in ("no", "without") for c in token.head.children) or any(
                c.lower_ == "no" for c in token.children
            )
            evidence = token.head.head if token.head.dep_ == "prep" else None
            if evidence is not None and any(c.lower_ == "no" for c in evidence.children):
                negative = True
            denial = token.head.head if token.head.dep_ == "prep" else token.head
            denied = denial.lemma_.lower() in ("denial", "rejection", "deny")
            for prep in (c for c in token.subtree if c.dep_ == "prep" and c.lower_ == "by"):
                for who in (c for c in prep.children if c.dep_ == "pobj"):
                    # "denials of involvement by Kyiv": Kyiv holds its own denial
                    add(who, token, -1 if negative or denied else 1, self_held=denied)
            if token.dep_ == "dobj" and token.head.lemma_.lower() in ("have", "play", "claim"):
                for subject in (c for c in token.head.children if c.dep_ == "nsubj"):
                    add(subject, token, polarity)
                    for other in subject.conjuncts:
                        add(other, token, polarity)
        elif lemma == "responsible" and token.dep_ == "acomp":
            verb = token.head
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            if not subjects and verb.i > sentence.start and verb.nbor(-1).pos_ == "NOUN":
                subjects = [verb.nbor(-1)]  # "confirming the group was responsible"
            for subject in subjects:
                if subject.lower_ in ("group", "organisation", "organization") or (
                    subject.lemma_.lower() == "group"
                ):
                    earlier = [
                        e
                        for e in entities
                        if e.label in ("ORG", "ACRONYM", "NAME")
                        and e.end <= subject.idx
                        and e.start >= sentence.start_char
                    ]
                    if earlier:
                        facts.append(
                            _fact(
                                subject,
                                earlier[-1],
                                "responsibility",
                                polarity,
                                attributions,
                                sentence,
                            )
                        )
                    continue
                add(subject, token, polarity)

    facts += _self_denials(sentence, attributions, entities)
    facts += _answers(sentence, attributions, entities)
    return facts


def _self_denials(
    sentence: SpacySpan, attributions: Sequence[Attribution], entities: Sequence[Entity]
) -> list[Fact]:
    """ "Ukraine has rejected allegations that it was involved": the speaker denies itself."""
    out = []
    for attribution in attributions:
        if attribution.stance != "deny" or not attribution.speaker or not attribution.speaker.name:
            continue
        if not (sentence.start_char <= attribution.cue.start < sentence.end_char):
            continue
        content = attribution.content.text.lower()
        if "involved" not in content and "responsib" not in content and "behind" not in content:
            continue
        name = attribution.speaker.name
        out.append(_responsibility(attribution.cue, name, polarity=-1, holder=name))
    return out


def _answers(
    sentence: SpacySpan, attributions: Sequence[Attribution], entities: Sequence[Entity]
) -> list[Fact]:
    """ "said 'of course Ukraine' when asked who he believed was responsible": the answer."""
    text = sentence.text.lower()
    if "who" not in text or not ("responsible" in text or "behind" in text):
        return []
    out = []
    for attribution in attributions:
        if attribution.kind != "direct" or not attribution.speaker or not attribution.speaker.name:
            continue
        if not (sentence.start_char <= attribution.content.start < sentence.end_char):
            continue
        inside = [
            e
            for e in entities
            if e.label in AGENT_LABELS
            and attribution.content.start <= e.start
            and e.end <= attribution.content.end
        ]
        words = attribution.content.text.strip("“”\"' .").split()
        if len(inside) == 1 and len(words) <= 4:
            holder = attribution.speaker.name
            out.append(_responsibility(attribution.content, inside[0].text, 1, holder))
    return out


def _responsibility(span: Span, value: str, polarity: int, holder: str) -> Fact:
    """A responsibility fact read from `span`: `holder` says `value` is (1) or is not (-1)
    responsible."""
    return Fact(
        start=span.start,
        end=span.end,
        text=span.text,
        slot="responsibility",
        value=value,
        polarity=polarity,
        holders=[holder],
    )


def find_facts(
    sentence: SpacySpan, attributions: Sequence[Attribution], entities: Sequence[Entity]
) -> list[Fact]:
    """Every destination and responsibility fact of one sentence."""
    return destination_facts(sentence, attributions, entities) + responsibility_facts(
        sentence, attributions, entities
    )
