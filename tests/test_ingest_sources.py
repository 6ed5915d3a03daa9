"""Reading files, directories, stdin, JSON Lines, WARC and gzip; bad input named with its reason."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.cli import app
from parallax.errors import InputError
from parallax.ingest.sources import read_inputs
from parallax.model import Article

NEWS = (
    "Officials in the northern province said on Monday that the new railway line would open "
    "in June, two years later than first planned, because of a shortage of steel.\n\n"
    "The transport minister told reporters that the delay had cost the treasury about "
    "forty million dollars, and promised that ticket prices would not rise this year.\n"
)
HTML = (
    "<html><head><title>Railway line to open in June</title></head><body><article>"
    + "".join(f"<p>{p}</p>" for p in NEWS.split("\n\n"))
    + "</article></body></html>"
)


def _warc(records: list[tuple[str, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for uri, body, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buffer.getvalue()


def _read(*inputs: str) -> list[Article | InputError]:
    return list(read_inputs(list(inputs)))


def test_text_file_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(NEWS.encode("utf-8"))
    (article,) = _read(str(path))
    assert isinstance(article, Article)
    assert article.text == NEWS and article.kind == "text" and article.id == "story"


def test_directory_is_sniffed_by_content(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.dat").write_text(HTML, encoding="utf-8")  # HTML without .html
    (tmp_path / "notes").write_text(NEWS, encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    results = _read(str(tmp_path))
    assert [type(r).__name__ for r in results] == ["Article", "Article"]
    kinds = {r.source.rsplit("/", 1)[1]: r.kind for r in results if isinstance(r, Article)}
    assert kinds == {"notes": "text", "page.dat": "html"}


def test_jsonl_with_text_and_html(tmp_path: Path) -> None:
    lines = [
        {
            "text": NEWS,
            "url": "https://news.example.org/rail",
            "outlet": "Example News",
            "published": "2024-03-26",
        },
        {"html": HTML, "url": "https://other.example.com/a", "title": "Given title"},
        {"neither": 1},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text(
        "\n".join(json.dumps(line) for line in lines) + "\nnot json\n", encoding="utf-8"
    )
    results = _read(str(path))
    first, second, third, fourth = results
    assert isinstance(first, Article) and first.outlet == "Example News"
    assert first.published == "2024-03-26" and first.text == NEWS
    assert isinstance(second, Article) and second.title == "Given title"
    assert second.outlet == "other.example.com" and "railway line" in second.text
    assert isinstance(third, InputError) and third.source.endswith(":3")
    assert isinstance(fourth, InputError) and "not valid JSON" in fourth.reason


def test_warc_response_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        _warc(
            [
                ("https://wire.example.net/rail", HTML.encode(), "text/html; charset=utf-8"),
                ("https://wire.example.net/logo.png", b"\x89PNG", "image/png"),
            ]
        )
    )
    (article,) = _read(str(path))
    assert isinstance(article, Article)
    assert article.url == "https://wire.example.net/rail" and "railway line" in article.text


def test_bad_inputs_each_give_one_reason(tmp_path: Path) -> None:
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(HTML.encode())[:60])
    (tmp_path / "feed.rss").write_text("definitely not xml", encoding="utf-8")
    (tmp_path / "nothing.html").write_text(
        "<html><body><div></div></body></html>", encoding="utf-8"
    )
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # a sparse 200 MB file: refused by size, never read
        handle.truncate(200 * 1024 * 1024)
    results = {Path(r.source).name: r for r in _read(str(tmp_path), str(tmp_path / "absent.txt"))}
    assert all(isinstance(r, InputError) for r in results.values())
    reasons = {name: r.reason for name, r in results.items()}
    assert reasons["binary.bin"].startswith("binary")
    assert reasons["empty.txt"].startswith("empty")
    assert "truncated gzip" in reasons["broken.html.gz"]
    assert "not a valid RSS/Atom feed" in reasons["feed.rss"]
    assert "no article text" in reasons["nothing.html"]
    assert "too large" in reasons["huge.txt"]
    assert reasons["absent.txt"] == "no such file"


def test_cli_extract_mixed_inputs_and_exit_code(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Home\n\n" + NEWS + "\nWith inputs from AP\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(good), str(tmp_path / "absent.txt"), "-"], input=HTML
    )
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["source"] for r in records] == [str(good), "-"]
    assert records[0]["credits"] == ["With inputs from AP"]
    assert records[0]["text"].startswith("Officials in the northern province")
    assert "absent.txt: no such file" in result.stderr


def test_cli_extract_dedup_groups_copies(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(NEWS, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--dedup", str(tmp_path)])
    assert result.exit_code == 0
    groups = [json.loads(line).get("duplicate_group") for line in result.stdout.splitlines()]
    assert groups[0] is not None and groups[0] == groups[1]
