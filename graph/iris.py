"""The one module that spells IRIs and namespaces.

Everything else asks this module for an IRI; no other module concatenates
IRI strings. Document IRIs follow ELI: ``eli/cn/{division}/{year}/{series}-{serial}``
(national documents use ``cn`` as the division).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BASE",
    "CV",
    "DCTERMS",
    "ELI",
    "MANIFEST_GRAPH",
    "ONTOLOGY",
    "ORG",
    "OWL",
    "PK",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SHARED_GRAPHS",
    "SKOS",
    "XSD",
    "agency",
    "alignment_graph",
    "assignment",
    "citation",
    "concept",
    "continuation",
    "curated_graph",
    "curated_statement",
    "document",
    "document_graph",
    "inferred_graph",
    "named_graph",
    "plan_sector",
    "plan_sector_scheme",
    "plan_target",
    "section",
    "sector",
    "series_key",
    "target",
    "task",
]

BASE = "https://w3id.org/plankg/"
PK = Namespace(BASE + "def#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
ONTOLOGY = URIRef(BASE + "def")

PREFIXES: dict[str, Namespace] = {
    "pk": PK, "eli": ELI, "org": ORG, "cv": CV, "schema": SCHEMA, "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)), "dcterms": Namespace(str(DCTERMS)),
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
}

NATIONAL = "cn"


def document(*, division: str, year: int, series_key: str, serial: int) -> URIRef:
    """ELI-style IRI of a document, from its identity.

    >>> str(document(division="140521", year=2022, series_key="qzbf", serial=33))
    'https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33'
    """
    return URIRef(f"{BASE}eli/cn/{division or NATIONAL}/{year}/{series_key}-{serial}")


def unnumbered_document(file_name: str) -> URIRef:
    """A plan whose 发文字号 could not be read, named after its file (validation flags it).

    >>> str(unnumbered_document("草案 v2.md"))
    'https://w3id.org/plankg/eli/cn/unresolved/unnumbered/ca-v2'
    """
    return URIRef(f"{BASE}eli/cn/unresolved/unnumbered/{slug(file_name.rsplit('.', 1)[0])}")


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens: pinyin initials stand for Chinese characters.

    >>> slug("县数据中心"), slug("Plan 2023 (draft)")
    ('xsjzx', 'plan-2023-draft')
    """
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    ascii_text = "".join(p if p.isascii() else "-" for p in parts).lower()
    return "-".join(w for w in "".join(c if c.isalnum() else "-" for c in ascii_text).split("-")
                    if w) or "x"


def compact(iri: str) -> str:
    """A short form for people: our IRIs without the base, others with their prefix.

    >>> compact("https://w3id.org/plankg/id/role/lead"), compact("http://data.europa.eu/eli/ontology#cites")
    ('id/role/lead', 'eli:cites')
    """
    if iri.startswith(BASE) and not iri.startswith(str(PK)):
        return iri[len(BASE):]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def section(doc: URIRef, k: int, *, sub: int | None = None) -> URIRef:
    """A top section 一、… or, with ``sub``, a sub-sector heading （一）… of the plan."""
    if sub is None:
        return URIRef(f"{doc}/section/{k}")
    return URIRef(f"{doc}/section/{k}/subsection/{sub}")


def task(doc: URIRef, n: int, *, section_no: int | None = None, occurrence: int = 1) -> URIRef:
    """A task; plans whose numbering restarts per section get the section in the path, and a
    number printed twice gets ``-2`` on its second occurrence (validation reports it).

    >>> str(task(URIRef("https://w3id.org/plankg/eli/cn/x/2023/a-1"), 2, occurrence=2))
    'https://w3id.org/plankg/eli/cn/x/2023/a-1/task/2-2'
    """
    path = f"{doc}/task/{n}" if section_no is None else f"{doc}/section/{section_no}/task/{n}"
    return URIRef(path if occurrence == 1 else f"{path}-{occurrence}")


def assignment(task_iri: URIRef, i: int) -> URIRef:
    return URIRef(f"{task_iri}/assignment/{i}")


def target(task_iri: URIRef, i: int) -> URIRef:
    return URIRef(f"{task_iri}/target/{i}")


def plan_target(doc: URIRef, i: int) -> URIRef:
    """A target stated by the plan as a whole (the year's goal)."""
    return URIRef(f"{doc}/target/{i}")


def citation(part: URIRef, i: int) -> URIRef:
    """A mention of another document, stated in the text of ``part``."""
    return URIRef(f"{part}/citation/{i}")


