"""The parallax web app: server-rendered pages over the store, and a JSON API (OpenAPI docs at
/docs, schema at /openapi.json).

Safety: every piece of article text reaches the page through Jinja2's autoescaping, and the
Content-Security-Policy allows scripts only from /static, so markup inside an article stays
inert even if it slipped through. Write endpoints need the server's token when it has one
(`parallax serve` insists on one for any address but loopback) and refuse cross-site requests.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from parallax.errors import InputError
from parallax.ingest.sources import MAX_BYTES, clean_across, read_bytes
from parallax.model import Article
from parallax.store.ingest import Grouping, IngestReport, ingest_articles, one_story
from parallax.store.repo import ActorAttribution, Store, StoryQuery, StorySummary
from parallax.web import views

HERE = Path(__file__).parent
PAGE_SIZE = 50
# Uploads above this many bytes in one request are refused before they are read.
MAX_REQUEST_BYTES = 4 * MAX_BYTES
MAX_FILES = 200
MAX_URLS = 50
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


# --- API shapes ----------------------------------------------------------------------------


class ActorRef(BaseModel):
    id: int
    name: str
    type: str


class ActorOut(BaseModel):
    id: int
    name: str
    type: str
    stories: list[dict[str, str | None]]
    descriptors: list[dict[str, str | None]]
    # The store's dataclass serves as the response model: pydantic validates dataclasses.
    attributions: list[ActorAttribution]


class ArticleOut(BaseModel):
    story: str
    article: dict[str, Any]
    sentences: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    hedges: list[dict[str, Any]]
    sources_cited: list[dict[str, Any]]
    descriptors: list[dict[str, Any]]


class IngestOut(BaseModel):
    stored: list[str]
    duplicates: list[str]
    stories: list[str]
    errors: list[str]


class OutletOut(BaseModel):
    outlet: str
    articles: int


# --- helpers -------------------------------------------------------------------------------


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["status_label"] = lambda s: str(s).replace("_", " ")
    env.globals["urlencode"] = urlencode
    return env


def parse_date(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD query value as a date; HTTP 422 naming the parameter otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None


def csv_response(header: list[str], rows: list[list], filename: str) -> Response:
    return Response(
        views.to_csv(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def read_urls(urls: list[str]) -> tuple[list[Article], list[str]]:
    """Articles fetched from the URLs by the ingestion reader, with its guards: private,
    loopback and link-local addresses are always refused here (whatever
    PARALLAX_ALLOW_PRIVATE says), since the request comes from whoever can reach the page."""
    from parallax.ingest.sources import read_inputs, read_options

    articles, errors = [], []
    for item in read_inputs(urls, read_options(allow_private=False)):
        if isinstance(item, InputError):
            errors.append(f"{item.source}: {item.reason}")
        else:
            articles.append(item)
    return articles, errors


class StoryCache:
    """Story views by (story id, dossier version): a rebuilt dossier gets a new version, so an
    entry never goes stale; the least recently used ones are dropped."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self.items: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, story_id: str, version: int):
        with self.lock:
            hit = self.items.get(story_id)
            if hit is None or hit[0] != version:
                return None
            self.items.move_to_end(story_id)
            return hit[1]

    def put(self, story_id: str, version: int, value) -> None:
        with self.lock:
            self.items[story_id] = (version, value)
            self.items.move_to_end(story_id)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


# --- the app -------------------------------------------------------------------------------


