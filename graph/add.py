"""``plankg add``: a plan or parent document into a store, into graphs of its own.

One document at a time: parse, build (a plan's items are tasks, a policy document's measures),
reason (what OWL RL draws from the document's own graph), validate (a violation refuses it
unless ``force``), align with the documents of the store it is linked to, then load. What it
writes is the document's graph, its inferred graph and its alignment graphs, nothing else:
adding the same document again replaces exactly these.

Alignment in the store: the documents the new one cites, is based on or carries out (its
parents, when the store holds their items), and the plans in the store that cite it (its
children), each read back from the store as the aligner's plain model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from . import iris
from .align import align
from .alignment_graph import alignment_graph
from .backends import Backend
from .build import plan_graph
from .build.documents import document_iri, plan_iri
from .errors import DocumentRefusedError, SourceParseError
from .load import load_graphs, sha256
from .model import Assignment, Citation, Plan, Span, Task
from .ontology import load_ontology, sector_labels
from .parse import parse_number, parse_plan
from .reason import infer_graph
from .registry import Registry, load_registry
from .validate import validate_graph
from .validate.inputs import read_input
from .validate.report import ValidationReport

__all__ = ["Added", "add_document", "stored_plan"]

_NOWHERE = Span(0, 0, 1)


def _refused(report: ValidationReport) -> DocumentRefusedError:
    first = report.violations[0]
    return DocumentRefusedError(
        f"{report.file} 有 {len(report.violations)} 处违规，未加入（用 --force 强制加入）："
        f"第 {first.line} 行 {first.message_zh}",
        f"{report.file} has {len(report.violations)} violations and was not added (--force "
        f"adds it anyway); line {first.line}: {first.message_en}", report=report)


@dataclass(frozen=True)
class Added:
    """What ``add`` wrote for one document."""

    file: str
    document: str
    items: int
    graphs: tuple[str, ...]
    links: int
    violations: int


def _agency_ref(iri: str | None) -> str | None:
    prefix = iris.BASE + "id/agency/"
    return iri[len(prefix):] if iri and iri.startswith(prefix) else None


def _item(rows: list[list], number: int, section: int) -> Task:
    first = rows[0]
    assignments = tuple(
        Assignment(as_written=str(r[6]), agency_key=_agency_ref(str(r[7]) if r[7] else None),
                   role=str(r[8]).rsplit("/", 1)[-1], order=int(r[9]), span=_NOWHERE)
        for r in rows if r[6] is not None)
    return Task(number=number, heading=str(first[4]), text=str(first[5]), section=section,
                subsection=None, bracket=None, assignments=assignments, citations=(),
                targets=(), span=_NOWHERE, text_span=_NOWHERE, bracket_span=None)


def stored_plan(backend: Backend, doc: URIRef, *, cites: Plan | None = None) -> Plan | None:
    """The plain model of a document of the store (its items and their agencies), or None
    when the store holds no item of it. ``cites``: a document it is known to cite."""
    from .store import store_query
    _, rows = backend.select(store_query("document-items"), bindings={"doc": doc})
    if not rows:
        return None
    by_item: dict[str, list] = {}
    for row in rows:
        by_item.setdefault(str(row[2]), []).append(row)
    tasks = []
    for item, item_rows in by_item.items():
        number = int(item.rsplit("/task/", 1)[1].split("-")[0])
        section = int(item_rows[0][3]) if item_rows[0][3] is not None else 0
        tasks.append(_item(item_rows, number, section))
    tasks.sort(key=lambda t: (t.section, t.number))
    number = parse_number(str(rows[0][0]))
    path = str(doc)[len(iris.BASE + "eli/cn/"):]
    citations = () if cites is None or cites.number is None else (
        Citation("cites", cites.number, str(cites.number), cites.title, _NOWHERE),)
    return Plan(source_file=path, number=number, number_as_written=str(rows[0][0]),
                title=str(rows[0][1]) if rows[0][1] is not None else None, issuer=None,
                date=None, recipients=None, sections=(), tasks=tuple(tasks),
                citations=citations, goals=(), division=path.split("/")[0],
                numbering_restarts=any("/section/" in item for item in by_item))


def _cited(plan: Plan) -> list:
    numbers = [c.number for c in plan.citations if c.number and c.relation != "repeals"]
    numbers += [c.number for t in plan.tasks for c in t.citations
                if c.number and c.relation != "repeals"]
    return list(dict.fromkeys(numbers))


def _alignments(backend: Backend, plan: Plan, registry: Registry) -> dict[str, Graph]:
    """The alignment graphs of ``plan`` with the documents of the store it is linked to."""
    from .store import store_query
    doc = plan_iri(plan, registry=registry)
    graphs: dict[str, Graph] = {}
    for number in _cited(plan):  # its parents
        parent = stored_plan(backend, document_iri(number, registry=registry, near=plan))
        if parent is not None and plan.tasks and parent.tasks:
            rows = align(plan, parent, registry=registry)
            name = iris.alignment_graph(doc, plan_iri(parent, registry=registry))
            graphs[str(name)] = alignment_graph(rows, child=plan, parent=parent,
                                                registry=registry)
    _, rows = backend.select(store_query("related-documents"), bindings={"doc": doc})
    for (other,) in rows:  # its children
        child = stored_plan(backend, other, cites=plan)
        if child is not None and child.tasks:
            links = align(child, plan, registry=registry)
            name = iris.alignment_graph(plan_iri(child, registry=registry), doc)
            graphs[str(name)] = alignment_graph(links, child=child, parent=plan,
                                                registry=registry)
    return graphs


def add_document(backend: Backend, path: Path, *, force: bool = False,
                 registry: Registry | None = None) -> Added:
    """Parse, build, reason, validate, align and load the document at ``path``."""
    registry = registry or load_registry()
    source = read_input(path)
    if source.kind != "text":
        raise SourceParseError("plankg add 读入规划文本（.md .txt .html .docx）；RDF 请用 "
                               "plankg load", "plankg add reads plan text (.md .txt .html "
                               ".docx); load RDF with plankg load", file=path.name)
    plan = parse_plan(source.text, source_file=path.name, registry=registry)
    ontology = load_ontology()
    own = plan_graph(plan, registry=registry, sectors=sector_labels(ontology))
    report = validate_graph(own, file=path.name, registry=registry,
                            line_map=source.original_line, line_unit=source.unit)
    if report.violations and not force:
        raise _refused(report)
    doc = plan_iri(plan, registry=registry)
    name = iris.document_graph(doc)
    graphs = {str(name): own, str(iris.inferred_graph(name)): infer_graph(own, ontology)}
    links = _alignments(backend, plan, registry)
    graphs.update(links)
    load_graphs(backend, graphs, writer="add", source=path.name,
                content=sha256(path.read_bytes()))
    return Added(file=path.name, document=str(doc), items=len(plan.tasks),
                 graphs=tuple(sorted(graphs)),
                 links=sum(1 for g in links.values() for _ in g.subjects(iris.RDF.type,
                                                                        iris.PK.Alignment)),
                 violations=len(report.violations))
