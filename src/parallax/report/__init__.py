"""Rendering a dossier: JSON, Markdown, standalone HTML, CSV and Parquet tables."""

from __future__ import annotations

from parallax.model import Dossier


def render(dossier: Dossier, fmt: str) -> str:
    """The dossier as text in one of the formats `json`, `md`, `html`."""
    if fmt == "json":
        from parallax.report.json import to_json

        return to_json(dossier)
    if fmt == "md":
        from parallax.report.markdown import to_markdown

        return to_markdown(dossier)
    if fmt == "html":
        from parallax.report.html import to_html

        return to_html(dossier)
    raise ValueError(f"unknown report format {fmt!r}; use json, md or html")
