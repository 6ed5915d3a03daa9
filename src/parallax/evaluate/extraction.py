"""Article-body extraction quality on the article-extraction-benchmark (AEB) set.

The metric is the benchmark's own: shingles of four `\\w+` tokens, true/false positives and
false negatives counted per document and normalised so that long pages weigh no more than short
ones, then summed over documents; precision, recall and F1 come from those sums.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class ExtractionScore:
    """Precision, recall and F1 of 4-gram shingles over a set of documents."""

    precision: float
    recall: float
    f1: float
    documents: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "documents": self.documents,
        }


@dataclass(frozen=True)
class AebPage:
    """One benchmark page: its key, URL, gzipped-HTML path, naive full text and true body."""

    key: str
    url: str
    html_path: Path
    full_text: str
    body: str


def shingles(text: str, n: int = 4) -> Counter[str]:
    """Counts of the n-token shingles of `text` (tokens are `\\w+` runs)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        " ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one document; all zero when both texts are empty."""
    expected, found = shingles(true), shingles(predicted)
    tp = fp = fn = 0
    for key in expected.keys() | found.keys():
        want, got = expected.get(key, 0), found.get(key, 0)
        tp += min(want, got)
        fp += max(0, got - want)
        fn += max(0, want - got)
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score(pairs: Iterable[tuple[str, str]]) -> ExtractionScore:
    """The benchmark score of (true body, predicted body) pairs."""
    counts = [shingle_counts(true, predicted) for true, predicted in pairs]
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScore(precision, recall, f1, len(counts))


def data_root() -> Path | None:
    """../shared/data/extraction-aeb beside the repository (or the working directory), if there."""
    for base in (Path(__file__).resolve().parents[3], Path.cwd()):
        root = base / ".." / "shared" / "data" / "extraction-aeb"
        if (root / "ground-truth.json").is_file():
            return root
    return None


def load_aeb(root: Path) -> list[AebPage]:
    """The pages of ../shared/data/extraction-aeb, in key order; FileNotFoundError when absent."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    full = json.loads((root / "full-page-text.json").read_text(encoding="utf-8"))
    return [
        AebPage(
            key=key,
            url=truth[key]["url"],
            html_path=root / "html" / f"{key}.html.gz",
            full_text=full[key]["text"],
            body=truth[key]["articleBody"],
        )
        for key in sorted(truth)
    ]


def split_of(key: str) -> str:
    """ "dev" or "test": a fixed half of the pages by hash, so rules tuned on dev are checked on test."""
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def html_predictions(pages: list[AebPage]) -> list[str]:
    """Article bodies found by parallax in each page's HTML (empty when nothing is found)."""
    from parallax.errors import InputError
    from parallax.ingest.html import article_from_html, decode_html

    bodies = []
    for page in pages:
        data = gzip.decompress(page.html_path.read_bytes())
        try:
            article = article_from_html(
                decode_html(data, None), source=page.key, article_id=page.key, url=page.url
            )
            bodies.append(article.kept_text())
        except InputError:
            bodies.append("")
    return bodies


def text_predictions(pages: list[AebPage]) -> list[str]:
    """The kept text of each page's naive full text after parallax's line cleaning.

    Pages go through the same path as a JSON Lines file with `text` and `url` fields given to
    `parallax extract`: one batch, so lines repeated across an outlet's pages count. No HTML
    is looked at.
    """
    from parallax.ingest.records import Record
    from parallax.ingest.sources import article_from_text, clean_across

    articles = [
        article_from_text(page.full_text, page.key, Record(source=page.key, url=page.url))
        for page in pages
    ]
    return [article.kept_text() for article in clean_across(articles)]


def evaluate(
    root: Path, mode: str, split: str = "all", predict: Callable | None = None
) -> ExtractionScore:
    """F1 of parallax on AEB, `mode` "html" (bodies from HTML) or "text" (cleaning full text)."""
    pages = load_aeb(root)
    if split != "all":
        pages = [page for page in pages if split_of(page.key) == split]
    predictor = predict or (html_predictions if mode == "html" else text_predictions)
    predictions = predictor(pages)
    return score(zip((page.body for page in pages), predictions, strict=True))
