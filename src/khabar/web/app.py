"""The FastAPI application: HTML pages, the JSON API, feeds, comments and moderation.

Every handler is ``async`` and runs on the event loop thread, so the one database connection
(SQLite, or PostgreSQL in autocommit mode) the app opens at start-up is only ever used from that
thread. State lives in ``app.state.web``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar import __version__
from khabar.errors import InputError, KhabarError
from khabar.search import SearchIndex, open_search, search_api
from khabar.store import Store, open_store
from khabar.web import feeds
from khabar.web.comments import (
    Comments,
    check_comment,
    client_tag,
    ensure_web_schema,
    secret_key,
    spam_reason,
    verify_admin,
)
from khabar.web.config import WebConfig
from khabar.web.data import Reader, article_dict, outlet_name
from khabar.web.fmt import fa_digits, jalali, jalali_day, relative
from khabar.web.security import ADMIN_COOKIE, CSRF_COOKIE, RateLimiter, Signer

STATIC = Path(__file__).with_name("static")
MAX_POST_BYTES = 64 * 1024  # a comment form is a few KB at most
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass(slots=True)
class WebState:
    config: WebConfig
    store: Store
    reader: Reader
    comments: Comments
    search: SearchIndex  # SearchIndex or PostgresSearchIndex, by the store's database
    signer: Signer
    client_key: str
    comment_limiter: RateLimiter
    login_limiter: RateLimiter
    env: Environment


# -- API models (for the OpenAPI document) ---------------------------------------------------------
class StoryOut(BaseModel):
    id: str
    title: str
    lead: str
    best_article_id: int
    outlets: list[str]
    size: int
    first_published: str | None
    latest: str | None


class StoriesOut(BaseModel):
    stories: list[StoryOut]
    limit: int
    offset: int


class VersionOut(BaseModel):
    article_id: int
    site: str | None
    url: str | None
    title: str | None
    published: str | None


class StoryDetailOut(StoryOut):
    first_reporter: str | None
    citations: list[list[str]]
    versions: list[VersionOut]


class ArticleOut(BaseModel):
    id: int
    url: str | None
    site: str | None
    title: str | None
    lead: str | None
    paragraphs: list[str]
    published: str | None
    published_jalali: str | None
    attributions: list[str]
    photo_credits: list[str]
    story_id: str | None
    author: str | None


class SearchResultOut(BaseModel):
    id: int | str
    url: str | None
    title: str
    title_html: str
    snippet: str
    story_id: int | str | None
    site: str | None
    published: str | None
    score: float


class SearchGroupOut(BaseModel):
    story_id: int | str | None
    score: float
    ids: list[int | str]


class SearchOut(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    truncated_query: bool
    results: list[SearchResultOut]
    stories: list[SearchGroupOut]


class ErrorOut(BaseModel):
    error: str


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("khabar.web", "templates"),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fa"] = fa_digits
    env.filters["jalali"] = jalali
    env.filters["jday"] = jalali_day
    env.filters["ago"] = relative
    env.filters["q"] = lambda v: quote(str(v), safe="")
    env.filters["outlet"] = outlet_name
    env.filters["web_url"] = web_url
    return env


def web_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) address, else None: no ``javascript:`` or ``data:`` links
    from ingested pages."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _pg_data_error(db: str) -> type[Exception] | None:
    """``psycopg.DataError`` when ``db`` is a PostgreSQL store (None without psycopg: opening the
    store then fails with how to install it)."""
    if not db.startswith(("postgresql://", "postgres://")):
        return None
    try:
        import psycopg
    except ImportError:
        return None
    return psycopg.DataError


def _day(value: str | None, source: str = "day") -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(source, f"not a date (YYYY-MM-DD): {value!r}") from None


CONFIG_ENV = "KHABAR_WEB_CONFIG"


def app_from_env() -> FastAPI:
    """The app for a uvicorn worker process (``khabar serve --workers N``): its ``WebConfig`` comes
    as JSON in ``$KHABAR_WEB_CONFIG``, set by the parent."""
    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise KhabarError(f"${CONFIG_ENV} is not set: start workers with khabar serve --workers N")
    return create_app(WebConfig(**json.loads(raw)))


def create_app(config: WebConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(config.db)
        ensure_web_schema(store)
        key = config.secret_key or os.environ.get("KHABAR_SECRET_KEY") or secret_key(store)
        app.state.web = WebState(
            config=config,
            store=store,
            reader=Reader(store),
            comments=Comments(store),
            search=open_search(store),
            signer=Signer(key),
            client_key=key,
            comment_limiter=RateLimiter(config.comment_rate, config.rate_window),
            login_limiter=RateLimiter(config.login_rate, config.rate_window),
            env=_env(),
        )
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="khabar",
        version=__version__,
        description="Persian news reader: stories, articles and search (khabar).",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        if request.method == "POST":
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return Response("a POST needs a Content-Length", status_code=411)
            if int(length) > MAX_POST_BYTES:
                return Response(f"a POST may carry at most {MAX_POST_BYTES} bytes", status_code=413)
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    def web(request: Request) -> WebState:
        return request.app.state.web  # type: ignore[no-any-return]

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        st = web(request)
        token = request.cookies.get(CSRF_COOKIE)
        fresh = not token or len(token) > 64
        if fresh:
            token = Signer.new_token()
        admin = st.signer.admin_name(request.cookies.get(ADMIN_COOKIE), st.config.admin_session_seconds)
        html = st.env.get_template(name).render(
            request=request,
            csrf=st.signer.form_token(token or ""),
            admin=admin,
            outlets=st.reader.outlets(),
            now=datetime.now(UTC),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if fresh:
            response.set_cookie(
                CSRF_COOKIE, token or "", httponly=True, samesite="lax", secure=st.config.secure_cookies, path="/"
            )
        return response

    def error_page(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return error_page(request, 400, str(exc))

    data_error = _pg_data_error(config.db)
    if data_error is not None:

        @app.exception_handler(data_error)
        async def bad_text(request: Request, exc: Exception) -> Response:
            # e.g. a NUL character in a path or query parameter: PostgreSQL text cannot hold it
            return error_page(request, 400, f"bad input: {str(exc).strip().splitlines()[0]}")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return await request_validation_exception_handler(request, exc)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()) or "?"
        return error_page(request, 400, f"نشانی نادرست است ({fields})")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "صفحه پیدا نشد", 405: "این روش درخواست پذیرفته نیست"}.get(exc.status_code, str(exc.detail))
        response = error_page(request, exc.status_code, message)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    # -- pages ----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, outlet: str | None = None, day: str | None = None, page: int = 1) -> Response:
        st = web(request)
        page = max(1, min(page, 10_000))
        when = _day(day)
        size = st.config.page_size
        cards = st.reader.cards(outlet=outlet or None, day=when, limit=size + 1, offset=(page - 1) * size)
        params = {k: v for k, v in (("outlet", outlet), ("day", day)) if v}
        return render(
            request,
            "home.html",
            {
                "cards": cards[:size],
                "outlet": outlet or "",
                "day": when,
                "days": st.reader.days(),
                "page": page,
                "prev_url": "/?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
                "next_url": "/?" + urlencode({**params, "page": page + 1}) if len(cards) > size else None,
                "feed_url": "/feed.xml" + ("?" + urlencode({"outlet": outlet}) if outlet else ""),
            },
        )

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story(request: Request, story_id: str) -> Response:
        st = web(request)
        page = st.reader.story(story_id)
        if page is None:
            return error_page(request, 404, "این خبر پیدا نشد")
        return render(
            request,
            "story.html",
            {
                "s": page,
                "comments": st.comments.approved("story", story_id),
                "target_kind": "story",
                "target_id": story_id,
                "posted": request.query_params.get("posted"),
            },
        )

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article(request: Request, article_id: int) -> Response:
        st = web(request)
        a = st.reader.article(article_id)
        if a is None:
            return error_page(request, 404, "این نوشته پیدا نشد")
        return render(
            request,
            "article.html",
            {
                "a": a,
                "comments": st.comments.approved("article", str(article_id)),
                "target_kind": "article",
                "target_id": str(article_id),
                "posted": request.query_params.get("posted"),
            },
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(
        request: Request,
        q: str = "",
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        page: int = 1,
    ) -> Response:
        st = web(request)
        page = max(1, min(page, 1000))
        size = st.config.page_size
        _day(since, "since")
        _day(until, "until")
        results = st.search.search(
            q[:500],
            site=st.reader.sites_for(outlet) if outlet else None,
            since=since or None,
            until=until or None,
            limit=size,
            offset=(page - 1) * size,
        )
        groups = []
        for g in results.grouped_by_story():
            card = st.reader.card(str(g.story_id)) if g.story_id is not None else None
            groups.append({"story_id": g.story_id, "card": card, "hits": g.hits})
        params = {k: v for k, v in (("q", q), ("outlet", outlet), ("since", since), ("until", until)) if v}
        return render(
            request,
            "search.html",
            {
                "q": q,
                "outlet": outlet or "",
                "since": since or "",
                "until": until or "",
                "results": results,
                "groups": groups,
                "page": page,
                "prev_url": "/search?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
                "next_url": "/search?" + urlencode({**params, "page": page + 1})
                if results.total > page * size
                else None,
                "feed_url": "/search/feed.xml?" + urlencode({"q": q}) if q.strip() else None,
            },
        )

    # -- comments -------------------------------------------------------------------------------
    @app.post("/comments", include_in_schema=False)
    async def post_comment(request: Request) -> Response:
        st = web(request)
        form = await request.form()
        fields = {k: v if isinstance(v, str) else "" for k, v in form.items()}
        if not st.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), fields.get("csrf")):
            return error_page(request, 403, "نشانه امنیتی فرم نامعتبر است؛ صفحه را دوباره باز کنید")
        kind, target = fields.get("kind", ""), fields.get("target", "")
        if kind == "story":
            back = f"/story/{quote(target, safe='')}"
            exists = st.reader.card(target) is not None
        elif kind == "article" and target.isdigit():
            back = f"/article/{target}"
            exists = st.reader.article(int(target)) is not None
        else:
            return error_page(request, 400, "نظر باید برای یک خبر یا نوشته باشد")
        if not exists:
            return error_page(request, 404, "این خبر پیدا نشد")
        address = request.client.host if request.client else "unknown"
        wait = st.comment_limiter.hit(address)
        if wait:
            response = error_page(request, 429, "نظرهای زیادی پشت سر هم فرستاده‌اید؛ کمی بعد دوباره بفرستید")
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        try:
            name, body = check_comment(
                fields.get("name", ""),
                fields.get("body", ""),
                name_max=st.config.name_max,
                body_max=st.config.comment_max,
            )
        except InputError as exc:
            return error_page(request, 400, exc.reason)
        client = client_tag(address, st.client_key)
        reason = spam_reason(name, body, fields.get("website", ""))
        if reason is None and st.comments.same_recent(client, body):
            reason = "the same text posted again"
        status = "spam" if reason else ("pending" if st.config.moderate else "approved")
        st.comments.add(kind, target, name, body, status, reason, client)  # type: ignore[arg-type]
        return RedirectResponse(f"{back}?posted={'held' if status != 'approved' else 'shown'}#comments", 303)

    # -- admin ----------------------------------------------------------------------------------
    def admin_of(request: Request) -> str | None:
        st = web(request)
        return st.signer.admin_name(request.cookies.get(ADMIN_COOKIE), st.config.admin_session_seconds)

    @app.get("/admin", response_class=HTMLResponse, include_in_schema=False)
    async def admin_page(request: Request) -> Response:
        if admin_of(request) is None:
            return RedirectResponse("/admin/login", 303)
        st = web(request)
        return render(
            request,
            "admin.html",
            {
                "pending": st.comments.by_status("pending"),
                "spam": st.comments.by_status("spam"),
                "approved": st.comments.by_status("approved", 50),
            },
        )

    @app.get("/admin/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> Response:
        return render(request, "login.html", {"failed": False})

    @app.post("/admin/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        st = web(request)
        form = await request.form()
        fields = {k: v if isinstance(v, str) else "" for k, v in form.items()}
        if not st.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), fields.get("csrf")):
            return error_page(request, 403, "نشانه امنیتی فرم نامعتبر است؛ صفحه را دوباره باز کنید")
        address = request.client.host if request.client else "unknown"
        wait = st.login_limiter.hit(address)
        if wait:
            response = error_page(request, 429, "تلاش‌های ورود زیاد بود؛ کمی بعد دوباره امتحان کنید")
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        name = fields.get("name", "").strip()[:100]
        if not verify_admin(st.store, name, fields.get("password", "")[:1000]):
            return render(request, "login.html", {"failed": True}, 401)
        response = RedirectResponse("/admin", 303)
        response.set_cookie(
            ADMIN_COOKIE,
            st.signer.admin_cookie(name),
            max_age=st.config.admin_session_seconds,
            httponly=True,
            samesite="strict",
            secure=st.config.secure_cookies,
            path="/",
        )
        return response

    async def admin_action(request: Request) -> Response | None:
        """None when the request is a logged-in admin's with a valid CSRF token, else the refusal."""
        st = web(request)
        if admin_of(request) is None:
            return error_page(request, 403, "فقط مدیران")
        form = await request.form()
        token = form.get("csrf")
        if not st.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), token if isinstance(token, str) else None):
            return error_page(request, 403, "نشانه امنیتی فرم نامعتبر است؛ صفحه را دوباره باز کنید")
        return None

    @app.post("/admin/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        refused = await admin_action(request)
        if refused is not None:
            return refused
        response = RedirectResponse("/", 303)
        response.delete_cookie(ADMIN_COOKIE, path="/")
        return response

    @app.post("/admin/comments/{comment_id}/approve", include_in_schema=False)
    async def approve(request: Request, comment_id: int) -> Response:
        refused = await admin_action(request)
        if refused is not None:
            return refused
        if not web(request).comments.approve(comment_id):
            return error_page(request, 404, "این نظر پیدا نشد")
        return RedirectResponse("/admin", 303)

    @app.post("/admin/comments/{comment_id}/delete", include_in_schema=False)
    async def delete(request: Request, comment_id: int) -> Response:
        refused = await admin_action(request)
        if refused is not None:
            return refused
        if not web(request).comments.delete(comment_id):
            return error_page(request, 404, "این نظر پیدا نشد")
        return RedirectResponse("/admin", 303)

    # -- feeds ----------------------------------------------------------------------------------
    def base_url(request: Request) -> str:
        public = web(request).config.public_url
        return (public or str(request.base_url)).rstrip("/")

    @app.get("/feed.xml", include_in_schema=False)
    async def feed_rss(request: Request, outlet: str | None = None) -> Response:
        st = web(request)
        cards = st.reader.cards(outlet=outlet or None, limit=st.config.page_size)
        body = feeds.stories_feed(base_url(request), cards, outlet or None, "rss")
        return Response(body, media_type="application/rss+xml; charset=utf-8")

    @app.get("/atom.xml", include_in_schema=False)
    async def feed_atom(request: Request, outlet: str | None = None) -> Response:
        st = web(request)
        cards = st.reader.cards(outlet=outlet or None, limit=st.config.page_size)
        body = feeds.stories_feed(base_url(request), cards, outlet or None, "atom")
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @app.get("/search/feed.xml", include_in_schema=False)
    async def feed_search(request: Request, q: str = "", outlet: str | None = None) -> Response:
        st = web(request)
        results = st.search.search(
            q[:500], site=st.reader.sites_for(outlet) if outlet else None, limit=st.config.page_size
        )
        body = feeds.search_feed(base_url(request), q, results.hits)
        return Response(body, media_type="application/rss+xml; charset=utf-8")

    # -- JSON API -------------------------------------------------------------------------------
    errors: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}

    @app.get("/api/stories", response_model=StoriesOut, responses=errors, tags=["stories"])
    async def api_stories(
        request: Request,
        outlet: Annotated[str | None, Query(max_length=200, description="only stories this outlet carried")] = None,
        day: Annotated[date | None, Query(description="only stories with a version on this Tehran day")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Any:
        """Latest stories, newest first."""
        cards = web(request).reader.cards(outlet=outlet or None, day=day, limit=limit, offset=offset)
        return {"stories": [c.to_dict() for c in cards], "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}", response_model=StoryDetailOut, responses=errors, tags=["stories"])
    async def api_story(request: Request, story_id: Annotated[str, PathParam(max_length=200)]) -> Any:
        """One story: its best version, every outlet's version, first reporter and citations."""
        page = web(request).reader.story(story_id)
        if page is None:
            return JSONResponse({"error": f"story {story_id!r}: not found"}, status_code=404)
        return page.to_dict()

    @app.get("/api/articles/{article_id}", response_model=ArticleOut, responses=errors, tags=["articles"])
    async def api_article(request: Request, article_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> Any:
        """One article's clean text and metadata."""
        a = web(request).reader.article(article_id)
        if a is None:
            return JSONResponse({"error": f"article {article_id}: not found"}, status_code=404)
        return article_dict(a)

    @app.get("/api/search", response_model=SearchOut, responses=errors, tags=["search"])
    async def api_search(
        request: Request,
        q: Annotated[str, Query(max_length=500, description='words, "phrases", -excluded')] = "",
        site: Annotated[str | None, Query(max_length=200, description="only this outlet")] = None,
        since: Annotated[datetime | date | None, Query(description="published on or after (date or time)")] = None,
        until: Annotated[datetime | date | None, Query(description="published on or before (date or time)")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Any:
        """Full-text search over title, lead and body (BM25 on SQLite, ts_rank_cd on PostgreSQL);
        results carry highlighted snippets and story ids."""
        params = {
            "q": q,
            "site": site,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "limit": str(limit),
            "offset": str(offset),
        }
        return search_api(web(request).search, {k: v for k, v in params.items() if v is not None})

    return app