def alignment(child_task: URIRef, rank: int) -> URIRef:
    """The record of a machine-proposed link from a child task, by its rank."""
    return URIRef(f"{child_task}/alignment/{rank}")


def continuation(task_iri: URIRef, rank: int = 1) -> URIRef:
    """The record of the machine-proposed link from a task to last year's task it continues."""
    return URIRef(f"{task_iri}/continues" if rank == 1 else f"{task_iri}/continues-{rank}")


def curated_statement(doc: URIRef, i: int) -> URIRef:
    """A curated lineage fact about ``doc``, with its source."""
    return URIRef(f"{doc}/curated/{i}")


def series_key(series_code: str) -> str:
    """Pinyin initials of a series code, the key used in document IRIs.

    >>> series_key("沁政办发"), series_key("晋市政办"), series_key("发改财金")
    ('qzbf', 'jszb', 'fgcj')
    """
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(series_code, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower() or "x"


def agency(*, division: str, key: str) -> URIRef:
    """
    >>> str(agency(division="140521", key="drc"))
    'https://w3id.org/plankg/id/agency/140521/drc'
    """
    return URIRef(f"{BASE}id/agency/{division or NATIONAL}/{key}")


def sector(scheme: str, key: str) -> URIRef:
    return URIRef(f"{BASE}id/sector/{scheme}/{key}")


def plan_sector_scheme(doc: URIRef) -> URIRef:
    """The sectors a plan names that the shared scheme lacks (a new sub-sector heading).

    >>> str(plan_sector_scheme(URIRef(BASE + "eli/cn/140521/2023/qzbf-21")))
    'https://w3id.org/plankg/id/sector/plan/140521/2023/qzbf-21'
    """
    return URIRef(f"{BASE}id/sector/plan/{str(doc)[len(BASE + 'eli/cn/'):]}")


def plan_sector(doc: URIRef, heading: str) -> URIRef:
    """A sector of a plan's own scheme, named by its heading's pinyin initials."""
    return URIRef(f"{plan_sector_scheme(doc)}/{slug(heading)}")


def concept(scheme: str, key: str) -> URIRef:
    """A concept of one of our small controlled vocabularies (role, level, kind…)."""
    return URIRef(f"{BASE}id/{scheme}/{key}")


def named_graph(name: str) -> URIRef:
    """Named graphs: ``ontology``, ``curated``, ``inferred``, ``alignment``, or a document path."""
    return URIRef(f"{BASE}graph/{name}")


def document_graph(doc: URIRef) -> URIRef:
    """The asserted graph of one source document."""
    return named_graph(str(doc)[len(BASE):])


def curated_graph(source: str) -> URIRef:
    """The curated facts of one source: a registry file (``agencies``, ``documents``…), or
    another named source (``synth/3`` for a synthetic batch).

    >>> str(curated_graph("agencies"))
    'https://w3id.org/plankg/graph/curated/agencies'
    """
    return named_graph(f"curated/{source}")


def inferred_graph(owner: URIRef) -> URIRef:
    """What reasoning infers from the graph ``owner`` (a document's, or a curated source's).

    >>> str(inferred_graph(URIRef(BASE + "graph/eli/cn/140521/2022/qzbf-33")))
    'https://w3id.org/plankg/graph/inferred/eli/cn/140521/2022/qzbf-33'
    """
    return named_graph("inferred/" + str(owner)[len(BASE + "graph/"):])


# A graph that every batch of an older version wrote under the same name: loading one replaced
# the last one's. Files holding them are refused (build or synthesize them again).
SHARED_GRAPHS = frozenset(str(named_graph(n)) for n in ("inferred", "curated", "alignment"))
MANIFEST_GRAPH = named_graph("manifest")  # what wrote each graph of a store, and when


def alignment_graph(child: URIRef, parent: URIRef) -> URIRef:
    """The graph of the links from the tasks of the plan ``child`` to the measures of ``parent``:
    one per pair, so that aligning again replaces it and nothing else.

    >>> str(alignment_graph(URIRef(BASE + "eli/cn/140521/2022/qzbf-33"),
    ...                     URIRef(BASE + "eli/cn/cn/2022/fgsl-9")))
    'https://w3id.org/plankg/graph/alignment/eli/cn/140521/2022/qzbf-33/eli/cn/cn/2022/fgsl-9'
    """
    return named_graph(f"alignment/{str(child)[len(BASE):]}/{str(parent)[len(BASE):]}")
