"""Validate: SHACL shapes on a plan (text or RDF), with findings that point to lines.

    validate_file(path)            a plan file as the user has it
    validate_plan(plan)            a parsed plan
    validate_graph(graph)          RDF already built (the release, or an upload)

Data flows one way: the plan is parsed and built exactly as ``plankg build`` does it, then the
shapes run on its asserted graph plus the curated registries and the ontology (no OWL RL
closure: the shapes need none, and it keeps validation fast).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .._ox import from_ox
from ..build import plan_graph
from ..build.curated import curated_graph
from ..errors import SourceParseError
from ..model import Plan
from ..ontology import load_ontology, sector_labels
from ..parse import parse_plan
from ..registry import Registry, load_registry
from .against import compare
from .engine import run_shacl
from .inputs import Input, read_input
from .report import Finding, ValidationReport, document_kind, findings_of

__all__ = [
    "Finding",
    "ValidationReport",
    "asserted_union",
    "context_graph",
    "load_graph_file",
    "read_rdf",
    "validate_file",
    "validate_graph",
    "validate_plan",
]

_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "json-ld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS}


@cache
def _context_triples(registry: Registry) -> tuple:
    return tuple(load_ontology()) + tuple(curated_graph(registry))


def context_graph(registry: Registry) -> Graph:
    """What a plan is checked with: the curated registries and the ontology."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in _context_triples(registry))
    return g


def validate_graph(data: Graph, *, file: str = "<graph>", registry: Registry | None = None,
                   with_context: bool = True, locate=None, line_map=None,
                   line_unit: str = "line") -> ValidationReport:
    """Validate an RDF graph (with the curated registries and ontology added, by default)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in data)
    if with_context:
        graph.addN((s, p, o, graph) for s, p, o in _context_triples(registry or load_registry()))
    conforms, report = run_shacl(graph)
    findings = findings_of(report, graph, locate=locate)
    if line_map is not None:
        findings = [_remap(f, line_map) for f in findings]
    return ValidationReport(file, conforms, findings, report, line_unit=line_unit,
                            kind=document_kind(data, labels=graph))


def _remap(finding: Finding, line_map) -> Finding:
    return replace(finding, line=line_map(finding.line))


def asserted_union(ds) -> Graph:
    """Every graph of a built dataset but the inferred ones, as one graph to validate."""
    from ..reason import is_inferred
    union = Graph()
    for g in ds.graphs():
        if not is_inferred(g.identifier):
            union += g
    return union


def _asserted(plan: Plan, registry: Registry) -> Graph:
    """The plan's own asserted graph, built as the release builds it."""
    return plan_graph(plan, registry=registry, sectors=sector_labels(load_ontology()))


def validate_plan(plan: Plan, *, registry: Registry | None = None, line_map=None,
                  line_unit: str = "line") -> ValidationReport:
    """Validate a parsed plan, built exactly as the release builds it."""
    registry = registry or load_registry()
    return validate_graph(_asserted(plan, registry), file=plan.source_file, registry=registry,
                          line_map=line_map, line_unit=line_unit)


def read_rdf(text: str, rdf_format: str, *, file: str) -> Graph:
    """Parse RDF with pyoxigraph: no remote JSON-LD contexts, no entities, exact error lines."""
    try:
        quads = list(ox.parse(text.encode("utf-8"), format=_OX_FORMATS[rdf_format]))
    except SyntaxError as exc:
        position = exc.args[1] if len(exc.args) > 1 and exc.args[1] else (None, None)
        line = position[1] if len(position) > 1 else None
        raise SourceParseError("RDF 语法错误", f"RDF syntax error: {exc.args[0]}", file=file,
                               line=line) from None
    g = Graph()
    for q in quads:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


_ESCAPE = re.compile(r"[/~.!$&()*+,;=?#@%-]")


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match[0]


def _locator(text: str):
    """Find the line of the user's RDF file where a node is first written."""
    prefixes = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]+)>", text, re.IGNORECASE))
    lines = text.splitlines()

    def where(node) -> int | None:
        if not isinstance(node, URIRef):
            return None
        locals_ = [(p, node[len(ns):]) for p, ns in prefixes.items()
                   if node.startswith(ns) and node[len(ns):]]
        forms = [f"<{node}>"]
        for prefix, local in locals_:  # as written, and with Turtle's escapes (task\/1)
            forms += [f"{prefix}:{local}", f"{prefix}:{_ESCAPE.sub(_escaped, local)}"]
        for subject_only in (True, False):  # where it is described, else where it is named
            for number, line in enumerate(lines, 1):
                if any(line.startswith(f) if subject_only else f in line for f in forms):
                    return number
        return None

    return lambda value, focus: where(focus) or where(value)


def load_graph_file(path: Path, *, registry: Registry | None = None) -> tuple[Graph, Input]:
    """The graph of a file: RDF as it is, or a plan text parsed and built."""
    source: Input = read_input(path)
    if source.kind == "rdf":
        return read_rdf(source.text, source.rdf_format, file=path.name), source
    plan = parse_plan(source.text, source_file=path.name, registry=registry)
    return _asserted(plan, registry or load_registry()), source


def validate_file(path: Path, *, registry: Registry | None = None,
                  against: Graph | None = None,
                  plan_context: Callable[[URIRef], Graph] | None = None) -> ValidationReport:
    """Validate a plan file (text, HTML, .docx or RDF), and, with ``against``, compare it with
    the plans already there (``plan_context``: see :func:`~plankg.graph.validate.against.compare`).
    Unreadable input raises :class:`~plankg.graph.errors.SourceParseError`."""
    data, source = load_graph_file(path, registry=registry)
    if source.kind == "rdf":
        report = validate_graph(data, file=path.name, registry=registry,
                                locate=_locator(source.text))
    else:
        report = validate_graph(data, file=path.name, registry=registry,
                                line_map=source.original_line, line_unit=source.unit)
        report.encoding = source.encoding
    if against is not None:
        findings, changes = compare(data, against,
                                    context=context_graph(registry or load_registry()),
                                    plan_context=plan_context)
        if findings and source.kind == "text":
            findings = [_remap(f, source.original_line) for f in findings]
        report.results = sorted(report.results + findings,
                                key=lambda f: (f.line or 0, f.severity, f.focus, f.message_en))
        report.changes = changes
    return report
