"""The application factory: a thin app that mounts the routers and holds the store."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from plankg.graph.store import GraphStore

from .api import router as api_router
from .cache import AnswerCache, CacheSettings, CachingMiddleware, HitsFirst, Keys
from .docs import router as docs_router
from .errors import problem
from .linked import router as linked_router
from .pages import router as pages_router
from .sparql import router as sparql_router

__all__ = ["create_app"]

_HTTP_ERRORS = {404: ("没有这个地址", "no such address"),
                405: ("不允许此方法", "this method is not allowed here")}


def create_app(store: GraphStore, *, pool=None, cache: CacheSettings | None = None) -> FastAPI:
    """An app serving ``store``: SPARQL at /sparql, JSON under /api, OpenAPI at /docs and
    /redoc (their assets served here too: FastAPI's own pages load them from a CDN). With a
    :class:`~plankg.graph.workers.QueryPool`, users' SPARQL queries run in its killable workers.
    Answers carry ETags and are kept as ``cache`` says (:mod:`plankg.service.cache`); to serve
    another store, set ``app.state.store``: its generation keys every answer."""
    app = _Service(title="plankg", description="政策规划知识图谱 / a policy knowledge graph of "
                   "Chinese government plans: SPARQL 1.1 endpoint and JSON API",
                   version=_version(), docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.pool = pool
    cache = cache or CacheSettings()
    app.state.answer_cache = AnswerCache(cache.capacity) if cache.capacity > 0 else None
    keys = Keys(cache, app.state.answer_cache)
    app.hits_first = HitsFirst(keys)
    app.add_middleware(CachingMiddleware, keys=keys)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["*"])
    app.include_router(sparql_router)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(docs_router)
    app.include_router(linked_router)  # last: it answers our IRIs' paths

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return problem(422, "请求参数有误", "the request's parameters are not valid")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """Starlette's own answers (no such route, a wrong method) as bilingual problems."""
        zh, en = _HTTP_ERRORS.get(exc.status_code, ("请求有误", str(exc.detail)))
        return problem(exc.status_code, zh, en, headers=getattr(exc, "headers", None))

    return app


class _Service(FastAPI):
    """FastAPI, with kept answers sent before its middleware (:class:`HitsFirst`), and HEAD
    answered wherever GET is, as HTTP requires (RFC 9110, 9.3.2)."""

    hits_first: HitsFirst | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            # the routes answer a GET (FastAPI's take no HEAD); the headers go out as they
            # are, with the Content-Length of the body a GET gets, and no body
            scope, send = {**scope, "method": "GET"}, _headers_only(send)
        if self.hits_first is not None and self.hits_first.eligible(scope):
            scope["app"] = self
            return await self.hits_first(super().__call__, scope, receive, send)
        return await super().__call__(scope, receive, send)


def _headers_only(send):
    async def sending(message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)
    return sending


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("plankg")
    except PackageNotFoundError:
        return "0"
