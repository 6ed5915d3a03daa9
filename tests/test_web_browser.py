"""The story page in a real browser (Debian's chromium driven by Playwright): click a claim,
see its sentences highlighted in every outlet, save a screenshot; hostile text stays inert."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from parallax.ingest.sources import read_bytes, read_inputs
from parallax.store import Store
from parallax.store.ingest import ingest_articles
from parallax.web.app import LOOPBACK_HOSTS, create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOSTILE = (
    b"Port authority denies leak <script>window.pwned = 1; alert('x')</script>\n\n"
    b'The port authority said on Monday that <img src=x onerror="window.pwned=2"> was a prank.\n'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on 127.0.0.1 over a SQLite store with the examples and one hostile article."""
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    store = Store(f"sqlite:///{folder / 'parallax.db'}")
    story = ingest_articles(store, list(read_inputs(sorted(map(str, EXAMPLES.glob("*.txt"))))))
    hostile = ingest_articles(store, list(read_bytes(HOSTILE, "hostile.txt")))
    port = free_port()
    config = uvicorn.Config(
        create_app(store, allowed_hosts=LOOPBACK_HOSTS),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):  # bounded wait for startup
        if running.started:
            break
        time.sleep(0.05)
    assert running.started, "server did not start"
    yield f"http://127.0.0.1:{port}", store, story, hostile
    running.should_exit = True
    thread.join(timeout=10)
    store.close()


def test_clicking_a_claim_highlights_its_sentences(server, chromium, tmp_path):
    base, store, story, _ = server
    story_id = story.stories[0]
    dossier = store.get_story(story_id).dossier
    claim = max(
        (c for c in dossier.claims if c.status == "corroborated"), key=lambda c: len(c.mentions)
    )
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/stories/{story_id}")
    marks = page.locator(f'mark.m[data-claim="{claim.id}"]')
    assert marks.count() == len(claim.mentions)
    assert not marks.first.is_visible(), "evidence is hidden until a claim is chosen"

    page.click(f'tr.claim[data-claim="{claim.id}"]')
    highlighted = page.locator(f'mark.m.hl[data-claim="{claim.id}"]')
    assert highlighted.count() == len(claim.mentions)
    assert highlighted.first.is_visible()
    assert page.locator("mark.m.hl").count() == len(claim.mentions), "only this claim's"
    assert "active" in (page.get_attribute(f'tr.claim[data-claim="{claim.id}"]', "class") or "")
    background = highlighted.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shown = " ".join(highlighted.all_inner_texts())
    assert all(m.text.split()[0] in shown for m in claim.mentions)

    shot = tmp_path / "story.png"  # kept under pytest's basetemp for a person to look at
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    assert errors == []
    page.close()


def test_article_page_marks_speakers_and_cues(server, chromium):
    base, store, story, _ = server
    key = story.stored[0]
    page = chromium.new_page()
    page.goto(f"{base}/articles/{key}")
    analysis = store.get_article(key).analysis
    assert page.locator("article.text span.cue").count() >= len(analysis.attributions)
    page.click("ol.attributions li >> nth=0")
    assert page.locator("article.text .active").count() >= 2  # cue and content at least
    page.close()


def test_hostile_markup_does_not_run(server, chromium):
    base, _, _, hostile = server
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (f"/articles/{hostile.stored[0]}", f"/stories/{hostile.stories[0]}", "/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.pwned === undefined")
        assert page.locator("img[src=x]").count() == 0
    page.goto(f"{base}/articles/{hostile.stored[0]}")
    assert "<script>window.pwned = 1" in page.inner_text("article.text")
    assert dialogs == []
    page.close()