def create_app(
    store: Store,
    *,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
    grouping: Grouping = one_story,
) -> FastAPI:
    """The web app over `store`. `token`: required for write endpoints when set.
    `allowed_hosts`: Host header values accepted (None accepts any; loopback servers pass
    their names, which stops DNS-rebinding pages from reaching them)."""
    app = FastAPI(
        title="parallax",
        summary="Several outlets' accounts of one event, side by side, claim by claim.",
        version="1",
    )
    templates = make_templates()
    cache = StoryCache()
    ingest_lock = threading.Lock()
    app.state.store = store
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        host = (request.headers.get("host") or "").lower()
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if allowed_hosts is not None and hostname not in allowed_hosts:
            return Response("unknown Host header", status_code=400, media_type="text/plain")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc.lower() != host:
                return Response("cross-origin write refused", 403, media_type="text/plain")
            if origin == "null" or request.headers.get("sec-fetch-site") == "cross-site":
                return Response("cross-site write refused", 403, media_type="text/plain")
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
                return Response("request too large", 413, media_type="text/plain")
        response = await call_next(request)
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def page(template: str, request: Request, status: int = 200, **context) -> HTMLResponse:
        html = templates.get_template(template).render(
            request_path=request.url.path, token_required=token is not None, **context
        )
        return HTMLResponse(html, status_code=status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page("error.html", request, status=404, message=f"{what} not found.")

    def token_ok(given: str | None) -> bool:
        if token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), token.encode())

    def header_token(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return request.headers.get("x-parallax-token")

    def story_view_for(story_id: str):
        version = store.story_version(story_id)
        if version is None:
            return None, None
        cached = cache.get(story_id, version)
        if cached is not None:
            return cached
        stored = store.get_story(story_id)
        if stored is None:
            return None, None
        view = views.story_view(stored.dossier, stored.summary.title) if stored.dossier else None
        value = (stored, view)
        cache.put(story_id, stored.version, value)
        return value

    def story_query(q: str, actor: str, outlet: str, date_from, date_to) -> StoryQuery:
        return StoryQuery(
            words=q,
            actor=actor,
            outlet=outlet,
            date_from=parse_date(date_from, "from"),
            date_to=parse_date(date_to, "to"),
        )

    async def read_uploads(files: list[UploadFile]) -> tuple[list[Article], list[str]]:
        articles, errors = [], []
        for upload in files[:MAX_FILES]:
            name = Path(upload.filename or "upload").name or "upload"
            data = await upload.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                errors.append(f"{name}: file too large (over {MAX_BYTES} bytes)")
                continue
            try:
                for item in read_bytes(data, name):
                    if isinstance(item, InputError):
                        errors.append(f"{item.source}: {item.reason}")
                    else:
                        articles.append(item)
            except InputError as exc:
                errors.append(f"{exc.source}: {exc.reason}")
        if len(files) > MAX_FILES:
            errors.append(f"only the first {MAX_FILES} files were read")
        return clean_across(articles), errors

    def fetch_urls(urls: list[str]) -> tuple[list[Article], list[str]]:
        articles, errors = read_urls(urls[:MAX_URLS])
        if len(urls) > MAX_URLS:
            errors.append(f"only the first {MAX_URLS} URLs were read")
        return articles, errors

    def run_ingest(articles: list[Article], story: str | None) -> IngestReport:
        with ingest_lock:  # one analysis at a time: the models are shared and CPU-bound
            return ingest_articles(store, articles, grouping=grouping, story=story)

    async def add(files: list[UploadFile], urls_text: str, story: str | None) -> IngestOut:
        if story and store.story_version(story) is None:
            raise HTTPException(404, f"story {story!r} not found")
        articles, errors = await read_uploads(files)
        urls = [u.strip() for u in urls_text.splitlines() if u.strip()]
        if urls:
            fetched, fetch_errors = await run_in_threadpool(fetch_urls, urls)
            articles += fetched
            errors += fetch_errors
        report = IngestReport()
        if articles:
            report = await run_in_threadpool(run_ingest, articles, story or None)
        return IngestOut(
            stored=report.stored,
            duplicates=report.duplicates,
            stories=report.stories,
            errors=errors,
        )

    # --- pages ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        q: str = "",
        actor: str = "",
        outlet: str = "",
        date_from: Annotated[str | None, Query(alias="from")] = None,
        date_to: Annotated[str | None, Query(alias="to")] = None,
        page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
    ):
        query = story_query(q, actor, outlet, date_from, date_to)
        found = store.list_stories(query, limit=PAGE_SIZE + 1, offset=(page_number - 1) * PAGE_SIZE)
        params = {
            k: v
            for k, v in {
                "q": q,
                "actor": actor,
                "outlet": outlet,
                "from": date_from or "",
                "to": date_to or "",
            }.items()
            if v
        }
        return page(
            "stories.html",
            request,
            stories=found[:PAGE_SIZE],
            more=len(found) > PAGE_SIZE,
            page_number=page_number,
            params=params,
            outlets=store.outlets()[:200],
            counts=store.counts(),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        stored, view = story_view_for(story_id)
        if stored is None:
            return not_found(request, f"Story {story_id}")
        return page(
            "story.html",
            request,
            story=stored.summary,
            view=view,
            tables=views.STORY_TABLES,
        )

    @app.get("/articles/{key}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, key: str):
        stored = store.get_article(key)
        if stored is None:
            return not_found(request, f"Article {key}")
        story, _ = story_view_for(stored.story_id)
        dossier = story.dossier if story is not None else None
        return page(
            "article.html",
            request,
            stored=stored,
            article=stored.article,
            view=views.article_view(stored.analysis, dossier, stored.actors),
        )

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, name: str = ""):
        found = store.find_actors(name, limit=100) if name.strip() else []
        return page("actors.html", request, name=name, actors=found)

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: int):
        actor = store.get_actor(actor_id)
        if actor is None:
            return not_found(request, f"Actor {actor_id}")
        return page("actor.html", request, actor=actor)

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page(request: Request, story: str = ""):
        return page("add.html", request, story=story, result=None, errors=[])

    @app.post("/add", response_class=HTMLResponse, include_in_schema=False)
    async def add_form(
        request: Request,
        files: Annotated[list[UploadFile], File()] = [],  # noqa: B006 (FastAPI copies it)
        urls: Annotated[str, Form()] = "",
        story: Annotated[str, Form()] = "",
        token_field: Annotated[str | None, Form(alias="token")] = None,
    ):
        if not token_ok(token_field or header_token(request)):
            return page(
                "add.html",
                request,
                401,
                story=story,
                result=None,
                errors=["wrong or missing token"],
            )
        files = [f for f in files if f.filename]
        if not files and not urls.strip():
            return page(
                "add.html",
                request,
                422,
                story=story,
                result=None,
                errors=["choose a file or give a URL"],
            )
        try:
            result = await add(files, urls, story or None)
        except HTTPException as exc:
            return page(
                "add.html",
                request,
                exc.status_code,
                story=story,
                result=None,
                errors=[str(exc.detail)],
            )
        if len(result.stories) == 1 and not result.errors:
            return RedirectResponse(f"/stories/{result.stories[0]}", status_code=303)
        return page("add.html", request, story=story, result=result, errors=result.errors)

    # --- API -----------------------------------------------------------------------------

    @app.get(
        "/api/stories",
        response_model=list[StorySummary],
        tags=["stories"],
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_stories(
        q: Annotated[str, Query(description="Words that must all occur in an article")] = "",
        actor: Annotated[str, Query(description="Part of an actor's name")] = "",
        outlet: Annotated[str, Query(description="Part of an outlet's name")] = "",
        date_from: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    ):
        """Stories matching every filter given (words, actor, outlet, date range)."""
        query = story_query(q, actor, outlet, date_from, date_to)
        found = store.list_stories(query, limit=limit, offset=offset)
        if format == "csv":
            header = ["story", "title", "articles", "outlets", "first_published"]
            header += ["last_published", "updated_at"]
            rows = [
                [s.id, s.title, s.article_count, s.outlets, s.first_published, s.last_published]
                + [s.updated_at]
                for s in found
            ]
            return csv_response(header, rows, "stories.csv")
        return found

    @app.get(
        "/api/stories/{story_id}",
        tags=["stories"],
        responses={
            200: {
                "description": "The dossier (parallax.dossier/1) or a CSV table",
                "content": {"application/json": {}, "text/csv": {}},
            }
        },
    )
    def api_story(
        story_id: str,
        format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
        table: Annotated[
            str, Query(description="For CSV: " + ", ".join(views.STORY_TABLES))
        ] = "claims",
    ):
        """A story's dossier as JSON (schema parallax.dossier/1), or one of its tables as CSV."""
        stored, view = story_view_for(story_id)
        if stored is None:
            raise HTTPException(404, f"story {story_id!r} not found")
        if stored.dossier is None:
            raise HTTPException(409, f"story {story_id!r} has no dossier yet")
        if format == "csv":
            try:
                header, rows = views.story_table(stored.dossier, view, table)
            except ValueError as exc:
                raise HTTPException(422, str(exc)) from None
            return csv_response(header, rows, f"{story_id}-{table}.csv")
        return Response(
            stored.dossier.model_dump_json(by_alias=True), media_type="application/json"
        )

    @app.get(
        "/api/articles/{key}",
        response_model=ArticleOut,
        tags=["articles"],
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_article(key: str, format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"):
        """One article with everything the analysis found in it (CSV: its attributions)."""
        stored = store.get_article(key)
        if stored is None:
            raise HTTPException(404, f"article {key!r} not found")
        analysis = stored.analysis.model_dump(mode="json")
        if format == "csv":
            header = ["id", "kind", "stance", "negated", "speaker", "cue", "content"]
            header += ["start", "end"]
            rows = [
                [a.id, a.kind, a.stance, a.negated, a.speaker.text if a.speaker else None]
                + [a.cue.text, a.content.text, a.content.start, a.content.end]
                for a in stored.analysis.attributions
            ]
            return csv_response(header, rows, f"{key}-attributions.csv")
        return ArticleOut(story=stored.story_id, **analysis)

    @app.get("/api/actors", response_model=list[ActorRef], tags=["actors"])
    def api_actors(name: Annotated[str, Query(min_length=1)]):
        """Actors whose name contains `name` (case and punctuation ignored)."""
        return [ActorRef(id=i, name=n, type=t) for i, n, t in store.find_actors(name, limit=100)]

    @app.get(
        "/api/actors/{actor_id}",
        response_model=ActorOut,
        tags=["actors"],
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_actor(actor_id: int, format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"):
        """An actor with everything attributed to them across stories (CSV: attributions)."""
        actor = store.get_actor(actor_id)
        if actor is None:
            raise HTTPException(404, f"actor {actor_id} not found")
        if format == "csv":
            header = ["story", "outlet", "article", "published", "speaker_text", "cue", "kind"]
            header += ["stance", "content", "start", "end"]
            rows = [
                [a.story_id, a.outlet, a.article_key, a.published, a.speaker_text, a.cue, a.kind]
                + [a.stance, a.content, a.span[0], a.span[1]]
                for a in actor.attributions
            ]
            return csv_response(header, rows, f"actor-{actor_id}.csv")
        return ActorOut(
            id=actor.id,
            name=actor.name,
            type=actor.type,
            stories=[{"id": s, "title": t} for s, t in actor.stories],
            descriptors=[{"story": s, "outlet": o, "phrase": p} for s, o, p in actor.descriptors],
            attributions=actor.attributions,
        )

    @app.get("/api/outlets", response_model=list[OutletOut], tags=["stories"])
    def api_outlets():
        """Every outlet in the store with its number of articles."""
        return [OutletOut(outlet=o, articles=n) for o, n in store.outlets()]

    @app.post("/api/articles", response_model=IngestOut, tags=["articles"])
    async def api_add(
        request: Request,
        files: Annotated[list[UploadFile], File(description="Article files")] = [],  # noqa: B006
        urls: Annotated[str, Form(description="URLs, one per line")] = "",
        story: Annotated[str, Form(description="Add to this story")] = "",
    ):
        """Add articles by upload or URL (URLs go through the fetcher's address guards). Needs
        `Authorization: Bearer TOKEN` when the server has a token."""
        if not token_ok(header_token(request)):
            raise HTTPException(401, "wrong or missing token", {"WWW-Authenticate": "Bearer"})
        files = [f for f in files if f.filename]
        if not files and not urls.strip():
            raise HTTPException(422, "give at least one file or URL")
        result = await add(files, urls, story or None)
        return JSONResponse(
            result.model_dump(), status_code=200 if result.stored or not result.errors else 422
        )

    return app
