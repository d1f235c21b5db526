"""Linked data: our IRIs (``https://w3id.org/plankg/…``) answer on the service's paths.

A GET on an IRI's path answers by content negotiation: HTML for a browser, Turtle, JSON-LD,
N-Triples or RDF/XML for a machine (``?format=`` overrides). The ontology's IRI ``/def``
documents every term in both languages, generated from the Turtle. ``/download/…`` gives the
whole graph (TriG, Turtle, JSON-LD, N-Quads) and the tasks as CSV.
"""

from __future__ import annotations

import difflib
from functools import cache

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Literal, URIRef

from plankg.graph import iris
from plankg.graph._ox import to_ox
from plankg.graph.errors import PlanKGError
from plankg.graph.iris import OWL, RDF, RDFS, SKOS

from .errors import from_error, problem
from .negotiation import GRAPH_FORMATS, choose

__all__ = ["router"]

router = APIRouter()
DOCUMENT_TYPES = ["text/turtle", "text/html", "application/ld+json", "application/n-triples",
                  "application/rdf+xml"]
OTHER_FORMATS = [("Turtle", "text/turtle"), ("JSON-LD", "application/ld+json"),
                 ("N-Triples", "application/n-triples"), ("RDF/XML", "application/rdf+xml")]
KINDS = ("eli", "id", "graph")  # the first step of our IRIs' paths
DOWNLOADS = {"plankg.trig": ("application/trig", ox.RdfFormat.TRIG),
             "plankg.ttl": ("text/turtle", ox.RdfFormat.TURTLE),
             "plankg.jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
             "plankg.nq": ("application/n-quads", ox.RdfFormat.N_QUADS)}


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("plankg.service", "templates"),
                       autoescape=select_autoescape(["html"]))


def _media(request: Request) -> str | None:
    wanted = request.query_params.get("format")
    return choose(wanted or request.headers.get("accept"), DOCUMENT_TYPES)


def _link(term) -> dict:
    if isinstance(term, URIRef):
        text = str(term)
        href = text[len(iris.BASE) - 1:] if text.startswith(iris.BASE) else text
        return {"text": iris.compact(text), "href": href}
    return {"text": str(term), "href": None,
            "lang": term.language if isinstance(term, Literal) else None}


def _rdf(triples, media: str) -> Response:
    body = ox.serialize([ox.Triple(*t) for t in triples],
                        format=GRAPH_FORMATS[media],
                        prefixes={p: str(ns) for p, ns in iris.PREFIXES.items()})
    return Response(body, media_type=media)


def _describe(request: Request, iri: URIRef) -> Response:
    store = request.app.state.store
    g = store.construct("describe", iri=iri)
    triples = list(g.triples((iri, None, None)))
    if not triples and str(iri) not in store.graph_names:
        known = [str(s) for s in store.catalog.subjects() if str(s).startswith(iris.BASE)]
        close = difflib.get_close_matches(str(iri), known, n=1, cutoff=0.6)
        return problem(404, f"未知的资源：{iri}", f"unknown resource: {iri}",
                       suggestion=close[0] if close else None)
    media = _media(request)
    if media is None:
        return problem(406, "没有可接受的格式", "none of the accepted formats is available")
    if str(iri) in store.graph_names and media != "text/html":
        named = store.construct("named-graph", graph=iri)
        return _rdf(_ox_triples(named), media)
    if media != "text/html":
        return _rdf(_ox_triples(triples), media)
    rows: dict = {}
    for _, p, o in sorted(triples, key=lambda t: (str(t[1]), str(t[2]))):
        rows.setdefault(str(p), (_link(p), []))[1].append(_link(o))
    incoming = [(_link(s), _link(p)) for s, p, _ in
                sorted(store.construct("incoming", iri=iri).triples((None, None, iri)))][:200]
    title = next((str(o) for o in g.objects(iri, SKOS.prefLabel)
                  if getattr(o, "language", None) == "zh"), None) or next(
        (str(o) for o in g.objects(iri, iris.ELI.title)), None) or next(
        (str(o) for o in g.objects(iri, iris.PK.heading)), None) or str(iri).rsplit("/", 1)[-1]
    html = _templates().get_template("resource.html").render(
        title=title, iri=str(iri), rows=list(rows.values()), incoming=incoming,
        formats=OTHER_FORMATS)
    return HTMLResponse(html)


