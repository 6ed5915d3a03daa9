"""The data model: plain pydantic records passed from stage to stage.

Every stage takes these records and returns them; nothing here does I/O. Offsets (`start`,
`end`) are always character offsets into `Article.text`, which for text files is the file's
text exactly as read.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DOSSIER_SCHEMA = "parallax.dossier/1"

AttributionKind = Literal["direct", "indirect", "mixed", "according_to", "other"]
Stance = Literal[
    "assert",
    "deny",
    "accuse",
    "allege",
    "acknowledge",
    "confirm",
    "warn",
    "claim",
    "believe",
    "report",
    "other",
]
ClaimStatus = Literal["corroborated", "single_source", "contested"]
ConflictKind = Literal["numeric", "stance", "factual"]
RelationLabel = Literal["agree", "disagree", "discuss", "unrelated"]


class Span(BaseModel):
    """A stretch of an article's text: `text == article.text[start:end]`."""

    start: int
    end: int
    text: str


class BoilerplateLine(Span):
    """A line of page furniture kept out of the analysis, and why."""

    reason: str


class Article(BaseModel):
    """One article as ingested: metadata plus its text as read (or as extracted from HTML)."""

    id: str
    source: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    language: str | None = None
    text: str
    boilerplate: list[BoilerplateLine] = Field(default_factory=list)
    credits: list[Span] = Field(default_factory=list)
    # "text": `text` is the input exactly as read (offsets hold); "html": extracted from HTML.
    kind: Literal["text", "html"] | None = None

    def kept_text(self) -> str:
        """The text with boilerplate lines removed (offsets are not preserved)."""
        if not self.boilerplate:
            return self.text
        return "\n".join(part for _, part in self.kept_parts())

    def kept_parts(self) -> list[tuple[int, str]]:
        """The stretches of text between boilerplate lines that `kept_text` joins with one
        line break each: (offset in `text`, stretch without its outer line breaks)."""
        parts: list[tuple[int, str]] = []
        pos = 0
        for end, resume in [
            *((b.start, b.end) for b in sorted(self.boilerplate, key=lambda b: b.start)),
            (len(self.text), len(self.text)),
        ]:
            part = self.text[pos:end]
            if part.strip():
                parts.append((pos + len(part) - len(part.lstrip("\n")), part.strip("\n")))
            pos = resume
        return parts

    def masked_text(self) -> str:
        """The text with boilerplate blanked by spaces, so that every offset stays valid."""
        if not self.boilerplate:
            return self.text
        chars = list(self.text)
        for line in self.boilerplate:
            for i in range(line.start, line.end):
                if chars[i] not in "\n\r":
                    chars[i] = " "
        return "".join(chars)


class Entity(Span):
    """A named entity with its spaCy label (PERSON, ORG, GPE, ...)."""

    label: str


class Quantity(Span):
    """A number found in the text, normalised.

    `value` is the number as stated; `qualifier` says how exact it is ("at least", "about", ...)
    and `unit` names what is counted (the head noun's lemma: "people", "year").
    """

    value: float
    qualifier: Literal["exact", "at_least", "at_most", "about", "more_than", "less_than"] = "exact"
    unit: str | None = None
    ordinal: bool = False


class Speaker(Span):
    """Who an attribution is ascribed to: the words in the text, and the resolved name."""

    name: str | None = None


class Attribution(BaseModel):
    """Who said what: cue, content and speaker spans in one article."""

    id: str
    doc: str
    kind: AttributionKind
    cue: Span
    content: Span
    speaker: Speaker | None = None
    medium: Span | None = None
    stance: Stance = "assert"
    negated: bool = False


class Hedge(Span):
    """An evidence marker that qualifies a claim ("without offering any evidence")."""

    kind: Literal["no_evidence", "unconfirmed", "disputed", "rejected", "other"] = "other"


class CitedSource(Span):
    """A medium or agency an article relies on ("told BelTA", "With inputs from AP")."""

    name: str


class Descriptor(Span):
    """A phrase an article uses to name an actor ("a close ally of Putin")."""

    actor: str


