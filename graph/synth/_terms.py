"""RDF terms in N-Triples syntax, as the synthetic corpus writes them.

Building a ``pyoxigraph.Quad`` costs about 4 µs in Python, formatting its N-Quads line about
0.6 µs, so the generator works on strings. Every IRI still comes from :mod:`plankg.graph.iris`; here it
is only wrapped in ``<…>``.
"""

from __future__ import annotations

from types import SimpleNamespace

from .. import iris
from ..iris import CV, DCTERMS, ELI, ORG, PK, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = ["XSD_", "C", "T", "iri", "lit", "typed", "zh"]


def iri(term: object) -> str:
    """``<term>``: an IRI (from :mod:`plankg.graph.iris`) in N-Triples syntax."""
    return f"<{term}>"


def _escaped(text: str) -> str:
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def zh(text: str) -> str:
    """A Chinese string literal.

    >>> zh('他说"好"')
    '"他说\\\\"好\\\\""@zh'
    """
    return f'"{_escaped(text)}"@zh'


def lit(text: str, *, lang: str | None = None) -> str:
    """A plain (xsd:string) literal, or a language-tagged one."""
    return f'"{_escaped(text)}"@{lang}' if lang else f'"{_escaped(text)}"'


def typed(value: object, datatype: str) -> str:
    """A typed literal; ``value`` is already in its lexical form (numbers, dates, booleans)."""
    return f'"{value}"^^{datatype}'


def _terms(namespace, names: str) -> dict[str, str]:
    return {name: iri(namespace[name]) for name in names.split()}


# Predicates and classes, by local name (distinct across the namespaces used together).
T = SimpleNamespace(
    type=iri(RDF.type), label=iri(RDFS.label),
    **_terms(PK, "Plan Section Task Assignment Target Citation Alignment sourceFile sourceLine "
                 "startOffset endOffset issuerCode year serial divisionCode level recipients "
                 "preamble hasTarget statusReason repealEffectiveDate directlyPartOf sector "
                 "heading text bracketText listOrder asWritten indicator comparator targetKind "
                 "commitment deadline deadlineStated baselineValue citingPart relation evidence "
                 "citedTitle citedNumber citedDocument alignmentSource alignmentTarget score "
                 "method rank reviewStatus alignedWith implementsMeasure hasDirectPart "
                 "leadAgency supportAgency responsibleAgency unspecifiedRoleAgency "
                 "assignedAgency"),
    **_terms(ELI, "LegalResource LegalResourceSubdivision id_local title date_document "
                  "passed_by type_document in_force number cites based_on repeals "
                  "ensures_implementation_of is_part_of has_part cited_by basis_for repealed_by "
                  "applies"),
    **_terms(CV, "Participation hasParticipation playsRole role"),
    **_terms(ORG, "Organization classification subOrganizationOf"),
    **_terms(PROV, "Entity Agent wasDerivedFrom wasAttributedTo"),
    **_terms(SCHEMA, "QuantitativeValue value unitText"),
    prefLabel=iri(SKOS.prefLabel), altLabel=iri(SKOS.altLabel),
    identifier=iri(DCTERMS.identifier), source=iri(DCTERMS.source), date=iri(DCTERMS.date),
)
XSD_ = SimpleNamespace(**_terms(XSD, "integer positiveInteger nonNegativeInteger decimal date "
                                     "gYear boolean"))

# Concepts of the small vocabularies, by scheme and key.
C = SimpleNamespace(
    role={k: iri(iris.concept("role", k)) for k in ("lead", "support", "responsible",
                                                     "unspecified")},
    level={k: iri(iris.concept("level", k)) for k in ("national", "province", "city", "county")},
    evidence={k: iri(iris.concept("evidence", k)) for k in ("stated", "curated", "inferred")},
    review={k: iri(iris.concept("review", k)) for k in ("proposed", "accepted", "rejected")},
    comparator={k: iri(iris.concept("comparator", k)) for k in ("exact", "at-least", "at-most",
                                                                 "about")},
    kind={k: iri(iris.concept("target-kind", k)) for k in ("increment", "level", "rate",
                                                            "reduction")},
    commitment={k: iri(iris.concept("commitment", k)) for k in ("plain", "strive", "ensure")},
    repealed=iri(iris.concept("status", "repealed")),
    departmental=iri(iris.concept("doc-type", "departmental-normative")),
)
ROLE_SHORTCUT = {"lead": T.leadAgency, "support": T.supportAgency,
                 "responsible": T.responsibleAgency, "unspecified": T.unspecifiedRoleAgency}
RELATION = {"cites": T.cites, "based_on": T.based_on, "repeals": T.repeals,
            "ensures_implementation_of": T.ensures_implementation_of}
# What OWL RL adds for each relation (ontology: inverses and super-properties), as
# (predicate, whether subject and object swap).
RELATION_INFERRED = {
    "cites": ((T.cited_by, True),),
    "based_on": ((T.basis_for, True),),
    "repeals": ((T.repealed_by, True),),
    "ensures_implementation_of": ((T.applies, False),),
}
