"""Names to IRIs: agencies, sectors, roles and documents as people type them.

Every resolver accepts the forms a researcher would use (canonical name, alias, English label,
key, IRI; a 发文字号 in any bracket form) and raises :class:`~plankg.graph.errors.UnknownNameError`
naming the closest known name when nothing matches.
"""

from __future__ import annotations

import difflib
import weakref

from rdflib import Graph, URIRef

from . import iris
from .errors import QueryArgumentError, UnknownNameError
from .iris import ELI, PK, RDF, SKOS
from .model import ROLES
from .parse import normalise_number
from .registry import load_registry

__all__ = [
    "resolve_agency",
    "resolve_document",
    "resolve_plan",
    "resolve_role",
    "resolve_sector",
]

ROLE_WORDS = {"牵头": "lead", "配合": "support", "负责": "responsible", "未写明": "unspecified"}


def _closest(name: str, known) -> str | None:
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.3)
    return found[0] if found else None


def _printable(name: str, kind_zh: str, kind_en: str) -> str:
    """A name with a control character in it is malformed input (400), not an unknown name."""
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise QueryArgumentError(f"{kind_zh}名称含有控制字符", f"the {kind_en} name has a "
                                 "control character in it")
    return name


def resolve_role(name: str) -> URIRef:
    """A role concept from its English key (lead) or its Chinese word (牵头)."""
    key = ROLE_WORDS.get(_printable(name, "角色", "role"), name)
    if key not in ROLES:
        raise UnknownNameError("角色", "role", name, suggestion=_closest(name, [*ROLES,
                                                                           *ROLE_WORDS]))
    return iris.concept("role", key)


def resolve_agency(g: Graph, name: str) -> URIRef:
    """An agency IRI from its canonical name, an alias, a ``division/key`` or its IRI."""
    if name.startswith(iris.BASE):
        node = URIRef(name)
        if (node, RDF.type, iris.ORG.Organization) in g:
            return node
    names = _indexed(g, "agencies", _agency_names)
    if name in names:
        return names[name]
    registry = load_registry()
    try:
        return iris.agency(**dict(zip(("division", "key"),
                                      registry.agency(name).ref.split("/", 1))))
    except UnknownNameError:
        pass
    raise UnknownNameError("单位", "agency", name, suggestion=_closest(name, names))


def _agency_names(g: Graph) -> dict[str, URIRef]:
    names: dict[str, URIRef] = {}
    for node in g.subjects(RDF.type, iris.ORG.Organization):
        for prop in (SKOS.prefLabel, SKOS.altLabel, iris.DCTERMS.identifier):
            for label in g.objects(node, prop):
                names.setdefault(str(label), node)
    return names


def _sector_labels(g: Graph) -> dict[str, URIRef]:
    labels: dict[str, URIRef] = {}
    for node in g.subjects(SKOS.inScheme, URIRef(iris.BASE + "id/sector/plankg")):
        labels[str(node).rsplit("/", 1)[-1]] = node
        for label in g.objects(node, SKOS.prefLabel):
            labels[str(label)] = node
            labels[str(label).lower()] = node
    return labels


def resolve_sector(g: Graph, name: str) -> URIRef:
    """A sector concept from its Chinese or English label, or its key."""
    labels = _indexed(g, "sectors", _sector_labels)
    found = labels.get(name) or labels.get(name.lower())
    if found is None:
        raise UnknownNameError("行业", "sector", name, suggestion=_closest(name, labels))
    return found


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _indexed(g: Graph, key, build) -> dict[str, URIRef]:
    """``build(g)``, kept per graph until the graph grows or shrinks (the served catalogue
    never changes; walking it on every request cost milliseconds: an agency's name 26 ms at
    10⁵ triples, a 发文字号 more at 10⁶)."""
    per_graph = _INDEXES.setdefault(g, {})
    size = len(g)
    cached = per_graph.get(key)
    if cached is None or cached[0] != size:
        cached = per_graph[key] = (size, build(g))
    return cached[1]


def _number_index(g: Graph, kind: URIRef) -> dict[str, URIRef]:
    """Documents of ``kind`` by normalised 发文字号."""
    def build(g: Graph) -> dict[str, URIRef]:
        index: dict[str, URIRef] = {}
        for doc in g.subjects(RDF.type, kind):
            for local in g.objects(doc, ELI.id_local):
                index.setdefault(normalise_number(str(local)) or str(local), doc)
        return index
    return _indexed(g, kind, build)


def _resolve_number(g: Graph, number: str, kind: URIRef, kind_zh: str, kind_en: str) -> URIRef:
    if number.startswith(iris.BASE) and (URIRef(number), RDF.type, kind) in g:
        return URIRef(number)
    index = _number_index(g, kind)
    wanted = normalise_number(number)
    if wanted and wanted in index:
        return index[wanted]
    known = [str(v) for d in g.subjects(RDF.type, kind) for v in g.objects(d, ELI.id_local)]
    raise UnknownNameError(kind_zh, kind_en, number, suggestion=_closest(number, known))


def resolve_plan(g: Graph, number: str) -> URIRef:
    """A plan's IRI from its 发文字号 (any bracket variant) or its IRI."""
    return _resolve_number(g, number, PK.Plan, "规划", "plan")


def resolve_document(g: Graph, number: str) -> URIRef:
    """Any document's IRI from its 发文字号 (any bracket variant) or its IRI."""
    return _resolve_number(g, number, ELI.LegalResource, "文件", "document")


