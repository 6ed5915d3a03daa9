"""The analysis stage: Articles in, AnalyzedArticles out (sentences, entities, attributions,
claims, numbers, hedges, cited sources, descriptors).

Texts are parsed in batches with `nlp.pipe`; boilerplate is blanked (not removed) before
parsing so that every offset is an offset into `Article.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.attrs import IS_TITLE, POS
from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Doc

from parallax.model import AnalyzedArticle, Article, Attribution, Entity, Span
from parallax.nlp import framing
from parallax.nlp.claims import build_claims
from parallax.nlp.doctext import doc_text
from parallax.nlp.numbers import find_quantities
from parallax.nlp.pipeline import load_nlp

# Entity labels worth tracking as actors, places and facts.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "DATE", "WORK_OF_ART"}


def analyze_doc(article: Article, doc: Doc) -> AnalyzedArticle:
    """Everything parallax reads from one parsed article; `doc` was made from its masked text."""
    attributions = [
        a.model_copy(update={"id": f"{article.id}:{a.id}", "doc": article.id})
        for a in getattr(doc._, "attributions", None) or []
    ]
    entities = [
        Entity(start=e.start_char, end=e.end_char, text=e.text, label=e.label_)
        for e in doc.ents
        if e.label_ in ENTITY_LABELS and e.text.strip()
    ]
    entities = sorted(entities + find_unlabelled_names(doc), key=lambda e: e.start)
    quantities = find_quantities(doc)
    claims = build_claims(doc, article.id, attributions, entities, quantities)
    text = doc_text(doc)
    sentences = [
        Span(start=s.start_char, end=s.end_char, text=text[s.start_char : s.end_char])
        for s in doc.sents
        if text[s.start_char : s.end_char].strip()
    ]
    return AnalyzedArticle(
        article=article,
        sentences=sentences,
        entities=entities,
        attributions=attributions,
        claims=claims,
        hedges=framing.find_hedges(doc),
        sources_cited=framing.find_cited_sources(
            doc, credits=article.credits, self_outlet=article.outlet
        ),
        descriptors=framing.find_descriptors(doc, actors=_speaker_names(attributions)),
    )


def find_unlabelled_names(doc: Doc) -> list[Entity]:
    """Names the NER missed: acronyms ("IS", "FSB") and runs of two or more proper nouns.

    They are labelled ACRONYM and NAME; they serve alias merging and claim alignment (so that
    "IS" can meet "Islamic State"), never the actor list, which keeps to NER's labels.
    """
    covered = {i for e in doc.ents for i in range(e.start, e.end)}
    # Part of speech and title case of every token, read once (a Token object costs more).
    proper = [pos == PROPN for pos in doc.to_array(POS).tolist()]
    title = [flag == 1 for flag in doc.to_array(IS_TITLE).tolist()]
    found: list[Entity] = []
    i = 0
    while i < len(doc):
        if i in covered:
            i += 1
            continue
        if proper[i]:
            token = doc[i]
            bare = token.text.replace(".", "")
            if 2 <= len(bare) <= 5 and bare.isalpha() and bare.isupper():
                found.append(
                    Entity(
                        start=token.idx,
                        end=token.idx + len(token),
                        text=token.text,
                        label="ACRONYM",
                    )
                )
                i += 1
                continue
        j = i
        while j < len(doc) and j not in covered and proper[j] and title[j]:
            j += 1
        if j - i >= 2:
            span = doc[i:j]
            found.append(
                Entity(start=span.start_char, end=span.end_char, text=span.text, label="NAME")
            )
        i = max(j, i + 1)
    return found


def _speaker_names(attributions: Iterable[Attribution]) -> list[str]:
    return sorted({a.speaker.name for a in attributions if a.speaker and a.speaker.name})


def iter_analyzed(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[AnalyzedArticle]:
    """Analyze articles lazily, in parse batches of `batch_size`."""
    nlp = nlp or load_nlp()
    pending = iter(articles)
    buffer: list[Article] = []

    def texts() -> Iterator[str]:
        for article in pending:
            buffer.append(article)
            yield article.masked_text()

    for doc in nlp.pipe(texts(), batch_size=batch_size):
        yield analyze_doc(buffer.pop(0), doc)


def analyze_articles(
    articles: Iterable[Article], nlp: Language | None = None
) -> list[AnalyzedArticle]:
    """Analyze every article (see `iter_analyzed`)."""
    return list(iter_analyzed(articles, nlp=nlp))
