"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read-only).

Query by GET ``?query=``, by POST form-encoded, or by POST ``application/sparql-query``, with
``default-graph-uri`` and ``named-graph-uri``. Updates get 403 before anything is parsed; GET
without a query returns the service description. Queries run in the thread pool and never block
the event loop. Relative IRIs in a query are resolved against the endpoint's address (the base
IRI the SPARQL 1.1 Protocol gives it), unless the query declares its own BASE.

Limits (:mod:`plankg.service.limits`): a query longer than the limit gets 413; a SELECT answer is cut
at the row limit (the engine is asked for one row more than the limit, when the query has no
LIMIT of its own, so that it stops early), and a cut answer says so in ``X-PlanKG-Truncated``;
a client address with too many requests running gets 429.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from plankg.graph.errors import QueryArgumentError, StoreError
from plankg.graph.store import ForbiddenQueryError, GraphStore, inspect_query

from .errors import content_type_of, problem, unsupported_type
from .limits import (
    TRUNCATED,
    Limits,
    limits_of,
    read_body,
    too_large,
    within_client_limit,
)
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
from .service_description import service_description

__all__ = ["router"]

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "application/xml"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json",
               "application/rdf+xml", "application/trig", "application/n-quads", "text/plain"]
JSON_RESULTS = ["application/sparql-results+json", "application/json"]
DEFAULT_LIMITS = Limits()
IRI_SAFE = ":/?#[]@!$&'()*+,;=%"  # RFC 3986's reserved characters, and escapes already made
CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples",
           "application/trig", "application/n-quads", "text/plain"}


def _params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found


def _forbidden_update() -> Response:
    return problem(403, "本端点只读，不接受 SPARQL 更新", "this endpoint is read-only: updates are "
                   "refused")


def _answer(store: GraphStore, params: dict[str, list[str]], accept: str | None,
            base: str, pool=None, limits: Limits = DEFAULT_LIMITS) -> Response:
    if "update" in params:
        return _forbidden_update()
    queries = params.get("query", [])
    if len(queries) > 1:
        return problem(400, "只能有一个 query 参数", "give exactly one query parameter")
    if not queries:
        media = choose(accept, GRAPH_TYPES)
        if media is None:
            return problem(406, "无法以所接受的格式提供服务说明",
                           "the service description is not available in an accepted format")
        body = service_description(store, endpoint=base, fmt=GRAPH_FORMATS[media])
        return Response(body, media_type=_with_charset(media))
    if len(queries[0]) > limits.max_query_chars:
        return problem(413, f"查询超过 {limits.max_query_chars:,} 个字符",
                       f"the query is longer than {limits.max_query_chars:,} characters")
    try:
        plan = inspect_query(queries[0])
    except QueryArgumentError as exc:
        return problem(403 if isinstance(exc, ForbiddenQueryError) else 400, exc.zh, exc.en)
    graph_form = plan.form in ("CONSTRUCT", "DESCRIBE")
    media = choose(accept, GRAPH_TYPES if graph_form else RESULT_TYPES)
    if media is None and graph_form and choose(accept, JSON_RESULTS):
        # Clients that ask every query for JSON results (rdflib's SPARQLStore) get a graph as
        # JSON-LD, which they parse by its Content-Type, as Virtuoso does.
        media = "application/ld+json"
    if media is None:
        return problem(406, "没有可接受的结果格式", "none of the accepted formats can carry this "
                       "answer")
    fmt = GRAPH_FORMATS[media] if graph_form else RESULT_FORMATS[media]
    select = plan.form == "SELECT"
    # the engine stops one row past the limit; a SPARQL server has its own row cap (and
    # Virtuoso refuses an ORDER BY with a LIMIT above 10,000)
    stop = select and plan.limitable and store.backend.kind != "sparql"
    text = f"{queries[0]}\nLIMIT {limits.max_rows + 1}" if stop else queries[0]
    dataset = {"default_graph_uris": tuple(params.get("default-graph-uri", [])),
               "named_graph_uris": tuple(params.get("named-graph-uri", [])),
               "base_iri": base if urlsplit(base).scheme else None}  # relative IRIs resolve
    cut = False
    try:
        if pool is not None:  # a worker process that is killed when the query runs past the
            # time limit; it answers in the client's format, passed on as it comes
            store.check_dataset((*(dataset["default_graph_uris"] or plan.default_graphs),
                                 *(dataset["named_graph_uris"] or plan.named_graphs)))
        if select and pool is None:
            body, cut = store.serialize_rows(text, plan, fmt=fmt, max_rows=limits.max_rows,
                                             **dataset)
        elif select:
            body, cut = pool.serialize_rows(text, media=fmt.media_type,
                                            max_rows=limits.max_rows, **dataset)
        elif pool is None:
            body = store.serialize(text, plan, fmt=fmt, **dataset)
        else:
            body = pool.serialize(text, media=fmt.media_type, **dataset)
    except QueryArgumentError as exc:
        return problem(403 if isinstance(exc, ForbiddenQueryError) else 400, exc.zh, exc.en)
    except StoreError as exc:
        return problem(503, exc.zh, exc.en)
    headers = {TRUNCATED: str(limits.max_rows), "Access-Control-Expose-Headers": TRUNCATED} \
        if cut else {}
    return Response(body, media_type=_with_charset(media), headers=headers)


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8" if media in CHARSET else media


