"""The JSON API: plans and the history of their series, tasks (the same JSON as ``plankg tasks
--format json``), lineage, agencies, documents, named queries, validation, and a health check.
OpenAPI at ``/docs``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from plankg.graph.align import counterparts_of
from plankg.graph.errors import PlanKGError
from plankg.graph.iris import ELI
from plankg.graph.names import resolve_agency, resolve_document, resolve_plan
from plankg.graph.parse import normalise_number
from plankg.graph.queries import load_queries, newest_with_tasks, records_on_store
from plankg.graph.store import store_query
from plankg.graph.tasks import task_record, task_records
from plankg.graph.validate.upload import TooLargeToValidate

from .errors import content_type_of, from_error, problem, unsupported_type
from .limits import read_body, too_large, within_client_limit
from .responses import JSONAnswer

__all__ = ["router"]

router = APIRouter()
VALIDATE_SUFFIXES = {"text/turtle": ".ttl", "application/ld+json": ".jsonld",
                     "application/n-triples": ".nt", "text/markdown": ".md", "text/plain": ".txt",
                     "text/html": ".html"}


def _store(request: Request):
    return request.app.state.store


async def _run(fn, *args, **kwargs) -> Response:
    """Run ``fn`` in the thread pool; a PlanKGError becomes a JSON problem with its status."""
    try:
        return JSONAnswer(await run_in_threadpool(fn, *args, **kwargs))
    except PlanKGError as exc:
        return from_error(exc)


def plans_of(store) -> list[dict]:
    """Every plan, newest first (the named query ``plans``), read once: the served graph does
    not change, and at 10⁶ triples the grouped query takes a third of a second."""
    return store.memoised("plans", lambda: records_on_store(store, "plans"))


def newest_plan(store) -> str:
    """The 发文字号 of the newest plan that has tasks: what a task number means without a plan."""
    number = newest_with_tasks(plans_of(store))
    if number is None:
        raise PlanKGError("图中没有规划", "the graph holds no plan")
    return number


@router.get("/healthz", summary="健康检查 / health check")
async def healthz(request: Request) -> dict:
    """Answered on the event loop, never behind the thread pool or the workers' queue: what it
    reports was read once at start (the store does not change while it is served)."""
    store = _store(request)
    workers = {}
    for name, label in (("pool", "queries"), ("validation_pool", "validation")):
        pool = getattr(request.app.state, name, None)
        if pool is not None:
            workers[label] = pool.state()
    cache = getattr(request.app.state, "answer_cache", None)
    return {"status": "ok", "store": store.backend.kind, "graphs": len(store.graph_names),
            "triples": store.count(), "workers": workers,
            "cache": cache.state() if cache is not None else None}


@router.get("/api/plans", summary="全部规划 / every plan")
async def plans(request: Request) -> Response:
    return await _run(plans_of, _store(request))


@router.get("/api/tasks", summary="任务（可筛选）/ tasks, filtered")
async def tasks(request: Request, plan: str | None = None, agency: str | None = None,
                role: str | None = None, sector: str | None = None) -> Response:
    return await _run(_tasks, _store(request), plan, agency, role, sector)


def _tasks(store, plan: str | None, agency: str | None, role: str | None,
           sector: str | None) -> list[dict]:
    """Task records, filtered; for one plan, only that plan's tasks are read from the store."""
    graph = store.task_graph(plan=resolve_plan(store.catalog, plan)) if plan else \
        store.task_graph()
    return task_records(graph, plan=plan, agency=agency, role=role, sector=sector)


def _task_iri(store, number: str, plan: str | None) -> URIRef:
    """The task's IRI; plans are found through the resolver's index (graph/names.py)."""
    return store.find_task(number, plan=resolve_plan(store.catalog, plan or newest_plan(store)))


def _task(store, number: str, plan: str | None) -> dict:
    task_iri = _task_iri(store, number, plan)
    return task_record(store.task_graph(task_iri), task_iri)


@router.get("/api/tasks/{number}", summary="一项任务 / one task (default: newest plan)")
async def task(request: Request, number: str, plan: str | None = None) -> Response:
    return await _run(_task, _store(request), number, plan)


def _lineage(store, number: str, plan: str | None) -> dict:
    plan_number = normalise_number(plan) if plan else newest_plan(store)
    task_iri = _task_iri(store, number, plan_number or plan)
    agencies = store.select_records(store_query("task-agencies"), substitutions={"task": task_iri})
    steps = records_on_store(store, "task-lineage",
                             {"number": number, "plan": plan_number or plan, "task": str(task_iri)})
    return {"task": str(task_iri), "plan": plan_number, "number": int(number),
            "title": agencies[0]["title"] if agencies else None, "steps": steps,
            "counterparts": _counterparts(agencies)}


def _counterparts(agencies: list[dict]) -> list[dict]:
    """The upper-level counterparts (对口部门) of the task's lead and responsible agencies."""
    refs = {a["identifier"]: a for a in agencies
            if a["role"] in ("lead", "responsible", "unspecified") and a["identifier"]}
    return [{"agency": refs[r["agency"]]["name"], "role": refs[r["agency"]]["role"],
             "counterpart": r["counterpart"], "level": r["level"], "source": r["source"]}
            for r in counterparts_of(list(refs))]