def _ox_triples(triples):
    return [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]


def _answers(types) -> dict:
    return {200: {"description": "OK", "content": {media: {} for media in types}}}


@router.get("/def", summary="本体文档 / the ontology, documented in both languages",
            response_class=Response, responses=_answers(DOCUMENT_TYPES))
def ontology(request: Request) -> Response:
    store = request.app.state.store
    media = _media(request)
    if media is None:
        return problem(406, "没有可接受的格式", "none of the accepted formats is available")
    onto = store.memoised("ontology", lambda: store.construct(
        "named-graph", graph=iris.named_graph("ontology")))
    if media != "text/html":
        return _rdf(_ox_triples(onto), media)
    return HTMLResponse(_templates().get_template("ontology.html").render(
        title="本体 / Ontology", iri=str(iris.ONTOLOGY),
        version=str(onto.value(iris.ONTOLOGY, OWL.versionInfo) or ""), modules=_modules(onto)))


def _label(g, node, prop, lang: str) -> str:
    return next((str(o) for o in g.objects(node, prop) if getattr(o, "language", None) == lang),
                "")


def _modules(onto) -> list[dict]:
    modules = []
    for module in sorted(onto.objects(iris.ONTOLOGY, OWL.imports)):
        terms = []
        for term in sorted(onto.subjects(RDFS.isDefinedBy, module)):
            if not str(term).startswith(str(iris.PK)):
                continue
            kind = onto.value(term, RDF.type)
            terms.append({"local": str(term)[len(str(iris.PK)):],
                          "kind": str(kind).rsplit("#", 1)[-1] if kind else "",
                          "label_zh": _label(onto, term, RDFS.label, "zh"),
                          "label_en": _label(onto, term, RDFS.label, "en"),
                          "definition_zh": _label(onto, term, SKOS.definition, "zh"),
                          "definition_en": _label(onto, term, SKOS.definition, "en")})
        modules.append({"key": str(module).rsplit("/", 1)[-1],
                        "label_zh": _label(onto, module, RDFS.label, "zh"),
                        "label_en": _label(onto, module, RDFS.label, "en"), "terms": terms})
    return modules


@router.get("/download/{name}", summary="下载整个图或任务表 / download the graph or the tasks",
            response_class=Response, responses=_answers(
                [media for media, _ in DOWNLOADS.values()] + ["text/csv"]))
def download(request: Request, name: str) -> Response:
    store = request.app.state.store
    if name == "tasks.csv":
        from plankg.graph.tasks import task_records, tasks_csv
        return Response(tasks_csv(task_records(store.task_graph())), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    if name not in DOWNLOADS:
        return problem(404, f"没有这个文件：{name}", f"no such download: {name}",
                       suggestion=", ".join([*DOWNLOADS, "tasks.csv"]))
    media, fmt = DOWNLOADS[name]
    body = store.dump(fmt)
    return Response(body, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/{kind}/{path:path}", summary="我们的 IRI / our IRIs, by content negotiation",
            response_class=Response, responses=_answers(DOCUMENT_TYPES))
def resource(request: Request, path: str,
             kind: str = FastAPIPath(json_schema_extra={"enum": list(KINDS)})) -> Response:
    if kind not in KINDS:
        return problem(404, "未知的路径", "unknown path")
    try:
        return _describe(request, URIRef(f"{iris.BASE}{kind}/{path}"))
    except PlanKGError as exc:  # a path that cannot be an IRI (a space, a quote, a brace…)
        return from_error(exc)