def _endpoint(request: Request) -> str:
    """The endpoint's address, /sparql on the server ``request`` came to: the base IRI of its
    queries (and of the /query page's) and of its service description. Characters an IRI may
    not hold (a Host header can carry any) are percent-encoded."""
    url = request.url.replace(path=request.scope.get("root_path", "") + "/sparql", query="")
    return quote(str(url), safe=IRI_SAFE)


async def _run_answer(request: Request, params: dict[str, list[str]]) -> Response:
    return await run_in_threadpool(_answer, request.app.state.store, params,
                                   request.headers.get("accept"), _endpoint(request),
                                   request.app.state.pool, limits_of(request.app))


def _documented(*, body: bool) -> dict:
    """What the OpenAPI schema says of /sparql: the protocol's parameters and media types."""
    iris = {"type": "array", "items": {"type": "string"}}
    dataset = [{"name": name, "in": "query", "required": False, "schema": iris}
               for name in ("default-graph-uri", "named-graph-uri")]
    if not body:
        return {"parameters": [{"name": "query", "in": "query", "required": False,
                                "schema": {"type": "string"}}, *dataset]}
    form = {"type": "object", "properties": {"query": {"type": "string"},
                                             "default-graph-uri": iris,
                                             "named-graph-uri": iris}}
    return {"parameters": dataset, "requestBody": {"required": True, "content": {
        QUERY: {"schema": {"type": "string"}}, FORM: {"schema": form}}}}


ANSWERS = {200: {"description": "SPARQL 查询结果或图 / query results or a graph",
                 "content": {media: {} for media in RESULT_TYPES + GRAPH_TYPES}}}


@router.get("/sparql", summary="SPARQL 1.1 查询（GET）/ SPARQL query by GET",
            response_class=Response, responses=ANSWERS, openapi_extra=_documented(body=False))
async def sparql_get(request: Request) -> Response:
    return await within_client_limit(request, _get)


async def _get(request: Request) -> Response:
    return await _run_answer(request, _params(request.query_params.multi_items()))


@router.post("/sparql", summary="SPARQL 1.1 查询（POST）/ SPARQL query by POST",
             response_class=Response, responses=ANSWERS, openapi_extra=_documented(body=True))
async def sparql_post(request: Request) -> Response:
    return await within_client_limit(request, _post)


async def _post(request: Request) -> Response:
    content_type = content_type_of(request)
    if content_type == UPDATE:
        return _forbidden_update()
    if content_type not in (FORM, QUERY):
        return unsupported_type(content_type, (FORM, QUERY))
    raw = await read_body(request)
    if raw is None:
        return too_large()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, "请求体不是 UTF-8", "the request body is not UTF-8")
    params = _params(request.query_params.multi_items())
    if content_type == FORM:
        for key, values in _params(parse_qsl(body, keep_blank_values=True)).items():
            params.setdefault(key, []).extend(values)
    else:
        if "query" in params:
            return problem(400, "查询已在请求体中，URL 中不能再有 query 参数",
                           "the query is in the body: the URL must not carry another one")
        params["query"] = [body]
    return await _run_answer(request, params)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
def sparql_wrong_method() -> Response:
    return problem(405, "只支持 GET 和 POST", "only GET and POST are allowed",
                   headers={"Allow": "GET, POST, OPTIONS"})