def _memo_lineage(store, number: str, plan: str | None) -> dict:
    """Lineage answers are kept once computed: the served graph does not change."""
    return store.memoised(("lineage", number, plan), lambda: _lineage(store, number, plan))


@router.get("/api/tasks/{number}/lineage", summary="任务溯源 / lineage of a task")
async def lineage(request: Request, number: str, plan: str | None = None) -> Response:
    return await _run(_memo_lineage, _store(request), number, plan)


def _agencies(store) -> list[dict]:
    """Every agency and its workload, read once (at 10⁶ triples the query takes a second)."""
    return store.memoised("agency-workload", lambda: records_on_store(store, "agency-workload"))


@router.get("/api/agencies", summary="单位及其任务量 / agencies and their workload")
async def agencies(request: Request) -> Response:
    return await _run(_agencies, _store(request))


def _agency(store, name: str) -> dict:
    iri = str(resolve_agency(store.catalog, name))
    tasks = records_on_store(store, "tasks-by-agency", {"agency": iri})
    pairs = records_on_store(store, "co-responsible-agencies")
    partners = [{"agency": p["agency_b"] if p["agency_a"] == iri else p["agency_a"],
                 "name": p["name_b"] if p["agency_a"] == iri else p["name_a"],
                 "shared": p["shared"]} for p in pairs if iri in (p["agency_a"], p["agency_b"])]
    workload = [w for w in _agencies(store) if w["agency"] == iri]
    return {"agency": iri, "workload": workload, "tasks": tasks, "co_responsible": partners}


@router.get("/api/agencies/{name}", summary="一个单位 / one agency (name, alias, key or IRI)")
async def agency(request: Request, name: str) -> Response:
    return await _run(_agency, _store(request), name)


def _document(store, number: str) -> dict:
    iri = resolve_document(store.catalog, number)
    local = str(store.catalog.value(iri, ELI.id_local))
    found = records_on_store(store, "find-document", {"number": local})
    iri = str(iri)
    return {"document": found[0] if found else {"document": iri},
            "citations": records_on_store(store, "citations", {"document": iri}),
            "supersession": records_on_store(store, "supersession", {"document": iri}),
            "implementers": records_on_store(store, "document-implementers",
                                             {"document": iri})}


@router.get("/api/documents/{number}", summary="一份文件 / one document (发文字号 or IRI)")
async def document(request: Request, number: str) -> Response:
    return await _run(_document, _store(request), number)


def _history(store, number: str) -> list[dict]:
    return records_on_store(store, "series-history", {"plan": number})


@router.get("/api/plans/{number}/history",
            summary="规划系列的沿革 / the history of a plan series, year by year (发文字号 or IRI)")
async def history(request: Request, number: str) -> Response:
    return await _run(_history, _store(request), number)


@router.get("/api/ask", summary="用中文或英文提问 / ask a question in plain Chinese or English")
async def ask_question(request: Request, q: str = "", plan: str | None = None) -> Response:
    """The question's interpretation (a named query and its parameters), the SPARQL it ran,
    the rows and the answer in words; ``understood: false`` with the reason and up to three
    questions it can answer when it does not understand (never a guess)."""
    from plankg.graph.ask import ask
    return await _run(ask, _store(request), q[:500], plan=plan or None)


@router.get("/api/queries", summary="命名查询 / the named queries")
def queries() -> list[dict]:
    return [{"name": name, "summary_zh": q.summary_zh, "summary_en": q.summary_en,
             "params": [{"name": p.name, "kind": p.kind, "required": p.required}
                        for p in q.params], "returns": list(q.returns)}
            for name, q in load_queries().items()]


@router.get("/api/queries/{name:path}", summary="运行命名查询 / run a named query")
async def run_query(request: Request, name: str) -> Response:
    values = dict(request.query_params)
    return await _run(lambda: records_on_store(_store(request), name, values))


def _validate(body: bytes, suffix: str) -> dict:
    from plankg.graph.validate.upload import validate_upload
    return validate_upload(body, suffix)


@router.post("/api/validate", summary="校验规划（Turtle、JSON-LD 或规划文本）/ validate a plan",
             openapi_extra={"requestBody": {"required": True, "content": {
                 media: {"schema": {"type": "string"}} for media in VALIDATE_SUFFIXES}}})
async def validate(request: Request) -> Response:
    return await within_client_limit(request, _validate_upload)  # heavy: one client's share


async def _validate_upload(request: Request) -> Response:
    content_type = content_type_of(request)
    suffix = VALIDATE_SUFFIXES.get(content_type)
    if suffix is None:
        return unsupported_type(content_type, VALIDATE_SUFFIXES)
    body = await read_body(request)
    if body is None:
        return too_large()
    pool = getattr(request.app.state, "validation_pool", None)
    try:
        if pool is None:
            return JSONResponse(await run_in_threadpool(_validate, body, suffix))
        answer = await run_in_threadpool(pool.validate, body, suffix)
        return Response(answer, media_type="application/json")
    except TooLargeToValidate as exc:
        return problem(413, exc.zh, exc.en)
    except PlanKGError as exc:
        return from_error(exc)

