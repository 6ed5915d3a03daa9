"""The web app and JSON API on real SQLite and real PostgreSQL, through FastAPI's test client:
pages, exports, uploads, escaping of hostile article text, write tokens and request guards."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import backend_url
from parallax.ingest.sources import read_inputs
from parallax.model import Article
from parallax.store import Store
from parallax.store.ingest import ingest_articles
from parallax.web.app import LOOPBACK_HOSTS, create_app
from parallax.web.views import STORY_TABLES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOSTILE = (
    "Harbour officials deny cover-up <script>window.pwned=1</script>\n\n"
    'The harbour master said on Monday that "<img src=x onerror=alert(1)>" was the only '
    "message found on the depot's server.\n\n"
    "An official said the investigation <b onmouseover=alert(2)>would</b> take weeks.\n"
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """A store with the three examples as one story, and a test client of the app over it."""
    store = Store(backend_url(request.param, tmp_path_factory.mktemp(request.param)))
    articles = [a for a in read_inputs(sorted(map(str, EXAMPLES.glob("*.txt"))))]
    assert all(isinstance(a, Article) for a in articles)
    report = ingest_articles(store, articles)
    client = TestClient(create_app(store))
    yield client, store, report
    store.close()


def test_stories_page_lists_and_searches(site):
    client, _, report = site
    story = report.stories[0]
    page = client.get("/")
    assert page.status_code == 200 and f"/stories/{story}" in page.text
    assert f"/stories/{story}" in client.get("/", params={"q": "depot sabotage"}).text
    assert f"/stories/{story}" not in client.get("/", params={"q": "volcano"}).text
    assert client.get("/", params={"from": "not-a-date"}).status_code == 422


def test_story_page_shows_matrix_conflicts_framing_sources_timeline(site):
    client, store, report = site
    story = report.stories[0]
    page = client.get(f"/stories/{story}")
    assert page.status_code == 200
    dossier = store.get_story(story).dossier
    for section in ("claims", "contested", "framing", "sources", "timeline", "articles"):
        assert f'id="{section}"' in page.text
    assert page.text.count('<tr class="claim ') == len(dossier.claims)
    corroborated = next(c for c in dossier.claims if c.status == "corroborated")
    assert f'id="ev-{corroborated.id}"' in page.text
    assert page.text.count(f'<mark class="m" data-claim="{corroborated.id}">') == len(
        corroborated.mentions
    )
    assert client.get("/stories/nope").status_code == 404


def test_dossier_exports_as_json_and_every_table_as_csv(site):
    client, store, report = site
    story = report.stories[0]
    body = client.get(f"/api/stories/{story}").json()
    assert body["schema"] == "parallax.dossier/1" and body["story"] == story
    assert len(body["articles"]) == 3
    for table in STORY_TABLES:
        response = client.get(f"/api/stories/{story}", params={"format": "csv", "table": table})
        assert response.status_code == 200, table
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows and rows[0], table
    claims = list(
        csv.DictReader(
            io.StringIO(client.get(f"/api/stories/{story}", params={"format": "csv"}).text)
        )
    )
    assert len(claims) == len(body["claims"])
    bad = client.get(f"/api/stories/{story}", params={"format": "csv", "table": "nope"})
    assert bad.status_code == 422
    listing = client.get("/api/stories", params={"format": "csv"}).text
    assert story in listing
    assert [s["id"] for s in client.get("/api/stories", params={"q": "depot"}).json()] == [story]


def test_article_page_highlights_attributions(site):
    client, store, report = site
    key = report.stored[0]
    stored = store.get_article(key)
    page = client.get(f"/articles/{key}")
    assert page.status_code == 200
    assert 'class="speaker ' in page.text and 'class="cue ' in page.text
    assert page.text.count('<li data-a="') == len(stored.analysis.attributions)
    data = client.get(f"/api/articles/{key}").json()
    assert data["article"]["id"] == key and data["story"] == report.stories[0]
    rows = list(csv.reader(io.StringIO(client.get(f"/api/articles/{key}?format=csv").text)))
    assert len(rows) == 1 + len(stored.analysis.attributions)


def test_actor_page_shows_what_was_attributed_to_them(site):
    client, store, report = site
    dossier = store.get_story(report.stories[0]).dossier
    speaking = [a for a in dossier.attributions if a.speaker]
    name = next(x.name for x in dossier.actors if x.id == speaking[0].speaker)
    found = client.get("/api/actors", params={"name": name}).json()
    actor_id = next(a["id"] for a in found if a["name"] == name)
    data = client.get(f"/api/actors/{actor_id}").json()
    said = [a for a in speaking if a.speaker == speaking[0].speaker]
    assert sorted(a["content"] for a in data["attributions"]) == sorted(a.content for a in said)
    page = client.get(f"/actors/{actor_id}")
    assert page.status_code == 200 and name in page.text
    assert said[0].content.split()[0] in page.text
    assert client.get(f"/api/actors/{actor_id}?format=csv").text.startswith("story,")


def test_hostile_article_text_renders_inert(site):
    client, _, _ = site
    response = client.post(
        "/api/articles", files=[("files", ("hostile.txt", HOSTILE.encode(), "text/plain"))]
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert len(result["stored"]) == 1
    for path in (f"/articles/{result['stored'][0]}", f"/stories/{result['stories'][0]}", "/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>window.pwned" not in page.text
        assert "<img src=x" not in page.text and "<b onmouseover" not in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    article = client.get(f"/articles/{result['stored'][0]}").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in article
    assert "onerror=alert(1)" in article  # shown as text, inside an escaped tag


def test_upload_twice_stores_once_and_form_redirects_to_story(site):
    client, _, _ = site
    text = b"Dock strike ends after nine days\n\nUnion leaders said on Friday the strike was over."
    first = client.post(
        "/add", files=[("files", ("strike.txt", text, "text/plain"))], follow_redirects=False
    )
    assert first.status_code == 303 and first.headers["location"].startswith("/stories/")
    again = client.post("/api/articles", files=[("files", ("again.txt", text, "text/plain"))])
    assert again.json()["stored"] == [] and again.json()["duplicates"] == ["again.txt"]


def test_private_and_loopback_urls_are_refused(site):
    client, store, _ = site
    before = store.counts()["articles"]
    urls = "http://127.0.0.1:9/news\nhttp://10.0.0.1/news\nhttp://[::1]/x"
    response = client.post("/api/articles", data={"urls": urls})
    body = response.json()
    assert response.status_code == 422 and body["stored"] == []
    assert len(body["errors"]) == 3
    assert store.counts()["articles"] == before


def test_write_endpoints_need_the_token_when_set(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'token.db'}")
    client = TestClient(create_app(store, token="s3cret-token"))
    upload = [
        ("files", ("a.txt", b"Mayor resigns\n\nThe mayor said she would resign.", "text/plain"))
    ]
    assert client.post("/api/articles", files=upload).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/articles", files=upload, headers=wrong).status_code == 401
    assert client.post("/add", files=upload, data={"token": "nope"}).status_code == 401
    assert store.counts()["articles"] == 0
    right = {"Authorization": "Bearer s3cret-token"}
    assert client.post("/api/articles", files=upload, headers=right).status_code == 200
    assert store.counts()["articles"] == 1
    assert client.get("/").status_code == 200, "reading needs no token"
    store.close()


def test_loopback_app_refuses_foreign_hosts_and_cross_site_writes(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'guard.db'}")
    client = TestClient(
        create_app(store, allowed_hosts=LOOPBACK_HOSTS), base_url="http://127.0.0.1"
    )
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    cross = client.post(
        "/api/articles", data={"urls": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert cross.status_code == 403
    store.close()


def test_openapi_documents_the_api(site):
    client, _, _ = site
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{key}",
        "/api/actors/{actor_id}",
        "/api/articles",
    ):
        assert path in paths
