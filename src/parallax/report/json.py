"""The dossier as JSON (schema parallax.dossier/1)."""

from __future__ import annotations

from parallax.model import Dossier


def to_json(dossier: Dossier, indent: int | None = 2) -> str:
    """The dossier serialised with its schema tag, one document, newline-terminated."""
    return dossier.model_dump_json(by_alias=True, indent=indent) + "\n"
