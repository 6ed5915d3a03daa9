"""The text of a parsed doc, built once.

spaCy joins every token again on each `doc.text`; the attribution component and the claim
builder read it many times per doc, so they share one copy kept in `doc.user_data`.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "parallax_doc_text"


def doc_text(doc: Doc) -> str:
    """doc.text, built on the first call and kept on the doc."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def forget_doc_text(doc: Doc) -> None:
    """Drop the kept copy (so that a doc handed back to a caller carries no extra text)."""
    doc.user_data.pop(_KEY, None)
