"""Web pages, rendered on the server (Jinja2): readable without JavaScript, usable on a phone.

Home, task list with filters, task page with its lineage drawn as SVG, agencies × sectors,
agency and document pages, the history of a plan series, a SPARQL page and a validation page.
They read the same functions as the JSON API.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from plankg.graph._ox import from_ox
from plankg.graph.errors import PlanKGError
from plankg.graph.iris import ELI, PREFIXES
from plankg.graph.names import resolve_plan
from plankg.graph.parse import normalise_number
from plankg.graph.queries import load_queries, records_on_store
from plankg.graph.tasks import ROLE_ZH, role_key, task_records
from plankg.graph.validate.upload import TooLargeToValidate

from .api import (
    _agencies,
    _agency,
    _document,
    _history,
    _lineage,
    _task,
    newest_plan,
    plans_of,
)
from .errors import problem
from .limits import limits_of, read_body, too_large, within_client_limit
from .lineage_svg import lineage_svg
from .linked import _link, _templates
from .sparql import _endpoint

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ROLES = list(ROLE_ZH.items())


def _render(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(template).render(role_zh=ROLE_ZH, **context),
                        status_code=status)


def _error_page(exc: PlanKGError) -> HTMLResponse:
    from .errors import status_of
    return _render("error.html", status=status_of(exc), title="出错 / Error", error=exc)


async def _page(fn, *args) -> Response:
    try:
        return await run_in_threadpool(fn, *args)
    except PlanKGError as exc:
        return _error_page(exc)


def _home(store) -> HTMLResponse:
    plans = plans_of(store)
    targets = records_on_store(store, "targets")
    agencies = len(_agencies(store))
    return _render("home.html", title="首页 / Home", plans=plans, targets=targets,
                   agencies=agencies)


@router.get("/")
async def home(request: Request) -> Response:
    return await _page(_home, request.app.state.store)


def _every_task(store) -> list[dict]:
    """Every task record, computed once: the served graph does not change."""
    return store.memoised("tasks", lambda: task_records(store.task_graph()))


ALL_PLANS = "all"


def _plan_tasks(store, plan: str):
    """The plan a page shows (the newest with tasks unless ``plan`` names one, or ``all``), its
    task records, and the graph they were read from (None for ``all``: read when filtering).
    Only that plan's tasks are read from the store: a store of a thousand plans holds half a
    million triples of task records."""
    chosen = plan or newest_plan(store)
    if chosen == ALL_PLANS:
        return chosen, _every_task(store), None
    iri = resolve_plan(store.catalog, chosen)
    graph = store.task_graph(plan=iri)
    return str(store.catalog.value(iri, ELI.id_local)), task_records(graph), graph


def _plan_choices(store) -> list[dict]:
    return [p for p in plans_of(store) if p["tasks"]]


def _tasks(store, plan: str, agency: str, role: str, sector: str) -> HTMLResponse:
    """One plan's tasks, filtered; a role in any word the resolver takes (配合, support)."""
    role = role_key(role) if role else ""  # the key, as the role filter's options carry it
    chosen, every, graph = _plan_tasks(store, plan)
    if agency or role or sector:
        tasks = task_records(graph if graph is not None else store.task_graph(),
                             agency=agency or None, role=role or None, sector=sector or None)
    else:
        tasks = every
    sectors = sorted({t["sector"] for t in every if t["sector"]})
    agencies = sorted({a["name"] for t in every for a in t["agencies"] if a["name"]})
    return _render("tasks.html", title="任务 / Tasks", tasks=tasks, agencies=agencies,
                   sectors=sectors, roles=ROLES, plans=_plan_choices(store), plan=chosen,
                   all_plans=ALL_PLANS, agency=agency, role=role, sector=sector)


@router.get("/tasks")
async def tasks(request: Request, plan: str = "", agency: str = "", role: str = "",
                sector: str = "") -> Response:
    return await _page(_tasks, request.app.state.store, plan, agency, role, sector)


def _task_page(store, number: str, plan: str | None) -> HTMLResponse:
    record = _task(store, number, plan)
    lineage = _lineage(store, number, plan)
    return _render("task.html", title=f"{record['number']}. {record['title']}", task=record,
                   steps=lineage["steps"], counterparts=lineage["counterparts"],
                   svg=lineage_svg(record, lineage["steps"]))


@router.get("/tasks/{number}")
async def task(request: Request, number: str, plan: str | None = None) -> Response:
    return await _page(_task_page, request.app.state.store, number, plan)


def _matrix(store, plan: str) -> HTMLResponse:
    """Agencies × sectors of one plan (as the task list chooses it): tasks per cell."""
    chosen, every, _ = _plan_tasks(store, plan)
    sectors = sorted({t["sector"] for t in every if t["sector"]})
    counts: dict[str, dict] = {}
    for t in every:
        for a in t["agencies"]:
            name = a["name"] or a["as_written"]
            row = counts.setdefault(name, {})
            row[t["sector"]] = row.get(t["sector"], set()) | {t["iri"]}
    rows = []
    for name, row in counts.items():
        total = len(set().union(*row.values()))
        rows.append({"name": name, "total": total,
                     "cells": [len(row.get(s, ())) for s in [*sectors, None]]})
    rows.sort(key=lambda r: (-r["total"], r["name"]))
    return _render("agencies.html", title="单位 / Agencies", sectors=sectors, rows=rows,
                   plans=_plan_choices(store), plan=chosen, all_plans=ALL_PLANS)


@router.get("/agencies")
async def agencies(request: Request, plan: str = "") -> Response:
    return await _page(_matrix, request.app.state.store, plan)


def _agency_page(store, name: str) -> HTMLResponse:
    data = _agency(store, name)
    label = data["workload"][0]["name"] if data["workload"] else name
    return _render("agency.html", title=label, name=label, data=data)