class Fact(Span):
    """A value a claim gives to a slot of the story's event, who holds it, and the words
    that state it (the span: "orchestrated", "responsible", "flee").

    `slot` is "destination" (where someone was heading: "tried to flee to Belarus") or
    "responsibility" (who is behind the event: "orchestrated by Ukraine"); `polarity` is -1
    when the claim denies the value ("not Ukraine", "no evidence of involvement by Ukraine");
    `alone` marks an exclusive value ("acted alone"); `holders` name who holds it (speaker
    names; empty for the outlet's own voice).
    """

    slot: Literal["destination", "responsibility"]
    value: str
    polarity: int = 1
    holders: list[str] = Field(default_factory=list)
    alone: bool = False


class ClaimUnit(Span):
    """One claim inside one article: a span smaller than a paragraph, with what it holds."""

    id: str
    article: str
    speaker: str | None = None
    attributions: list[str] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    # Superlative lemmas ("worst" for every severity superlative): records compare on them.
    superlatives: list[str] = Field(default_factory=list)
    # True for a record phrase nested inside another claim of the same sentence.
    nested: bool = False
    # A relative clause rewritten to stand alone ("Putin linked the attack to Ukraine").
    standalone: str | None = None
    # True when the claim is, or opens, a direct quotation.
    quoted: bool = False
    facts: list[Fact] = Field(default_factory=list)


class AnalyzedArticle(BaseModel):
    """An article with everything the analysis found in it."""

    article: Article
    sentences: list[Span] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    claims: list[ClaimUnit] = Field(default_factory=list)
    hedges: list[Hedge] = Field(default_factory=list)
    sources_cited: list[CitedSource] = Field(default_factory=list)
    descriptors: list[Descriptor] = Field(default_factory=list)


class Story(BaseModel):
    """Articles about one real-world event."""

    id: str
    articles: list[str]


# --- the dossier ---------------------------------------------------------------------------


class DossierArticle(BaseModel):
    id: str
    source: str
    outlet: str | None
    title: str | None
    published: str | None
    authors: list[str] = Field(default_factory=list)
    boilerplate: list[BoilerplateLine] = Field(default_factory=list)
    text: str = ""


class Actor(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    descriptors: dict[str, list[str]] = Field(default_factory=dict)


class DossierAttribution(BaseModel):
    id: str
    article: str
    speaker: str | None
    speaker_text: str | None
    cue: str
    kind: AttributionKind
    stance: Stance
    content: str
    span: tuple[int, int]


class Mention(BaseModel):
    """Where in which article something is said."""

    article: str
    span: tuple[int, int]
    text: str


class Claim(BaseModel):
    id: str
    text: str
    speaker: str | None = None
    status: ClaimStatus
    mentions: list[Mention]


class ConflictSide(BaseModel):
    text: str
    holders: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list)


class ClaimRelation(BaseModel):
    """Two claims that are not the same but bear on each other ("elaborates": each, or the
    second, adds detail to the other; `note` says which)."""

    id: str
    kind: Literal["elaborates"] = "elaborates"
    claims: list[str]
    note: str = ""
    score: float | None = None


class Conflict(BaseModel):
    id: str
    kind: ConflictKind
    about: str
    sides: list[ConflictSide]


class DossierHedge(BaseModel):
    article: str
    span: tuple[int, int]
    text: str
    applies_to: str | None = None


class SourceCitation(BaseModel):
    name: str
    articles: list[str]
    spans: list[Mention] = Field(default_factory=list)


class TimelineEntry(BaseModel):
    date: str
    text: str
    articles: list[str]
    claims: list[str] = Field(default_factory=list)


class Dossier(BaseModel):
    """Everything parallax shows about one story (JSON schema `parallax.dossier/1`)."""

    schema_: Literal["parallax.dossier/1"] = Field(DOSSIER_SCHEMA, alias="schema")
    story: str
    articles: list[DossierArticle]
    actors: list[Actor] = Field(default_factory=list)
    attributions: list[DossierAttribution] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    relations: list[ClaimRelation] = Field(default_factory=list)
    hedges: list[DossierHedge] = Field(default_factory=list)
    sources_cited: list[SourceCitation] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)

    model_config = {"populate_by_name": True}


def dossier_json_schema() -> dict:
    """The JSON schema of the dossier, as `parallax schema` prints it."""
    return Dossier.model_json_schema(by_alias=True)
