"""HTML: charset detection, author normalisation, metadata."""

from __future__ import annotations

from parallax.ingest.html import decode_html, looks_like_html, normalise_authors, page_language


def test_authors_are_people_without_duplicates() -> None:
    assert normalise_authors("By Tom Krisher; Ap Auto Writer") == ["Tom Krisher"]
    assert normalise_authors("Reuters") == []
    assert normalise_authors("News Nation Bureau") == []
    assert normalise_authors("JANE DOE, jane doe and John Smith") == ["Jane Doe", "John Smith"]
    assert normalise_authors("by Ana Lima | The Daily Post", outlet="The Daily Post") == [
        "Ana Lima"
    ]
    assert normalise_authors("@handle; https://x.example/j") == []


def test_charsets_survive() -> None:
    russian = "<html><body><p>Президент заявил, что граница закрыта.</p></body></html>"
    # No declaration at all: detection must tell cp1251 from latin-1.
    assert "Президент" in decode_html(russian.encode("cp1251"), None)
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Café “déjà vu”</p>'
    assert "Café “déjà vu”" in decode_html(latin.encode("cp1252"), None)
    assert "Президент" in decode_html(russian.encode("utf-8"), "utf-8")
    # A wrong HTTP charset that cannot decode the bytes is not trusted.
    assert "Президент" in decode_html(russian.encode("utf-8"), "ascii")


def test_html_sniffing_and_language() -> None:
    assert looks_like_html(b"  <!DOCTYPE html><html>")
    assert looks_like_html(b"<div><p>a</p><p>b</p></div>")
    assert not looks_like_html(b"Plain text that mentions <b> once.")
    assert page_language('<html lang="pt-BR"><head>') == "pt"