@router.get("/agencies/{name}")
async def agency(request: Request, name: str) -> Response:
    return await _page(_agency_page, request.app.state.store, name)


def _document_page(store, number: str) -> HTMLResponse:
    data = _document(store, number)
    return _render("document.html", title=data["document"].get("title") or number, data=data)


@router.get("/documents/{number}")
async def document(request: Request, number: str) -> Response:
    return await _page(_document_page, request.app.state.store, number)


def _history_page(store, number: str) -> HTMLResponse:
    rows = _history(store, number)
    plan = next((r for r in rows if r["number"] == normalise_number(number)), None)
    return _render("series.html", title=f"沿革 / History · {plan['number'] if plan else number}",
                   rows=rows, plan=plan)


@router.get("/plans/{number}/history")
async def history(request: Request, number: str) -> Response:
    return await _page(_history_page, request.app.state.store, number)


PAGE_ROWS = 1000


def _page_answer(store, pool, query: str, plan, base_iri: str):
    """A SELECT's variables and rows (at most PAGE_ROWS + 1), or an ASK's answer; in a killable
    worker when the service has them, and with relative IRIs resolved against ``base_iri`` (the
    address of /sparql), as /sparql does."""
    if plan.limitable:
        query = f"{query}\nLIMIT {PAGE_ROWS + 1}"  # the engine stops there
    if pool is None:
        run = store.select if plan.form == "SELECT" else store.ask
        return run(query, base_iri=base_iri)
    store.check_dataset((*plan.default_graphs, *plan.named_graphs))
    body = pool.serialize(query, media="application/sparql-results+json", base_iri=base_iri)
    answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    names = list(answer.variables)
    return [v.value for v in names], [[from_ox(row[v]) if row[v] is not None else None
                                       for v in names] for row in answer]


def _query_page(store, query: str, example: str, pool, max_chars: int,
                base_iri: str) -> HTMLResponse:
    examples = [(n, q) for n, q in load_queries().items() if not q.params and "/" not in n]
    if example:
        query = load_queries()[example].text if example in load_queries() else query
    context = {"title": "SPARQL", "query": query, "examples": examples, "variables": None,
               "rows": [], "boolean": None, "error": None,
               "prefixes": " ".join(sorted(PREFIXES))}
    status = 200
    if len(query) > max_chars:
        context.update(error=f"查询超过 {max_chars:,} 个字符 / the query is longer than "
                             f"{max_chars:,} characters")
        return _render("query.html", 413, **context)
    if query.strip():
        from plankg.graph.store import ForbiddenQueryError, inspect_query
        try:
            plan = inspect_query(query)
            if plan.form == "SELECT":
                variables, rows = _page_answer(store, pool, query, plan, base_iri)
                context.update(variables=variables,
                               rows=[[_link(c) if c is not None else {"text": ""} for c in r]
                                     for r in rows[:PAGE_ROWS]])
            elif plan.form == "ASK":
                context.update(boolean=_page_answer(store, pool, query, plan,
                                                           base_iri))
            else:
                context.update(error="本页只显示 SELECT 和 ASK；CONSTRUCT 请用 /sparql / this page "
                                     "shows SELECT and ASK; use /sparql for graph queries")
        except PlanKGError as exc:  # the page still shows the form and the error
            from .errors import status_of
            status = 403 if isinstance(exc, ForbiddenQueryError) else status_of(exc)
            context.update(error=f"{exc.zh} / {exc.en}")
    return _render("query.html", status, **context)


@router.get("/query")
async def query(request: Request, query: str = "", example: str = "") -> Response:
    app = request.app

    async def answer(_request: Request) -> Response:
        return await _page(_query_page, app.state.store, query, example, app.state.pool,
                           limits_of(app).max_query_chars, _endpoint(request))
    return await within_client_limit(request, answer)


def _validate_text(text: str, pool=None) -> dict:
    """The report of a plan pasted into the form: in the validation worker when the server
    has one (killable, memory-limited), else here."""
    import json

    from plankg.graph.validate.upload import validate_upload
    body = text.encode("utf-8")
    report = json.loads(pool.validate(body, ".md")) if pool is not None else validate_upload(
        body, ".md")
    return {"conforms": report["conforms"], "results": report["results"],
            "violations": [r for r in report["results"] if r["severity"] == "Violation"]}


def _ask(store, question: str) -> HTMLResponse:
    from plankg.graph.ask import ask
    from plankg.graph.tasks import role_label
    answer = ask(store, question[:500]) if question.strip() else None
    return _render("ask.html", title="提问 / Ask", question=question, answer=answer,
                   role_label=role_label)


@router.get("/ask")
async def ask_page(request: Request, q: str = "") -> Response:
    return await _page(_ask, request.app.state.store, q)


@router.get("/validate")
def validate_form() -> HTMLResponse:
    return _render("validate.html", title="校验 / Validate", text="", report=None, error=None)


@router.post("/validate")
async def validate(request: Request) -> Response:
    return await within_client_limit(request, _validate_form)


async def _validate_form(request: Request) -> Response:
    body = await read_body(request)
    if body is None:
        return too_large()
    try:
        text = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)).get("text", "")
    except UnicodeDecodeError:
        return problem(400, "请求体不是 UTF-8", "the request body is not UTF-8")
    try:
        report = await run_in_threadpool(_validate_text, text,
                                         getattr(request.app.state, "validation_pool", None))
    except PlanKGError as exc:
        return _render("validate.html", status=413 if isinstance(exc, TooLargeToValidate) else 400,
                       title="校验 / Validate", text=text, report=None,
                       error=f"{exc.zh} / {exc.en}")
    return _render("validate.html", title="校验 / Validate", text=text, report=report,
                   error=None)
